/**
 * Presence in the interactive client as users see it: a real hub, two interactive clients
 * (keys fed to fake terminals, screens read back) and a raw one.
 */
import assert from "node:assert/strict";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { LineClient } from "../net/_line_client.ts";
import { quit, startChat as startChatOf, withHub } from "./_chat_screen.ts";

const WIDTH = 100;
const startChat = (port: number, name: string) => startChatOf(port, name, { width: WIDTH });

Deno.test("interactive /nick renames the user: both screens say so and the prompt follows", async () => {
  await withHub(async (port) => {
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    const bob = startChat(port, "bob");
    await bob.shows(/^Connected to/);
    alice.input.push("/nick Alicia\r");
    await alice.shows(/^You are now known as Alicia$/);
    await bob.shows(/alice is now known as Alicia$/);
    assert.equal(alice.prompt(), "Alicia #lobby>");
    alice.input.push("hi\r");
    await bob.shows(/<Alicia> hi$/);
    alice.input.push("/nick bob\r");
    await alice.shows(/Name 'bob' is taken \(NAME_TAKEN\)$/);
    await quit(bob);
    await quit(alice);
  });
});

Deno.test("interactive /away and /whois: others see the away text, then the user back", async () => {
  await withHub(async (port) => {
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    const bob = startChat(port, "bob");
    await bob.shows(/^Connected to/);
    alice.input.push("/away lunch\r");
    await alice.shows(/^You are marked as away: lunch$/);
    await bob.shows(/alice is away: lunch$/);
    bob.input.push("/whois ALICE\r");
    await bob.shows(/^ {2}away {3}lunch$/);
    await bob.shows(/^ {2}rooms {2}#lobby$/);
    await bob.shows(/^ {2}idle {3}\d+s$/);
    bob.input.push("/msg alice are you there?\r");
    await bob.shows(/^alice is away: lunch$/);
    alice.input.push("/away\r");
    await alice.shows(/^You are back$/);
    await bob.shows(/alice is back$/);
    bob.input.push("/whois nobody\r");
    await bob.shows(/No user named 'nobody' \(NO_SUCH_USER\)$/);
    await quit(bob);
    await quit(alice);
  });
});

Deno.test("interactive /quit MESSAGE shows the message to the others", async () => {
  await withHub(async (port) => {
    const bob = await LineClient.member(port, "bob", []);
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    alice.input.push("/quit see you tomorrow\r");
    assert.equal(await alice.done, EXIT.OK);
    const leave = await bob.next((m) => m.type === "leave");
    assert.equal(leave.text, "see you tomorrow");
    await bob.close();
  });
});
