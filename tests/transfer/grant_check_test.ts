import assert from "node:assert/strict";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { checkGrant, type GrantField } from "../../lib/transfer/grant_check.ts";

const FILE_SHA = "ab".repeat(32);
const PREFIX_SHA = "cd".repeat(32);
const TOKEN = "0f".repeat(16);
const KEY = "a5".repeat(32);

type Grant = ServerMessage & { type: "transfer" };

function download(overrides: Partial<Grant> = {}): Grant {
  return {
    type: "transfer",
    transfer: 7,
    name: "movie.bin",
    size: 5000,
    sha256: FILE_SHA,
    offset: 0,
    udpPort: 50_000,
    token: TOKEN,
    key: KEY,
    direction: "download",
    ...overrides,
  };
}

const GET = { type: "get", name: "movie.bin", offset: 0 } as const;
const RESUME = { type: "get", name: "movie.bin", offset: 1000, prefixSha256: PREFIX_SHA } as const;
const PUT = { type: "put", name: "report.pdf", size: 300, sha256: FILE_SHA } as const;
const UPLOAD = download({ name: "report.pdf", size: 300, direction: "upload" });

/** The field a check refused, or "ok". */
function verdict(...args: Parameters<typeof checkGrant>): GrantField | "ok" {
  const check = checkGrant(...args);
  return check.ok ? "ok" : check.field;
}

/** A grant with a field the hub's parser lets through but is not of its type. */
function hostile(field: string, value: unknown): Grant {
  return { ...download(), [field]: value } as unknown as Grant;
}

Deno.test("checkGrant accepts a download from 0 and gives the channel's terms", () => {
  const check = checkGrant(GET, download());
  assert.ok(check.ok);
  assert.deepEqual(check.grant, {
    transferId: 7,
    token: new Uint8Array(16).fill(0x0f),
    key: new Uint8Array(32).fill(0xa5),
    direction: "download",
    size: 5000,
    startOffset: 0,
    name: "movie.bin",
    sha256: FILE_SHA,
    udpPort: 50_000,
  });
});

Deno.test("checkGrant accepts a resume at the offset asked for, or the server's restart at 0", () => {
  assert.equal(verdict(RESUME, download({ offset: 1000 })), "ok");
  assert.equal(verdict(RESUME, download({ offset: 0 })), "ok");
});

Deno.test("checkGrant refuses a download at an offset the client did not ask for", () => {
  assert.equal(verdict(GET, download({ offset: 1000 })), "offset", "asked for 0");
  assert.equal(verdict(RESUME, download({ offset: 999 })), "offset", "asked for 1000");
  assert.equal(verdict(RESUME, download({ offset: 1001 })), "offset");
  assert.equal(verdict(RESUME, download({ offset: 1000, size: 999 })), "offset", "past the end");
  assert.equal(verdict(GET, hostile("offset", "0")), "offset");
  assert.equal(verdict(GET, hostile("offset", undefined)), "offset");
});

Deno.test("checkGrant refuses a grant for another name or direction", () => {
  assert.equal(verdict(GET, download({ name: "other.bin" })), "name");
  assert.equal(verdict(GET, download({ direction: "upload" })), "direction");
  assert.equal(verdict(PUT, download({ name: "report.pdf", size: 300 })), "direction");
});

Deno.test("checkGrant matches names as the hub spells them, in NFC", () => {
  const nfd = { type: "get", name: "cafe\u0301.txt", offset: 0 } as const;
  assert.equal(verdict(nfd, download({ name: "caf\u00e9.txt" })), "ok");
  assert.equal(verdict(nfd, download({ name: "cafe\u0301.txt" })), "name", "the hub sends NFC");
});

Deno.test("checkGrant refuses an upload grant whose size, hash or offset is not the offer", () => {
  assert.equal(verdict(PUT, UPLOAD), "ok");
  assert.equal(verdict(PUT, { ...UPLOAD, size: 301 }), "size");
  assert.equal(verdict(PUT, { ...UPLOAD, sha256: PREFIX_SHA }), "sha256");
  assert.equal(verdict(PUT, { ...UPLOAD, offset: 100 }), "offset");
  const upper = { ...PUT, sha256: FILE_SHA.toUpperCase() };
  assert.equal(verdict(upper, UPLOAD), "ok", "the hub lower-cases the offered hash");
});

Deno.test("checkGrant refuses malformed fields instead of opening a channel with them", () => {
  assert.equal(verdict(GET, download({ transfer: -1 })), "transfer");
  assert.equal(verdict(GET, download({ transfer: 2 ** 53 })), "transfer");
  assert.equal(verdict(GET, download({ size: -1 })), "size");
  assert.equal(verdict(GET, download({ size: 1.5 })), "size");
  assert.equal(verdict(GET, download({ sha256: "ab" })), "sha256");
  assert.equal(verdict(GET, download({ sha256: FILE_SHA.toUpperCase() })), "sha256");
  assert.equal(verdict(GET, hostile("sha256", undefined)), "sha256");
  assert.equal(verdict(GET, download({ token: "0f".repeat(15) })), "token", "15 bytes");
  assert.equal(verdict(GET, download({ token: "zz".repeat(16) })), "token");
  assert.equal(verdict(GET, download({ key: "a5".repeat(31) })), "key", "31 bytes");
  assert.equal(verdict(GET, hostile("key", undefined)), "key");
  assert.equal(verdict(GET, download({ udpPort: 0 })), "udpPort");
  assert.equal(verdict(GET, download({ udpPort: 65_536 })), "udpPort");
  assert.equal(verdict(GET, hostile("udpPort", "50000")), "udpPort");
});

Deno.test("checkGrant refuses a reply that is not a grant, naming it", () => {
  const check = checkGrant(GET, { type: "ok", ts: 1 });
  assert.deepEqual(check, { ok: false, field: "type", message: "Unexpected reply 'ok'" });
});
