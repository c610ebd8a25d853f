/**
 * Limits of the IRC gateway, each a named constant with its unit. See docs/IRC.md for what an
 * IRC client sees when one is crossed.
 * @module
 */

import {
  LOGIN_TIMEOUT_MS,
  MAX_PASSWORD_BYTES,
  MAX_PROTOCOL_ERRORS,
  MAX_TOPIC_CHARS,
} from "../chat/limits.ts";
import { MAX_ROOM_NAME_CHARS } from "../chat/room_rules.ts";

/**
 * Longest IRC line in bytes, the closing CR LF included and the tags excluded (RFC 1459 §2.3):
 * what an IRC client may send and the most the gateway ever writes.
 */
export const MAX_IRC_LINE_BYTES = 512;
/**
 * Longest tag section of a line in bytes, its leading `@` and the space after it included
 * (IRCv3 message tags), in both directions.
 */
export const MAX_TAG_BYTES = 8191;
/** Most parameters of one message (RFC 2812 §2.3.1: 14 middle ones and a trailing one). */
export const MAX_PARAMS = 15;
/** Time a new IRC connection has to register (NICK, USER and CAP END), in ms. */
export const REGISTRATION_TIMEOUT_MS = LOGIN_TIMEOUT_MS;
/** Most targets of one PRIVMSG, NOTICE, JOIN or PART (`TARGMAX`); past it: 407. */
export const MAX_TARGETS = 4;
/** Bad or refused lines in a row after which the gateway closes an IRC connection. */
export const MAX_IRC_ERRORS_IN_ROW = MAX_PROTOCOL_ERRORS;
/**
 * Most lines a client may send between its registration and the hub's welcome (a client that
 * pipelines JOIN after USER); they are handled after the welcome. Past it: 451.
 */
export const MAX_HELD_LINES = 16;
/**
 * Sustained rate of the commands the gateway answers itself without asking the hub (CAP, PING,
 * WHO, MODE, MOTD), per connection and second: each costs reply lines, a WHO one per member.
 * Past the budget a command gets 263 and counts as a bad line.
 */
export const LOCAL_RATE_PER_SECOND = 5;
/** Burst of those commands: a client joining a dozen rooms asks MODE and WHO of each. */
export const LOCAL_RATE_BURST = 30;
/** Most hub requests of one session awaiting their reply; past it a command gets no request. */
export const MAX_PENDING_REQUESTS = 64;
/** Longest room name in characters, the `#` excluded (`CHANNELLEN` is one more): the hub's. */
export const DEFAULT_ROOM_NAME_CHARS = MAX_ROOM_NAME_CHARS;
/**
 * Longest topic announced (`TOPICLEN`): the hub's `MAX_TOPIC_CHARS`, in UTF-16 code units, which
 * is never fewer characters than that.
 */
export const DEFAULT_TOPIC_CHARS = MAX_TOPIC_CHARS;
/** Most messages one CHATHISTORY request returns (`CHATHISTORY` in ISUPPORT); more are cut. */
export const MAX_HISTORY_MESSAGES = 100;
/**
 * Most characters of the pages of one `rooms` or `names` reply the gateway joins (1 Mi, UTF-16
 * code units as the pages' lines are); past it the reply is given up (`REPLY_TOO_LONG`, shown as
 * a NOTICE). 4,096 rooms with the longest topics fit.
 */
export const MAX_IRC_LIST_REPLY_CHARS = 1024 * 1024;
/**
 * Hub lines whose meaning the IRC links of one listener remember, the newest: a member that is
 * behind takes many broadcasts in one write and still finds each one made. 1,024 lines of the
 * hub's longest (64 KiB) would be 64 MiB; a room's messages are some hundred bytes.
 */
export const SHARED_LINES = 1024;
/**
 * Ranges of the hub's output (a buffer, an offset, a length) whose decoded lines the IRC links
 * of one listener remember, the newest: members take the same run of broadcasts in one write,
 * each through a view of its own. Each holds the lines of one write, a few KiB.
 */
export const SHARED_RANGES = 64;

/** Length of a full AUTHENTICATE chunk, in base64 characters: a shorter one (or `+`) ends it. */
export const SASL_CHUNK_CHARS = 400;
/**
 * Longest SASL PLAIN message accepted, in base64 characters (1,540): room for two names of 64
 * bytes and a password of `MAX_PASSWORD_BYTES`; a longer one gets 905 (ERR_SASLTOOLONG) before
 * it is decoded.
 */
export const MAX_SASL_MESSAGE_CHARS = Math.ceil((MAX_PASSWORD_BYTES + 2 * 64 + 2) / 3) * 4;
