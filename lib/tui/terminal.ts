/**
 * The terminal driver: raw mode, reading keys, writing the screen. The only file of the
 * terminal UI that touches stdin, stdout, signals or timers; everything it draws comes from the
 * pure editor and renderer.
 *
 * @module
 */

import type { Completion } from "./completion.ts";
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, type Key, KeyDecoder } from "./keys.ts";
import {
  createEditorState,
  type EditorAction,
  type EditorState,
  onKey,
  type OnKeyOptions,
} from "./line_editor.ts";
import { CLEAR_SCREEN, clearArea, fitStatus, renderAbove, renderInput } from "./render.ts";
import { wrapLine } from "./wrap.ts";
import { EMPTY_SECRET, onSecretKey, type SecretState } from "./secret_prompt.ts";

/** How long a lone ESC waits for the rest of a sequence before it counts as the Escape key. */
export const ESCAPE_TIMEOUT_MS = 50;

/** What the first Ctrl-C on an empty line prints by default. */
export const INTERRUPT_NOTICE = "(Press Ctrl-C again to quit)";

/** Width assumed when the terminal cannot tell its own. */
export const DEFAULT_COLUMNS = 80;

/** Bytes asked of stdin per read. */
const READ_BUFFER_BYTES = 4096;

/** Consecutive writes that may make no progress before output is given up as stuck. */
const MAX_WRITE_STALLS = 100;

/** Where keys come from; `Deno.stdin` fits, and so does a fake in tests. */
export interface TerminalInput {
  /** Turns raw mode on or off; absent when the input is not a terminal. */
  setRaw?(on: boolean): void;
  /** Reads into `p`, resolving to the count read or `null` at end of input. */
  read(p: Uint8Array): Promise<number | null>;
  /** Abandons a pending read so the process can exit after {@link Terminal.close}. */
  cancel?(): void;
}

/** Where the screen goes; `Deno.stdout` fits. */
export interface TerminalOutput {
  /** Writes some of `p`, returning how many bytes were written. */
  writeSync(p: Uint8Array): number;
}

/** Options of {@link Terminal}. */
export interface TerminalOptions {
  /** Shown before the input, e.g. "alice> "; may contain colour. */
  prompt: string;
  /** Tab completion; without it Tab does nothing. */
  complete?: (line: string, cursor: number) => Completion;
  /** Default: `Deno.stdin` (see the note on {@link Terminal.close} about exiting). */
  input?: TerminalInput;
  /** Default: `Deno.stdout`. */
  output?: TerminalOutput;
  /** Current width in columns. Default: `Deno.consoleSize().columns`, 80 on error. */
  width?: () => number;
  /** Subscribes to window resizes, returning the unsubscribe. Default: SIGWINCH. */
  onResize?: (listener: () => void) => () => void;
  /** Wait for the rest of an escape sequence. Default {@link ESCAPE_TIMEOUT_MS}. */
  escapeTimeoutMs?: number;
  /** Earlier lines for Up/Down, oldest first. Default none. */
  history?: readonly string[];
  /**
   * Starts every row of a printed line after its first, whether the line wrapped or held a
   * line break (then followed by `↳ `). Default two spaces.
   */
  indent?: string;
  /** Printed on the first Ctrl-C on an empty line. Default {@link INTERRUPT_NOTICE}. */
  interruptNotice?: string | (() => string);
  /** Called with each line submitted (to keep history across runs, say). */
  onSubmit?: (line: string) => void;
  /**
   * Sees each key before the editor does; returning `true` takes it (the editor never sees
   * it). The chat client switches rooms with Alt-1…9 and Ctrl-N/P this way.
   */
  onKey?: (key: Key) => boolean;
}

/**
 * An interactive input line at the bottom of the terminal, with a status area above it and
 * printed lines scrolling above both. Raw mode (and bracketed paste) starts with
 * {@link Terminal.lines} and ends with {@link Terminal.close}; outside that window `print`
 * writes plain lines. Printed lines are wrapped to the width with their continuation rows
 * indented, so that nothing printed can pass for a line of its own.
 *
 * @example
 * ```ts
 * const term = new Terminal({ prompt: "alice> " });
 * for await (const line of term.lines()) term.print(`you said: ${line}`);
 * ```
 */
