/**
 * Starting and stopping the servers under test (our hub, ngircd and inspircd) as
 * processes of their own, with their logs in files.
 * @module
 */

import { makeSelfSigned } from "../../lib/net/tls_certificate.ts";
import { RAISE_LIMIT_THEN_EXEC } from "./generator_process.ts";
import { inspircdConfig } from "./inspircd_config.ts";
import { ngircdConfig } from "./ngircd_config.ts";
import { sleep, waitAtMost } from "./timing.ts";

/** Longest wait for a server to accept connections after starting. */
export const START_TIMEOUT_MS = 15_000;
/** Longest wait for a server to exit after SIGTERM before it is killed. */
export const STOP_TIMEOUT_MS = 15_000;
const SERVER_TS = new URL("../../server.ts", import.meta.url).pathname;
/** V8 flags the hub ships with (see deno.json): a small young generation keeps RSS down. */
export const HUB_V8_FLAGS = "--v8-flags=--max-semi-space-size=4";
const PROJECT_ROOT = new URL("../../", import.meta.url).pathname;
const NGIRCD_PLACES = ["/usr/sbin/ngircd", "/usr/bin/ngircd", "/usr/local/sbin/ngircd"];
const INSPIRCD_PLACES = ["/usr/sbin/inspircd", "/usr/bin/inspircd", "/usr/local/sbin/inspircd"];
/** The flag of server.ts that opens the hub's IRC listener (branch `ircwire`). */
export const IRC_PORT_FLAG = "--irc-port";

/** A server process under test. */
export interface ServerHandle {
  /** Process id, for /proc. */
  readonly pid: number;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** Where its output goes. */
  readonly logPath: string;
  /** Its certificate (PEM) when it speaks TLS, for the users to trust. */
  readonly caCert?: string;
  /**
   * Stops it and waits for it to exit: `SIGTERM` (the default) lets it shut down cleanly
   * (and write its profile), with `SIGKILL` after {@linkcode STOP_TIMEOUT_MS}.
   */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
}

/** Settings of {@linkcode startHub}. */
export interface HubStartOptions {
  /** Folder for the log (and the CPU profile). */
  outDir: string;
  /** Write a V8 CPU profile into `outDir` on exit (default false). */
  cpuProfile?: boolean;
  /**
   * Also open the hub's IRC listener, and hand out its port as the handle's `port` (default
   * false). Only for a server.ts that has {@linkcode IRC_PORT_FLAG}: see {@linkcode hubHasIrcPort}.
   */
  irc?: boolean;
  /** Keep history, as a server does by default (default true); false runs `--history off`. */
  history?: boolean;
  /** Speak TLS on the chat port, with a fresh self-signed certificate (default false). */
  tls?: boolean;
}

/**
 * Starts our hub (`server.ts`) with no rate limit, room for 20,000 clients from one address,
 * JSON logs, and its history in a fresh data directory under `outDir`.
 */
export async function startHub(options: HubStartOptions): Promise<ServerHandle> {
  const port = freePort();
  const ircPort = options.irc ? freePort() : null;
  const logPath = `${options.outDir}/hub-${port}.log`;
  const profile = options.cpuProfile ? ["--cpu-prof", `--cpu-prof-dir=${options.outDir}`] : [];
  const args = [Deno.execPath(), "run", "--allow-net", "--allow-read", "--allow-write"];
  // The same V8 flags as `deno task server` and the compiled chat-server.
  args.push(
    "--allow-env",
    HUB_V8_FLAGS,
    ...profile,
    SERVER_TS,
    "--port",
    String(port),
    "--rate",
    "0",
  );
  // Every benchmark client comes from 127.0.0.1: the per-address limit would refuse most.
  args.push("--max-clients", "20000", "--max-per-address", "20000", "--log", "json");
  // History on, as a server runs by default, in a fresh directory of its own: every run starts
  // from an empty database, and nothing piles up in the project.
  // No replay on join: a client logging in is not sent earlier runs' messages, which the checker
  // would count as duplicates (and which would be work the IRC servers are not asked to do).
  args.push("--data", `${options.outDir}/hub-${port}-data`, "--replay", "0");
  if (options.history === false) args.push("--history", "off");
  if (ircPort !== null) args.push(IRC_PORT_FLAG, String(ircPort));
  if (!options.tls) return await startLogged(args, ircPort ?? port, logPath);
  const tls = await writeCertificate(`${options.outDir}/hub-${port}-tls`);
  args.push("--tls-cert", tls.certFile, "--tls-key", tls.keyFile);
  return { ...await startLogged(args, ircPort ?? port, logPath), caCert: tls.certPem };
}

