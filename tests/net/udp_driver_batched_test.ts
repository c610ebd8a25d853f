/**
 * The UDP driver's batched send path (GSO and sendmmsg through libc) against Deno's `send`, each
 * in a process of its own (tests/net/_udp_driver_probe.ts) so that its permissions, or its
 * network namespace, are the test's to choose.
 */
import assert from "node:assert/strict";
import { setImmediate } from "node:timers";
import { libc, LIBC_PATHS } from "../../lib/net/libc.ts";
import { type DatagramMachine, UdpDriver } from "../../lib/net/udp_driver.ts";
import { canMakeNamespaces, sh } from "../_netns.ts";

const PROBE = new URL("./_udp_driver_probe.ts", import.meta.url).pathname;
const COUNT = 3000;

interface ProbeResult {
  batched: boolean;
  received: number;
  inOrder: boolean;
  sendErrors: number;
}

async function probe(permissions: string[], args: string[], prefix: string[] = []) {
  const command = [...prefix, Deno.execPath(), "run", ...permissions, PROBE, ...args];
  const output = await new Deno.Command(command[0]!, {
    args: command.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout).trim();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  return JSON.parse(text) as ProbeResult;
}

const libcGrant = `--allow-ffi=${LIBC_PATHS.join(",")}`;
const libcMissing = !LIBC_PATHS.some((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

Deno.test({
  name: "UdpDriver sends in batches through libc with FFI granted for libc's path alone",
  ignore: Deno.build.os !== "linux" || libcMissing,
  async fn() {
    const result = await probe(["--allow-net", libcGrant], [String(COUNT)]);
    assert.deepEqual(result, { batched: true, received: COUNT, inOrder: true, sendErrors: 0 });
  },
});

Deno.test("UdpDriver keeps Deno's send when FFI is not granted, and delivers everything", async () => {
  const result = await probe(["--allow-net"], [String(COUNT)]);
  assert.deepEqual(result, { batched: false, received: COUNT, inOrder: true, sendErrors: 0 });
});

Deno.test({
  name: "UdpDriver counts each send an nft output rule refuses (EPERM) as lost on the batched path",
  ignore: libcMissing || !canMakeNamespaces(),
  async fn() {
    const ns = `udpbatch${Deno.pid}`;
    const port = 9;
    await sh(
      `ip netns add ${ns}; ip -n ${ns} link set lo up
       ip netns exec ${ns} nft add table inet t
       ip netns exec ${ns} nft add chain inet t out '{ type filter hook output priority 0; }'
       ip netns exec ${ns} nft add rule inet t out udp dport ${port} drop`,
    );
    try {
      const count = 100;
      const result = await probe(["--allow-net", libcGrant], [String(count), String(port)], [
        "ip",
        "netns",
        "exec",
        ns,
      ]);
      assert.deepEqual(result, { batched: true, received: 0, inOrder: true, sendErrors: count });
    } finally {
      await sh(`ip netns del ${ns}`);
    }
  },
});

Deno.test({
  name: "UdpDriver hears a datagram between batches while it always has more to send",
  ignore: libc() === null,
  async fn() {
    const sink = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
    const to = `127.0.0.1:${(sink.addr as Deno.NetAddr).port}`;
    const limit = 100_000; // a bound, so that a driver that never yields still ends
    let sent = 0;
    let heardAfter = -1;
    const machine: DatagramMachine = {
      handleDatagram: () => {
        if (heardAfter < 0) heardAfter = sent;
      },
      handleTimeout: () => {},
      pollTransmit: (_now, into) => {
        if (heardAfter >= 0 || sent === limit) return null;
        sent++;
        return { to, bytes: into.subarray(0, 100) };
      },
      pollTimeout: () => null,
    };
    const driver = new UdpDriver(
      Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" }),
      machine,
    );
    const peer = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
    try {
      assert.ok(driver.batchStats !== null);
      driver.wake();
      await peer.send(Uint8Array.of(1), { ...driver.addr, hostname: "127.0.0.1" });
      const end = performance.now() + 5000;
      while (heardAfter < 0 && sent < limit && performance.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      assert.ok(heardAfter >= 0 && heardAfter < limit / 10, `heard after ${heardAfter} sent`);
    } finally {
      await driver.close();
      sink.close();
      peer.close();
    }
  },
});

Deno.test({
  name: "UdpDriver polls again at once after a batch the machine could not fill, before any turn",
  ignore: libc() === null,
  async fn() {
    const sink = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
    const to = `127.0.0.1:${(sink.addr as Deno.NetAddr).port}`;
    // An ACK, nothing, then another ACK: what a client has as datagrams come in.
    const answers: (Uint8Array | null)[] = [Uint8Array.of(1), null, Uint8Array.of(2), null];
    const machine: DatagramMachine = {
      handleDatagram: () => {},
      handleTimeout: () => {},
      pollTransmit: () => {
        const bytes = answers.shift() ?? null;
        return bytes === null ? null : { to, bytes };
      },
      pollTimeout: () => null,
    };
    const driver = new UdpDriver(
      Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" }),
      machine,
    );
    try {
      driver.wake();
      // A turn of the event loop queued now runs before any the driver could queue after it.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(answers, [], "the second datagram waited for a turn of the event loop");
      assert.equal(driver.batchStats?.batched, 2);
    } finally {
      await driver.close();
      sink.close();
    }
  },
});
