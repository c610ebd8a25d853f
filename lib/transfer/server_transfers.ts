/**
 * The server side of file transfers: turns the hub's `get` and `put` requests into grants on
 * the UDP file channel, feeds it file bytes, and puts uploads into the shared folder.
 * @module
 */

import type { ErrorCode } from "../chat/errors.ts";
import type { ServerMessage } from "../chat/events.ts";
import type { ConnId, HubAction, LogRecord } from "../chat/hub_types.ts";
import { normalizeFileName } from "../text/file_names.ts";
import type { FileSink } from "../files/file_sink.ts";
import type { FileSource } from "../files/file_source.ts";
import { FileAccessError, type SharedFolder } from "../files/shared_folder.ts";
import type { ConnectionStats } from "../rudp/connection/events.ts";
import { type EndpointStats, ServerEndpoint, type ServerEvent } from "../rudp/server_endpoint.ts";
import { raiseReceiveBuffer, SERVER_RECEIVE_BUFFER_BYTES } from "../net/receive_buffer.ts";
import { localDatagramBound } from "../net/interface_mtu.ts";
import type { BatchStats } from "../net/batch_send.ts";
import { parseAddressKey, UdpDriver } from "../net/udp_driver.ts";
import { GrantLedger, type GrantLimits, type Ticket } from "./grant_ledger.ts";
import { TRANSFER_KEY_BYTES } from "../rudp/seal/mod.ts";
import { toHex } from "./hex.ts";
import { benchUnsealed } from "./bench_switch.ts";
import { channelCipher } from "./channel_cipher.ts";
import { admitRequest, DEFAULT_MAX_UPLOAD_BYTES } from "./request_admission.ts";
import { prefixToCheck, resumeOffset } from "./resume_decision.ts";
import { SourceHashes } from "./source_hashes.ts";
import { completeUpload } from "./upload_completion.ts";

export {
  HASHES_PER_CONNECTION,
  MAX_OPEN_FILES,
  MAX_TRANSFERS,
  MAX_TRANSFERS_PER_CONNECTION,
} from "./grant_ledger.ts";
export { DEFAULT_MAX_UPLOAD_BYTES } from "./request_admission.ts";

/** How long a client has to open the UDP exchange after its grant. */
export const GRANT_TTL_MS = 30_000;
const TOKEN_BYTES = 16;

/** Settings of {@linkcode ServerTransfers}. */
export interface ServerTransfersOptions {
  folder: SharedFolder;
  /** Address and port to bind the UDP socket to. */
  hostname: string;
  port: number;
  /**
   * Largest datagram, bytes: the upper bound of each download's path MTU search, and the largest
   * the server accepts (default 1200).
   */
  maxDatagramBytes?: number;
  /** Largest upload accepted (default 1 GiB). */
  maxUploadBytes?: number;
  /** Limits on grants, files and hashing (default the constants of `grant_ledger.ts`). */
  limits?: Partial<GrantLimits>;
  /** Sends a message to one chat connection. */
  reply: (conn: ConnId, message: ServerMessage) => void;
  /** Sends a message to every logged-in user. */
  announce: (message: ServerMessage) => void;
  log: (record: LogRecord) => void;
}

/** What the transfers hold and have done, for tests and monitoring. */
export interface TransferStats {
  /** Grant slots held: transfers being prepared, granted or running. */
  transfers: number;
  /** File slots held: open files, and opens not yet returned. */
  openFiles: number;
  /** Bytes read to compute SHA-256s since the start. */
  hashedBytes: number;
}

type FileAction = HubAction & { kind: "get" | "put" };

interface Active {
  ticket: Ticket;
  conn: ConnId;
  user: string;
  name: string;
  direction: "download" | "upload";
  source?: FileSource;
  sink?: FileSink;
  /** Uploads: the expected hash. */
  sha256?: string;
  /** Uploads: why writing to disk failed, if it did. */
  writeError?: string;
  /** Uploads: the connection's figures (`formatStats`) once every byte arrived. */
  figures?: string;
}

