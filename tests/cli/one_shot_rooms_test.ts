import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ClientConfig, OneShot } from "../../lib/cli/client_config.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { HISTORY_PREFIX, runScripted, type StopSignal } from "../../lib/cli/one_shot.ts";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { carryOutHistory } from "../../lib/store/history_actions.ts";
import { openQuiet, tempDir } from "../store/_temp_store.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { LineClient } from "../net/_line_client.ts";

function config(port: number, rooms: string[]): ClientConfig {
  return {
    host: "127.0.0.1",
    port,
    name: "bot",
    downloads: "downloads",
    overwrite: false,
    json: false,
    mtu: undefined,
    rooms,
  };
}

function run(
  port: number,
  rooms: string[],
  command: OneShot | null,
  options: { lines?: string[]; stop?: Promise<StopSignal> } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const done = runScripted(config(port, rooms), command, {
    printer: { print: (...l) => out.push(...l), error: (l) => err.push(l) },
    interrupted: options.stop ?? new Promise(() => {}),
    ...(options.lines === undefined ? {} : { lines: toAsync(options.lines) }),
  });
  return { done, out, err };
}

async function* toAsync(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

Deno.test("one-shot say with --room joins the rooms first and says it in the first", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const dev = await LineClient.member(server.port, "dev", ["#dev"]);
  const ops = await LineClient.member(server.port, "ops", ["#ops"]);
  const { done, err } = run(server.port, ["#dev", "#ops"], {
    kind: "say",
    text: "deployed",
    room: "#dev",
  });
  assert.equal(await done, EXIT.OK, err.join("\n"));
  const said = await dev.nextOfType("message");
  assert.deepEqual([said.room, said.from, said.text], ["#dev", "bot", "deployed"]);
  await ops.next((m) => m.type === "join" && m.room === "#ops" && m.name === "bot");
  await new Promise((wake) => setTimeout(wake, 50));
  assert.equal(ops.received.filter((l) => l.type === "message").length, 0, "said in #dev only");
  await dev.close();
  await ops.close();
  await server.shutdown();
});

Deno.test("one-shot say without --room goes to #lobby", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const lobby = await LineClient.member(server.port, "ann", []);
  const { done } = run(server.port, [], { kind: "say", text: "hi all" });
  assert.equal(await done, EXIT.OK);
  assert.equal((await lobby.nextOfType("message")).room, "#lobby");
  await lobby.close();
  await server.shutdown();
});

Deno.test("one-shot rooms lists each room with its member count and topic", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const ann = await LineClient.member(server.port, "ann", ["#dev"]);
  await ann.send({ type: "topic", id: "t", room: "#dev", topic: "Ship it" });
  await ann.next((m) => m.re === "t");
  const { done, out } = run(server.port, [], { kind: "rooms" });
  assert.equal(await done, EXIT.OK);
  assert.deepEqual(out, ["#lobby  2 members", "#dev    1 member  Ship it"]);
  await ann.close();
  await server.shutdown();
});

Deno.test("one-shot listen prints every room the client is in, the room on each line", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const ann = await LineClient.member(server.port, "ann", ["#dev"]);
  const stop = Promise.withResolvers<StopSignal>();
  const listening = run(server.port, ["#dev"], { kind: "listen" }, { stop: stop.promise });
  await ann.next((m) => m.type === "join" && m.room === "#dev" && m.name === "bot");
  await ann.send({ type: "say", room: "#dev", text: "in dev" });
  await ann.send({ type: "say", text: "in lobby" });
  await ann.send({ type: "topic", room: "#dev", topic: "Friday" });
  const deadline = Date.now() + 5000;
  while (listening.out.length < 3 && Date.now() < deadline) {
    await new Promise((wake) => setTimeout(wake, 10));
  }
  stop.resolve("SIGINT");
  await listening.done;
  const shown = listening.out.map((line) => line.replace(/^\[\d\d:\d\d:\d\d\] /, ""));
  assert.deepEqual(shown, [
    "#dev <ann> in dev",
    "#lobby <ann> in lobby",
    "#dev ann set the topic: Friday",
  ]);
  await ann.close();
  await server.shutdown();
});

