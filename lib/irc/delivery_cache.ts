/**
 * The lines of one hub event, made once and shared by every IRC session it is delivered to: a
 * message to a room reads the same for each member with the same capabilities.
 * @module
 */

/**
 * Remembers the lines made for each event, by a key naming what makes them differ (the target
 * and the tags negotiated), for as long as the event object lives: members that are behind
 * take several messages in one write, so the event before the last must still be known when
 * they reach it. The entries go with their events (a `WeakMap`), so nothing is bounded here.
 *
 * @example
 * ```ts
 * import { DeliveryCache } from "./delivery_cache.ts";
 * const cache = new DeliveryCache();
 * const event = { text: "hi" };
 * cache.lines(event, "#lobby", () => ["PRIVMSG #lobby :hi\r\n"]); // made
 * cache.lines(event, "#lobby", () => []); // the same lines, not made again
 * ```
 */
export class DeliveryCache {
  readonly #lines = new WeakMap<object, Map<string, readonly string[]>>();
  readonly #derived = new WeakMap<object, unknown>();

  /** What `make` derives from `event` (the same for every session), made once per event. */
  derived<T>(event: object, make: () => T): T {
    if (this.#derived.has(event)) return this.#derived.get(event) as T;
    const value = make();
    this.#derived.set(event, value);
    return value;
  }

  /** The lines for `event` under `key`, made by `make` the first time they are asked for. */
  lines(event: object, key: string, make: () => string[]): readonly string[] {
    let byKey = this.#lines.get(event);
    if (byKey === undefined) {
      byKey = new Map();
      this.#lines.set(event, byKey);
    }
    let lines = byKey.get(key);
    if (lines === undefined) {
      lines = make();
      byKey.set(key, lines);
    }
    return lines;
  }
}
