/**
 * `/get`, `/put`, `/pause`, `/resume` and `/cancel` for the two kinds of client: the
 * interactive one starts transfers in the background with progress bars, the scripted one
 * waits for each with progress lines on stderr.
 * @module
 */

import type { ChatClient } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import { MAX_DATAGRAM_BYTES } from "../rudp/transport_options.ts";
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
      (error: ChatError) => printer.error(sanitize(`#${id} failed: ${error.message}`)),
    );
  };
  return {
    get: (name) => Promise.resolve(follow(transfers.download(name), `downloading ${name}`)),
    put: (path) => Promise.resolve(follow(transfers.upload(path), `uploading ${path}`)),
    control: (kind, id) => {
      transfers[kind](id);
      if (kind === "resume") follow(id, "resuming");
      else printer.print(`#${id} ${kind === "pause" ? "paused" : "cancelled"}`);
    },
  };
}

/**
 * Commands that run each transfer to its end (one-shot and piped); with `json`, the outcome is
 * a `transfer` JSON line (see `transferJson`).
 */
export function waitingCommands(
  transfers: ClientTransfers,
  printer: Printer,
  options: { json?: boolean } = {},
): TransferCommands {
  const run = async (id: number) => {
    const state = await transfers.wait(id);
    const view = transfers.views().find((v) => v.id === id);
    if (options.json && view !== undefined) return printer.print(transferJson(view));
    printer.print(sanitize(`${state === "done" ? "Finished" : state}: ${describe(transfers, id)}`));
  };
  return {
    get: (name) => run(transfers.download(name)),
    put: (path) => run(transfers.upload(path)),
    control: () => {
      throw new ChatError(
        "TRANSFER_REFUSED",
        "Pause, resume and cancel need the interactive client",
      );
    },
  };
}

/** Renders progress at most every 100 ms as status lines (interactive). */
export function statusRenderer(
  transfers: () => ClientTransfers | null,
  show: (lines: string[]) => void,
): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = () => {
    timer = undefined;
    last = performance.now();
    const views = transfers()?.views() ?? [];
    show(views.filter(isActive).map((v) => progressLine(v, 80)));
  };
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(render, Math.max(0, REDRAW_MS - (performance.now() - last)));
  };
}

/** Prints progress as a plain line (or a `progress` JSON line) about once a second (scripts). */
export function lineRenderer(
  transfers: () => ClientTransfers | null,
  print: (line: string) => void,
  options: { json?: boolean } = {},
): () => void {
  let last = 0;
  return () => {
    const now = performance.now();
    if (now - last < PLAIN_PROGRESS_MS) return;
    last = now;
    for (const view of transfers()?.views() ?? []) {
      if (view.state !== "running") continue;
      print(options.json ? progressJson(view) : progressLine(view, 72));
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
