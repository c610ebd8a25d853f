import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { FileAccessError } from "../../lib/files/file_access_error.ts";
import { FileSource } from "../../lib/files/file_source.ts";

/** Runs `fn` with a fresh temporary folder, removed afterwards whatever happens. */
async function withFolder(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "file_source_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function bytes(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof FileAccessError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 5));
  }
}

Deno.test("FileSource.open gives up on a FIFO at the timeout and releases when the open returns", async () => {
  await withFolder(async (dir) => {
    const fifo = join(dir, "pipe");
    assert.ok((await new Deno.Command("mkfifo", { args: [fifo] }).output()).success);
    let released = 0;
    const started = performance.now();
    await rejectsWith(
      FileSource.open(fifo, { timeoutMs: 100, label: "'pipe'", onReleased: () => released++ }),
      "TRANSFER_REFUSED",
      /^'pipe' did not open within 100 ms$/,
    );
    assert.ok(performance.now() - started < 1000, "refused at the timeout");
    assert.equal(released, 0, "the open still runs: its slot is still held");
    // A writer lets the abandoned open return; its handle is closed at once.
    const writer = await Deno.open(fifo, { write: true });
    await until("the abandoned open to be released", () => released === 1);
    writer.close();
  });
});

Deno.test("FileSource.open refuses what opens but is not a regular file", async () => {
  await withFolder(async (dir) => {
    for (const path of [dir, "/dev/null"]) {
      let released = 0;
      await rejectsWith(
        FileSource.open(path, { onReleased: () => released++ }),
        "TRANSFER_REFUSED",
        /is not a regular file/,
      );
      assert.equal(released, 1, path);
    }
  });
});

Deno.test("FileSource.open answers NO_SUCH_FILE for a missing file", async () => {
  await withFolder(async (dir) => {
    let released = 0;
    await rejectsWith(
      FileSource.open(join(dir, "gone"), { label: "'gone'", onReleased: () => released++ }),
      "NO_SUCH_FILE",
      /^No file 'gone'$/,
    );
    assert.equal(released, 1);
  });
});

Deno.test("FileSource.sha256 hashes the opened file, not what its path names later", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "a.bin");
    const original = bytes(3 * 1024 * 1024 + 5);
    await Deno.writeFile(path, original);
    const source = await FileSource.open(path);
    try {
      await Deno.remove(path);
      await Deno.symlink("/etc/hostname", path);
      assert.equal(await source.sha256(original.length), sha256(original));
      assert.equal(await source.sha256(1000), sha256(original.subarray(0, 1000)));
      assert.deepEqual(source.read(5, 10), original.subarray(5, 15), "and serves the same file");
    } finally {
      source.close();
    }
  });
});

Deno.test("FileSource.sha256 rejects when the file shrank since it was opened", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "a.bin");
    await Deno.writeFile(path, bytes(10_000));
    const source = await FileSource.open(path);
    try {
      await Deno.truncate(path, 100);
      await rejectsWith(source.sha256(10_000), "TRANSFER_REFUSED", /shrank/);
    } finally {
      source.close();
    }
  });
});

Deno.test("FileSource.sha256 stops when its signal is aborted and counts what it read", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "a.bin");
    await Deno.writeFile(path, bytes(4 * 1024 * 1024));
    const source = await FileSource.open(path);
    try {
      const stop = new AbortController();
      let read = 0;
      const hashing = source.sha256(4 * 1024 * 1024, {
        signal: stop.signal,
        onRead: (n) => {
          read += n;
          stop.abort(new Error("stopping"));
        },
      });
      await assert.rejects(hashing, /stopping/);
      assert.equal(read, 1024 * 1024, "one block, then it stopped");
    } finally {
      source.close();
    }
  });
});

Deno.test("FileSource.read serves bytes at offsets and throws past the end", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "a.bin");
    const data = bytes(2 * 1024 * 1024 + 10);
    await Deno.writeFile(path, data);
    let released = 0;
    const source = await FileSource.open(path, { onReleased: () => released++ });
    assert.equal(source.info.size, data.length);
    assert.deepEqual(source.read(0, 100), data.subarray(0, 100));
    assert.deepEqual(
      source.read(1024 * 1024 + 3, 50),
      data.subarray(1024 * 1024 + 3, 1024 * 1024 + 53),
    );
    assert.deepEqual(source.read(0, data.length), data, "a read larger than a block");
    assert.throws(() => source.read(data.length - 5, 10), RangeError);
    source.close();
    source.close();
    assert.equal(released, 1);
  });
});
