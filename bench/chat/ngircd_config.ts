/**
 * The configuration of the reference IRC server (ngircd) for the benchmark: local only,
 * no lookups, no per-address or flood limits, timeouts longer than any run.
 * @module
 */

/** Settings of {@linkcode ngircdConfig}. */
export interface NgircdConfigOptions {
  /** Port to listen on, on 127.0.0.1. */
  port: number;
  /** An empty folder, so no system-wide snippets are read. */
  includeDir: string;
}

/** Server ping and pong timeouts, longer than any benchmark run. */
export const NGIRCD_TIMEOUT_S = 3600;

/** The text of an ngircd.conf for a benchmark run. */
export function ngircdConfig(options: NgircdConfigOptions): string {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new RangeError(`port must be 1 to 65535, got ${options.port}`);
  }
  return [
    "[Global]",
    "Name = bench.local",
    "Info = chat benchmark reference",
    "AdminInfo1 = chat benchmark",
    "AdminInfo2 = localhost",
    "AdminEMail = bench@localhost",
    "Listen = 127.0.0.1",
    `Ports = ${options.port}`,
    'MotdPhrase = "bench"',
    "",
    "[Limits]",
    "MaxConnections = 0",
    "MaxConnectionsIP = 0",
    "MaxJoins = 0",
    "MaxNickLength = 16",
    // Penalties throttle busy clients by whole seconds; a benchmark client is busy by design.
    "MaxPenaltyTime = 0",
    `PingTimeout = ${NGIRCD_TIMEOUT_S}`,
    `PongTimeout = ${NGIRCD_TIMEOUT_S}`,
    "",
    "[Options]",
    "DNS = no",
    "Ident = no",
    "PAM = no",
    `IncludeDir = ${options.includeDir}`,
    "",
  ].join("\n");
}
