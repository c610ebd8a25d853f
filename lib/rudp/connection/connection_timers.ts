/**
 * The connection's loss-recovery timer and how its deadline table is refreshed after each input.
 *
 * @module
 */
import type { Connection } from "./connection.ts";
import { clientHandshakeOf } from "./connection_config.ts";
import { MAX_PTO_COUNT } from "./transport_options.ts";

/** Probes sent when a probe timeout fires. */
export const PROBES_PER_TIMEOUT = 2;

/**
 * The recovery deadline passed: run time-threshold loss detection, or count a probe timeout,
 * arming probes or giving up after `maxPtoCount` in a row.
 */
export function onRecoveryTimer(conn: Connection, now: number): void {
  const lossTime = conn.recovery.lossTime;
  if (lossTime !== null) {
    if (now >= lossTime) conn.onLost(conn.recovery.onLossTimeout(now));
    return;
  }
  const loss = conn.recovery.loss;
  loss.ptoCount++;
  conn.stats.ptoCount++;
  if (loss.ptoCount > (conn.config.transport.maxPtoCount ?? MAX_PTO_COUNT)) {
    return conn.fail(now, "PEER_UNREACHABLE", "No answer to probes", { notifyPeer: false });
  }
  conn.probesPending = PROBES_PER_TIMEOUT;
  clientHandshakeOf(conn.config)?.onProbeTimeout();
}

/** Recomputes the ack, recovery, pacing and path MTU deadlines of an open connection. */
export function updateTimers(conn: Connection, now: number): void {
  if (conn.phase !== "open") return;
  conn.timers.set("ack", conn.acks.deadline);
  const hs = clientHandshakeOf(conn.config);
  const send = conn.send;
  // Probe even with nothing in flight while flow control blocks us (a window update may be
  // lost) or the handshake is unfinished.
  const blocked = send !== null && conn.established && send.blocked;
  const armIdle = blocked || (hs !== null && hs.state !== "confirmed");
  conn.timers.set("recovery", conn.recovery.lossTime ?? conn.recovery.ptoDeadline(armIdle));
  let pacing: number | null = null;
  if (send !== null && conn.established && !conn.completed && send.hasPending) {
    if (conn.recovery.sendGate(now, conn.datagramBytes) === "pacing") {
      pacing = conn.recovery.nextSendTime(now, conn.datagramBytes);
    }
  }
  conn.timers.set("pacing", pacing);
  conn.timers.set("pmtu", conn.mtu?.deadline ?? null);
}
