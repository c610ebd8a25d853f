/**
 * `chat-server accounts list|remove NAME`: the operator's look at the accounts in a data
 * directory, offline (a running hub holds the directory; the command then says so and stops).
 * @module
 */

import { parseArgs } from "node:util";
import { checkName, nameKey } from "../chat/names.ts";
import { SqliteAccountStore } from "../store/account_store.ts";
import { describeCause, StoreError } from "../store/store_error.ts";
import { type EnvLookup, pick, UsageError, usageErrorFrom } from "./settings.ts";

/** What `chat-server accounts ...` asks for. */
export type AccountsCommand =
  | { action: "list"; data: string }
  | { action: "remove"; data: string; name: string };

/** Parses the words after `accounts`; throws `UsageError`. */
export function parseAccountsArgs(args: string[], env: EnvLookup): AccountsCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { data: { type: "string" } },
    });
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const data = pick(parsed.values.data, env, "CHAT_DATA") ?? "./data";
  const [action, name, ...extra] = parsed.positionals;
  if (action === "list" && name === undefined) return { action, data };
  if (action === "remove" && name !== undefined && extra.length === 0) {
    return { action, data, name };
  }
  throw new UsageError("Usage: chat-server accounts list|remove NAME [--data DIR]");
}

/** Where the command's lines go. */
export interface CommandOutput {
  out(line: string): void;
  error(line: string): void;
}

/**
 * Runs an accounts command; returns the exit code: 0 done, 1 failed (no such account, the
 * directory in use by a hub or unusable; the reason is printed).
 */
export async function runAccountsCommand(
  command: AccountsCommand,
  output: CommandOutput,
): Promise<number> {
  if (!exists(command.data)) {
    output.error(`chat-server: No data directory '${command.data}': no accounts`);
    return 1;
  }
  let store: SqliteAccountStore;
  try {
    store = SqliteAccountStore.open(command.data);
  } catch (error) {
    output.error(`chat-server: ${openFailure(error, command.data)}`);
    return 1;
  }
  try {
    return command.action === "list"
      ? await list(store, output)
      : await remove(store, command.name, output);
  } finally {
    store.close();
  }
}

async function list(store: SqliteAccountStore, output: CommandOutput): Promise<number> {
  const accounts = await store.list();
  for (const { name, created, changed } of accounts) {
    output.out(`${name}\tregistered ${isoDate(created)}\tpassword changed ${isoDate(changed)}`);
  }
  if (accounts.length === 0) output.error("chat-server: No accounts");
  return 0;
}

async function remove(
  store: SqliteAccountStore,
  name: string,
  output: CommandOutput,
): Promise<number> {
  if (checkName(name) !== null || !(await store.remove(nameKey(name)))) {
    output.error(`chat-server: No account '${name}'`);
    return 1;
  }
  output.out(`Removed account '${name}'`);
  return 0;
}

function openFailure(error: unknown, data: string): string {
  if (error instanceof StoreError && error.code === "DATABASE_IN_USE") {
    return `Cannot open accounts in '${data}': a running hub holds it; stop the hub first ` +
      `(DATABASE_IN_USE)`;
  }
  const code = error instanceof StoreError ? ` (${error.code})` : "";
  return `Cannot open accounts in '${data}': ${describeCause(error)}${code}`;
}

function exists(dir: string): boolean {
  try {
    return Deno.statSync(dir).isDirectory;
  } catch {
    return false;
  }
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}
