/**
 * One end of one file transfer: the sans-IO state machine both the client and the server run.
 * It is fed decoded packets and timeouts with the current time and is drained of datagrams,
 * deadlines and events. Routing, decoding and address checks happen in front of it
 * (`ServerEndpoint`, `ClientConnection`).
 *
 * @module
 */
import { MAX_ACK_DELAY_MS } from "../recovery/ack_manager.ts";
import { type CloseCode, closeCodeFromWire, closeCodeToWire } from "../wire/close_code.ts";
import type { Phase } from "./close_state.ts";
import { snapshotStats } from "./connection_counters.ts";
import { EventQueue, MAX_QUEUED_EVENTS } from "./event_queue.ts";
import type { ConnectionStats, TransferEvent } from "./events.ts";
import { type AckFrame, type CloseFrame, type Frame, isAckEliciting } from "../wire/frame.ts";
import type { ServerHandshake } from "./handshake.ts";
import { clientHandshakeOf, serverHandshakeOf } from "./connection_config.ts";
import type { SentPacket } from "../recovery/loss_detection.ts";
import { MtuDiscovery, searchBound } from "../recovery/mtu_discovery.ts";
import { MAX_PACKET_NUMBER, type Packet } from "../wire/packet.ts";
import { describeRecvError } from "../streams/recv_stream.ts";
import { RecentLargest } from "../recovery/recent_largest.ts";
import { TIMER_NAMES, type TimerName } from "./timers.ts";
import { assemblePacket, type Assembly } from "./_transmit.ts";
import { IDLE_TIMEOUT_MS } from "./transport_options.ts";
import type { ConnectionConfig } from "./connection_config.ts";
import { onRecoveryTimer, updateTimers } from "./_connection_timers.ts";
import {
  type ConnectionState,
  datagramBytesOf,
  isDataSender,
  newConnectionState,
} from "./_state.ts";
import { type ConnectionListener, IGNORING_LISTENER } from "./connection_listener.ts";

export type { ConnectionConfig } from "./connection_config.ts";

/** Least time between two progress events, in ms. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * The transfer state machine. See `ClientConnection` and `ServerEndpoint` for the public
 * entry points; this class is shared by both.
 */
export class Connection {
  readonly #s: ConnectionState;
  readonly #events = new EventQueue();
  #lastProgress = -Infinity;
  #listener: ConnectionListener = IGNORING_LISTENER;
  /** The earliest deadline, as of the end of the last input: what pollTimeout reads. */
  #deadline: number | null = null;
  readonly #received = new RecentLargest();

  /** Creates the connection at `now`. */
  constructor(config: ConnectionConfig, now: number) {
    this.#s = newConnectionState(config);
    // The server knows both limits now (its own is already the smaller); a client, once challenged.
    if (this.isDataSender && config.role === "server") {
      this.#startDiscovery(config.maxDatagramBytes);
    }
    this.#touch(now);
    this.#settle(now, false);
  }

  /** The terms the connection was made with. */
  get config(): ConnectionConfig {
    return this.#s.config;
  }

  /**
   * Tells `listener` from now on when the deadline moves, output may be due, events arrive or
   * the connection closes. An endpoint serving many connections keeps its tables with it.
   */
  listen(listener: ConnectionListener): void {
    this.#listener = listener;
  }

