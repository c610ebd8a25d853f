/**
 * Tab completion of chat commands, user names and file names; pure.
 *
 * @module
 */

/** The line after completion, its cursor (UTF-16 code units), and the choices when several matched. */
export interface Completion {
  line: string;
  cursor: number;
  /** Every match when there were several; empty when one or none matched. */
  candidates: string[];
}

/** What can be completed. Commands may be given with or without their leading `/`. */
export interface CompletionSources {
  commands: readonly string[];
  users: readonly string[];
  files: readonly string[];
  /** Rooms, completed after `/join`, `/part` and `/switch` (the `#` may be left out). */
  rooms?: readonly string[];
}

/** Follows a user name completed at the start of a line, as when addressing someone. */
export const ADDRESS_SUFFIX = ": ";

/**
 * Completes the word before the cursor. A line starting with `/` completes command names while
 * the command is being typed, and the argument of `/get` (after an optional `-f`) file names;
 * any other word completes user names: at the start of a line `al` becomes `alice: `,
 * elsewhere `alice ` (after `/msg` too). Prefixes match regardless of case. A unique match is
 * inserted; several matches insert their longest common prefix and come back as candidates;
 * no match changes nothing. Text after the cursor is kept as it is.
 *
 * @example
 * ```ts
 * completeLine("/ms", 3, { commands: ["/msg"], users: [], files: [] });
 * // { line: "/msg ", cursor: 5, candidates: [] }
 * completeLine("al", 2, { commands: [], users: ["alice"], files: [] });
 * // { line: "alice: ", cursor: 7, candidates: [] }
 * ```
 */
export function completeLine(
  line: string,
  cursor: number,
  sources: CompletionSources,
): Completion {
  if (!Number.isInteger(cursor) || cursor < 0 || cursor > line.length) {
    throw new RangeError(`Cannot complete: cursor ${cursor} is outside the line`);
  }
  const head = line.slice(0, cursor);
  const target = { line, cursor, tail: line.slice(cursor) };
  if (/^\/\S*$/.test(head)) {
    const commands = sources.commands.map((c) => (c.startsWith("/") ? c : `/${c}`));
    return completeWord(target, "", head, { pool: commands, suffix: " " });
  }
  const room = /^(\/(?:join|part|switch)\s+)(\S*)$/i.exec(head);
  if (room !== null) {
    const typed = room[2] ?? "";
    const word = typed.startsWith("#") ? typed : `#${typed}`;
    return completeWord(target, room[1] ?? "", word, { pool: sources.rooms ?? [], suffix: "" });
  }
  const file = /^(\/get\s+(?:-f\s+)?)(\S.*)?$/is.exec(head);
  if (file !== null) {
    return completeWord(target, file[1] ?? "", file[2] ?? "", { pool: sources.files, suffix: "" });
  }
  const word = /^(.*?)(\S*)$/s.exec(head);
  const before = word?.[1] ?? "";
  const typed = word?.[2] ?? "";
  const addressing = before === "" && !typed.startsWith("/");
  if (typed === "" && !/^\/msg\s+$/i.test(before)) return unchanged(target);
  const suffix = addressing ? ADDRESS_SUFFIX : " ";
  return completeWord(target, before, typed, { pool: sources.users, suffix });
}

interface Target {
  line: string;
  cursor: number;
  tail: string;
}

interface WordOptions {
  pool: readonly string[];
  /** What follows a unique match: a space, `": "` or nothing. */
  suffix: string;
}

/** Replaces `word` (which follows `before` and ends at the cursor) by its completion. */
function completeWord(target: Target, before: string, word: string, opts: WordOptions): Completion {
  const lower = word.toLowerCase();
  const matches = unique(opts.pool.filter((name) => name.toLowerCase().startsWith(lower)));
  const only = matches[0];
  if (only === undefined) return unchanged(target);
  if (matches.length === 1) {
    // A space already after the cursor is stepped over rather than doubled.
    const spaced = opts.suffix.endsWith(" ") && /^\s/.test(target.tail);
    const suffix = spaced ? opts.suffix.slice(0, -1) : opts.suffix;
    const head = before + only + suffix;
    return { line: head + target.tail, cursor: head.length + (spaced ? 1 : 0), candidates: [] };
  }
  const prefix = commonPrefix(matches);
  // Only grow what was typed: a shorter or differently spelled prefix would lose input.
  const grows = prefix.length > word.length && prefix.toLowerCase().startsWith(lower);
  const head = before + (grows ? prefix : word);
  return { line: head + target.tail, cursor: head.length, candidates: matches };
}

function unchanged(target: Target): Completion {
  return { line: target.line, cursor: target.cursor, candidates: [] };
}

/** Distinct names, sorted without regard to case so candidates read like a listing. */
function unique(names: readonly string[]): string[] {
  return [...new Set(names)].sort((a, b) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}

/** The longest prefix, in code points, that every name shares exactly. */
function commonPrefix(names: readonly string[]): string {
  const [first, ...rest] = names.map((n) => Array.from(n));
  if (first === undefined) return "";
  let end = first.length;
  for (const other of rest) {
    let i = 0;
    while (i < end && i < other.length && other[i] === first[i]) i++;
    end = i;
  }
  return first.slice(0, end).join("");
}
