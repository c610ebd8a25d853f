/**
 * The presence commands of the client (`nick`, `away`, `whois`), shared by the interactive
 * and the piped client.
 * @module
 */

import { requestPatiently } from "../net/request_patiently.ts";
import { sanitize } from "../tui/style.ts";
import { EXIT, type ExitCode } from "./exit_codes.ts";
import { formatJson, formatWhois } from "./format.ts";
import type { RunContext } from "./input_runner.ts";
import type { Input } from "./slash_command.ts";

/** A presence command. */
export type PresenceInput = Input & { kind: "nick" | "away" | "whois" };

/** Runs a presence command; a refusal throws `ChatError`, as in `runInput`. */
export async function runPresenceInput(
  input: PresenceInput,
  context: RunContext,
): Promise<ExitCode> {
  const { client, printer } = context;
  switch (input.kind) {
    case "nick": {
      const reply = await requestPatiently(client, { type: "nick", name: input.name });
      context.onRenamed?.();
      const name = reply.type === "ok" ? reply.name ?? input.name : input.name;
      printer.print(context.json ? formatJson(reply) : `You are now known as ${sanitize(name)}`);
      return EXIT.OK;
    }
    case "away": {
      const text = input.text === undefined ? {} : { text: input.text };
      const reply = await requestPatiently(client, { type: "away", ...text });
      const said = input.text === undefined
        ? "You are back"
        : `You are marked as away: ${sanitize(input.text)}`;
      printer.print(context.json ? formatJson(reply) : said);
      return EXIT.OK;
    }
    case "whois": {
      const reply = await requestPatiently(client, { type: "whois", name: input.name });
      if (reply.type !== "whois") return EXIT.OK;
      printer.print(
        ...(context.json ? [formatJson(reply)] : formatWhois(reply, { color: context.color })),
      );
      return EXIT.OK;
    }
  }
}
