import assert from "node:assert/strict";
import { join } from "node:path";
import { FileAccessError, SharedFolder } from "../../lib/files/shared_folder.ts";

/** Runs `fn` with a fresh temporary folder, removed afterwards whatever happens. */
async function withFolder(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "shared_folder_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function write(dir: string, name: string, size: number): Promise<void> {
  await Deno.writeFile(join(dir, name), new Uint8Array(size).fill(0x41));
}

async function makeFifo(path: string): Promise<void> {
  const { success } = await new Deno.Command("mkfifo", { args: [path] }).output();
  assert.ok(success, "mkfifo failed");
}

/** Asserts `promise` rejects with a FileAccessError of `code`. */
async function rejectsWith(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof FileAccessError, `${what}: ${error}`);
    assert.equal(error.code, code, what);
    return true;
  });
}

Deno.test("SharedFolder lists regular files with their sizes, sorted by name", async () => {
  await withFolder(async (dir) => {
    await write(dir, "b.txt", 20);
    await write(dir, "a.bin", 0);
    await write(dir, "C.md", 3);
    await write(dir, "é.txt", 1);
    const files = await new SharedFolder(dir).list();
    assert.deepEqual(files, [
      { name: "C.md", size: 3 },
      { name: "a.bin", size: 0 },
      { name: "b.txt", size: 20 },
      { name: "é.txt", size: 1 },
    ]);
  });
});

Deno.test("SharedFolder lists nothing for an empty folder", async () => {
  await withFolder(async (dir) => {
    assert.deepEqual(await new SharedFolder(dir).list(), []);
  });
});

Deno.test("SharedFolder leaves out hidden files, folders, links, FIFOs and unsafe names", async () => {
  await withFolder(async (dir) => {
    await write(dir, "shown.txt", 5);
    await write(dir, ".hidden", 5);
    await write(dir, "line\nbreak", 5);
    await write(dir, " padded", 5);
    await Deno.mkdir(join(dir, "sub"));
    await write(join(dir, "sub"), "inner.txt", 5);
    await Deno.symlink(join(dir, "shown.txt"), join(dir, "link.txt"));
    await Deno.symlink(join(dir, "missing"), join(dir, "dangling.txt"));
    await makeFifo(join(dir, "pipe"));
    assert.deepEqual(await new SharedFolder(dir).list(), [{ name: "shown.txt", size: 5 }]);
  });
});

Deno.test("SharedFolder makes a relative path absolute and normal", () => {
  const folder = new SharedFolder("files/../shared/.");
  assert.equal(folder.path, join(Deno.cwd(), "shared"));
});

Deno.test("SharedFolder resolves an existing file to its path inside the folder and size", async () => {
  await withFolder(async (dir) => {
    await write(dir, "notes.txt", 1234);
    const resolved = await new SharedFolder(dir).resolveExisting("notes.txt");
    assert.equal(resolved.path, join(dir, "notes.txt"));
    assert.equal(resolved.info.size, 1234);
    assert.ok(resolved.info.isFile);
  });
});

Deno.test("SharedFolder answers NO_SUCH_FILE for a file that is not there", async () => {
  await withFolder(async (dir) => {
    await rejectsWith(new SharedFolder(dir).resolveExisting("nope.txt"), "NO_SUCH_FILE", "nope");
  });
});

Deno.test("SharedFolder refuses to serve names that climb out or are hidden", async () => {
  await withFolder(async (dir) => {
    await Deno.mkdir(join(dir, "inner"));
    await write(dir, "secret.txt", 1);
    await write(dir, ".env", 1);
    const folder = new SharedFolder(join(dir, "inner"));
    for (const name of ["../secret.txt", "..", ".", ".env", "", "a/b", "..\\secret.txt"]) {
      await rejectsWith(folder.resolveExisting(name), "TRANSFER_REFUSED", JSON.stringify(name));
    }
    await rejectsWith(new SharedFolder(dir).resolveExisting(".env"), "TRANSFER_REFUSED", ".env");
  });
});

Deno.test("SharedFolder refuses to serve links, folders and FIFOs", async () => {
  await withFolder(async (dir) => {
    await write(dir, "real.txt", 3);
    await Deno.symlink(join(dir, "real.txt"), join(dir, "link.txt"));
    await Deno.symlink("/etc/passwd", join(dir, "passwd"));
    await Deno.mkdir(join(dir, "folder"));
    await makeFifo(join(dir, "pipe"));
    const folder = new SharedFolder(dir);
    for (const name of ["link.txt", "passwd", "folder", "pipe"]) {
      await rejectsWith(folder.resolveExisting(name), "TRANSFER_REFUSED", name);
    }
  });
});

Deno.test("SharedFolder gives the path a new file would take inside the folder", async () => {
  await withFolder(async (dir) => {
    assert.equal(await new SharedFolder(dir).resolveNew("upload.bin"), join(dir, "upload.bin"));
  });
});

Deno.test("SharedFolder refuses a new file whose name is taken by anything", async () => {
  await withFolder(async (dir) => {
    await write(dir, "taken.txt", 1);
    await Deno.mkdir(join(dir, "folder"));
    await Deno.symlink(join(dir, "missing"), join(dir, "dangling"));
    const folder = new SharedFolder(dir);
    for (const name of ["taken.txt", "folder", "dangling"]) {
      await rejectsWith(folder.resolveNew(name), "TRANSFER_REFUSED", name);
    }
  });
});

