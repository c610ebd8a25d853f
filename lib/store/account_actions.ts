/**
 * Carries out the hub's account actions on an {@linkcode AccountStore}: each is answered by
 * exactly one `AccountResult` through `done` (for `Hub.accountDone`), a store failure included
 * (`unavailable`, logged without the password).
 * @module
 */

import type { AccountAction, AccountResult } from "../chat/hub_accounts.ts";
import type { LogRecord } from "../chat/hub_types.ts";
import type { AccountStore } from "./account_store.ts";
import { describeCause } from "./store_error.ts";

/** Where the answers and the complaints go. */
export interface AccountOutlet {
  /** Hands the answer to the hub (through `Hub.accountDone`). */
  done(result: AccountResult): void;
  log(record: LogRecord): void;
}

/**
 * Carries out one account action; the answer comes later, through `out.done`.
 *
 * @example
 * ```ts ignore
 * onAction: (action) => carryOutAccount(accounts, action, { done, log }),
 * ```
 */
export function carryOutAccount(
  store: AccountStore,
  action: AccountAction,
  out: AccountOutlet,
): void {
  const { conn } = action;
  outcomeOf(store, action).then(
    (outcome) => out.done({ conn, outcome }),
    (cause) => {
      const detail = `Cannot ${action.kind.replace("_", " ")} ${action.account}: ${
        describeCause(cause)
      }`;
      out.log({ level: "warn", event: "account_store_failed", conn, detail });
      out.done({ conn, outcome: "unavailable" });
    },
  );
}

async function outcomeOf(
  store: AccountStore,
  action: AccountAction,
): Promise<AccountResult["outcome"]> {
  switch (action.kind) {
    case "authenticate":
      return await store.authenticate(action.account, action.password) ? "ok" : "bad_password";
    case "register":
      return await store.register(action.account, action.name, action.password);
    case "change_password":
      return await store.changePassword(action.account, action.old, action.new);
  }
}
