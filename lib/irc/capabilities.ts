/**
 * IRCv3 capability negotiation (CAP LS 302, LIST, REQ, END): which extensions a client turned
 * on, and whether registration waits for CAP END.
 * @module
 */

/** The capabilities the gateway offers. */
export const SUPPORTED_CAPS = [
  "server-time",
  "message-tags",
  "echo-message",
  "away-notify",
  "batch",
  "draft/chathistory",
  "sasl",
] as const;

/** A capability the gateway offers. */
export type Cap = typeof SUPPORTED_CAPS[number];

const SUPPORTED: ReadonlySet<string> = new Set(SUPPORTED_CAPS);

/** What a CAP command amounts to: the reply's subcommand and parameter, or an unknown one. */
export type CapOutcome =
  | { kind: "reply"; subcommand: "LS" | "LIST" | "ACK" | "NAK"; caps: string }
  | { kind: "end" }
  | { kind: "missing" }
  | { kind: "unknown"; subcommand: string };

/**
 * One client's negotiation. Any CAP command before registration holds registration until
 * CAP END (IRCv3: LS and REQ start a negotiation), so that a client sees the ACK first.
 *
 * @example
 * ```ts
 * import { CapNegotiation } from "./capabilities.ts";
 * const caps = new CapNegotiation();
 * caps.handle(["REQ", "server-time echo-message"]); // { kind: "reply", subcommand: "ACK", ... }
 * caps.has("echo-message"); // true
 * ```
 */
export class CapNegotiation {
  readonly #enabled = new Set<Cap>();
  #negotiating = false;

  /** Whether registration must wait for CAP END. */
  get holding(): boolean {
    return this.#negotiating;
  }

  /** Whether the client turned `cap` on. */
  has(cap: Cap): boolean {
    return this.#enabled.has(cap);
  }

  /** Handles the parameters of a CAP command (the subcommand first). */
  handle(params: readonly string[]): CapOutcome {
    const subcommand = params[0]?.toUpperCase();
    if (subcommand === undefined) return { kind: "missing" };
    switch (subcommand) {
      case "LS":
        this.#negotiating = true;
        return { kind: "reply", subcommand: "LS", caps: capList(params[1]) };
      case "LIST":
        return { kind: "reply", subcommand: "LIST", caps: [...this.#enabled].join(" ") };
      case "REQ":
        this.#negotiating = true;
        return this.#request(params[1] ?? "");
      case "END":
        this.#negotiating = false;
        return { kind: "end" };
      default:
        return { kind: "unknown", subcommand: subcommand.slice(0, 32) };
    }
  }

  /** Applies a request all or nothing, as IRCv3 says: one unknown name refuses it whole. */
  #request(list: string): CapOutcome {
    const items = list.split(" ").filter((item) => item !== "");
    const changes = items.map((item) => ({
      off: item.startsWith("-"),
      cap: item.replace(/^-/, ""),
    }));
    if (items.length === 0 || changes.some((c) => !SUPPORTED.has(c.cap))) {
      return { kind: "reply", subcommand: "NAK", caps: list.slice(0, 400) };
    }
    for (const { off, cap } of changes) {
      if (off) this.#enabled.delete(cap as Cap);
      else this.#enabled.add(cap as Cap);
    }
    return { kind: "reply", subcommand: "ACK", caps: items.join(" ") };
  }
}

/** The caps as CAP LS lists them; from version 302 on with their values (`sasl=PLAIN`). */
function capList(version: string | undefined): string {
  const values = Number(version) >= 302;
  return SUPPORTED_CAPS.map((cap) => values && cap === "sasl" ? "sasl=PLAIN" : cap).join(" ");
}