Deno.test("SharedFolder refuses a new file with an unsafe name", async () => {
  await withFolder(async (dir) => {
    const folder = new SharedFolder(dir);
    for (const name of ["../escape.txt", ".hidden", "a/b", "x\u0000y", "", "end "]) {
      await rejectsWith(folder.resolveNew(name), "TRANSFER_REFUSED", JSON.stringify(name));
    }
  });
});

Deno.test({
  name: "SharedFolder refuses a new file whose name is longer than 255 UTF-8 bytes",
  async fn() {
    await withFolder(async (dir) => {
      const name = "é".repeat(200);
      await rejectsWith(new SharedFolder(dir).resolveNew(name), "TRANSFER_REFUSED", "long");
    });
  },
});

Deno.test("FileAccessError is an Error carrying its code", () => {
  const error = new FileAccessError("NO_SUCH_FILE", "No file named 'x'");
  assert.ok(error instanceof Error);
  assert.equal(error.name, "FileAccessError");
  assert.equal(error.code, "NO_SUCH_FILE");
  assert.equal(error.message, "No file named 'x'");
});

Deno.test("SharedFolder opens a shared file and serves it from the handle it checked", async () => {
  await withFolder(async (dir) => {
    await write(dir, "notes.txt", 1234);
    let released = 0;
    const source = await new SharedFolder(dir).openExisting("notes.txt", () => released++);
    assert.equal(source.info.size, 1234);
    assert.deepEqual(source.read(0, 3), new Uint8Array(3).fill(0x41));
    source.close();
    assert.equal(released, 1);
  });
});

Deno.test("SharedFolder.openExisting refuses what resolveExisting refuses, releasing once", async () => {
  await withFolder(async (dir) => {
    await write(dir, "real.txt", 3);
    await Deno.symlink(join(dir, "real.txt"), join(dir, "link.txt"));
    await makeFifo(join(dir, "pipe"));
    const folder = new SharedFolder(dir);
    for (
      const [name, code] of [["link.txt", "TRANSFER_REFUSED"], ["pipe", "TRANSFER_REFUSED"], [
        "../x",
        "TRANSFER_REFUSED",
      ], ["nope", "NO_SUCH_FILE"]]
    ) {
      let released = 0;
      await rejectsWith(folder.openExisting(name!, () => released++), code!, name!);
      assert.equal(released, 1, name);
    }
  });
});

Deno.test("SharedFolder.openExisting refuses a file replaced between the check and the open", async () => {
  await withFolder(async (dir) => {
    await write(dir, "a.txt", 10);
    await write(dir, "other.txt", 20);
    const folder = new SharedFolder(dir, {
      open: async (path, how) => {
        await Deno.rename(join(dir, "other.txt"), path); // another file takes the name
        return await Deno.open(path, how);
      },
    });
    let released = 0;
    await assert.rejects(
      folder.openExisting("a.txt", () => released++),
      (error: unknown) =>
        error instanceof FileAccessError && /changed while opening/.test(error.message),
    );
    assert.equal(released, 1);
  });
});

Deno.test("SharedFolder.openExisting gives up on an open that does not return in time", async () => {
  await withFolder(async (dir) => {
    await write(dir, "slow.txt", 10);
    const { promise: never } = Promise.withResolvers<never>();
    const folder = new SharedFolder(dir, { openTimeoutMs: 50, open: () => never });
    let released = 0;
    await rejectsWith(
      folder.openExisting("slow.txt", () => released++),
      "TRANSFER_REFUSED",
      "slow",
    );
    assert.equal(released, 0, "an open that never returns keeps its slot");
  });
});

Deno.test("SharedFolder creates hidden part files of its own, never listed", async () => {
  await withFolder(async (dir) => {
    const folder = new SharedFolder(dir);
    const [a, b] = [await folder.createPart(1), await folder.createPart(1)];
    assert.notEqual(a.path, b.path, "two parts never share a file");
    for (const part of [a, b]) {
      assert.ok(part.path.startsWith(join(dir, ".upload-1-")) && part.path.endsWith(".part"));
      part.close();
    }
    assert.deepEqual(await folder.list(), []);
  });
});

Deno.test("SharedFolder.store puts a part in place but never over a file that appeared", async () => {
  await withFolder(async (dir) => {
    const folder = new SharedFolder(dir);
    const part = await folder.createPart(2);
    part.write(0, new Uint8Array(5).fill(1));
    part.finish();
    assert.equal(await folder.store(part.path, "new.bin"), 5);
    assert.deepEqual(await folder.list(), [{ name: "new.bin", size: 5 }]);
    const second = await folder.createPart(3);
    second.finish();
    await rejectsWith(folder.store(second.path, "new.bin"), "TRANSFER_REFUSED", "taken");
    assert.equal((await Deno.stat(join(dir, "new.bin"))).size, 5, "unchanged");
  });
});

Deno.test("SharedFolder shares listings between concurrent calls, never an old one", async () => {
  await withFolder(async (dir) => {
    const folder = new SharedFolder(dir);
    await write(dir, "a.txt", 1);
    const first = folder.list();
    await write(dir, "b.txt", 2); // written after the first listing started
    const later = [folder.list(), folder.list(), folder.list()];
    const names = (await Promise.all(later)).map((files) => files.map((f) => f.name).join());
    assert.deepEqual(names, ["a.txt,b.txt", "a.txt,b.txt", "a.txt,b.txt"]);
    assert.ok((await first).length >= 1);
    (await later[0]!).pop();
    assert.equal((await later[1]!).length, 2, "each caller gets its own array");
  });
});
