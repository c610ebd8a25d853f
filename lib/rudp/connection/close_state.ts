/**
 * How a connection ends. `open` until one side closes; the closing side sends its close frame
 * now and again with back-off until the peer's answer arrives or {@linkcode MAX_CLOSE_ATTEMPTS}
 * runs out; the side that received a close answers it, then drains for
 * {@linkcode DRAIN_PTO_MULTIPLIER} PTOs answering repeats (its answer may be lost). Then `closed`.
 *
 * @module
 */
import { type CloseCode, closeCodeToWire } from "../wire/close_code.ts";
import type { CloseFrame } from "../wire/frame.ts";

/** How long a closed side keeps answering the peer's close, in PTOs. */
export const DRAIN_PTO_MULTIPLIER = 3;
/** Times a close is sent (with back-off) before the closing side stops waiting for the answer. */
export const MAX_CLOSE_ATTEMPTS = 6;

/** Life-cycle phase of a connection. */
export type Phase = "open" | "closing" | "draining" | "closed";

/**
 * The close state machine; durations come in as the current PTO.
 *
 * @example
 * ```ts
 * const close = new CloseState();
 * close.startClosing(0, "CANCELLED", "bye", 100);
 * close.phase; // "closing"
 * close.deadline; // 100
 * ```
 */
export class CloseState {
  phase: Phase = "open";
  /** The close frame this side sends. */
  frame: CloseFrame | null = null;
  /** A close frame is owed to the peer. */
  sendPending = false;
  /** When to resend (closing) or stop draining, or null. */
  deadline: number | null = null;
  #attempts = 0;

  /** This side closes with `code`. */
  startClosing(now: number, code: CloseCode, reason: string, ptoMs: number): void {
    this.phase = "closing";
    this.frame = { type: "close", code: closeCodeToWire(code), reason };
    this.sendPending = true;
    this.#attempts = 0;
    this.deadline = now + ptoMs;
  }

  /** The peer closed with wire code `code`: answer in kind, then drain. */
  startDraining(now: number, code: number, ptoMs: number): void {
    this.phase = "draining";
    this.frame = { type: "close", code, reason: "" };
    this.sendPending = true;
    this.deadline = now + DRAIN_PTO_MULTIPLIER * ptoMs;
  }

  /** A close arrived after this side stopped being open; returns true when that ends it. */
  onPeerCloseAfterOpen(): boolean {
    if (this.phase === "closing") return true;
    this.sendPending = true; // draining: the peer missed our answer
    return false;
  }

  /** The deadline passed; returns true when the connection is now done. */
  onDeadline(now: number, ptoMs: number): boolean {
    if (this.phase === "draining" || ++this.#attempts >= MAX_CLOSE_ATTEMPTS) return true;
    this.sendPending = true;
    this.deadline = now + ptoMs * 2 ** this.#attempts;
    return false;
  }

  /** Marks the end. */
  markClosed(): void {
    this.phase = "closed";
    this.deadline = null;
    this.sendPending = false;
  }
}
