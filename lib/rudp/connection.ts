/**
 * One end of one file transfer: the sans-IO state machine both the client and the server run.
 * It is fed decoded packets and timeouts with the current time and is drained of datagrams,
 * deadlines and events. Routing, decoding and address checks happen in front of it
 * (`ServerEndpoint`, `ClientConnection`).
 *
 * @module
 */
import { AckManager, MAX_ACK_DELAY_MS } from "./ack_manager.ts";
import { type CloseCode, closeCodeFromWire, closeCodeToWire } from "./close_code.ts";
import { CloseState, type Phase } from "./close_state.ts";
import { type ConnectionCounters, newCounters, snapshotStats } from "./connection_counters.ts";
import { EventQueue, MAX_QUEUED_EVENTS } from "./event_queue.ts";
import type { ConnectionStats, TransferEvent } from "./events.ts";
import { type AckFrame, type CloseFrame, type Frame, isAckEliciting } from "./frame.ts";
import { ClientHandshake, ServerHandshake } from "./handshake.ts";
import type { SentPacket } from "./loss_detection.ts";
import { MtuDiscovery, PMTU_BASE_BYTES, searchBound } from "./mtu_discovery.ts";
import { MAX_PACKET_NUMBER, type Packet } from "./packet.ts";
import { describeRecvError, RecvStream } from "./recv_stream.ts";
import { RecentLargest } from "./recent_largest.ts";
import { Recovery } from "./recovery.ts";
import { SendStream } from "./send_stream.ts";
import { Timers } from "./timers.ts";
import { assemblePacket, type Assembly } from "./transmit.ts";
import { IDLE_TIMEOUT_MS } from "./transport_options.ts";
import type { ConnectionConfig } from "./connection_config.ts";
import { onRecoveryTimer, updateTimers } from "./connection_timers.ts";

export type { ConnectionConfig } from "./connection_config.ts";

/** Least time between two progress events, in ms. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * The transfer state machine. See `ClientConnection` and `ServerEndpoint` for the public
 * entry points; this class is shared by both.
 */
export class Connection {
  readonly config: ConnectionConfig;
  readonly acks = new AckManager();
  readonly recovery: Recovery;
  readonly send: SendStream | null;
  readonly recv: RecvStream | null;
  readonly timers = new Timers();
  /** The data sender's path MTU search; null at the receiver, and at a client until challenged. */
  mtu: MtuDiscovery | null = null;
  remoteCid: Uint8Array | null;
  probesPending = 0;
  readonly closing = new CloseState();
  nextPacketNumber = 0;
  readonly stats: ConnectionCounters = newCounters();
  readonly #events = new EventQueue();
  #established = false;
  #completed = false;
  #lastProgress = -Infinity;
  #lastNow: number;
  readonly #received = new RecentLargest();

  /** Creates the connection at `now`. */
  constructor(config: ConnectionConfig, now: number) {
    this.config = config;
    this.#lastNow = now;
    this.remoteCid = config.remoteCid;
    this.recovery = new Recovery(PMTU_BASE_BYTES, {
      ...(config.transport.congestion ? { congestion: config.transport.congestion } : {}),
      ...(config.transport.pacer ? { pacer: config.transport.pacer } : {}),
    });
    const { size, startOffset } = config;
    if (this.isDataSender) {
      if (config.source === undefined) throw new TypeError("Cannot create sender: no source");
      this.send = new SendStream(config.source, startOffset, size);
      this.recv = null;
      // The server knows both limits now (its own is already the smaller); a client, once challenged.
      if (config.role === "server") this.#startDiscovery(config.maxDatagramBytes);
    } else {
      this.send = null;
      const windowBytes = config.transport.receiveWindowBytes;
      this.recv = new RecvStream(startOffset, size, windowBytes ? { windowBytes } : {});
    }
    this.#touch(now);
  }

  /** The size this side sends data in: the path MTU found so far, the base size at first. */
  get datagramBytes(): number {
    return this.mtu?.current ?? PMTU_BASE_BYTES;
  }

  /** Whether this side sends the file bytes. */
  get isDataSender(): boolean {
    return (this.config.role === "server") === (this.config.direction === "download");
  }

  /** Whether data may flow: the client was challenged, or the server validated the client. */
  get established(): boolean {
    return this.#established;
  }

  /** Whether every byte was delivered or acknowledged. */
  get completed(): boolean {
    return this.#completed;
  }

  /** Life-cycle phase. */
  get phase(): Phase {
    return this.closing.phase;
  }

