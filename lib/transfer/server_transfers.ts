/**
 * The server side of file transfers: turns the hub's `get` and `put` requests into grants on
 * the UDP file channel, feeds it file bytes, and puts uploads into the shared folder.
 * @module
 */

import { createHash } from "node:crypto";
import type { ServerMessage } from "../chat/events.ts";
import type { ConnId, HubAction, LogRecord } from "../chat/hub_types.ts";
import { HashCache, hashFileInto } from "../files/file_hash.ts";
import { FileSink } from "../files/file_sink.ts";
import { FileSource } from "../files/file_source.ts";
import { FileAccessError, type SharedFolder } from "../files/shared_folder.ts";
import type { ConnectionStats } from "../rudp/events.ts";
import { type EndpointStats, ServerEndpoint, type ServerEvent } from "../rudp/server_endpoint.ts";
import { UdpDriver } from "../net/udp_driver.ts";
import { toHex } from "./hex.ts";

/** How long a client has to open the UDP exchange after its grant. */
export const GRANT_TTL_MS = 30_000;
/** Default largest upload. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 ** 3;
const TOKEN_BYTES = 16;
/** Transfers (granted or running) one chat connection may hold at once. */
export const MAX_TRANSFERS_PER_CONNECTION = 8;

/** Settings of {@linkcode ServerTransfers}. */
export interface ServerTransfersOptions {
  folder: SharedFolder;
  /** Address and port to bind the UDP socket to. */
  hostname: string;
  port: number;
  /** Largest datagram (default 1200). */
  maxDatagramBytes?: number;
  /** Largest upload accepted (default 1 GiB). */
  maxUploadBytes?: number;
  /** Sends a message to one chat connection. */
  reply: (conn: ConnId, message: ServerMessage) => void;
  /** Sends a message to every logged-in user. */
  announce: (message: ServerMessage) => void;
  log: (record: LogRecord) => void;
}

interface Active {
  conn: ConnId;
  user: string;
  name: string;
  direction: "download" | "upload";
  source?: FileSource;
  sink?: FileSink;
  /** Uploads: the expected hash and the path it goes to. */
  sha256?: string;
  /** Uploads: why writing to disk failed, if it did. */
  writeError?: string;
}

/** Serves downloads and accepts uploads over one UDP socket. */
export class ServerTransfers {
  readonly #options: ServerTransfersOptions;
  readonly #endpoint: ServerEndpoint;
  readonly #driver: UdpDriver;
  readonly #hashes = new HashCache();
  readonly #active = new Map<number, Active>();
  readonly #uploadNames = new Set<string>();
  // Uploads being checked and stored (or removed): close() waits for them.
  readonly #completing = new Set<Promise<void>>();
  #nextId = 1;

