/**
 * An IRC connection bound to the hub as a chat client is: its session's requests become the
 * JSON lines a chat client would send, and the lines the hub writes for it are parsed and
 * checked as a chat client parses them, then fed to the session. Sans-IO: the driver moves
 * bytes between the socket, the hub and this link.
 * @module
 */

import { parseServerMessage } from "../chat/events.ts";
import { LineDecoder } from "../chat/line_decoder.ts";
import { PROTOCOL_VERSION } from "../chat/limits.ts";
import { GATEWAY_NAMES_LINE, type GatewayNames, type GatewaySink } from "../chat/hub_types.ts";
import type { HubRequest } from "./hub_port.ts";
import { HubLineEvents } from "./hub_line_events.ts";
import { IrcSession, type IrcSessionOptions } from "./irc_session.ts";
import { type MadeMeaning, SharedMeaning } from "./shared_meaning.ts";

/** Settings of a link; every field has a default. */
export interface IrcHubLinkOptions {
  /** Settings of its session. */
  session?: IrcSessionOptions;
  /**
   * Meanings shared by the links of one listener, so that a broadcast line is parsed and
   * turned into an event once, not once per member (default: none, each link its own).
   */
  meanings?: SharedMeaning;
}

/** What a link has counted, for the driver's logs. */
export interface IrcHubLinkStats {
  /**
   * Hub lines that failed the chat client's checks, or a names marker with no answer handed
   * over (a bug in the hub), dropped.
   */
  badHubLines: number;
}

const utf8 = new TextEncoder();
const namesText = new TextDecoder();
const NEWLINE = 0x0a;

/**
 * One IRC client as a hub connection. Feed it the client's bytes (`fromClient`) and the hub's
 * output for the connection (`fromHub`); after each call hand `takeHubInput()` to
 * `Hub.receive` and write `takeClientOutput()` to the socket; close once `closeReason` is set.
 * Give it to `Hub.connect` as the connection's `gateway`: the hub then hands it `names`
 * answers as values, in one text, instead of lists of names in JSON.
 *
 * @example
 * ```ts
 * import { IrcHubLink } from "./irc_hub_link.ts";
 * const link = new IrcHubLink(0);
 * link.fromClient(0, new TextEncoder().encode("NICK ann\r\nUSER ann 0 * :Ann\r\n"));
 * new TextDecoder().decode(link.takeHubInput()!);
 * // '{"type":"login","name":"ann","protocol":2,"id":1}\n'
 * ```
 */
export class IrcHubLink implements GatewaySink {
  readonly session: IrcSession;
  readonly stats: IrcHubLinkStats = { badHubLines: 0 };
  readonly #events = new HubLineEvents();
  readonly #meanings: SharedMeaning | null;
  readonly #decoder = new LineDecoder();
  #toHub = "";
  #toClient = "";
  #closeReason: string | null = null;
  // The hub's names answers, oldest first, each read where its marker line comes.
  #names: GatewayNames[] | null = null;

  constructor(now: number, options: IrcHubLinkOptions = {}) {
    this.session = new IrcSession(now, options.session);
    this.#meanings = options.meanings ?? null;
  }

  /** Why the IRC connection is to be closed, once its output is written; `null` while open. */
  get closeReason(): string | null {
    return this.#closeReason;
  }

  /** Bytes read from the IRC client. */
  fromClient(now: number, bytes: Uint8Array): void {
    this.session.receive(now, bytes);
    this.#drain();
  }

