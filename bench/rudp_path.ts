/**
 * The file channel on a real 1,500-byte path, against a TCP stream, Deno's built-in QUIC and
 * kcptun in the same run: a private network namespace (bench/rudp/path_lab.ts), the same file
 * downloaded by each contender, the whole receiving command timed, median of several runs, at
 * each loss rate. Writes the `## File channel on an MTU-1500 path` section of bench/RESULTS.md.
 *
 * Run (as root, with ip, ethtool, nft and openssl; kcptun from Debian's `kcptun` package, whose
 * rows are skipped, and said so, where it is not installed):
 *   deno run -A bench/rudp_path.ts [--quick] [--no-write] [--loss 0,1,5,10] [--runs N]
 *     [--only ours,tcp,quic,kcptun]
 * It makes the namespace and runs itself inside it (`--inside`), then removes it. A run with
 * `--loss` or `--only` writes nothing.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  LAB_NAMESPACE,
  labMissing,
  preparePathLab,
  priorityPrefix,
  removePathLab,
  setLoss,
  sh,
} from "./rudp/path_lab.ts";
import { renderPathSection } from "./rudp/path_report.ts";
import {
  type Contender,
  CONTENDERS,
  type PathRun,
  PathServers,
  runOnce,
} from "./rudp/path_runs.ts";
import { kcptunMissing } from "./rudp/kcptun_tunnel.ts";
import { BENCH_UNSEALED_ENV } from "../lib/transfer/bench_switch.ts";
import { waitForQuietMachine } from "./lib/quiet_machine.ts";
import { ROOT } from "./rudp/processes.ts";
import { formatMarkdown, writeSection } from "./rudp.ts";
import { writeRandomFile } from "./lib/random_file.ts";

/** Loss rates every contender runs at, percent. */
export const PATH_LOSSES = [0, 1, 5, 10];
/** A loss rate only our channel runs at, once: it has to complete. */
export const PATH_HEAVY_LOSS = 30;
/** Heading of the section this benchmark writes. */
export const PATH_HEADING = "## File channel on an MTU-1500 path";
const FILE = "path.bin";
const RUN_TIMEOUT_MS = 180_000;

/** Options of one run of the path benchmark. */
export interface PathOptions {
  quick: boolean;
  write: boolean;
  losses: number[];
  runs: number;
  /** The contenders to run, in {@linkcode CONTENDERS} order. */
  only: Contender[];
  /** Whether this process and the contenders run at real-time priority (set by `outside`). */
  highPriority: boolean;
}

/** Everything one run measured. */
export interface PathResults {
  date: string;
  command: string;
  sizeBytes: number;
  runs: number;
  highPriority: boolean;
  /** Why kcptun did not run, when it was asked for and could not. */
  kcptunSkipped: string | null;
  /** Whether our channel sealed its datagrams (unless `CHAT_BENCH_UNSEALED=1` was set). */
  sealed: boolean;
  rows: { lossPercent: number; runs: PathRun[] }[];
}

async function outside(args: string[]): Promise<number> {
  const missing = await labMissing();
  if (missing !== null) {
    console.error(`path bench: skipped, ${missing}`);
    return 0;
  }
  await preparePathLab();
  try {
    const self = new URL(import.meta.url).pathname;
    const priority = await priorityPrefix();
    const inside = priority.length > 0 ? ["--inside", "--high-priority"] : ["--inside"];
    const child = new Deno.Command("ip", {
      args: ["netns", "exec", LAB_NAMESPACE, ...priority, Deno.execPath(), "run", "-A", self]
        .concat(inside, args),
      cwd: ROOT,
      stdin: "null",
    }).spawn();
    return (await child.status).code;
  } finally {
    await removePathLab();
  }
}

