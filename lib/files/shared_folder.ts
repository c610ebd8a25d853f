/**
 * The folder the server shares: listing it, opening only regular files inside it, and storing
 * uploads into it without overwriting anything.
 * @module
 */

import { join, resolve } from "node:path";
import type { FileEntry } from "../chat/events.ts";
import { FileAccessError } from "./file_access_error.ts";
import { checkFileName } from "../text/file_names.ts";
import { FileSink, type SinkFile } from "./file_sink.ts";
import { FileSource, OPEN_TIMEOUT_MS, type SourceFile } from "./file_source.ts";

export { FileAccessError } from "./file_access_error.ts";

/** A file as the folder opens it: what sources and sinks use of `Deno.FsFile`. */
export type FolderFile = SourceFile & SinkFile;

/** Settings of a {@linkcode SharedFolder}. */
export interface SharedFolderOptions {
  /** Give up opening a shared file after this many ms (default {@linkcode OPEN_TIMEOUT_MS}). */
  openTimeoutMs?: number;
  /** Opens files (default `Deno.open`); tests inject one to swap files or fail writes. */
  open?: (path: string, options: Deno.OpenOptions) => Promise<FolderFile>;
}

/**
 * A shared folder. Only regular, non-hidden files directly inside it are listed or served:
 * no subfolders, symlinks, devices, FIFOs or names that climb out.
 */
export class SharedFolder {
  /** Absolute path of the folder. */
  readonly path: string;
  readonly #openTimeoutMs: number;
  readonly #open: (path: string, options: Deno.OpenOptions) => Promise<FolderFile>;
  // One listing reads the folder at a time (`#listing`); callers meanwhile share the one queued
  // to start after it (`#nextListing`).
  #listing: Promise<FileEntry[]> | null = null;
  #nextListing: Promise<FileEntry[]> | null = null;

  /** @param path the folder to share; it must exist */
  constructor(path: string, options: SharedFolderOptions = {}) {
    this.path = resolve(path);
    this.#openTimeoutMs = options.openTimeoutMs ?? OPEN_TIMEOUT_MS;
    this.#open = options.open ?? ((path, how) => Deno.open(path, how));
  }

  /**
   * Lists the files shared, sorted by name. Calls while a listing runs share one listing that
   * starts after it, so a flood of requests holds one directory handle, and never an old answer.
   */
  async list(): Promise<FileEntry[]> {
    if (this.#nextListing === null && this.#listing !== null) {
      const after = () => this.#startListing();
      this.#nextListing = this.#listing.then(after, after);
    }
    const listing = this.#nextListing ?? this.#listing ?? this.#startListing();
    return (await listing).slice();
  }

  /** Resolves a requested name to the path of a regular file in the folder, or throws. */
  async resolveExisting(name: string): Promise<{ path: string; info: Deno.FileInfo }> {
    const refused = checkFileName(name);
    if (refused !== null) throw new FileAccessError("TRANSFER_REFUSED", refused);
    const path = join(this.path, name);
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(path);
    } catch {
      throw new FileAccessError("NO_SUCH_FILE", `No file named '${name}'`);
    }
    if (info.isSymlink) {
      throw new FileAccessError("TRANSFER_REFUSED", `'${name}' is a symbolic link`);
    }
    if (!info.isFile) {
      throw new FileAccessError("TRANSFER_REFUSED", `'${name}' is not a regular file`);
    }
    return { path, info };
  }

  /**
   * Opens a shared file to serve it: the name is checked, the file opened off the event loop's
   * thread within the open timeout, and the opened handle must be the regular file that was
   * checked (a symlink or FIFO swapped in meanwhile is refused). `onReleased` is called once, when
   * no handle is held or being opened any more (see {@linkcode FileSource.open}).
   */
  async openExisting(name: string, onReleased?: () => void): Promise<FileSource> {
    let checked: { path: string; info: Deno.FileInfo };
    try {
      checked = await this.resolveExisting(name);
    } catch (error) {
      onReleased?.();
      throw error;
    }
    const source = await FileSource.open(checked.path, {
      label: `'${name}'`,
      timeoutMs: this.#openTimeoutMs,
      open: (path) => this.#open(path, { read: true }),
      ...(onReleased === undefined ? {} : { onReleased }),
    });
    if (source.info.ino !== checked.info.ino || source.info.dev !== checked.info.dev) {
      source.close();
      throw new FileAccessError("TRANSFER_REFUSED", `'${name}' changed while opening it`);
    }
    return source;
  }

  /** Path a new file of this name would take, or throws if the name is refused or taken. */
  async resolveNew(name: string): Promise<string> {
    const refused = checkFileName(name);
    if (refused !== null) throw new FileAccessError("TRANSFER_REFUSED", refused);
    const path = join(this.path, name);
    try {
      await Deno.lstat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return path;
      throw new FileAccessError("TRANSFER_REFUSED", `Cannot use the name '${name}': ${error}`);
    }
    throw new FileAccessError("TRANSFER_REFUSED", `A file named '${name}' exists already`);
  }

  /**
   * Creates a hidden, never listed `.upload-<id>-<random>.part` for an upload. It is created by
   * this call (nothing planted under that name is opened). `onReleased` as for
   * {@linkcode FileSink.open}.
   */
  createPart(id: number, onReleased?: () => void): Promise<FileSink> {
    return FileSink.open(join(this.path, `.upload-${id}-${crypto.randomUUID()}.part`), {
      createNew: true,
      open: this.#open,
      ...(onReleased === undefined ? {} : { onReleased }),
    });
  }

  /**
   * Puts a finished part file in place under `name` and returns its size. Fails rather than
   * overwrite a file that appeared since the upload was granted; the part is removed on success.
   */
  async store(partPath: string, name: string): Promise<number> {
    const target = await this.resolveNew(name);
    await Deno.link(partPath, target);
    await Deno.remove(partPath);
    return (await Deno.lstat(target)).size;
  }

  #startListing(): Promise<FileEntry[]> {
    const listing = this.#readListing();
    this.#listing = listing;
    this.#nextListing = null;
    const done = () => {
      if (this.#listing === listing) this.#listing = null;
    };
    listing.then(done, done);
    return listing;
  }

  async #readListing(): Promise<FileEntry[]> {
    const entries: FileEntry[] = [];
    for await (const entry of Deno.readDir(this.path)) {
      if (!entry.isFile || checkFileName(entry.name) !== null) continue;
      try {
        const info = await Deno.lstat(join(this.path, entry.name));
        if (info.isFile) entries.push({ name: entry.name, size: info.size });
      } catch {
        // Removed between the listing and the stat: not shared any more.
      }
    }
    return entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }
}
