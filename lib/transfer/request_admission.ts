/**
 * The server's first answer to a `get` or `put`, given the moment it is read: refused (the
 * server stops, the upload is too large, a quota is full, the name is being uploaded) or
 * admitted with its slots counted in the ledger. Sans-IO.
 * @module
 */

import type { ConnId } from "../chat/hub_types.ts";
import type { GrantLedger, Reservation } from "./grant_ledger.ts";

/** Default largest upload, in bytes: 1 GiB. Past it: `TRANSFER_REFUSED`. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 ** 3;

/** What admission looks at of a request (names already in NFC). */
export type FileRequest =
  | { kind: "get"; conn: ConnId; name: string }
  | { kind: "put"; conn: ConnId; name: string; size: number };

/** What admission needs to know of the server. */
export interface AdmissionContext {
  /** Where slots and name claims are counted. */
  ledger: GrantLedger;
  /** The server is stopping: nothing more is granted. */
  stopping: boolean;
  /** Largest upload accepted, bytes. */
  maxUploadBytes: number;
}

/**
 * Admits `request` (reserving its slots and, for an upload, its name in the ledger) or says
 * why not. Counted at once, so the next request sees this one.
 *
 * @example
 * ```ts
 * import { GrantLedger } from "./grant_ledger.ts";
 * import { admitRequest } from "./request_admission.ts";
 * const ledger = new GrantLedger();
 * const put = { kind: "put", conn: 1, name: "a.txt", size: 2 ** 40 } as const;
 * admitRequest(put, { ledger, stopping: false, maxUploadBytes: 1024 }).ok; // false
 * ```
 */
export function admitRequest(request: FileRequest, context: AdmissionContext): Reservation {
  if (context.stopping) {
    return refuse("The server is stopping");
  }
  if (request.kind === "put" && request.size > context.maxUploadBytes) {
    return refuse(`Upload of ${request.size} bytes is over the limit of ${context.maxUploadBytes}`);
  }
  return context.ledger.reserve(request.conn, request.kind === "put" ? request.name : null);
}

function refuse(message: string): Reservation {
  return { ok: false, refusal: { code: "TRANSFER_REFUSED", message } };
}