  /** Whether the connection is gone (after its `closed` event). */
  get isClosed(): boolean {
    return this.phase === "closed";
  }

  /**
   * Processes a decoded packet of `datagramBytes` bytes that arrived at `now`. Never throws:
   * an impossible number closes the connection (`PROTOCOL_VIOLATION`), and an error of our own
   * ends it at once (`INTERNAL_ERROR`, see {@linkcode abort}).
   */
  handlePacket(now: number, packet: Packet, datagramBytes: number): void {
    this.#lastNow = now;
    if (this.phase === "closed") return;
    this.#contained(() => this.#handlePacket(now, packet, datagramBytes), undefined);
  }

  /** Runs whatever timers are due at `now`. Never throws (see {@linkcode abort}). */
  handleTimeout(now: number): void {
    this.#lastNow = now;
    if (this.phase === "closed") return;
    this.#contained(() => this.#handleTimeout(now), undefined);
  }

  /**
   * The next datagram to send at `now`, or null when nothing may be sent now. Never throws
   * (see {@linkcode abort}).
   */
  pollTransmit(now: number): Uint8Array | null {
    this.#lastNow = now;
    if (this.phase === "closed") return null;
    if (this.nextPacketNumber > MAX_PACKET_NUMBER) {
      this.abort(new RangeError(`Packet numbers exhausted at ${MAX_PACKET_NUMBER}`));
      return null;
    }
    return this.#contained(() => this.#pollTransmit(now), null);
  }

