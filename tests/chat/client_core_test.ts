import assert from "node:assert/strict";
import type { ClientAction, ClientCoreOptions } from "../../lib/chat/client_actions.ts";
import { ClientCore, CONNECT_TIMEOUT_MS, QUIT_WAIT_MS } from "../../lib/chat/client_core.ts";
import { MAX_OFFLINE_REQUESTS } from "../../lib/chat/client_requests.ts";

const utf8 = new TextEncoder();
const HELLO = { type: "hello", protocol: 1, server: "fake", heartbeatMs: 15000 };

type Line = Record<string, unknown>;

/** A core on a virtual clock, with the hub's side played by the test. */
class Rig {
  readonly core: ClientCore;
  now = 0;
  actions: ClientAction[] = [];

  constructor(options: ClientCoreOptions = {}) {
    this.core = new ClientCore(0, options);
    this.#drain();
  }

  /** Takes the actions so far. */
  take(): ClientAction[] {
    this.#drain();
    const actions = this.actions;
    this.actions = [];
    return actions;
  }

  /** The kinds of the actions so far (taken). */
  kinds(): string[] {
    return this.take().map((a) => a.kind === "status" ? `status:${a.status.kind}` : a.kind);
  }

  /** The lines the core wrote to the hub. */
  sent(): Line[] {
    const bytes = this.core.takeOutput();
    if (bytes === null) return [];
    return new TextDecoder().decode(bytes).trim().split("\n").map((l) => JSON.parse(l));
  }

  /** The hub sends `lines`. */
  hub(...lines: Array<object | string>): void {
    const text = lines.map((l) => typeof l === "string" ? l : JSON.stringify(l)).join("\n");
    this.core.receive(this.now, utf8.encode(text + "\n"));
    this.#drain();
  }

  /** Moves the clock on by `ms`, running every deadline met on the way. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (
      let at = this.core.pollTimeout();
      at !== null && at <= until;
      at = this.core.pollTimeout()
    ) {
      this.now = Math.max(this.now, at);
      this.core.handleTimeout(this.now);
      this.#drain();
    }
    this.now = until;
  }

  /** Connects and greets (the dial must have been asked for). */
  greet(): void {
    this.core.connected(this.now);
    this.hub(HELLO);
  }

  /** Dials, greets and logs in as `name` on the first connection. */
  logIn(name: string): number {
    this.greet();
    const handle = this.core.login(this.now, name);
    const [login] = this.sent();
    this.hub({ type: "welcome", re: login!.id, name, users: [name], userCount: 1, ts: 0 });
    this.take();
    return handle;
  }

  #drain(): void {
    for (let a = this.core.pollAction(); a !== null; a = this.core.pollAction()) {
      this.actions.push(a);
    }
  }
}

function failures(actions: ClientAction[]): Array<[number, string]> {
  return actions.flatMap((a) => a.kind === "fail" ? [[a.handle, a.error.code]] : []);
}

Deno.test("ClientCore dials, is greeted, and settles the login with the welcome", () => {
  const rig = new Rig();
  assert.deepEqual(rig.kinds(), ["dial"]);
  rig.greet();
  assert.deepEqual(rig.kinds(), ["status:connected"]);
  assert.equal(rig.core.phase, "ready");
  const handle = rig.core.login(rig.now, "ann");
  const [login] = rig.sent();
  assert.deepEqual({ ...login, id: 0 }, { type: "login", name: "ann", protocol: 5, id: 0 });
  rig.hub({ type: "welcome", re: login!.id, name: "ann", users: ["ann"], userCount: 1, ts: 5 });
  const [reply] = rig.take();
  assert.equal(reply?.kind === "reply" && reply.handle, handle);
  assert.equal(rig.core.name, "ann");
  assert.equal(rig.core.phase, "online");
});