  /** The size this side sends data in: the path MTU found so far, the base size at first. */
  get datagramBytes(): number {
    return datagramBytesOf(this.#s);
  }

  /** Whether this side sends the file bytes. */
  get isDataSender(): boolean {
    return isDataSender(this.#s.config);
  }

  /** Whether data may flow: the client was challenged, or the server validated the client. */
  get established(): boolean {
    return this.#s.established;
  }

  /** Whether every byte was delivered or acknowledged. */
  get completed(): boolean {
    return this.#s.completed;
  }

  /** Life-cycle phase. */
  get phase(): Phase {
    return this.#s.closing.phase;
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
    if (this.phase === "closed") return;
    try {
      this.#handlePacket(now, packet, datagramBytes);
      this.#settle(now, true);
    } catch (error) {
      this.abort(error);
    }
  }

  /** Runs whatever timers are due at `now`. Never throws (see {@linkcode abort}). */
  handleTimeout(now: number): void {
    if (this.phase === "closed") return;
    try {
      this.#handleTimeout(now);
      this.#settle(now, true);
    } catch (error) {
      this.abort(error);
    }
  }

  /**
   * The next datagram to send at `now`, or null when nothing may be sent now. Never throws
   * (see {@linkcode abort}). With `into`, the datagram is encoded into the start of that
   * buffer and returned as a view of it, valid until the buffer is used again: a driver whose
   * socket copies what it sends reuses one buffer instead of a new one per datagram.
   */
  pollTransmit(now: number, into?: Uint8Array): Uint8Array | null {
    if (this.phase === "closed") return null;
    if (this.#s.nextPacketNumber > MAX_PACKET_NUMBER) {
      this.abort(new RangeError(`Packet numbers exhausted at ${MAX_PACKET_NUMBER}`));
      return null;
    }
    try {
      const phase = this.phase;
      const bytes = this.#pollTransmit(now, into);
      // A failure while assembling (a source error) leaves a close frame to send.
      this.#settle(now, this.phase !== phase);
      return bytes;
    } catch (error) {
      this.abort(error);
      return null;
    }
  }

  /**
   * The earliest deadline (absolute ms) at which {@linkcode handleTimeout} is wanted. A read:
   * the deadlines were brought up to date at the end of the last input.
   */
  pollTimeout(): number | null {
    return this.#deadline;
  }

  /** Whether events wait to be polled. */
  get hasEvents(): boolean {
    return this.#events.length > 0;
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
      this.#emit({ kind: "failed", code: "INTERNAL_ERROR", message, remote: false });
    }
    this.#toClosed();
  }

  #handlePacket(now: number, packet: Packet, datagramBytes: number): void {
    const hs = serverHandshakeOf(this.#s.config);
    if (hs !== null) hs.onReceived(datagramBytes);
    if (packet.number > MAX_PACKET_NUMBER) {
      return this.#violation(now, `Packet number ${packet.number} is over ${MAX_PACKET_NUMBER}`);
    }
    if (this.#events.length >= MAX_QUEUED_EVENTS) {
      // The application is not taking events: treat the packet as lost (it is not
      // acknowledged, so the peer sends it again) rather than queue without bound.
      this.#s.stats.eventBacklogDrops++;
      return;
    }
    if (hs !== null && !hs.validated) this.#validate(now, hs, packet);
    const ackEliciting = packet.frames.some(isAckEliciting);
    if (!this.#s.acks.onPacket(now, packet.number, ackEliciting)) {
      this.#s.stats.duplicatePackets++;
      return;
    }
    this.#s.stats.packetsReceived++;
    this.#s.stats.bytesReceived += datagramBytes;
    this.#s.nudge?.onHeard(now);
    if (this.#s.recv !== null) this.#received.add(datagramBytes);
    this.#touch(now);
    const wasOpen = this.phase === "open";
    for (const frame of packet.frames) {
      // Once this packet ended the connection, the rest of it is not acted on.
      if (this.isClosed || (wasOpen && this.phase !== "open")) break;
      this.#onFrame(now, frame);
    }
    this.#checkCompletion(now);
  }

  #handleTimeout(now: number): void {
    for (const name of TIMER_NAMES) {
      if (this.isClosed) return;
      if (this.#s.timers.expired(name, now)) this.#onTimer(now, name);
    }
  }

  /** Handles one expired timer. Every name has its case: a new one does not compile without. */
  #onTimer(now: number, name: TimerName): void {
    switch (name) {
      case "idle":
        return this.#onIdle(now);
      case "close":
        return this.#onCloseTimer(now);
      case "recovery":
        if (this.phase === "open") this.#onRecoveryTimer(now);
        return;
      case "pmtu":
        if (this.phase === "open") this.#s.mtu?.onTimeout(now);
        return;
      case "nudge":
        if (this.phase === "open") this.#onNudgeTimer(now);
        return;
      case "ack":
        return; // An ACK is due: the transmit that follows every timeout sends it.
      case "pacing":
        return; // The pacer lets the next packet go: the transmit that follows sends it.
      default: {
        const unhandled: never = name;
        throw new TypeError(`Cannot handle timer ${unhandled}`);
      }
    }
  }

  /** The sender is silent with the file incomplete: repeat the ACK (see `receiver_nudge.ts`). */
  #onNudgeTimer(now: number): void {
    this.#s.nudge?.onNudged(now);
    this.#s.acks.repeatNow();
  }

