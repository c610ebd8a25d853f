/**
 * `/register` and `/password` (and the one-shot `register`): the passwords are asked for with
 * nothing shown, or taken from `--password-file` / `CHAT_PASSWORD` where nothing can be asked;
 * once the hub took one, the client logs in with it after reconnecting. No password is ever
 * printed.
 * @module
 */

import { ChatError } from "../net/chat_error.ts";
import { requestPatiently } from "../net/request_patiently.ts";
import { EXIT, type ExitCode } from "./exit_codes.ts";
import type { RunContext } from "./input_runner.ts";
import { sanitize } from "../tui/style.ts";
import { formatJson } from "./format.ts";

/** Runs `/register` or `/password`; a refusal is thrown as the hub's `ChatError`. */
export async function runAccountInput(
  input: { kind: "register" | "password" },
  context: RunContext,
): Promise<ExitCode> {
  const name = context.client.name;
  if (name === null) throw new ChatError("NOT_LOGGED_IN", "Log in first");
  if (input.kind === "register") {
    const password = await newPassword(context);
    await requestPatiently(context.client, { type: "register", password });
    context.client.rememberPassword(name, password);
    context.printer.print(
      context.json
        ? formatJson({ type: "registered", name })
        : `Registered '${sanitize(name)}': from now on it needs its password.`,
    );
    return EXIT.OK;
  }
  const old = await ask(context, "Current password: ");
  const next = await newPassword(context);
  await requestPatiently(context.client, { type: "password", old, new: next });
  context.client.rememberPassword(name, next);
  context.printer.print(
    context.json ? formatJson({ type: "password_changed", name }) : "Password changed.",
  );
  return EXIT.OK;
}

/** A new password: asked twice on a terminal, else the configured one. */
async function newPassword(context: RunContext): Promise<string> {
  if (context.askSecret === undefined) return configured(context);
  const first = await ask(context, "New password: ");
  const again = await ask(context, "New password again: ");
  if (first !== again) throw new ChatError("USAGE", "The two passwords differ: nothing changed");
  return first;
}

async function ask(context: RunContext, prompt: string): Promise<string> {
  if (context.askSecret === undefined) return configured(context);
  const answer = await context.askSecret(prompt);
  if (answer === null) throw new ChatError("USAGE", "Cancelled: nothing changed");
  return answer;
}

function configured(context: RunContext): string {
  if (context.password !== undefined) return context.password;
  throw new ChatError(
    "USAGE",
    "A password is needed: give --password-file FILE or set CHAT_PASSWORD (or use a terminal)",
  );
}
