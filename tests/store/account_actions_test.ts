import assert from "node:assert/strict";
import type { AccountResult } from "../../lib/chat/hub_accounts.ts";
import type { LogRecord } from "../../lib/chat/hub_types.ts";
import { carryOutAccount } from "../../lib/store/account_actions.ts";
import type { AccountStore } from "../../lib/store/account_store.ts";

/** A store whose answers are fixed, or that fails. */
function fakeStore(fail: boolean): AccountStore {
  const answer = <T>(value: T) =>
    fail ? Promise.reject(new Error("disk I/O error")) : Promise.resolve(value);
  return {
    list: () => answer([]),
    authenticate: (_key, password) => answer(password === "right one"),
    register: () => answer("exists" as const),
    changePassword: () => answer("bad_password" as const),
    remove: () => answer(true),
    close: () => {},
  };
}

async function run(store: AccountStore, action: Parameters<typeof carryOutAccount>[1]) {
  const logs: LogRecord[] = [];
  const { promise, resolve } = Promise.withResolvers<AccountResult>();
  carryOutAccount(store, action, { done: resolve, log: (record) => logs.push(record) });
  return { result: await promise, logs };
}

Deno.test("carryOutAccount answers each action with the store's outcome", async () => {
  const store = fakeStore(false);
  const check = { kind: "authenticate", conn: 3, account: "ann" } as const;
  assert.deepEqual((await run(store, { ...check, password: "right one" })).result, {
    conn: 3,
    outcome: "ok",
  });
  assert.equal((await run(store, { ...check, password: "wrong" })).result.outcome, "bad_password");
  const register = {
    kind: "register",
    conn: 3,
    account: "ann",
    name: "Ann",
    password: "p",
  } as const;
  assert.equal((await run(store, register)).result.outcome, "exists");
  const change = { kind: "change_password", conn: 3, account: "ann", old: "a", new: "b" } as const;
  assert.equal((await run(store, change)).result.outcome, "bad_password");
});

Deno.test("carryOutAccount answers a store failure with unavailable and logs it without the password", async () => {
  const action = {
    kind: "authenticate",
    conn: 4,
    account: "ann",
    password: "hunter2-secret",
  } as const;
  const { result, logs } = await run(fakeStore(true), action);
  assert.deepEqual(result, { conn: 4, outcome: "unavailable" });
  assert.equal(logs.length, 1);
  assert.match(logs[0]!.detail!, /disk I\/O error/);
  assert.ok(!JSON.stringify(logs).includes("hunter2-secret"));
});
