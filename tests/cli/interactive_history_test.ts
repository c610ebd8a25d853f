/**
 * History in the interactive client as a user sees it: a real hub keeping history in a real
 * store, keys fed to a fake terminal, the screen read back.
 */
import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { carryOutHistory } from "../../lib/store/history_actions.ts";
import { HistoryStore } from "../../lib/store/mod.ts";
import { LineClient } from "../net/_line_client.ts";
import { startChat as startChatOf } from "./_chat_screen.ts";

const WIDTH = 100;

/** A hub server keeping its history in `store`, on `port` (0: any). */
function historyHub(store: HistoryStore, port = 0): HubServer {
  const history = { nextId: store.lastId + 1, replay: 50 };
  const hub = new Hub({ rate: null, history, wallClock: () => Date.now() });
  const server: HubServer = new HubServer(hub, {
    port,
    onAction: (action) => {
      if (action.kind !== "store" && action.kind !== "history") return;
      carryOutHistory(store, action, {
        reply: (conn, message) => server.run((h, now) => h.reply(conn, message, now)),
        log: () => {},
      });
    },
  });
  return server;
}

function startChat(port: number, name: string) {
  return startChatOf(port, name, { width: WIDTH });
}

async function say(port: number, name: string, text: string): Promise<void> {
  const client = await LineClient.login(port, name);
  await client.send({ type: "say", id: "s", text });
  await client.next((m) => m.re === "s");
  await client.close();
}

Deno.test("interactive shows #lobby's replay at login, then after a reconnection only what it missed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-interactive-history-" });
  const store = HistoryStore.open(dir);
  let server = historyHub(store);
  const port = server.port;
  try {
    await say(port, "bob", "said before you came");
    const ann = startChat(port, "ann");
    await ann.shows(/<bob> said before you came$/);
    await server.shutdown();
    await ann.shows(/[Rr]econnecting/);
    server = historyHub(store, port);
    await say(port, "cy", "said while you were away");
    await ann.shows(/<cy> said while you were away$/);
    await ann.shows(/ann #lobby>/);
    const count = (text: string) => ann.lines().filter((l) => l.endsWith(text)).length;
    assert.equal(count("said before you came"), 1, "not replayed again");
    assert.equal(count("said while you were away"), 1);
    ann.input.push("/quit\r");
    assert.equal(await ann.done, EXIT.OK);
  } finally {
    await server.shutdown();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
