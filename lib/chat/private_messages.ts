/**
 * Private messages on the hub (`msg`): from one member to another, kept in the history.
 * @module
 */

import { protocolError } from "./errors.ts";
import type { HubClient as Client } from "./hub_client.ts";
import type { RoomOutlet } from "./hub_rooms.ts";
import { nameKey } from "./names.ts";
import type { Request } from "./requests.ts";
import { withRe } from "./with_re.ts";

/** What private messages need of the hub. */
export type PrivateOutlet = Pick<
  RoomOutlet,
  "send" | "refuse" | "encodeDirect" | "wall" | "record"
>;

/**
 * The hub's private messages.
 *
 * @example
 * ```ts ignore
 * const privates = new PrivateMessages(outlet, members);
 * privates.relay(client, "ann", { type: "msg", to: "bob", text: "hi" }, now);
 * ```
 */
export class PrivateMessages {
  readonly #out: PrivateOutlet;
  readonly #members: ReadonlyMap<string, Client>;

  /** @param members everyone logged in, by `nameKey` */
  constructor(outlet: PrivateOutlet, members: ReadonlyMap<string, Client>) {
    this.#out = outlet;
    this.#members = members;
  }

  /**
   * Relays a `msg` (text already checked) from `client`, logged in as `name`, to its target,
   * and answers it with the message's id, or `NO_SUCH_USER`.
   */
  relay(client: Client, name: string, request: Request & { type: "msg" }, now: number): void {
    const target = this.#members.get(nameKey(request.to));
    if (target === undefined) {
      const error = protocolError("NO_SUCH_USER", `No user named '${request.to.slice(0, 64)}'`);
      return this.#out.refuse(client, error, request.id, now);
    }
    const ts = this.#out.wall(now);
    const to = target.name!;
    const action = request.action === true;
    const id = this.#out.record({
      kind: "private",
      from: name,
      to,
      text: request.text,
      action,
      ts,
    });
    const text = { text: request.text, ...actionOf(request) };
    const message = { type: "message", from: name, to, ...text, id, ts };
    this.#out.send(target, this.#out.encodeDirect(message), now);
    client.lastSpokeAt = now;
    // The reply names the target as it logged in, which may differ in case from `to`, and
    // says so when the target is away.
    const away = target.away === null ? {} : { away: target.away };
    const ok = withRe({ type: "ok", to: target.name, ...away, ts, id }, request.id);
    this.#out.send(client, this.#out.encodeDirect(ok), now);
  }
}

/** The `action` flag a message carries on, when its request had it. */
function actionOf(request: { action?: true }): { action?: true } {
  return request.action === true ? { action: true } : {};
}
