/**
 * The driver of one dial to the hub: carries out a sans-IO {@linkcode DialRace} on real sockets
 * (TCP, or TLS over TCP), each attempt connecting and reading the hub's first bytes, and hands
 * the winner's connection and those bytes to the chat client.
 * @module
 */

import type { ClientErrorCode } from "../chat/client_errors.ts";
import { type DialAction, DialRace } from "../chat/dial_race.ts";
import { classifyTlsError, looksLikeTls } from "./tls_errors.ts";
import { writeAll } from "./write_all.ts";

/**
 * A plaintext connection that has heard nothing this long after connecting (a hub greets at
 * once; a TLS port waits for a client hello) writes {@linkcode PLAINTEXT_PROBE}, in ms.
 */
export const PLAINTEXT_PROBE_MS = 200;
/**
 * A request every hub ignores, which a TLS port answers at once with an alert: so a client
 * without `tls` finds out quickly that it needs it, rather than when the greeting times out.
 */
const PLAINTEXT_PROBE = new TextEncoder().encode('{"type":"pong"}\n');
/** The most of the hub's first bytes one read takes, in bytes (a greeting is one short line). */
const FIRST_READ_BYTES = 16 * 1024;

/** A connection to the hub: TCP, or TLS over TCP. */
export type HubConn = Deno.TcpConn | Deno.TlsConn;

/** Where and how to dial. */
export interface DialTarget {
  host: string;
  port: number;
  /** Speak TLS, trusting these PEM certificates besides the built-in roots. */
  tls?: { caCerts?: string[] };
}

/**
 * How a dial ended. `won`: the connection and the first bytes the hub sent on it; `failed`: an
 * attempt failed in a way another attempt could cure later (refused, reset, closed), with
 * why in words; `refused`: the hub cannot be spoken to as the client is set up (a certificate
 * refused, TLS where it speaks none or the reverse), so that the client gives up at once.
 */
export type DialOutcome =
  | { kind: "won"; conn: HubConn; first: Uint8Array }
  | { kind: "failed"; reason: string }
  | { kind: "refused"; code: ClientErrorCode; message: string };

/**
 * One attempt's socket: its connection once open, the probe's timer, and whether it is over.
 * Closing aborts a connect in progress, so that a host that never answers holds no socket.
 */
interface Attempt {
  conn: HubConn | null;
  readonly abort: AbortController;
  probe: ReturnType<typeof setTimeout> | undefined;
  closed: boolean;
  /** What the attempt came to, once it did. */
  outcome: DialOutcome | null;
}

/**
 * One dial: attempts started and closed as its {@linkcode DialRace} says; {@linkcode outcome}
 * resolves once, with `null` if the dial was abandoned first.
 *
 * @example
 * ```ts ignore
 * const dialer = new HubDialer({ host: "127.0.0.1", port: 50000 });
 * const outcome = await dialer.outcome; // { kind: "won", conn, first } ...
 * ```
 */
export class HubDialer {
  /** How the dial ended, or `null` when abandoned before it did. */
  readonly outcome: Promise<DialOutcome | null>;
  readonly #target: DialTarget;
  readonly #race: DialRace;
  readonly #attempts = new Map<number, Attempt>();
  readonly #work = new Set<Promise<void>>();
  #resolve!: (outcome: DialOutcome | null) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(target: DialTarget) {
    this.#target = target;
    this.outcome = new Promise((resolve) => this.#resolve = resolve);
    this.#race = new DialRace(performance.now());
    this.#step(() => {});
  }

  /** Gives the dial up: every attempt is closed, and {@linkcode outcome} gives `null`. */
  abandon(): void {
    this.#step((now) => this.#race.abandon(now));
    this.#resolve(null);
  }

  /** Resolves once no attempt has socket work left (a connect to a silent host may take long). */
  async settled(): Promise<void> {
    while (this.#work.size > 0) await Promise.all(this.#work);
  }

  /** Feeds the race, then carries out what it asks for. */
  #step(feed: (now: number) => void): void {
    feed(performance.now());
    for (let action = this.#race.pollAction(); action !== null; action = this.#race.pollAction()) {
      this.#carryOut(action);
    }
    clearTimeout(this.#timer);
    const at = this.#race.pollTimeout();
    if (at === null) return;
    this.#timer = setTimeout(
      () => this.#step((now) => this.#race.handleTimeout(now)),
      Math.max(0, at - performance.now()),
    );
  }