/** A fresh key and self-signed certificate for 127.0.0.1, written into `dir`. */
async function writeCertificate(dir: string) {
  const made = await makeSelfSigned(new Date(Date.now() - 60_000), {
    dnsNames: ["localhost"],
    ipAddresses: ["127.0.0.1"],
    days: 2,
  });
  await Deno.mkdir(dir, { recursive: true });
  const [certFile, keyFile] = [`${dir}/cert.pem`, `${dir}/key.pem`];
  await Deno.writeTextFile(certFile, made.certPem);
  await Deno.writeTextFile(keyFile, made.keyPem, { mode: 0o600 });
  return { certFile, keyFile, certPem: made.certPem };
}

/** Whether this server.ts takes {@linkcode IRC_PORT_FLAG}, going by its `--help`. */
export async function hubHasIrcPort(): Promise<boolean> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      SERVER_TS,
      "--help",
    ],
    cwd: PROJECT_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(output.stdout).includes(`${IRC_PORT_FLAG} `);
}

/** The path of the ngircd program, or `null` if it is not installed. */
export function findNgircd(): string | null {
  return findProgram(NGIRCD_PLACES);
}

/** The path of the inspircd program, or `null` if it is not installed. */
export function findInspircd(): string | null {
  return findProgram(INSPIRCD_PLACES);
}

function findProgram(places: readonly string[]): string | null {
  for (const path of places) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // Not there; try the next place.
    }
  }
  return null;
}

/** Starts ngircd in the foreground with a generated configuration. */
export async function startNgircd(program: string, outDir: string): Promise<ServerHandle> {
  const port = freePort();
  const dir = `${outDir}/ngircd-${port}`;
  await Deno.mkdir(`${dir}/conf.d`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/ngircd.conf`,
    ngircdConfig({ port, includeDir: `${dir}/conf.d` }),
  );
  return await startLogged([program, "-n", "-f", `${dir}/ngircd.conf`], port, `${dir}/ngircd.log`);
}

/**
 * Starts InspIRCd in the foreground with a generated configuration. It refuses to run as root
 * unless told to; the benchmark may run as root in a container.
 */
export async function startInspircd(program: string, outDir: string): Promise<ServerHandle> {
  const port = freePort();
  const dir = `${outDir}/inspircd-${port}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/motd`, "bench\n");
  await Deno.writeTextFile(`${dir}/inspircd.conf`, inspircdConfig({ port, dir }));
  const args = [program, "--nofork", "--runasroot", `--config=${dir}/inspircd.conf`];
  return await startLogged(args, port, `${dir}/inspircd.out`);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

async function startLogged(args: string[], port: number, logPath: string): Promise<ServerHandle> {
  const child = new Deno.Command("sh", {
    args: ["-c", `${RAISE_LIMIT_THEN_EXEC} >>"$BENCH_LOG" 2>&1`, "sh", ...args],
    env: { BENCH_LOG: logPath },
    cwd: PROJECT_ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const handle: ServerHandle = {
    pid: child.pid,
    port,
    logPath,
    stop: async (signal = "SIGTERM") => {
      try {
        child.kill(signal);
      } catch {
        // Already exited.
      }
      if ((await waitAtMost(child.status, STOP_TIMEOUT_MS)) === null) {
        child.kill("SIGKILL");
        await child.status;
      }
    },
  };
  const exited = child.status.then((status) => status.code);
  if (!(await waitForPort(port, exited))) {
    await handle.stop();
    throw new Error(`Cannot start ${args[0]}: nothing listening on ${port}; see ${logPath}`);
  }
  return handle;
}

async function waitForPort(port: number, exited: Promise<number>): Promise<boolean> {
  let gone = false;
  exited.then(() => gone = true);
  const start = performance.now();
  while (!gone && performance.now() - start < START_TIMEOUT_MS) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return true;
    } catch {
      await sleep(50);
    }
  }
  return false;
}
