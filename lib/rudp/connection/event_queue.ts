/**
 * A first-in first-out queue of transfer events that stays cheap when many data events pile up.
 *
 * @module
 */
import type { TransferEvent } from "./events.ts";

/**
 * Most events a connection holds for its driver before it stops reading packets (they are
 * then not acknowledged, so the peer sends them again later). The default window in
 * 1,200-byte datagrams is about 7,300 data events; a driver that polls after every datagram
 * never holds more than one packet's worth.
 */
export const MAX_QUEUED_EVENTS = 16_384;

/**
 * FIFO of events with amortised O(1) removal.
 *
 * @example
 * ```ts
 * const queue = new EventQueue();
 * queue.push({ kind: "established" });
 * queue.shift()?.kind; // "established"
 * ```
 */
export class EventQueue {
  #items: TransferEvent[] = [];
  #head = 0;

  /** Number of queued events. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends an event. */
  push(event: TransferEvent): void {
    this.#items.push(event);
  }

  /** Removes and returns the oldest event, or null. */
  shift(): TransferEvent | null {
    if (this.#head >= this.#items.length) return null;
    const event = this.#items[this.#head++]!;
    if (this.#head > 256 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return event;
  }
}
