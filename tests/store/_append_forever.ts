/**
 * Test child: appends a #lobby message every 5 ms to the store in `Deno.args[0]`, each with
 * its wall-clock time, and prints `ready` after the first. On SIGTERM it closes the store, as
 * the server will, prints the last id and exits.
 */
import { HistoryStore } from "../../lib/store/mod.ts";

const store = HistoryStore.open(Deno.args[0]!);
Deno.addSignalListener("SIGTERM", () => {
  clearInterval(timer);
  const lost = store.close();
  console.log(`closed ${store.lastId} lost ${lost}`);
  Deno.exit(0);
});
const append = () =>
  store.append({
    kind: "room",
    room: "#lobby",
    from: "a",
    text: "t",
    action: false,
    ts: Date.now(),
  });
append();
console.log("ready");
const timer = setInterval(append, 5);
