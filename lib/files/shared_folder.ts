/**
 * The folder the server shares: listing it, and opening only regular files inside it.
 * @module
 */

import { join, resolve } from "node:path";
import type { FileEntry } from "../chat/events.ts";
import { checkFileName } from "./file_names.ts";

/** Why a file cannot be served, with a stable code. */
export class FileAccessError extends Error {
  /** `NO_SUCH_FILE` or `TRANSFER_REFUSED`. */
  readonly code: "NO_SUCH_FILE" | "TRANSFER_REFUSED";
  constructor(code: "NO_SUCH_FILE" | "TRANSFER_REFUSED", message: string) {
    super(message);
    this.name = "FileAccessError";
    this.code = code;
  }
}

/**
 * A shared folder. Only regular, non-hidden files directly inside it are listed or served:
 * no subfolders, symlinks, devices or names that climb out.
 */
export class SharedFolder {
  /** Absolute path of the folder. */
  readonly path: string;

  /** @param path the folder to share; it must exist */
  constructor(path: string) {
    this.path = resolve(path);
  }

  /** Lists the files shared, sorted by name. */
  async list(): Promise<FileEntry[]> {
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
}