Deno.test("ClientCore reconnects with doubling back-off and resends what waited, in order", () => {
  const rig = new Rig();
  rig.logIn("ann");
  const inFlight = rig.core.request(rig.now, { type: "users" });
  const ping = rig.core.request(rig.now, { type: "ping" });
  rig.sent();
  rig.core.lost(rig.now, "reset");
  const lost = rig.take();
  assert.deepEqual(failures(lost), [[ping, "CONNECTION_LOST"]], "a ping is not worth resending");
  assert.deepEqual(lost.map((a) => a.kind === "status" && a.status.kind).filter(Boolean), [
    "disconnected",
    "reconnecting",
  ]);
  const queued = rig.core.request(rig.now, { type: "say", text: "while away" });
  assert.deepEqual(rig.take(), [], "kept, not failed");
  // Attempt 1 after 250 ms, attempt 2 after 500 ms more (jitter fixed at the middle).
  rig.advance(249);
  assert.deepEqual(rig.kinds(), []);
  rig.advance(1);
  assert.deepEqual(rig.kinds(), ["dial"]);
  rig.core.connectFailed(rig.now, "connection refused");
  const retry = rig.take();
  assert.deepEqual(retry.map((a) => a.kind), ["hangup", "status"]);
  const status = retry[1]!.kind === "status" ? retry[1]!.status : null;
  assert.deepEqual(status, {
    kind: "reconnecting",
    attempt: 2,
    delayMs: 500,
    reason: "Cannot connect to the hub: connection refused",
  });
  rig.advance(500);
  assert.deepEqual(rig.kinds(), ["dial"]);
  rig.greet();
  const [login] = rig.sent();
  assert.equal(login!.type, "login");
  assert.equal(login!.name, "ann", "logs in again under the same name");
  assert.deepEqual(rig.sent(), [], "nothing else goes out before the welcome");
  rig.hub({ type: "welcome", re: login!.id, name: "ann", users: ["ann"], userCount: 1, ts: 0 });
  assert.deepEqual(rig.take().map((a) => a.kind === "status" && a.status), [
    { kind: "reconnected", name: "ann" },
  ]);
  const resent = rig.sent();
  assert.deepEqual(resent.map((l) => l.type), ["users", "say"]);
  rig.hub({ type: "ok", re: resent[1]!.id, ts: 9 }, {
    type: "users",
    re: resent[0]!.id,
    users: [],
  });
  assert.deepEqual(
    rig.take().map((a) => a.kind === "reply" && a.handle),
    [queued, inFlight],
  );
});

Deno.test("ClientCore keeps at most MAX_OFFLINE_REQUESTS while away and fails others at once", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.lost(rig.now, "reset");
  rig.take();
  for (let i = 0; i < MAX_OFFLINE_REQUESTS; i++) {
    rig.core.request(rig.now, { type: "say", text: "x" });
  }
  assert.deepEqual(rig.take(), []);
  const over = rig.core.request(rig.now, { type: "msg", to: "bob", text: "x" });
  const get = rig.core.request(rig.now, { type: "get", name: "a", offset: 0 });
  assert.deepEqual(failures(rig.take()), [[over, "QUEUE_FULL"], [get, "CONNECTION_LOST"]]);
});

Deno.test("ClientCore ends with NAME_TAKEN when the name was taken during an outage (end)", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.lost(rig.now, "reset");
  const queued = rig.core.request(rig.now, { type: "say", text: "x" });
  rig.advance(250);
  rig.greet();
  const [login] = rig.sent();
  rig.take();
  rig.hub({ type: "error", re: login!.id, code: "NAME_TAKEN", message: "Name 'ann' is taken" });
  const actions = rig.take();
  assert.deepEqual(failures(actions), [[queued, "NAME_TAKEN"]]);
  const ended = actions.find((a) => a.kind === "ended");
  assert.equal(ended?.kind === "ended" && ended.error?.code, "NAME_TAKEN");
  assert.match(ended?.kind === "ended" ? ended.error!.message : "", /taken/);
  assert.equal(rig.core.phase, "closed");
  assert.equal(rig.core.pollTimeout(), null, "no more attempts");
});

