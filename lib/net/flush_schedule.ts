/**
 * When the chat driver writes: in flushes of every connection with output waiting, spaced
 * and cut into chunks so that a big room batches lines per write without stalling reads.
 * @module
 */

import { setImmediate } from "node:timers";
import type { ConnId } from "../chat/hub_types.ts";
import { type Waiters, waitFor, wakeAll } from "./waiting.ts";

/** Longest a flush waits for the writers of the previous one. */
export const MAX_FLUSH_WAIT_MS = 10;
/**
 * A flush that wrote to N sockets, N at least {@linkcode SPACED_FLUSH_WRITERS}, is followed
 * by the next one no sooner than N times this (see {@linkcode flushSpacingMs} for the bounds).
 * Each write costs several microseconds of kernel time whatever it carries, so a big room
 * delivering many messages a second puts several in each write instead of saturating the
 * core with one write per message and client. Small flushes (replies, a small room) are not
 * held back: their senders wait for those replies.
 */
export const FLUSH_SPACING_MS_PER_WRITER = 0.005;
/**
 * Flushes to fewer sockets than this are not spaced. A room of 100 at 1,000 messages a second
 * is the case it is set for: one write per member per message cost the hub about 7 µs of CPU
 * per delivery (kernel send and Deno's write op, whatever the write carries), spaced flushes
 * carry two or three messages per write.
 */
export const SPACED_FLUSH_WRITERS = 32;
/**
 * Least spacing after a spaced flush, in ms: what a delivery to a busy room of
 * {@linkcode SPACED_FLUSH_WRITERS} or more may wait at most for the lines that follow it.
 */
export const MIN_FLUSH_SPACING_MS = 2;
/**
 * A flush starts this many writes, then lets the event loop run (reads included) before the
 * next ones: a message that arrives meanwhile still reaches the rest of the room in this
 * flush, and the writes of a big room do not hold up everything else.
 */
export const FLUSH_CHUNK_WRITERS = 100;
/** Longest spacing between two flushes. */
export const MAX_FLUSH_SPACING_MS = 10;

/**
 * Collects the connections with output and starts their writes in flushes. A flush runs as
 * soon as the current input is handled, unless writers of the previous one are still busy:
 * then it waits for them (at most {@linkcode MAX_FLUSH_WAIT_MS}) and for its spacing.
 */
export class FlushSchedule {
  readonly #dirty = new Set<ConnId>();
  /** Connections with a reply to their own request: written before any flush, unspaced. */
  readonly #urgent = new Set<ConnId>();
  #urgentScheduled = false;
  readonly #startWriter: (id: ConnId) => void;
  readonly #busyWriters: () => number;
  readonly #onWritersIdle: Waiters = [];
  #scheduled = false;
  #flushing = false;
  #nextFlushAt = 0;

  /**
   * @param startWriter writes what is queued for a connection (or notes it for later); it
   *   must not throw
   * @param busyWriters how many writes are in progress
   */
  constructor(startWriter: (id: ConnId) => void, busyWriters: () => number) {
    this.#startWriter = startWriter;
    this.#busyWriters = busyWriters;
  }

  /**
   * Notes that `id` has output waiting and makes sure a flush will come. An `urgent` one (the
   * connection whose request was just handled: its reply) is written as soon as the current
   * input is handled, neither waiting for a flush of a big room in progress nor for its
   * spacing: a client logging in waits for its `welcome`, not for a join notice to reach
   * thousands. What is queued for it later goes in the flushes as usual.
   */
  add(id: ConnId, urgent = false): void {
    if (urgent) {
      this.#urgent.add(id);
      if (this.#urgentScheduled) return;
      this.#urgentScheduled = true;
      queueMicrotask(() => this.#writeUrgent());
      return;
    }
    this.#dirty.add(id);
    if (this.#scheduled) return;
    this.#scheduled = true;
    if (this.#busyWriters() === 0) {
      this.#flushWhenSpaced();
    } else {
      waitFor(this.#onWritersIdle, MAX_FLUSH_WAIT_MS).then(() => this.#flushWhenSpaced());
    }
  }

  /** To be called when the last busy writer has finished. */
  writersIdle(): void {
    wakeAll(this.#onWritersIdle);
  }

  #writeUrgent(): void {
    this.#urgentScheduled = false;
    const ids = [...this.#urgent];
    this.#urgent.clear();
    for (const id of ids) this.#startWriter(id);
  }

  #flushWhenSpaced(): void {
    const early = this.#nextFlushAt - performance.now();
    if (early > 0) setTimeout(() => this.#flush(), early);
    else queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    if (!this.#scheduled || this.#flushing) return;
    this.#scheduled = false;
    const ids = [...this.#dirty];
    this.#dirty.clear();
    this.#flushing = true;
    this.#writeChunk(ids, 0);
  }

  #writeChunk(ids: ConnId[], from: number): void {
    const end = Math.min(ids.length, from + FLUSH_CHUNK_WRITERS);
    try {
      for (let i = from; i < end; i++) this.#startWriter(ids[i]!);
    } finally {
      // A writer that throws (it must not) loses the rest of this chunk, never every flush.
      if (end < ids.length) setImmediate(() => this.#writeChunk(ids, end));
      else this.#flushed(ids.length);
    }
  }

  #flushed(writers: number): void {
    this.#flushing = false;
    if (writers >= SPACED_FLUSH_WRITERS) {
      this.#nextFlushAt = performance.now() + flushSpacingMs(writers);
    }
    if (this.#scheduled) this.#flushWhenSpaced();
  }
}

/**
 * How long after a flush to `writers` sockets the next one waits, in ms: none below
 * {@linkcode SPACED_FLUSH_WRITERS}, then {@linkcode FLUSH_SPACING_MS_PER_WRITER} per socket,
 * within {@linkcode MIN_FLUSH_SPACING_MS} and {@linkcode MAX_FLUSH_SPACING_MS}.
 *
 * @example
 * ```ts
 * import { flushSpacingMs } from "./flush_schedule.ts";
 * flushSpacingMs(10); // 0
 * flushSpacingMs(99); // 2
 * flushSpacingMs(1000); // 5
 * ```
 */
export function flushSpacingMs(writers: number): number {
  if (writers < SPACED_FLUSH_WRITERS) return 0;
  const spacing = writers * FLUSH_SPACING_MS_PER_WRITER;
  return Math.min(MAX_FLUSH_SPACING_MS, Math.max(MIN_FLUSH_SPACING_MS, spacing));
}
