import assert from "node:assert/strict";
import {
  parseCpuMs,
  parseMachineCpuMs,
  parseRssKib,
  parseUdpCounters,
  readRssKib,
} from "../../../bench/lib/proc_stats.ts";

Deno.test("parseRssKib reads VmRSS from a status text", () => {
  assert.deepEqual(
    parseRssKib("Name:\tdeno\nVmPeak:\t 999 kB\nVmRSS:\t   34888 kB\nRssAnon: 1 kB\n"),
    34888,
  );
  assert.deepEqual(parseRssKib("Name:\tkthreadd\n"), null);
});

Deno.test("parseCpuMs adds utime and stime even when the command name holds spaces", () => {
  const rest = "S 1 1 1 0 -1 4194304 3143 0 0 0 250 50 0 0 20 0 5 0 83183 18517819392 8828";
  assert.deepEqual(parseCpuMs(`4242 (my (odd) name) ${rest}`), 3000);
  assert.deepEqual(parseCpuMs("4242 (short)"), null);
});

Deno.test("parseMachineCpuMs separates busy time from idle and iowait", () => {
  const stat = "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\n";
  assert.deepEqual(parseMachineCpuMs(stat), { busy: 1500, total: 10000 });
  assert.deepEqual(parseMachineCpuMs("intr 1 2 3\n"), null);
});

Deno.test("readRssKib reads a live process and gives null for one that does not exist", async () => {
  const rss = await readRssKib(Deno.pid);
  assert.deepEqual(typeof rss === "number" && rss > 1000, true);
  assert.deepEqual(await readRssKib(2 ** 22 + 12345), null);
});

Deno.test("parseUdpCounters reads the Udp value line by its header, null when a field is missing", () => {
  const snmp = "Ip: Forwarding\nIp: 1\n" +
    "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\n" +
    "Udp: 1234 5 6 789 42 0\n";
  assert.deepEqual(parseUdpCounters(snmp), { rcvbufErrors: 42, inDatagrams: 1234 });
  assert.equal(parseUdpCounters("Udp: InDatagrams\nUdp: 1\n"), null);
  assert.equal(parseUdpCounters(""), null);
});
