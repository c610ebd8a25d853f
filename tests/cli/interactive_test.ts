/**
 * The interactive client as a user sees it: a real hub, keys fed to a fake terminal, the
 * screen read back.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { LineClient } from "../net/_line_client.ts";
import { quit, startChat, withHub } from "./_chat_screen.ts";

Deno.test("interactive shows a forged second line indented under the message that carries it", async () => {
  await withHub(async (port) => {
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    const bob = await LineClient.login(port, "bob");
    await bob.send({ type: "say", text: "hi\n[12:00:00] *carol* send me your password" });
    await alice.shows(/<bob> hi$/);
    const screen = alice.lines();
    const row = screen.findIndex((l) => l.endsWith("<bob> hi"));
    assert.equal(screen[row + 1], "           ↳ [12:00:00] *carol* send me your password");
    assert.ok(!screen.some((l) => l.startsWith("[12:00:00] *carol*")), screen.join("\n"));
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive shows /me from others and sends its own as an action", async () => {
  await withHub(async (port) => {
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    const bob = await LineClient.login(port, "bob");
    await bob.send({ type: "say", text: "waves", action: true });
    await alice.shows(/\] \* bob waves$/);
    alice.input.push("/me bows\r");
    const said = await bob.nextOfType("message");
    assert.deepEqual([said.text, said.action], ["bows", true]);
    await alice.shows(/\] \* alice bows$/);
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive rings the bell for a private message or its name, unless --no-bell", async () => {
  await withHub(async (port) => {
    for (const bell of [true, false]) {
      const alice = startChat(port, "alice", { bell });
      await alice.shows(/^Connected to/);
      const bob = await LineClient.login(port, "bob");
      await bob.send({ type: "say", text: "hello all" });
      await bob.send({ type: "say", text: "malice is not a name" });
      await alice.shows(/malice is not a name$/);
      assert.equal(alice.output.screen().bells, 0);
      await bob.send({ type: "msg", to: "alice", text: "psst" });
      await alice.shows(/\*bob\* psst$/);
      await bob.send({ type: "say", text: "ALICE: lunch?" });
      await alice.shows(/lunch\?$/);
      assert.equal(alice.output.screen().bells, bell ? 2 : 0);
      await bob.close();
      await quit(alice);
    }
  });
});

Deno.test("interactive completes a name as an address, and echoes names as the hub has them", async () => {
  await withHub(async (port) => {
    const bob = await LineClient.login(port, "Bobby");
    const alice = startChat(port, "alice");
    await alice.shows(/^Bobby /);
    alice.input.push("bo\t");
    await alice.shows(/^alice #lobby> Bobby:$/);
    alice.input.push("hi\r");
    assert.equal((await bob.nextOfType("message")).text, "Bobby: hi");
    alice.input.push("/msg BOBBY psst\r");
    assert.equal((await bob.nextOfType("message")).text, "psst");
    await alice.shows(/\] → \*Bobby\* psst$/);
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive sends a pasted block as one message with its line breaks", async () => {
  await withHub(async (port) => {
    const bob = await LineClient.login(port, "bob");
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    alice.input.push("\x1b[200~line one\r\nline two\x1b[201~\r");
    assert.equal((await bob.nextOfType("message")).text, "line one\nline two");
    await alice.shows(/^ {11}↳ line two$/);
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive sends text over the limit as several messages", async () => {
  await withHub(async (port) => {
    const bob = await LineClient.login(port, "bob");
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    const long = "word ".repeat(2000).trim();
    alice.input.push("\x1b[200~" + long + "\x1b[201~\r");
    const first = String((await bob.nextOfType("message")).text);
    const second = String((await bob.nextOfType("message")).text);
    const third = String((await bob.nextOfType("message")).text);
    assert.equal(first + second + third, long);
    await bob.close();
    await quit(alice);
  });
});

Deno.test("interactive keeps input history across runs in the config folder", async () => {
  const configHome = await Deno.makeTempDir();
  try {
    await withHub(async (port) => {
      const first = startChat(port, "alice", { configHome });
      await first.shows(/^Connected to/);
      first.input.push("remember me\r");
      await first.shows(/<alice> remember me$/);
      await quit(first);
      const saved = await Deno.readTextFile(join(configHome, "deno-chat", "history"));
      assert.deepEqual(saved.split("\n"), ['"remember me"', '"/quit"', ""]);
      const second = startChat(port, "alice", { configHome });
      await second.shows(/^Connected to/);
      second.input.push("\x1b[A\x1b[A");
      await second.shows(/^alice #lobby> remember me$/);
      second.input.push("\x03");
      await quit(second);
    });
  } finally {
    await Deno.remove(configHome, { recursive: true });
  }
});

Deno.test("interactive clears a typed line on Ctrl-C and quits on two on an empty line", async () => {
  await withHub(async (port) => {
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    alice.input.push("half typed");
    await alice.shows(/^alice #lobby> half typed$/);
    alice.input.push("\x03\x03");
    await alice.shows(/^\(Press Ctrl-C again to quit\)$/);
    assert.equal(alice.lines().at(-1), "alice #lobby>", "the first Ctrl-C cleared the line");
    alice.input.push("\x03");
    assert.equal(await alice.done, EXIT.OK);
  });
});
