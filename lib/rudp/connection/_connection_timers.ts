/**
 * The connection's loss-recovery timer and how its deadline table is refreshed after each input.
 *
 * @module
 */
import { clientHandshakeOf } from "./connection_config.ts";
import type { SentPacket } from "../recovery/loss_detection.ts";
import { type ConnectionState, datagramBytesOf } from "./_state.ts";
import { MAX_PTO_COUNT, MIN_UNREACHABLE_SILENCE_MS } from "./transport_options.ts";
import { MAX_HANDSHAKE_PROBE_INTERVAL_MS } from "./handshake.ts";
import { MAX_ACK_DELAY_MS } from "../recovery/ack_manager.ts";

/** Probes sent when a probe timeout fires. */
export const PROBES_PER_TIMEOUT = 2;

/**
 * What a recovery timeout leaves the connection to do: hand packets back as lost, give up on
 * the peer, or nothing more (probes, if due, are armed in the state).
 */
export type RecoveryOutcome =
  | { kind: "lost"; packets: SentPacket[] }
  | { kind: "unreachable" }
  | { kind: "none" };

/**
 * The recovery deadline passed: run time-threshold loss detection, or count a probe timeout,
 * arming probes, or say to give up after `maxPtoCount` in a row.
 */
export function onRecoveryTimer(conn: ConnectionState, now: number): RecoveryOutcome {
  const lossTime = conn.recovery.lossTime;
  if (lossTime !== null) {
    if (now < lossTime) return { kind: "none" };
    return { kind: "lost", packets: conn.recovery.onLossTimeout(now) };
  }
  const loss = conn.recovery.loss;
  loss.ptoCount++;
  conn.stats.ptoCount++;
  const silentMs = now - conn.heardAt;
  const maxPtoCount = conn.config.transport.maxPtoCount ?? MAX_PTO_COUNT;
  if (loss.ptoCount > maxPtoCount && silentMs >= MIN_UNREACHABLE_SILENCE_MS) {
    return { kind: "unreachable" };
  }
  conn.probesPending = PROBES_PER_TIMEOUT;
  clientHandshakeOf(conn.config)?.onProbeTimeout();
  return { kind: "none" };
}

/** Recomputes the ack, recovery, pacing and path MTU deadlines of an open connection. */
export function updateTimers(conn: ConnectionState, now: number): void {
  if (conn.closing.phase !== "open") return;
  conn.timers.set("ack", conn.acks.deadline);
  const hs = clientHandshakeOf(conn.config);
  const send = conn.send;
  // Probe even with nothing in flight while flow control blocks us (a window update may be
  // lost) or the handshake is unfinished.
  const blocked = send !== null && conn.established && send.blocked;
  const handshaking = hs !== null && hs.state !== "confirmed";
  const cap = handshaking ? MAX_HANDSHAKE_PROBE_INTERVAL_MS : undefined;
  const pto = conn.recovery.ptoDeadline(blocked || handshaking, cap);
  conn.timers.set("recovery", conn.recovery.lossTime ?? pto);
  let pacing: number | null = null;
  if (send !== null && conn.established && !conn.completed && send.hasPending) {
    if (conn.recovery.sendGate(now, datagramBytesOf(conn)) === "pacing") {
      pacing = conn.recovery.nextSendTime(now, datagramBytesOf(conn));
    }
  }
  conn.timers.set("pacing", pacing);
  conn.timers.set("pmtu", conn.mtu?.deadline ?? null);
  const nudging = conn.nudge !== null && conn.established && !conn.completed;
  conn.timers.set(
    "nudge",
    nudging ? conn.nudge!.deadline(conn.recovery.rtt.pto(MAX_ACK_DELAY_MS)) : null,
  );
}
