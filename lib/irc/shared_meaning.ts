/**
 * The work of one broadcast shared by the IRC links of one listener: the hub hands every
 * member the same bytes, so they are decoded, parsed, checked and turned into a session event
 * once per message, not once per member; every member is fed the very same event, which lets
 * `DeliveryCache` format its IRC lines once, and the same IRC text is encoded once.
 * @module
 */

import type { LineResult } from "../chat/line_decoder.ts";
import type { LineMeaning } from "./hub_line_events.ts";
import { ByteArena } from "../core/byte_arena.ts";
import { SHARED_LINES, SHARED_RANGES } from "./limits.ts";
import { utf8Length } from "./utf8_length.ts";

const utf8 = new TextEncoder();
/**
 * Size of the slabs the IRC text written to clients is encoded into: many writes share one,
 * rather than each being a buffer of its own to allocate and free (a login storm's replies
 * fragmented the allocator's memory).
 */
export const OUTPUT_SLAB_BYTES = 64 * 1024;

/** A line's meaning (`null`: the line failed the checks), and whether another link may share it. */
export interface MadeMeaning {
  meaning: LineMeaning | null;
  /** False for what depends on the link's own state (a page of a list reply). */
  shared: boolean;
}

/**
 * Remembers the meanings of the newest `SHARED_LINES` shareable lines it was given: members
 * behind the others take several broadcasts in one write, each still found here.
 *
 * @example
 * ```ts
 * import { SharedMeaning } from "./shared_meaning.ts";
 * const meanings = new SharedMeaning();
 * const make = () => ({ meaning: null, shared: true });
 * meanings.meaning('{"type":"ping","ts":1}', make);
 * meanings.meaning('{"type":"ping","ts":1}', make); // not made again
 * meanings.stats.made; // 1
 * ```
 */
export class SharedMeaning {
  /** Lines whose meaning was made: those not shared with the link before. */
  readonly stats = { made: 0 };
  readonly #meanings = new Map<string, LineMeaning | null>();
  readonly #capacity: number;
  // By "offset length": the lines of a range of that buffer. A range of the hub's output is
  // never written again (LineArena), so the same range is the same bytes.
  readonly #ranges = new Map<string, { buffer: ArrayBufferLike; lines: LineResult[] }>();
  #text = "";
  #encoded: Uint8Array | null = null;
  readonly #output = new ByteArena(OUTPUT_SLAB_BYTES);

  /** @param capacity most lines remembered (default `SHARED_LINES`) */
  constructor(capacity: number = SHARED_LINES) {
    this.#capacity = capacity;
  }

  /**
   * The lines of `bytes`, whole lines only (it ends in LF) read by a decoder holding nothing:
   * decoded by `decode` unless one of the newest `SHARED_RANGES` views given was of the very
   * same range of the same buffer (whose bytes must never change).
   */
  lines(bytes: Uint8Array, decode: (bytes: Uint8Array) => LineResult[]): LineResult[] {
    const key = `${bytes.byteOffset} ${bytes.length}`;
    const known = this.#ranges.get(key);
    if (known !== undefined && known.buffer === bytes.buffer) return known.lines;
    const lines = decode(bytes);
    if (known !== undefined) this.#ranges.delete(key);
    else if (this.#ranges.size >= SHARED_RANGES) {
      this.#ranges.delete(this.#ranges.keys().next().value!);
    }
    this.#ranges.set(key, { buffer: bytes.buffer, lines });
    return lines;
  }

  /** `text` as UTF-8; the same bytes as last time for the same text (never modify them). */
  encode(text: string): Uint8Array {
    if (this.#encoded !== null && text === this.#text) return this.#encoded;
    this.#text = text;
    // Room for ASCII first (nearly all IRC text): measuring a login's 40 KB burst cost more
    // than encoding it; text that did not fit is encoded again where its length fits.
    let room = this.#output.reserve(text.length);
    let done = utf8.encodeInto(text, room);
    if (done.read < text.length) {
      room = this.#output.reserve(utf8Length(text));
      done = utf8.encodeInto(text, room);
    }
    this.#encoded = this.#output.commit(done.written);
    return this.#encoded;
  }

  /** What `line` means: made by `make`, unless a shareable line like it was made lately. */
  meaning(line: string, make: (line: string) => MadeMeaning): LineMeaning | null {
    const known = this.#meanings.get(line);
    if (known !== undefined) return known;
    this.stats.made++;
    const made = make(line);
    if (!made.shared) return made.meaning;
    if (this.#meanings.size >= this.#capacity) {
      // A Map iterates in insertion order: the first key is the oldest line.
      this.#meanings.delete(this.#meanings.keys().next().value!);
    }
    this.#meanings.set(line, made.meaning);
    return made.meaning;
  }
}
