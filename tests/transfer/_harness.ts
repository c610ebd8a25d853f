// A whole server in one process for the transfer tests: hub, TCP driver and ServerTransfers on
// 127.0.0.1 port 0, a temporary shared folder, and optionally a UdpRelay in front of the file
// channel (grants then name the relay's port, as a server behind a relay would advertise it).
// Clients are ChatClient + ClientTransfers, each with a downloads folder of its own.
import { join } from "node:path";
import type { ServerMessage, TransferGrant } from "../../lib/chat/events.ts";
import { Hub } from "../../lib/chat/hub.ts";
import type { LogRecord } from "../../lib/chat/hub_types.ts";
import { SharedFolder, type SharedFolderOptions } from "../../lib/files/shared_folder.ts";
import { ChatClient } from "../../lib/net/chat_client.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { UdpRelay, type UdpRelayOptions } from "../../tools/relay/udp_relay.ts";
import { ClientTransfers } from "../../lib/transfer/client_transfers.ts";
import type { GrantLimits } from "../../lib/transfer/grant_ledger.ts";
import { ServerTransfers } from "../../lib/transfer/server_transfers.ts";
export { writeRandomFile } from "../../bench/lib/random_file.ts";

/** Settings of a test server. */
export interface HarnessOptions {
  /** Put a relay with these impairments between clients and the file channel. */
  relay?: Omit<UdpRelayOptions, "listen" | "target">;
  /** The server's largest datagram (default 65,507, as `server.ts`). */
  maxDatagramBytes?: number;
  /** How the server's shared folder opens files (to swap files or fail writes). */
  folder?: SharedFolderOptions;
  /** Limits on grants and files (default the server's). */
  limits?: Partial<GrantLimits>;
  /** Rewrites each grant on its way to the client, as a hostile or broken hub would. */
  alterGrant?: (grant: TransferGrant) => TransferGrant;
}

/** A connected, logged-in test client. */
export interface TestClient {
  chat: ChatClient;
  transfers: ClientTransfers;
  downloads: string;
  /** Every event (not reply) the hub sent it. */
  events: ServerMessage[];
  close(): Promise<void>;
}

/** Settings of a test client. */
export interface ClientSettings {
  overwrite?: boolean;
  /** The upper bound of path MTU discovery (default 8192). */
  maxDatagramBytes?: number;
  /** Reconnect after losing the hub (default false). */
  reconnect?: boolean;
}

/** A running test server. */
export class Harness {
  readonly grants: TransferGrant[] = [];
  readonly logs: LogRecord[] = [];
  readonly relay: UdpRelay | null;
  readonly transfers: ServerTransfers;
  readonly #server: HubServer;
  readonly #clients = new Set<TestClient>();

  private constructor(readonly root: string, readonly folder: string, options: HarnessOptions) {
    const log = (record: LogRecord) => this.logs.push(record);
    // Every test client comes from 127.0.0.1: the per-address limit is raised for them.
    const server = new HubServer(new Hub({ rate: null, maxPerAddress: 1000 }), {
      hostname: "127.0.0.1",
      port: 0,
      log,
      onAction: (action) => {
        if (action.kind === "files") {
          const re = action.re === undefined ? {} : { re: action.re };
          new SharedFolder(folder).list().then((files) =>
            server.run((hub, now) => hub.reply(action.conn, { type: "files", ...re, files }, now))
          );
        } else this.transfers.handle(action);
      },
    });
    this.#server = server;
    let relay: UdpRelay | null = null;
    this.transfers = new ServerTransfers({
      folder: new SharedFolder(folder, options.folder),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      hostname: "127.0.0.1",
      port: 0,
      maxDatagramBytes: options.maxDatagramBytes ?? 65_507,
      reply: (conn, message) => {
        if (message.type === "transfer") {
          if (relay !== null) message = { ...message, udpPort: relay.port };
          if (options.alterGrant !== undefined) {
            message = { ...message, ...options.alterGrant(message) };
          }
          this.grants.push(message);
        }
        server.run((hub, now) => hub.reply(conn, message, now));
      },
      announce: (message) => server.run((hub, now) => hub.announce(message, now)),
      log,
    });
    if (options.relay !== undefined) {
      relay = new UdpRelay({
        ...options.relay,
        listen: { hostname: "127.0.0.1", port: 0 },
        target: { hostname: "127.0.0.1", port: this.transfers.port },
      });
    }
    this.relay = relay;
  }

  /** Starts a server sharing a new temporary folder. */
  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const root = await Deno.makeTempDir({ prefix: "transfer_test_" });
    const folder = join(root, "shared");
    await Deno.mkdir(folder);
    return new Harness(root, folder, options);
  }

  /** The TCP port of the hub. */
  get port(): number {
    return this.#server.port;
  }

  /** Connects and logs in a client with a downloads folder of its own. */
  async connect(name: string, settings: ClientSettings = {}): Promise<TestClient> {
    const events: ServerMessage[] = [];
    let transfers: ClientTransfers | null = null;
    const chat = await ChatClient.open({
      host: "127.0.0.1",
      port: this.port,
      reconnect: settings.reconnect ?? false,
      onEvent: (message) => {
        events.push(message);
        transfers?.handleServerMessage(message);
      },
    });
    await chat.login(name);
    const downloads = join(this.root, `downloads-${name}`);
    transfers = new ClientTransfers({
      client: chat,
      serverHost: "127.0.0.1",
      downloads,
      overwrite: settings.overwrite ?? false,
      maxDatagramBytes: settings.maxDatagramBytes ?? 8192,
    });
    const client: TestClient = {
      chat,
      transfers,
      downloads,
      events,
      close: async () => {
        this.#clients.delete(client);
        await transfers.close();
        await chat.close();
      },
    };
    this.#clients.add(client);
    return client;
  }

  /** Closes every client, the relay, the file channel and the hub, and removes the folders. */
  async close(): Promise<void> {
    for (const client of [...this.#clients]) await client.close();
    await this.relay?.close();
    await this.#server.shutdown();
    await this.transfers.close();
    await Deno.remove(this.root, { recursive: true });
  }
}

/** Resolves when `check` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 10));
  }
}

/** Size of the file at `path`, or -1 if there is none. */
export async function sizeOf(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return -1;
  }
}
