/**
 * What sealing one file-channel datagram costs, by library: seal (encrypt and tag) and open
 * (check and decrypt) of 1,200- and 1,472-byte datagrams with the header as associated data and
 * a fresh nonce per datagram, as the channel does. `node:crypto` needs a cipher object per
 * datagram (that is its API); WebCrypto is awaited one at a time and 64 in flight; libsodium
 * (npm `libsodium-wrappers-sumo`, WebAssembly) and `@noble/ciphers` (plain JavaScript) are
 * measured when they load. Wall time and CPU are per datagram; "main-thread CPU" is what the
 * event loop's thread pays (WebCrypto works on other threads), read from
 * /proc/self/task/PID/stat. Writes the `## File channel: the cost of sealing` section of
 * bench/RESULTS.md.
 *
 * Run: deno run -A bench/rudp_seal_cost.ts [--quick] [--no-write]
 *
 * @module
 */

import { createCipheriv, createDecipheriv } from "node:crypto";
import { runSectionBench } from "./rudp.ts";
import { ownCpuMs, parseCpuMs, readProcFile } from "./lib/proc_stats.ts";
import { waitForQuietMachine } from "./lib/quiet_machine.ts";

/** Heading of the section this benchmark writes. */
export const SEAL_COST_HEADING = "## File channel: the cost of sealing";
const SIZES = [1200, 1472];
const HEADER_BYTES = 12;
const TAG_BYTES = 16;
const BATCH = 64;

type Bytes = Uint8Array<ArrayBuffer>;

/** One way of sealing: a seal and an open of `plain` (the header is `aad`) by datagram number. */
interface Method {
  name: string;
  seal(n: number, aad: Bytes, plain: Bytes): Uint8Array | Promise<Uint8Array>;
  open(n: number, aad: Bytes, sealed: Bytes): Uint8Array | Promise<Uint8Array>;
  /** In flight at once: 1 awaits each before the next. */
  batch: number;
}

/** Per datagram, µs. */
interface Cost {
  wallUs: number;
  cpuUs: number;
  mainUs: number;
}

interface Row {
  method: string;
  bytes: number;
  seal: Cost;
  open: Cost;
}

const KEY16 = new Uint8Array(16).fill(7);
const KEY32 = new Uint8Array(32).fill(7);
const IV = new Uint8Array(12).fill(3);

function nonce(n: number): Bytes {
  const out = IV.slice();
  const view = new DataView(out.buffer);
  view.setUint32(8, view.getUint32(8) ^ n);
  return out;
}

function nodeMethod(name: string, cipher: "aes-128-gcm" | "chacha20-poly1305"): Method {
  const key = cipher === "aes-128-gcm" ? KEY16 : KEY32;
  return {
    name,
    batch: 1,
    seal(n, aad, plain) {
      const c = cipher === "aes-128-gcm"
        ? createCipheriv(cipher, key, nonce(n), { authTagLength: TAG_BYTES })
        : createCipheriv(cipher, key, nonce(n), { authTagLength: TAG_BYTES });
      c.setAAD(aad, { plaintextLength: plain.length });
      const body = c.update(plain);
      c.final();
      const out = new Uint8Array(body.length + TAG_BYTES);
      out.set(body);
      out.set(c.getAuthTag(), body.length);
      return out;
    },
    open(n, aad, sealed) {
      const d = cipher === "aes-128-gcm"
        ? createDecipheriv(cipher, key, nonce(n), { authTagLength: TAG_BYTES })
        : createDecipheriv(cipher, key, nonce(n), { authTagLength: TAG_BYTES });
      d.setAAD(aad, { plaintextLength: sealed.length - TAG_BYTES });
      d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
      d.final(); // Throws on a bad tag.
      return plain;
    },
  };
}

async function webCryptoMethod(batch: number): Promise<Method> {
  const key = await crypto.subtle.importKey("raw", KEY16, "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);
  const params = (n: number, aad: Bytes) => ({
    name: "AES-GCM",
    iv: nonce(n),
    additionalData: aad,
    tagLength: 128,
  });
  return {
    name: batch === 1
      ? "WebCrypto AES-128-GCM, awaited"
      : `WebCrypto AES-128-GCM, ${batch} in flight`,
    batch,
    seal: async (n, aad, plain) =>
      new Uint8Array(await crypto.subtle.encrypt(params(n, aad), key, plain)),
    open: async (n, aad, sealed) =>
      new Uint8Array(await crypto.subtle.decrypt(params(n, aad), key, sealed)),
  };
}

/**
 * The npm specifier of a package only this benchmark loads, at run time: the product depends on
 * none of them, so they stay out of deno.json and out of the type check.
 */
function BENCH_ONLY(name: string): string {
  return `npm:${name}`;
}

/** What the benchmark uses of libsodium-wrappers. */
interface Sodium {
  ready: Promise<void>;
  crypto_aead_chacha20poly1305_ietf_encrypt(
    m: Uint8Array,
    ad: Uint8Array,
    nsec: null,
    nonce: Uint8Array,
    key: Uint8Array,
  ): Uint8Array;
  crypto_aead_chacha20poly1305_ietf_decrypt(
    nsec: null,
    c: Uint8Array,
    ad: Uint8Array,
    nonce: Uint8Array,
    key: Uint8Array,
  ): Uint8Array;
}

/** What the benchmark uses of @noble/ciphers. */
interface Noble {
  chacha20poly1305(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array): {
    encrypt(plain: Uint8Array): Uint8Array;
    decrypt(sealed: Uint8Array): Uint8Array;
  };
}

async function sodiumMethod(): Promise<Method | string> {
  try {
    const sodium: Sodium = (await import(BENCH_ONLY("libsodium-wrappers-sumo@0.8.4"))).default;
    await sodium.ready;
    return {
      name: "libsodium ChaCha20-Poly1305 (WebAssembly)",
      batch: 1,
      seal: (n, aad, plain) =>
        sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plain, aad, null, nonce(n), KEY32),
      open: (n, aad, sealed) =>
        sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, sealed, aad, nonce(n), KEY32),
    };
  } catch (error) {
    return `libsodium did not load: ${String(error)}`;
  }
}

