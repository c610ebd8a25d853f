/**
 * The lines of one hub event, made once and shared by every IRC session it is delivered to: a
 * message to a room reads the same for each member with the same capabilities.
 * @module
 */

/**
 * Remembers the lines of the last event it was asked about, by a key naming what makes them
 * differ (the target and the tags negotiated). The hub delivers an event to every member
 * before the next, so one event is enough; a new one forgets the last.
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
  #event: object | null = null;
  readonly #lines = new Map<string, readonly string[]>();

  /** The lines for `event` under `key`, made by `make` the first time they are asked for. */
  lines(event: object, key: string, make: () => string[]): readonly string[] {
    if (event !== this.#event) {
      this.#event = event;
      this.#lines.clear();
    }
    let lines = this.#lines.get(key);
    if (lines === undefined) {
      lines = make();
      this.#lines.set(key, lines);
    }
    return lines;
  }
}