  #onRecoveryTimer(now: number): void {
    const outcome = onRecoveryTimer(this.#s, now);
    if (outcome.kind === "lost") this.#onLost(outcome.packets);
    if (outcome.kind === "unreachable") {
      this.#fail(now, "PEER_UNREACHABLE", "No answer to probes", { notifyPeer: false });
    }
  }

  /**
   * Brings the deadlines up to date after an input and tells the listener what changed;
   * `transmit`: the input may have made a datagram due.
   */
  #settle(now: number, transmit: boolean): void {
    if (this.phase === "open") updateTimers(this.#s, now);
    const at = this.phase === "closed" ? null : this.#s.timers.earliest();
    if (at !== this.#deadline) {
      this.#deadline = at;
      this.#listener.onDeadline();
    }
    if (transmit && this.phase !== "closed") this.#listener.onTransmitReady();
  }

  #pollTransmit(now: number, into: Uint8Array | undefined): Uint8Array | null {
    let assembly: Assembly | null;
    try {
      assembly = assemblePacket(this.#s, now, into);
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "SOURCE_ERROR")) {
        throw error;
      }
      this.#fail(now, "SOURCE_ERROR", error.message, { notifyPeer: true });
      assembly = null;
    }
    if (assembly === null) return null;
    const { bytes, ackEliciting, content, number } = assembly;
    serverHandshakeOf(this.#s.config)?.onSent(bytes.length);
    // A path MTU probe is not recovery's: its loss is no congestion signal and is not resent.
    if (assembly.mtuProbe) this.#s.mtu?.onProbeSent(now, number, bytes.length, this.#pto());
    else this.#s.recovery.onSent(now, number, bytes.length, ackEliciting, content);
    this.#s.stats.packetsSent++;
    this.#s.stats.bytesSent += bytes.length;
    return bytes;
  }

  /** The next event, or null. Polling a data event frees its bytes' flow-control window. */
  pollEvent(): TransferEvent | null {
    const event = this.#events.shift();
    if (event?.kind === "data" && this.#s.recv !== null) {
      this.#s.recv.onConsumed(event.offset + event.bytes.length);
      if (this.#s.recv.windowUpdateDue && this.phase === "open") this.#listener.onTransmitReady();
    }
    return event;
  }

  /** Ends the transfer locally with `code`, telling the peer. */
  close(now: number, code: CloseCode, reason: string): void {
    if (this.phase !== "open") return;
    if (code === "NO_ERROR" && this.#s.completed) this.#startClosing(now, code, reason);
    else this.#fail(now, code, reason, { notifyPeer: true });
    this.#settle(now, true);
  }

  /** Counters and gauges. */
  snapshot(): ConnectionStats {
    return snapshotStats({
      counters: this.#s.stats,
      recovery: this.#s.recovery,
      send: this.#s.send,
      recv: this.#s.recv,
      server: serverHandshakeOf(this.#s.config),
      datagramBytes: this.#s.send !== null ? this.datagramBytes : this.#received.value,
      mtu: this.#s.mtu,
      nudge: this.#s.nudge,
    });
  }

  /** Queues an event for the driver. */
  #emit(event: TransferEvent): void {
    this.#events.push(event);
    if (this.#events.length === 1) this.#listener.onEvents();
  }

  /** Fails the transfer: reports `code`, then closes (telling the peer when asked). */
  #fail(now: number, code: CloseCode, message: string, options: { notifyPeer: boolean }): void {
    if (this.phase !== "open") return;
    this.#emit({ kind: "failed", code, message, remote: false });
    if (options.notifyPeer) this.#startClosing(now, code, message);
    else this.#toClosed();
  }

  #validate(now: number, hs: ServerHandshake, packet: Packet): void {
    for (const frame of packet.frames) {
      if (frame.type === "confirm" && hs.onConfirm(frame.nonce)) {
        // The challenge asks for no ACK, so nothing else times the path before the first data
        // is acknowledged: without this, a first flight's lost tail waits out a probe timeout
        // from the default 250 ms RTT (over 0.75 s).
        const rtt = this.#s.recovery.rtt;
        if (!rtt.hasSample && hs.challengeSentAt !== null) {
          rtt.update(Math.max(0, now - hs.challengeSentAt), 0);
        }
        this.#s.established = true;
        this.#emit({ kind: "established" });
        return;
      }
    }
  }

  #onFrame(now: number, frame: Frame): void {
    switch (frame.type) {
      case "ack":
        return this.#onAck(now, frame);
      case "data": {
        if (this.#s.recv === null) {
          return this.#violation(now, "Data frame sent to the data sender");
        }
        const result = this.#s.recv.onData(frame.offset, frame.bytes);
        if (typeof result === "string") {
          const end = frame.offset + frame.bytes.length;
          const message = `${describeRecvError(result)}: data [${frame.offset}, ${end})`;
          return this.#fail(now, result, message, { notifyPeer: true });
        }
        for (const chunk of result) {
          this.#emit({ kind: "data", offset: chunk.offset, bytes: chunk.bytes });
        }
        return;
      }
      case "max_data":
        if (this.#s.send !== null) {
          this.#s.send.maxData = Math.max(this.#s.send.maxData, frame.maximum);
        }
        return;
      case "hello":
        serverHandshakeOf(this.#s.config)?.onHello();
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
    const hs = clientHandshakeOf(this.#s.config);
    if (hs === null || !hs.onChallenge(frame)) return;
    this.#s.remoteCid = hs.serverCid;
    this.#s.recovery.setPeerReceiveBuffer(frame.receiveBufferBytes);
    if (this.isDataSender) this.#startDiscovery(frame.maxDatagramBytes);
    this.#s.established = true;
    this.#emit({ kind: "established" });
  }

  #onAck(now: number, frame: AckFrame): void {
    const largest = frame.ranges[0]?.last ?? -1;
    if (largest >= this.#s.nextPacketNumber) {
      return this.#violation(now, `Acknowledgement of packet ${largest}, never sent`);
    }
    const { acked, lost } = this.#s.recovery.onAck(now, frame);
    for (const packet of acked) {
      for (const d of packet.content.data) this.#s.send?.onAcked(d.offset, d.length);
      clientHandshakeOf(this.#s.config)?.onAcked(packet.content);
    }
    if (this.#s.mtu !== null) {
      // Acknowledged before lost: a large packet acknowledged in this frame clears the suspicion.
      this.#s.mtu.onDelivered(acked, []);
      this.#s.mtu.onAck(now, frame.ranges);
      this.#syncDatagramBytes();
    }
    this.#onLost(lost);
    if (
      this.#s.send !== null && acked.length > 0 && now - this.#lastProgress >= PROGRESS_INTERVAL_MS
    ) {
      this.#lastProgress = now;
      this.#emit({ kind: "progress", offset: this.#s.send.ackedOffset });
    }
  }

  /** Hands the content of lost packets back for retransmission. */
  #onLost(lost: SentPacket[]): void {
    for (const packet of lost) {
      this.#s.stats.packetsLost++;
      for (const d of packet.content.data) this.#s.send?.onLost(d.offset, d.length);
      clientHandshakeOf(this.#s.config)?.onLost(packet.content);
    }
    if (this.#s.mtu !== null && lost.length > 0) {
      this.#s.mtu.onDelivered([], lost);
      this.#syncDatagramBytes();
    }
  }

  /** Starts the data sender's path MTU search, up to what both sides and the interface allow. */
  #startDiscovery(peerMaxDatagramBytes: number): void {
    this.#s.mtu = new MtuDiscovery(searchBound({
      local: this.#s.config.maxDatagramBytes,
      peer: peerMaxDatagramBytes,
      interfaceBytes: this.#s.config.interfaceDatagramBytes,
    }));
  }

  /** Tells recovery (window, pacer) of a new datagram size; safe at any time, data in flight. */
  #syncDatagramBytes(): void {
    if (this.#s.recovery.datagramBytes !== this.datagramBytes) {
      this.#s.recovery.setDatagramBytes(this.datagramBytes);
    }
  }

  #onPeerClose(now: number, frame: CloseFrame): void {
    if (this.phase !== "open") {
      if (this.#s.closing.onPeerCloseAfterOpen()) this.#toClosed();
      return;
    }
    const code = closeCodeFromWire(frame.code);
    if (code === "NO_ERROR") this.#checkCompletion(now);
    if (code !== "NO_ERROR" || !this.#s.completed) {
      const failure = code === "NO_ERROR" ? "PROTOCOL_VIOLATION" : code;
      const message = frame.reason || `Peer closed with ${code}`;
      this.#emit({ kind: "failed", code: failure, message, remote: true });
    }
    // Answer with the code as understood: an unknown number is echoed as UNKNOWN_ERROR's.
    this.#s.closing.startDraining(now, closeCodeToWire(code), this.#pto());
    this.#syncCloseTimer();
  }

  #violation(now: number, message: string): void {
    this.#fail(now, "PROTOCOL_VIOLATION", message, { notifyPeer: true });
  }

  #checkCompletion(now: number): void {
    if (this.#s.completed || !this.#s.established || this.phase !== "open") return;
    const done = this.#s.send !== null ? this.#s.send.allAcked : this.#s.recv!.complete;
    if (!done) return;
    this.#s.completed = true;
    // The sender learns of completion from our ACK: it is not held back by the ACK delay.
    if (this.#s.recv !== null) this.#s.acks.ackNow();
    if (this.#s.send !== null) this.#emit({ kind: "progress", offset: this.#s.send.ackedOffset });
    this.#emit({ kind: "completed" });
    if (this.#s.send !== null) this.#startClosing(now, "NO_ERROR", "");
  }

  #startClosing(now: number, code: CloseCode, reason: string): void {
    this.#s.closing.startClosing(now, code, reason, this.#pto());
    this.#syncCloseTimer();
  }

  #onCloseTimer(now: number): void {
    if (this.#s.closing.onDeadline(now, this.#pto())) return this.#toClosed();
    this.#syncCloseTimer();
  }

  #syncCloseTimer(): void {
    this.#s.timers.clear();
    this.#s.timers.set("close", this.#s.closing.deadline);
  }

  #pto(): number {
    return this.#s.recovery.rtt.pto(MAX_ACK_DELAY_MS);
  }

  #onIdle(now: number): void {
    if (this.phase === "open" && !this.#s.completed) {
      return this.#fail(now, "IDLE_TIMEOUT", "Peer silent too long", { notifyPeer: false });
    }
    this.#toClosed();
  }

  #toClosed(): void {
    if (this.phase === "closed") return;
    this.#s.closing.markClosed();
    this.#s.timers.clear();
    this.#deadline = null;
    this.#emit({ kind: "closed" });
    this.#listener.onClosed();
  }

  #touch(now: number): void {
    this.#s.heardAt = now;
    this.#s.timers.set("idle", now + (this.#s.config.transport.idleTimeoutMs ?? IDLE_TIMEOUT_MS));
  }
}
