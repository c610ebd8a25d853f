/**
 * The JSON lines `--json` prints, one shape per kind of result (documented in the README):
 * results on stdout, errors, progress and connection status on stderr.
 * @module
 */

import type { ClientErrorCode } from "../chat/client_errors.ts";
import type { ConnectionStatus } from "../net/chat_client.ts";
import type { TransferView } from "../transfer/client_transfers.ts";
import { formatJson } from "./format.ts";

/**
 * `{"type":"sent","text":…,"ts":…}`, with `"to"` for a private message and `"room"` for one said
 * in a room: what the hub took.
 */
export function sentJson(sent: { to?: string; room?: string; text: string; ts: number }): string {
  const to = sent.to === undefined ? {} : { to: sent.to };
  const room = sent.room === undefined ? {} : { room: sent.room };
  return formatJson({ type: "sent", ...to, ...room, text: sent.text, ts: sent.ts });
}

/** `{"type":"error","code":…,"message":…}`: the shape of the hub's own `error` lines. */
export function errorJson(error: { code: ClientErrorCode; message: string }): string {
  return formatJson({ type: "error", code: error.code, message: error.message });
}

/** `{"type":"status","status":"reconnecting",…}`: the connection's state changed. */
export function statusJson(status: ConnectionStatus): string {
  const { kind, ...details } = status;
  return formatJson({ type: "status", status: kind, ...details });
}

/**
 * `{"type":"transfer","id":…,"direction":…,"name":…,"state":…,"bytes":…,"size":…}`: how a
 * transfer ended (`state` is `done`, `failed`, `paused` or `cancelled`).
 */
export function transferJson(view: TransferView): string {
  return formatJson({
    type: "transfer",
    id: view.id,
    direction: view.direction,
    name: view.name,
    state: view.state,
    bytes: view.done,
    size: view.total,
  });
}

/** `{"type":"progress","id":…,"name":…,"bytes":…,"size":…,"bytesPerSecond":…}`. */
export function progressJson(view: TransferView): string {
  const rate = Number.isFinite(view.bytesPerSecond) ? Math.round(view.bytesPerSecond) : null;
  return formatJson({
    type: "progress",
    id: view.id,
    direction: view.direction,
    name: view.name,
    bytes: view.done,
    size: view.total,
    bytesPerSecond: rate,
  });
}

/** `{"type":"interrupted","signal":"SIGINT"}`: the run was stopped by a signal. */
export function interruptedJson(signal: string): string {
  return formatJson({ type: "interrupted", signal });
}
