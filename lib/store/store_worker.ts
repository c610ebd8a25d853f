/**
 * The store's Worker: the entry point `HistoryClient` starts, binding a
 * {@linkcode StoreService} to the Worker's messages. SQLite's writes and checkpoints run here,
 * off the hub's event loop.
 * @module
 */

import { StoreService } from "./store_service.ts";
import type { StoreReply, StoreRequest } from "./store_protocol.ts";

/** The Worker global, as this file uses it (the project is type-checked with the window's). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<StoreRequest>) => void) | null;
  postMessage(reply: StoreReply): void;
}

const scope = self as unknown as WorkerScope;
const service = new StoreService((reply) => scope.postMessage(reply));
scope.onmessage = (event) => service.handle(event.data);
