/**
 * A rate-based controller in the manner of BBR (v1): it estimates the bottleneck bandwidth as
 * the windowed maximum of delivery-rate samples and the propagation delay as the minimum RTT,
 * paces at a gain times that bandwidth and caps the window at 1.5 bandwidth-delay products.
 *
 * Random loss is not treated as congestion: a lost packet does not shrink the window. What
 * bounds the rate is the measured delivery rate, which counts only delivered bytes. So that
 * heavy random loss does not drag that estimate down round after round, samples taken while
 * the RTT shows no standing queue are scaled by 1 / (1 - loss ratio) (loss ratio capped at
 * {@linkcode BBR_MAX_LOSS_COMPENSATION}); loss seen with a queue (the RTT up by a quarter) is
 * taken at face value, because that is what a full bottleneck buffer looks like; such loss also
 * ends startup and cuts a probing phase short.
 *
 * Some bottlenecks drop without showing a queue: a receiver's socket buffer, 212,992 B by default
 * on Linux (Deno has no option to raise it), overflows in well under a millisecond. So the window
 * never exceeds the BDP by more than what half the receiver's buffer holds (as it announced it,
 * see `setReceiverBuffer`; at most `MAX_RECEIVER_ALLOWANCE_BYTES`), and the window terms that do
 * not scale with the BDP (initial, minimum, quantization) are in datagrams that fit there: RFC
 * 9002's initial window (two datagrams of 7,360 B or more) rather than ten of them.
 *
 * @module
 */
import {
  type AckSample,
  type CongestionController,
  INITIAL_WINDOW_DATAGRAMS,
  type LossSample,
  MIN_WINDOW_DATAGRAMS,
} from "./congestion.ts";
import { halfBufferDatagrams, RECEIVER_BUFFER_BYTES } from "../connection/transport_options.ts";

/** Startup pacing and window gain, 2/ln 2. */
export const BBR_HIGH_GAIN = 2.885;
/** Pacing gains of the probe-bandwidth cycle, one phase per minimum RTT. */
export const BBR_CYCLE_GAINS: readonly number[] = [1.25, 0.75, 1, 1, 1, 1, 1, 1];
/** Window gain in steady state. */
export const BBR_CWND_GAIN = 1.5;
/** Rounds over which the bandwidth maximum is kept. */
export const BBR_BW_WINDOW_ROUNDS = 10;
/** Startup ends when bandwidth grew less than this factor for {@linkcode BBR_FULL_BW_ROUNDS}. */
export const BBR_FULL_BW_GROWTH = 1.25;
/** Rounds without enough growth that mean the pipe is full. */
export const BBR_FULL_BW_ROUNDS = 3;
/** Largest loss ratio the bandwidth samples are compensated for. */
export const BBR_MAX_LOSS_COMPENSATION = 0.4;
/** Latest RTT over min RTT below which the path is taken to have no standing queue. */
export const BBR_QUEUE_FREE_RTT_RATIO = 1.25;
/** Initial-window floor of RFC 9002 §7.2, in bytes: min(10 × size, max(14,720, 2 × size)). */
export const INITIAL_WINDOW_FLOOR_BYTES = 14_720;

type BbrState = "startup" | "drain" | "probe_bw";

/**
 * BBR-style congestion controller; rates are in bytes per ms.
 *
 * @example
 * ```ts
 * const cc = new BbrController(1200);
 * cc.state; // "startup"
 * ```
 */
export class BbrController implements CongestionController {
  readonly name = "bbr";
  #state: BbrState = "startup";
  #filter: { round: number; bw: number }[] = [];
  #round = 0;
  #delivered = 0;
  #nextRoundDelivered = 0;
  #fullBw = 0;
  #fullBwCount = 0;
  #filledPipe = false;
  #cycleIndex = 0;
  #cycleStart = 0;
  #minRtt = Infinity;
  #latestRtt = 0;
  #cwnd: number;
  #pacingRate = 0;
  #lossRatio = 0;
  #roundAcked = 0;
  #roundLost = 0;
  #mss: number;
  #receiverBuffer = RECEIVER_BUFFER_BYTES;