/** Serves downloads and accepts uploads over one UDP socket. */
export class ServerTransfers {
  readonly #options: ServerTransfersOptions;
  readonly #endpoint: ServerEndpoint;
  readonly #driver: UdpDriver;
  readonly #ledger: GrantLedger;
  readonly #hashes: SourceHashes;
  readonly #active = new Map<number, Active>();
  // Requests being prepared and uploads being stored (or removed): close() waits for them.
  readonly #pending = new Set<Promise<void>>();
  readonly #stopping = new AbortController();

  /** Binds the UDP socket; throws if it cannot. */
  constructor(options: ServerTransfersOptions) {
    this.#options = options;
    this.#ledger = new GrantLedger(options.limits);
    this.#hashes = new SourceHashes(this.#ledger, this.#stopping.signal);
    const socket = Deno.listenDatagram({
      hostname: options.hostname,
      port: options.port,
      transport: "udp",
    });
    const receiveBufferBytes = raiseReceiveBuffer(socket, SERVER_RECEIVE_BUFFER_BYTES);
    this.#endpoint = new ServerEndpoint({
      random: (bytes) => crypto.getRandomValues(bytes),
      interfaceDatagramBytes: (peer) =>
        localDatagramBound(options.hostname, parseAddressKey(peer).hostname),
      ...(options.maxDatagramBytes === undefined
        ? {}
        : { maxDatagramBytes: options.maxDatagramBytes }),
      ...(receiveBufferBytes === null ? {} : { receiveBufferBytes }),
      ...benchUnsealed(),
      ...channelCipher(),
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

  /** Counts of the file channel's batched send path; null where it sends through Deno's. */
  get batchStats(): Readonly<BatchStats> | null {
    return this.#driver.batchStats;
  }

  /** Transfers under way. */
  get activeCount(): number {
    return this.#active.size;
  }

  /** What is held right now, and the hashing done so far. */
  stats(): TransferStats {
    return {
      transfers: this.#ledger.transfers,
      openFiles: this.#ledger.openFiles,
      hashedBytes: this.#hashes.hashedBytes,
    };
  }

  /** Handles a hub action: `get`, `put`, or `gone` (cancels that connection's transfers). */
  handle(action: HubAction): void {
    // One name for what looks the same: NFD and NFC twins are one file.
    if (action.kind === "get" || action.kind === "put") {
      this.#start({ ...action, name: normalizeFileName(action.name) });
    } else if (action.kind === "gone") this.#cancelAll(action.conn);
  }

  /** Counters of the UDP endpoint (datagrams in and out, drops by reason). */
  endpointStats(): EndpointStats {
    return this.#endpoint.stats();
  }

  /** Cancels every transfer, stops hashing, closes the socket and waits for the files to close. */
  async close(): Promise<void> {
    this.#stopping.abort(new FileAccessError("TRANSFER_REFUSED", "The server is stopping"));
    for (const id of this.#active.keys()) this.#endpoint.cancel(id, performance.now());
    this.#driver.wake();
    await this.#driver.close();
    for (const id of [...this.#active.keys()]) this.#finish(id, false);
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /** Decides on a request at once (its slots are counted before any await), then prepares it. */
  #start(action: FileAction): void {
    const reservation = admitRequest(action, {
      ledger: this.#ledger,
      stopping: this.#stopping.signal.aborted,
      maxUploadBytes: this.#options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    });
    if (!reservation.ok) {
      return this.#refuse(action, reservation.refusal.code, reservation.refusal.message);
    }
    const { ticket } = reservation;
    const preparing = action.kind === "get"
      ? this.#serve(ticket, action)
      : this.#accept(ticket, action);
    this.#track(preparing.catch((error) => {
      this.#ledger.release(ticket);
      const code = error instanceof FileAccessError ? error.code : "TRANSFER_REFUSED";
      this.#refuse(action, code, error instanceof Error ? error.message : String(error));
    }));
  }

  /** Opens the file, hashes what was opened (and the resume prefix), and grants the download. */
  async #serve(ticket: Ticket, action: FileAction & { kind: "get" }): Promise<void> {
    const release = () => this.#ledger.releaseFile(ticket);
    const source = await this.#options.folder.openExisting(action.name, release);
    try {
      const size = source.info.size;
      const sha256 = await this.#hashes.hash(ticket, action.name, source, size);
      const offset = await this.#resumeOffset(ticket, action, source);
      this.#checkWanted(ticket);
      const grant = this.#grant(ticket, action, { direction: "download", size, offset }, {
        source,
      });
      this.#options.reply(action.conn, { ...grant, sha256 });
    } catch (error) {
      source.close();
      throw error;
    }
  }

