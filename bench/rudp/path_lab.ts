/**
 * A real 1,500-byte path on this machine: a private network namespace whose loopback has MTU
 * 1500 and no segmentation offloads (so every packet on it is Ethernet-sized), with random loss
 * from an `nft` rule in a prerouting chain (silent, like a wire: the sender never hears of it)
 * and a counter of every byte that crosses it. Needs root, `ip`, `ethtool` and `nft`.
 *
 * The namespace is made from outside (`preparePathLab`); the loss and the counter are set from
 * inside it (`setLoss`, `wireBytes`), by a process started with `ip netns exec`.
 *
 * @module
 */

import { readProcFile, snmpCounter } from "../lib/proc_stats.ts";

/** Name of the benchmark's namespace. */
export const LAB_NAMESPACE = "chatpath";
/** MTU of the namespace's loopback, bytes. */
export const LAB_MTU = 1500;
/**
 * An address of the namespace's loopback that is off the path: packets from or to it are
 * neither counted nor dropped. The kcptun tunnel's TCP ends use it, since in use they sit on the
 * same machine as the tunnel end they talk to; only the tunnel's UDP crosses the path.
 */
export const LAB_OFF_PATH_HOST = "127.0.0.2";
const TABLE = "chatlab";

/** Runs a command; throws with its stderr when it fails. */
export async function sh(command: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).trim();
    throw new Error(`${command} ${args.join(" ")} failed: ${stderr}`);
  }
  return new TextDecoder().decode(output.stdout);
}

/**
 * Real-time priority the lab's processes run at (round-robin, above every ordinary process), so
 * that what else runs on the machine cannot take the contenders' cores: the highest niceness
 * still doubled their times beside a busy machine. Round-robin, not first-in first-out: under
 * SCHED_FIFO a Deno thread that spins waiting for one of its own helper threads (at the same
 * priority, queued on the same core) never lets it run, and a client and a server once spun so
 * for ten minutes; round-robin hands the core over at the end of each time slice (100 ms).
 */
export const LAB_PRIORITY = 10;

/**
 * The command prefix that runs a process at {@linkcode LAB_PRIORITY}, which its children and
 * threads inherit, or none where `chrt` cannot (then the runs share the cores with whatever
 * else runs, and the bench waits for a quiet machine instead).
 */
export async function priorityPrefix(): Promise<string[]> {
  const prefix = ["chrt", "-r", String(LAB_PRIORITY)];
  const probe = await new Deno.Command(prefix[0]!, { args: [...prefix.slice(1), "true"] })
    .output().catch(() => null);
  return probe?.success ? prefix : [];
}

/** Whether the tools the lab needs are on this machine (and we are root). */
export async function labMissing(): Promise<string | null> {
  if (Deno.uid() !== 0) return "needs root (ip netns, nft)";
  for (const tool of ["ip", "ethtool", "nft"]) {
    const found = await new Deno.Command("sh", { args: ["-c", `command -v ${tool}`] }).output();
    if (!found.success) return `needs ${tool} (apt-get install iproute2 ethtool nftables)`;
  }
  return null;
}

/** Makes (or remakes) the namespace: loopback up at {@linkcode LAB_MTU}, offloads off. */
export async function preparePathLab(name = LAB_NAMESPACE): Promise<void> {
  await sh("ip", ["netns", "del", name]).catch(() => {});
  await sh("ip", ["netns", "add", name]);
  await sh("ip", ["-n", name, "link", "set", "lo", "up", "mtu", String(LAB_MTU)]);
  await sh("ip", ["netns", "exec", name, "ethtool", "-K", "lo", "tso", "off", "gso", "off"]);
  await sh("ip", ["netns", "exec", name, "ethtool", "-K", "lo", "gro", "off"]);
}

/** Removes the namespace. */
export async function removePathLab(name = LAB_NAMESPACE): Promise<void> {
  await sh("ip", ["netns", "del", name]).catch(() => {});
}

/**
 * From inside the namespace: drops `permille` / 1000 of every TCP and UDP packet at random
 * (each direction alike, since on loopback every packet passes prerouting once), after counting
 * it, and zeroes the counter; packets from or to {@linkcode LAB_OFF_PATH_HOST} pass untouched.
 */
export async function setLoss(permille: number): Promise<void> {
  const rules = [
    `table inet ${TABLE} {`,
    "  counter wire {}",
    "  chain pre {",
    "    type filter hook prerouting priority -300; policy accept;",
    `    ip saddr ${LAB_OFF_PATH_HOST} accept`,
    `    ip daddr ${LAB_OFF_PATH_HOST} accept`,
    "    meta l4proto { tcp, udp } counter name wire",
    permille > 0 ? `    meta l4proto { tcp, udp } numgen random mod 1000 < ${permille} drop` : "",
    "  }",
    "}",
  ].join("\n");
  await sh("nft", ["delete", "table", "inet", TABLE]).catch(() => {});
  const file = await Deno.makeTempFile({ suffix: ".nft" });
  try {
    await Deno.writeTextFile(file, rules);
    await sh("nft", ["-f", file]);
  } finally {
    await Deno.remove(file);
  }
}

/** From inside the namespace: bytes counted on the wire since the last reset; resets them. */
export async function wireBytes(): Promise<number> {
  const json = JSON.parse(await sh("nft", ["-j", "reset", "counter", "inet", TABLE, "wire"]));
  const counter = (json.nftables as { counter?: { bytes: number } }[])
    .find((item) => item.counter !== undefined)?.counter;
  return counter?.bytes ?? NaN;
}

/** From inside the namespace: TCP segments retransmitted so far (`/proc/net/snmp`, per namespace). */
export async function tcpRetransSegs(): Promise<number> {
  const snmp = await readProcFile("/proc/net/snmp");
  return (snmp === null ? null : snmpCounter(snmp, "Tcp", "RetransSegs")) ?? NaN;
}
