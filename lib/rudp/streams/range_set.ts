/**
 * A set of non-negative integers stored as sorted, disjoint, non-touching half-open ranges.
 * Used for received packet numbers (acknowledgements) and for byte ranges of the file.
 *
 * The ranges live in a balanced search tree keyed by their start (an AA tree, see
 * `_range_tree.ts`), so a peer choosing the order of its ranges (descending offsets, every
 * other byte) costs O(log n) per operation, never a shift of the whole set. The common case,
 * a range that touches the highest one, extends that range in place in O(1).
 *
 * @module
 */
import { type Node, RangeTree } from "./_range_tree.ts";

/** A half-open range `[start, end)`. */
export interface Range {
  start: number;
  end: number;
}

/**
 * Sorted disjoint ranges: add, remove, has and covers in O(log n), appends at the top in O(1).
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
  readonly #tree = new RangeTree();

  /** Number of disjoint ranges. */
  get count(): number {
    return this.#tree.size;
  }

  /** True when the set holds nothing. */
  get isEmpty(): boolean {
    return this.#tree.size === 0;
  }

  /** Lowest range, or undefined when empty. */
  first(): Range | undefined {
    return copy(this.#tree.min());
  }

  /** Highest range, or undefined when empty. */
  last(): Range | undefined {
    return copy(this.#tree.max());
  }

  /** The range at `index` in ascending order; O(index), for tests and diagnostics. */
  at(index: number): Range | undefined {
    let i = 0;
    for (const node of this.#tree.ascending(-1)) {
      if (i++ === index) return copy(node);
    }
    return undefined;
  }

  /** Whether `value` is in the set. */
  has(value: number): boolean {
    const node = this.#tree.floor(value);
    return node !== null && value < node.end;
  }

  /** Whether all of `[start, end)` is in the set. */
  covers(start: number, end: number): boolean {
    if (end <= start) return true;
    const node = this.#tree.floor(start);
    return node !== null && end <= node.end;
  }

  /** Adds `[start, end)`, merging with neighbours it overlaps or touches. */
  add(start: number, end: number): void {
    checkRange(start, end);
    if (end === start) return;
    const tree = this.#tree;
    const top = tree.max();
    if (top === null || start > top.end) return tree.insert(start, end);
    if (start >= top.start) {
      top.end = Math.max(top.end, end); // touches or overlaps the highest range
      return;
    }
    const below = tree.floor(start);
    if (below !== null && below.end >= start) {
      if (end <= below.end) return;
      below.end = end;
      return this.#absorbFollowers(below);
    }
    // Nothing at or below `start` reaches it. The next range, if this one reaches it, is
    // moved down to `start`: no range lies between, so the tree's order still holds.
    const next = tree.above(start);
    if (next === null || next.start > end) return tree.insert(start, end);
    next.start = start;
    next.end = Math.max(next.end, end);
    this.#absorbFollowers(next);
  }

  /** Removes `[start, end)` from the set. */
  remove(start: number, end: number): void {
    checkRange(start, end);
    if (end === start) return;
    const tree = this.#tree;
    const below = tree.floor(start);
    if (below !== null && below.start < start && below.end > start) {
      const tail = below.end;
      below.end = start;
      if (tail > end) return tree.insert(end, tail); // `[start, end)` was inside one range
    }
    for (
      let node = tree.ceiling(start);
      node !== null && node.start < end;
      node = tree.ceiling(start)
    ) {
      if (node.end > end) {
        node.start = end; // the range straddles `end`: keep its top; nothing lies between
        return;
      }
      tree.delete(node.start);
    }
  }

  /** The parts of `[start, end)` not in the set, ascending. */
  gaps(start: number, end: number): Range[] {
    const out: Range[] = [];
    let cursor = start;
    const from = this.#tree.floor(start)?.start ?? start;
    for (const node of this.#tree.ascending(from)) {
      if (cursor >= end || node.start >= end) break;
      if (node.end <= cursor) continue;
      if (node.start > cursor) out.push({ start: cursor, end: node.start });
      cursor = Math.max(cursor, node.end);
    }
    if (cursor < end) out.push({ start: cursor, end });
    return out;
  }

  /** Drops the lowest ranges so that at most `max` remain. */
  truncateBottom(max: number): void {
    while (this.#tree.size > max) this.#tree.delete(this.#tree.min()!.start);
  }

  /** Ranges from the highest down, at most `limit` of them. */
  descending(limit: number): Range[] {
    const out: Range[] = [];
    if (limit <= 0) return out;
    for (const node of this.#tree.descending()) {
      out.push({ start: node.start, end: node.end });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Merges into `node` every following range it now overlaps or touches. */
  #absorbFollowers(node: Node): void {
    const tree = this.#tree;
    // Deleting a later range never moves or frees `node` (see RangeTree.delete).
    for (let next = tree.above(node.start); next !== null && next.start <= node.end;) {
      node.end = Math.max(node.end, next.end);
      tree.delete(next.start);
      next = tree.above(node.start);
    }
  }
}

function copy(node: Node | null): Range | undefined {
  return node === null ? undefined : { start: node.start, end: node.end };
}

function checkRange(start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Cannot use range [${start}, ${end}): not a valid range`);
  }
}
