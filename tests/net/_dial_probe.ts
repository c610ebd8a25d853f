/**
 * A dial on a path of the test's choosing (run inside a network namespace): a listener that
 * greets every connection at once, and `ChatClient.open` against it. Prints
 * `{ openedMs, accepted }` as JSON.
 *
 * Run: deno run --allow-net tests/net/_dial_probe.ts
 */
import { ChatClient } from "../../lib/net/chat_client.ts";

const HELLO = JSON.stringify({ type: "hello", protocol: 1, server: "probe", heartbeatMs: 15000 });

async function main(): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      accepted++;
      conns.push(conn);
      conn.write(new TextEncoder().encode(HELLO + "\n")).catch(() => {});
    }
  })().catch(() => {});
  const started = performance.now();
  const client = await ChatClient.open({ host: "127.0.0.1", port: listener.addr.port });
  const openedMs = performance.now() - started;
  console.log(JSON.stringify({ openedMs, accepted }));
  await client.close().catch(() => {});
  listener.close();
  for (const conn of conns) {
    try {
      conn.close();
    } catch {
      // Closed by the client already.
    }
  }
}

if (import.meta.main) await main();
