/**
 * Adapters that put a `ServerEndpoint` or a `ClientConnection` on a {@linkcode SimLink}, and
 * drain their events the way a driver would, optionally as a slow writer that takes data
 * events no faster than a given rate.
 *
 * @module
 */
import type { ClientConnection } from "../rudp/client_connection.ts";
import type { TransferEvent } from "../rudp/connection/events.ts";
import type { ServerEndpoint, ServerEvent } from "../rudp/server_endpoint.ts";
import type { SimNode } from "./link.ts";

/** Options of the adapters. */
export interface NodeOptions<E> {
  /** Receives every event polled. */
  onEvent?: (event: E, now: number) => void;
  /** Take data events no faster than this many bytes per ms (a slow disk). Default unlimited. */
  sinkBytesPerMs?: number;
}

/**
 * What both adapters encode datagrams into, copying each out as a socket's `send` does: every
 * simulated transfer takes the reused-buffer path the UDP driver takes.
 */
const SEND_BUFFER = new Uint8Array(65_507);

/** Wraps a server endpoint as a node at `address`. */
export function serverNode(
  endpoint: ServerEndpoint,
  address: string,
  options: NodeOptions<ServerEvent> = {},
): SimNode {
  const drain = new EventDrain<ServerEvent>(() => endpoint.pollEvent(), options);
  return {
    address,
    handleDatagram: (now, bytes, from) => endpoint.handleDatagram(now, bytes, from),
    handleTimeout: (now) => endpoint.handleTimeout(now),
    pollTransmit: (now) => {
      const out = endpoint.pollTransmit(now, SEND_BUFFER);
      return out === null ? null : { to: out.to, bytes: out.bytes.slice() };
    },
    pollTimeout: () => earliest(endpoint.pollTimeout(), drain.wakeAt),
    service: (now) => drain.run(now),
  };
}

/** Wraps a client connection as a node at `address` talking to `server`. */
export function clientNode(
  client: ClientConnection,
  address: string,
  server: string,
  options: NodeOptions<TransferEvent> = {},
): SimNode {
  const drain = new EventDrain<TransferEvent>(() => client.pollEvent(), options);
  return {
    address,
    handleDatagram: (now, bytes, from) => client.handleDatagram(now, bytes, from),
    handleTimeout: (now) => client.handleTimeout(now),
    pollTransmit: (now) => {
      const bytes = client.pollTransmit(now, SEND_BUFFER);
      return bytes === null ? null : { to: server, bytes: bytes.slice() };
    },
    pollTimeout: () => earliest(client.pollTimeout(), drain.wakeAt),
    service: (now) => drain.run(now),
  };
}

/** Polls events, pausing before a data event while a slow sink's budget is spent. */
class EventDrain<E extends TransferEvent> {
  /** When the sink can take more, or null when it is not waiting. */
  wakeAt: number | null = null;
  #held: E | null = null;
  #budget = 0;
  #last = 0;

  constructor(private readonly poll: () => E | null, private readonly options: NodeOptions<E>) {}

  run(now: number): void {
    const rate = this.options.sinkBytesPerMs;
    if (rate !== undefined) {
      this.#budget = Math.min(this.#budget + (now - this.#last) * rate, 64 * 1024 + rate);
    }
    this.#last = now;
    this.wakeAt = null;
    for (;;) {
      const event = this.#held ?? this.poll();
      this.#held = null;
      if (event === null) return;
      if (rate !== undefined && event.kind === "data") {
        // Peek is impossible, so an event already polled is "being written" until paid for.
        if (this.#budget < 0) {
          this.#held = event;
          this.wakeAt = now + Math.max(-this.#budget / rate, 0.001);
          return;
        }
        this.#budget -= event.bytes.length;
      }
      this.options.onEvent?.(event, now);
    }
  }
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
