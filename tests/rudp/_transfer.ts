// Shared scaffolding for the simulated transfer tests: a synthetic file, a hashing sink and a
// one-call run of a server endpoint and clients over a SimLink.
import { createHash } from "node:crypto";
import type { ChunkSource } from "../../lib/rudp/streams/chunk_source.ts";
import { ClientConnection, type ClientOptions } from "../../lib/rudp/client_connection.ts";
import type { TransferEvent } from "../../lib/rudp/connection/events.ts";
import type { Direction } from "../../lib/rudp/wire/frame.ts";
import { ServerEndpoint, type ServerEvent } from "../../lib/rudp/server_endpoint.ts";
import type { TransportOptions } from "../../lib/rudp/connection/transport_options.ts";
import type { ImpairmentOptions } from "../../lib/netsim/impairment.ts";
import { SimLink, type SimLinkOptions } from "../../lib/netsim/link.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { clientNode, serverNode } from "../../lib/netsim/transfer_nodes.ts";
import { TEST_KEY } from "./_keys.ts";

export const SERVER = "10.0.0.1:9000";
export const CLIENT = "10.0.0.2:40000";

/** File bytes derived from the offset: a pseudo-random block of a prime length, repeated. */
export class PatternSource implements ChunkSource {
  static readonly PERIOD = 1_048_573;
  readonly #block: Uint8Array;
  /** When set, every read returns a view of this one buffer, as a file-backed source may. */
  readonly #scratch: Uint8Array | null;
  reads = 0;

  constructor(seed = 7, options: { reuseBuffer?: boolean } = {}) {
    this.#scratch = options.reuseBuffer ? new Uint8Array(PatternSource.PERIOD) : null;
    this.#block = new Uint8Array(PatternSource.PERIOD * 2);
    const half = this.#block.subarray(0, PatternSource.PERIOD);
    new Prng(seed).fill(half);
    this.#block.set(half, PatternSource.PERIOD);
  }

  read(offset: number, length: number): Uint8Array {
    this.reads++;
    const out = this.#scratch !== null && length <= this.#scratch.length
      ? this.#scratch.subarray(0, length)
      : new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = (offset + done) % PatternSource.PERIOD;
      const n = Math.min(length - done, PatternSource.PERIOD);
      out.set(this.#block.subarray(at, at + n), done);
      done += n;
    }
    return out;
  }

  /** SHA-256 of `[start, end)`. */
  sha256(start: number, end: number): string {
    const hash = createHash("sha256");
    for (let offset = start; offset < end; offset += 1 << 20) {
      hash.update(this.read(offset, Math.min(1 << 20, end - offset)));
    }
    return hash.digest("hex");
  }
}

/** Hashes data events, insisting they arrive in order without gaps or overlaps. */
export class HashingSink {
  readonly #hash = createHash("sha256");
  next: number;
  constructor(readonly start: number) {
    this.next = start;
  }

  write(offset: number, bytes: Uint8Array): void {
    if (offset !== this.next) {
      throw new Error(`Data out of order: got ${offset}, expected ${this.next}`);
    }
    this.#hash.update(bytes);
    this.next += bytes.length;
  }

  digest(): string {
    return this.#hash.digest("hex");
  }
}

export interface TransferSetup {
  seed: number;
  size: number;
  direction?: Direction;
  startOffset?: number;
  toServer?: ImpairmentOptions;
  toClient?: ImpairmentOptions;
  transport?: TransportOptions;
  clientTransport?: TransportOptions;
  /** What each side's local interface carries (path MTU bounds); default unknown. */
  interfaceDatagramBytes?: { server?: (peer: string) => number | null; client?: number };
  sinkBytesPerMs?: number;
  /** Serve from a source that reuses one buffer for every read. */
  reusingSource?: boolean;
  wakeGranularityMs?: number;
  maxTimeMs?: number;
  onSend?: SimLinkOptions["onSend"];
  filter?: SimLinkOptions["filter"];
  /** Called once the nodes exist, before running (to inject packets and so on). */
  before?: (ctx: { link: SimLink; endpoint: ServerEndpoint; client: ClientConnection }) => void;
}

