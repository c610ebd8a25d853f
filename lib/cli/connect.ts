/**
 * Opening a logged-in client connection for the command-line modes, with status reporting.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { ChatClient, type ClientTlsOptions, type ConnectionStatus } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
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

/** Connects and logs in as `name`; throws `ChatError` (`CONNECT_FAILED`, `NAME_TAKEN`...). */
export async function connectAs(
  config: ClientConfig,
  name: string,
  handlers: ConnectHandlers,
): Promise<ChatClient> {
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
    await client.login(name);
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
