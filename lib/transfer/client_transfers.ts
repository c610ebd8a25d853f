/**
 * The client side of file transfers: downloads into a `.part` file that is checked against the
 * server's SHA-256 before it takes its name, uploads, and pause, resume and cancel.
 * @module
 */

import { basename, join } from "node:path";
import type { ServerMessage } from "../chat/events.ts";
import { checkFileName } from "../text/file_names.ts";
import { FileSink } from "../files/file_sink.ts";
import { FileSource } from "../files/file_source.ts";
import type { ChatClient } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import { waitAtMost } from "../net/waiting.ts";
import { withTimeout } from "../net/with_timeout.ts";
import type { TransferEvent } from "../rudp/connection/events.ts";
import { RateMeter } from "./rate_meter.ts";
import { requestPatiently } from "../net/request_patiently.ts";
import { ClientLink } from "./client_link.ts";
import { downloadVerdict } from "./download_verdict.ts";
import { type CheckedGrant, checkGrant, type TransferRequest } from "./grant_check.ts";
import { resumeRequest } from "./resume_decision.ts";
import { benchUnsealed } from "./bench_switch.ts";
import { channelCipher } from "./channel_cipher.ts";

/** How long to wait for the server's verdict on an upload once every byte was acknowledged. */
export const UPLOAD_VERDICT_TIMEOUT_MS = 30_000;
/** How long an upload the server ended waits for the `transfer_done` that says why. */
export const UPLOAD_FAILURE_REASON_MS = 2_000;

/** Where a transfer stands. */
export type TransferState = "starting" | "running" | "paused" | "done" | "failed" | "cancelled";

/** What the user sees of a transfer. */
export interface TransferView {
  id: number;
  name: string;
  direction: "download" | "upload";
  state: TransferState;
  done: number;
  total: number;
  bytesPerSecond: number;
  /** The datagram size in use when the transfer's last exchange ended, or null before. */
  datagramBytes: number | null;
}

/** Settings of {@linkcode ClientTransfers}. */
export interface ClientTransfersOptions {
  client: ChatClient;
  /** The server's address as the chat connection reached it; the UDP port comes from grants. */
  serverHost: string;
  downloads: string;
  overwrite: boolean;
  /** Datagram size to propose (the server may choose less). */
  maxDatagramBytes: number;
  /** Called whenever a transfer changes, very often during one: read `views()` at your pace. */
  onChange?: () => void;
}

interface Job extends TransferView {
  readonly meter: RateMeter;
  /** Replace a file of the download's name. */
  overwrite: boolean;
  /** Local path: the file to upload, or the download's final path. */
  path: string;
  link: ClientLink | null;
  /** The hub's id of the transfer's current grant, or null before one. */
  transferId: number | null;
  failure: string | null;
  /** Why it failed, for `wait`. */
  error: ChatError | null;
  /** A resume waits for the paused run to end. */
  resuming: boolean;
  completed: boolean;
  run: Promise<void>;
}

/** Runs the user's transfers, several at once. */
export class ClientTransfers {
  readonly #options: ClientTransfersOptions;
  readonly #jobs = new Map<number, Job>();
  readonly #verdicts = new Map<
    number,
    PromiseWithResolvers<ServerMessage & { type: "transfer_done" }>
  >();
  /** Jobs by the hub's transfer id, from their grant on: what `transfer_done` may name. */
  readonly #granted = new Map<number, Job>();
  #nextId = 1;

  constructor(options: ClientTransfersOptions) {
    this.#options = options;
  }

