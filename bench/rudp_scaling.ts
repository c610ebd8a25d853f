/**
 * The server's cost per datagram at 1, 10, 100 and 1,000 concurrent transfers, on its own
 * (bench/rudp.ts runs it too, after the downloads): see bench/rudp/endpoint_scaling.ts. Writes the
 * `## File channel: server cost by number of transfers` section of bench/RESULTS.md.
 *
 * Run: deno run -A bench/rudp_scaling.ts [--quick] [--no-write]
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureScaling } from "./rudp/endpoint_scaling.ts";
import { ROOT } from "./rudp/processes.ts";
import { renderScalingSection, SCALING_HEADING } from "./rudp/scaling_report.ts";
import { formatMarkdown, writeSection } from "./rudp.ts";

/** The command that runs this benchmark alone, as printed with its table. */
export function scalingCommand(quick: boolean): string {
  return `deno run -A bench/rudp_scaling.ts${quick ? " --quick" : ""}`;
}

/** Measures, prints and (unless `write` is false) writes the section. */
export async function runScalingBench(options: { quick: boolean; write: boolean }): Promise<void> {
  const results = await measureScaling({
    quick: options.quick,
    command: scalingCommand(options.quick),
  });
  const section = await formatMarkdown(renderScalingSection(results));
  console.log(section);
  if (options.write) {
    await writeSection(join(ROOT, "bench", "RESULTS.md"), section, SCALING_HEADING);
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean" }, "no-write": { type: "boolean" } },
  });
  await runScalingBench({ quick: values.quick === true, write: !values["no-write"] });
}