  /** The earliest deadline (absolute ms) at which {@linkcode handleTimeout} is wanted. */
  pollTimeout(): number | null {
    if (this.phase === "closed") return null;
    return this.#contained(() => {
      updateTimers(this, this.#lastNow);
      return this.timers.earliest();
    }, null);
  }

  /**
   * Ends the connection at once after an error of our own (a bug: the peer's bytes are
   * bounded before use): reports `failed` with `INTERNAL_ERROR`, then `closed`, without a
   * close frame, since the state that threw cannot be trusted to build one. The peer finds
   * out by its idle timeout. One connection's bug never reaches its endpoint or the others.
   */
  abort(error: unknown): void {
    if (this.phase === "closed") return;
    if (this.phase === "open") {
      const message = `Internal error: ${String(error)}`;
      this.emit({ kind: "failed", code: "INTERNAL_ERROR", message, remote: false });
    }
    this.#toClosed();
  }

  #contained<T>(run: () => T, fallback: T): T {
    try {
      return run();
    } catch (error) {
      this.abort(error);
      return fallback;
    }
  }

  #handlePacket(now: number, packet: Packet, datagramBytes: number): void {
    const hs = this.config.handshake;
    if (hs instanceof ServerHandshake) hs.onReceived(datagramBytes);
    if (packet.number > MAX_PACKET_NUMBER) {
      return this.#violation(now, `Packet number ${packet.number} is over ${MAX_PACKET_NUMBER}`);
    }
    if (this.#events.length >= MAX_QUEUED_EVENTS) {
      // The application is not taking events: treat the packet as lost (it is not
      // acknowledged, so the peer sends it again) rather than queue without bound.
      this.stats.eventBacklogDrops++;
      return;
    }
    if (hs instanceof ServerHandshake && !hs.validated) this.#validate(now, packet);
    const ackEliciting = packet.frames.some(isAckEliciting);
    if (!this.acks.onPacket(now, packet.number, ackEliciting)) {
      this.stats.duplicatePackets++;
      return;
    }
    this.stats.packetsReceived++;
    this.stats.bytesReceived += datagramBytes;
    if (this.recv !== null) this.#received.add(datagramBytes);
    this.#touch(now);
    const wasOpen = this.phase === "open";
    for (const frame of packet.frames) {
      // Once this packet ended the connection, the rest of it is not acted on.
      if (this.isClosed || (wasOpen && this.phase !== "open")) break;
      this.#onFrame(now, frame);
    }
    this.#checkCompletion(now);
    updateTimers(this, now);
  }

  #handleTimeout(now: number): void {
    if (this.timers.expired("idle", now)) return this.#onIdle(now);
    if (this.timers.expired("close", now)) this.#onCloseTimer(now);
    if (this.phase === "open" && this.timers.expired("recovery", now)) onRecoveryTimer(this, now);
    if (this.phase === "open" && this.timers.expired("pmtu", now)) this.mtu?.onTimeout(now);
    updateTimers(this, now);
  }

  #pollTransmit(now: number): Uint8Array | null {
    let assembly: Assembly | null;
    try {
      assembly = assemblePacket(this, now);
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "SOURCE_ERROR")) {
        throw error;
      }
      this.fail(now, "SOURCE_ERROR", error.message, { notifyPeer: true });
      assembly = null;
    }
    if (assembly === null) {
      updateTimers(this, now);
      return null;
    }
    const { bytes, ackEliciting, content, number } = assembly;
    const hs = this.config.handshake;
    if (hs instanceof ServerHandshake) hs.onSent(bytes.length);
    // A path MTU probe is not recovery's: its loss is no congestion signal and is not resent.
    if (assembly.mtuProbe) this.mtu?.onProbeSent(now, number, bytes.length, this.#pto());
    else this.recovery.onSent(now, number, bytes.length, ackEliciting, content);
    this.stats.packetsSent++;
    this.stats.bytesSent += bytes.length;
    updateTimers(this, now);
    return bytes;
  }

  /** The next event, or null. Polling a data event frees its bytes' flow-control window. */
  pollEvent(): TransferEvent | null {
    const event = this.#events.shift();
    if (event?.kind === "data") this.recv?.onConsumed(event.offset + event.bytes.length);
    return event;
  }

  /** Ends the transfer locally with `code`, telling the peer. */
  close(now: number, code: CloseCode, reason: string): void {
    this.#lastNow = now;
    if (this.phase !== "open") return;
    if (code === "NO_ERROR" && this.#completed) return this.#startClosing(now, code, reason);
    this.fail(now, code, reason, { notifyPeer: true });
  }

  /** Counters and gauges. */
  snapshot(): ConnectionStats {
    const hs = this.config.handshake;
    return snapshotStats({
      counters: this.stats,
      recovery: this.recovery,
      send: this.send,
      recv: this.recv,
      server: hs instanceof ServerHandshake ? hs : null,
      datagramBytes: this.send !== null ? this.datagramBytes : this.#received.value,
      mtu: this.mtu,
    });
  }

  /** Queues an event for the driver. */
  emit(event: TransferEvent): void {
    this.#events.push(event);
  }

  /** Fails the transfer: reports `code`, then closes (telling the peer when asked). */
  fail(now: number, code: CloseCode, message: string, options: { notifyPeer: boolean }): void {
    if (this.phase !== "open") return;
    this.emit({ kind: "failed", code, message, remote: false });
    if (options.notifyPeer) this.#startClosing(now, code, message);
    else this.#toClosed();
  }

  #validate(now: number, packet: Packet): void {
    const hs = this.config.handshake as ServerHandshake;
    for (const frame of packet.frames) {
      if (frame.type === "confirm" && hs.onConfirm(frame.nonce)) {
        this.#established = true;
        this.emit({ kind: "established" });
        updateTimers(this, now);
        return;
      }
    }
  }

  #onFrame(now: number, frame: Frame): void {
    switch (frame.type) {
      case "ack":
        return this.#onAck(now, frame);
      case "data": {
        if (this.recv === null) return this.#violation(now, "Data frame sent to the data sender");
        const result = this.recv.onData(frame.offset, frame.bytes);
        if (typeof result === "string") {
          const end = frame.offset + frame.bytes.length;
          const message = `${describeRecvError(result)}: data [${frame.offset}, ${end})`;
          return this.fail(now, result, message, { notifyPeer: true });
        }
        for (const chunk of result) {
          this.emit({ kind: "data", offset: chunk.offset, bytes: chunk.bytes });
        }
        return;
      }
      case "max_data":
        if (this.send !== null) this.send.maxData = Math.max(this.send.maxData, frame.maximum);
        return;
      case "hello":
        if (this.config.handshake instanceof ServerHandshake) this.config.handshake.onHello();
        return;
      case "challenge":
        return this.#onChallenge(now, frame);
      case "close":
        return this.#onPeerClose(now, frame);
      case "confirm":
      case "ping":
        return;
    }
  }

  #onChallenge(_now: number, frame: Frame & { type: "challenge" }): void {
    const hs = this.config.handshake;
    if (!(hs instanceof ClientHandshake) || !hs.onChallenge(frame)) return;
    this.remoteCid = hs.serverCid;
    if (this.isDataSender) this.#startDiscovery(frame.maxDatagramBytes);
    this.#established = true;
    this.emit({ kind: "established" });
  }

  #onAck(now: number, frame: AckFrame): void {
    const largest = frame.ranges[0]?.last ?? -1;
    if (largest >= this.nextPacketNumber) {
      return this.#violation(now, `Acknowledgement of packet ${largest}, never sent`);
    }
    const { acked, lost } = this.recovery.onAck(now, frame);
    for (const packet of acked) {
      for (const d of packet.content.data) this.send?.onAcked(d.offset, d.length);
      if (this.config.handshake instanceof ClientHandshake) {
        this.config.handshake.onAcked(packet.content);
      }
    }
    if (this.mtu !== null) {
      // Acknowledged before lost: a large packet acknowledged in this frame clears the suspicion.
      this.mtu.onDelivered(acked, []);
      this.mtu.onAck(now, frame.ranges);
      this.#syncDatagramBytes();
    }
    this.onLost(lost);
    if (
      this.send !== null && acked.length > 0 && now - this.#lastProgress >= PROGRESS_INTERVAL_MS
    ) {
      this.#lastProgress = now;
      this.emit({ kind: "progress", offset: this.send.ackedOffset });
    }
  }

  /** Hands the content of lost packets back for retransmission. */
  onLost(lost: SentPacket[]): void {
    for (const packet of lost) {
      this.stats.packetsLost++;
      for (const d of packet.content.data) this.send?.onLost(d.offset, d.length);
      if (this.config.handshake instanceof ClientHandshake) {
        this.config.handshake.onLost(packet.content);
      }
    }
    if (this.mtu !== null && lost.length > 0) {
      this.mtu.onDelivered([], lost);
      this.#syncDatagramBytes();
    }
  }

  /** Starts the data sender's path MTU search, up to what both sides and the interface allow. */
  #startDiscovery(peerMaxDatagramBytes: number): void {
    this.mtu = new MtuDiscovery(searchBound({
      local: this.config.maxDatagramBytes,
      peer: peerMaxDatagramBytes,
      interfaceBytes: this.config.interfaceDatagramBytes,
    }));
  }

  /** Tells recovery (window, pacer) of a new datagram size; safe at any time, data in flight. */
  #syncDatagramBytes(): void {
    if (this.recovery.datagramBytes !== this.datagramBytes) {
      this.recovery.setDatagramBytes(this.datagramBytes);
    }
  }

  #onPeerClose(now: number, frame: CloseFrame): void {
    if (this.phase !== "open") {
      if (this.closing.onPeerCloseAfterOpen()) this.#toClosed();
      return;
    }
    const code = closeCodeFromWire(frame.code);
    if (code === "NO_ERROR") this.#checkCompletion(now);
    if (code !== "NO_ERROR" || !this.#completed) {
      const failure = code === "NO_ERROR" ? "PROTOCOL_VIOLATION" : code;
      const message = frame.reason || `Peer closed with ${code}`;
      this.emit({ kind: "failed", code: failure, message, remote: true });
    }
    // Answer with the code as understood: an unknown number is echoed as UNKNOWN_ERROR's.
    this.closing.startDraining(now, closeCodeToWire(code), this.#pto());
    this.#syncCloseTimer();
  }

  #violation(now: number, message: string): void {
    this.fail(now, "PROTOCOL_VIOLATION", message, { notifyPeer: true });
  }

  #checkCompletion(now: number): void {
    if (this.#completed || !this.#established || this.phase !== "open") return;
    const done = this.send !== null ? this.send.allAcked : this.recv!.complete;
    if (!done) return;
    this.#completed = true;
    if (this.send !== null) this.emit({ kind: "progress", offset: this.send.ackedOffset });
    this.emit({ kind: "completed" });
    if (this.send !== null) this.#startClosing(now, "NO_ERROR", "");
  }

  #startClosing(now: number, code: CloseCode, reason: string): void {
    this.closing.startClosing(now, code, reason, this.#pto());
    this.#syncCloseTimer();
  }

  #onCloseTimer(now: number): void {
    if (this.closing.onDeadline(now, this.#pto())) return this.#toClosed();
    this.#syncCloseTimer();
  }

  #syncCloseTimer(): void {
    this.timers.clear();
    this.timers.set("close", this.closing.deadline);
  }

  #pto(): number {
    return this.recovery.rtt.pto(MAX_ACK_DELAY_MS);
  }

  #onIdle(now: number): void {
    if (this.phase === "open" && !this.#completed) {
      return this.fail(now, "IDLE_TIMEOUT", "Peer silent too long", { notifyPeer: false });
    }
    this.#toClosed();
  }

  #toClosed(): void {
    if (this.phase === "closed") return;
    this.closing.markClosed();
    this.timers.clear();
    this.emit({ kind: "closed" });
  }

  #touch(now: number): void {
    this.timers.set("idle", now + (this.config.transport.idleTimeoutMs ?? IDLE_TIMEOUT_MS));
  }
}
