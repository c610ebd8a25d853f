/**
 * What a transfer reports to its driver: events and statistics.
 *
 * @module
 */
import type { CloseCode } from "../wire/close_code.ts";

/**
 * Something that happened to a transfer, in order. A `data` event's bytes are counted as
 * consumed (freeing flow-control window) when the event is polled: a driver that writes
 * asynchronously should poll the next event only once the write is done, and the sender will
 * be held back meanwhile.
 */
export type TransferEvent =
  /** The handshake finished: the peer's address is proven and data may flow. */
  | { kind: "established" }
  /** File bytes to write at `offset` (receiver only); handed out once, in order. */
  | { kind: "data"; offset: number; bytes: Uint8Array }
  /** Sender only: the peer acknowledged every byte below `offset` (at most every 100 ms). */
  | { kind: "progress"; offset: number }
  /** Every byte was delivered (receiver) or acknowledged (sender). */
  | { kind: "completed" }
  /** The transfer ended without completing. `remote` is true when the peer closed it. */
  | { kind: "failed"; code: CloseCode; message: string; remote: boolean }
  /** The connection's state is gone; nothing more will happen. Always the last event. */
  | { kind: "closed" };

/** Counters and gauges of one connection. */
export interface ConnectionStats {
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** Packets declared lost. */
  packetsLost: number;
  /** Received packets whose number was seen before. */
  duplicatePackets: number;
  /** Packets left unread (and unacknowledged) because `MAX_QUEUED_EVENTS` were not polled. */
  eventBacklogDrops: number;
  /** File bytes put in data frames, first sends and retransmissions together. */
  dataBytesSent: number;
  /** File bytes sent again after a loss. */
  retransmittedBytes: number;
  /** File bytes received more than once. */
  duplicateDataBytes: number;
  /** Bytes sent to the peer before its address was validated (server only). */
  bytesSentBeforeValidation: number;
  /** Bytes received from the peer before its address was validated (server only). */
  bytesReceivedBeforeValidation: number;
  /** Times the 3x anti-amplification limit held a packet back. */
  amplificationBlocked: number;
  /** Probe timeouts that fired. */
  ptoCount: number;
  /** ACKs the data receiver repeated while the sender was silent (see `receiver_nudge.ts`). */
  nudgesSent: number;
  smoothedRttMs: number;
  minRttMs: number;
  congestionWindow: number;
  bytesInFlight: number;
  /**
   * Datagram size in use, bytes: at the data sender the path MTU found so far; at the receiver
   * the largest datagram among the last 32 to 64 received (the sender's full packets).
   */
  maxDatagramBytes: number;
  /** Path MTU probes sent (data sender), counted in `packetsSent` too. */
  mtuProbesSent: number;
  /** Path MTU probes lost: not packet loss, no congestion signal, nothing resent. */
  mtuProbesLost: number;
  /** Times the path stopped carrying the size in use and the search started again from the base. */
  mtuBlackHoles: number;
}
