/**
 * WHO: a room's members or one user, asked of the hub (the session keeps no member lists),
 * answered by 352 lines and 315. Private to lib/irc.
 * @module
 */

import type { HubEvent } from "./hub_port.ts";
import type { CommandHandler } from "./_registration_commands.ts";
import { ircKey, isRoomName } from "./room_name.ts";
import { echoParam, type SessionState } from "./_session_state.ts";

type Of<T extends HubEvent["type"]> = Extract<HubEvent, { type: T }>;

/**
 * WHO #room lists the room's members (the hub's `names`), WHO nick one user (the hub's
 * `whois`, which tells whether they are away: `G`, else `H`). A mask with wildcards, or `0`,
 * matches nobody here: only 315.
 */
export const who: CommandHandler = (state, message) => {
  const mask = message.params[0] ?? "*";
  const pending = { command: "WHO", target: mask };
  if (isRoomName(mask, state.info.roomNameLen)) {
    state.request({ type: "names", room: mask }, pending);
  } else if (/^[^#*?]/.test(mask) && mask !== "0") {
    state.request({ type: "whois", name: mask }, pending);
  } else {
    endOfWho(state, mask);
  }
};

/**
 * The 352 lines of a room's members and 315: `G` for those in `away` (name keys), else `H`;
 * without `away` (a hub that did not say) only the user's own away state is known.
 */
export function whoReplies(
  state: SessionState,
  room: string,
  names: readonly string[],
  away?: ReadonlySet<string>,
): void {
  for (const nick of names) {
    const gone = away === undefined
      ? state.away && ircKey(nick) === ircKey(state.nick)
      : away.has(ircKey(nick));
    whoLine(state, room, nick, gone);
  }
  endOfWho(state, room);
}

/** The 352 line of the user the hub described, and 315. */
export function whoisAsWho(state: SessionState, mask: string, event: Of<"whois">): void {
  whoLine(state, "*", event.name, event.away !== undefined);
  endOfWho(state, mask);
}

/** 315 alone: what a WHO the hub could not answer gets (no such room or user). */
export function endOfWho(state: SessionState, mask: string): void {
  state.reply("RPL_ENDOFWHO", [echoParam(mask), "End of WHO list"]);
}

function whoLine(state: SessionState, channel: string, nick: string, away: boolean): void {
  const server = state.info.name;
  state.reply("RPL_WHOREPLY", [channel, nick, server, server, nick, away ? "G" : "H", `0 ${nick}`]);
}
