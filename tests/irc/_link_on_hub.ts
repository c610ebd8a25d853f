/**
 * An `IrcHubLink` bound to a real `Hub` as the IRC listener binds it: the link's JSON lines
 * go to `Hub.receive`, the hub's output for the connection back to the link. No sockets.
 * @module
 */

import type { ConnId } from "../../lib/chat/hub_types.ts";
import { IrcHubLink, type IrcHubLinkOptions } from "../../lib/irc/irc_hub_link.ts";
import type { IrcSession } from "../../lib/irc/irc_session.ts";
import type { HubHarness } from "../chat/_hub_harness.ts";

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** One IRC client on the hub: write lines to it, read the lines it got. */
export class IrcOnHub {
  readonly link: IrcHubLink;
  readonly conn: ConnId;
  readonly #hub: HubHarness;
  #lines: string[] = [];

  /**
   * @param binding `gateway` (default true): the hub hands the link its `names` answers as the
   *   server binds it; false: as JSON lines, as to any chat client
   */
  constructor(
    hub: HubHarness,
    now: number,
    options: IrcHubLinkOptions = {},
    address?: string,
    binding: { gateway?: boolean } = {},
  ) {
    this.#hub = hub;
    this.link = new IrcHubLink(now, options);
    const gateway = binding.gateway === false ? undefined : this.link;
    this.conn = hub.connect(now, address, undefined, gateway);
  }

  get session(): IrcSession {
    return this.link.session;
  }

  /** Sends raw bytes as an IRC client would, and runs both sides until quiet. */
  write(line: string, now = 0): this {
    this.link.fromClient(now, utf8.encode(line));
    return this.run(now);
  }

  /** The IRC lines received since the last call. */
  read(now = 0): string[] {
    this.run(now);
    const lines = this.#lines;
    this.#lines = [];
    return lines;
  }

  /** Moves output both ways until neither side has more. */
  run(now: number): this {
    for (let busy = true; busy;) {
      busy = false;
      const input = this.link.takeHubInput();
      if (input !== null) {
        busy = true;
        this.#hub.sendBytes(this.conn, input, now);
      }
      const output = this.#hub.hub.takeOutput(this.conn);
      if (output !== null) {
        busy = true;
        this.link.fromHub(now, output);
      }
      const lines = this.link.takeClientOutput();
      if (lines !== null) {
        this.#lines.push(...text.decode(lines).split("\r\n").slice(0, -1));
      }
    }
    return this;
  }
}
