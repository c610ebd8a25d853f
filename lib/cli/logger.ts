/**
 * The server's log: one line per record on stderr, as text or JSON.
 * @module
 */

import type { LogRecord } from "../chat/hub_types.ts";

/** Formats a log record as one line, without the newline. */
export function formatLog(record: LogRecord, format: "text" | "json", now: Date): string {
  if (format === "json") return JSON.stringify({ time: now.toISOString(), ...record });
  const fields = Object.entries(record)
    .filter(([key]) => key !== "level" && key !== "event")
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return [now.toISOString(), record.level.toUpperCase(), record.event, ...fields].join(" ");
}

/** Makes a log function writing to stderr. */
export function stderrLogger(format: "text" | "json"): (record: LogRecord) => void {
  const utf8 = new TextEncoder();
  return (record) => {
    Deno.stderr.writeSync(utf8.encode(formatLog(record, format, new Date()) + "\n"));
  };
}
