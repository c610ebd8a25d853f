/**
 * Tab completion of chat commands, user names and file names; pure.
 *
 * @module
 */

/** The line after completion, its cursor (code points), and the choices when several matched. */
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
}

/**
 * Completes the word before the cursor. A line starting with `/` completes command names while
 * the command is being typed; the first argument of `/msg` completes user names and the
 * argument of `/get` file names, matching prefixes regardless of case. A unique match is
 * inserted (commands and user names followed by a space); several matches insert their longest
 * common prefix and come back as candidates; no match changes nothing. Text after the cursor is
 * kept as it is.
 *
 * @example
 * ```ts
 * completeLine("/ms", 3, { commands: ["/msg"], users: [], files: [] });
 * // { line: "/msg ", cursor: 5, candidates: [] }
 * ```
 */
export function completeLine(
  line: string,
  cursor: number,
  sources: CompletionSources,
): Completion {
  const chars = Array.from(line);
  if (!Number.isInteger(cursor) || cursor < 0 || cursor > chars.length) {
    throw new RangeError(`Cannot complete: cursor ${cursor} is outside the line`);
  }
  const head = chars.slice(0, cursor).join("");
  const target = { line, cursor, tail: chars.slice(cursor).join("") };
  if (/^\/\S*$/.test(head)) {
    const commands = sources.commands.map((c) => (c.startsWith("/") ? c : `/${c}`));
    return completeWord(target, "", head, { pool: commands, space: true });
  }
  const user = /^(\/msg\s+)(\S*)$/i.exec(head);
  if (user !== null) {
    return completeWord(target, user[1] ?? "", user[2] ?? "", { pool: sources.users, space: true });
  }
  const file = /^(\/get\s+)(\S.*)?$/is.exec(head);
  if (file !== null) {
    return completeWord(target, file[1] ?? "", file[2] ?? "", {
      pool: sources.files,
      space: false,
    });
  }
  return unchanged(target);
}

interface Target {
  line: string;
  cursor: number;
  tail: string;
}

interface WordOptions {
  pool: readonly string[];
  /** Whether a unique match is followed by a space. */
  space: boolean;
}

/** Replaces `word` (which follows `before` and ends at the cursor) by its completion. */
function completeWord(target: Target, before: string, word: string, opts: WordOptions): Completion {
  const lower = word.toLowerCase();
  const matches = unique(opts.pool.filter((name) => name.toLowerCase().startsWith(lower)));
  const only = matches[0];
  if (only === undefined) return unchanged(target);
  if (matches.length === 1) {
    const tailHasSpace = /^\s/.test(target.tail);
    const suffix = opts.space && !tailHasSpace ? " " : "";
    const skip = opts.space && tailHasSpace ? 1 : 0;
    const head = before + only + suffix;
    return { line: head + target.tail, cursor: length(head) + skip, candidates: [] };
  }
  const prefix = commonPrefix(matches);
  // Only grow what was typed: a shorter or differently spelled prefix would lose input.
  const grows = length(prefix) > length(word) && prefix.toLowerCase().startsWith(lower);
  const head = before + (grows ? prefix : word);
  return { line: head + target.tail, cursor: length(head), candidates: matches };
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

function length(s: string): number {
  return Array.from(s).length;
}
