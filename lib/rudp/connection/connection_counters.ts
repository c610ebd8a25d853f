/**
 * The counters a connection keeps, and how they combine with its gauges into
 * {@linkcode ConnectionStats}.
 *
 * @module
 */
import type { ConnectionStats } from "./events.ts";
import type { Recovery } from "../recovery/recovery.ts";
import type { RecvStream } from "../streams/recv_stream.ts";
import type { SendStream } from "../streams/send_stream.ts";
import type { ServerHandshake } from "./handshake.ts";
import type { MtuDiscovery } from "../recovery/mtu_discovery.ts";
import type { ReceiverNudge } from "../recovery/receiver_nudge.ts";

/** Counters a connection increments as it goes: the counting part of its stats. */
export type ConnectionCounters = Pick<
  ConnectionStats,
  | "packetsSent"
  | "packetsReceived"
  | "bytesSent"
  | "bytesReceived"
  | "packetsLost"
  | "duplicatePackets"
  | "eventBacklogDrops"
  | "dataBytesSent"
  | "amplificationBlocked"
  | "ptoCount"
>;

/** Fresh zeroed counters. */
export function newCounters(): ConnectionCounters {
  return {
    packetsSent: 0,
    packetsReceived: 0,
    bytesSent: 0,
    bytesReceived: 0,
    packetsLost: 0,
    duplicatePackets: 0,
    eventBacklogDrops: 0,
    dataBytesSent: 0,
    amplificationBlocked: 0,
    ptoCount: 0,
  };
}

/** The parts of a connection a stats snapshot reads. */
export interface StatsSources {
  counters: ConnectionCounters;
  recovery: Recovery;
  send: SendStream | null;
  recv: RecvStream | null;
  server: ServerHandshake | null;
  /** The size in use: the sender's path MTU, or the largest the receiver saw of late. */
  datagramBytes: number;
  /** The data sender's path MTU search, if any. */
  mtu: MtuDiscovery | null;
  /** A downloading client's nudges, or null elsewhere. */
  nudge: ReceiverNudge | null;
}

/** Combines counters and gauges into one snapshot. */
export function snapshotStats(s: StatsSources): ConnectionStats {
  return {
    ...s.counters,
    retransmittedBytes: s.send?.retransmittedBytes ?? 0,
    duplicateDataBytes: s.recv?.duplicateBytes ?? 0,
    bytesSentBeforeValidation: s.server?.sentBeforeValidation ?? 0,
    bytesReceivedBeforeValidation: s.server?.receivedBeforeValidation ?? 0,
    smoothedRttMs: s.recovery.rtt.smoothed,
    minRttMs: s.recovery.rtt.min,
    congestionWindow: s.recovery.cc.congestionWindow(),
    bytesInFlight: s.recovery.loss.bytesInFlight,
    maxDatagramBytes: s.datagramBytes,
    mtuProbesSent: s.mtu?.probesSent ?? 0,
    mtuProbesLost: s.mtu?.probesLost ?? 0,
    mtuBlackHoles: s.mtu?.blackHoles ?? 0,
    nudgesSent: s.nudge?.sent ?? 0,
  };
}