export class Terminal {
  readonly #input: TerminalInput;
  readonly #output: TerminalOutput;
  readonly #width: () => number;
  readonly #onResize: (listener: () => void) => () => void;
  readonly #escapeTimeoutMs: number;
  readonly #keyOptions: OnKeyOptions;
  readonly #indent: string;
  readonly #interruptNotice: string | (() => string);
  readonly #onSubmit: ((line: string) => void) | undefined;
  readonly #onKey: ((key: Key) => boolean) | undefined;
  readonly #decoder = new KeyDecoder();
  readonly #encoder = new TextEncoder();
  readonly #buffer = new Uint8Array(READ_BUFFER_BYTES);
  readonly #closedSignal = Promise.withResolvers<void>();
  #prompt: string;
  #state: EditorState;
  #status: string[] = [];
  /** Status lines on screen now: what the next redraw must erase. */
  #statusShown = 0;
  #submitted: string[] = [];
  #pendingRead: Promise<number | null> | undefined;
  /** The one wait for input in progress, shared by lines() and readSecret(). */
  #pumping: Promise<void> | undefined;
  /** A secret being typed (see readSecret), which takes every key meanwhile. */
  #secret: { prompt: string; state: SecretState; done: (secret: string | null) => void } | null =
    null;
  #unsubscribe: (() => void) | undefined;
  #active = false;
  #ended = false;
  #closed = false;

