/**
 * Limits and timings of the chat protocol, each a named constant with its unit.
 * See docs/PROTOCOL.md for what a peer sees when one is crossed.
 * @module
 */

/**
 * Version of the chat protocol this hub speaks, announced in `hello` (2 added rooms, 3 history:
 * message ids, replays and `history`, 4 accounts: passwords, `register`, `password`, 5 `joins`:
 * the joins of one interval in one event).
 */
export const PROTOCOL_VERSION = 5;
/**
 * Oldest protocol a client may log in with. A version 1 client knows nothing of rooms: it
 * lives in `#lobby` and is sent only the lines version 1 had.
 */
export const OLDEST_PROTOCOL_VERSION = 1;
/** First protocol version that knows rooms. */
export const ROOMS_PROTOCOL_VERSION = 2;
/** First protocol version that knows history lines; older clients are sent none. */
export const HISTORY_PROTOCOL_VERSION = 3;
/**
 * First protocol version that knows accounts; an older client refused a registered name is told
 * `NAME_TAKEN`, a code it knows, rather than `NAME_REGISTERED`.
 */
export const ACCOUNTS_PROTOCOL_VERSION = 4;
/**
 * First protocol version that knows `joins`, several users joined in one event; an older client
 * gets a `join` per user.
 */
export const JOINS_PROTOCOL_VERSION = 5;
/**
 * How long the hub holds the joins of a room before it announces them together, in ms: a login
 * storm then costs each member one event (and one write) per interval, not one per login. Any
 * other event of the room (a message, a leave, a topic), a rename or away, a broadcast and a
 * `names` or `users` answer send the joins held first, so nothing is seen out of order.
 */
export const PRESENCE_COALESCE_MS = 250;
/** Most users one `joins` names: a room's held joins go out when they reach it. */
export const MAX_JOINS_PER_EVENT = 1000;
/** Longest line accepted from or sent to a peer, not counting the newline. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Longest `text` of a message, in UTF-16 code units. */
export const MAX_TEXT_CHARS = 4096;
/** Longest request id a client may attach (when it is a string). */
export const MAX_REQUEST_ID_CHARS = 64;
/** Bad lines in a row after which a client is closed. */
export const MAX_PROTOCOL_ERRORS = 10;
/** Most bytes waiting to be written to one client before it is dropped as too slow. */
export const MAX_QUEUE_BYTES = 1024 * 1024;
/**
 * Bytes waiting for one client past which it counts as backlogged: delivery is falling behind,
 * and the driver stops reading until it catches up (well before anyone is dropped).
 */
export const BACKLOG_BYTES = 16 * 1024;
/** Most user names a `welcome` lists; `userCount` gives the total and `users` the whole list. */
export const MAX_WELCOME_NAMES = 100;
/** Time a new connection has to log in. */
export const LOGIN_TIMEOUT_MS = 10_000;
/** Silence after which the hub pings a client. */
export const HEARTBEAT_MS = 15_000;
/** Silence after which a client is considered gone. */
export const IDLE_TIMEOUT_MS = 3 * HEARTBEAT_MS;
/** Default sustained rate of rate-limited requests (`say`, `msg`, lists, transfers) per client. */
export const DEFAULT_RATE_PER_SECOND = 20;
/** Default burst of rate-limited requests per client. */
export const DEFAULT_RATE_BURST = 40;
/** Default most clients connected at once. */
export const DEFAULT_MAX_CLIENTS = 10_000;
/**
 * Default most connections at once from one address (loopback included): past it a new one
 * gets `TOO_MANY_CONNECTIONS`, so that one host cannot take every slot.
 */
export const DEFAULT_MAX_PER_ADDRESS = 16;
/**
 * Most connections at once that have not logged in yet. A newcomer past it takes the place of
 * the oldest such connection of a more crowded address, or gets `SERVER_FULL`.
 */
export const MAX_UNAUTHENTICATED = 64;
/**
 * Sustained rate of the requests the chat rate limit leaves free (`login`, `ping`), per
 * connection and second, whatever `--rate` says: each of them costs a reply.
 */