Deno.test("one-shot listen in text prints the replayed history, each line marked", async () => {
  const dir = tempDir();
  const store = openQuiet(dir);
  const hub = new Hub({ history: { nextId: 1, replay: 50 }, rate: null, wallClock: Date.now });
  const server: HubServer = new HubServer(hub, {
    port: 0,
    onAction: (action) => {
      if (action.kind !== "store" && action.kind !== "history") return;
      const reply = (conn: number, message: ServerMessage) =>
        server.run((hub, now) => hub.reply(conn, message, now));
      carryOutHistory(store, action, { reply, log: () => {} });
    },
  });
  const ann = await LineClient.member(server.port, "ann", ["#dev"]);
  await ann.send({ type: "say", id: "s", room: "#dev", text: "said before" });
  await ann.next((m) => m.re === "s");
  const stop = Promise.withResolvers<StopSignal>();
  const listening = run(server.port, ["#dev"], { kind: "listen" }, { stop: stop.promise });
  const deadline = Date.now() + 5000;
  while (listening.out.length < 1 && Date.now() < deadline) {
    await new Promise((wake) => setTimeout(wake, 10));
  }
  stop.resolve("SIGINT");
  await listening.done;
  const shown = listening.out.map((line) => line.replace(/\[\d\d:\d\d:\d\d\] /, ""));
  assert.deepEqual(shown, [`${HISTORY_PREFIX}#dev <ann> said before`]);
  await ann.close();
  await server.shutdown();
  store.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("piped /join, /switch and /part move where plain lines go", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const ann = await LineClient.member(server.port, "ann", ["#dev"]);
  const lines = [
    "/join #dev",
    "to dev",
    "/switch #lobby",
    "to lobby",
    "/switch #dev",
    "/part",
    "x",
  ];
  const { done, out } = run(server.port, [], null, { lines });
  assert.equal(await done, EXIT.OK);
  const said = [];
  for (let i = 0; i < 3; i++) said.push(await ann.nextOfType("message"));
  assert.deepEqual(said.map((m) => [m.room, m.text]), [
    ["#dev", "to dev"],
    ["#lobby", "to lobby"],
    ["#lobby", "x"],
  ], "after /part of the current room, plain lines go to the first room left");
  assert.ok(out.includes("Joined #dev (2 members)"), out.join("\n"));
  await ann.close();
  await server.shutdown();
});

Deno.test("one-shot whois prints since, idle time, rooms and away; nobody is exit code 5", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const ann = await LineClient.member(server.port, "ann", ["#dev"]);
  await ann.send({ type: "away", id: "a", text: "lunch" });
  await ann.next((m) => m.re === "a");
  const { done, out } = run(server.port, [], { kind: "whois", name: "ann" });
  assert.equal(await done, EXIT.OK);
  assert.equal(out[0], "ann");
  assert.match(out.join("\n"), /^ {2}rooms {2}#lobby #dev\n {2}away {3}lunch$/m);
  const missing = run(server.port, [], { kind: "whois", name: "nobody" });
  assert.equal(await missing.done, EXIT.NO_SUCH_USER);
  assert.match(missing.err.join("\n"), /NO_SUCH_USER/);
  await ann.close();
  await server.shutdown();
});

Deno.test("piped /quit MESSAGE leaves with the message shown to the others", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const ann = await LineClient.member(server.port, "ann", []);
  const { done } = run(server.port, [], null, { lines: ["/quit done for today", "never sent"] });
  assert.equal(await done, EXIT.OK);
  const leave = await ann.next((m) => m.type === "leave" && m.name === "bot");
  assert.equal(leave.text, "done for today");
  await ann.close();
  await server.shutdown();
});

Deno.test("piped /join shows the room's topic under the join line, and none for a room without", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const ann = await LineClient.member(server.port, "ann", ["#dev", "#ops"]);
  await ann.send({ type: "topic", id: "t", room: "#dev", topic: "Ship it" });
  await ann.next((m) => m.re === "t");
  const { done, out } = run(server.port, [], null, { lines: ["/join #dev", "/join #ops"] });
  assert.equal(await done, EXIT.OK);
  const plain = out.map((line) => line.replace(/ \(set by .*\)$/, ""));
  const dev = plain.indexOf("Joined #dev (2 members)");
  assert.ok(dev >= 0, out.join("\n"));
  assert.equal(plain[dev + 1], "Topic of #dev: Ship it", out.join("\n"));
  assert.ok(out.some((line) => line.startsWith("Topic of #dev: Ship it (set by ann at ")));
  assert.equal(plain[plain.indexOf("Joined #ops (2 members)") + 1], undefined, out.join("\n"));
  await ann.close();
  await server.shutdown();
});
