/**
 * What half-open TLS connections hold on a real hub: `server.ts` started as `deno task server`
 * starts it (its permissions read from deno.json), with a self-signed certificate; N peers
 * connect to its TLS port and send nothing (or, with `--hello`, the first bytes of a client
 * hello). Prints the hub's open descriptors, resident memory and CPU time before, while they
 * wait, and after its handshake timeout (plus the close grace of those it refused), the peers
 * still connected and silent. `--waves K` does that K times, the earlier peers kept open (is what
 * a wave held reused by the next?). `--no-ffi` runs the hub without FFI for libc, as where it is
 * not granted: the given-up connections then keep their descriptors.
 *
 * `deno run -A bench/tls_half_open.ts [N] [--hello] [--no-ffi] [--waves K] [--max-per-address M]`
 * (default 1,000 peers, `--max-per-address` 2,000 so that every peer gets as far as the
 * handshake; the hub's limit of connections not logged in refuses most of them anyway)
 * @module
 */

import { makeSelfSigned } from "../lib/net/tls_certificate.ts";
import { TLS_HANDSHAKE_TIMEOUT_MS } from "../lib/net/hub_server.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const args = Deno.args;
const VALUED = ["--waves", "--max-per-address"];
const valueOf = (flag: string) => args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined;
const peers = Number(
  args.find((arg, i) => /^\d+$/.test(arg) && !VALUED.includes(args[i - 1] ?? "")) ?? 1000,
);
const hello = args.includes("--hello");
const noFfi = args.includes("--no-ffi");
const perAddress = valueOf("--max-per-address") ?? "2000";
const waves = Number(valueOf("--waves") ?? 1);
// Past the handshake timeout, the close grace of refused ones, and a batch of releases.
const SETTLE_MS = TLS_HANDSHAKE_TIMEOUT_MS + 2000 + 1000;

/** One reading of the hub process. */
interface Reading {
  fds: number;
  rssKiB: number;
  cpuMs: number;
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "tls_half_open_" });
  const server = await startServer(dir);
  const conns: Deno.TcpConn[] = [];
  try {
    console.log(
      `${peers} half-open TLS peers a wave${hello ? " (a partial client hello each)" : ""}, ` +
        `${waves} wave(s), earlier waves' peers kept open; hub ` +
        `${noFfi ? "without FFI for libc" : "as deno task server"}:`,
    );
    show("before", await read(server.pid));
    let refused = 0;
    for (let wave = 1; wave <= waves; wave++) {
      refused += await connectSilent(server.port, conns);
      await sleep(500);
      show(`wave ${wave} waiting`, await read(server.pid));
      await sleep(SETTLE_MS);
      show(`wave ${wave} after`, await read(server.pid));
    }
    console.log(`  connects refused: ${refused}; hub warnings: ${server.warnings() || "none"}`);
  } finally {
    for (const conn of conns) conn.close();
    if (Deno.env.get("TLS_HALF_OPEN_DEBUG")) console.log(server.records);
    server.stop();
    await server.done;
    await Deno.remove(dir, { recursive: true });
  }
}

/** Opens `peers` connections that say nothing (or a partial hello); returns how many failed. */
async function connectSilent(port: number, conns: Deno.TcpConn[]): Promise<number> {
  let refused = 0;
  for (let i = 0; i < peers; i++) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conns.push(conn);
      if (hello) await conn.write(Uint8Array.of(0x16, 0x03, 0x01, 0x00, 0xc8, 0x01));
    } catch {
      refused++; // reset by the hub as it refused it
    }
  }
  return refused;
}

function show(name: string, r: Reading): void {
  const rss = (r.rssKiB / 1024).toFixed(1).padStart(6);
  console.log(
    `  ${name.padEnd(16)} fds ${String(r.fds).padStart(5)}  RSS ${rss} MiB  ` +
      `CPU ${String(r.cpuMs).padStart(5)} ms`,
  );
}

/** Starts the hub on a free port with a fresh certificate in `dir`; resolves once it listens. */
async function startServer(dir: string) {
  const made = await makeSelfSigned(new Date(), {
    dnsNames: ["localhost"],
    ipAddresses: ["127.0.0.1"],
    days: 1,
  });
  await Deno.writeTextFile(`${dir}/cert.pem`, made.certPem);
  await Deno.writeTextFile(`${dir}/key.pem`, made.keyPem);
  await Deno.mkdir(`${dir}/files`);
  const command = serverCommand().filter((arg) => !(noFfi && arg.startsWith("--allow-ffi")));
  const flags = ["--port", "0", "--udp-port", "0", "--tls-cert", `${dir}/cert.pem`];
  flags.push("--tls-key", `${dir}/key.pem`, "--files", `${dir}/files`, "--data", `${dir}/data`);
  flags.push("--history", "off", "--max-per-address", perAddress, "--log", "json");
  const child = new Deno.Command(command[0]!, {
    args: [...command.slice(1), ...flags],
    cwd: ROOT,
    stderr: "piped",
    stdout: "null",
  }).spawn();
  const records: { level?: string; event?: string; detail?: string }[] = [];
  let listening = (_port: number) => {};
  const port = new Promise<number>((ok) => listening = ok);
  // Reads every line to the end (the hub never blocks on a full pipe), noting the port.
  const rest = (async () => {
    let buffered = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      const lines = (buffered + chunk).split("\n");
      buffered = lines.pop()!;
      for (const record of lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))) {
        records.push(record);
        if (record.event === "listening") listening(Number(/:(\d+) tls/.exec(record.detail)![1]));
      }
    }
  })();
  return {
    pid: child.pid,
    port: await port,
    warnings: () => {
      const counts = new Map<string, number>();
      for (const r of records.filter((r) => r.level === "warn")) {
        counts.set(r.event ?? "?", (counts.get(r.event ?? "?") ?? 0) + 1);
      }
      return [...counts].map(([event, n]) => `${event} x${n}`).join(", ");
    },
    records,
    stop: () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already gone: its records say why.
      }
    },
    done: Promise.all([child.status, rest]),
  };
}

/** `deno task server`'s command line, from deno.json. */
function serverCommand(): string[] {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));
  return (config.tasks.server as string).split(" ");
}

/** The hub's open descriptors, resident memory and CPU time, read with `ls` and `cat`. */
async function read(pid: number): Promise<Reading> {
  const fds = (await run("ls", `/proc/${pid}/fd`)).split("\n").filter((l) => l !== "").length;
  const status = await run("cat", `/proc/${pid}/status`);
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // utime and stime, fields 14 and 15 of /proc/PID/stat (after the name in parentheses)
  const stat = (await run("cat", `/proc/${pid}/stat`)).split(") ")[1]!.split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]);
  return { fds, rssKiB, cpuMs: ticks * 10 };
}

async function run(program: string, arg: string): Promise<string> {
  const { stdout } = await new Deno.Command(program, { args: [arg] }).output();
  return new TextDecoder().decode(stdout);
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
