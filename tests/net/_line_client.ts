/**
 * A bare test client: raw TCP, whole JSON lines in and out, waits for a given reply.
 * @module
 */

import { LineDecoder } from "../../lib/chat/line_decoder.ts";
import { Arrivals } from "../_arrivals.ts";

/** A message as received, untyped. */
export type Line = Record<string, unknown> & { type: string };

/** A raw connection that reads lines into a queue the test waits on. */
export class LineClient {
  readonly conn: Deno.TcpConn | Deno.TlsConn;
  readonly received: Line[] = [];
  readonly closed: Promise<void>;
  readonly #arrivals = new Arrivals();

  private constructor(conn: Deno.TcpConn | Deno.TlsConn, read: boolean) {
    this.conn = conn;
    this.closed = read ? this.#readLoop() : Promise.resolve();
  }

  /** Connects; with `read: false` the client never reads (a stuck reader). */
  static async connect(port: number, options: { read?: boolean } = {}): Promise<LineClient> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    return new LineClient(conn, options.read ?? true);
  }

  /** Connects over TLS, trusting `caCerts`, to `hostname` (default 127.0.0.1). */
  static async connectTls(
    port: number,
    caCerts: string[],
    hostname = "127.0.0.1",
  ): Promise<LineClient> {
    const conn = await Deno.connectTls({ hostname, port, caCerts });
    await conn.handshake();
    return new LineClient(conn, true);
  }

  /** Connects (over TLS when given `caCerts`) and logs in; throws unless welcomed. */
  static async login(
    port: number,
    name: string,
    tls?: { caCerts: string[]; hostname?: string },
  ): Promise<LineClient> {
    const client = tls === undefined
      ? await LineClient.connect(port)
      : await LineClient.connectTls(port, tls.caCerts, tls.hostname);
    await client.nextOfType("hello");
    await client.send({ type: "login", id: "login", name });
    const reply = await client.next((m) => m.re === "login");
    if (reply.type !== "welcome") {
      throw new Error(`Login as ${name} failed: ${JSON.stringify(reply)}`);
    }
    return client;
  }

  /** Logs in speaking protocol 2 and joins `rooms` (besides #lobby); throws on a refusal. */
  static async member(port: number, name: string, rooms: string[] = []): Promise<LineClient> {
    const client = await LineClient.connect(port);
    await client.nextOfType("hello");
    await client.send({ type: "login", id: "login", name, protocol: 2 });
    const reply = await client.next((m) => m.re === "login");
    if (reply.type !== "welcome") throw new Error(`Login as ${name}: ${JSON.stringify(reply)}`);
    for (const room of rooms) {
      await client.send({ type: "join", id: room, room });
      const joined = await client.next((m) => m.re === room);
      if (joined.type !== "joined") throw new Error(`Join ${room}: ${JSON.stringify(joined)}`);
    }
    return client;
  }

  /** Sends an object as a JSON line. */
  send(value: object): Promise<void> {
    return this.sendRaw(new TextEncoder().encode(JSON.stringify(value) + "\n"));
  }

  /** Sends raw bytes. */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) offset += await this.conn.write(bytes.subarray(offset));
  }

  /** Waits for (and removes) the first received line matching `match`. */
  async next(match: (line: Line) => boolean, timeoutMs = 5000): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex(match);
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      if (Date.now() > deadline) {
        throw new Error(`Timed out; received: ${JSON.stringify(this.received).slice(0, 500)}`);
      }
      await this.#arrivals.next(deadline - Date.now());
    }
  }

  /** Waits for a line of this type. */
  nextOfType(type: string, timeoutMs?: number): Promise<Line> {
    return this.next((m) => m.type === type, timeoutMs);
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
    const decoder = new LineDecoder(1 << 20);
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (let n = await this.conn.read(buffer); n !== null; n = await this.conn.read(buffer)) {
        for (const result of decoder.push(buffer.subarray(0, n))) {
          if (result.ok) this.received.push(JSON.parse(result.line));
        }
        this.#arrivals.arrived();
      }
    } catch {
      // Closed.
    }
    this.received.push({ type: "<eof>" });
    this.#arrivals.arrived();
  }
}
