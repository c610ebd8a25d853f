/**
 * Splits a byte stream into UTF-8 lines with a length limit, without ever throwing on input.
 * @module
 */

import { concatBytes } from "./concat_bytes.ts";
import type { ProtocolError } from "./errors.ts";
import { MAX_LINE_BYTES } from "./limits.ts";

/** One decoded line, or the error that took its place. */
export type LineResult = { ok: true; line: string } | { ok: false; error: ProtocolError };

// Shared by every decoder: whole lines only, never streaming, so it holds no state between calls.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Sans-IO line decoder: feed it whatever a socket read returned, get back whole lines.
 *
 * A line over the limit is reported once and skipped up to its newline, so the stream
 * resynchronises on the next line; a line that is not UTF-8 is reported and skipped.
 *
 * @example
 * ```ts
 * import { LineDecoder } from "./line_decoder.ts";
 * const decoder = new LineDecoder();
 * decoder.push(new TextEncoder().encode('{"a":1}\n{"b"')); // [{ ok: true, line: '{"a":1}' }]
 * decoder.push(new TextEncoder().encode(":2}\n")); // [{ ok: true, line: '{"b":2}' }]
 * ```
 */
export class LineDecoder {
  readonly #maxLineBytes: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #discarding = false;

  /** @param maxLineBytes longest line accepted, newline excluded (default `MAX_LINE_BYTES`) */
  constructor(maxLineBytes: number = MAX_LINE_BYTES) {
    if (!(maxLineBytes > 0)) throw new RangeError("maxLineBytes must be positive");
    this.#maxLineBytes = maxLineBytes;
  }

  /** Bytes held while waiting for the rest of a line. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Feeds bytes (the decoder keeps no reference to `chunk`) and returns the lines completed. */
  push(chunk: Uint8Array): LineResult[] {
    const results: LineResult[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) break;
      this.#finishLine(chunk.subarray(start, newline), results);
      start = newline + 1;
    }
    this.#keep(chunk.subarray(start), results);
    return results;
  }

  #finishLine(tail: Uint8Array, results: LineResult[]): void {
    const length = this.#pendingBytes + tail.length;
    if (this.#discarding) {
      this.#discarding = false;
    } else if (length > this.#maxLineBytes) {
      results.push(tooLong(this.#maxLineBytes));
    } else {
      results.push(this.#decode(this.#join(tail)));
    }
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #keep(rest: Uint8Array, results: LineResult[]): void {
    if (rest.length === 0 || this.#discarding) return;
    if (this.#pendingBytes + rest.length > this.#maxLineBytes) {
      results.push(tooLong(this.#maxLineBytes));
      this.#discarding = true;
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    this.#pending.push(rest.slice());
    this.#pendingBytes += rest.length;
  }

  #join(tail: Uint8Array): Uint8Array {
    if (this.#pending.length === 0) return tail;
    return concatBytes([...this.#pending, tail], this.#pendingBytes + tail.length);
  }

  #decode(bytes: Uint8Array): LineResult {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN
      ? bytes.length - 1
      : bytes.length;
    try {
      return { ok: true, line: UTF8.decode(bytes.subarray(0, end)) };
    } catch {
      return {
        ok: false,
        error: { code: "INVALID_UTF8", message: "Cannot decode line: not valid UTF-8" },
      };
    }
  }
}

function tooLong(limit: number): LineResult {
  return {
    ok: false,
    error: { code: "LINE_TOO_LONG", message: `Cannot read line: longer than ${limit} bytes` },
  };
}
