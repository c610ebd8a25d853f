/**
 * Opening a logged-in client connection for the command-line modes, with status reporting.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { ChatClient, type ConnectionStatus } from "../net/chat_client.ts";
import type { ClientConfig } from "./client_config.ts";

/** Describes a connection status change for the user, or `null` for none. */
export function describeStatus(status: ConnectionStatus): string | null {
  switch (status.kind) {
    case "disconnected":
      return `${status.reason}`;
    case "reconnecting":
      return `Reconnecting in ${(status.delayMs / 1000).toFixed(1)} s (attempt ${status.attempt})`;
    case "reconnected":
      return "Reconnected";
    case "connected":
      return null;
  }
}

/** Connects and logs in as `name`; throws `ChatError` (`CONNECT_FAILED`, `NAME_TAKEN`...). */
export async function connectAs(
  config: ClientConfig,
  name: string,
  handlers: { onEvent: (m: ServerMessage) => void; onStatus: (line: string) => void },
): Promise<ChatClient> {
  const client = await ChatClient.open({
    host: config.host,
    port: config.port,
    onEvent: handlers.onEvent,
    onStatus: (status) => {
      const line = describeStatus(status);
      if (line !== null) handlers.onStatus(line);
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