Deno.test("ClientCore asks for another name when the name was taken during an outage (ask)", () => {
  const rig = new Rig({ onNameRefused: "ask" });
  rig.logIn("ann");
  rig.core.lost(rig.now, "reset");
  const queued = rig.core.request(rig.now, { type: "say", text: "x" });
  rig.advance(250);
  rig.greet();
  const [login] = rig.sent();
  rig.take();
  rig.hub({ type: "error", re: login!.id, code: "NAME_TAKEN", message: "taken" });
  const actions = rig.take();
  assert.deepEqual(actions.map((a) => a.kind), ["hangup", "status"]);
  assert.equal(actions[1]!.kind === "status" && actions[1]!.status.kind, "name_refused");
  assert.equal(rig.core.phase, "needName");
  assert.equal(rig.core.pollTimeout(), null, "no dialling until a name is given");
  rig.advance(60_000);
  assert.deepEqual(rig.take(), []);
  const handle = rig.core.login(rig.now, "ann2");
  assert.deepEqual(rig.kinds(), ["dial"]);
  rig.greet();
  const [again] = rig.sent();
  assert.equal(again!.name, "ann2");
  rig.hub({ type: "welcome", re: again!.id, name: "ann2", users: [], userCount: 1, ts: 0 });
  const welcomed = rig.take();
  assert.equal(welcomed[0]?.kind === "reply" && welcomed[0].handle, handle);
  assert.deepEqual(welcomed[1]?.kind === "status" && welcomed[1].status, {
    kind: "reconnected",
    name: "ann2",
  });
  assert.equal(rig.core.name, "ann2");
  assert.deepEqual(rig.sent().map((l) => l.type), ["say"], `${queued} goes out at last`);
});

Deno.test("ClientCore quits at once while reconnecting, and waits a bounded time for bye", () => {
  const away = new Rig();
  away.logIn("ann");
  away.core.lost(away.now, "reset");
  const queued = away.core.request(away.now, { type: "say", text: "x" });
  away.take();
  away.core.quit(away.now);
  const actions = away.take();
  assert.deepEqual(failures(actions), [[queued, "CLOSED"]]);
  assert.deepEqual(actions.at(-1), { kind: "ended", error: null });

  const online = new Rig();
  online.logIn("bob");
  online.core.quit(online.now);
  assert.deepEqual(online.sent().map((l) => l.type), ["quit"]);
  online.advance(QUIT_WAIT_MS - 1);
  assert.deepEqual(online.take(), []);
  online.advance(1);
  assert.deepEqual(online.kinds(), ["hangup", "ended"], "no bye: given up after QUIT_WAIT_MS");
});

Deno.test("ClientCore gives up a hub that never greets after CONNECT_TIMEOUT_MS", () => {
  const rig = new Rig();
  rig.take();
  rig.core.connected(0);
  rig.advance(CONNECT_TIMEOUT_MS - 1);
  assert.deepEqual(rig.take(), []);
  rig.advance(1);
  const actions = rig.take();
  const ended = actions.at(-1);
  assert.equal(ended?.kind === "ended" && ended.error?.code, "CONNECT_FAILED");
});

Deno.test("ClientCore ends with the hub's code when refused before the greeting", () => {
  const rig = new Rig({ hub: "h:1" });
  rig.take();
  rig.core.connected(0);
  rig.hub({ type: "error", code: "SERVER_FULL", message: "Server is full" });
  const ended = rig.take().at(-1);
  assert.equal(ended?.kind === "ended" && ended.error?.code, "SERVER_FULL");
  assert.equal(
    ended?.kind === "ended" && ended.error?.message,
    "h:1 refused the connection: Server is full",
  );
});

Deno.test("ClientCore keeps trying through refusals while reconnecting, saying why", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.lost(rig.now, "reset");
  rig.advance(250);
  rig.take();
  rig.core.connected(rig.now);
  rig.hub({ type: "error", code: "TOO_MANY_CONNECTIONS", message: "Too many" });
  const status = rig.take().find((a) => a.kind === "status");
  assert.equal(status?.kind === "status" && status.status.kind, "reconnecting");
  assert.match(
    status?.kind === "status" && status.status.kind === "reconnecting" ? status.status.reason : "",
    /refused the connection: Too many/,
  );
});

Deno.test("ClientCore gives up a silent hub after three heartbeats and reconnects", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.advance(15_000);
  assert.deepEqual(rig.sent().map((l) => l.type), ["ping"]);
  rig.advance(29_999);
  assert.deepEqual(rig.take(), []);
  rig.advance(1);
  assert.deepEqual(rig.kinds(), ["hangup", "status:disconnected", "status:reconnecting"]);
});

