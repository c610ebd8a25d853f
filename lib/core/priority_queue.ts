/**
 * The codebase's one priority queue: a binary min-heap of values by a numeric key, whose
 * entries can be re-keyed or taken out in O(log n) through the slot {@linkcode PriorityQueue.push}
 * returns. Equal keys come out in the order they were pushed (or last re-keyed), so a queue
 * keyed by a counter is a first-in first-out queue with removal.
 *
 * @module
 */

/** A value's place in a {@linkcode PriorityQueue}: hand it back to re-key or remove the value. */
export interface QueueSlot<T> {
  readonly value: T;
  /** The key the value is ordered by (smallest first). */
  readonly key: number;
}

/**
 * Min-heap with handles.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from "./priority_queue.ts";
 * const queue = new PriorityQueue<string>();
 * const late = queue.push("late", 30);
 * queue.push("soon", 10);
 * queue.update(late, 5);
 * queue.pop(); // "late"
 * queue.peek()?.key; // 10
 * ```
 */
export class PriorityQueue<T> {
  readonly #heap: Slot<T>[] = [];
  #order = 0;

  /** Number of values queued. */
  get size(): number {
    return this.#heap.length;
  }

  /** Queues `value` at `key`; returns its slot. Throws RangeError on a key that is NaN. */
  push(value: T, key: number): QueueSlot<T> {
    const slot = new Slot(this, value, checked(key), this.#order++, this.#heap.length);
    this.#heap.push(slot);
    this.#up(slot.index);
    return slot;
  }

  /** The slot with the smallest key, left in place, or null when empty. */
  peek(): QueueSlot<T> | null {
    return this.#heap[0] ?? null;
  }

  /** Takes out the value with the smallest key, or returns null when empty. */
  pop(): T | null {
    const top = this.#heap[0];
    if (top === undefined) return null;
    this.#take(top);
    return top.value;
  }

  /** Moves a queued value to `key`. Throws TypeError when `slot` is not queued here. */
  update(slot: QueueSlot<T>, key: number): void {
    const own = this.#own(slot);
    own.key = checked(key);
    own.order = this.#order++;
    this.#up(own.index);
    this.#down(own.index);
  }

  /** Takes a queued value out. Throws TypeError when `slot` is not queued here. */
  remove(slot: QueueSlot<T>): void {
    this.#take(this.#own(slot));
  }

  /** Whether `slot` is queued here. */
  has(slot: QueueSlot<T>): boolean {
    return slot instanceof Slot && slot.queue === this && this.#heap[slot.index] === slot;
  }

  #own(slot: QueueSlot<T>): Slot<T> {
    if (!this.has(slot)) throw new TypeError("Cannot use slot: not in this queue");
    return slot as Slot<T>;
  }

  #take(slot: Slot<T>): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (last !== slot) {
      heap[slot.index] = last;
      last.index = slot.index;
      this.#up(last.index);
      this.#down(last.index);
    }
    slot.index = -1;
  }

  #up(index: number): void {
    const heap = this.#heap;
    const slot = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(slot, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = slot;
    slot.index = index;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const slot = heap[index]!;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= heap.length) break;
      const right = heap[child + 1];
      if (right !== undefined && before(right, heap[child]!)) child++;
      const smaller = heap[child]!;
      if (!before(smaller, slot)) break;
      heap[index] = smaller;
      smaller.index = index;
      index = child;
    }
    heap[index] = slot;
    slot.index = index;
  }
}

/** A queued value; `index` is its place in the heap array (-1 once out). */
class Slot<T> implements QueueSlot<T> {
  constructor(
    readonly queue: PriorityQueue<T>,
    readonly value: T,
    public key: number,
    public order: number,
    public index: number,
  ) {}
}

function before<T>(a: Slot<T>, b: Slot<T>): boolean {
  return a.key < b.key || (a.key === b.key && a.order < b.order);
}

function checked(key: number): number {
  if (Number.isNaN(key)) throw new RangeError("Cannot queue: key is NaN");
  return key;
}
