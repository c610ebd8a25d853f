import assert from "node:assert/strict";
import { StoreService } from "../../lib/store/store_service.ts";
import type { StoreReply } from "../../lib/store/store_protocol.ts";
import { tempDir } from "./_temp_store.ts";

const message = {
  kind: "room",
  room: "#a",
  from: "ann",
  text: "hi",
  action: false,
  ts: 1,
} as const;

Deno.test("StoreService reports a batch it cannot keep as an event with the count lost", () => {
  const replies: StoreReply[] = [];
  const service = new StoreService((reply) => replies.push(reply));
  service.handle({ op: "append", messages: [{ ...message, id: 1 }, { ...message, id: 2 }] });
  assert.equal(replies.length, 1);
  const [reply] = replies;
  assert.ok(reply?.op === "event" && reply.event.type === "append_failed");
  assert.equal(reply.event.count, 2);
  assert.equal(reply.event.error.code, "STORE_FAILED");
});

Deno.test("StoreService reports an id the store gives differently from the hub's", () => {
  const dir = tempDir();
  const replies: StoreReply[] = [];
  const service = new StoreService((reply) => replies.push(reply));
  service.handle({ op: "open", seq: 1, dir, retention: {}, maxRooms: 10 });
  service.handle({ op: "append", messages: [{ ...message, id: 7 }] });
  service.handle({ op: "close", seq: 2 });
  assert.deepEqual(replies, [
    { op: "answer", seq: 1, value: { lastId: 0, rooms: [] } },
    { op: "event", event: { type: "id_mismatch", expected: 7, stored: 1 } },
    { op: "answer", seq: 2, value: { lost: 0 } },
  ]);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("StoreService answers an open it cannot do with the store's code", () => {
  const parent = tempDir();
  Deno.writeTextFileSync(`${parent}/file`, "in the way");
  const replies: StoreReply[] = [];
  const service = new StoreService((reply) => replies.push(reply));
  service.handle({ op: "open", seq: 1, dir: `${parent}/file/data`, retention: {}, maxRooms: 10 });
  const [reply] = replies;
  assert.ok(reply?.op === "failed");
  assert.equal(reply.error.code, "DATA_DIR_UNWRITABLE");
  Deno.removeSync(parent, { recursive: true });
});