  /** Creates the upload's part file and grants the upload. */
  async #accept(ticket: Ticket, action: FileAction & { kind: "put" }): Promise<void> {
    const folder = this.#options.folder;
    let target: string;
    try {
      target = await folder.resolveNew(action.name);
    } catch (error) {
      this.#ledger.releaseFile(ticket);
      throw error;
    }
    const sink = await folder.createPart(ticket.id, () => this.#ledger.releaseFile(ticket));
    try {
      this.#checkWanted(ticket);
      const sha256 = action.sha256.toLowerCase();
      const grant = this.#grant(ticket, action, {
        direction: "upload",
        size: action.size,
        offset: 0,
      }, { sink, sha256 });
      this.#options.reply(action.conn, { ...grant, sha256 });
    } catch (error) {
      sink.close();
      await Deno.remove(sink.path).catch(() => {});
      throw error;
    }
    this.#options.log({
      level: "info",
      event: "upload_granted",
      conn: action.conn,
      detail: target,
    });
  }

  /** The offset to resume from: the client's, if its prefix hash matches the opened file's. */
  async #resumeOffset(
    ticket: Ticket,
    action: FileAction & { kind: "get" },
    source: FileSource,
  ): Promise<number> {
    const length = prefixToCheck(action, source.info.size);
    if (length === null) return 0;
    return resumeOffset(action, await this.#hashes.hash(ticket, action.name, source, length));
  }

  /** Throws if the request should not be granted any more: its connection left, or we stop. */
  #checkWanted(ticket: Ticket): void {
    if (this.#stopping.signal.aborted) {
      throw new FileAccessError("TRANSFER_REFUSED", "The server is stopping");
    }
    if (this.#ledger.isCancelled(ticket)) {
      throw new FileAccessError("TRANSFER_REFUSED", "The connection is gone");
    }
  }

  #grant(
    ticket: Ticket,
    action: FileAction,
    shape: { direction: "download" | "upload"; size: number; offset: number },
    parts: Pick<Active, "source" | "sink" | "sha256">,
  ) {
    const { direction, size, offset } = shape;
    const transferId = ticket.id;
    const token = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
    const key = crypto.getRandomValues(new Uint8Array(TRANSFER_KEY_BYTES));
    this.#endpoint.expect({
      transferId,
      token,
      key,
      direction,
      size,
      startOffset: offset,
      ...(parts.source === undefined ? {} : { source: parts.source }),
      expiresAt: performance.now() + GRANT_TTL_MS,
    });
    this.#active.set(transferId, {
      ticket,
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
      key: toHex(key),
      direction,
    };
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
        return this.#finish(event.transferId, false, `${event.message} (${event.code})`, {
          tell: !event.remote,
        });
      case "closed":
        return this.#finish(event.transferId, false, "Transfer closed");
    }
  }

  /**
   * Ends a transfer; with `tell`, a failed download's client hears of it in `transfer_done`
   * (not when the client ended it itself, or its connection is gone).
   */
  #finish(id: number, ok: boolean, why = "", { tell = false } = {}): void {
    const active = this.#active.get(id);
    if (active === undefined) return;
    this.#active.delete(id);
    if (active.direction === "upload") {
      const stats = ok ? this.#endpoint.transferStats(id) : null;
      if (stats !== null) active.figures = formatStats(stats);
      return this.#track(this.#completeUpload(id, active, ok, why));
    }
    active.source?.close();
    this.#ledger.release(active.ticket);
    // Without this the client waits out its own idle timeout on a channel gone silent.
    if (tell && !ok) this.#options.reply(active.conn, downloadFailed(id, why));
    const stats = ok ? this.#endpoint.transferStats(id) : null;
    this.#options.log({
      level: "info",
      event: ok ? "download_done" : "download_ended",
      conn: active.conn,
      detail: `${id} ${active.name}${stats === null ? "" : " " + formatStats(stats)}`,
    });
  }

  /**
   * Stores a finished upload or discards a failed one. Whatever happens the part file is closed
   * and removed, the slots are given back, and the uploader gets `transfer_done`.
   */
  async #completeUpload(id: number, active: Active, ok: boolean, why: string): Promise<void> {
    const logError = (detail: string) =>
      this.#options.log({ level: "warn", event: "upload_failed", conn: active.conn, detail });
    const outcome = await completeUpload(this.#options.folder, {
      name: active.name,
      sink: active.sink!,
      sha256: active.sha256!,
      received: ok,
      why,
      ...(active.writeError === undefined ? {} : { writeError: active.writeError }),
    }, logError);
    this.#ledger.release(active.ticket);
    this.#options.reply(active.conn, {
      type: "transfer_done",
      transfer: id,
      ok: outcome.ok,
      ...(outcome.ok ? {} : { code: "TRANSFER_FAILED", message: outcome.message }),
    });
    if (!outcome.ok) return logError(outcome.message);
    this.#options.announce({
      type: "file_added",
      name: active.name,
      size: outcome.size,
      from: active.user,
      ts: Date.now(),
    });
    this.#options.log({
      level: "info",
      event: "upload_done",
      conn: active.conn,
      detail: `${id} ${active.name}${active.figures === undefined ? "" : " " + active.figures}`,
    });
  }

  #cancelAll(conn: ConnId): void {
    this.#ledger.cancelConnection(conn);
    for (const [id, active] of this.#active) {
      if (active.conn === conn) this.#endpoint.cancel(id, performance.now());
    }
    this.#driver.wake();
  }

  /** Holds on to `work` (logging its failure) until it settles, so close() can wait for it. */
  #track(work: Promise<void>): void {
    const tracked: Promise<void> = work.catch((error) => {
      this.#options.log({ level: "warn", event: "transfer_error", detail: describe(error) });
    }).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  #refuse(action: FileAction, code: ErrorCode, message: string): void {
    const re = action.re === undefined ? {} : { re: action.re };
    this.#options.reply(action.conn, { type: "error", ...re, code, message });
  }
}

/** The `transfer_done` that tells a client the server gave up on its download, and why. */
function downloadFailed(transfer: number, why: string): ServerMessage {
  const message = `The server's side of the transfer failed: ${why}`;
  return { type: "transfer_done", transfer, ok: false, code: "TRANSFER_FAILED", message };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The transfer's figures for the `download_done` and `upload_done` records, as `key=value` words:
 * `retransmitted=<bytes> lost=<packets> srtt_ms=<ms> datagram=<bytes>`, the datagram being the
 * size in use at the end (the path MTU found, or for an upload the largest received of late).
 */
export function formatStats(stats: ConnectionStats): string {
  return `retransmitted=${stats.retransmittedBytes} lost=${stats.packetsLost} ` +
    `srtt_ms=${stats.smoothedRttMs.toFixed(3)} datagram=${stats.maxDatagramBytes}`;
}
