/**
 * WHOIS, AWAY and MOTD. Private to lib/irc.
 * @module
 */

import type { CommandHandler } from "./_registration_commands.ts";
import { motdLines } from "./welcome.ts";

/** WHOIS [server] nick: asked of the hub, answered by 311, 319, 312, 301, 317 and 318. */
export const whois: CommandHandler = (state, message) => {
  const nick = message.params.at(-1);
  if (nick === undefined || nick === "") {
    state.reply("ERR_NONICKNAMEGIVEN", ["No nickname given"]);
    state.bad();
    return;
  }
  // One nick only: `a,b` is one name the hub will not know.
  state.request({ type: "whois", name: nick }, { command: "WHOIS", target: nick });
};

/** AWAY :text marks the user away, AWAY alone back. */
export const away: CommandHandler = (state, message) => {
  const text = message.params[0];
  const pending = { command: "AWAY", target: state.nick };
  if (text === undefined || text === "") state.request({ type: "away" }, pending);
  else state.request({ type: "away", text }, { ...pending, text });
};

/** MOTD: the message of the day again. */
export const motd: CommandHandler = (state) => {
  for (const line of motdLines(state.info, state.nick)) state.send(line);
};
