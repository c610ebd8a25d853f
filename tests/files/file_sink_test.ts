import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { FileSink, type SinkFile } from "../../lib/files/file_sink.ts";

const MIB = 1024 * 1024;

/** Runs `fn` with a fresh temporary folder, removed afterwards whatever happens. */
async function withFolder(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "file_sink_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A real file whose writes fail like a full disk once `room` bytes have been written. */
interface FullDisk {
  open: (path: string, options: Deno.OpenOptions) => Promise<SinkFile>;
  /** Whether the file handed out was closed. */
  closed: boolean;
  /** Bytes the disk may take from now on. */
  room: number;
}

function fullDisk(room: number): FullDisk {
  const disk: FullDisk = {
    closed: false,
    room,
    open: async (path, options) => {
      const file = await Deno.open(path, options);
      return {
        read: (p) => file.read(p),
        truncate: (n) => file.truncate(n),
        seek: (offset, whence) => file.seek(offset, whence),
        writeSync: (bytes) => {
          if (disk.room <= 0) throw new Error("No space left on device (os error 28)");
          const n = file.writeSync(bytes.subarray(0, Math.min(bytes.length, disk.room)));
          disk.room -= n;
          return n;
        },
        close: () => {
          file.close();
          disk.closed = true;
        },
      };
    },
  };
  return disk;
}

function bytes(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

Deno.test("FileSink.close closes the file when its last flush fails on a full disk", async () => {
  await withFolder(async (dir) => {
    const disk = fullDisk(0);
    let released = 0;
    const sink = await FileSink.open(join(dir, "x.part"), {
      open: disk.open,
      onReleased: () => released++,
    });
    sink.write(0, bytes(1000)); // buffered: nothing reaches the disk yet
    const failure = sink.close();
    assert.match(String(failure?.message), /No space left/);
    assert.equal(disk.closed, true, "the file was closed");
    assert.equal(released, 1);
    assert.equal(sink.close(), null, "a second close does nothing");
    assert.equal(released, 1);
  });
});

Deno.test("FileSink.finish closes the file and throws when the final flush fails", async () => {
  await withFolder(async (dir) => {
    const disk = fullDisk(0);
    let released = 0;
    const sink = await FileSink.open(join(dir, "x.part"), {
      open: disk.open,
      onReleased: () => released++,
    });
    sink.write(0, bytes(1000));
    assert.throws(() => sink.finish(), /No space left/);
    assert.equal(disk.closed, true);
    assert.equal(released, 1);
  });
});

Deno.test("FileSink.write that fills the disk throws, then refuses to write on", async () => {
  await withFolder(async (dir) => {
    const disk = fullDisk(MIB / 2);
    const sink = await FileSink.open(join(dir, "x.part"), { open: disk.open });
    sink.write(0, bytes(MIB));
    assert.throws(() => sink.write(MIB, bytes(10)), /No space left/);
    assert.throws(() => sink.write(MIB, bytes(10)), /No space left/, "the sink stays failed");
    assert.equal(sink.size, MIB, "the refused bytes were not counted");
    sink.close();
    assert.equal(disk.closed, true);
  });
});

Deno.test("FileSink goes on from where a flush cut short stopped, writing nothing twice", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "x.part");
    const disk = fullDisk(1000);
    const sink = await FileSink.open(path, { open: disk.open });
    const data = bytes(MIB);
    sink.write(0, data);
    assert.throws(() => sink.write(MIB, bytes(10)), /No space left/);
    disk.room = Infinity; // space freed: the close flushes the rest
    assert.equal(sink.close(), null);
    assert.deepEqual(await Deno.readFile(path), data);
  });
});

Deno.test("FileSink resumes a part file a full disk cut short, and ends with the right hash", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "x.part");
    const disk = fullDisk(1000);
    const sink = await FileSink.open(path, { open: disk.open });
    const data = bytes(5000);
    sink.write(0, data);
    assert.match(String(sink.close()?.message), /No space left/);
    assert.equal((await Deno.stat(path)).size, 1000, "what fitted is kept");
    const resumed = await FileSink.open(path);
    assert.equal(resumed.size, 1000);
    resumed.write(1000, data.subarray(1000));
    const digest = resumed.finish();
    assert.deepEqual(await Deno.readFile(path), data);
    assert.equal(digest, createHash("sha256").update(data).digest("hex"));
  });
});

Deno.test("FileSink.open keeps and hashes what is there, cut at the limit", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "x.part");
    const data = bytes(3000);
    await Deno.writeFile(path, data);
    const sink = await FileSink.open(path, { limit: 1200 });
    assert.equal(sink.size, 1200);
    assert.equal(
      sink.digestSoFar(),
      createHash("sha256").update(data.subarray(0, 1200)).digest("hex"),
    );
    sink.close();
    assert.equal((await Deno.stat(path)).size, 1200);
  });
});

Deno.test("FileSink.open with createNew refuses anything already there, FIFOs included", async () => {
  await withFolder(async (dir) => {
    await Deno.writeTextFile(join(dir, "file"), "x");
    const fifo = await new Deno.Command("mkfifo", { args: [join(dir, "fifo")] }).output();
    assert.ok(fifo.success);
    await Deno.symlink(join(dir, "elsewhere"), join(dir, "link"));
    for (const name of ["file", "fifo", "link"]) {
      let released = 0;
      await assert.rejects(
        FileSink.open(join(dir, name), { createNew: true, onReleased: () => released++ }),
        Deno.errors.AlreadyExists,
        name,
      );
      assert.equal(released, 1, name);
    }
    await assert.rejects(Deno.lstat(join(dir, "elsewhere")), Deno.errors.NotFound);
  });
});

Deno.test("FileSink refuses writes out of order and after it is closed", async () => {
  await withFolder(async (dir) => {
    const sink = await FileSink.open(join(dir, "x.part"));
    assert.throws(() => sink.write(5, bytes(1)), RangeError);
    sink.close();
    assert.throws(() => sink.write(0, bytes(1)), TypeError);
    assert.throws(() => sink.finish(), TypeError);
  });
});

Deno.test("FileSink hashes buffered bytes too: digestSoFar and finish cover every write", async () => {
  await withFolder(async (dir) => {
    const sink = await FileSink.open(join(dir, "a.part"));
    const pieces = [new Uint8Array(1472).fill(1), new Uint8Array(MIB).fill(2), new Uint8Array(9)];
    const all = createHash("sha256");
    let offset = 0;
    for (const piece of pieces) {
      sink.write(offset, piece);
      offset += piece.length;
      all.update(piece);
      assert.equal(sink.digestSoFar(), all.copy().digest("hex"));
    }
    const big = new Uint8Array(2 * MIB).fill(3); // larger than the buffer: written directly
    sink.write(offset, big);
    all.update(big);
    assert.equal(sink.finish(), all.digest("hex"));
  });
});
