/**
 * A UdpDriver in a process of its own, for the tests that need other permissions or another
 * network namespace: it sends COUNT numbered datagrams of mixed sizes to 127.0.0.1:PORT (a
 * receiver of its own when PORT is 0), at most a window ahead of what arrived, and prints
 * `{ batched, received, inOrder, sendErrors }` as JSON.
 *
 * Run: deno run --allow-net [--allow-ffi=LIBC] tests/net/_udp_driver_probe.ts COUNT [PORT]
 */
import { type DatagramMachine, UdpDriver } from "../../lib/net/udp_driver.ts";

/** Datagrams sent ahead of what arrived: the receiver's socket buffer holds them all. */
const WINDOW = 64;
/** How long the probe waits for the last datagram (or send error), ms. */
const WAIT_MS = 10_000;

/** The size of datagram `n`: runs of equal sizes (GSO), a shorter one, and odd singles. */
export function sizeOf(n: number): number {
  const phase = n % 40;
  return phase < 30 ? 1200 : phase === 30 ? 400 : 100 + phase;
}

/** Datagram `n`: its number in the first 4 bytes, then its low byte repeated. */
export function datagram(n: number, into: Uint8Array): Uint8Array {
  const bytes = into.subarray(0, sizeOf(n));
  bytes.fill(n & 0xff);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, n);
  return bytes;
}

async function main(count: number, port: number): Promise<void> {
  const receiver = port === 0
    ? Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" })
    : null;
  const to = `127.0.0.1:${port || (receiver!.addr as Deno.NetAddr).port}`;
  let sent = 0;
  let received = 0;
  let inOrder = true;
  const machine: DatagramMachine = {
    handleDatagram: () => {},
    handleTimeout: () => {},
    pollTransmit: (_now, into) => {
      if (sent === count || (receiver !== null && sent - received >= WINDOW)) return null;
      // Every third datagram in a buffer of the machine's own, as a machine may hand over.
      const bytes = datagram(sent, sent % 3 === 0 ? new Uint8Array(2000) : into);
      sent++;
      return { to, bytes };
    },
    pollTimeout: () => null,
  };
  const driver = new UdpDriver(
    Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" }),
    machine,
  );
  driver.wake();
  const end = performance.now() + WAIT_MS;
  if (receiver !== null) {
    const scratch = new Uint8Array(2000);
    while (received < count && performance.now() < end) {
      const [bytes] = await receiver.receive();
      const expected = datagram(received, scratch);
      if (bytes.length !== expected.length || bytes.some((b, i) => b !== expected[i])) {
        inOrder = false;
      }
      received++;
      driver.wake();
    }
    receiver.close();
  } else {
    while (driver.sendErrors < count && performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  console.log(
    JSON.stringify({
      batched: driver.batchStats !== null,
      received,
      inOrder,
      sendErrors: driver.sendErrors,
    }),
  );
  await driver.close();
}

if (import.meta.main) await main(Number(Deno.args[0]), Number(Deno.args[1] ?? 0));
