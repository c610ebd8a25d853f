/**
 * Reading V8 CPU profiles (`deno run --cpu-prof`): self time per function, busiest first.
 *
 * @module
 */

import { join } from "node:path";

/** One function's share of a profile. */
export interface HotFunction {
  name: string;
  /** `file:line`, shortened to the repository path or the runtime module. */
  where: string;
  selfMs: number;
  /** Share of the non-idle time, percent. */
  percent: number;
}

/** A profile's busiest functions and its totals. */
export interface ProfileSummary {
  file: string;
  busyMs: number;
  idleMs: number;
  top: HotFunction[];
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Summarizes every `.cpuprofile` in `dir`, largest busy time first. */
export async function summarizeProfiles(dir: string, top = 12): Promise<ProfileSummary[]> {
  const summaries: ProfileSummary[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".cpuprofile")) continue;
    const profile = JSON.parse(await Deno.readTextFile(join(dir, entry.name))) as CpuProfile;
    summaries.push({ file: entry.name, ...summarize(profile, top) });
  }
  return summaries.sort((a, b) => b.busyMs - a.busyMs);
}

function summarize(profile: CpuProfile, top: number): Omit<ProfileSummary, "file"> {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let idleUs = 0;
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0; // a sample lasts until the next one
    const frame = frames.get(id);
    const name = frame?.functionName || "(anonymous)";
    if (name === "(idle)") return void (idleUs += us);
    busyUs += us;
    const where = frame === undefined ? "" : `${shorten(frame.url)}:${frame.lineNumber + 1}`;
    const key = `${name} ${where}`;
    const entry = self.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    self.set(key, entry);
  });
  const hot = [...self.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({
    name: e.name,
    where: e.where,
    selfMs: e.us / 1000,
    percent: busyUs === 0 ? 0 : 100 * e.us / busyUs,
  }));
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, top: hot };
}

function shorten(url: string): string {
  if (url === "") return "(native)";
  const repo = url.indexOf("/lib/");
  if (repo >= 0) return url.slice(repo + 1);
  const ext = url.lastIndexOf("/ext/");
  if (ext >= 0) return url.slice(ext + 1);
  return url.replace(/^.*\//, "");
}
