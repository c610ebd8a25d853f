/**
 * `deno task server -- --port 7070` hands the program a leading `--` (Deno 2 passes everything
 * after the task name through), which `parseArgs` would read as "positionals follow" and then
 * refuse `--port` as one. The separator is a habit from npm scripts, and meant nothing here.
 *
 * @module
 */

/** `args` without a leading `--` that `deno task NAME -- ...` passed through. */
export function withoutTaskSeparator(args: readonly string[]): string[] {
  return args[0] === "--" ? args.slice(1) : [...args];
}
