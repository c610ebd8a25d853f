import assert from "node:assert/strict";
import { parseBenchArgs } from "../../../bench/chat/bench_options.ts";

Deno.test("parseBenchArgs runs everything and writes RESULTS.md by default", () => {
  assert.deepEqual(parseBenchArgs([]), {
    kind: "run",
    options: {
      parts: ["chat", "rudp"],
      quick: false,
      sizes: null,
      servers: null,
      shapes: null,
      profile: false,
      write: true,
    },
  });
});

Deno.test("parseBenchArgs leaves RESULTS.md alone for quick or filtered runs unless told", () => {
  const write = (args: string[]) => {
    const parsed = parseBenchArgs(args);
    return parsed.kind === "run" ? parsed.options.write : null;
  };
  assert.deepEqual(write(["--quick"]), false);
  assert.deepEqual(write(["--clients", "100"]), false);
  assert.deepEqual(write(["--servers=hub"]), false);
  assert.deepEqual(write(["--shapes=one"]), false);
  assert.deepEqual(write(["--quick", "--write"]), true);
  assert.deepEqual(write(["--no-write"]), false);
  assert.deepEqual(write(["--only", "chat"]), true);
});

Deno.test("parseBenchArgs reads --only, --clients, --servers and --profile", () => {
  const parsed = parseBenchArgs([
    "--only=chat",
    "--clients",
    "10,20",
    "--servers",
    "ngircd",
    "--profile",
  ]);
  assert.deepEqual(parsed.kind, "run");
  if (parsed.kind !== "run") return;
  assert.deepEqual(parsed.options.parts, ["chat"]);
  assert.deepEqual(parsed.options.sizes, [10, 20]);
  assert.deepEqual(parsed.options.servers, ["ngircd"]);
  assert.deepEqual(parsed.options.profile, true);
});

Deno.test("parseBenchArgs reports bad values and unknown flags instead of throwing", () => {
  assert.deepEqual(parseBenchArgs(["--only", "http"]).kind, "error");
  assert.deepEqual(parseBenchArgs(["--clients", "1"]).kind, "error");
  assert.deepEqual(parseBenchArgs(["--clients", "ten"]).kind, "error");
  assert.deepEqual(parseBenchArgs(["--servers", "hub,irc"]).kind, "error");
  assert.deepEqual(parseBenchArgs(["--shapes", "one,2x50"]).kind, "error");
  assert.deepEqual(parseBenchArgs(["--fast"]), {
    kind: "error",
    message: "Unknown option '--fast'",
  });
  assert.deepEqual(parseBenchArgs(["--only"]).kind, "error");
});

Deno.test("parseBenchArgs answers --help and -h", () => {
  assert.deepEqual(parseBenchArgs(["--quick", "--help"]), { kind: "help" });
  assert.deepEqual(parseBenchArgs(["-h"]), { kind: "help" });
});

Deno.test("parseBenchArgs takes every server and room shape the bench knows", () => {
  const parsed = parseBenchArgs([
    "--servers",
    "hub,hub-irc,ngircd,inspircd",
    "--shapes=10x100,1x1000,one",
  ]);
  assert.deepEqual(parsed.kind, "run");
  if (parsed.kind !== "run") return;
  assert.deepEqual(parsed.options.servers, ["hub", "hub-irc", "ngircd", "inspircd"]);
  assert.deepEqual(parsed.options.shapes, ["10x100", "1x1000", "one"]);
});
