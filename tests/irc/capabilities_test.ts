import assert from "node:assert/strict";
import { CapNegotiation, SUPPORTED_CAPS } from "../../lib/irc/capabilities.ts";

Deno.test("CapNegotiation lists every capability the issue asks for", () => {
  const outcome = new CapNegotiation().handle(["LS", "302"]);
  assert.equal(outcome.kind, "reply");
  const caps = outcome.kind === "reply" ? outcome.caps.split(" ") : [];
  for (
    const cap of [
      "server-time",
      "message-tags",
      "echo-message",
      "away-notify",
      "batch",
      "draft/chathistory",
    ]
  ) {
    assert.ok(caps.includes(cap), cap);
  }
  assert.equal(caps.length, SUPPORTED_CAPS.length);
});

Deno.test("CapNegotiation acknowledges a request and enables what it names", () => {
  const caps = new CapNegotiation();
  assert.deepEqual(caps.handle(["REQ", "server-time echo-message"]), {
    kind: "reply",
    subcommand: "ACK",
    caps: "server-time echo-message",
  });
  assert.ok(caps.has("server-time") && caps.has("echo-message"));
  assert.equal(caps.has("batch"), false);
  caps.handle(["REQ", "-echo-message"]);
  assert.equal(caps.has("echo-message"), false);
});

Deno.test("CapNegotiation refuses a request naming one unknown capability, all of it", () => {
  const caps = new CapNegotiation();
  const outcome = caps.handle(["req", "server-time unknown-cap"]);
  assert.equal(outcome.kind === "reply" && outcome.subcommand, "NAK");
  assert.equal(caps.has("server-time"), false);
  assert.equal(
    (caps.handle(["REQ", ""]) as { subcommand: string }).subcommand,
    "NAK",
    "an empty request",
  );
});

Deno.test("CapNegotiation holds registration from LS or REQ until END", () => {
  const caps = new CapNegotiation();
  assert.equal(caps.holding, false);
  caps.handle(["LS"]);
  assert.equal(caps.holding, true);
  assert.deepEqual(caps.handle(["END"]), { kind: "end" });
  assert.equal(caps.holding, false);
  caps.handle(["REQ", "batch"]);
  assert.equal(caps.holding, true);
});

Deno.test("CapNegotiation reports a missing or unknown subcommand", () => {
  const caps = new CapNegotiation();
  assert.deepEqual(caps.handle([]), { kind: "missing" });
  assert.deepEqual(caps.handle(["FROB"]), { kind: "unknown", subcommand: "FROB" });
  assert.equal(caps.handle(["LIST"]).kind, "reply");
});
