import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import { nameKey } from "../../lib/chat/names.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { carryOutAccount } from "../../lib/store/account_actions.ts";
import type { AccountStore } from "../../lib/store/account_store.ts";
import { quit, startChat } from "./_chat_screen.ts";

/** Accounts in memory (a test's stand-in for the SQLite store). */
function memoryStore(accounts: Map<string, string>): AccountStore {
  return {
    list: () =>
      Promise.resolve([...accounts.keys()].map((name) => ({ name, created: 0, changed: 0 }))),
    authenticate: (key, password) => Promise.resolve(accounts.get(key) === password),
    register: (key, _name, password) => {
      if (accounts.has(key)) return Promise.resolve("exists" as const);
      accounts.set(key, password);
      return Promise.resolve("ok" as const);
    },
    changePassword: (key, old, next) => {
      if (accounts.get(key) !== old) return Promise.resolve("bad_password" as const);
      accounts.set(key, next);
      return Promise.resolve("ok" as const);
    },
    remove: (key) => Promise.resolve(accounts.delete(key)),
    close: () => {},
  };
}

async function withAccountsHub(
  accounts: Map<string, string>,
  test: (port: number) => Promise<void>,
): Promise<void> {
  const store = memoryStore(accounts);
  const hub = new Hub({ rate: null, accounts: { registered: [...accounts.keys()] } });
  const server: HubServer = new HubServer(hub, {
    port: 0,
    onAction: (action) => {
      if (
        action.kind === "authenticate" || action.kind === "register" ||
        action.kind === "change_password"
      ) {
        carryOutAccount(store, action, {
          done: (result) => server.run((h, now) => h.accountDone(result, now)),
          log: () => {},
        });
      }
    },
  });
  try {
    await test(server.port);
  } finally {
    await server.shutdown();
  }
}

Deno.test("interactive client asks a registered name's password with nothing shown, again when wrong", async () => {
  await withAccountsHub(new Map([["ann", "correct horse"]]), async (port) => {
    const chat = startChat(port, "ann");
    await chat.shows(/^Password for ann:\s*$/);
    chat.input.push("wrong guess\r");
    await chat.shows(/Wrong password/);
    await chat.shows(/^Password for ann:\s*$/);
    chat.input.push("correct horse\r");
    await chat.shows(/Connected to .* as ann/);
    const screen = chat.lines().join("\n");
    assert.ok(!screen.includes("correct horse") && !screen.includes("wrong guess"), screen);
    await quit(chat);
  });
});

Deno.test("interactive /register asks twice with nothing shown, then the name is registered", async () => {
  const accounts = new Map<string, string>();
  await withAccountsHub(accounts, async (port) => {
    const chat = startChat(port, "bob");
    await chat.shows(/Connected to .* as bob/);
    chat.input.push("/register\r");
    await chat.shows(/^New password:\s*$/);
    chat.input.push("long enough pw\r");
    await chat.shows(/^New password again:\s*$/);
    chat.input.push("long enough pw\r");
    await chat.shows(/Registered 'bob'/);
    assert.equal(accounts.get(nameKey("bob")), "long enough pw");
    assert.ok(!chat.lines().join("\n").includes("long enough pw"));
    chat.input.push("/register now-typed\r");
    await chat.shows(/Type \/register alone/);
    await quit(chat);
  });
});