  /** Creates a controller for datagrams of `datagramBytes`. */
  constructor(datagramBytes: number) {
    if (!(datagramBytes > 0)) {
      throw new RangeError("Cannot create BBR: datagram size must be positive");
    }
    this.#mss = datagramBytes;
    this.#cwnd = initialWindow(datagramBytes);
  }

  /** Current mode: startup, drain or probe_bw. */
  get state(): BbrState {
    return this.#state;
  }

  /** Bottleneck bandwidth estimate in bytes per ms (0 before the first sample). */
  get bandwidth(): number {
    return this.#filter[0]?.bw ?? 0;
  }

  /** Smoothed ratio of lost to sent bytes per round. */
  get lossRatio(): number {
    return this.#lossRatio;
  }

  onPacketSent(_now: number, _bytes: number, _bytesInFlight: number): void {}

  onAck(now: number, sample: AckSample): void {
    this.#delivered += sample.ackedBytes;
    this.#roundAcked += sample.ackedBytes;
    this.#minRtt = sample.minRttMs;
    this.#latestRtt = sample.latestRttMs;
    const rate = sample.rate;
    let roundStart = false;
    if (rate !== null && rate.priorDelivered >= this.#nextRoundDelivered) {
      this.#nextRoundDelivered = this.#delivered;
      this.#round++;
      roundStart = true;
      this.#endLossRound();
    }
    if (rate !== null) {
      let bw = rate.bytesPerMs;
      if (sample.latestRttMs <= this.#minRtt * BBR_QUEUE_FREE_RTT_RATIO) {
        bw /= 1 - Math.min(this.#lossRatio, BBR_MAX_LOSS_COMPENSATION);
      }
      if (!rate.appLimited || bw >= this.bandwidth) this.#addBandwidth(bw);
      if (roundStart && !this.#filledPipe && !rate.appLimited) this.#checkFullPipe();
    }
    this.#advanceState(now, sample.bytesInFlight);
    this.#updateWindow(sample.ackedBytes);
    this.#updatePacingRate(sample.smoothedRttMs);
  }

  onLoss(now: number, sample: LossSample): void {
    this.#roundLost += sample.lostBytes;
    // Loss while a queue stands is the bottleneck buffer overflowing: stop pushing harder.
    if (this.#latestRtt <= this.#minRtt * BBR_QUEUE_FREE_RTT_RATIO) return;
    if (this.#state === "startup") {
      this.#filledPipe = true;
      this.#state = "drain";
    } else if (this.#state === "probe_bw" && BBR_CYCLE_GAINS[this.#cycleIndex]! > 1) {
      this.#cycleIndex++;
      this.#cycleStart = now;
    }
  }

  congestionWindow(): number {
    return this.#cwnd;
  }

  setDatagramBytes(bytes: number): void {
    if (!(bytes > 0)) throw new RangeError("Cannot use datagram size: must be positive");
    this.#mss = bytes;
    // At once, not at the next ACK: with nothing in flight no ACK may come to grow a window
    // now smaller than one datagram.
    this.#cwnd = Math.max(
      this.#cwnd,
      bufferBound(MIN_WINDOW_DATAGRAMS, bytes, this.#receiverBuffer),
    );
  }

  setReceiverBuffer(bytes: number): void {
    if (!(bytes > 0)) throw new RangeError("Cannot use receive buffer: must be positive");
    this.#receiverBuffer = bytes;
  }

  pacingRate(smoothedRttMs: number): number {
    if (this.#pacingRate === 0) this.#updatePacingRate(smoothedRttMs);
    return this.#pacingRate;
  }

  #bdp(): number {
    const bw = this.bandwidth;
    if (bw === 0 || !Number.isFinite(this.#minRtt)) return initialWindow(this.#mss);
    return bw * this.#minRtt;
  }

  #gains(): { pacing: number; cwnd: number } {
    if (this.#state === "startup") return { pacing: BBR_HIGH_GAIN, cwnd: BBR_HIGH_GAIN };
    if (this.#state === "drain") return { pacing: 1 / BBR_HIGH_GAIN, cwnd: BBR_HIGH_GAIN };
    return { pacing: BBR_CYCLE_GAINS[this.#cycleIndex]!, cwnd: BBR_CWND_GAIN };
  }

  #addBandwidth(bw: number): void {
    const f = this.#filter;
    while (f.length > 0 && f[f.length - 1]!.bw <= bw) f.pop();
    f.push({ round: this.#round, bw });
    while (f.length > 1 && f[0]!.round <= this.#round - BBR_BW_WINDOW_ROUNDS) f.shift();
  }

  #checkFullPipe(): void {
    if (this.bandwidth >= this.#fullBw * BBR_FULL_BW_GROWTH) {
      this.#fullBw = this.bandwidth;
      this.#fullBwCount = 0;
      return;
    }
    if (++this.#fullBwCount >= BBR_FULL_BW_ROUNDS) this.#filledPipe = true;
  }

  #endLossRound(): void {
    const total = this.#roundAcked + this.#roundLost;
    if (total > 0) {
      this.#lossRatio = 0.75 * this.#lossRatio + 0.25 * (this.#roundLost / total);
    }
    this.#roundAcked = 0;
    this.#roundLost = 0;
  }

  #advanceState(now: number, bytesInFlight: number): void {
    if (this.#state === "startup" && this.#filledPipe) this.#state = "drain";
    if (this.#state === "drain" && bytesInFlight <= this.#bdp()) {
      this.#state = "probe_bw";
      this.#cycleIndex = 2;
      this.#cycleStart = now;
      return;
    }
    if (this.#state === "probe_bw" && now - this.#cycleStart > this.#minRtt) {
      this.#cycleIndex = (this.#cycleIndex + 1) % BBR_CYCLE_GAINS.length;
      this.#cycleStart = now;
    }
  }

  #updateWindow(ackedBytes: number): void {
    const bdp = this.#bdp();
    // On a fast path the receiver's event loop, not the wire, sets most of the RTT: it drains
    // its socket in bursts, and acknowledges in bursts. A window of the BDP from the minimum RTT
    // would stall between them, so the window also holds what half the receiver's socket buffer
    // takes, where such a burst waits without loss.
    const target = this.#gains().cwnd * bdp + receiverAllowance(this.#mss, this.#receiverBuffer);
    if (this.#filledPipe) {
      this.#cwnd = Math.min(this.#cwnd + ackedBytes, target);
    } else if (this.#cwnd < target || this.#delivered < initialWindow(this.#mss)) {
      this.#cwnd += ackedBytes;
    }
    // What the window holds beyond the BDP queues at the bottleneck, on these paths a socket
    // buffer that drops silently and adds too little delay for the RTT to show it: keep that
    // queue within half of one.
    const ceiling = bdp + receiverAllowance(this.#mss, this.#receiverBuffer);
    this.#cwnd = Math.min(this.#cwnd, ceiling);
    this.#cwnd = Math.max(
      this.#cwnd,
      bufferBound(MIN_WINDOW_DATAGRAMS, this.#mss, this.#receiverBuffer),
    );
  }

  #updatePacingRate(smoothedRttMs: number): void {
    const gain = this.#gains().pacing;
    const bw = this.bandwidth;
    const rate = bw > 0
      ? gain * bw
      : BBR_HIGH_GAIN * initialWindow(this.#mss) / Math.max(smoothedRttMs, 0.001);
    // Before the pipe is full the rate only grows, so one slow sample cannot stall startup.
    if (this.#filledPipe || rate > this.#pacingRate) this.#pacingRate = rate;
  }
}

/** RFC 9002's initial window for datagrams of `mss` bytes. */
function initialWindow(mss: number): number {
  return Math.min(INITIAL_WINDOW_DATAGRAMS * mss, Math.max(INITIAL_WINDOW_FLOOR_BYTES, 2 * mss));
}

/** What half a receive buffer of `buffer` bytes holds of datagrams of `mss` bytes (two at least). */
function receiverAllowance(mss: number, buffer: number): number {
  return Math.max(halfBufferDatagrams(mss, buffer), 2) * mss;
}

/**
 * `datagrams` datagrams of `mss` bytes, at most what half a receive buffer of `buffer` bytes
 * holds, at least two.
 */
function bufferBound(datagrams: number, mss: number, buffer: number): number {
  return Math.max(2, Math.min(datagrams, halfBufferDatagrams(mss, buffer))) * mss;
}