export const CONTROL_RATE_PER_SECOND = 5;
/** Burst of `login` and `ping` requests per connection. */
export const CONTROL_RATE_BURST = 10;
/** Most rooms one user may be in at once, `#lobby` included; past it `TOO_MANY_ROOMS`. */
export const MAX_ROOMS_PER_USER = 20;
/** Default most rooms on the hub at once; past it a new room gets `ROOMS_FULL`. */
export const DEFAULT_MAX_ROOMS = 4096;
/**
 * Most empty rooms kept because they have history (rooms); past it the one empty the longest is
 * forgotten (its messages stay in the store). They count among the hub's rooms, but a new room
 * past `maxRooms` makes the oldest of them go rather than being refused.
 */
export const MAX_RESTING_ROOMS = 1024;
/** Longest room topic, in UTF-16 code units; longer gets `TOPIC_INVALID`. */
export const MAX_TOPIC_CHARS = 300;
/**
 * Sustained rate of `join` requests per user and second, whatever `--rate` says: each join
 * tells every member of the room, so join and part cycles are a flood of their own.
 */
export const JOIN_RATE_PER_SECOND = 1;
/** Burst of `join` requests per user: enough to join back every room after a reconnection. */
export const JOIN_RATE_BURST = MAX_ROOMS_PER_USER;
/** Longest away text (`away`), in UTF-16 code units; longer gets `AWAY_INVALID`. */
export const MAX_AWAY_CHARS = 300;
/** Longest goodbye a `quit` may carry, in UTF-16 code units; a longer one is left out. */
export const MAX_QUIT_CHARS = 300;
/**
 * Sustained rate of `nick` and `away` requests per user and second, whatever `--rate` says:
 * each one tells everyone who shares a room with the user.
 */
export const PRESENCE_RATE_PER_SECOND = 1;
/** Burst of `nick` and `away` requests per user. */
export const PRESENCE_RATE_BURST = 5;
/**
 * Sustained rate of `history` requests per user and second, whatever `--rate` says: a bucket of
 * their own, so that the catch-up after a reconnection does not spend the chat rate.
 */
export const HISTORY_RATE_PER_SECOND = 5;
/**
 * Burst of `history` requests per user: a reconnection's catch-up at once, one per room
 * (`MAX_ROOMS_PER_USER`) and per private conversation, for up to 30 of those.
 */
export const HISTORY_RATE_BURST = MAX_ROOMS_PER_USER + 30;
/** Most messages one history query or replay returns (messages); a larger limit is cut to it. */
export const MAX_HISTORY_LIMIT = 500;
/** Default messages replayed to a user joining a room (`--replay`), at most `MAX_HISTORY_LIMIT`. */
export const DEFAULT_REPLAY = 50;
/**
 * Longest password (an account's or the server's) accepted, in UTF-8 bytes: a longer one is
 * refused with `PASSWORD_INVALID` before any hashing, so a huge password costs no CPU.
 */
export const MAX_PASSWORD_BYTES = 1024;
/** Shortest password an account may be given (`register`, `password`), in UTF-16 code units. */
export const MIN_PASSWORD_CHARS = 8;
/**
 * Most password checks and hashes waiting for the driver at once, across the hub: past it a
 * login with a password, a `register` or a `password` gets `SERVER_BUSY` with a `retryMs`, so a
 * flood of logins cannot queue unbounded work (each hash costs tens of MiB and milliseconds).
 */
export const MAX_PENDING_AUTHENTICATIONS = 32;
/** How long `SERVER_BUSY` asks a login to wait when the checks are all taken, in ms. */
export const AUTH_BUSY_RETRY_MS = 1000;
/**
 * Failed password logins for one name within `LOCKOUT_WINDOW_MS` after which the name is locked
 * (`LOCKED_OUT`), from whatever address: guessing one account is slowed to this many tries per
 * window, whoever guesses.
 */
export const MAX_FAILED_LOGINS_PER_NAME = 10;
/**
 * Failed logins (account or server password) from one address (an IPv6 one by its /64) within
 * `LOCKOUT_WINDOW_MS` after which the address is locked for every name.
 */
export const MAX_FAILED_LOGINS_PER_ADDRESS = 20;
/**
 * The window failures are counted in, in ms: a locked name or address is free again when the
 * oldest of its counted failures is this old.
 */
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
/**
 * Most names and most addresses the lockout remembers failures of, each: past it the one whose
 * last failure is oldest is forgotten, so guessing from many addresses cannot grow memory.
 */
export const MAX_LOCKOUT_ENTRIES = 10_000;
