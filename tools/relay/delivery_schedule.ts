/**
 * Items waiting for their delivery time, in time order.
 * @module
 */

const COMPACT_AFTER = 4096;

/**
 * A time-ordered queue; items with equal times keep their insertion order. Insertion scans from
 * the end, which is short when times mostly grow (a delay with a little jitter).
 *
 * @example
 * ```ts
 * const schedule = new DeliverySchedule<string>();
 * schedule.add(20, "b");
 * schedule.add(10, "a");
 * schedule.takeDue(15, (item) => console.log(item)); // logs "a"
 * schedule.next; // 20
 * ```
 */
export class DeliverySchedule<T> {
  #items: { at: number; item: T }[] = [];
  #head = 0;

  /** Items waiting. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Time of the earliest item, or undefined when empty. */
  get next(): number | undefined {
    return this.#items[this.#head]?.at;
  }

  /** Adds `item`, due at `at`. */
  add(at: number, item: T): void {
    const items = this.#items;
    let i = items.length;
    while (i > this.#head && items[i - 1]!.at > at) i--;
    if (i === items.length) items.push({ at, item });
    else items.splice(i, 0, { at, item });
  }

  /** Removes every item due at or before `until`, oldest first, handing each to `take`. */
  takeDue(until: number, take: (item: T) => void): void {
    const items = this.#items;
    while (this.#head < items.length && items[this.#head]!.at <= until) {
      take(items[this.#head++]!.item);
    }
    if (this.#head === items.length) this.clear();
    else if (this.#head > COMPACT_AFTER) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Drops every item. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}