Deno.test("ClientCore reports a bad event and fails a bad reply, staying connected", () => {
  const rig = new Rig();
  rig.logIn("ann");
  const users = rig.core.request(rig.now, { type: "users" });
  const [request] = rig.sent();
  rig.hub(
    { type: "file_added", name: "a", size: -1, from: "bob", ts: 1 },
    { type: "users", re: request!.id, users: [{ since: 1 }] },
    "garbage",
    { type: "join", name: "bob", ts: 2 },
  );
  const actions = rig.take();
  assert.deepEqual(actions.map((a) => a.kind), ["notice", "fail", "notice", "event"]);
  assert.deepEqual(failures(actions), [[users, "BAD_SERVER_LINE"]]);
  assert.equal(rig.core.phase, "online");
});

Deno.test("ClientCore without reconnect ends with CONNECTION_LOST", () => {
  const rig = new Rig({ reconnect: false });
  rig.logIn("ann");
  rig.core.lost(rig.now, "reset");
  const ended = rig.take().at(-1);
  assert.equal(ended?.kind === "ended" && ended.error?.code, "CONNECTION_LOST");
});

/** Loses the connection, waits out the back-off, greets and welcomes `name` again. */
function reconnect(rig: Rig, name: string): Line[] {
  rig.core.lost(rig.now, "reset");
  rig.advance(250);
  rig.take();
  rig.greet();
  const [login] = rig.sent();
  rig.hub({ type: "welcome", re: login!.id, name, users: [name], userCount: 1, ts: 0 });
  return rig.sent();
}

Deno.test("ClientCore joins its rooms again after reconnecting, before what waited", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.request(rig.now, { type: "join", room: "#dev" });
  const [join] = rig.sent();
  const joined = { room: "#Dev", topic: "", members: ["ann"], memberCount: 1, ts: 1 };
  rig.hub({ type: "joined", re: join!.id, ...joined });
  rig.core.request(rig.now, { type: "part", room: "#lobby" });
  const [part] = rig.sent();
  rig.hub({ type: "parted", re: part!.id, room: "#lobby", ts: 2 });
  rig.take();
  assert.deepEqual(rig.core.rooms, ["#Dev"]);
  rig.core.lost(rig.now, "reset");
  rig.core.request(rig.now, { type: "say", room: "#Dev", text: "back" });
  rig.advance(250);
  rig.take();
  rig.greet();
  const [login] = rig.sent();
  rig.hub({ type: "welcome", re: login!.id, name: "ann", users: ["ann"], userCount: 1, ts: 0 });
  const sent = rig.sent();
  assert.deepEqual(sent.map((l) => [l.type, l.room]), [
    ["join", "#Dev"],
    ["part", "#lobby"],
    ["say", "#Dev"],
  ]);
  rig.take();
  rig.hub({ type: "joined", re: sent[0]!.id, ...joined, ts: 5 });
  assert.deepEqual(rig.take(), [], "the restoring join's reply is nobody's");
  assert.deepEqual(rig.core.rooms, ["#Dev"]);
});

Deno.test("ClientCore tells of a room it cannot join again after reconnecting, and forgets it", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.request(rig.now, { type: "join", room: "#dev" });
  const [join] = rig.sent();
  rig.hub({
    type: "joined",
    re: join!.id,
    room: "#dev",
    topic: "",
    members: [],
    memberCount: 1,
    ts: 1,
  });
  rig.take();
  const [rejoin] = reconnect(rig, "ann");
  rig.take();
  rig.hub({ type: "error", re: rejoin!.id, code: "ROOMS_FULL", message: "Full" });
  const statuses = rig.take().flatMap((a) => a.kind === "status" ? [a.status] : []);
  assert.deepEqual(statuses, [{
    kind: "room_lost",
    room: "#dev",
    error: { code: "ROOMS_FULL", message: "Full" },
  }]);
  assert.deepEqual(rig.core.rooms, ["#lobby"]);
  assert.deepEqual(reconnect(rig, "ann"), [], "a lost room is not tried again");
});

Deno.test("ClientCore takes a refused part of #lobby after reconnecting as no loss", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.request(rig.now, { type: "part", room: "#lobby" });
  const [part] = rig.sent();
  rig.hub({ type: "parted", re: part!.id, room: "#lobby", ts: 1 });
  rig.take();
  const [again] = reconnect(rig, "ann");
  assert.deepEqual([again!.type, again!.room], ["part", "#lobby"]);
  rig.take();
  rig.hub({ type: "error", re: again!.id, code: "NOT_IN_ROOM", message: "Not in #lobby" });
  assert.deepEqual(rig.take(), []);
  assert.deepEqual(rig.core.rooms, []);
});

