import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { IrcClient } from "../irc/_irc_client.ts";
import { LineClient } from "./_line_client.ts";

function startServer(maxQueueBytes?: number): HubServer {
  const options = maxQueueBytes === undefined ? {} : { maxQueueBytes };
  const hub = new Hub({ rate: null, maxPerAddress: 1000, ...options });
  return new HubServer(hub, { port: 0, ircPort: 0 });
}

Deno.test("hub server serves IRC on its IRC port and chat on its chat port, one hub", async () => {
  const server = startServer();
  assert.notEqual(server.ircPort, null);
  const bob = await LineClient.login(server.port, "bob");
  const ann = await IrcClient.register(server.ircPort!, "ann");
  await ann.send("PRIVMSG #lobby :hi");
  assert.equal((await bob.nextOfType("message")).text, "hi");
  await Promise.all([ann.close(), bob.close()]);
  await server.shutdown();
});

Deno.test("hub server drops an IRC client that never reads without slowing the others", async () => {
  const server = startServer(256 * 1024);
  const [sender, reader] = await Promise.all(
    ["sender", "reader"].map((name) => LineClient.login(server.port, name)),
  );
  const stuck = await Deno.connect({ hostname: "127.0.0.1", port: server.ircPort! });
  await stuck.write(new TextEncoder().encode("NICK stuck\r\nUSER s 0 * :s\r\n"));
  await reader!.next((m) => m.type === "join" && m.name === "stuck");
  const text = "x".repeat(4000);
  const count = 3000; // 12 MB: more than the kernel buffers of the stuck socket hold
  const WINDOW = 40; // the reader stays far below its queue limit (as in hub_server_test.ts)
  const expectMessage = async (i: number) => {
    const message = await reader!.nextOfType("message", 20_000);
    assert.ok((message.text as string).startsWith(`${i} `), `message ${i} out of order`);
  };
  for (let i = 0; i < count; i++) {
    await sender!.send({ type: "say", text: `${i} ${text}` });
    if (i >= WINDOW) await expectMessage(i - WINDOW);
  }
  for (let i = count - WINDOW; i < count; i++) await expectMessage(i);
  const left = await reader!.next((m) => m.type === "leave" && m.name === "stuck", 20_000);
  assert.equal(left.reason, "dropped");
  stuck.close();
  await Promise.all([sender!.close(), reader!.close()]);
  await server.shutdown();
});