  /** Bytes the hub wrote for this connection (whole or partial JSON lines). */
  fromHub(now: number, bytes: Uint8Array): void {
    const decoder = this.#decoder;
    // The hub's broadcast bytes are the same for every member: decoded once, when whole.
    const shareable = this.#meanings !== null && decoder.pendingBytes === 0 &&
      bytes[bytes.length - 1] === NEWLINE;
    const lines = shareable
      ? this.#meanings!.lines(bytes, (b) => decoder.push(b))
      : decoder.push(bytes);
    for (const result of lines) {
      if (!result.ok) {
        this.stats.badHubLines++;
        continue;
      }
      this.#hubLine(now, result.line);
      if (this.#closeReason !== null) return;
    }
  }

  /** Takes the hub's answer to a `names` request (see `GatewaySink`). */
  names(answer: GatewayNames): void {
    (this.#names ??= []).push(answer);
  }

  /** The hub's side ended (the connection closed or timed out there). */
  hubClosed(now: number, reason: string): void {
    this.session.hubClosed(now, reason);
    this.#drain();
  }

  /** The JSON lines to feed the hub, or `null` for none. */
  takeHubInput(): Uint8Array | null {
    if (this.#toHub === "") return null;
    const bytes = utf8.encode(this.#toHub);
    this.#toHub = "";
    return bytes;
  }

  /** Whether JSON lines wait to be fed to the hub. */
  get hasHubInput(): boolean {
    return this.#toHub !== "";
  }

  /** Whether IRC lines wait to be written. */
  get hasClientOutput(): boolean {
    return this.#toClient !== "";
  }

  /** The IRC lines to write to the client, or `null` for none. */
  takeClientOutput(): Uint8Array | null {
    if (this.#toClient === "") return null;
    const text = this.#toClient;
    const bytes = this.#meanings === null ? utf8.encode(text) : this.#meanings.encode(text);
    this.#toClient = "";
    return bytes;
  }

  #hubLine(now: number, line: string): void {
    if (line === GATEWAY_NAMES_LINE) return this.#gatewayNames(now);
    const meaning = this.#meanings === null
      ? this.#meaningOf(line).meaning
      : this.#meanings.meaning(line, (l) => this.#meaningOf(l));
    if (meaning === null) {
      this.stats.badHubLines++;
      return;
    }
    if (meaning.kind === "closed") return this.hubClosed(now, meaning.reason);
    for (const event of meaning.events) this.session.handleEvent(now, event);
    this.#drain();
  }

  #gatewayNames(now: number): void {
    const answer = this.#names?.shift();
    if (answer === undefined) {
      this.stats.badHubLines++;
      return;
    }
    if (this.#names!.length === 0) this.#names = null;
    const { away, room } = answer;
    const re = typeof answer.re === "number" ? { re: answer.re } : {};
    // Decoded here, to be cut into lines and let go at once: a young string, never kept.
    const text = namesText.decode(answer.names);
    this.session.handleEvent(now, { type: "members", ...re, room, text, away });
    this.#drain();
  }

  #meaningOf(line: string): MadeMeaning {
    const parsed = parseServerMessage(line);
    if (!parsed.ok) return { meaning: null, shared: true };
    const { message } = parsed;
    // A reply answers this link's own request, and a page of a list is held by this link's
    // reassembly: their meaning is this link's alone. Remembered, a login storm's replies would
    // push out the broadcasts every member is still to read (and each stay for a while).
    const shared = !("re" in message) && message.type !== "rooms" && message.type !== "names";
    return { meaning: this.#events.meaning(message, line.length), shared };
  }

  #drain(): void {
    const session = this.session;
    for (let out = session.poll(); out !== null; out = session.poll()) {
      if (out.kind === "line") this.#toClient += out.line;
      else if (out.kind === "request") this.#toHub += hubLine(out.request);
      else this.#closeReason ??= out.reason;
    }
  }
}

/** A session's request as the line a chat client would send. */
function hubLine(request: HubRequest): string {
  switch (request.type) {
    case "login":
      return JSON.stringify({ ...request, protocol: PROTOCOL_VERSION }) + "\n";
    case "topic": {
      // The hub's field for a topic being set is `topic`.
      const { text, ...rest } = request;
      return JSON.stringify(text === undefined ? rest : { ...rest, topic: text }) + "\n";
    }
    case "history": {
      // The session's message ids are IRC msgids, strings; the hub's are numbers.
      const { before, after, ...rest } = request;
      return JSON.stringify({
        ...rest,
        ...messageId("before", before),
        ...messageId("after", after),
      }) +
        "\n";
    }
    default:
      return JSON.stringify(request) + "\n";
  }
}

/** `{ [key]: id }` for a msgid that is one of the hub's ids (a positive integer), else nothing. */
function messageId(key: "before" | "after", msgid: string | undefined): Record<string, number> {
  return msgid !== undefined && /^[1-9]\d{0,15}$/.test(msgid) ? { [key]: Number(msgid) } : {};
}
