import assert from "node:assert/strict";
import {
  type CpuProfile,
  parseCpuProfile,
  shortUrl,
  summarizeProfile,
  summarizeProfiles,
} from "../../../bench/lib/cpu_profile.ts";

const frame = (functionName: string, url = "", lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

// Four samples, each followed by a gap: the gap belongs to the sample before it.
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 3, 4] },
    { id: 2, callFrame: frame("(idle)") },
    { id: 3, callFrame: frame("take", "file:///work/main/lib/chat/outbound_queue.ts", 49) },
    { id: 4, callFrame: frame("op_write") },
  ],
  startTime: 0,
  endTime: 1000,
  samples: [3, 4, 2, 3],
  timeDeltas: [0, 300, 100, 500],
};

Deno.test("summarizeProfile splits busy time by function and file, idle left out", () => {
  const summary = summarizeProfile(PROFILE);
  assert.equal(summary.totalUs, 900);
  assert.equal(summary.busyUs, 400);
  assert.deepEqual(summary.functions.map((e) => [e.where, e.selfUs, e.share]), [
    ["take (lib/chat/outbound_queue.ts:50)", 300, 0.75],
    ["op_write", 100, 0.25],
  ]);
  assert.deepEqual(summary.files.map((e) => e.where), ["lib/chat/outbound_queue.ts", "op_write"]);
});

Deno.test("summarizeProfile keeps only the heaviest functions asked for", () => {
  assert.equal(summarizeProfile(PROFILE, { top: 1 }).functions.length, 1);
});

Deno.test("parseCpuProfile returns an error for text that is not a profile", () => {
  assert.deepEqual(parseCpuProfile("{"), { error: "Cannot parse CPU profile: not JSON" });
  assert.equal("error" in parseCpuProfile('{"nodes":[]}'), true);
  assert.equal("error" in parseCpuProfile(JSON.stringify({ ...PROFILE, timeDeltas: [1] })), true);
  assert.equal("error" in parseCpuProfile(JSON.stringify(PROFILE)), false);
});

Deno.test("shortUrl keeps project paths and module names readable", () => {
  assert.equal(shortUrl("file:///work/main/lib/net/hub_server.ts"), "lib/net/hub_server.ts");
  assert.equal(shortUrl("file:///work/main/server.ts"), "server.ts");
  assert.equal(shortUrl("ext:deno_net/01_net.js"), "ext:deno_net/01_net.js");
  assert.equal(shortUrl(""), "");
});

Deno.test("summarizeProfile gives each function's name and location apart, native code as such", () => {
  const [take, write] = summarizeProfile(PROFILE).functions;
  assert.deepEqual([take?.name, take?.location], ["take", "lib/chat/outbound_queue.ts:50"]);
  assert.deepEqual([write?.name, write?.location], ["op_write", "(native)"]);
});

Deno.test("summarizeProfiles reads a folder's profiles, busiest first, skipping broken ones", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cpu_profile_test_" });
  try {
    const busier = { ...PROFILE, timeDeltas: [0, 3000, 100, 500] };
    await Deno.writeTextFile(`${dir}/a.cpuprofile`, JSON.stringify(PROFILE));
    await Deno.writeTextFile(`${dir}/b.cpuprofile`, JSON.stringify(busier));
    await Deno.writeTextFile(`${dir}/c.cpuprofile`, "{");
    await Deno.writeTextFile(`${dir}/notes.txt`, "not a profile");
    const found = await summarizeProfiles(dir, 1);
    assert.deepEqual(found.map((f) => f.file), ["b.cpuprofile", "a.cpuprofile"]);
    assert.equal(found[0]?.summary.busyUs, 3100);
    assert.equal(found[0]?.summary.functions.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
