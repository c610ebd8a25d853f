/**
 * A process's memory and CPU time, read from Linux's /proc.
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

/** CPU used by the server and by this process over one measurement window, in cores. */
export interface CpuShares {
  /** The server's share, or `null` if it could not be read. */
  server: number | null;
  /** This process's share. */
  generator: number;
  /** Everything else the machine did (other programs, interrupts), or `null` if unreadable. */
  background: number | null;
}

/**
 * Meters the server and this process together over one window.
 *
 * @example
 * ```ts ignore
 * const window = new CpuWindow(serverPid);
 * await window.start(performance.now());
 * // ... load ...
 * await window.stop(performance.now()); // e.g. { server: 0.98, generator: 0.91 }
 * ```
 */
export class CpuWindow {
  readonly #serverPid: number | null;
  #serverStart: number | null = null;
  #machineStart: number | null = null;
  #ownStart = 0;
  #startAt = 0;

  /** @param serverPid the server's process id, or `null` if unknown */
  constructor(serverPid: number | null) {
    this.#serverPid = serverPid;
  }

  /** Opens the window at `now` (ms on any monotonic clock). */
  async start(now: number): Promise<void> {
    this.#startAt = now;
    this.#ownStart = ownCpuMs();
    this.#serverStart = this.#serverPid === null ? null : await readCpuMs(this.#serverPid);
    this.#machineStart = (await readMachineCpuMs())?.busy ?? null;
  }

  /** Closes the window at `now` (ms) and returns the shares used (1 = one core busy). */
  async stop(now: number): Promise<CpuShares> {
    const elapsed = Math.max(now - this.#startAt, 1);
    const generator = (ownCpuMs() - this.#ownStart) / elapsed;
    const serverEnd = this.#serverPid === null ? null : await readCpuMs(this.#serverPid);
    const server = serverEnd === null || this.#serverStart === null
      ? null
      : (serverEnd - this.#serverStart) / elapsed;
    const machineEnd = (await readMachineCpuMs())?.busy ?? null;
    const background = machineEnd === null || this.#machineStart === null
      ? null
      : Math.max(0, (machineEnd - this.#machineStart) / elapsed - generator - (server ?? 0));
    return { server, generator, background };
  }
}
