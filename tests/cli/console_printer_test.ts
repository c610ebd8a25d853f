import assert from "node:assert/strict";
import { consolePrinter } from "../../lib/cli/console_printer.ts";
import { Screen } from "../tui/_screen.ts";

function streams(errIsTerminal: boolean) {
  const written: string[] = [];
  const printer = consolePrinter({
    out: (t) => written.push(t),
    err: (t) => written.push(t),
    errIsTerminal,
    columns: () => 40,
  });
  const screen = () => {
    const s = new Screen(40);
    s.write(written.join("").replace(/(?<!\r)\n/g, "\r\n"));
    return s.lines();
  };
  return { printer, written, screen };
}

Deno.test("consolePrinter redraws progress on one terminal line and erases it before output", () => {
  const { printer, screen } = streams(true);
  assert.ok(printer.progress !== undefined);
  for (const percent of [10, 50, 90]) printer.progress.show(`#1 notes.txt ${percent}%`);
  assert.deepEqual(screen(), ["#1 notes.txt 90%"], "one line, redrawn in place");
  printer.print("Finished: notes.txt");
  assert.deepEqual(screen(), ["Finished: notes.txt"]);
  printer.progress.show("#2 other.txt 5%");
  printer.error("Transfer failed");
  assert.deepEqual(screen(), ["Finished: notes.txt", "Transfer failed"]);
});

Deno.test("consolePrinter has no progress line when stderr is not a terminal", () => {
  const { printer, written } = streams(false);
  assert.equal(printer.progress, undefined);
  printer.print("a", "b");
  printer.error("c");
  assert.deepEqual(written, ["a\nb\n", "c\n"]);
});
