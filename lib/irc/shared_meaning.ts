/**
 * What the hub's last line means, shared by the IRC links of one listener: a broadcast is the
 * same line for every member, so it is parsed, checked and turned into a session event once
 * per message, not once per member; and every member is fed the very same event, which lets
 * `DeliveryCache` format its IRC lines once too.
 * @module
 */

import type { LineMeaning } from "./hub_line_events.ts";

/** A line's meaning (`null`: the line failed the checks), and whether another link may share it. */
export interface MadeMeaning {
  meaning: LineMeaning | null;
  /** False for what depends on the link's own state (a page of a list reply). */
  shared: boolean;
}

/**
 * Remembers the meaning of the last line it was given, when shareable. The hub writes a
 * broadcast to every member before the next, so one line is enough.
 *
 * @example
 * ```ts
 * import { SharedMeaning } from "./shared_meaning.ts";
 * const meanings = new SharedMeaning();
 * const make = () => ({ meaning: null, shared: true });
 * meanings.meaning('{"type":"ping","ts":1}', make);
 * meanings.meaning('{"type":"ping","ts":1}', make); // not made again
 * meanings.stats.made; // 1
 * ```
 */
export class SharedMeaning {
  /** Lines whose meaning was made: those not shared with the link before. */
  readonly stats = { made: 0 };
  #line: string | null = null;
  #meaning: LineMeaning | null = null;

  /** What `line` means: made by `make`, unless it is the last line and that was shareable. */
  meaning(line: string, make: (line: string) => MadeMeaning): LineMeaning | null {
    if (line === this.#line) return this.#meaning;
    this.stats.made++;
    const made = make(line);
    this.#line = made.shared ? line : null;
    this.#meaning = made.meaning;
    return made.meaning;
  }
}
