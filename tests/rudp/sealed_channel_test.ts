/**
 * The sealed file channel's rules, end to end over the simulated link: what a relay records
 * holds none of the file; a flipped bit anywhere in any datagram gets it dropped, counted and
 * never acted on; a datagram replayed later is dropped; a hello needs the transfer key, not
 * just the token.
 */
import assert from "node:assert/strict";
import type { DropReason } from "../../lib/rudp/wire/drop_reason.ts";
import type { SimLink } from "../../lib/netsim/link.ts";
import { readAsKeyHolder, TEST_KEY } from "./_keys.ts";
import { SEAL_TAG_BYTES } from "../../lib/rudp/seal/mod.ts";
import { headerSize } from "../../lib/rudp/wire/packet.ts";
import { frameSize } from "../../lib/rudp/wire/frame_codec.ts";
import { helloBytes, newEndpoint } from "./_endpoint.ts";
import { CLIENT, PatternSource, runTransfer, SERVER, withSeed } from "./_transfer.ts";

const PATH = { delayMs: 10 };
const SIZE = 300_000;

function total(dropped: Record<DropReason, number>): number {
  return Object.values(dropped).reduce((a, b) => a + b, 0);
}

/** Every 32-byte run of `file` that starts at a multiple of 16, by its first 4 bytes. */
function fileIndex(file: Uint8Array): Map<number, number[]> {
  const index = new Map<number, number[]>();
  const view = new DataView(file.buffer, file.byteOffset);
  for (let at = 0; at + 16 <= file.length; at += 16) {
    const head = view.getUint32(at);
    index.set(head, [...(index.get(head) ?? []), at]);
  }
  return index;
}

/**
 * Whether `datagram` holds 16 bytes of `file` that start at a multiple of 16 in the file: any
 * run of 31 or more file bytes does.
 */
function holdsFileBytes(datagram: Uint8Array, file: Uint8Array, index: Map<number, number[]>) {
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  for (let i = 0; i + 16 <= datagram.length; i++) {
    for (const at of index.get(view.getUint32(i)) ?? []) {
      let same = true;
      for (let k = 4; k < 16 && same; k++) same = datagram[i + k] === file[at + k];
      if (same) return true;
    }
  }
  return false;
}

function recordedRun(direction: "download" | "upload", unsealed: boolean) {
  const recorded: Uint8Array[] = [];
  const r = withSeed(61, () =>
    runTransfer({
      seed: 61,
      size: SIZE,
      direction,
      toClient: PATH,
      toServer: PATH,
      transport: unsealed ? { unsealedForBenchmark: true } : {},
      onSend: (_now, _from, _to, bytes) => recorded.push(bytes.slice()),
    }));
  assert.equal(r.receivedHash, r.expectedHash);
  return recorded;
}

for (const direction of ["download", "upload"] as const) {
  Deno.test(`a relay that records every datagram of a sealed ${direction} finds none of the file's bytes`, () => {
    const file = new PatternSource(7).read(0, SIZE);
    const index = fileIndex(file);
    const sealed = recordedRun(direction, false);
    assert.ok(sealed.length > SIZE / 1200);
    assert.equal(sealed.filter((d) => holdsFileBytes(d, file, index)).length, 0);
    // The same search over an unsealed run finds the file in most datagrams: it can see.
    const plain = recordedRun(direction, true);
    assert.ok(plain.filter((d) => holdsFileBytes(d, file, index)).length > SIZE / 2000);
  });
}

Deno.test("a flipped bit anywhere in any datagram gets it dropped and counted, and the transfer ends intact", () => {
  let sides: Parameters<NonNullable<Parameters<typeof runTransfer>[0]["before"]>>[0] | null = null;
  let sent = 0;
  const flipped = { [SERVER]: 0, [CLIENT]: 0 } as Record<string, number>;
  // Each side's first datagrams (hello, challenge, confirm, first data and ACKs), then a few.
  const chosen = new Set([1, 2, 3, 4, 5, 6, 60]);
  const r = withSeed(62, () =>
    runTransfer({
      seed: 62,
      size: SIZE,
      toClient: PATH,
      toServer: PATH,
      before: (ctx) => {
        sides = ctx;
      },
      onSend: (now, from, to, bytes) => {
        if (!chosen.has(++sent)) return;
        for (let bit = 0; bit < bytes.length * 8; bit++) {
          const copy = bytes.slice();
          copy[bit >> 3]! ^= 1 << (bit & 7);
          // Handed over at once, before the original, which must still be taken: no flip may
          // spend its packet number.
          if (to === SERVER) sides!.endpoint.handleDatagram(now, copy, from);
          else sides!.client.handleDatagram(now, copy, from);
          flipped[to]!++;
        }
      },
    }));
  assert.ok(flipped[SERVER]! > 0 && flipped[CLIENT]! > 0);
  assert.equal(total(r.endpoint.stats().dropped), flipped[SERVER]);
  assert.equal(total(r.client.stats().dropped), flipped[CLIENT]);
  assert.equal(r.receivedHash, r.expectedHash);
  assert.equal([...r.serverEvents, ...r.clientEvents].some((e) => e.kind === "failed"), false);
});

