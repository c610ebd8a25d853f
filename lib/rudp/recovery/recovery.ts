/**
 * The sender's half of reliability: packets in flight, RTT, loss detection, congestion
 * control, delivery-rate sampling and pacing, behind one small surface the connection drives.
 *
 * @module
 */
import { MAX_ACK_DELAY_MS } from "./ack_manager.ts";
import { BbrController } from "./bbr.ts";
import type { CongestionController } from "./congestion.ts";
import { DeliveryRate } from "./delivery_rate.ts";
import type { AckFrame } from "../wire/frame.ts";
import { LossDetection, type Retransmittable, type SentPacket } from "./loss_detection.ts";
import { Pacer, type PacerOptions } from "./pacer.ts";
import { initialRtt, RttEstimator } from "./rtt.ts";
import { peerReceiveBuffer } from "../connection/transport_options.ts";

/** Builds a congestion controller for datagrams of the given size. */
export type CongestionFactory = (datagramBytes: number) => CongestionController;

/** The default controller: {@linkcode BbrController}. */
export const defaultCongestion: CongestionFactory = (bytes) => new BbrController(bytes);

/** Why data may not be sent now. */
export type SendGate = "ok" | "congestion" | "pacing";

/** Acked and lost packets from one input. */
export interface RecoveryOutcome {
  acked: SentPacket[];
  lost: SentPacket[];
}

/**
 * Loss recovery and congestion control for one connection.
 *
 * @example
 * ```ts
 * const recovery = new Recovery(1200);
 * recovery.sendGate(0, 1200); // "ok"
 * ```
 */
export class Recovery {
  readonly rtt: RttEstimator;
  readonly loss: LossDetection;
  readonly rate = new DeliveryRate();
  cc: CongestionController;
  #pacer: Pacer;
  #datagramBytes: number;
  #factory: CongestionFactory;

  /** Creates recovery for datagrams of `datagramBytes`. */
  constructor(
    datagramBytes: number,
    options: { congestion?: CongestionFactory; pacer?: PacerOptions; initialRttMs?: number } = {},
  ) {
    this.rtt = new RttEstimator(initialRtt(options.initialRttMs));
    this.loss = new LossDetection(this.rtt);
    this.#factory = options.congestion ?? defaultCongestion;
    this.#datagramBytes = datagramBytes;
    this.cc = this.#factory(datagramBytes);
    this.#pacer = new Pacer(options.pacer);
  }

  /** The datagram size the window and the pacer count in, bytes. */
  get datagramBytes(): number {
    return this.#datagramBytes;
  }

  /**
   * Switches to a new datagram size (path MTU discovery found one, or a black hole took it
   * away); safe at any time, with packets of the old size in flight: they are tracked by their
   * own size, and the controller keeps its state, counted in bytes.
   */
  setDatagramBytes(bytes: number): void {
    this.#datagramBytes = bytes;
    this.cc.setDatagramBytes?.(bytes);
  }

  /**
   * The peer announced how much its socket's receive buffer holds (bytes, taken within
   * `peerReceiveBuffer`'s bounds): bursts and what the window runs ahead of the path keep within
   * half of it.
   */
  setPeerReceiveBuffer(announced: number): void {
    const bytes = peerReceiveBuffer(announced);
    this.#pacer.setReceiverBuffer(bytes);
    this.cc.setReceiverBuffer?.(bytes);
  }

  /** Records a sent packet. */
  onSent(
    now: number,
    number: number,
    bytes: number,
    ackEliciting: boolean,
    content: Retransmittable,
  ): void {
    if (!ackEliciting) return; // Nothing to recover: ack-only packets are not tracked.
    const paced = !this.#withinOneBurst(bytes);
    const delivery = this.rate.onSend(now, this.loss.bytesInFlight);
    this.loss.onSent({ number, sentTime: now, bytes, ackEliciting, content, delivery });
    this.cc.onPacketSent(now, bytes, this.loss.bytesInFlight);
    if (paced) this.#pacer.onSend(now, bytes, this.#pacingRate(), this.#datagramBytes);
  }

  /** Processes an ack frame. A frame that newly acknowledges nothing does nothing at all. */
  onAck(now: number, frame: AckFrame): RecoveryOutcome {
    const ackDelayMs = Math.min(frame.ackDelayMicros / 1000, MAX_ACK_DELAY_MS);
    const { acked, lost } = this.loss.onAck(now, frame.ranges, ackDelayMs);
    if (acked.length === 0) return { acked, lost };
    let ackedBytes = 0;
    for (const p of acked) {
      this.rate.onAcked(now, p.delivery, p.sentTime, p.bytes);
      ackedBytes += p.bytes;
    }
    this.cc.onAck(now, {
      ackedBytes,
      largestAckedSentTime: acked[0]!.sentTime,
      rate: this.rate.takeSample(this.rtt.min),
      minRttMs: this.rtt.min,
      smoothedRttMs: this.rtt.smoothed,
      latestRttMs: this.rtt.latest,
      bytesInFlight: this.loss.bytesInFlight,
    });
    this.#reportLost(now, lost);
    return { acked, lost };
  }

  /** Runs time-threshold loss detection; call when {@linkcode lossTime} passed. */
  onLossTimeout(now: number): SentPacket[] {
    const lost = this.loss.detectLost(now);
    this.#reportLost(now, lost);
    return lost;
  }

  /** Earliest time-threshold loss deadline, or null. */
  get lossTime(): number | null {
    return this.loss.lossTime;
  }

  /** PTO deadline (see {@linkcode LossDetection.ptoDeadline}). */
  ptoDeadline(armWhenIdle: boolean, maxIntervalMs?: number): number | null {
    return this.loss.ptoDeadline(MAX_ACK_DELAY_MS, armWhenIdle, maxIntervalMs);
  }

  /** Whether a data packet of `bytes` may leave at `now`. */
  sendGate(now: number, bytes: number): SendGate {
    if (this.loss.bytesInFlight + bytes > this.cc.congestionWindow()) return "congestion";
    if (this.#withinOneBurst(bytes)) return "ok";
    const rate = this.#pacingRate();
    return this.#pacer.canSend(now, bytes, rate, this.#datagramBytes) ? "ok" : "pacing";
  }

  /** When the pacer will let `bytes` leave. */
  nextSendTime(now: number, bytes: number): number {
    return this.#pacer.nextSendTime(now, bytes, this.#pacingRate(), this.#datagramBytes);
  }

  /**
   * Whether `bytes` more keep everything in flight within one pacer burst. Pacing spreads a
   * window so that it does not land on the bottleneck at once; a window this small may land at
   * once, and pacing it would only cap a path with no delay (loopback) at the rate it measured.
   * Such sends take no tokens, so they leave no debt to be paid at the pacing rate.
   */
  #withinOneBurst(bytes: number): boolean {
    return this.loss.bytesInFlight + bytes <= this.#pacer.burstCap(this.#datagramBytes);
  }

  #pacingRate(): number {
    return this.cc.pacingRate(this.rtt.smoothed);
  }

  #reportLost(now: number, lost: SentPacket[]): void {
    let lostBytes = 0;
    for (const p of lost) lostBytes += p.bytes;
    if (lostBytes === 0) return;
    this.cc.onLoss(now, {
      lostBytes,
      largestLostSentTime: lost[lost.length - 1]!.sentTime,
      bytesInFlight: this.loss.bytesInFlight,
    });
  }
}
