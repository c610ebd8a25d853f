/**
 * The largest of the recent values of a stream, in O(1): what the data receiver reports as the
 * datagram size in use, since it cannot know the sender's path MTU but sees its full packets.
 *
 * @module
 */

/** Values per half of the window: the largest of the last 32 to 64 values is kept. */
export const RECENT_LARGEST_HALF_WINDOW = 32;

/**
 * Largest of the last {@linkcode RECENT_LARGEST_HALF_WINDOW} to twice that many values.
 *
 * @example
 * ```ts
 * const recent = new RecentLargest();
 * recent.add(1472);
 * recent.add(80);
 * recent.value; // 1472
 * ```
 */
export class RecentLargest {
  #current = 0;
  #previous = 0;
  #count = 0;

  /** Records one value. */
  add(value: number): void {
    if (value > this.#current) this.#current = value;
    if (++this.#count < RECENT_LARGEST_HALF_WINDOW) return;
    this.#previous = this.#current;
    this.#current = 0;
    this.#count = 0;
  }

  /** The largest recent value, 0 before any. */
  get value(): number {
    return Math.max(this.#current, this.#previous);
  }
}
