/**
 * SourceHashes over fake opened files: who reads, how much, and how many at once.
 */
import assert from "node:assert/strict";
import { FileSource, type SourceFile } from "../../lib/files/file_source.ts";
import { GrantLedger, type Ticket } from "../../lib/transfer/grant_ledger.ts";
import { SourceHashes } from "../../lib/transfer/source_hashes.ts";

const MIB = 1024 * 1024;

/** What the fake files saw. */
class Probe {
  bytes = 0;
  reading = 0;
  maxReading = 0;
}

/** Opens a fake file of `size` bytes with inode `ino`; its reads yield to the event loop. */
function fakeSource(ino: number, size: number, probe: Probe): Promise<FileSource> {
  let position = 0;
  const file: SourceFile = {
    stat: () => Promise.resolve(fakeInfo(ino, size)),
    seek: (offset) => Promise.resolve(position = Number(offset)),
    read: async (into) => {
      if (position === 0) probe.maxReading = Math.max(probe.maxReading, ++probe.reading);
      await new Promise((wake) => setTimeout(wake, 0));
      const n = Math.min(into.length, size - position);
      if (n <= 0) return null;
      position += n;
      probe.bytes += n;
      if (position >= size) probe.reading--;
      return n;
    },
    readSync: () => null,
    seekSync: () => 0,
    close: () => {},
  };
  return FileSource.open(`fake-${ino}`, { open: () => Promise.resolve(file) });
}

function fakeInfo(ino: number, size: number): Deno.FileInfo {
  const fields = { isFile: true, size, ino, dev: 1, mtime: new Date(5), ctime: new Date(5) };
  return fields as unknown as Deno.FileInfo;
}

function reserve(ledger: GrantLedger, conn: number): Ticket {
  const reservation = ledger.reserve(conn);
  assert.ok(reservation.ok);
  return reservation.ticket;
}

Deno.test("SourceHashes reads one file version once for 40 requests from 5 connections", async () => {
  const ledger = new GrantLedger();
  const hashes = new SourceHashes(ledger, new AbortController().signal);
  const probe = new Probe();
  const requests: Promise<string>[] = [];
  for (let i = 0; i < 40; i++) {
    const source = await fakeSource(1, 4 * MIB, probe);
    requests.push(hashes.hash(reserve(ledger, i % 5), "a.bin", source, 4 * MIB));
  }
  assert.equal(new Set(await Promise.all(requests)).size, 1);
  assert.equal(probe.bytes, 4 * MIB);
  assert.equal(hashes.hashedBytes, 4 * MIB);
});

Deno.test("SourceHashes hashes one file at a time per connection, others in parallel", async () => {
  for (const [connections, expected] of [[1, 1], [4, 4]] as const) {
    const ledger = new GrantLedger();
    const hashes = new SourceHashes(ledger, new AbortController().signal);
    const probe = new Probe();
    const requests: Promise<string>[] = [];
    for (let ino = 1; ino <= 4; ino++) {
      const source = await fakeSource(ino, 3 * MIB, probe);
      requests.push(hashes.hash(reserve(ledger, ino % connections), "a.bin", source, 3 * MIB));
    }
    assert.equal(new Set(await Promise.all(requests)).size, 1, "same bytes, same hash");
    assert.equal(probe.maxReading, expected, `${connections} connection(s)`);
    assert.equal(probe.bytes, 4 * 3 * MIB, "four versions, each read once");
  }
});

Deno.test("SourceHashes refuses a request whose connection left while it waited its turn", async () => {
  const ledger = new GrantLedger();
  const hashes = new SourceHashes(ledger, new AbortController().signal);
  const probe = new Probe();
  const first = hashes.hash(reserve(ledger, 1), "a.bin", await fakeSource(1, MIB, probe), MIB);
  const waiting = hashes.hash(reserve(ledger, 1), "b.bin", await fakeSource(2, MIB, probe), MIB);
  ledger.cancelConnection(1);
  await first;
  await assert.rejects(waiting, /connection is gone/);
  assert.equal(probe.bytes, MIB, "the second file was never read");
});

Deno.test("SourceHashes stops hashing when the server stops", async () => {
  const ledger = new GrantLedger();
  const stopping = new AbortController();
  const hashes = new SourceHashes(ledger, stopping.signal);
  const probe = new Probe();
  const hashing = hashes.hash(
    reserve(ledger, 1),
    "a.bin",
    await fakeSource(1, 8 * MIB, probe),
    8 * MIB,
  );
  const queued = hashes.hash(reserve(ledger, 1), "b.bin", await fakeSource(2, MIB, probe), MIB);
  stopping.abort(new Error("stopping"));
  await assert.rejects(hashing, /stopping/);
  await assert.rejects(queued, /stopping/);
  assert.ok(probe.bytes < 8 * MIB);
});
