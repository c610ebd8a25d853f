/**
 * The state a connection shares with its own parts (packet assembly, the deadline table) and
 * with nothing else: `Connection` keeps it in a private field, so the endpoints and the
 * application reach it only through the connection's methods.
 *
 * @module
 */
import { AckManager } from "../recovery/ack_manager.ts";
import { PMTU_BASE_BYTES } from "../recovery/mtu_discovery.ts";
import type { MtuDiscovery } from "../recovery/mtu_discovery.ts";
import { Recovery } from "../recovery/recovery.ts";
import { RecvStream } from "../streams/recv_stream.ts";
import { SendStream } from "../streams/send_stream.ts";
import { CloseState } from "./close_state.ts";
import type { ConnectionConfig } from "./connection_config.ts";
import { type ConnectionCounters, newCounters } from "./connection_counters.ts";
import { Timers } from "./timers.ts";
import { ReceiverNudge } from "../recovery/receiver_nudge.ts";

/** One connection's protocol state. */
export interface ConnectionState {
  readonly config: ConnectionConfig;
  readonly acks: AckManager;
  readonly recovery: Recovery;
  /** The file bytes this side sends (data sender), or null. */
  readonly send: SendStream | null;
  /** The file bytes this side receives (data receiver), or null. */
  readonly recv: RecvStream | null;
  readonly timers: Timers;
  readonly closing: CloseState;
  readonly stats: ConnectionCounters;
  /** The data sender's path MTU search; null at the receiver, and at a client until challenged. */
  mtu: MtuDiscovery | null;
  /** The peer's connection id, once known. */
  remoteCid: Uint8Array | null;
  /** A downloading client's repeated ACKs while the server is silent; null otherwise. */
  readonly nudge: ReceiverNudge | null;
  /** When a new packet last came from the peer (or the connection opened), ms. */
  heardAt: number;
  /** Probe packets owed after a probe timeout. */
  probesPending: number;
  nextPacketNumber: number;
  /** Data may flow: the client was challenged, or the server validated the client. */
  established: boolean;
  /** Every byte was delivered or acknowledged. */
  completed: boolean;
}

/** Whether this side sends the file bytes. */
export function isDataSender(config: ConnectionConfig): boolean {
  return (config.role === "server") === (config.direction === "download");
}

/** Fresh state for `config`; a data sender needs a source (a `TypeError` otherwise). */
export function newConnectionState(config: ConnectionConfig): ConnectionState {
  const recovery = new Recovery(PMTU_BASE_BYTES, {
    ...(config.transport.congestion ? { congestion: config.transport.congestion } : {}),
    ...(config.transport.pacer ? { pacer: config.transport.pacer } : {}),
    ...(config.transport.initialRttMs ? { initialRttMs: config.transport.initialRttMs } : {}),
  });
  if (config.peerReceiveBufferBytes !== undefined) {
    recovery.setPeerReceiveBuffer(config.peerReceiveBufferBytes);
  }
  const { size, startOffset } = config;
  let send: SendStream | null = null;
  let recv: RecvStream | null = null;
  if (isDataSender(config)) {
    if (config.source === undefined) throw new TypeError("Cannot create sender: no source");
    send = new SendStream(config.source, startOffset, size);
  } else {
    const windowBytes = config.transport.receiveWindowBytes;
    recv = new RecvStream(startOffset, size, windowBytes ? { windowBytes } : {});
  }
  return {
    config,
    acks: new AckManager(),
    recovery,
    send,
    recv,
    timers: new Timers(),
    closing: new CloseState(),
    stats: newCounters(),
    mtu: null,
    // Only a client nudges: a server's transfers share its socket and its timer heap, and
    // quiet uploads must cost it nothing (their clients probe, and time out, on their own).
    nudge: recv !== null && config.role === "client" ? new ReceiverNudge() : null,
    remoteCid: config.remoteCid,
    heardAt: 0,
    probesPending: 0,
    nextPacketNumber: 0,
    established: false,
    completed: false,
  };
}

/** The size this side sends data in: the path MTU found so far, the base size at first. */
export function datagramBytesOf(state: ConnectionState): number {
  return state.mtu?.current ?? PMTU_BASE_BYTES;
}
