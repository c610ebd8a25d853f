/**
 * `/get`, `/put`, `/pause`, `/resume` and `/cancel` for the two kinds of client: the
 * interactive one starts transfers in the background with progress bars, the scripted one
 * waits for each with progress lines on stderr.
 * @module
 */

import type { ChatClient } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import { MAX_DATAGRAM_BYTES } from "../rudp/connection/transport_options.ts";
import { ClientTransfers, type TransferView } from "../transfer/client_transfers.ts";
import { formatBytes, formatProgress } from "../tui/progress.ts";
import { sanitize } from "../tui/style.ts";
import type { ClientConfig } from "./client_config.ts";
import type { Printer, TransferCommands } from "./input_runner.ts";
import { progressJson, transferJson } from "./json_lines.ts";

const REDRAW_MS = 100;
const PLAIN_PROGRESS_MS = 1000;

/** Creates the transfer manager for a connected client. */
export function openTransfers(
  client: ChatClient,
  config: ClientConfig,
  onChange: () => void,
): ClientTransfers {
  return new ClientTransfers({
    client,
    serverHost: client.remoteHost,
    downloads: config.downloads,
    overwrite: config.overwrite,
    // The upper bound of path MTU discovery, which finds the size the path carries.
    maxDatagramBytes: config.mtu ?? MAX_DATAGRAM_BYTES,
    onChange,
  });
}

/** Commands that start transfers and report their end later (interactive). */
export function backgroundCommands(transfers: ClientTransfers, printer: Printer): TransferCommands {
  const follow = (id: number, what: string) => {
    // Names and messages may come from others (or a hostile server): shown through sanitize.
    printer.print(sanitize(`#${id} ${what}`));
    transfers.wait(id).then(
      (state) =>
        printer.print(
          sanitize(`#${id} ${state === "done" ? "finished" : state}: ${describe(transfers, id)}`),
        ),
      (error: ChatError) =>
        printer.error(sanitize(`#${id} failed: ${failure(transfers, id, error)}`)),
    );
  };
  return {
    get: async (name, options = {}) => {
      // A download that cannot start is told alone, never after "downloading".
      try {
        await transfers.checkDownload(name, options);
      } catch (error) {
        if (!(error instanceof ChatError) || error.code !== "FILE_EXISTS") throw error;
        throw new ChatError("FILE_EXISTS", existsMessage(name));
      }
      follow(transfers.download(name, options), `downloading ${name}`);
    },
    put: (path) => Promise.resolve(follow(transfers.upload(path), `uploading ${path}`)),
    control: (kind, id) => {
      const state = transfers.views().find((v) => v.id === id)?.state;
      if (kind === "pause" && state === "paused") return printer.print(`#${id} is already paused`);
      if (kind === "resume" && (state === "running" || state === "starting")) {
        return printer.print(`#${id} is already running`);
      }
      transfers[kind](id);
      if (kind === "resume") follow(id, "resuming");
      else printer.print(`#${id} ${kind === "pause" ? "paused" : "cancelled"}`);
    },
  };
}

/** Why a transfer failed, pointing at `/get -f` where a file is in the way. */
function failure(transfers: ClientTransfers, id: number, error: ChatError): string {
  const name = transfers.views().find((v) => v.id === id)?.name;
  if (error.code !== "FILE_EXISTS" || name === undefined) return error.message;
  return existsMessage(name);
}

function existsMessage(name: string): string {
  return `${name} exists in the downloads folder; /get -f ${name} replaces it`;
}

/**
 * Commands that run each transfer to its end (one-shot and piped); with `json`, the outcome is
 * a `transfer` JSON line (see `transferJson`).
 */
export function waitingCommands(
  transfers: ClientTransfers,
  printer: Printer,
  settings: { json?: boolean } = {},
): TransferCommands {
  const run = async (id: number) => {
    const state = await transfers.wait(id);
    const view = transfers.views().find((v) => v.id === id);
    if (settings.json && view !== undefined) return printer.print(transferJson(view));
    printer.print(sanitize(`${state === "done" ? "Finished" : state}: ${describe(transfers, id)}`));
  };
  return {
    get: async (name, options = {}) => {
      await transfers.checkDownload(name, options);
      await run(transfers.download(name, options));
    },
    put: (path) => run(transfers.upload(path)),
    control: () => {
      throw new ChatError(
        "TRANSFER_REFUSED",
        "Pause, resume and cancel need the interactive client",
      );
    },
  };
}

/** Renders progress at most every 100 ms as status lines as wide as the terminal (interactive). */
export function statusRenderer(
  transfers: () => ClientTransfers | null,
  show: (lines: string[]) => void,
  columns: () => number = () => 80,
): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = () => {
    timer = undefined;
    last = performance.now();
    const views = transfers()?.views() ?? [];
    // Status lines keep the terminal's last column free.
    const width = Math.max(1, columns() - 1);
    show(views.filter(isActive).map((v) => progressLine(v, width)));
  };
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(render, Math.max(0, REDRAW_MS - (performance.now() - last)));
  };
}

/**
 * Shows progress for scripts: on a terminal (`printer.progress`), one line redrawn in place
 * every 100 ms; otherwise a plain line (or a `progress` JSON line, with `json`) about once a
 * second on the error stream (logs, pipes).
 */
export function lineRenderer(
  transfers: () => ClientTransfers | null,
  printer: Printer,
  options: { json?: boolean } = {},
): () => void {
  // JSON lines are never redrawn.
  const live = options.json ? undefined : printer.progress;
  let last = -Infinity;
  return () => {
    const now = performance.now();
    if (now - last < (live === undefined ? PLAIN_PROGRESS_MS : REDRAW_MS)) return;
    last = now;
    for (const view of transfers()?.views() ?? []) {
      if (view.state !== "running") continue;
      if (options.json) printer.error(progressJson(view));
      else if (live === undefined) printer.error(progressLine(view, 72));
      else live.show(progressLine(view, Math.max(1, live.columns() - 1)));
    }
  };
}

function progressLine(view: TransferView, width: number): string {
  return formatProgress({
    label: `#${view.id} ${view.direction === "download" ? "↓" : "↑"} ${view.name}`,
    done: view.done,
    total: view.total,
    bytesPerSecond: view.bytesPerSecond,
    width,
  });
}

function isActive(view: TransferView): boolean {
  return view.state === "running" || view.state === "starting";
}

function describe(transfers: ClientTransfers, id: number): string {
  const view = transfers.views().find((v) => v.id === id);
  if (view === undefined) return "";
  const datagrams = view.datagramBytes === null ? "" : `, ${view.datagramBytes}-byte datagrams`;
  return `${view.name}, ${formatBytes(view.done)} of ${formatBytes(view.total)}${datagrams}`;
}
