/**
 * The printer of the scripted client: lines to stdout and stderr, and on a terminal one
 * progress line on stderr that is redrawn in place rather than scrolling.
 * @module
 */

import type { Printer } from "./input_runner.ts";

/** Erases the terminal line the cursor is on and returns to its start. */
const ERASE_LINE = "\r\x1b[2K";

/** Where a {@link consolePrinter} writes. */
export interface ConsoleStreams {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal, so progress can be redrawn on one line. */
  errIsTerminal: boolean;
  /** The terminal's width in columns. */
  columns(): number;
}

/**
 * A printer whose progress line (on a terminal) is erased before anything else is printed, so
 * results and errors never land on the end of a progress bar.
 *
 * @example
 * ```ts ignore
 * const printer = consolePrinter({ out, err, errIsTerminal: true, columns: () => 80 });
 * printer.progress?.show("#1 ↓ notes.txt [====>     ]  50% ...");
 * printer.print("Finished: notes.txt"); // erases the progress line first
 * ```
 */
export function consolePrinter(streams: ConsoleStreams): Printer {
  let shown = false;
  const erase = () => {
    if (shown) streams.err(ERASE_LINE);
    shown = false;
  };
  const printer: Printer = {
    print: (...lines) => {
      erase();
      streams.out(lines.map((line) => `${line}\n`).join(""));
    },
    error: (line) => {
      erase();
      streams.err(`${line}\n`);
    },
  };
  if (!streams.errIsTerminal) return printer;
  printer.progress = {
    show: (line) => {
      streams.err(ERASE_LINE + line);
      shown = true;
    },
    columns: streams.columns,
  };
  return printer;
}
