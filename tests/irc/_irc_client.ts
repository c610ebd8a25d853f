import { Arrivals } from "../_arrivals.ts";
/**
 * A raw IRC client for tests: real TCP, lines in and out as text, waits for a given line.
 * @module
 */

const utf8 = new TextEncoder();

/** A raw IRC connection that reads lines into a queue the test waits on. */
export class IrcClient {
  readonly conn: Deno.TcpConn;
  readonly received: string[] = [];
  readonly closed: Promise<void>;
  #eof = false;
  readonly #arrivals = new Arrivals();

  private constructor(conn: Deno.TcpConn) {
    this.conn = conn;
    this.closed = this.#readLoop();
  }

  /** Connects to `port` on 127.0.0.1. */
  static async connect(port: number): Promise<IrcClient> {
    return new IrcClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Connects and registers as `nick` after a CAP negotiation of `caps`; waits for 001. */
  static async register(port: number, nick: string, caps = "echo-message"): Promise<IrcClient> {
    const client = await IrcClient.connect(port);
    await client.send("CAP LS 302", `NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
    await client.next(/ CAP \* LS /);
    await client.send(`CAP REQ :${caps}`, "CAP END");
    await client.next(new RegExp(` 001 ${nick} `));
    await client.next(new RegExp(` 366 ${nick} #lobby `));
    return client;
  }

  /** Sends each line with CR LF. */
  async send(...lines: string[]): Promise<void> {
    await this.sendRaw(utf8.encode(lines.map((l) => l + "\r\n").join("")));
  }

  /** Sends raw bytes. */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) offset += await this.conn.write(bytes.subarray(offset));
  }

  /** Waits for (and removes) the first line received matching `match`. */
  async next(match: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((line) => match.test(line));
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      if (this.#eof || Date.now() > deadline) {
        const got = this.received.join("\n").slice(-1000);
        throw new Error(`No line matching ${match}${this.#eof ? " before EOF" : ""}; got:\n${got}`);
      }
      await this.#arrivals.next(deadline - Date.now());
    }
  }

  /** Waits until the server closes the connection. */
  async eof(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#eof) {
      if (Date.now() > deadline) throw new Error("The server did not close the connection");
      await this.#arrivals.next(deadline - Date.now());
    }
  }

  /** Closes the connection (safe to call twice) and waits for the reader to stop. */
  async close(): Promise<void> {
    try {
      this.conn.close();
    } catch {
      // Closed by the server already.
    }
    await this.closed;
  }

  async #readLoop(): Promise<void> {
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(64 * 1024);
    let partial = "";
    try {
      for (let n = await this.conn.read(buffer); n !== null; n = await this.conn.read(buffer)) {
        const lines = (partial + decoder.decode(buffer.subarray(0, n), { stream: true }))
          .split("\r\n");
        partial = lines.pop()!;
        this.received.push(...lines);
        this.#arrivals.arrived();
      }
    } catch {
      // Closed.
    }
    this.#eof = true;
    this.#arrivals.arrived();
  }
}
