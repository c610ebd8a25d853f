/**
 * Path MTU discovery for the data sender, in the manner of DPLPMTUD (RFC 8899): the largest
 * datagram the path carries whole is found by sending probes and counting only what the peer
 * acknowledges. Nothing depends on IP fragmentation or on ICMP.
 *
 * - **Start.** The sender uses {@linkcode PMTU_BASE_BYTES}, which any path carries, and searches
 *   upward within a bound: the smallest of our configured limit, the peer's advertised limit, the
 *   local interface's MTU less the IP and UDP headers (where the OS tells it), and
 *   {@linkcode PMTU_PREFERRED_MAX_BYTES} (see {@linkcode searchBound}).
 * - **Probes.** A probe is a ping padded to the size being tried: it carries no file data, so a
 *   lost probe loses nothing. Probes are not tracked by loss recovery: their loss is no congestion
 *   signal, no packet loss in the statistics, and nothing is retransmitted. One probe is in flight
 *   at a time; it is lost when a packet sent {@linkcode PACKET_THRESHOLD} later is acknowledged
 *   first, or when its timer (one probe timeout of the connection) expires. A size is given up
 *   after {@linkcode PMTU_MAX_PROBES} lost probes in a row.
 * - **Search order.** With `low` the largest size acknowledged and `high` the smallest given up:
 *   first the bound itself (a path as large as the local interface is the common case, and one
 *   probe confirms it); then the largest of {@linkcode PMTU_COMMON_SIZES} between them; then, just
 *   above a confirmed common size, that size plus {@linkcode PMTU_SEARCH_GRANULARITY_BYTES} (a
 *   path is usually exactly a common size, and one failed size settles it); otherwise the
 *   midpoint. The search is complete when `high - low` is at most the granularity.
 * - **Raise timer.** A complete search below the bound starts again upward after
 *   {@linkcode PMTU_RAISE_INTERVAL_MS}, in case the path grew.
 * - **Black holes.** When {@linkcode PMTU_BLACK_HOLE_LOSSES} packets larger than the base size
 *   (and no larger than the current size) are lost with no larger packet acknowledged meanwhile,
 *   while a packet of at most the base size is acknowledged (the connection sends its
 *   probe-timeout probes at the base size for this), the path has shrunk: the size drops to the
 *   base and the search starts again.
 *
 * @module
 */
import { DEFAULT_DATAGRAM_BYTES } from "../connection/transport_options.ts";
import { PACKET_THRESHOLD } from "./loss_detection.ts";
import type { PacketRange } from "../wire/frame.ts";

/** The size every path carries and the search starts from, in bytes (QUIC's minimum). */
export const PMTU_BASE_BYTES = DEFAULT_DATAGRAM_BYTES;
/**
 * Largest size worth searching for, in bytes. The receiver's kernel buffer
 * (`RECEIVER_BUFFER_BYTES`, 212,992 B) holds 6 datagrams of 32 KiB but only 3 of 64 KiB, and
 * 32 KiB was the fastest size on loopback in the benchmark's sweeps: larger datagrams do not pay.
 */
export const PMTU_PREFERRED_MAX_BYTES = 32_768;
/** Lost probes in a row after which a size is given up. */
export const PMTU_MAX_PROBES = 3;
/** A search ends when the largest confirmed and the smallest failed size are this close, in bytes. */
export const PMTU_SEARCH_GRANULARITY_BYTES = 32;
/** After a search that stopped below the bound, it starts again upward after this long, in ms. */
export const PMTU_RAISE_INTERVAL_MS = 600_000;
/** Larger packets lost in a row, while a base-size one gets through, that make a black hole. */
export const PMTU_BLACK_HOLE_LOSSES = 3;
/**
 * UDP payloads of common link MTUs, tried before bisecting, largest first: 9,000-byte jumbo frames
 * and 1,500-byte Ethernet, each less the IPv4 (20 B) or IPv6 (40 B) header and UDP's 8 bytes.
 */
export const PMTU_COMMON_SIZES: readonly number[] = [8972, 8952, 1472, 1452];

/** The limits the search bound is the smallest of; see {@linkcode searchBound}. */
export interface BoundSources {
  /** Our configured largest datagram, bytes. */
  local: number;
  /** The largest datagram the peer said it accepts, bytes. */
  peer: number;
  /** The local interface's MTU less IP and UDP headers, or null when unknown. */
  interfaceBytes?: number | null | undefined;
}

/** The upper bound of the search: never below the base size. */
export function searchBound(sources: BoundSources): number {
  const bound = Math.min(
    sources.local,
    sources.peer,
    sources.interfaceBytes ?? Infinity,
    PMTU_PREFERRED_MAX_BYTES,
  );
  return Number.isFinite(bound) ? Math.max(PMTU_BASE_BYTES, Math.floor(bound)) : PMTU_BASE_BYTES;
}

/** A packet's fate as the black-hole detector needs it: its datagram size. */
export interface SizedPacket {
  bytes: number;
}

interface Probe {
  number: number;
  bytes: number;
  deadline: number;
}

/**
 * The search state machine; sans-IO, fed `now`. The connection asks {@linkcode probeSize},
 * sends a probe of that size and reports it ({@linkcode onProbeSent}), feeds every ACK frame
 * ({@linkcode onAck}) and the fate of its ordinary packets ({@linkcode onDelivered}), and runs
 * {@linkcode onTimeout} at {@linkcode deadline}. {@linkcode current} is the size to send.
 *
 * @example
 * ```ts
 * const mtu = new MtuDiscovery(1472);
 * mtu.probeSize(); // 1472: the bound first
 * mtu.onProbeSent(0, 5, 1472, 100);
 * mtu.onAck(10, [{ first: 5, last: 5 }]);
 * mtu.current; // 1472
 * ```
 */
