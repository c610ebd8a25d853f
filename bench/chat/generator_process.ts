/**
 * The benchmark's handle on its load generator: a separate Deno process with a raised
 * open-file limit, commanded over its stdin and stdout.
 * @module
 */

import type {
  FanoutCommand,
  FanoutReport,
  LatencyCommand,
  LatencyReport,
  SetupCommand,
  SetupReport,
} from "./generator_messages.ts";
import { parseReply } from "./generator_messages.ts";
import { LineScanner } from "./line_scanner.ts";
import { waitAtMost } from "./timing.ts";

/** Open files wanted by each process: the generator and the server hold one socket per user. */
export const OPEN_FILES = 65536;
/** How long the generator may take to exit once told to. */
export const EXIT_WAIT_MS = 5_000;
const GENERATOR = new URL("./load_generator.ts", import.meta.url).pathname;
const utf8 = new TextEncoder();

/** A command for `sh -c` that raises the open-file limit as far as allowed, then runs `"$@"`. */
export const RAISE_LIMIT_THEN_EXEC =
  `ulimit -n ${OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`;

/** A running generator; one command at a time. */
export class GeneratorProcess {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #scanner = new LineScanner();
  readonly #lines: string[] = [];

  /** Starts a generator process. */
  constructor() {
    this.#child = new Deno.Command("sh", {
      args: [
        "-c",
        RAISE_LIMIT_THEN_EXEC,
        "sh",
        Deno.execPath(),
        "run",
        "--allow-net",
        "--allow-read",
        "--allow-run=cat",
        GENERATOR,
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#reader = this.#child.stdout.getReader();
  }

  /** The generator's process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** Connects and logs in the users. */
  setup(command: Omit<SetupCommand, "cmd">): Promise<SetupReport> {
    return this.#request({ cmd: "setup", ...command }) as Promise<SetupReport>;
  }

  /** Runs senders at full speed. */
  fanout(command: Omit<FanoutCommand, "cmd">): Promise<FanoutReport> {
    return this.#request({ cmd: "fanout", ...command }) as Promise<FanoutReport>;
  }

  /** Runs the fixed-load latency measurement. */
  latency(command: Omit<LatencyCommand, "cmd">): Promise<LatencyReport> {
    return this.#request({ cmd: "latency", ...command }) as Promise<LatencyReport>;
  }

  /** Closes every user and waits for the process to exit. */
  async quit(): Promise<void> {
    try {
      await this.#request({ cmd: "quit" });
      await this.#writer.close();
    } catch {
      // Already gone: make sure below.
    }
    await this.#reader.cancel().catch(() => {});
    const done = await waitAtMost(this.#child.status, EXIT_WAIT_MS);
    if (done === null) {
      this.#child.kill("SIGKILL");
      await this.#child.status;
    }
  }

  async #request(command: object): Promise<unknown> {
    await this.#writer.write(utf8.encode(JSON.stringify(command) + "\n"));
    const reply = parseReply(await this.#readLine());
    if (!reply.ok) throw new Error(`Load generator failed: ${reply.error}`);
    return reply.report;
  }

  async #readLine(): Promise<string> {
    const decoder = new TextDecoder();
    while (this.#lines.length === 0) {
      const { value, done } = await this.#reader.read();
      if (done) throw new Error("Load generator exited unexpectedly");
      this.#scanner.split(value, (line) => this.#lines.push(decoder.decode(line)));
    }
    return this.#lines.shift()!;
  }
}
