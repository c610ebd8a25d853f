import assert from "node:assert/strict";
import { helloLine, resolveHubOptions } from "../../lib/chat/hub_options.ts";
import { BACKLOG_BYTES, HEARTBEAT_MS, MAX_QUEUE_BYTES } from "../../lib/chat/limits.ts";

Deno.test("resolveHubOptions fills in every default", () => {
  const settings = resolveHubOptions({});
  assert.equal(settings.heartbeatMs, HEARTBEAT_MS);
  assert.equal(settings.idleTimeoutMs, 3 * HEARTBEAT_MS);
  assert.equal(settings.maxQueueBytes, MAX_QUEUE_BYTES);
  assert.equal(settings.backlogBytes, BACKLOG_BYTES);
  assert.deepEqual(settings.rate, { perSecond: 20, burst: 40 });
});

Deno.test("resolveHubOptions keeps what is given, null rate included", () => {
  const settings = resolveHubOptions({ rate: null, heartbeatMs: 1000, maxQueueBytes: 4096 });
  assert.equal(settings.rate, null);
  assert.equal(settings.idleTimeoutMs, 3000);
  assert.equal(settings.backlogBytes, 1024, "a quarter of a small queue limit");
});

Deno.test("helloLine announces the protocol and the limits as one JSON line", () => {
  const line = new TextDecoder().decode(helloLine(resolveHubOptions({ serverName: "t/1" })));
  assert.ok(line.endsWith("\n"));
  const hello = JSON.parse(line);
  assert.deepEqual([hello.type, hello.protocol, hello.server], ["hello", 5, "t/1"]);
  assert.equal(hello.maxLineBytes, 64 * 1024);
});
