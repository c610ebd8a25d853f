/**
 * A set of non-negative integers stored as sorted, disjoint, non-touching half-open ranges.
 * Used for received packet numbers (acknowledgements) and for byte ranges of the file.
 *
 * @module
 */

/** A half-open range `[start, end)`. */
export interface Range {
  start: number;
  end: number;
}

/**
 * Sorted disjoint ranges with cheap appends at the top (the common case for packet numbers and
 * in-order bytes).
 *
 * @example
 * ```ts
 * const set = new RangeSet();
 * set.add(0, 10);
 * set.add(20, 30);
 * set.has(25); // true
 * set.count; // 2
 * ```
 */
export class RangeSet {
  #starts: number[] = [];
  #ends: number[] = [];

  /** Number of disjoint ranges. */
  get count(): number {
    return this.#starts.length;
  }

  /** True when the set holds nothing. */
  get isEmpty(): boolean {
    return this.#starts.length === 0;
  }

  /** Lowest range, or undefined when empty. */
  first(): Range | undefined {
    const start = this.#starts[0];
    return start === undefined ? undefined : { start, end: this.#ends[0]! };
  }

  /** Highest range, or undefined when empty. */
  last(): Range | undefined {
    const i = this.#starts.length - 1;
    return i < 0 ? undefined : { start: this.#starts[i]!, end: this.#ends[i]! };
  }

  /** The range at `index` in ascending order. */
  at(index: number): Range | undefined {
    const start = this.#starts[index];
    return start === undefined ? undefined : { start, end: this.#ends[index]! };
  }

  /** Whether `value` is in the set. */
  has(value: number): boolean {
    const i = this.#indexAfter(value) - 1;
    return i >= 0 && value < this.#ends[i]!;
  }

  /** Whether all of `[start, end)` is in the set. */
  covers(start: number, end: number): boolean {
    if (end <= start) return true;
    const i = this.#indexAfter(start) - 1;
    return i >= 0 && end <= this.#ends[i]!;
  }

  /** Adds `[start, end)`, merging with neighbours it overlaps or touches. */
  add(start: number, end: number): void {
    checkRange(start, end);
    if (end === start) return;
    const n = this.#starts.length;
    if (n === 0 || start > this.#ends[n - 1]!) {
      this.#starts.push(start);
      this.#ends.push(end);
      return;
    }
    // First range whose end reaches start, and first range starting after end.
    let lo = this.#indexAfter(start) - 1;
    if (lo < 0 || this.#ends[lo]! < start) lo++;
    const hi = this.#indexAfter(end);
    if (lo === hi) {
      this.#starts.splice(lo, 0, start);
      this.#ends.splice(lo, 0, end);
      return;
    }
    const mergedStart = Math.min(start, this.#starts[lo]!);
    const mergedEnd = Math.max(end, this.#ends[hi - 1]!);
    this.#starts.splice(lo, hi - lo, mergedStart);
    this.#ends.splice(lo, hi - lo, mergedEnd);
  }

  /** Removes `[start, end)` from the set. */
  remove(start: number, end: number): void {
    checkRange(start, end);
    if (end === start || this.#starts.length === 0) return;
    let lo = this.#indexAfter(start) - 1;
    if (lo < 0 || this.#ends[lo]! <= start) lo++;
    let hi = this.#indexAfter(end - 1);
    if (lo >= hi) return;
    const keepStarts: number[] = [];
    const keepEnds: number[] = [];
    if (this.#starts[lo]! < start) {
      keepStarts.push(this.#starts[lo]!);
      keepEnds.push(start);
    }
    if (this.#ends[hi - 1]! > end) {
      keepStarts.push(end);
      keepEnds.push(this.#ends[hi - 1]!);
    }
    hi = Math.max(hi, lo);
    this.#starts.splice(lo, hi - lo, ...keepStarts);
    this.#ends.splice(lo, hi - lo, ...keepEnds);
  }

  /** The parts of `[start, end)` not in the set, ascending. */
  gaps(start: number, end: number): Range[] {
    const out: Range[] = [];
    let cursor = start;
    let i = Math.max(0, this.#indexAfter(start) - 1);
    for (; i < this.#starts.length && cursor < end; i++) {
      const s = this.#starts[i]!;
      const e = this.#ends[i]!;
      if (e <= cursor) continue;
      if (s >= end) break;
      if (s > cursor) out.push({ start: cursor, end: s });
      cursor = Math.max(cursor, e);
    }
    if (cursor < end) out.push({ start: cursor, end });
    return out;
  }

  /** Drops the lowest ranges so that at most `max` remain. */
  truncateBottom(max: number): void {
    const excess = this.#starts.length - max;
    if (excess > 0) {
      this.#starts.splice(0, excess);
      this.#ends.splice(0, excess);
    }
  }

  /** Ranges from the highest down, at most `limit` of them. */
  descending(limit: number): Range[] {
    const out: Range[] = [];
    for (let i = this.#starts.length - 1; i >= 0 && out.length < limit; i--) {
      out.push({ start: this.#starts[i]!, end: this.#ends[i]! });
    }
    return out;
  }

  /** Index of the first range whose start is greater than `value`. */
  #indexAfter(value: number): number {
    let lo = 0;
    let hi = this.#starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#starts[mid]! <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function checkRange(start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Cannot use range [${start}, ${end}): not a valid range`);
  }
}
