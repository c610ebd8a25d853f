/**
 * What a connection is built from; `ServerEndpoint` and `ClientConnection` fill it in.
 *
 * @module
 */
import type { ChunkSource } from "../streams/chunk_source.ts";
import type { Direction } from "../wire/frame.ts";
import type { ClientHandshake, ServerHandshake } from "./handshake.ts";
import type { TransportOptions } from "./transport_options.ts";

/** Everything a connection needs; built by `ServerEndpoint` and `ClientConnection`. */
export interface ConnectionConfig {
  role: "client" | "server";
  direction: Direction;
  transferId: number;
  size: number;
  startOffset: number;
  /** Required on the data-sending side. */
  source?: ChunkSource | undefined;
  localCid: Uint8Array;
  /** The peer's connection id; the client learns it from the challenge. */
  remoteCid: Uint8Array | null;
  handshake: ClientHandshake | ServerHandshake;
  /** Client only: the grant's token, sent in the hello. */
  token?: Uint8Array;
  /** This side's datagram limit (the peer's is learnt in the handshake). */
  maxDatagramBytes: number;
  /**
   * The local interface's MTU less IP and UDP headers, when the OS tells it: one more bound on
   * the path MTU search. Default: unknown.
   */
  interfaceDatagramBytes?: number | null | undefined;
  transport: TransportOptions;
}