  #carryOut(action: DialAction): void {
    const attempt = this.#attempts.get(action.attempt);
    switch (action.kind) {
      case "open":
        return this.#open(action.attempt);
      case "close":
        if (attempt !== undefined) close(attempt);
        return;
      case "won":
      case "failed":
        return this.#resolve(attempt?.outcome ?? null);
    }
  }

  #open(id: number): void {
    const attempt: Attempt = {
      conn: null,
      abort: new AbortController(),
      probe: undefined,
      closed: false,
      outcome: null,
    };
    this.#attempts.set(id, attempt);
    const work = this.#run(id, attempt).finally(() => {
      clearTimeout(attempt.probe);
      this.#work.delete(work);
    });
    this.#work.add(work);
  }

  /** Runs an attempt to its outcome, then tells the race (unless it was closed); never rejects. */
  async #run(id: number, attempt: Attempt): Promise<void> {
    const outcome = await this.#attempt(id, attempt).catch((error): DialOutcome => ({
      kind: "failed",
      reason: reason(error),
    }));
    if (attempt.closed) {
      if (outcome.kind === "won") closeQuietly(outcome.conn);
      return;
    }
    attempt.outcome = outcome;
    this.#step((now) =>
      outcome.kind === "won" ? this.#race.heard(now, id) : this.#race.failed(now, id)
    );
  }

  /** Connects and reads the hub's first bytes; a plaintext reply in TLS is a refusal. */
  async #attempt(id: number, attempt: Attempt): Promise<DialOutcome> {
    const opened = await this.#connect(id, attempt);
    if (opened.kind !== "open") return opened;
    const { conn } = opened;
    const buffer = new Uint8Array(FIRST_READ_BYTES);
    const n = await conn.read(buffer);
    if (n === null) return { kind: "failed", reason: "the hub closed the connection" };
    const first = buffer.slice(0, n);
    if (this.#target.tls === undefined && looksLikeTls(first)) return this.#tlsRequired();
    return { kind: "won", conn, first };
  }

  /**
   * Opens the attempt's connection: over TCP with the probe armed, or over TLS with the
   * handshake done (a failed one gives its outcome). A failed TCP connection rejects.
   */
  async #connect(
    id: number,
    attempt: Attempt,
  ): Promise<{ kind: "open"; conn: HubConn } | DialOutcome> {
    const { host: hostname, port, tls } = this.#target;
    const tcp = await Deno.connect({ hostname, port, signal: attempt.abort.signal });
    if (!attempt.closed) this.#step((now) => this.#race.connected(now, id));
    if (tls === undefined) {
      const conn = adopt(attempt, tcp);
      conn.setNoDelay(true);
      // Only before the greeting: nothing else is written on it before then.
      attempt.probe = setTimeout(() => {
        if (!attempt.closed) writeAll(conn, PLAINTEXT_PROBE).catch(() => {});
      }, PLAINTEXT_PROBE_MS);
      return { kind: "open", conn };
    }
    const conn = adopt(attempt, await Deno.startTls(tcp, { hostname, caCerts: tls.caCerts ?? [] }));
    try {
      await conn.handshake();
    } catch (error) {
      return this.#tlsFailed(error);
    }
    return { kind: "open", conn };
  }

  /** A TLS handshake failed: a refusal when the same settings would meet it again. */
  #tlsFailed(error: unknown): DialOutcome {
    const failure = classifyTlsError(error);
    if (!failure.permanent) return { kind: "failed", reason: failure.reason };
    const { host, port } = this.#target;
    return {
      kind: "refused",
      code: failure.code,
      message: `Cannot connect to ${host}:${port}: ${failure.reason}`,
    };
  }

  #tlsRequired(): DialOutcome {
    const { host, port } = this.#target;
    return {
      kind: "refused",
      code: "TLS_REQUIRED",
      message: `Cannot connect to ${host}:${port}: the server speaks TLS only ` +
        "(connect with --tls, or --ca FILE for its certificate)",
    };
  }
}

/**
 * Keeps `conn` as the attempt's; if the attempt was closed while it connected, `conn` is closed
 * at once (and what it is used for next fails, unreported).
 */
function adopt<T extends HubConn>(attempt: Attempt, conn: T): T {
  attempt.conn = conn;
  if (attempt.closed) closeQuietly(conn);
  return conn;
}

/** Closes an attempt: its connection now, or when its connect completes (see `adopt`). */
function close(attempt: Attempt): void {
  attempt.closed = true;
  attempt.abort.abort();
  clearTimeout(attempt.probe);
  if (attempt.conn !== null) closeQuietly(attempt.conn);
}

function closeQuietly(conn: HubConn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

/** Why a connection failed, in words. */
export function reason(error: unknown): string {
  if (error instanceof Deno.errors.ConnectionRefused) return "connection refused";
  if (error instanceof Deno.errors.ConnectionReset) return "connection reset";
  return error instanceof Error ? error.message : String(error);
}
