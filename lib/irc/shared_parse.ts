/**
 * The parse of the hub's last line, shared by the IRC links of one listener: a broadcast is
 * the same line for every member, so it is parsed and checked once per message, not once per
 * member, and the members get the same event (which lets `DeliveryCache` share its lines).
 * @module
 */

import { type ParsedServerLine, parseServerMessage } from "../chat/events.ts";

/**
 * Remembers the parse of the last line it was given. The hub writes a broadcast to every
 * member before the next, so one line is enough.
 *
 * @example
 * ```ts
 * import { SharedParse } from "./shared_parse.ts";
 * const parses = new SharedParse();
 * const line = '{"type":"ping","ts":1}';
 * parses.parse(line) === parses.parse(line); // true: parsed once
 * ```
 */
export class SharedParse {
  #line = "";
  #parsed: ParsedServerLine | null = null;

  /** The checked message of `line` (see `parseServerMessage`), parsed once per distinct line. */
  parse(line: string): ParsedServerLine {
    if (this.#parsed !== null && line === this.#line) return this.#parsed;
    this.#line = line;
    this.#parsed = parseServerMessage(line);
    return this.#parsed;
  }
}