Deno.test("ClientCore logs in again under the name a nick gave it", () => {
  const rig = new Rig();
  rig.logIn("ann");
  const handle = rig.core.request(rig.now, { type: "nick", name: "anna" });
  const [nick] = rig.sent();
  assert.deepEqual(nick, { type: "nick", name: "anna", id: nick!.id });
  rig.hub({ type: "ok", re: nick!.id, name: "Anna", ts: 1 });
  assert.deepEqual(rig.take().map((a) => a.kind === "reply" && a.handle), [handle]);
  assert.equal(rig.core.name, "Anna", "the hub's spelling");
  rig.core.lost(rig.now, "reset");
  rig.advance(250);
  rig.take();
  rig.greet();
  const [login] = rig.sent();
  assert.equal(login!.name, "Anna");
});

Deno.test("ClientCore fails a nick answered with another name, and keeps its own", () => {
  const rig = new Rig();
  rig.logIn("ann");
  const handle = rig.core.request(rig.now, { type: "nick", name: "anna" });
  const [nick] = rig.sent();
  rig.hub({ type: "ok", re: nick!.id, name: "mallory", ts: 1 });
  assert.deepEqual(failures(rig.take()), [[handle, "BAD_SERVER_LINE"]]);
  assert.equal(rig.core.name, "ann");
});

Deno.test("ClientCore keeps its name when a nick is refused", () => {
  const rig = new Rig();
  rig.logIn("ann");
  const handle = rig.core.request(rig.now, { type: "nick", name: "bob" });
  const [nick] = rig.sent();
  rig.hub({ type: "error", re: nick!.id, code: "NAME_TAKEN", message: "Name 'bob' is taken" });
  assert.deepEqual(failures(rig.take()), [[handle, "NAME_TAKEN"]]);
  assert.equal(rig.core.name, "ann");
});

Deno.test("ClientCore quits with the goodbye given", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.quit(rig.now, "see you");
  const [quit] = rig.sent();
  assert.deepEqual(quit, { type: "quit", text: "see you", id: quit!.id });
});

Deno.test("ClientCore marks itself away again after reconnecting, until it came back", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.request(rig.now, { type: "away", text: "lunch" });
  const [away] = rig.sent();
  rig.hub({ type: "ok", re: away!.id, ts: 1 });
  rig.take();
  const sent = reconnect(rig, "ann");
  assert.deepEqual(sent.map((l) => [l.type, l.text]), [["away", "lunch"]]);
  rig.take();
  rig.hub({ type: "ok", re: sent[0]!.id, ts: 2 });
  assert.deepEqual(rig.take(), [], "the restoring away's reply is nobody's");
  rig.core.request(rig.now, { type: "away" });
  const [back] = rig.sent();
  rig.hub({ type: "ok", re: back!.id, ts: 3 });
  assert.deepEqual(reconnect(rig, "ann"), [], "back: nothing to restore");
});

Deno.test("ClientCore asks a new connection for exactly what it missed, per room and conversation", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.request(rig.now, { type: "join", room: "#dev" });
  const [join] = rig.sent();
  rig.hub({
    type: "joined",
    re: join!.id,
    room: "#dev",
    topic: "",
    members: [],
    memberCount: 1,
    ts: 1,
  });
  rig.hub(
    { type: "history", room: "#lobby", messages: [{ id: 3, from: "bob", text: "old", ts: 0 }] },
    { type: "message", from: "bob", text: "a", room: "#dev", id: 7, ts: 2 },
    { type: "message", from: "bob", to: "ann", text: "psst", id: 8, ts: 3 },
  );
  rig.core.request(rig.now, { type: "say", room: "#lobby", text: "mine" });
  const [say] = rig.sent();
  rig.hub({ type: "ok", re: say!.id, id: 9, ts: 4 });
  rig.take();
  const sent = reconnect(rig, "ann");
  assert.deepEqual(sent.map(({ id: _, ...line }) => line), [
    { type: "join", room: "#dev", replay: 0 },
    { type: "history", room: "#lobby", after: 9, limit: 500 },
    { type: "history", room: "#dev", after: 7, limit: 500 },
    { type: "history", peer: "bob", after: 8, limit: 500 },
  ]);
  const missed = {
    type: "history",
    re: sent[2]!.id,
    room: "#dev",
    messages: [
      { id: 10, from: "bob", text: "while away", ts: 5 },
    ],
  };
  rig.hub(missed);
  const shown = rig.take().filter((a) => a.kind !== "status");
  assert.deepEqual(shown.map((a) => a.kind === "event" && a.message.type), ["history"]);
});

