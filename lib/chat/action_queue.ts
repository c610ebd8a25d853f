/**
 * A first-in first-out queue with constant-time take, for the hub's actions.
 * @module
 */

/**
 * FIFO queue. A broadcast to N members queues N actions, so taking must not shift the array.
 *
 * @example
 * ```ts
 * import { ActionQueue } from "./action_queue.ts";
 * const queue = new ActionQueue<number>();
 * queue.push(1);
 * queue.take(); // 1
 * queue.take(); // null
 * ```
 */
export class ActionQueue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** Adds an item at the end. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns the first item, or `null` when empty. */
  take(): T | null {
    if (this.#head === this.#items.length) {
      if (this.#head > 0) {
        this.#items = [];
        this.#head = 0;
      }
      return null;
    }
    const item = this.#items[this.#head] as T;
    this.#items[this.#head++] = undefined;
    return item;
  }
}