export class MtuDiscovery {
  /** Probes sent. */
  probesSent = 0;
  /** Probes lost (not counted as packet loss anywhere else). */
  probesLost = 0;
  /** Black holes detected. */
  blackHoles = 0;
  readonly #bound: number;
  #low = PMTU_BASE_BYTES;
  #high: number;
  #failures = 0;
  #probe: Probe | null = null;
  #raiseAt: number | null = null;
  #largeLost = 0;
  #smallAcked = false;

  /** Starts a search from the base size up to `bound` bytes (see {@linkcode searchBound}). */
  constructor(bound: number) {
    if (!Number.isInteger(bound) || bound < PMTU_BASE_BYTES) {
      throw new RangeError(`Cannot search path MTU up to ${bound}: below ${PMTU_BASE_BYTES}`);
    }
    this.#bound = bound;
    this.#high = bound + 1;
  }

  /** The datagram size to send now: the largest size the peer acknowledged. */
  get current(): number {
    return this.#low;
  }

  /** The search's upper bound, bytes. */
  get bound(): number {
    return this.#bound;
  }

  /** Whether the search ended (until the raise timer or a black hole starts it again). */
  get complete(): boolean {
    return this.#nextSize() === null;
  }

  /** When {@linkcode onTimeout} is wanted: the probe's timer, or the raise timer; or null. */
  get deadline(): number | null {
    return this.#probe?.deadline ?? this.#raiseAt;
  }

  /** The size of the probe to send now, or null (one in flight, or the search is complete). */
  probeSize(): number | null {
    return this.#probe === null ? this.#nextSize() : null;
  }

  /** A probe of `bytes` went out as packet `number` at `now`; it is lost after `timeoutMs`. */
  onProbeSent(now: number, number: number, bytes: number, timeoutMs: number): void {
    this.#probe = { number, bytes, deadline: now + timeoutMs };
    this.probesSent++;
  }

  /** An ACK frame's `ranges` (descending) arrived at `now`; returns whether the size changed. */
  onAck(now: number, ranges: readonly PacketRange[]): boolean {
    const probe = this.#probe;
    if (probe === null) return false;
    if (ranges.some((r) => r.first <= probe.number && probe.number <= r.last)) {
      this.#probe = null;
      this.#failures = 0;
      this.#low = probe.bytes;
      this.#settle(now);
      return true;
    }
    const largest = ranges[0]?.last ?? -1;
    if (largest >= probe.number + PACKET_THRESHOLD) this.#onProbeLost(now);
    return false;
  }

  /** Runs the probe or raise timer due at `now`. */
  onTimeout(now: number): void {
    if (this.#probe !== null) {
      if (now >= this.#probe.deadline) this.#onProbeLost(now);
      return;
    }
    if (this.#raiseAt !== null && now >= this.#raiseAt) {
      this.#raiseAt = null;
      this.#high = this.#bound + 1; // forget what failed: the path may have grown
    }
  }

  /**
   * Ordinary packets (never probes) were acknowledged or declared lost; returns whether a black
   * hole was detected (the size dropped to the base).
   */
  onDelivered(acked: readonly SizedPacket[], lost: readonly SizedPacket[]): boolean {
    if (this.#low <= PMTU_BASE_BYTES) return false;
    if (acked.some((p) => p.bytes > PMTU_BASE_BYTES)) {
      // Large packets pass: whatever was lost before was not the path shrinking.
      this.#largeLost = 0;
      this.#smallAcked = false;
    } else if (acked.length > 0) {
      this.#smallAcked = true;
    }
    for (const p of lost) {
      // A packet larger than the current size was sent before a drop and says nothing of it.
      if (p.bytes > PMTU_BASE_BYTES && p.bytes <= this.#low) this.#largeLost++;
    }
    if (this.#largeLost < PMTU_BLACK_HOLE_LOSSES || !this.#smallAcked) return false;
    this.blackHoles++;
    this.#restart();
    return true;
  }

  #onProbeLost(now: number): void {
    const probe = this.#probe!;
    this.#probe = null;
    this.probesLost++;
    if (++this.#failures >= PMTU_MAX_PROBES) {
      this.#failures = 0;
      this.#high = probe.bytes;
    }
    this.#settle(now);
  }

  /** Back at the base size with everything forgotten, searching from the start. */
  #restart(): void {
    this.#low = PMTU_BASE_BYTES;
    this.#high = this.#bound + 1;
    this.#failures = 0;
    this.#probe = null;
    this.#raiseAt = null;
    this.#largeLost = 0;
    this.#smallAcked = false;
  }

  /** Arms the raise timer once the search is complete below the bound. */
  #settle(now: number): void {
    if (this.#nextSize() !== null) return;
    this.#raiseAt = this.#low < this.#bound ? now + PMTU_RAISE_INTERVAL_MS : null;
  }

  /** The next size to try, in the order the module documentation gives, or null when done. */
  #nextSize(): number | null {
    const low = this.#low;
    const high = this.#high;
    if (high - low <= 1 || this.#raiseAt !== null) return null;
    if (high === this.#bound + 1) return this.#bound;
    const common = PMTU_COMMON_SIZES.find((size) => low < size && size < high);
    if (common !== undefined) return common;
    if (high - low <= PMTU_SEARCH_GRANULARITY_BYTES) return null;
    const above = low + PMTU_SEARCH_GRANULARITY_BYTES;
    if (PMTU_COMMON_SIZES.includes(low) && above < high) return above;
    return Math.floor((low + high) / 2);
  }
}
