/**
 * Resuming a download, both ends: what the client asks for given the `.part` it has, and where
 * the server resumes given what it asked. Sans-IO: the hashing is done by the drivers.
 * @module
 */

import type { OutgoingRequest } from "../chat/client_session.ts";

/** A `get` request as the client sends it. */
export type GetRequest = Extract<OutgoingRequest, { type: "get" }>;

/** What the client has of a download: the `.part` file's size and the SHA-256 of its bytes. */
export interface PartialFile {
  size: number;
  sha256: string;
}

/** What a `get` asks about where to start: the bytes the client has and their hash. */
export type ResumeAsk = Pick<GetRequest, "offset" | "prefixSha256">;

/**
 * The `get` the client sends for `name`: from 0 when it has nothing, else from the end of its
 * `.part` with the SHA-256 of what it has, so the server can tell whether it is a prefix.
 *
 * @example
 * ```ts
 * import { resumeRequest } from "./resume_decision.ts";
 * resumeRequest("notes.txt", null); // { type: "get", name: "notes.txt", offset: 0 }
 * ```
 */
export function resumeRequest(name: string, part: PartialFile | null): GetRequest {
  if (part === null || part.size === 0) return { type: "get", name, offset: 0 };
  return { type: "get", name, offset: part.size, prefixSha256: part.sha256 };
}

/**
 * How many leading bytes of its file (of `fileSize` bytes) the server must hash to answer
 * `ask`, or `null` when it starts from 0 without hashing: nothing to resume, no hash to compare,
 * or more bytes claimed than the file has.
 */
export function prefixToCheck(ask: ResumeAsk, fileSize: number): number | null {
  const { offset, prefixSha256 } = ask;
  if (prefixSha256 === undefined || !Number.isSafeInteger(offset)) return null;
  if (offset <= 0 || offset > fileSize) return null;
  return offset;
}

/**
 * The offset the server grants: the client's, if the SHA-256 of the file's first `offset` bytes
 * (`prefixDigest`, computed for {@linkcode prefixToCheck}) is the one it sent; else 0. A
 * `prefixDigest` of `null` (nothing was hashed) always means 0.
 */
export function resumeOffset(ask: ResumeAsk, prefixDigest: string | null): number {
  if (prefixDigest === null || ask.prefixSha256 === undefined) return 0;
  return prefixDigest.toLowerCase() === ask.prefixSha256.toLowerCase() ? ask.offset : 0;
}
