/**
 * Linux `perf` as a second view of where a server's time goes: unlike a V8 profile it sees
 * the kernel (system calls, TCP) and the runtime's native code.
 * @module
 */

/** One row of a `perf report`: a share of the samples and where they fell. */
export interface PerfRow {
  /** Share of all samples, 0 to 1. */
  share: number;
  /** The shared object (`--sort dso`) or symbol (`--sort sym`). */
  where: string;
}

/** Samples process `pid` for `seconds` into `dataPath`; false if perf is missing or fails. */
export async function recordPerf(pid: number, seconds: number, dataPath: string): Promise<boolean> {
  try {
    const args = ["record", "-F", "499", "-p", String(pid), "-o", dataPath, "--", "sleep"];
    const output = await new Deno.Command("perf", {
      args: [...args, String(seconds)],
      stdout: "null",
      stderr: "null",
    }).output();
    return output.success;
  } catch {
    return false;
  }
}

/** The heaviest rows of a report on `dataPath`, sorted by shared object or by symbol. */
export async function perfReport(dataPath: string, sort: "dso" | "sym"): Promise<PerfRow[]> {
  try {
    const output = await new Deno.Command("perf", {
      args: ["report", "-i", dataPath, "--stdio", "--no-children", "--sort", sort],
      stdout: "piped",
      stderr: "null",
    }).output();
    return output.success ? parsePerfReport(new TextDecoder().decode(output.stdout)) : [];
  } catch {
    return [];
  }
}

/** Parses the rows of `perf report --stdio` text (comment and blank lines skipped). */
export function parsePerfReport(text: string): PerfRow[] {
  const rows: PerfRow[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*([\d.]+)%\s+(.+?)\s*$/.exec(line);
    if (match === null) continue;
    rows.push({ share: Number(match[1]) / 100, where: match[2]!.replace(/\s+/g, " ") });
  }
  return rows;
}
