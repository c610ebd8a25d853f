/**
 * The client's dial policy, sans-IO: one dial to the hub is a race of TCP (or TLS) attempts.
 * A lost SYN or SYN-ACK costs a TCP connect a whole second (Linux resends it after 1 s, then 2 s
 * more); so while no attempt has connected, another starts after {@linkcode DIAL_RETRY_MS},
 * the gaps doubling, up to {@linkcode MAX_DIAL_ATTEMPTS}. Once one has, none more starts: what
 * it loses from then on (the greeting, a TLS handshake's segment) TCP resends after a
 * retransmission timeout, 200 ms at least, and a hub slow to greet on a busy machine is not
 * made busier by connections it will be told to drop. The first attempt to hear from the hub wins and every other is
 * closed before it logs in; the first attempt that fails (refused, reset, closed, a TLS error)
 * ends the whole dial, so a refusal is final at once and never a storm of attempts. The dial's
 * overall bound is the client core's `CONNECT_TIMEOUT_MS`, which abandons the race.
 * @module
 */

import { ActionQueue } from "./action_queue.ts";

/**
 * How long the first attempt may go unheard before a second one starts, in ms; each later gap
 * is twice the one before (attempts at 0, 250, 750 and 1,750 ms).
 */
export const DIAL_RETRY_MS = 250;
/** Most attempts one dial starts, attempts (each may stay open until the race is decided). */
export const MAX_DIAL_ATTEMPTS = 4;

/**
 * What the driver must do. `open`: start attempt `attempt` (a connect, then a read of the hub's
 * first bytes) and report `heard` or `failed`; `close`: close that attempt's socket, or drop it
 * when its connect completes, and report nothing more of it; `won`: that attempt is the
 * connection (it is not closed); `failed`: the dial failed, for the reason that attempt met.
 */
export type DialAction =
  | { kind: "open"; attempt: number }
  | { kind: "close"; attempt: number }
  | { kind: "won"; attempt: number }
  | { kind: "failed"; attempt: number };

/**
 * One dial's attempts, sans-IO: feed it what each attempt's socket did, with `now`; drain
 * {@linkcode pollAction}, and call {@linkcode handleTimeout} at {@linkcode pollTimeout}.
 *
 * @example
 * ```ts
 * import { DIAL_RETRY_MS, DialRace } from "./dial_race.ts";
 * const race = new DialRace(0);
 * race.pollAction(); // { kind: "open", attempt: 1 }
 * race.handleTimeout(DIAL_RETRY_MS);
 * race.pollAction(); // { kind: "open", attempt: 2 }
 * race.heard(300, 2);
 * race.pollAction(); // { kind: "close", attempt: 1 }
 * race.pollAction(); // { kind: "won", attempt: 2 }
 * ```
 */
export class DialRace {
  readonly #actions = new ActionQueue<DialAction>();
  /** Attempts started and not closed, in the order started. */
  readonly #open = new Set<number>();
  #started = 0;
  /** When the next attempt starts, or `null` when none will. */
  #nextAt: number | null = null;
  #decided = false;

  /** @param now when the dial starts: the first attempt opens at once */
  constructor(now: number) {
    this.#start(now);
  }

  /** Whether the race is over: won, failed or abandoned. */
  get decided(): boolean {
    return this.#decided;
  }

  /** The next thing the driver must do, or `null`. */
  pollAction(): DialAction | null {
    return this.#actions.take();
  }

  /** When {@linkcode handleTimeout} must run next, or `null` when nothing is due. */
  pollTimeout(): number | null {
    return this.#nextAt;
  }

  /** Starts the next attempt if its time has come. */
  handleTimeout(now: number): void {
    if (this.#nextAt === null || now < this.#nextAt) return;
    this.#start(now);
  }

  /**
   * Attempt `attempt`'s TCP connect completed: the path carries packets both ways, so no other
   * attempt starts (those open already race on).
   */
  connected(_now: number, attempt: number): void {
    if (this.#live(attempt)) this.#nextAt = null;
  }

  /** Attempt `attempt` read the hub's first bytes: it wins, and the others are closed. */
  heard(_now: number, attempt: number): void {
    if (!this.#live(attempt)) return;
    this.#open.delete(attempt);
    this.#decide();
    this.#actions.push({ kind: "won", attempt });
  }

  /** Attempt `attempt` failed before the hub was heard: the dial fails, the others are closed. */
  failed(_now: number, attempt: number): void {
    if (!this.#live(attempt)) return;
    this.#open.delete(attempt);
    this.#decide();
    this.#actions.push({ kind: "failed", attempt });
  }

  /** The dial is given up (its time ran out, the client closed): every attempt is closed. */
  abandon(_now: number): void {
    if (this.#decided) return;
    this.#decide();
  }

  #live(attempt: number): boolean {
    return !this.#decided && this.#open.has(attempt);
  }

  #start(now: number): void {
    const attempt = ++this.#started;
    this.#open.add(attempt);
    this.#actions.push({ kind: "open", attempt });
    this.#nextAt = attempt < MAX_DIAL_ATTEMPTS ? now + DIAL_RETRY_MS * 2 ** (attempt - 1) : null;
  }

  /** Ends the race: no attempt starts any more, and those still open are closed. */
  #decide(): void {
    this.#decided = true;
    this.#nextAt = null;
    for (const attempt of this.#open) this.#actions.push({ kind: "close", attempt });
    this.#open.clear();
  }
}
