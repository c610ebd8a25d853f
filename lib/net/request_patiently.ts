/**
 * A chat request that waits out the hub's rate limit instead of failing on it; shared by the
 * terminal client's commands and the transfers.
 * @module
 */

import type { OutgoingRequest } from "../chat/client_session.ts";
import type { ServerMessage } from "../chat/events.ts";
import type { ChatClient } from "./chat_client.ts";
import { ChatError } from "./chat_error.ts";

/**
 * Sends a request; when the hub answers `RATE_LIMITED`, waits as long as it says and sends
 * again, so nothing is dropped by the limit. Other errors reject with `ChatError`.
 */
export async function requestPatiently(
  client: ChatClient,
  request: OutgoingRequest,
): Promise<ServerMessage> {
  for (;;) {
    try {
      return await client.request(request);
    } catch (error) {
      if (!(error instanceof ChatError) || error.code !== "RATE_LIMITED") throw error;
      await new Promise((wake) => setTimeout(wake, Math.max(1, error.retryMs ?? 100)));
    }
  }
}
