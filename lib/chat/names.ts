/**
 * User name rules: 1–32 of ASCII letters, digits, `_`, `-`, `.`, not dots alone,
 * unique ignoring case, reserved words refused. Keeping names ASCII is what makes look-alikes
 * impossible: no Cyrillic `а` for `a`, no fullwidth `ＡＤＭＩＮ`, no bidi control or zero-width
 * space; a name holding one of those is told which character, as `U+XXXX`.
 * @module
 */

import { describeUnsafeChar, findUnsafeNameChar } from "../text/hidden_chars.ts";
import type { ProtocolError } from "./errors.ts";

/** Longest user name, in characters. */
export const MAX_NAME_CHARS = 32;

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;
const DOTS_ONLY = /^\.+$/;

/** Names nobody may take, compared ignoring case. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "server",
  "system",
  "admin",
  "root",
  "all",
  "everyone",
  "me",
  "nobody",
  "anonymous",
  "chat",
  "hub",
]);

/**
 * Checks a proposed user name, returning `null` when it is acceptable.
 *
 * @example
 * ```ts
 * import { checkName } from "./names.ts";
 * checkName("alice"); // null
 * checkName("bad name")?.code; // "NAME_INVALID"
 * ```
 */
export function checkName(name: string): ProtocolError | null {
  const unsafe = findUnsafeNameChar(name);
  if (unsafe !== null) {
    return { code: "NAME_INVALID", message: `Name must not contain ${describeUnsafeChar(unsafe)}` };
  }
  if (!hasNameShape(name)) {
    return {
      code: "NAME_INVALID",
      message:
        `Name must be 1 to ${MAX_NAME_CHARS} letters, digits, '_', '-' or '.', not dots alone`,
    };
  }
  if (RESERVED_NAMES.has(nameKey(name))) {
    return { code: "NAME_RESERVED", message: `Name '${name}' is reserved` };
  }
  return null;
}

/**
 * Whether `text` is 1 to {@linkcode MAX_NAME_CHARS} of the name characters (ASCII letters,
 * digits, `_`, `-`, `.`), not dots alone: the shape of a user name, and of a room name after
 * its `#`.
 */
export function hasNameShape(text: string): boolean {
  return NAME_PATTERN.test(text) && !DOTS_ONLY.test(text);
}

/** The key under which a name is unique: names differing only in case collide. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}
