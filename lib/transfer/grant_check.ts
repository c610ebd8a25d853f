/**
 * The client's check of the hub's answer to a `get` or `put`: the grant must be for what was
 * asked (name, direction, size, hash, a start offset the client asked for) and well formed, or
 * nothing is opened. The hub is as hostile as any peer. Sans-IO.
 * @module
 */

import type { OutgoingRequest } from "../chat/client_session.ts";
import type { ServerMessage } from "../chat/events.ts";
import { normalizeFileName } from "../text/file_names.ts";
import { TOKEN_BYTES } from "../rudp/wire/frame.ts";
import { TRANSFER_KEY_BYTES } from "../rudp/seal/mod.ts";
import type { TransferTerms } from "../rudp/connection/transport_options.ts";
import { fromHex } from "./hex.ts";

/** A file request as the client sends it. */
export type TransferRequest = Extract<OutgoingRequest, { type: "get" | "put" }>;

/** A grant that passed {@linkcode checkGrant}: the terms to open the file channel with. */
export interface CheckedGrant extends Required<TransferTerms> {
  /** The file's name as the hub spells it (NFC). */
  name: string;
  /** The whole file's SHA-256, lower-case hex. */
  sha256: string;
  /** The hub's UDP port. */
  udpPort: number;
}

/** The field of a grant a check failed on (`type` for a reply that is no grant at all). */
export type GrantField =
  | "type"
  | "transfer"
  | "name"
  | "direction"
  | "size"
  | "offset"
  | "sha256"
  | "token"
  | "key"
  | "udpPort";

/** The answer of {@linkcode checkGrant}. */
export type GrantCheck =
  | { ok: true; grant: CheckedGrant }
  | { ok: false; field: GrantField; message: string };

const SHA256_HEX = /^[0-9a-f]{64}$/;
const MAX_PORT = 65_535;

/**
 * Checks the hub's `reply` to `request`. A download may start at 0 or where the client asked to
 * resume, nowhere else; an upload starts at 0 with the size and hash the client offered.
 *
 * @example
 * ```ts
 * import { checkGrant } from "./grant_check.ts";
 * const reply = { type: "error", code: "NO_SUCH_FILE", message: "No file" } as const;
 * checkGrant({ type: "get", name: "a.txt", offset: 0 }, reply).ok; // false
 * ```
 */
export function checkGrant(request: TransferRequest, reply: ServerMessage): GrantCheck {
  if (reply.type !== "transfer") return refuse("type", `Unexpected reply '${reply.type}'`);
  const direction = request.type === "get" ? "download" : "upload";
  if (!Number.isSafeInteger(reply.transfer) || reply.transfer < 0) {
    return refuse("transfer", "The grant's transfer id is not a non-negative integer");
  }
  if (reply.name !== normalizeFileName(request.name)) {
    return refuse("name", `The grant is for '${reply.name}', not '${request.name}'`);
  }
  if (reply.direction !== direction) {
    return refuse("direction", `The grant is not for ${article(direction)} ${direction}`);
  }
  const shape = request.type === "get"
    ? checkDownloadShape(request, reply)
    : checkUploadShape(request, reply);
  if (shape !== null) return shape;
  const token = typeof reply.token === "string" ? fromHex(reply.token) : null;
  if (token === null || token.length !== TOKEN_BYTES) {
    return refuse("token", `The grant's token is not ${TOKEN_BYTES} bytes of hex`);
  }
  const key = typeof reply.key === "string" ? fromHex(reply.key) : null;
  if (key === null || key.length !== TRANSFER_KEY_BYTES) {
    return refuse("key", `The grant's key is not ${TRANSFER_KEY_BYTES} bytes of hex`);
  }
  if (!Number.isInteger(reply.udpPort) || reply.udpPort < 1 || reply.udpPort > MAX_PORT) {
    return refuse("udpPort", "The grant's UDP port is not a port number");
  }
  return {
    ok: true,
    grant: {
      transferId: reply.transfer,
      token,
      key,
      direction,
      size: reply.size,
      startOffset: reply.offset,
      name: reply.name,
      sha256: reply.sha256,
      udpPort: reply.udpPort,
    },
  };
}

type Grant = ServerMessage & { type: "transfer" };

/** A download: any size, a hash, and an offset of 0 or the one asked for, within the file. */
function checkDownloadShape(
  request: TransferRequest & { type: "get" },
  reply: Grant,
): GrantCheck | null {
  if (!Number.isSafeInteger(reply.size) || reply.size < 0) {
    return refuse("size", "The grant's size is not a non-negative integer");
  }
  if (reply.offset !== 0 && reply.offset !== request.offset) {
    const asked = request.offset === 0 ? "0" : `${request.offset} or 0`;
    return refuse("offset", `The grant starts at ${reply.offset}, not at ${asked}`);
  }
  if (reply.offset > reply.size) {
    return refuse("offset", `The grant starts at ${reply.offset}, past its end (${reply.size})`);
  }
  if (typeof reply.sha256 !== "string" || !SHA256_HEX.test(reply.sha256)) {
    return refuse("sha256", "The grant's SHA-256 is not 64 lower-case hex digits");
  }
  return null;
}

/** An upload: exactly the size and hash offered, from 0. */
function checkUploadShape(
  request: TransferRequest & { type: "put" },
  reply: Grant,
): GrantCheck | null {
  if (reply.size !== request.size) {
    return refuse("size", `The grant is for ${reply.size} bytes, not ${request.size}`);
  }
  if (reply.offset !== 0) return refuse("offset", `The grant starts at ${reply.offset}, not 0`);
  if (reply.sha256 !== request.sha256.toLowerCase()) {
    return refuse("sha256", "The grant's SHA-256 is not the one offered");
  }
  return null;
}

function article(direction: "download" | "upload"): string {
  return direction === "upload" ? "an" : "a";
}

function refuse(field: GrantField, message: string): GrantCheck {
  return { ok: false, field, message };
}
