/**
 * Stand-ins for stdin and stdout, to drive the terminal UI with keys and read its screen.
 * @module
 */
import { CLEAR_SCREEN } from "../../lib/tui/render.ts";
import type { TerminalInput, TerminalOutput } from "../../lib/tui/terminal.ts";
import { Screen } from "./_screen.ts";

/** Stdin stand-in: chunks are handed out one per read; `idle()` waits until all are consumed. */
export class FakeInput implements TerminalInput {
  raw: boolean[] = [];
  cancelled = 0;
  #chunks: Uint8Array[] = [];
  #ended = false;
  #waiting = false;
  #wake: (() => void) | undefined;
  #idle: (() => void)[] = [];

  setRaw(on: boolean): void {
    this.raw.push(on);
  }

  push(text: string): void {
    this.#chunks.push(new TextEncoder().encode(text));
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  cancel(): void {
    this.cancelled++;
  }

  /** Resolves once the terminal has handled every chunk and is reading again. */
  idle(): Promise<void> {
    if (this.#waiting && this.#chunks.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async read(p: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0 && !this.#ended) {
      this.#waiting = true;
      for (const resolve of this.#idle.splice(0)) resolve();
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    this.#waiting = false;
    const chunk = this.#chunks.shift();
    if (chunk === undefined) return null;
    const n = Math.min(p.length, chunk.length);
    p.set(chunk.subarray(0, n));
    if (n < chunk.length) this.#chunks.unshift(chunk.subarray(n));
    return n;
  }
}

/** Stdout stand-in that accepts at most `maxWrite` bytes per call, like a busy pipe. */
export class FakeOutput implements TerminalOutput {
  #bytes: number[] = [];
  calls = 0;
  constructor(readonly maxWrite = Infinity, readonly width = 80) {}

  writeSync(p: Uint8Array): number {
    this.calls++;
    const n = Math.min(p.length, this.maxWrite);
    this.#bytes.push(...p.subarray(0, n));
    return n;
  }

  text(): string {
    return new TextDecoder().decode(new Uint8Array(this.#bytes));
  }

  /**
   * The screen as a terminal shows the output. A lone `\n` (written before raw mode, when the
   * terminal driver turns it into a new line) counts as `\r\n`.
   */
  screen(): Screen {
    const screen = new Screen(this.width);
    const text = this.text().replaceAll(CLEAR_SCREEN, "\x1b[H\x1b[2J");
    screen.write(text.replace(/(?<!\r)\n/g, "\r\n"));
    return screen;
  }
}
