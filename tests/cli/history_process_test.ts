/**
 * History across a restart, with real processes: a message said, the server stopped by
 * SIGTERM and started again on the same data directory, and the message replayed on join.
 * Also the refusals at start: a data directory that cannot be used is an error with its code.
 */
import assert from "node:assert/strict";
import { client, DENO, RUN, startServer, text } from "./_processes.ts";
import { LineClient } from "../net/_line_client.ts";
import { DatabaseSync } from "node:sqlite";
import { DATABASE_FILE } from "../../lib/store/mod.ts";

Deno.test("server keeps what was said across SIGTERM and a restart, and replays it on join", async () => {
  const data = await Deno.makeTempDir({ prefix: "chat-history-e2e-" });
  const first = await startServer([DENO, ...RUN, "server.ts"], undefined, data);
  const said = await client([DENO, ...RUN, "client.ts"], [
    ...["--port", String(first.port), "--name", "ann", "--json"],
    ...["say", "remember this"],
  ]);
  assert.equal(said.code, 0, text(said.stderr));
  // SIGTERM right after: the message is younger than a batch's age, so only the flush at
  // shutdown can have written it.
  first.child.kill("SIGTERM");
  assert.equal((await first.child.status).code, 0);

  const second = await startServer([DENO, ...RUN, "server.ts"], undefined, data);
  const bob = await LineClient.connect(second.port);
  try {
    await bob.nextOfType("hello");
    await bob.send({ type: "login", id: 1, name: "bob", protocol: 3 });
    assert.equal((await bob.next((line) => line.re === 1)).type, "welcome");
    const replay = await bob.nextOfType("history");
    assert.equal(replay.room, "#lobby");
    const messages = replay.messages as Array<Record<string, unknown>>;
    assert.deepEqual(messages.map((m) => [m.from, m.text]), [["ann", "remember this"]]);
    assert.equal(messages[0]!.id, 1);
  } finally {
    await bob.close();
    second.child.kill("SIGTERM");
    await second.child.status;
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("server refuses to start on a corrupt history database: exit 3 with the code", async () => {
  const data = await Deno.makeTempDir({ prefix: "chat-history-corrupt-" });
  await Deno.writeTextFile(
    `${data}/history.sqlite`,
    "not a database at all, just text\n".repeat(200),
  );
  const run = await client([DENO, ...RUN, "server.ts"], ["--port", "0", "--data", data]);
  await Deno.remove(data, { recursive: true });
  assert.equal(run.code, 3);
  assert.match(text(run.stderr), /Cannot use history in '.*': .*\(DATABASE_CORRUPT\)/);
});

Deno.test("server refuses to start on a data directory it cannot create: exit 3 with the code", async () => {
  const parent = await Deno.makeTempDir({ prefix: "chat-history-blocked-" });
  await Deno.writeTextFile(`${parent}/file`, "a file where the directory should go");
  const run = await client([DENO, ...RUN, "server.ts"], [
    ...["--port", "0", "--data", `${parent}/file/data`],
  ]);
  await Deno.remove(parent, { recursive: true });
  assert.equal(run.code, 3);
  assert.match(text(run.stderr), /\(DATA_DIR_UNWRITABLE\)/);
});

Deno.test("server with --history off keeps no messages and refuses history, but keeps accounts", async () => {
  const data = await Deno.makeTempDir({ prefix: "chat-history-off-" });
  const off = [DENO, ...RUN, "server.ts", "--history", "off"];
  const first = await startServer(off, undefined, data);
  const ann = await LineClient.login(first.port, "ann");
  try {
    await ann.send({ type: "say", id: 2, text: "not kept" });
    await ann.send({ type: "history", id: 3, room: "#lobby", limit: 10 });
    const refused = await ann.next((line) => line.re === 3);
    assert.deepEqual([refused.type, refused.code], ["error", "HISTORY_UNAVAILABLE"]);
    await ann.send({ type: "register", id: 4, password: "correct horse" });
    assert.equal((await ann.next((line) => line.re === 4)).type, "ok");
  } finally {
    await ann.close();
    first.child.kill("SIGTERM");
    assert.equal((await first.child.status).code, 0);
  }
  // The name stays its owner's after a restart without history, as with it.
  const second = await startServer(off, undefined, data);
  const guest = await LineClient.connect(second.port);
  try {
    await guest.nextOfType("hello");
    await guest.send({ type: "login", id: 1, name: "ann", protocol: 4 });
    assert.equal((await guest.next((line) => line.re === 1)).code, "NAME_REGISTERED");
  } finally {
    await guest.close();
    second.child.kill("SIGTERM");
    assert.equal((await second.child.status).code, 0);
  }
  const db = new DatabaseSync(`${data}/${DATABASE_FILE}`);
  const kept = db.prepare("SELECT count(*) AS n FROM messages").get()?.n;
  db.close();
  await Deno.remove(data, { recursive: true });
  assert.equal(kept, 0, "no message was stored");
});

Deno.test("server keeps a room with history across a restart: listed empty with its topic", async () => {
  const data = await Deno.makeTempDir({ prefix: "chat-history-rooms-" });
  const first = await startServer([DENO, ...RUN, "server.ts"], undefined, data);
  const ann = await LineClient.connect(first.port);
  await ann.nextOfType("hello");
  await ann.send({ type: "login", id: 1, name: "ann", protocol: 3 });
  await ann.next((line) => line.re === 1);
  await ann.send({ type: "join", id: 2, room: "#Dev" });
  await ann.send({ type: "topic", id: 3, room: "#Dev", topic: "builds" });
  await ann.send({ type: "say", id: 4, room: "#Dev", text: "kept" });
  await ann.next((line) => line.re === 4);
  await ann.close();
  first.child.kill("SIGTERM");
  assert.equal((await first.child.status).code, 0);

  const second = await startServer([DENO, ...RUN, "server.ts"], undefined, data);
  const bob = await LineClient.connect(second.port);
  try {
    await bob.nextOfType("hello");
    await bob.send({ type: "login", id: 1, name: "bob", protocol: 3 });
    await bob.next((line) => line.re === 1);
    await bob.send({ type: "rooms", id: 2 });
    const listed = await bob.next((line) => line.re === 2);
    const rooms = listed.rooms as Array<Record<string, unknown>>;
    assert.deepEqual(rooms.find((room) => room.name === "#Dev"), {
      name: "#Dev",
      members: 0,
      topic: "builds",
    });
  } finally {
    await bob.close();
    second.child.kill("SIGTERM");
    await second.child.status;
    await Deno.remove(data, { recursive: true });
  }
});
