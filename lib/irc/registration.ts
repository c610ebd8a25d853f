/**
 * Registration of an IRC connection: NICK and USER given, CAP negotiation over, then a login
 * to the hub under the nick, before a deadline fed `now`.
 * @module
 */

import { REGISTRATION_TIMEOUT_MS } from "./limits.ts";

/** Where a connection stands: gathering NICK/USER, waiting for the hub's answer, or in. */
export type RegistrationPhase = "connecting" | "logging_in" | "registered";

/**
 * The registration state machine. Each input returns the nick to log in with when it makes
 * the connection ready (NICK and USER seen, no CAP negotiation open, no login outstanding).
 *
 * @example
 * ```ts
 * import { Registration } from "./registration.ts";
 * const registration = new Registration(0);
 * registration.nick("ann"); // null: USER still missing
 * registration.user(); // "ann": log in now
 * ```
 */
export class Registration {
  readonly #deadline: number;
  #phase: RegistrationPhase = "connecting";
  #nick: string | null = null;
  #user = false;
  #capHold = false;
  #authHold = false;

  /** @param timeoutMs time to register from `now` (default `REGISTRATION_TIMEOUT_MS`) */
  constructor(now: number, timeoutMs: number = REGISTRATION_TIMEOUT_MS) {
    this.#deadline = now + timeoutMs;
  }

  /** Current phase. */
  get phase(): RegistrationPhase {
    return this.#phase;
  }

  /** The nick given (the hub's spelling once registered), `null` before NICK. */
  get currentNick(): string | null {
    return this.#nick;
  }

  /** When the connection is closed unless registered; `null` once it is. */
  get deadline(): number | null {
    return this.#phase === "registered" ? null : this.#deadline;
  }

  /** Whether USER was given (a second one gets 462). */
  get hasUser(): boolean {
    return this.#user;
  }

  /** NICK before registration. */
  nick(nick: string): string | null {
    this.#nick = nick;
    return this.#ready();
  }

  /** USER before registration (its fields are not used: the hub knows users by name). */
  user(): string | null {
    this.#user = true;
    return this.#ready();
  }

  /** A CAP LS or REQ opened a negotiation, or CAP END closed it. */
  capHold(holding: boolean): string | null {
    this.#capHold = holding;
    return this.#ready();
  }

  /** A SASL check is with the hub (`true`), or over: the login waits for its outcome. */
  authHold(holding: boolean): string | null {
    this.#authHold = holding;
    return this.#ready();
  }

  /** The hub refused the login (name taken or invalid): a new NICK tries again. */
  refused(): void {
    if (this.#phase !== "logging_in") return;
    this.#phase = "connecting";
    this.#nick = null;
  }

  /** The hub welcomed the login under `name` (its spelling). */
  welcomed(name: string): void {
    this.#phase = "registered";
    this.#nick = name;
  }

  /** A registered user's new nick, once the hub took it. */
  renamed(name: string): void {
    if (this.#phase === "registered") this.#nick = name;
  }

  #ready(): string | null {
    if (
      this.#phase !== "connecting" || this.#nick === null || !this.#user || this.#capHold ||
      this.#authHold
    ) {
      return null;
    }
    this.#phase = "logging_in";
    return this.#nick;
  }
}
