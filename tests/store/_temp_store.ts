/** Test helpers: a history store in a fresh temp directory. */
import { HistoryStore, type HistoryStoreOptions, type NewMessage } from "../../lib/store/mod.ts";

/** A fresh temp directory for a data directory. */
export function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "history_store_" });
}

/** A room message from `from` in `room` at `ts`. */
export function roomMessage(room: string, from: string, text: string, ts = 1_000): NewMessage {
  return { kind: "room", room, from, text, action: false, ts };
}

/** A private message from `from` to `to`. */
export function privateMessage(from: string, to: string, text: string, ts = 1_000): NewMessage {
  return { kind: "private", from, to, text, action: false, ts };
}

/** Opens a store in `dir` whose timer never fires during a test (writes happen on flush). */
export function openQuiet(dir: string, options: HistoryStoreOptions = {}): HistoryStore {
  return HistoryStore.open(dir, { batching: { maxAgeMs: 3_600_000 }, ...options });
}