  constructor(options: TerminalOptions) {
    this.#prompt = options.prompt;
    this.#input = options.input ?? stdinInput();
    this.#output = options.output ?? Deno.stdout;
    this.#width = options.width ?? consoleColumns;
    this.#onResize = options.onResize ?? onWindowChange;
    this.#escapeTimeoutMs = options.escapeTimeoutMs ?? ESCAPE_TIMEOUT_MS;
    this.#keyOptions = options.complete === undefined ? {} : { complete: options.complete };
    this.#indent = options.indent ?? "  ";
    this.#interruptNotice = options.interruptNotice ?? INTERRUPT_NOTICE;
    this.#onSubmit = options.onSubmit;
    this.#onKey = options.onKey;
    this.#state = createEditorState(
      options.history === undefined ? {} : { history: options.history },
    );
  }

  /**
   * Submitted lines; ends (returns) on Ctrl-D on an empty line, on Ctrl-C, at end of input, or
   * after close(). Starts raw mode on first use and closes the terminal when it ends. A submitted
   * line is not echoed: the input line is cleared, and printing it is the caller's choice.
   */
  async *lines(): AsyncIterableIterator<string> {
    this.#start();
    try {
      while (!this.#closed) {
        const line = this.#submitted.shift();
        if (line !== undefined) yield line;
        else if (this.#ended) return;
        else await this.#pumpOnce();
      }
    } finally {
      this.close();
    }
  }

  /**
   * Asks for a secret (a password) on the input line: `prompt` is shown, what is typed is not,
   * and it goes into no history (see `onSecretKey`). Resolves with it on Enter, or `null` on
   * Ctrl-C, Ctrl-D, Escape, end of input or close; the line being edited comes back after.
   * Input is read meanwhile whether or not lines() is being consumed.
   */
  async readSecret(prompt: string): Promise<string | null> {
    if (this.#closed || this.#ended || this.#secret !== null) return null;
    this.#start();
    const { promise, resolve } = Promise.withResolvers<string | null>();
    this.#secret = { prompt, state: EMPTY_SECRET, done: resolve };
    this.#write(this.#inputLine());
    let answered = false;
    promise.then(() => answered = true);
    while (!answered && !this.#closed && !this.#ended) await this.#pumpOnce();
    if (!answered) this.#endSecret(null);
    return await promise;
  }

  #endSecret(secret: string | null): void {
    const done = this.#secret?.done;
    this.#secret = null;
    done?.(secret);
    if (this.#active) this.#write(this.#inputLine());
  }

  /** Prints lines above the input line, keeping what is being typed intact. */
  print(...lines: string[]): void {
    if (!this.#active) {
      this.#write(this.#wrap(lines).map((row) => `${row}\n`).join(""));
      return;
    }
    this.#redraw(lines);
  }

  /** Replaces the status area (e.g. progress bars) shown just above the input line. */
  setStatus(lines: string[]): void {
    this.#status = [...lines];
    if (this.#active) this.#redraw([]);
  }

  /** The terminal's width in columns now. */
  get columns(): number {
    return this.#columns();
  }

  /** Rings the terminal's bell (while the terminal is in use). */
  bell(): void {
    if (this.#active) this.#write("\x07");
  }

  /** Clears the screen, then draws the status area and the input line again. */
  clear(): void {
    if (!this.#active) return;
    this.#write(CLEAR_SCREEN);
    this.#statusShown = 0;
    this.#redraw([]);
  }

  /** Changes the prompt and redraws the input line. */
  setPrompt(prompt: string): void {
    this.#prompt = prompt;
    if (this.#active) this.#write(this.#inputLine());
  }

  /**
   * Restores the terminal (raw mode off, input line cleared); safe to call twice.
   *
   * Closing while lines() waits for a key leaves that stdin read pending (Deno cannot cancel
   * it), which keeps the process alive until a key arrives: a program that closes the terminal
   * for its own reasons, such as the server going away, should end with `Deno.exit()`.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closedSignal.resolve();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#active) {
      this.#active = false;
      try {
        this.#write(clearArea(this.#statusShown) + BRACKETED_PASTE_OFF);
      } finally {
        this.#statusShown = 0;
        this.#input.setRaw?.(false);
      }
    }
    this.#input.cancel?.();
  }

  #start(): void {
    if (this.#active || this.#closed) return;
    this.#input.setRaw?.(true);
    this.#write(BRACKETED_PASTE_ON);
    this.#active = true;
    this.#unsubscribe = this.#onResize(() => {
      if (this.#active) this.#redraw([]);
    });
    this.#redraw([]);
  }

  /** Waits once for input, sharing the wait with any other caller waiting now. */
  #pumpOnce(): Promise<void> {
    this.#pumping ??= this.#pump().finally(() => this.#pumping = undefined);
    return this.#pumping;
  }

  /** Waits for input (or close, or the escape timeout) and handles what came. */
  async #pump(): Promise<void> {
    this.#pendingRead ??= this.#input.read(this.#buffer).catch(() => null);
    const read = this.#pendingRead.then((n) => ({ n }));
    const closed = this.#closedSignal.promise.then(() => "closed" as const);
    const timer = this.#decoder.pending ? delay(this.#escapeTimeoutMs) : undefined;
    const waits = timer === undefined ? [read, closed] : [read, closed, timer.promise];
    let outcome: { n: number | null } | "closed" | "timeout";
    try {
      outcome = await Promise.race(waits);
    } finally {
      timer?.cancel();
    }
    if (outcome === "closed" || this.#closed) return;
    if (outcome === "timeout") return this.#handle(this.#decoder.flush());
    this.#pendingRead = undefined;
    if (outcome.n === null) this.#ended = true;
    else this.#handle(this.#decoder.push(this.#buffer.subarray(0, outcome.n)));
  }

  #handle(keys: Key[]): void {
    const before = this.#state;
    for (const key of keys) {
      if (this.#ended) break;
      if (this.#secret !== null) {
        this.#secretKey(key);
        continue;
      }
      if (this.#onKey?.(key) === true) continue;
      const result = onKey(this.#state, key, this.#keyOptions);
      this.#state = result.state;
      if (result.action !== undefined) this.#act(result.action);
    }
    if (!this.#ended && this.#state !== before) this.#write(this.#inputLine());
  }

  #secretKey(key: Key): void {
    const step = onSecretKey(this.#secret!.state, key);
    this.#secret!.state = step.state;
    if (step.end !== undefined) {
      this.#endSecret(step.end.kind === "submit" ? step.end.secret : null);
    }
  }

  #act(action: EditorAction): void {
    switch (action.kind) {
      case "submit":
        this.#submitted.push(action.line);
        this.#onSubmit?.(action.line);
        break;
      case "confirm-interrupt":
        this.#redraw([
          typeof this.#interruptNotice === "string"
            ? this.#interruptNotice
            : this.#interruptNotice(),
        ]);
        break;
      case "eof":
      case "interrupt":
        this.#ended = true;
        break;
      case "candidates":
        this.#redraw([action.items.join("  ")]);
        break;
      case "redraw":
        this.clear();
        break;
    }
  }

  /** Prints `lines` (possibly none) above a freshly drawn status area and input line. */
  #redraw(lines: readonly string[]): void {
    const status = fitStatus(this.#status, { width: this.#columns() });
    const erase = this.#statusShown;
    this.#statusShown = status.length;
    this.#write(renderAbove(this.#wrap(lines), status, this.#inputLine(), { erase }));
  }

  /** Wraps printed lines; the last column stays empty, so no terminal wraps on its own. */
  #wrap(lines: readonly string[]): string[] {
    const wrap = { width: Math.max(1, this.#columns() - 1), indent: this.#indent };
    return lines.flatMap((line) => wrapLine(line, wrap));
  }

  #inputLine(): string {
    // A secret shows its prompt alone: nothing typed, not even its length.
    if (this.#secret !== null) {
      return renderInput({ buffer: "", cursor: 0 }, {
        prompt: this.#secret.prompt,
        width: this.#columns(),
      });
    }
    return renderInput(this.#state, { prompt: this.#prompt, width: this.#columns() });
  }

  #columns(): number {
    const columns = Math.floor(this.#width());
    return Number.isFinite(columns) && columns >= 1 ? columns : DEFAULT_COLUMNS;
  }

  /** Writes all of `text`, looping over partial writes. */
  #write(text: string): void {
    const bytes = this.#encoder.encode(text);
    let offset = 0;
    let stalls = 0;
    while (offset < bytes.length) {
      const n = this.#output.writeSync(bytes.subarray(offset));
      if (n > 0) {
        offset += n;
        stalls = 0;
      } else if (++stalls >= MAX_WRITE_STALLS) {
        return; // The output takes nothing: drop the frame rather than spin forever.
      }
    }
  }
}

/** Resolves to "timeout" after `ms`, unless cancelled first (which clears the timer). */
function delay(ms: number): { promise: Promise<"timeout">; cancel: () => void } {
  let id: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<"timeout">((resolve) => {
    id = setTimeout(() => resolve("timeout"), ms);
  });
  return { promise, cancel: () => clearTimeout(id) };
}

function consoleColumns(): number {
  try {
    return Deno.consoleSize().columns || DEFAULT_COLUMNS;
  } catch {
    return DEFAULT_COLUMNS;
  }
}

/** Subscribes to SIGWINCH where the platform has it. */
function onWindowChange(listener: () => void): () => void {
  try {
    Deno.addSignalListener("SIGWINCH", listener);
  } catch {
    return () => {};
  }
  return () => Deno.removeSignalListener("SIGWINCH", listener);
}

/**
 * Stdin as the default input. Deno cannot cancel a pending stdin read (neither `read` nor a
 * stream reader's `cancel` releases it), and a pending read keeps the process alive. So reads
 * are made only while a line is awaited, and nothing is read ahead: after lines() ends by a key
 * or by the caller breaking out of it, the process can exit. A close() while a read is pending
 * cannot release it; the caller then ends the process with `Deno.exit()`.
 */
function stdinInput(): TerminalInput {
  return {
    setRaw: (on) => Deno.stdin.setRaw(on),
    read: (p) => Deno.stdin.read(p),
  };
}
