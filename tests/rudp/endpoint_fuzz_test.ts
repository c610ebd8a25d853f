// A deterministic fuzzer of the file channel's receive paths. Frames are written field by
// field, so any varint field (and the packet number) can take an extreme value in any encoding
// length, including 8-byte values above 2^53 that a JavaScript number cannot hold; a hello's
// CRC is always recomputed (a sealed short packet has none), and the packet sealed with the transfer's key as a hostile peer holding it
// would, so the garbage reaches the frame parser and the connections behind it.
// A bystander download runs through it all and must end intact.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { crc32 } from "../../lib/rudp/wire/crc32.ts";
import { FRAME_TYPE } from "../../lib/rudp/wire/frame.ts";
import type { SimLink } from "../../lib/netsim/link.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { Pair, type PairClient, SERVER_ADDRESS } from "./_pair.ts";
import { PatternSource, runTransfer, withSeed } from "./_transfer.ts";
import { openRaw, sealRaw } from "./_keys.ts";

/** Values at each varint length boundary and beyond what a number holds exactly. */
const EXTREMES: readonly bigint[] = [
  0n,
  1n,
  63n,
  64n,
  2n ** 14n - 1n,
  2n ** 14n,
  2n ** 30n - 1n,
  2n ** 30n,
  2n ** 48n - 1n,
  2n ** 48n,
  2n ** 53n - 2n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 62n - 1n,
];
const ATTACKER = "10.9.9.9:6666";
const BATCHES = 200;
const CASES_PER_BATCH = 30;

/** A frame or header field: a varint, or raw bytes. */
type Field = bigint | Uint8Array;

/** Writes `value` as a varint of at least `size` bytes (a non-minimal encoding is legal). */
function varintBytes(value: bigint, size: number): number[] {
  const minimal = value < 64n ? 1 : value < 2n ** 14n ? 2 : value < 2n ** 30n ? 4 : 8;
  const length = [1, 2, 4, 8].find((n) => n >= Math.max(size, minimal))!;
  const out: number[] = [];
  for (let i = length - 1; i >= 0; i--) out.push(Number((value >> BigInt(8 * i)) & 0xffn));
  out[0]! |= { 1: 0, 2: 0x40, 4: 0x80, 8: 0xc0 }[length]!;
  return out;
}

class Fuzzer {
  readonly prng: Prng;
  constructor(seed: number) {
    this.prng = new Prng(seed);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.prng.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.prng.next() < p;
  }

  small(max: number): bigint {
    return BigInt(this.prng.int(max + 1));
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.prng.fill(out);
    return out;
  }

  /** Encodes fields; each varint has a chance to become an extreme in any length. */
  encode(fields: Field[], extremeChance: number): number[] {
    const out: number[] = [];
    for (const field of fields) {
      if (field instanceof Uint8Array) {
        out.push(...field);
        continue;
      }
      const extreme = this.chance(extremeChance);
      const value = extreme ? this.pick(EXTREMES) : field;
      out.push(...varintBytes(value, extreme ? this.pick([1, 2, 4, 8]) : 1));
    }
    return out;
  }

  /** The fields of one frame of a random type, plausible values for `victim`. */
  frame(victim: PairClient): Field[] {
    const type = this.pick(Object.values(FRAME_TYPE).filter((t) => t !== 0));
    const head = Uint8Array.of(type);
    const size = BigInt(victim.size);
    switch (type) {
      case FRAME_TYPE.ping:
        return [head];
      case FRAME_TYPE.ack: {
        const extra = this.prng.int(4);
        const fields: Field[] = [
          head,
          this.small(60),
          this.small(30_000),
          BigInt(extra),
          this.small(5),
        ];
        for (let i = 0; i < extra; i++) fields.push(this.small(5), this.small(5));
        return fields;
      }
      case FRAME_TYPE.data: {
        const length = this.prng.int(80);
        const offset = this.chance(0.5) ? this.small(4096) : this.small(Number(size) + 10);
        return [head, offset, BigInt(length), this.bytes(length)];
      }
      case FRAME_TYPE.final_data: {
        const offset = this.chance(0.5) ? this.small(4096) : this.small(Number(size) + 10);
        return [head, offset, this.bytes(this.prng.int(80))];
      }
      case FRAME_TYPE.max_data:
        return [head, this.chance(0.5) ? size : this.small(1 << 24)];
      case FRAME_TYPE.hello:
        return [
          head,
          BigInt(victim.transferId),
          this.chance(0.9) ? victim.token : this.bytes(16),
          this.bytes(8),
          Uint8Array.of(victim.direction === "download" ? 0 : this.prng.int(3)),
          size,
          0n,
          1200n,
        ];
      case FRAME_TYPE.challenge:
        return [head, this.bytes(8), this.bytes(16), this.small(70_000)];
      case FRAME_TYPE.confirm:
        return [head, victim.nonce !== null && this.chance(0.7) ? victim.nonce : this.bytes(16)];
      default: {
        const reason = this.bytes(this.prng.int(30));
        return [head, this.small(8), BigInt(reason.length), reason];
      }
    }
  }

