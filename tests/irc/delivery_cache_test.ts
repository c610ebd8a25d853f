import assert from "node:assert/strict";
import { DeliveryCache } from "../../lib/irc/delivery_cache.ts";
import type { HubEvent } from "../../lib/irc/hub_port.ts";
import { registered } from "./_session_harness.ts";

Deno.test("DeliveryCache makes an event's lines once per key, also after other events", () => {
  const cache = new DeliveryCache();
  let made = 0;
  const make = () => [`line ${++made}`];
  const first = {};
  assert.deepEqual(cache.lines(first, "a", make), ["line 1"]);
  assert.deepEqual(cache.lines(first, "a", make), ["line 1"]);
  assert.deepEqual(cache.lines(first, "b", make), ["line 2"]);
  assert.deepEqual(cache.lines({}, "a", make), ["line 3"]);
  // A member behind the others reaches the first event after the second.
  assert.deepEqual(cache.lines(first, "a", make), ["line 1"]);
});

Deno.test("IrcSession members sharing a cache get the lines their own capabilities call for", () => {
  const deliveryCache = new DeliveryCache();
  const session = { deliveryCache };
  const plainA = registered("ann", { session });
  const plainB = registered("cy", { session });
  const tagged = registered("dee", { session, caps: "server-time" });
  const event: HubEvent = { type: "message", from: "bob", room: "#lobby", text: "hi", ts: 0 };
  for (const h of [plainA, plainB, tagged]) h.event(event);
  assert.deepEqual(plainA.take(), [":bob!bob@deno-chat PRIVMSG #lobby :hi"]);
  assert.deepEqual(plainB.take(), [":bob!bob@deno-chat PRIVMSG #lobby :hi"]);
  assert.deepEqual(tagged.take(), [
    "@time=1970-01-01T00:00:00.000Z :bob!bob@deno-chat PRIVMSG #lobby :hi",
  ]);
  // A private message names its recipient: never shared.
  const to = (name: string): HubEvent => ({
    type: "message",
    from: "bob",
    to: name,
    text: "x",
    ts: 0,
  });
  plainA.event(to("ann"));
  plainB.event(to("cy"));
  assert.deepEqual(plainB.take(), [":bob!bob@deno-chat PRIVMSG cy :x"]);
});
