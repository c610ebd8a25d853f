/**
 * Opening a logged-in client connection for the command-line modes, with status reporting.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { ChatClient, type ClientTlsOptions, type ConnectionStatus } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import { isLoopback } from "../chat/password_rules.ts";
import type { ClientConfig } from "./client_config.ts";

/** Describes a connection status change for the user, or `null` for none. */
export function describeStatus(status: ConnectionStatus): string | null {
  switch (status.kind) {
    case "disconnected":
      return status.reason;
    case "reconnecting": {
      const wait = `Reconnecting in ${(status.delayMs / 1000).toFixed(1)} s`;
      // The first attempt follows the line saying why the connection was lost.
      if (status.attempt === 1) return `${wait} (attempt 1)`;
      return `${wait} (attempt ${status.attempt}; ${status.reason})`;
    }
    case "reconnected":
      return `Reconnected as ${status.name}`;
    case "name_refused":
      return `While you were away, the hub refused the name '${status.name}': ` +
        `${status.error.message} (${status.error.code})`;
    case "room_lost":
      return `Cannot join ${status.room} again after reconnecting: ` +
        `${status.error.message} (${status.error.code})`;
    case "connected":
      return null;
  }
}

/** What a command-line mode wants to hear from its connection. */
export interface ConnectHandlers {
  onEvent(message: ServerMessage): void;
  /** A status change, with its description (see {@linkcode describeStatus}). */
  onStatus(line: string, status: ConnectionStatus): void;
  /** A line from the hub skipped, or a failing handler (see `ChatClientOptions.onNotice`). */
  onNotice?: (notice: ChatError) => void;
  /**
   * After reconnecting under a name taken meanwhile: `ask` waits for a new login, `end` ends
   * the client with `NAME_TAKEN` (default).
   */
  onNameRefused?: "ask" | "end";
}

/**
 * Connects and logs in as `name`, with the passwords of `config` (the account's unless `guest`);
 * throws `ChatError` (`CONNECT_FAILED`, `NAME_TAKEN`, `BAD_PASSWORD`...).
 */
export async function connectAs(
  config: ClientConfig,
  name: string,
  handlers: ConnectHandlers,
  options: { guest?: boolean } = {},
): Promise<ChatClient> {
  const refused = plaintextRefusal(config, options.guest === true);
  if (refused !== null) throw refused;
  const tls = config.tls == null ? {} : { tls: await tlsOptions(config.tls.ca) };
  const client = await ChatClient.open({
    host: config.host,
    port: config.port,
    ...tls,
    onNameRefused: handlers.onNameRefused ?? "end",
    onEvent: handlers.onEvent,
    ...(handlers.onNotice === undefined ? {} : { onNotice: handlers.onNotice }),
    onStatus: (status) => {
      const line = describeStatus(status);
      if (line !== null) handlers.onStatus(line, status);
    },
  });
  try {
    await client.login(name, {
      ...(config.password === undefined || options.guest ? {} : { password: config.password }),
      ...(config.serverPassword === undefined ? {} : { serverPassword: config.serverPassword }),
    });
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

/** The TLS settings for `--tls` or `--ca FILE`; throws `ChatError` `CA_UNUSABLE`. */
export async function tlsOptions(ca: string | null): Promise<ClientTlsOptions> {
  if (ca === null) return {};
  let pem: string;
  try {
    pem = await Deno.readTextFile(ca);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ChatError("CA_UNUSABLE", `Cannot read the CA file '${ca}': ${why}`);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new ChatError("CA_UNUSABLE", `The CA file '${ca}' holds no PEM certificate`);
  }
  return { caCerts: [pem] };
}

/**
 * Why the passwords of `config` must not be sent (`INSECURE_LOGIN`), or `null`: over plaintext
 * they may go only to this host (`localhost`, 127.0.0.0/8, `::1`), unless the user allows it, so
 * that a password never crosses a network in the clear, whatever the hub would say of it.
 */
export function plaintextRefusal(config: ClientConfig, guest: boolean): ChatError | null {
  const sends = config.serverPassword !== undefined || (!guest && config.password !== undefined);
  if (!sends || config.tls != null || config.allowInsecureLogin === true) return null;
  const host = config.host.replace(/^\[(.*)\]$/, "$1");
  if (host.toLowerCase() === "localhost" || isLoopback(host)) return null;
  return new ChatError(
    "INSECURE_LOGIN",
    `Not sending a password in plaintext to ${host}: connect with TLS, or give ` +
      "--allow-insecure-login on a network you trust",
  );
}