  /** A whole packet, header, 1-6 frames, maybe padding: a hello with a valid CRC. */
  packet(victim: PairClient, kind: "initial" | "short", dcid: Uint8Array, pn: bigint): Uint8Array {
    const typeByte = this.chance(0.97) ? (kind === "initial" ? 1 : 2) : this.prng.int(4);
    const fields: Field[] = [Uint8Array.of(this.chance(0.98) ? 1 : 0, typeByte), dcid, pn];
    const extremeChance = this.chance(0.5) ? 0.3 : 0;
    const bytes = this.encode(fields, this.chance(0.2) ? 1 : 0);
    const count = 1 + this.prng.int(6);
    for (let i = 0; i < count; i++) bytes.push(...this.encode(this.frame(victim), extremeChance));
    if (kind === "initial" || this.chance(0.1)) { while (bytes.length < 1200) bytes.push(0); }
    return kind === "initial" ? withCrc(bytes) : Uint8Array.from(bytes);
  }

  /** `bytes` with 1-4 bytes changed and, for a packet with a CRC, the CRC made valid again. */
  mutate(bytes: Uint8Array, checksummed = true): Uint8Array {
    const trailer = checksummed ? 4 : 0;
    const body = Array.from(bytes.subarray(0, Math.max(0, bytes.length - trailer)));
    if (body.length === 0) return withCrc([1]);
    const changes = 1 + this.prng.int(4);
    for (let i = 0; i < changes; i++) {
      const at = this.prng.int(body.length);
      body[at] = this.chance(0.3)
        ? this.pick([0x00, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xff])
        : this.prng.int(256);
    }
    if (this.chance(0.1)) body.length = this.prng.int(body.length + 1);
    return checksummed ? withCrc(body) : Uint8Array.from(body);
  }
}

function withCrc(body: number[]): Uint8Array {
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(out.subarray(0, body.length)));
  return out;
}

/** Captures what the victims' real peers send, to mutate later. Never the bystander's. */
class Recent {
  readonly items: { bytes: Uint8Array; from: string; to: string }[] = [];
  constructor(readonly exclude: string) {}
  add(bytes: Uint8Array, from: string, to: string): void {
    if (from === this.exclude || to === this.exclude) return;
    if (this.items.length >= 64) this.items.splice(0, 1);
    this.items.push({ bytes: bytes.slice(), from, to });
  }
}

function bystanderHash(pair: Pair, client: PairClient): string {
  const hash = createHash("sha256");
  let next = 0;
  for (const e of client.events) {
    if (e.kind !== "data") continue;
    assert.equal(e.offset, next, "bystander data out of order");
    hash.update(e.bytes);
    next += e.bytes.length;
  }
  void pair;
  return hash.digest("hex");
}

Deno.test("endpoint and clients survive thousands of random, mutated and extreme datagrams; a bystander ends intact", () => {
  const started = performance.now();
  const fuzz = new Fuzzer(2024);
  const recent = new Recent("10.0.0.1:4000");
  const pair = new Pair({
    seed: 77,
    transfers: [],
    transport: { receiveWindowBytes: 65_536 }, // bounds the data each pump moves
    tap: (b, from, to) => recent.add(b, from, to),
  });
  const bystander = pair.add("download", 1_000_000);
  assert.equal(bystander.address, "10.0.0.1:4000");
  let cases = 0;
  for (let batch = 0; batch < BATCHES; batch++) {
    const victims = [pair.add("download", 5_000_000), pair.add("upload", 5_000_000)];
    if (batch % 4 !== 0) pair.pump(4); // most batches hit established connections
    for (let i = 0; i < CASES_PER_BATCH; i++, cases++) {
      fuzzOne(fuzz, pair, fuzz.pick(victims), recent);
      if (i % 10 === 9) pair.pump(3);
    }
    for (const v of victims) v.connection.close(pair.now); // keep the live set small
    pair.now += 200; // let closing victims finish, so the live set stays small
    pair.step(0);
    assert.ok(
      !bystander.events.some((e) => e.kind === "failed"),
      `bystander failed in batch ${batch}`,
    );
  }
  pair.runUntil(() => pair.completed(bystander.transferId));
  const elapsed = performance.now() - started;
  assert.ok(pair.completed(bystander.transferId), "the bystander did not complete");
  assert.equal(bystanderHash(pair, bystander), new PatternSource().sha256(0, bystander.size));
  const failures = new Map<string, number>();
  for (const e of [...pair.serverEvents, ...pair.clients.flatMap((c) => c.events)]) {
    if (e.kind === "failed") failures.set(e.code, (failures.get(e.code) ?? 0) + 1);
  }
  assert.equal(failures.get("INTERNAL_ERROR") ?? 0, 0, "a connection hit an error of its own");
  assert.ok(
    (failures.get("PROTOCOL_VIOLATION") ?? 0) > 50,
    `reached few connections: ${[...failures]}`,
  );
  assert.ok(cases >= 6000);
  console.log(
    `${cases} cases in ${elapsed.toFixed(0)} ms; failures ${JSON.stringify([...failures])}`,
  );
});

