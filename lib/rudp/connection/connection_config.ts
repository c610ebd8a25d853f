/**
 * What a connection is built from; `ServerEndpoint` and `ClientConnection` fill it in.
 *
 * @module
 */
import type { ChunkSource } from "../streams/chunk_source.ts";
import type { Direction } from "../wire/frame.ts";
import type { ClientHandshake, ServerHandshake } from "./handshake.ts";
import type { TransportOptions } from "./transport_options.ts";
import type { PacketProtection } from "../seal/packet_protection.ts";

/**
 * Everything a connection needs; built by `ServerEndpoint` and `ClientConnection`. What only
 * one role has lives in its variant: `role` tells them apart.
 */
export type ConnectionConfig = CommonConfig & RoleConfig;

/** The client opens with a hello carrying the grant's token; the server answers with a challenge. */
export type RoleConfig =
  | { role: "client"; handshake: ClientHandshake }
  | { role: "server"; handshake: ServerHandshake };

/** The client's handshake, or null on the server. */
export function clientHandshakeOf(config: ConnectionConfig): ClientHandshake | null {
  return config.role === "client" ? config.handshake : null;
}

/** The server's handshake, or null on the client. */
export function serverHandshakeOf(config: ConnectionConfig): ServerHandshake | null {
  return config.role === "server" ? config.handshake : null;
}

/** What both roles' configurations hold. */
export interface CommonConfig {
  direction: Direction;
  /** The grant's token: the client sends it in its hello, the server checks a hello against it. */
  token: Uint8Array;
  transferId: number;
  size: number;
  startOffset: number;
  /** Required on the data-sending side. */
  source?: ChunkSource | undefined;
  localCid: Uint8Array;
  /** The peer's connection id; the client learns it from the challenge. */
  remoteCid: Uint8Array | null;
  /** This side's datagram limit (the peer's is learnt in the handshake). */
  maxDatagramBytes: number;
  /** What this side announces its receive buffer holds, bytes (see `TransportOptions`). */
  receiveBufferBytes: number;
  /**
   * The peer's announced receive buffer, bytes, as announced (bounded where it is taken, in
   * `Recovery`), where the handshake told it before the connection was made (a server learns it
   * from the hello); a client learns it later, from the challenge. Default:
   * `RECEIVER_BUFFER_BYTES` until told.
   */
  peerReceiveBufferBytes?: number | undefined;
  /**
   * The local interface's MTU less IP and UDP headers, when the OS tells it: one more bound on
   * the path MTU search. Default: unknown.
   */
  interfaceDatagramBytes?: number | null | undefined;
  transport: TransportOptions;
  /** Seals what this side sends (the endpoint opens what it receives, before decoding). */
  protection: PacketProtection;
}
