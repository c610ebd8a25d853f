/**
 * Which packet numbers of the peer were already accepted: a sliding window, as IPsec and DTLS
 * keep. A number seen before, or more than {@linkcode REPLAY_WINDOW_PACKETS} below the largest
 * accepted, is a replay (or too late to matter: the sender gave it up for lost long ago).
 *
 * @module
 */

/**
 * Packets below the largest accepted that may still arrive, reordered. Far more than any
 * reordering loss detection tolerates (3 packets), so nothing genuine is refused.
 */
export const REPLAY_WINDOW_PACKETS = 4096;

const WORDS = REPLAY_WINDOW_PACKETS / 32;

/**
 * The accepted packet numbers of one direction. Check with {@linkcode isFresh} before opening a
 * packet; {@linkcode accept} only what opened.
 *
 * @example
 * ```ts
 * const window = new ReplayWindow();
 * window.accept(5);
 * window.isFresh(5); // false
 * window.isFresh(4); // true
 * ```
 */
export class ReplayWindow {
  /** Bit `n % REPLAY_WINDOW_PACKETS` is set when `n` (within the window) was accepted. */
  readonly #bits = new Uint32Array(WORDS);
  #largest = -1;

  /** Whether `number` was never accepted and is within the window. */
  isFresh(number: number): boolean {
    if (number > this.#largest) return true;
    if (number <= this.#largest - REPLAY_WINDOW_PACKETS) return false;
    return !this.#has(number);
  }

  /** Records `number` as accepted; the caller checked {@linkcode isFresh}. */
  accept(number: number): void {
    if (number > this.#largest) {
      // Numbers between the old largest and this one were not seen: clear their bits.
      const gap = number - this.#largest;
      if (gap >= REPLAY_WINDOW_PACKETS || this.#largest < 0) this.#bits.fill(0);
      else for (let n = this.#largest + 1; n < number; n++) this.#set(n, false);
      this.#largest = number;
    }
    this.#set(number, true);
  }

  #has(number: number): boolean {
    const bit = number % REPLAY_WINDOW_PACKETS;
    return (this.#bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  #set(number: number, on: boolean): void {
    const bit = number % REPLAY_WINDOW_PACKETS;
    const mask = 1 << (bit & 31);
    if (on) this.#bits[bit >>> 5]! |= mask;
    else this.#bits[bit >>> 5]! &= ~mask;
  }
}