async function nobleMethod(): Promise<Method | string> {
  try {
    const { chacha20poly1305 }: Noble = await import(BENCH_ONLY("@noble/ciphers@2.4.0/chacha.js"));
    return {
      name: "@noble/ciphers ChaCha20-Poly1305 (JavaScript)",
      batch: 1,
      seal: (n, aad, plain) => chacha20poly1305(KEY32, nonce(n), aad).encrypt(plain),
      open: (n, aad, sealed) => chacha20poly1305(KEY32, nonce(n), aad).decrypt(sealed),
    };
  } catch (error) {
    return `@noble/ciphers did not load: ${String(error)}`;
  }
}

/** CPU ms of this process's main thread (the event loop's), at 10 ms resolution. */
async function mainThreadCpuMs(): Promise<number> {
  // `cat` has a /proc/self of its own: ask for ours by pid (the main thread's tid is the pid).
  const stat = await readProcFile(`/proc/${Deno.pid}/task/${Deno.pid}/stat`);
  return (stat === null ? null : parseCpuMs(stat)) ?? NaN;
}

async function time(
  count: number,
  run: (i: number) => unknown | Promise<unknown>,
  batch: number,
): Promise<Cost> {
  const main0 = await mainThreadCpuMs();
  const cpu0 = ownCpuMs();
  const t0 = performance.now();
  if (batch === 1) {
    for (let i = 0; i < count; i++) {
      const r = run(i);
      if (r instanceof Promise) await r;
    }
  } else {
    for (let i = 0; i < count; i += batch) {
      const wave: unknown[] = [];
      for (let j = i; j < Math.min(count, i + batch); j++) wave.push(run(j));
      await Promise.all(wave);
    }
  }
  const wall = performance.now() - t0;
  const cpu = ownCpuMs() - cpu0;
  const main = await mainThreadCpuMs() - main0;
  const us = (ms: number) => 1000 * ms / count;
  return { wallUs: us(wall), cpuUs: us(cpu), mainUs: us(main) };
}

async function measureOne(method: Method, bytes: number, count: number): Promise<Row> {
  const aad = new Uint8Array(HEADER_BYTES).fill(2);
  const plain = new Uint8Array(bytes - HEADER_BYTES - TAG_BYTES).fill(5);
  // Warm up, and keep sealed copies for the open runs.
  const sealed: Bytes[] = [];
  for (let i = 0; i < 256; i++) sealed.push(new Uint8Array(await method.seal(i, aad, plain)));
  for (let i = 0; i < 256; i++) await method.open(i, aad, sealed[i]!);
  await waitForQuietMachine({ maxWaitMs: 20_000 });
  const seal = await time(count, (i) => method.seal(i, aad, plain), method.batch);
  const open = await time(count, (i) => method.open(i & 255, aad, sealed[i & 255]!), method.batch);
  return { method: method.name, bytes, seal, open };
}

async function measure(count: number): Promise<{ rows: Row[]; notes: string[] }> {
  const methods: Method[] = [
    nodeMethod("node:crypto AES-128-GCM", "aes-128-gcm"),
    nodeMethod("node:crypto ChaCha20-Poly1305", "chacha20-poly1305"),
    await webCryptoMethod(1),
    await webCryptoMethod(BATCH),
  ];
  const notes: string[] = [];
  for (const extra of [await sodiumMethod(), await nobleMethod()]) {
    if (typeof extra === "string") notes.push(extra);
    else methods.push(extra);
  }
  const rows: Row[] = [];
  for (const method of methods) {
    for (const bytes of SIZES) {
      const row = await measureOne(method, bytes, count);
      console.error(`seal cost: ${row.method} ${bytes} B: seal ${row.seal.wallUs.toFixed(1)} µs`);
      rows.push(row);
    }
  }
  return { rows, notes };
}

function render(result: { rows: Row[]; notes: string[] }, command: string, count: number): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const f = (n: number) => n.toFixed(1);
  const lines = [
    SEAL_COST_HEADING,
    "",
    `Run ${date} with \`${command}\`: ${count.toLocaleString("en-US")} seals, then as many ` +
    "opens, of one datagram at a time (each with its own nonce, a 12-byte header as associated " +
    "data and a 16-byte tag; the datagram size includes both). µs per datagram: wall time, CPU " +
    "of the whole process, and CPU of the main thread (the event loop; /proc ticks of 10 ms).",
    "",
    "| library and way | datagram | seal wall | seal CPU | seal main thread | open wall | open CPU | open main thread |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.method} | ${r.bytes} | ${f(r.seal.wallUs)} | ${f(r.seal.cpuUs)} | ${
        f(r.seal.mainUs)
      } | ${f(r.open.wallUs)} | ${f(r.open.cpuUs)} | ${f(r.open.mainUs)} |`,
    );
  }
  for (const note of result.notes) lines.push("", note);
  return lines.join("\n");
}

if (import.meta.main) {
  await runSectionBench("rudp_seal_cost.ts", SEAL_COST_HEADING, async (quick, command) => {
    const count = quick ? 5_000 : 50_000;
    return render(await measure(count), command, count);
  });
}
