/**
 * Summaries of V8 CPU profiles (the `.cpuprofile` files `deno run --cpu-prof` writes):
 * where the samples fell, by function and by source file. Shared by the chat and the
 * file-channel benchmarks.
 * @module
 */

import { join } from "node:path";

/** One node of a V8 CPU profile's call tree. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A V8 CPU profile as written to a `.cpuprofile` file. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  /** The node each sample was taken in. */
  samples: number[];
  /** Microseconds before each sample since the previous one. */
  timeDeltas: number[];
}

/** Self time of one place in the code. */
export interface ProfileEntry {
  /** A function (`name (file:line)`) or a file, depending on the summary. */
  where: string;
  /** Microseconds of samples taken there. */
  selfUs: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

/** Self time of one function: `where` is `name (file:line)`, also given in parts. */
export interface FunctionEntry extends ProfileEntry {
  /** The function's name, `(anonymous)` when it has none. */
  name: string;
  /** `file:line`, or `(native)` for code without a source. */
  location: string;
}

/** A summary of where a profile's busy time went. */
export interface ProfileSummary {
  /** Time covered by the profile, µs. */
  totalUs: number;
  /** Time not idle, µs. */
  busyUs: number;
  /** The heaviest functions by self time. */
  functions: FunctionEntry[];
  /** Self time summed by source file (and V8's own categories). */
  files: ProfileEntry[];
}

const IDLE = "(idle)";

/** Parses a `.cpuprofile` text; returns an error message instead of throwing. */
export function parseCpuProfile(text: string): CpuProfile | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "Cannot parse CPU profile: not JSON" };
  }
  const profile = value as Partial<CpuProfile> | null;
  if (
    profile === null || !Array.isArray(profile.nodes) || !Array.isArray(profile.samples) ||
    !Array.isArray(profile.timeDeltas) || profile.samples.length !== profile.timeDeltas.length
  ) {
    return { error: "Cannot parse CPU profile: nodes, samples or timeDeltas missing" };
  }
  return profile as CpuProfile;
}

/** Summarises self time by function and by file; `top` limits the function list (default 12). */
export function summarizeProfile(
  profile: CpuProfile,
  options: { top?: number } = {},
): ProfileSummary {
  const byNode = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byNode.set(node.id, node);
  const functions = new Map<string, Omit<FunctionEntry, "share">>();
  const fileUs = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  // A sample's time is the gap until the next sample: V8 attributes it to where it stood.
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byNode.get(profile.samples[i]!);
    totalUs += us;
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === IDLE) {
      idleUs += us;
      continue;
    }
    const file = shortUrl(url) || functionName || "(anonymous)";
    const name = functionName || "(anonymous)";
    const location = url === "" ? "(native)" : `${file}:${lineNumber + 1}`;
    const where = url === "" ? functionName : `${name} (${location})`;
    const entry = functions.get(where) ?? { where, name, location, selfUs: 0 };
    entry.selfUs += us;
    functions.set(where, entry);
    fileUs.set(file, (fileUs.get(file) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const share = (selfUs: number) => busyUs > 0 ? selfUs / busyUs : 0;
  const files = [...fileUs].map(([where, selfUs]) => ({ where, selfUs, share: share(selfUs) }));
  return {
    totalUs,
    busyUs,
    functions: heaviest(
      [...functions.values()].map((e) => ({ ...e, share: share(e.selfUs) })),
      options.top ?? 12,
    ),
    files: heaviest(files, 12),
  };
}

/** A profile file's name and its summary. */
export interface ProfileFile {
  file: string;
  summary: ProfileSummary;
}

/**
 * Summarises every `.cpuprofile` in `dir`, the busiest first; files that do not parse are left
 * out. `top` limits each function list (default 12).
 */
export async function summarizeProfiles(dir: string, top = 12): Promise<ProfileFile[]> {
  const found: ProfileFile[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".cpuprofile")) continue;
    const profile = parseCpuProfile(await Deno.readTextFile(join(dir, entry.name)));
    if ("error" in profile) continue;
    found.push({ file: entry.name, summary: summarizeProfile(profile, { top }) });
  }
  return found.sort((a, b) => b.summary.busyUs - a.summary.busyUs);
}

function heaviest<T extends ProfileEntry>(entries: T[], top: number): T[] {
  return entries.sort((a, b) => b.selfUs - a.selfUs).slice(0, top);
}

/** A profile URL shortened to what a reader needs: the project-relative path or the module. */
export function shortUrl(url: string): string {
  const project = url.match(/\/((?:lib|bench|tests|tools)\/.*|server\.ts|client\.ts)$/);
  if (project !== null) return project[1]!;
  return url.replace(/^file:\/\/.*\//, "").replace(/^ext:/, "ext:");
}