async function inside(options: PathOptions, command: string): Promise<void> {
  const size = (options.quick ? 16 : 64) * 1024 * 1024;
  const dir = await Deno.makeTempDir({ prefix: "rudp_path_" });
  const files = join(dir, "files");
  await Deno.mkdir(files);
  await Deno.mkdir(join(dir, "downloads"));
  const sha256 = await writeRandomFile(join(files, FILE), size, 20261202);
  await makeCertificates(dir);
  const { only, kcptunSkipped } = await runnable(options.only);
  const kcptun = only.includes("kcptun");
  const servers = await PathServers.start(files, FILE, { certs: dir, kcptun });
  const file = { name: FILE, size, sha256, timeoutMs: RUN_TIMEOUT_MS, out: join(dir, "peer.out") };
  const rows: PathResults["rows"] = [];
  try {
    await setLoss(0);
    // The server hashes the file on the first request.
    if (only.includes("ours")) await runOnce(servers, "ours", file);
    for (const loss of options.losses) {
      await setLoss(Math.round(loss * 10));
      const runs: PathRun[] = [];
      const heavy = loss === PATH_HEAVY_LOSS;
      const contenders = heavy ? only.filter((c) => c === "ours") : only;
      const count = heavy ? 1 : options.runs;
      for (let round = 0; round < count; round++) {
        for (const contender of contenders) {
          // At real-time priority the others cannot take the contenders' cores.
          if (!options.highPriority) await waitForQuietMachine({ maxWaitMs: 30_000 });
          const run = await runOnce(servers, contender, file);
          console.error(`path bench: ${loss}% ${contender} ${describe(run)}`);
          runs.push(run);
        }
      }
      rows.push({ lossPercent: loss, runs });
    }
  } finally {
    await setLoss(0);
    await servers.stop();
    await Deno.remove(dir, { recursive: true });
  }
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const section = renderPathSection({
    date,
    command,
    sizeBytes: size,
    runs: options.runs,
    highPriority: options.highPriority,
    kcptunSkipped,
    sealed: Deno.env.get(BENCH_UNSEALED_ENV) !== "1",
    rows,
  });
  console.log(section);
  if (options.write) {
    await writeSection(join(ROOT, "bench/RESULTS.md"), await formatMarkdown(section), PATH_HEADING);
  }
}

/** The contenders of `asked` that can run here, and why kcptun cannot when it was asked. */
async function runnable(
  asked: Contender[],
): Promise<{ only: Contender[]; kcptunSkipped: string | null }> {
  const kcptunSkipped = asked.includes("kcptun") ? await kcptunMissing() : null;
  if (kcptunSkipped !== null) console.error(`path bench: kcptun rows skipped, ${kcptunSkipped}`);
  return { only: asked.filter((c) => c !== "kcptun" || kcptunSkipped === null), kcptunSkipped };
}

function describe(run: PathRun): string {
  const wire = run.wireBytes.toLocaleString("en-US");
  return run.ok
    ? `${run.mbps.toFixed(1)} MB/s, ${(run.wallMs / 1000).toFixed(2)} s, wire ${wire} B`
    : `FAILED ${run.error ?? ""}`;
}

/** A CA and a leaf for `localhost` (QUIC refuses a CA certificate used as the end entity). */
async function makeCertificates(dir: string): Promise<void> {
  const at = (name: string) => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await sh("openssl", [
    ...["req", "-x509", ...ec, "-keyout", at("ca.key"), "-out", at("ca.crt"), "-days", "2"],
    ...["-subj", "/CN=bench-ca", "-addext", "basicConstraints=critical,CA:TRUE"],
  ]);
  await sh("openssl", [
    ...["req", ...ec, "-keyout", at("leaf.key"), "-out", at("leaf.csr"), "-subj", "/CN=localhost"],
  ]);
  const ext = "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n";
  await Deno.writeTextFile(at("ext.cnf"), ext);
  await sh("openssl", [
    ...["x509", "-req", "-in", at("leaf.csr"), "-CA", at("ca.crt"), "-CAkey", at("ca.key")],
    ...["-CAcreateserial", "-out", at("leaf.crt"), "-days", "2", "-extfile", at("ext.cnf")],
  ]);
}

function parseOptions(args: string[]): PathOptions & { inside: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean" },
      "no-write": { type: "boolean" },
      inside: { type: "boolean" },
      "high-priority": { type: "boolean" },
      loss: { type: "string" },
      runs: { type: "string" },
      only: { type: "string" },
    },
  });
  const quick = values.quick ?? false;
  const losses = values.loss?.split(",").map(Number) ?? [...PATH_LOSSES, PATH_HEAVY_LOSS];
  const partial = values.loss !== undefined || values.only !== undefined;
  return {
    quick,
    write: !(values["no-write"] ?? quick) && !partial,
    losses,
    runs: values.runs === undefined ? (quick ? 1 : 3) : Number(values.runs),
    only: parseContenders(values.only),
    inside: values.inside ?? false,
    highPriority: values["high-priority"] ?? false,
  };
}

/** The contenders `--only` names (comma-separated), in {@linkcode CONTENDERS} order; all if none. */
function parseContenders(only: string | undefined): Contender[] {
  if (only === undefined) return [...CONTENDERS];
  const named = only.split(",").map((name) => name.trim());
  const unknown = named.filter((name) => !(CONTENDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(`path bench: unknown contender ${unknown.join(", ")} (${CONTENDERS.join(", ")})`);
    Deno.exit(2);
  }
  return CONTENDERS.filter((contender) => named.includes(contender));
}

if (import.meta.main) {
  const options = parseOptions(Deno.args);
  if (!options.inside) Deno.exit(await outside(Deno.args));
  const shown = Deno.args.filter((arg) => arg !== "--inside" && arg !== "--high-priority");
  await inside(options, ["deno run -A bench/rudp_path.ts", ...shown].join(" "));
}