Deno.test("a datagram replayed later is dropped (REPLAYED) at either end and changes nothing", () => {
  let link: SimLink | null = null;
  let fromClient = 0;
  let fromServer = 0;
  const r = withSeed(63, () =>
    runTransfer({
      seed: 63,
      size: SIZE,
      toClient: PATH,
      toServer: PATH,
      before: (ctx) => {
        link = ctx.link;
      },
      onSend: (now, from, to, bytes) => {
        const count = from === CLIENT ? ++fromClient : ++fromServer;
        // The client's 5th datagram (an ACK) and the server's 30th (data), a round trip on.
        if ((from === CLIENT && count === 5) || (from === SERVER && count === 30)) {
          link!.inject(now + 25, from, to, bytes.slice());
        }
      },
    }));
  assert.equal(r.endpoint.stats().dropped.REPLAYED, 1, JSON.stringify(r.endpoint.stats().dropped));
  assert.equal(r.client.stats().dropped.REPLAYED, 1);
  assert.equal(r.receivedHash, r.expectedHash);
});

Deno.test("server drops a hello with the right token but without the transfer key (UNAUTHENTICATED)", () => {
  const { endpoint, token } = newEndpoint();
  const hello = (key: Uint8Array) => helloBytes(token, 1, key);
  endpoint.handleDatagram(0, hello(new Uint8Array(32).fill(1)), CLIENT);
  assert.equal(endpoint.stats().dropped.UNAUTHENTICATED, 1);
  assert.equal(endpoint.stats().connections, 0);
  assert.equal(endpoint.pollTransmit(0), null, "no answer to a hello without the key");
  endpoint.handleDatagram(1, hello(TEST_KEY), CLIENT);
  assert.equal(endpoint.stats().connections, 1, "the grant is still there for its holder");
});

Deno.test("the seal's tag fits in the datagram size: at 1,200 bytes no sealed datagram is larger", () => {
  const sizes: number[] = [];
  const r = withSeed(64, () =>
    runTransfer({
      seed: 64,
      size: SIZE,
      toClient: PATH,
      toServer: PATH,
      transport: { maxDatagramBytes: 1200 },
      onSend: (_now, _from, _to, bytes) => sizes.push(bytes.length),
    }));
  assert.equal(r.receivedHash, r.expectedHash);
  assert.equal(sizes[0], 1200, "the hello, tag included, is padded to exactly 1,200 bytes");
  assert.equal(Math.max(...sizes), 1200);
  assert.ok(sizes.filter((n) => n === 1200).length > SIZE / 1300, "data datagrams are full");
});

Deno.test("a sealed datagram is its header, frames and tag, without a CRC: the tag covers every byte", () => {
  let checked = 0;
  const r = withSeed(65, () =>
    runTransfer({
      seed: 65,
      size: SIZE,
      toClient: PATH,
      toServer: PATH,
      transport: { maxDatagramBytes: 1200 },
      onSend: (_now, from, _to, bytes) => {
        if (from !== SERVER || bytes.length !== 1200) return;
        const packet = readAsKeyHolder(bytes);
        assert.ok(packet !== null);
        const last = packet.frames.length - 1;
        const frames = packet.frames.reduce((sum, f, i) => sum + frameSize(f, i === last), 0);
        // A full data datagram: no padding, so nothing is left over for a CRC.
        if (!packet.frames.every((f) => f.type === "data")) return;
        assert.equal(headerSize(packet.number, 0) + frames + SEAL_TAG_BYTES, bytes.length);
        checked++;
      },
    }));
  assert.equal(r.receivedHash, r.expectedHash);
  assert.ok(checked > SIZE / 1300, `${checked} full data datagrams`);
});