export interface TransferResult {
  link: SimLink;
  endpoint: ServerEndpoint;
  client: ClientConnection;
  serverEvents: ServerEvent[];
  clientEvents: TransferEvent[];
  expectedHash: string;
  receivedHash: string;
  /** Stats of the data sender's connection, captured when it closed. */
  senderStats: ReturnType<ClientConnection["stats"]>;
  timeMs: number;
}

/** Runs one transfer to the end (both sides closed) and reports what happened. */
export function runTransfer(setup: TransferSetup): TransferResult {
  const direction = setup.direction ?? "download";
  const startOffset = setup.startOffset ?? 0;
  const prng = new Prng(setup.seed ^ 0x5eed);
  const source = new PatternSource(7, { reuseBuffer: setup.reusingSource ?? false });
  const token = new Uint8Array(16);
  prng.fill(token);
  const key = TEST_KEY; // Not from the PRNG: the seeds replay the runs they did before sealing.
  const link = new SimLink({
    seed: setup.seed,
    path: (from) => (from === SERVER ? setup.toClient : setup.toServer) ?? {},
    ...(setup.wakeGranularityMs !== undefined
      ? { wakeGranularityMs: setup.wakeGranularityMs }
      : {}),
    ...(setup.onSend ? { onSend: setup.onSend } : {}),
    ...(setup.filter ? { filter: setup.filter } : {}),
  });
  const serverInterface = setup.interfaceDatagramBytes?.server;
  const endpoint = new ServerEndpoint({
    random: (b) => prng.fill(b),
    ...setup.transport,
    ...(serverInterface ? { interfaceDatagramBytes: serverInterface } : {}),
  });
  endpoint.expect({
    transferId: 1,
    token,
    key,
    direction,
    size: setup.size,
    startOffset,
    ...(direction === "download" ? { source } : {}),
    expiresAt: 60_000,
  });
  const clientOptions: ClientOptions = {
    transferId: 1,
    token,
    key,
    direction,
    size: setup.size,
    startOffset,
    random: (b) => prng.fill(b),
    ...(direction === "upload" ? { source } : {}),
    ...(setup.clientTransport ?? setup.transport),
    interfaceDatagramBytes: setup.interfaceDatagramBytes?.client ?? null,
  };
  const client = new ClientConnection(clientOptions, 0);
  const sink = new HashingSink(startOffset);
  const serverEvents: ServerEvent[] = [];
  const clientEvents: TransferEvent[] = [];
  let senderStats: TransferResult["senderStats"] | null = null;
  let serverClosed = false;
  const sinkOption = setup.sinkBytesPerMs !== undefined
    ? { sinkBytesPerMs: setup.sinkBytesPerMs }
    : {};
  link.add(serverNode(endpoint, SERVER, {
    onEvent: (e) => {
      if (e.kind === "data") sink.write(e.offset, e.bytes);
      else serverEvents.push(e);
      if (e.kind === "completed" && direction === "download") {
        senderStats = { ...endpoint.transferStats(1)!, dropped: endpoint.stats().dropped };
      }
      if (e.kind === "closed") serverClosed = true;
    },
    ...(direction === "upload" ? sinkOption : {}),
  }));
  link.add(clientNode(client, CLIENT, SERVER, {
    onEvent: (e) => {
      if (e.kind === "data") sink.write(e.offset, e.bytes);
      else clientEvents.push(e);
      if (e.kind === "completed" && direction === "upload") senderStats = client.stats();
    },
    ...(direction === "download" ? sinkOption : {}),
  }));
  setup.before?.({ link, endpoint, client });
  const result = link.run(
    () => client.isClosed && serverClosed && clientEvents.at(-1)?.kind === "closed",
    {
      maxTimeMs: setup.maxTimeMs ?? 600_000,
    },
  );
  return {
    link,
    endpoint,
    client,
    serverEvents,
    clientEvents,
    expectedHash: new PatternSource().sha256(startOffset, setup.size),
    receivedHash: sink.digest(),
    senderStats: senderStats ?? client.stats(),
    timeMs: result.now,
  };
}

/** Runs `fn`; on failure, rethrows with the seed in the message so the run can be replayed. */
export function withSeed<T>(seed: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`[seed ${seed}] ${message}`, { cause: error });
  }
}