function fuzzOne(fuzz: Fuzzer, pair: Pair, victim: PairClient, recent: Recent): void {
  const now = pair.now;
  const roll = fuzz.prng.int(10);
  const pn = BigInt(1000 + fuzz.prng.int(1000));
  if (roll === 0) {
    // Pure noise, sometimes with a valid CRC.
    const noise = Array.from(fuzz.bytes(fuzz.prng.int(1400)));
    const bytes = fuzz.chance(0.5) ? withCrc(noise) : Uint8Array.from(noise);
    return pair.endpoint.handleDatagram(now, bytes, fuzz.chance(0.5) ? ATTACKER : victim.address);
  }
  if (roll <= 2 && recent.items.length > 0) {
    const item = fuzz.pick(recent.items);
    // Mutated in the clear and sealed again, as the hostile sender itself would.
    const opened = openRaw(item.bytes);
    const bytes = opened === null
      ? fuzz.mutate(item.bytes)
      : sealRaw(fuzz.mutate(opened.bytes, opened.bytes[1] === 1), opened.role);
    if (item.to === SERVER_ADDRESS) return pair.endpoint.handleDatagram(now, bytes, item.from);
    const client = pair.clients.find((c) => c.address === item.to);
    return client?.connection.handleDatagram(now, bytes, SERVER_ADDRESS);
  }
  if (roll <= 4) {
    const bytes = sealRaw(fuzz.packet(victim, "initial", new Uint8Array(8), pn), "client");
    return pair.endpoint.handleDatagram(now, bytes, fuzz.chance(0.8) ? victim.address : ATTACKER);
  }
  if (roll <= 7) {
    const dcid = victim.serverCid ?? fuzz.bytes(8);
    return pair.endpoint.handleDatagram(
      now,
      sealRaw(fuzz.packet(victim, "short", dcid, pn), "client"),
      victim.address,
    );
  }
  const dcid = victim.clientCid ?? fuzz.bytes(8);
  const bytes = sealRaw(fuzz.packet(victim, "short", dcid, pn), "server");
  victim.connection.handleDatagram(now, bytes, SERVER_ADDRESS);
}

Deno.test("a download through 10,000 random datagrams aimed at both ends completes intact", () => {
  const fuzz = new Fuzzer(7);
  let injected = 0;
  let link: SimLink | null = null;
  const r = withSeed(51, () =>
    runTransfer({
      seed: 51,
      size: 3_000_000,
      toClient: { delayMs: 5 },
      toServer: { delayMs: 5 },
      onSend: (now, from, to) => {
        for (let i = 0; i < 4 && injected < 10_000; i++, injected++) {
          const noise = fuzz.bytes(1 + fuzz.prng.int(1300));
          // From the peer's own address: only the checksum stands between it and the connection.
          link!.inject(now + fuzz.prng.next() * 5, from, to, noise);
        }
      },
      before: (ctx) => {
        link = ctx.link;
      },
    }));
  assert.equal(injected, 10_000);
  assert.equal(r.receivedHash, r.expectedHash);
});

Deno.test("30,000 mutated copies of transfers' own packets, checksums fixed and resealed, never crash either end", () => {
  const fuzz = new Fuzzer(8);
  let injected = 0;
  const outcomes = new Map<string, number>();
  for (let seed = 100; injected < 30_000; seed++) {
    const direction = seed % 2 === 0 ? "download" as const : "upload" as const;
    let link: SimLink | null = null;
    const r = withSeed(seed, () =>
      runTransfer({
        seed,
        size: 200_000,
        direction,
        toClient: { delayMs: 5 },
        toServer: { delayMs: 5 },
        onSend: (now, from, to, bytes) => {
          const opened = openRaw(bytes);
          for (let i = 0; i < 8; i++, injected++) {
            // Mutated in the clear and sealed again: what a hostile peer holding the key sends.
            const mutated = opened === null
              ? fuzz.mutate(bytes)
              : sealRaw(fuzz.mutate(opened.bytes, opened.bytes[1] === 1), opened.role);
            link!.inject(now + fuzz.prng.next() * 5, from, to, mutated);
          }
        },
        before: (ctx) => {
          link = ctx.link;
        },
      }));
    const events = [...r.serverEvents, ...r.clientEvents];
    const failure = events.find((e) => e.kind === "failed");
    const outcome = failure?.kind === "failed" ? failure.code : "completed";
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    assert.notEqual(outcome, "INTERNAL_ERROR", `seed ${seed}: ${JSON.stringify(failure)}`);
    assert.equal(r.clientEvents.at(-1)?.kind, "closed", `seed ${seed}: the client never closed`);
  }
  console.log(`${injected} mutated packets: ${JSON.stringify([...outcomes])}`);
});
