/**
 * A description of the machine and software a benchmark ran on, for its report.
 * @module
 */

import { readProcFile } from "../lib/proc_stats.ts";

/** Where and with what a benchmark ran. */
export interface MachineInfo {
  /** When, as an ISO 8601 UTC timestamp to the minute. */
  date: string;
  /** CPU model name. */
  cpu: string;
  /** Logical cores. */
  cores: number;
  /** Linux kernel release. */
  kernel: string;
  /** Deno version. */
  deno: string;
  /** ngircd's version line, or `null` if not installed. */
  ngircd: string | null;
}

/** Gathers the facts; any that cannot be read are reported as "unknown". */
export async function describeMachine(ngircdPath: string | null): Promise<MachineInfo> {
  const cpuinfo = await readProcFile("/proc/cpuinfo") ?? "";
  return {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    cores: navigator.hardwareConcurrency,
    kernel: (await readProcFile("/proc/sys/kernel/osrelease"))?.trim() ?? "unknown",
    deno: Deno.version.deno,
    ngircd: ngircdPath === null ? null : await ngircdVersion(ngircdPath),
  };
}

async function ngircdVersion(path: string): Promise<string> {
  try {
    const output = await new Deno.Command(path, { args: ["--version"], stderr: "null" }).output();
    const first = new TextDecoder().decode(output.stdout).split("\n")[0] ?? "";
    return /ngIRCd\s+(\S+?)-/.exec(first)?.[1] ?? (first.trim() || "unknown");
  } catch {
    return "unknown";
  }
}