  /** Binds the UDP socket; throws if it cannot. */
  constructor(options: ServerTransfersOptions) {
    this.#options = options;
    this.#endpoint = new ServerEndpoint({
      random: (bytes) => crypto.getRandomValues(bytes),
      ...(options.maxDatagramBytes === undefined
        ? {}
        : { maxDatagramBytes: options.maxDatagramBytes }),
    });
    const socket = Deno.listenDatagram({
      hostname: options.hostname,
      port: options.port,
      transport: "udp",
    });
    this.#driver = new UdpDriver(socket, this.#endpoint, {
      onActivity: () => this.#drain(),
      onError: (error) =>
        options.log({ level: "warn", event: "transfer_error", detail: String(error) }),
    });
  }

  /** The UDP port clients send to. */
  get port(): number {
    return this.#driver.addr.port;
  }

  /** Transfers under way. */
  get activeCount(): number {
    return this.#active.size;
  }

  /** Handles a hub action: `get`, `put`, or `gone` (cancels that connection's transfers). */
  handle(action: HubAction): void {
    if (action.kind === "get") this.#serve(action).catch((e) => this.#refuse(action, e));
    else if (action.kind === "put") this.#accept(action).catch((e) => this.#refuse(action, e));
    else if (action.kind === "gone") this.#cancelAll(action.conn);
  }

  /** Counters of the UDP endpoint (datagrams in and out, drops by reason). */
  endpointStats(): EndpointStats {
    return this.#endpoint.stats();
  }

  /** Cancels every transfer and closes the socket. */
  async close(): Promise<void> {
    for (const id of this.#active.keys()) this.#endpoint.cancel(id, performance.now());
    this.#driver.wake();
    await this.#driver.close();
    for (const id of [...this.#active.keys()]) this.#finish(id, false);
    await Promise.all(this.#completing);
  }

  async #serve(action: HubAction & { kind: "get" }): Promise<void> {
    this.#checkQuota(action.conn);
    const { path, info } = await this.#options.folder.resolveExisting(action.name);
    const sha256 = await this.#hashes.get(path, info);
    const offset = await this.#resumeOffset(path, info.size, action.offset, action.prefixSha256);
    const source = new FileSource(path);
    if (!sameFile(source.info, info)) {
      source.close();
      throw new FileAccessError("TRANSFER_REFUSED", `'${action.name}' changed while opening it`);
    }
    const grant = this.#grant(this.#nextId++, action, {
      direction: "download",
      size: info.size,
      offset,
    }, { source });
    this.#options.reply(action.conn, { ...grant, sha256 });
  }

  async #accept(action: HubAction & { kind: "put" }): Promise<void> {
    const max = this.#options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    if (action.size > max) {
      throw new FileAccessError(
        "TRANSFER_REFUSED",
        `Upload of ${action.size} bytes is over the limit of ${max}`,
      );
    }
    this.#checkQuota(action.conn);
    if (this.#uploadNames.has(action.name)) {
      throw new FileAccessError("TRANSFER_REFUSED", `'${action.name}' is being uploaded already`);
    }
    // Claimed before any await, so two uploads of one name cannot both be granted.
    this.#uploadNames.add(action.name);
    const id = this.#nextId++;
    let target: string;
    let sink: FileSink;
    try {
      target = await this.#options.folder.resolveNew(action.name);
      sink = await FileSink.open(`${this.#options.folder.path}/.upload-${id}.part`, 0);
    } catch (error) {
      this.#uploadNames.delete(action.name);
      throw error;
    }
    const sha256 = action.sha256.toLowerCase();
    const grant = this.#grant(id, action, { direction: "upload", size: action.size, offset: 0 }, {
      sink,
      sha256,
    });
    this.#options.reply(action.conn, { ...grant, sha256: action.sha256.toLowerCase() });
    this.#options.log({
      level: "info",
      event: "upload_granted",
      conn: action.conn,
      detail: target,
    });
  }

  /** Refuses a connection that already holds as many transfers as it may. */
  #checkQuota(conn: ConnId): void {
    let held = 0;
    for (const active of this.#active.values()) if (active.conn === conn) held++;
    if (held >= MAX_TRANSFERS_PER_CONNECTION) {
      throw new FileAccessError(
        "TRANSFER_REFUSED",
        `At most ${MAX_TRANSFERS_PER_CONNECTION} transfers at once per connection`,
      );
    }
  }

  #grant(
    transferId: number,
    action: HubAction & { kind: "get" | "put" },
    shape: { direction: "download" | "upload"; size: number; offset: number },
    parts: Pick<Active, "source" | "sink" | "sha256">,
  ) {
    const { direction, size, offset } = shape;
    const token = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
    this.#endpoint.expect({
      transferId,
      token,
      direction,
      size,
      startOffset: offset,
      ...(parts.source === undefined ? {} : { source: parts.source }),
      expiresAt: performance.now() + GRANT_TTL_MS,
    });
    this.#active.set(transferId, {
      conn: action.conn,
      user: action.user,
      name: action.name,
      direction,
      ...parts,
    });
    this.#driver.wake();
    this.#options.log({
      level: "info",
      event: `${direction}_start`,
      conn: action.conn,
      name: action.user,
      detail: `${transferId} ${action.name}`,
    });
    return {
      type: "transfer" as const,
      ...(action.re === undefined ? {} : { re: action.re }),
      transfer: transferId,
      name: action.name,
      size,
      offset,
      udpPort: this.port,
      token: toHex(token),
      direction,
    };
  }

  /** The offset to resume from: the client's, if its prefix hash matches the file's. */
  async #resumeOffset(
    path: string,
    size: number,
    offset: number,
    prefixSha256?: string,
  ): Promise<number> {
    if (offset === 0 || offset > size || prefixSha256 === undefined) return 0;
    const hash = createHash("sha256");
    await hashFileInto(hash, path, offset);
    return hash.digest("hex") === prefixSha256 ? offset : 0;
  }

  #drain(): void {
    for (
      let event = this.#endpoint.pollEvent();
      event !== null;
      event = this.#endpoint.pollEvent()
    ) {
      this.#onEvent(event);
    }
  }

  /** Writes upload bytes; a write error (a full disk) ends that upload, not the server. */
  #write(id: number, active: Active, event: ServerEvent & { kind: "data" }): void {
    if (active.writeError !== undefined) return;
    try {
      active.sink?.write(event.offset, event.bytes);
    } catch (error) {
      active.writeError = error instanceof Error ? error.message : String(error);
      this.#options.log({
        level: "warn",
        event: "upload_write_failed",
        conn: active.conn,
        detail: active.writeError,
      });
      this.#endpoint.cancel(id, performance.now());
    }
  }

  #onEvent(event: ServerEvent): void {
    const active = this.#active.get(event.transferId);
    if (active === undefined) return;
    switch (event.kind) {
      case "data":
        return this.#write(event.transferId, active, event);
      case "completed":
        return this.#finish(event.transferId, true);
      case "failed":
        this.#options.log({
          level: "warn",
          event: "transfer_failed",
          conn: active.conn,
          detail: `${event.transferId} ${event.code}: ${event.message}`,
        });
        return this.#finish(event.transferId, false, event.message);
      case "closed":
        return this.#finish(event.transferId, false, "Transfer closed");
    }
  }

  #finish(id: number, ok: boolean, why = ""): void {
    const active = this.#active.get(id);
    if (active === undefined) return;
    this.#active.delete(id);
    active.source?.close();
    if (active.direction === "download") {
      const stats = ok ? this.#endpoint.transferStats(id) : null;
      this.#options.log({
        level: "info",
        event: ok ? "download_done" : "download_ended",
        conn: active.conn,
        detail: `${id} ${active.name}${stats === null ? "" : " " + formatStats(stats)}`,
      });
      return;
    }
    this.#uploadNames.delete(active.name);
    const completing = this.#completeUpload(id, active, ok, why).catch((error) => {
      this.#options.log({
        level: "warn",
        event: "upload_failed",
        conn: active.conn,
        detail: String(error),
      });
    }).finally(() => this.#completing.delete(completing));
    this.#completing.add(completing);
  }

  async #completeUpload(id: number, active: Active, ok: boolean, why: string): Promise<void> {
    const sink = active.sink!;
    const done = (ok: boolean, message?: string, code?: string) =>
      this.#options.reply(active.conn, {
        type: "transfer_done",
        transfer: id,
        ok,
        ...(code ? { code } : {}),
        ...(message ? { message } : {}),
      });
    if (!ok) {
      sink.close();
      await Deno.remove(sink.path).catch(() => {});
      const reason = active.writeError === undefined
        ? why || "Upload did not complete"
        : `The server cannot write the file: ${active.writeError}`;
      return done(false, reason, "TRANSFER_FAILED");
    }
    const digest = sink.finish();
    if (digest !== active.sha256) {
      await Deno.remove(sink.path).catch(() => {});
      return done(false, "Upload does not match its SHA-256", "TRANSFER_FAILED");
    }
    try {
      const target = await this.#options.folder.resolveNew(active.name);
      await Deno.link(sink.path, target); // fails rather than overwrite a file that appeared since
      await Deno.remove(sink.path);
      const size = (await Deno.stat(target)).size;
      done(true);
      this.#options.announce({
        type: "file_added",
        name: active.name,
        size,
        from: active.user,
        ts: Date.now(),
      });
    } catch (error) {
      await Deno.remove(sink.path).catch(() => {});
      done(
        false,
        `Cannot store '${active.name}': ${error instanceof Error ? error.message : error}`,
        "TRANSFER_FAILED",
      );
    }
  }

  #cancelAll(conn: ConnId): void {
    for (const [id, active] of this.#active) {
      if (active.conn === conn) this.#endpoint.cancel(id, performance.now());
    }
    this.#driver.wake();
  }

  #refuse(action: HubAction & { kind: "get" | "put" }, error: unknown): void {
    const code = error instanceof FileAccessError ? error.code : "TRANSFER_REFUSED";
    const message = error instanceof Error ? error.message : String(error);
    const re = action.re === undefined ? {} : { re: action.re };
    this.#options.reply(action.conn, { type: "error", ...re, code, message });
  }
}

function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.isFile && a.ino === b.ino && a.dev === b.dev;
}

/**
 * The transfer's figures for the `download_done` record, as `key=value` words:
 * `retransmitted=<bytes> lost=<packets> srtt_ms=<ms> datagram=<bytes>`.
 */
export function formatStats(stats: ConnectionStats): string {
  return `retransmitted=${stats.retransmittedBytes} lost=${stats.packetsLost} ` +
    `srtt_ms=${stats.smoothedRttMs.toFixed(3)} datagram=${stats.maxDatagramBytes}`;
}
