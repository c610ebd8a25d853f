/**
 * Input history kept across runs, in the user's configuration folder: one JSON string per
 * line (so a pasted line break stays one entry), appended as lines are typed, bounded.
 * @module
 */

import { dirname, join } from "node:path";
import { MAX_HISTORY } from "../tui/line_editor.ts";

/** The file holds at most this many entries after a compaction (the editor's bound). */
export const MAX_HISTORY_LINES = MAX_HISTORY;

/** Where a {@link HistoryFile} reads its location from; `Deno.env.get` fits. */
export type EnvGet = (name: string) => string | undefined;

/**
 * The history file: `$XDG_CONFIG_HOME/deno-chat/history`, else `~/.config/deno-chat/history`;
 * `null` when neither variable is set or readable.
 *
 * @example
 * ```ts
 * import { historyPath } from "./history_file.ts";
 * historyPath((name) => ({ HOME: "/home/ann" })[name]); // "/home/ann/.config/deno-chat/history"
 * ```
 */
export function historyPath(env: EnvGet): string | null {
  const read = (name: string) => {
    try {
      return env(name) || undefined;
    } catch {
      return undefined; // not allowed to read it: no history file
    }
  };
  const config = read("XDG_CONFIG_HOME");
  if (config !== undefined) return join(config, "deno-chat", "history");
  const home = read("HOME");
  return home === undefined ? null : join(home, ".config", "deno-chat", "history");
}

/**
 * A history file. Reading keeps the last {@link MAX_HISTORY_LINES} entries and skips lines
 * that are not JSON strings; a file grown past twice the bound is rewritten with those. Every
 * failure (no permission, a full disk) leaves the chat without saved history, never stopped.
 */
export class HistoryFile {
  readonly #path: string;
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string) {
    this.#path = path;
  }

  /** Opens the file at `path` and returns it with the entries it holds, oldest first. */
  static async open(path: string): Promise<{ file: HistoryFile; entries: string[] }> {
    const file = new HistoryFile(path);
    let text = "";
    try {
      text = await Deno.readTextFile(path);
    } catch {
      return { file, entries: [] };
    }
    const all = text.split("\n").flatMap(parseEntry);
    const entries = all.slice(-MAX_HISTORY_LINES);
    if (all.length > 2 * MAX_HISTORY_LINES) file.#rewrite(entries);
    return { file, entries };
  }

  /** Appends one entry (in the background; writes keep their order). */
  append(entry: string): void {
    const line = JSON.stringify(entry) + "\n";
    this.#queue(async () => {
      await Deno.mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(this.#path, line, { append: true, mode: 0o600 });
    });
  }

  /** Resolves once every write made so far has ended. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  #rewrite(entries: readonly string[]): void {
    const text = entries.map((e) => JSON.stringify(e) + "\n").join("");
    this.#queue(async () => {
      const temporary = `${this.#path}.tmp`;
      await Deno.writeTextFile(temporary, text, { mode: 0o600 });
      await Deno.rename(temporary, this.#path);
    });
  }

  #queue(write: () => Promise<void>): void {
    this.#writes = this.#writes.then(write).catch(() => {});
  }
}

function parseEntry(line: string): string[] {
  if (line === "") return [];
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "string" && value !== "" ? [value] : [];
  } catch {
    return [];
  }
}