Deno.test("ClientCore logs in again without a replay of #lobby once it has seen #lobby", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.core.lost(rig.now, "reset");
  rig.advance(250);
  rig.greet();
  const [unseen] = rig.sent();
  assert.equal(unseen!.replay, undefined, "nothing seen: the usual replay");
  rig.hub({ type: "welcome", re: unseen!.id, name: "ann", users: ["ann"], userCount: 1, ts: 0 });
  rig.hub({ type: "message", from: "bob", text: "a", room: "#lobby", id: 4, ts: 2 });
  rig.sent();
  rig.core.lost(rig.now, "reset");
  rig.advance(1000);
  rig.greet();
  assert.equal(rig.sent()[0]!.replay, 0);
});

Deno.test("ClientCore asks for the rest of a catch-up the hub cut at MAX_HISTORY_LIMIT", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.hub({ type: "message", from: "bob", text: "a", room: "#lobby", id: 1, ts: 2 });
  const [catchUp] = reconnect(rig, "ann");
  const messages = Array.from(
    { length: 500 },
    (_, i) => ({ id: i + 2, from: "bob", text: "x", ts: 3 }),
  );
  rig.hub({ type: "history", re: catchUp!.id, room: "#lobby", messages });
  const [rest] = rig.sent();
  assert.deepEqual([rest?.type, rest?.room, rest?.after], ["history", "#lobby", 501]);
});

Deno.test("ClientCore refuses a private history holding lines between other people", () => {
  const rig = new Rig();
  rig.logIn("ann");
  const foreign = { id: 5, from: "cy", to: "bob", text: "not for ann", ts: 1 };
  rig.hub({ type: "history", peer: "bob", messages: [foreign] });
  const [notice] = rig.take();
  assert.equal(notice?.kind === "notice" && notice.error.code, "BAD_SERVER_LINE");
  const handle = rig.core.request(rig.now, { type: "history", peer: "bob", limit: 5 });
  const [asked] = rig.sent();
  rig.hub({ type: "history", re: asked!.id, peer: "bob", messages: [foreign] });
  assert.deepEqual(failures(rig.take()), [[handle, "BAD_SERVER_LINE"]]);
  const own = { id: 6, from: "Bob", to: "ann", text: "for ann", ts: 2 };
  rig.core.request(rig.now, { type: "history", peer: "bob", limit: 5 });
  const [again] = rig.sent();
  rig.hub({ type: "history", re: again!.id, peer: "bob", messages: [own] });
  assert.deepEqual(rig.take().map((a) => a.kind), ["reply"]);
});

Deno.test("ClientCore tells the user when the hub refuses a catch-up", () => {
  const rig = new Rig();
  rig.logIn("ann");
  rig.hub({ type: "message", from: "bob", text: "a", room: "#lobby", id: 1, ts: 2 });
  const [catchUp] = reconnect(rig, "ann");
  rig.take();
  rig.hub({ type: "error", re: catchUp!.id, code: "RATE_LIMITED", message: "Slow down" });
  const [notice] = rig.take();
  assert.equal(notice?.kind === "notice" && notice.error.code, "RATE_LIMITED");
});

Deno.test("ClientCore shows a joins as a join per user, after its own name when among them", () => {
  const rig = new Rig();
  rig.logIn("Ann");
  rig.hub({ type: "joins", room: "#lobby", names: ["bob", "cat"], ts: 3 });
  rig.hub({ type: "joins", room: "#lobby", names: ["eve", "ann", "dan"], ts: 4 });
  const joins = rig.take().map((a) => a.kind === "event" ? a.message : a.kind);
  assert.deepEqual(joins, [
    { type: "join", name: "bob", room: "#lobby", ts: 3 },
    { type: "join", name: "cat", room: "#lobby", ts: 3 },
    { type: "join", name: "dan", room: "#lobby", ts: 4 },
  ]);
});
