/**
 * Memory and CPU time of processes and of the machine, and UDP counters, read from Linux's
 * /proc; shared by the chat and the file-channel benchmarks.
 * @module
 */

import process from "node:process";

/** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Resident set size of process `pid` in KiB, or `null` if it cannot be read. */
export async function readRssKib(pid: number): Promise<number | null> {
  const status = await readProcFile(`/proc/${pid}/status`);
  return status === null ? null : parseRssKib(status);
}

/** CPU time (user + system) process `pid` has used, in ms, or `null` if it cannot be read. */
export async function readCpuMs(pid: number): Promise<number | null> {
  const stat = await readProcFile(`/proc/${pid}/stat`);
  return stat === null ? null : parseCpuMs(stat);
}

/** CPU time (user + system) this process has used, in ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Reads a /proc file through `cat`, or `null` if that fails. Deno grants /proc only to
 * fully privileged programs, while running `cat` needs no more than `--allow-run=cat`.
 */
export async function readProcFile(path: string): Promise<string | null> {
  try {
    const output = await new Deno.Command("cat", { args: [path], stderr: "null" }).output();
    return output.success ? new TextDecoder().decode(output.stdout) : null;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine in ms (all cores summed), or `null`. */
export async function readMachineCpuMs(): Promise<{ busy: number; total: number } | null> {
  const stat = await readProcFile("/proc/stat");
  return stat === null ? null : parseMachineCpuMs(stat);
}

/** The busy and total time of the `cpu` line of a /proc/stat text, in ms, or `null`. */
export function parseMachineCpuMs(stat: string): { busy: number; total: number } | null {
  const match = /^cpu\s+([\d ]+)$/m.exec(stat);
  if (match === null) return null;
  const ticks = match[1]!.trim().split(/\s+/).map(Number);
  if (ticks.length < 5 || ticks.some((n) => !Number.isFinite(n))) return null;
  // user nice system idle iowait irq softirq steal ...; guest time is already in user.
  const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0);
  const idle = ticks[3]! + ticks[4]!;
  return {
    busy: (total - idle) * 1000 / CLOCK_TICKS_PER_SECOND,
    total: total * 1000 / CLOCK_TICKS_PER_SECOND,
  };
}

/** The `VmRSS` of a /proc/PID/status text in KiB, or `null` if absent. */
export function parseRssKib(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match === null ? null : Number(match[1]);
}

/** User + system CPU time of a /proc/PID/stat text in ms, or `null` if malformed. */
export function parseCpuMs(stat: string): number | null {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of the whole line (utime, stime) are 12 and 13 after the name.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || fields.length < 13) return null;
  return (utime + stime) * 1000 / CLOCK_TICKS_PER_SECOND;
}

/** System-wide UDP counters (other programs count too). */
export interface UdpCounters {
  /** Datagrams dropped because a socket's receive buffer was full. */
  rcvbufErrors: number;
  /** Datagrams delivered to sockets. */
  inDatagrams: number;
}

/** The machine's UDP counters from `/proc/net/snmp`, or `null` if they cannot be read. */
export async function readUdpCounters(): Promise<UdpCounters | null> {
  const snmp = await readProcFile("/proc/net/snmp");
  return snmp === null ? null : parseUdpCounters(snmp);
}

/** The UDP counters of a `/proc/net/snmp` text (a header line, then a value line), or `null`. */
export function parseUdpCounters(snmp: string): UdpCounters | null {
  const rcvbufErrors = snmpCounter(snmp, "Udp", "RcvbufErrors");
  const inDatagrams = snmpCounter(snmp, "Udp", "InDatagrams");
  if (rcvbufErrors === null || inDatagrams === null) return null;
  return { rcvbufErrors, inDatagrams };
}

/**
 * One counter of a `/proc/net/snmp` text, where each protocol has a header line of names and a
 * line of values, both starting `Protocol:`; `null` when absent or not a number.
 */
export function snmpCounter(snmp: string, protocol: string, name: string): number | null {
  const lines = snmp.split("\n").filter((line) => line.startsWith(`${protocol}:`));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/).map(Number) ?? [];
  const index = names.indexOf(name);
  const value = index < 1 ? null : values[index] ?? null;
  return value !== null && Number.isFinite(value) ? value : null;
}