  /** Every transfer of this session, oldest first. */
  views(): TransferView[] {
    return [...this.#jobs.values()].map((job) => ({
      id: job.id,
      name: job.name,
      direction: job.direction,
      state: job.state,
      done: job.done,
      total: job.total,
      bytesPerSecond: job.meter.bytesPerSecond(performance.now()),
      datagramBytes: job.datagramBytes,
    }));
  }

  /**
   * Starts downloading `name`; returns its id at once. `overwrite` replaces a file of that name
   * in the downloads folder (default: the manager's `overwrite`).
   */
  download(name: string, options: { overwrite?: boolean } = {}): number {
    const job = this.#newJob(name, "download", join(this.#options.downloads, name));
    job.overwrite = options.overwrite ?? this.#options.overwrite;
    job.run = this.#run(job, (j) => this.#download(j));
    return job.id;
  }

  /** Starts uploading the file at `path`; returns its id at once. */
  upload(path: string): number {
    const job = this.#newJob(basename(path), "upload", path);
    job.run = this.#run(job, (j) => this.#upload(j));
    return job.id;
  }

  /** Waits for a transfer to end (or pause); rejects with `ChatError` if it failed. */
  async wait(id: number): Promise<TransferState> {
    const job = this.#job(id);
    await job.run;
    if (job.state === "failed" && job.error !== null) throw job.error;
    return job.state;
  }

  /** Pauses a download (the partial file stays); `resume` continues it. */
  pause(id: number): void {
    const job = this.#job(id);
    if (job.direction === "upload") {
      throw new ChatError("TRANSFER_REFUSED", "Uploads cannot be paused; /cancel it instead");
    }
    if (job.state !== "running" && job.state !== "starting") {
      throw new ChatError("TRANSFER_REFUSED", `Transfer #${id} is ${job.state}`);
    }
    job.state = "paused";
    job.link?.close("Paused by the user");
    this.#changed();
  }

  /** Resumes a paused (or failed) download from what is on disk. */
  resume(id: number): void {
    const job = this.#job(id);
    const paused = job.state === "paused" || job.state === "failed";
    if (job.direction === "upload" || !paused || job.resuming) {
      throw new ChatError("TRANSFER_REFUSED", `Transfer #${id} is ${job.state}, not paused`);
    }
    // The paused run may still be closing its UDP exchange: start again only once it ended.
    job.resuming = true;
    job.run = job.run.then(() => {
      job.resuming = false;
      if (job.state === "cancelled") return;
      job.state = "starting";
      job.failure = null;
      job.error = null;
      this.#changed();
      return this.#run(job, (j) => this.#download(j));
    });
  }

  /** Cancels a transfer; a cancelled download's partial file is deleted. */
  cancel(id: number): void {
    const job = this.#job(id);
    if (job.state === "done" || job.state === "cancelled") return;
    const wasPaused = job.state === "paused" || job.state === "failed";
    job.state = "cancelled";
    job.link?.close("Cancelled by the user");
    if (wasPaused && job.direction === "download") Deno.remove(job.path + ".part").catch(() => {});
    this.#changed();
  }

  /**
   * Feeds a chat message that may concern a transfer (`transfer_done`). One naming a transfer
   * this client was not granted is ignored, as is a download's `ok: true` (a download is done
   * when its own SHA-256 check says so); a download's `ok: false` ends that download at once.
   */
  handleServerMessage(message: ServerMessage): void {
    if (message.type !== "transfer_done") return;
    const job = this.#granted.get(message.transfer);
    // A resumed download's earlier grant no longer speaks for it.
    if (job === undefined || job.transferId !== message.transfer) return;
    if (job.direction === "upload") return this.#verdict(message.transfer).resolve(message);
    if (message.ok || job.completed || job.failure !== null) return;
    if (job.state !== "running" && job.state !== "starting") return;
    job.failure = `The server ended the download: ${message.message ?? "no reason given"} (${
      message.code ?? "TRANSFER_FAILED"
    })`;
    job.link?.close("The server ended the transfer");
    this.#changed();
  }

  /** Cancels whatever still runs and waits for it to stop. */
  async close(): Promise<void> {
    for (const job of this.#jobs.values()) {
      if (job.state === "running" || job.state === "starting") job.link?.close("Client is closing");
    }
    await Promise.all([...this.#jobs.values()].map((job) => job.run));
  }

  /** Runs a transfer's body; a failure is recorded on the job, never left unhandled. */
  async #run(job: Job, body: (job: Job) => Promise<void>): Promise<void> {
    try {
      await body(job);
    } catch (error) {
      this.#fail(job, error);
    }
  }

  /**
   * Rejects, as the download itself would, a download of `name` that cannot start: a refused
   * name (`TRANSFER_REFUSED`) or a file of that name in the downloads folder (`FILE_EXISTS`),
   * so that a caller tells that alone, before it says a download started.
   */
  async checkDownload(name: string, options: { overwrite?: boolean } = {}): Promise<void> {
    const overwrite = options.overwrite ?? this.#options.overwrite;
    await checkDownloadable(name, join(this.#options.downloads, name), overwrite);
  }

  async #download(job: Job): Promise<void> {
    await checkDownloadable(job.name, job.path, job.overwrite);
    await Deno.mkdir(this.#options.downloads, { recursive: true });
    const part = job.path + ".part";
    const hadPart = await exists(part);
    let sink = await FileSink.open(part);
    const request = resumeRequest(job.name, { size: sink.size, sha256: sink.digestSoFar() });
    let grant: CheckedGrant;
    try {
      grant = await this.#grant(request);
    } catch (error) {
      sink.close();
      // A refused download leaves nothing behind that was not there before.
      if (!hadPart) await Deno.remove(part).catch(() => {});
      throw error;
    }
    if (grant.startOffset !== sink.size) {
      sink.close();
      sink = await FileSink.open(part, { limit: grant.startOffset });
    }
    try {
      const onData = (event: TransferEvent) => {
        if (event.kind !== "data" || job.failure !== null) return;
        try {
          sink.write(event.offset, event.bytes);
        } catch (error) {
          // A full disk, say: stop the transfer and keep what was written for a resume.
          job.failure = `Cannot write ${part}: ${error instanceof Error ? error.message : error}`;
          job.link?.close("Receiver cannot write");
        }
      };
      await this.#transfer(job, grant, { onData });
    } catch (error) {
      sink.close();
      throw error;
    }
    await this.#finishDownload(job, grant, sink, part);
  }

  /** Hashes what arrived, asks for the verdict, and renames, keeps or removes the `.part`. */
  async #finishDownload(
    job: Job,
    grant: CheckedGrant,
    sink: FileSink,
    part: string,
  ): Promise<void> {
    const stopped = job.state === "cancelled" || job.state === "paused" ? job.state : null;
    const checked = job.completed && stopped !== "cancelled";
    let digest: string | null = null;
    if (checked) digest = sink.finish();
    else sink.close();
    const verdict = downloadVerdict({
      stopped,
      completed: job.completed,
      failure: job.failure,
      digest,
      expectedSha256: grant.sha256,
      targetExists: checked && !job.overwrite && await exists(job.path),
      name: job.name,
      path: job.path,
      part,
    });
    if (verdict.action === "rename") await Deno.rename(part, job.path);
    if (verdict.action === "discard") await Deno.remove(part).catch(() => {});
    if (verdict.action !== "rename") {
      if (verdict.error === null) return;
      throw new ChatError(verdict.error.code, verdict.error.message);
    }
    job.state = "done";
    this.#changed();
  }

  async #upload(job: Job): Promise<void> {
    const info = await Deno.stat(job.path).catch(() => null);
    if (info === null || !info.isFile) {
      const what = info === null
        ? "No file at"
        : info.isDirectory
        ? "A folder, not a file:"
        : "Not a file:";
      throw new ChatError("NO_SUCH_FILE", `${what} '${job.path}'`);
    }
    // Hashed and sent through one handle, so the bytes sent are the bytes hashed.
    const source = await FileSource.open(job.path);
    let grant: CheckedGrant;
    try {
      const size = source.info.size;
      const sha256 = await source.sha256(size);
      grant = await this.#grant({ type: "put", name: job.name, size, sha256 });
      await this.#transfer(job, grant, { source });
    } finally {
      source.close();
    }
    const verdict = this.#verdict(grant.transferId);
    if (job.state === "cancelled") return;
    if (!job.completed) {
      // A server that ended the upload (its disk is full, say) says why in transfer_done.
      const done = await waitAtMost(verdict.promise, UPLOAD_FAILURE_REASON_MS);
      this.#verdicts.delete(grant.transferId);
      if (done !== null && !done.ok) throw verdictError(done);
      throw new ChatError("TRANSFER_FAILED", job.failure ?? "Upload ended early");
    }
    const done = await withTimeout(
      verdict.promise,
      UPLOAD_VERDICT_TIMEOUT_MS,
      "No word from the server on the upload",
    );
    this.#verdicts.delete(grant.transferId);
    if (!done.ok) throw verdictError(done);
    job.state = "done";
    this.#changed();
  }

  /** Asks the hub for a transfer and checks that the grant is for what was asked. */
  async #grant(request: TransferRequest): Promise<CheckedGrant> {
    const check = checkGrant(request, await requestPatiently(this.#options.client, request));
    if (!check.ok) throw new ChatError("TRANSFER_FAILED", check.message);
    return check.grant;
  }

  /**
   * Runs the UDP exchange of a granted transfer until it closes: a download hands its events to
   * `onData`, an upload reads from `source`.
   */
  async #transfer(
    job: Job,
    grant: CheckedGrant,
    io: { onData?: (event: TransferEvent) => void; source?: FileSource } = {},
  ): Promise<void> {
    const { onData, source } = io;
    this.#granted.set(grant.transferId, job);
    job.transferId = grant.transferId;
    if (job.state !== "starting") return; // paused or cancelled while asking
    job.total = grant.size;
    job.done = grant.startOffset;
    job.state = "running";
    job.completed = false;
    job.meter.record(performance.now(), 0);
    const server: Deno.NetAddr = {
      transport: "udp",
      hostname: this.#options.serverHost,
      port: grant.udpPort,
    };
    job.link = new ClientLink(server, {
      transferId: grant.transferId,
      token: grant.token,
      key: grant.key,
      direction: grant.direction,
      size: grant.size,
      startOffset: grant.startOffset,
      maxDatagramBytes: this.#options.maxDatagramBytes,
      ...roundTrip(this.#options.client.roundTripMs),
      ...benchUnsealed(),
      ...channelCipher(),
      ...(source === undefined ? {} : { source }),
    }, (event) => {
      onData?.(event);
      this.#onEvent(job, event);
    });
    // A completed download need not wait out the drain that follows the server's close.
    await job.link.settled;
    job.datagramBytes = job.link.connection.stats().maxDatagramBytes;
    job.link = null;
  }

  #onEvent(job: Job, event: TransferEvent): void {
    const now = performance.now();
    if (event.kind === "data") {
      job.meter.record(now, event.bytes.length);
      job.done = event.offset + event.bytes.length;
    } else if (event.kind === "progress") {
      job.meter.record(now, event.offset - job.done);
      job.done = event.offset;
    } else if (event.kind === "completed") {
      job.completed = true;
      job.done = job.total;
    } else if (event.kind === "failed") {
      // The first cause stands: the close that a server's `transfer_done` asked for is not one.
      job.failure ??= `${event.message} (${event.code})`;
    }
    this.#changed();
  }

  /** Records a failure; the run promise itself never rejects, so nothing goes unhandled. */
  #fail(job: Job, error: unknown): void {
    if (job.state !== "cancelled" && job.state !== "paused") job.state = "failed";
    job.error = error instanceof ChatError
      ? error
      : new ChatError("TRANSFER_FAILED", error instanceof Error ? error.message : String(error));
    this.#changed();
  }

  #newJob(name: string, direction: "download" | "upload", path: string): Job {
    const job: Job = {
      id: this.#nextId++,
      name,
      direction,
      path,
      state: "starting",
      done: 0,
      total: 0,
      bytesPerSecond: NaN,
      datagramBytes: null,
      meter: new RateMeter(),
      overwrite: false,
      link: null,
      transferId: null,
      failure: null,
      error: null,
      resuming: false,
      completed: false,
      run: Promise.resolve(),
    };
    this.#jobs.set(job.id, job);
    this.#changed();
    return job;
  }

  #job(id: number): Job {
    const job = this.#jobs.get(id);
    if (job === undefined) throw new ChatError("TRANSFER_REFUSED", `No transfer #${id}`);
    return job;
  }

  #verdict(transfer: number) {
    let verdict = this.#verdicts.get(transfer);
    if (verdict === undefined) {
      verdict = Promise.withResolvers();
      this.#verdicts.set(transfer, verdict);
    }
    return verdict;
  }

  #changed(): void {
    this.#options.onChange?.();
  }
}

/** The error a refused upload's `transfer_done` stands for. */
function verdictError(done: ServerMessage & { type: "transfer_done" }): ChatError {
  return new ChatError(
    done.code ?? "TRANSFER_FAILED",
    done.message ?? "The server refused the upload",
  );
}

/** Throws the `ChatError` that stops a download of `name` into `path` before it asks. */
async function checkDownloadable(name: string, path: string, overwrite: boolean): Promise<void> {
  const refused = checkFileName(name);
  if (refused !== null) throw new ChatError("TRANSFER_REFUSED", refused);
  if (!overwrite && await exists(path)) {
    throw new ChatError("FILE_EXISTS", `'${path}' exists already; use --overwrite to replace it`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function roundTrip(ms: number | null): { initialRttMs?: number } {
  return ms === null ? {} : { initialRttMs: ms };
}
