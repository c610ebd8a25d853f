/**
 * IRCv3 message tags: the `@key=value;key2` section at the start of a line, with the escaping
 * of its values.
 * @module
 */

/** A line's tags, by key; a tag without a value has the empty string. */
export type IrcTags = ReadonlyMap<string, string>;

/** A key: an optional client prefix `+`, an optional vendor (a host name) and `/`, a name. */
const KEY = /^\+?(?:[A-Za-z0-9.-]+\/)?[A-Za-z0-9-]+$/;

const ESCAPES: Record<string, string> = { ":": ";", s: " ", "\\": "\\", r: "\r", n: "\n" };

/**
 * Parses a tag section without its `@`, or returns `null` when a key is malformed. A later
 * duplicate key wins, as IRCv3 says.
 *
 * @example
 * ```ts
 * import { parseTags } from "./tags.ts";
 * parseTags("time=2026-01-01T00:00:00.000Z;+draft/x=a\\sb");
 * // Map { "time" => "2026-01-01T00:00:00.000Z", "+draft/x" => "a b" }
 * ```
 */
export function parseTags(section: string): Map<string, string> | null {
  const tags = new Map<string, string>();
  for (const item of section.split(";")) {
    if (item === "") continue;
    const equals = item.indexOf("=");
    const key = equals < 0 ? item : item.slice(0, equals);
    if (!KEY.test(key)) return null;
    tags.set(key, equals < 0 ? "" : unescapeTagValue(item.slice(equals + 1)));
  }
  return tags;
}

/** Reads an escaped value: `\:` `\s` `\\` `\r` `\n`; another `\x` is `x`, a final `\` nothing. */
export function unescapeTagValue(value: string): string {
  if (!value.includes("\\")) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = value[++i];
    if (next !== undefined) out += ESCAPES[next] ?? next;
  }
  return out;
}

/** Escapes a value so that no `;`, space, CR, LF or `\` is left in it; NUL becomes U+FFFD. */
export function escapeTagValue(value: string): string {
  return value.replace(/[;\s\\\0]/g, (char) => {
    switch (char) {
      case ";":
        return "\\:";
      case " ":
        return "\\s";
      case "\\":
        return "\\\\";
      case "\r":
        return "\\r";
      case "\n":
        return "\\n";
      case "\0":
        return "\uFFFD";
      default:
        // Other white space (tab, vertical tab, form feed, ...) is safe in a value.
        return char;
    }
  });
}

/** Whether `key` is a well-formed tag key. */
export function isTagKey(key: string): boolean {
  return KEY.test(key);
}

/** Writes tags as a section without its `@` (empty values written as the key alone). */
export function formatTags(tags: IrcTags): string {
  const items: string[] = [];
  for (const [key, value] of tags) {
    items.push(value === "" ? key : `${key}=${escapeTagValue(value)}`);
  }
  return items.join(";");
}
