/**
 * SASL PLAIN over IRC's AUTHENTICATE (IRCv3 `sasl`): the mechanism chosen, the base64 message
 * gathered from its chunks of `SASL_CHUNK_CHARS` (a longer one than `MAX_SASL_MESSAGE_CHARS`
 * refused before it is decoded), and the credentials read out of it. Sans-IO
 * and total: bad input is a failure value, never an exception.
 * @module
 */

import { nameKey } from "../chat/names.ts";
import { MAX_SASL_MESSAGE_CHARS, SASL_CHUNK_CHARS } from "./limits.ts";

/** The mechanisms offered (in `CAP LS 302` as `sasl=PLAIN`, and in 908). */
export const SASL_MECHANISMS = ["PLAIN"] as const;

/** Credentials read from a PLAIN message. */
export interface Credentials {
  kind: "credentials";
  account: string;
  password: string;
}

/** What one AUTHENTICATE parameter leads to. */
export type SaslStep =
  /** Send `AUTHENTICATE +`: the mechanism is taken, the message may come. */
  | { kind: "continue" }
  /** A full chunk: wait for the next. */
  | { kind: "more" }
  /** The whole message, read: check these with the hub. */
  | Credentials
  /** `*`: the client gave up (906). */
  | { kind: "aborted" }
  /** An unknown mechanism (908, then 904). */
  | { kind: "mechanism" }
  /** The message is too long (905). */
  | { kind: "too_long" }
  /** The message cannot be read as PLAIN credentials (904). */
  | { kind: "invalid" };

/**
 * One SASL exchange at a time: `AUTHENTICATE PLAIN`, then the message in chunks.
 *
 * @example
 * ```ts
 * import { SaslExchange } from "./sasl_plain.ts";
 * const sasl = new SaslExchange();
 * sasl.step("PLAIN"); // { kind: "continue" }
 * sasl.step(btoa("\0ann\0correct horse")); // { kind: "credentials", account: "ann", ... }
 * ```
 */
export class SaslExchange {
  /** `null`: no exchange; else the base64 gathered so far. */
  #message: string | null = null;

  /** Whether a mechanism was chosen and its message is awaited. */
  get active(): boolean {
    return this.#message !== null;
  }

  /** Takes the parameter of one AUTHENTICATE. */
  step(param: string): SaslStep {
    if (param === "*") return this.#end({ kind: "aborted" });
    if (this.#message === null) {
      if (param.toUpperCase() !== "PLAIN") return { kind: "mechanism" };
      this.#message = "";
      return { kind: "continue" };
    }
    if (param !== "+") this.#message += param;
    if (this.#message.length > MAX_SASL_MESSAGE_CHARS) return this.#end({ kind: "too_long" });
    if (param.length === SASL_CHUNK_CHARS) return { kind: "more" };
    const credentials = decodePlain(this.#message);
    return this.#end(credentials ?? { kind: "invalid" });
  }

  #end(step: SaslStep): SaslStep {
    this.#message = null;
    return step;
  }
}

/**
 * The account and password of a PLAIN message (`authzid NUL authcid NUL password`, base64), or
 * `null`: not base64, not UTF-8, not three fields, an empty name or password, or an authzid
 * other than the authcid (no one may act as someone else).
 */
export function decodePlain(base64: string): Credentials | null {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  const fields = text.split("\0");
  if (fields.length !== 3) return null;
  const [authzid, account, password] = fields as [string, string, string];
  if (account === "" || password === "") return null;
  if (authzid !== "" && nameKey(authzid) !== nameKey(account)) return null;
  return { kind: "credentials", account, password };
}
