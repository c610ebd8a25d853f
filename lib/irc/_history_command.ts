/**
 * CHATHISTORY (IRCv3 draft/chathistory): LATEST, BEFORE and AFTER by `msgid`, asked of the
 * hub's history and played back in a `chathistory` batch. Private to lib/irc.
 * @module
 */

import { checkName } from "../chat/names.ts";
import type { HubEvent, HubRequestBody } from "./hub_port.ts";
import { MAX_HISTORY_MESSAGES } from "./limits.ts";
import { ircKey } from "./room_name.ts";
import { outgoingTexts } from "./outgoing_text.ts";
import type { CommandHandler } from "./_registration_commands.ts";
import { echoParam, type Pending, type SessionState } from "./_session_state.ts";

type Selector = Pick<Extract<HubRequestBody, { type: "history" }>, "before" | "after">;

/** CHATHISTORY LATEST|BEFORE|AFTER <target> <*|msgid=id> <limit>. */
export const chathistory: CommandHandler = (state, message) => {
  const [sub, target, reference, limitText] = message.params;
  const fail = (code: string, text: string) =>
    state.send({
      tags: new Map(),
      source: state.info.name,
      command: "FAIL",
      params: ["CHATHISTORY", code, echoParam(sub ?? "*"), text],
      trailing: true,
    });
  if (limitText === undefined) return fail("NEED_MORE_PARAMS", "Missing parameters");
  const selector = select(sub!.toUpperCase(), reference!);
  const limit = Number(limitText);
  if (selector === null || !Number.isSafeInteger(limit) || limit < 1) {
    return fail("INVALID_PARAMS", "Only LATEST, BEFORE and AFTER by msgid, with a limit");
  }
  const where = historyScope(state, target!);
  if (where === null) return fail("INVALID_TARGET", "Not a room you are in or a nick");
  state.request(
    { type: "history", ...where, ...selector, limit: Math.min(limit, MAX_HISTORY_MESSAGES) },
    { command: "CHATHISTORY", target: target! },
  );
};

/** Plays a `history` reply back, in a batch when the client enabled `batch`. */
export function replyHistory(
  state: SessionState,
  pending: Pending,
  event: Extract<HubEvent, { type: "history" }>,
): void {
  const target = state.room(pending.target)?.name ?? pending.target;
  const batch = state.has("batch") ? `history${state.nextId++}` : null;
  if (batch !== null) state.fromServer("BATCH", [`+${batch}`, "chathistory", target]);
  for (const entry of event.messages.slice(0, MAX_HISTORY_MESSAGES)) {
    const tags = state.tagsAt(entry.ts, entry.id);
    if (batch !== null) tags.set("batch", batch);
    // In a private conversation, what the user sent went to the peer, the rest to the user.
    const mine = ircKey(entry.from) === ircKey(state.nick);
    const to = target.startsWith("#") || mine ? target : state.nick;
    const source = state.source(entry.from);
    const texts = outgoingTexts({
      source,
      command: "PRIVMSG",
      target: to,
      text: entry.text,
      action: entry.action === true,
    });
    for (const text of texts) state.fromUser(entry.from, "PRIVMSG", [to, text], tags);
  }
  if (batch !== null) state.fromServer("BATCH", [`-${batch}`]);
}

function select(sub: string, reference: string): Selector | null {
  const id = reference.startsWith("msgid=") ? reference.slice(6) : null;
  if (sub === "LATEST" && reference === "*") return {};
  if (id === null || id === "") return null;
  if (sub === "LATEST" || sub === "AFTER") return { after: id };
  if (sub === "BEFORE") return { before: id };
  return null;
}

function historyScope(
  state: SessionState,
  target: string,
): { room: string } | { peer: string } | null {
  if (target.startsWith("#")) {
    const room = state.room(target);
    return room === undefined ? null : { room: room.name };
  }
  return checkName(target) === null ? { peer: target } : null;
}
