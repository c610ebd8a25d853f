/**
 * Rooms in the interactive client as a user sees them: a real hub, keys fed to a fake
 * terminal, the screen read back.
 */
import assert from "node:assert/strict";
import { LineClient } from "../net/_line_client.ts";
import { quit, startChat as startChatOf, withHub } from "./_chat_screen.ts";

const WIDTH = 100;
const startChat = (port: number, name: string) => startChatOf(port, name, { width: WIDTH });
const ALT_1 = "\x1b1";
const CTRL_N = "\x0e";
const CTRL_P = "\x10";

Deno.test("interactive /join makes the room current: in the prompt, and where text goes", async () => {
  await withHub(async (port) => {
    const bob = await LineClient.member(port, "bob", ["#dev"]);
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    assert.equal(alice.prompt(), "alice #lobby>");
    alice.input.push("/join dev\r");
    await alice.shows(/^Joined #dev \(2 members\)$/);
    await alice.shows(/^alice #dev>$/);
    await alice.shows(/^#lobby \[#dev\]$/);
    alice.input.push("build is green\r");
    const said = await bob.next((m) => m.type === "message");
    assert.deepEqual([said.room, said.text], ["#dev", "build is green"]);
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive keeps other rooms' lines unread in the status line until switched to", async () => {
  await withHub(async (port) => {
    const bob = await LineClient.member(port, "bob", ["#dev"]);
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    alice.input.push("/join #dev\r");
    await alice.shows(/^alice #dev>$/);
    await bob.send({ type: "say", text: "over in the lobby" });
    await bob.send({ type: "say", text: "alice: are you there?" });
    await alice.shows(/^#lobby\(2!\) \[#dev\]$/);
    assert.ok(!alice.lines().some((l) => l.includes("over in the lobby")), "not shown yet");
    assert.equal(alice.output.screen().bells, 1, "naming alice rings even elsewhere");
    alice.input.push(ALT_1);
    await alice.shows(/^--- #lobby ---$/);
    await alice.shows(/<bob> over in the lobby$/);
    await alice.shows(/^\[#lobby\] #dev$/);
    assert.equal(alice.prompt(), "alice #lobby>");
    await bob.send({ type: "say", room: "#dev", text: "in dev" });
    await alice.shows(/^\[#lobby\] #dev\(1\)$/);
    alice.input.push(CTRL_N);
    await alice.shows(/<bob> in dev$/);
    assert.equal(alice.prompt(), "alice #dev>");
    alice.input.push(CTRL_P);
    await alice.shows(/^\[#lobby\] #dev$/);
    assert.equal(alice.prompt(), "alice #lobby>");
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive /topic, /names, /rooms, /switch and /part act on the current room", async () => {
  await withHub(async (port) => {
    const bob = await LineClient.member(port, "bob", ["#dev"]);
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    alice.input.push("/join #dev\r");
    await alice.shows(/^alice #dev>$/);
    alice.input.push("/topic Release Friday\r");
    await alice.shows(/^Topic of #dev: Release Friday \(set by alice at/);
    assert.equal((await bob.nextOfType("topic")).topic, "Release Friday");
    alice.input.push("/names\r");
    await alice.shows(/^#dev \(2\): bob, alice$/);
    alice.input.push("/rooms\r");
    await alice.shows(/^#dev {4}2 members {2}Release Friday$/);
    alice.input.push("/switch #nowhere\r");
    await alice.shows(/Not in #nowhere: \/join it first/);
    alice.input.push("/switch #lobby\r");
    await alice.shows(/^Now talking in #lobby$/);
    alice.input.push("/switch #dev\r");
    alice.input.push("/part\r");
    await alice.shows(/^Left #dev$/);
    assert.equal(alice.prompt(), "alice #lobby>");
    assert.equal((await bob.next((m) => m.type === "leave")).reason, "part");
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive shows a topic set by someone else in the current room", async () => {
  await withHub(async (port) => {
    const bob = await LineClient.member(port, "bob", []);
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    await bob.send({ type: "topic", room: "#lobby", topic: "Welcome all" });
    await alice.shows(/bob set the topic: Welcome all$/);
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive still completes the name of a user who left a room, not the server", async () => {
  await withHub(async (port) => {
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    const bob = await LineClient.member(port, "bobby", ["#dev"]);
    await alice.shows(/--> bobby joined$/);
    await bob.send({ type: "part", room: "#lobby" });
    await alice.shows(/<-- bobby left \(part\)$/);
    alice.input.push("bo\t");
    await alice.shows(/^alice #lobby> bobby:$/);
    await bob.close();
    alice.input.push("\x15");
    await quit(alice);
  });
});
