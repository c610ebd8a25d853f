/**
 * One simulated chat user in the load generator: a TCP connection, one reused read buffer,
 * a swappable handler for what arrives, and one writer so writes never interleave.
 * @module
 */

import { LineScanner } from "./line_scanner.ts";
import { DeliveryChecker } from "./delivery_checker.ts";
import { concatBytes } from "../../lib/chat/concat_bytes.ts";

/** Bytes read at once per connection; reused for every read of that connection. */
export const READ_BUFFER_BYTES = 16 * 1024;

/** What a client does with the bytes it reads; `chunk` is only valid during the call. */
export type ChunkHandler = (client: BenchClient, chunk: Uint8Array) => void;

/** Until a phase says what to do with them: lines are split and dropped. */
export const ignoreLines: ChunkHandler = (client, chunk) => {
  client.scanner.split(chunk, () => {});
};

/** Settings of {@linkcode BenchClient.connect}. */
export interface BenchClientOptions {
  /** Called with the size of every read (default: nothing). */
  onRead?: (bytes: number) => void;
  /** Speak TLS, trusting this PEM certificate (default: plaintext). */
  caCert?: string;
}

/**
 * A connected simulated user. Starts reading at once, handing each read to
 * {@linkcode BenchClient.onChunk}; a phase of the benchmark swaps the handler.
 */
export class BenchClient {
  /** The name the user logs in with. */
  readonly nick: string;
  /** Line finder for this connection's input. */
  readonly scanner: LineScanner = new LineScanner();
  /** Messages this user received and accepted (first arrivals), since login. */
  received = 0;
  /** The check of every message this user receives. */
  readonly checker: DeliveryChecker = new DeliveryChecker();
  /** Rooms this user is in. */
  rooms: readonly string[] = [];
  /** The room this user talks in, if it is a sender. */
  talksIn = "";
  /** Messages this user has sent (the last sequence number used). */
  sent = 0;
  /** Messages of this user the server has acknowledged. */
  acked = 0;
  /** What to do with bytes read. */
  onChunk: ChunkHandler = ignoreLines;
  /** Why the connection ended, or `null` while it is open. */
  closedBecause: string | null = null;
  readonly #conn: Deno.TcpConn | Deno.TlsConn;
  readonly #options: BenchClientOptions;
  readonly #buffer = new Uint8Array(READ_BUFFER_BYTES);
  readonly #ended = Promise.withResolvers<string>();
  #outbox: Uint8Array[] = [];
  #writing = false;

  /**
   * Opens a connection to `127.0.0.1:port` with Nagle's algorithm off, over TLS (its
   * handshake done) when `options.caCert` is given.
   */
  static async connect(
    port: number,
    nick: string,
    options: BenchClientOptions = {},
  ): Promise<BenchClient> {
    const hostname = "127.0.0.1";
    if (options.caCert !== undefined) {
      // Deno.connectTls sets no delay on its TCP socket itself.
      const conn = await Deno.connectTls({ hostname, port, caCerts: [options.caCert] });
      await conn.handshake();
      return new BenchClient(conn, nick, options);
    }
    const conn = await Deno.connect({ hostname, port });
    conn.setNoDelay(true);
    return new BenchClient(conn, nick, options);
  }

  private constructor(
    conn: Deno.TcpConn | Deno.TlsConn,
    nick: string,
    options: BenchClientOptions,
  ) {
    this.#conn = conn;
    this.nick = nick;
    this.#options = options;
    this.#readLoop();
  }

  /** Resolves with the reason once the connection has ended, by either side. */
  get ended(): Promise<string> {
    return this.#ended.promise;
  }

  /** Queues bytes to send; they go out in order, after anything queued before. */
  send(bytes: Uint8Array): void {
    if (this.closedBecause !== null) return;
    this.#outbox.push(bytes);
    if (!this.#writing) this.#writeLoop();
  }

  /** Closes the connection; reading stops and nothing more is sent. */
  close(): void {
    this.#end("closed by the generator");
  }

  async #readLoop(): Promise<void> {
    const buffer = this.#buffer;
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (n === null) return this.#end("closed by the server");
        this.#options.onRead?.(n);
        this.onChunk(this, buffer.subarray(0, n));
      }
    } catch (error) {
      this.#end(error instanceof Error ? error.message : String(error));
    }
  }

  async #writeLoop(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#outbox.length > 0 && this.closedBecause === null) {
        const bytes = joinAll(this.#outbox);
        this.#outbox = [];
        for (let at = 0; at < bytes.length;) at += await this.#conn.write(bytes.subarray(at));
      }
    } catch (error) {
      this.#end(error instanceof Error ? error.message : String(error));
    } finally {
      this.#writing = false;
    }
  }

  #end(reason: string): void {
    if (this.closedBecause !== null) return;
    this.closedBecause = reason;
    this.#outbox = [];
    try {
      this.#conn.close();
    } catch {
      // Already closed by the failing read or write.
    }
    this.#ended.resolve(reason);
  }
}

function joinAll(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  return concatBytes(chunks, chunks.reduce((n, c) => n + c.length, 0));
}
