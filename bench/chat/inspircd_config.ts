/**
 * The configuration of the second reference IRC server (InspIRCd 3) for the benchmark: local
 * only, no lookups, no per-address, flood or command-rate limits, timeouts longer than any run.
 * @module
 */

/** Settings of {@linkcode inspircdConfig}. */
export interface InspircdConfigOptions {
  /** Port to listen on, on 127.0.0.1. */
  port: number;
  /** A folder of its own for the log, the pid file and the MOTD. */
  dir: string;
}

/** Server ping interval, longer than any benchmark run, s. */
export const INSPIRCD_PING_S = 3600;
/** Most connections in the one connect class: above any benchmark size. */
export const INSPIRCD_MAX_CLIENTS = 100_000;
/** Bytes queued for one client before it is dropped: large, so slow readers are not cut. */
export const INSPIRCD_SENDQ_BYTES = 1 << 30;
/** Bytes read from one client not yet processed: a full window of messages fits many times. */
export const INSPIRCD_RECVQ_BYTES = 1 << 20;
/** Commands per second per client (× 1000, as InspIRCd counts): no effective limit. */
export const INSPIRCD_COMMAND_RATE = 1_000_000_000;
/**
 * Command penalty (`<connect threshold>`, 1 per ordinary command) before a client is cut for
 * "Excess Flood" (default 10): a sender keeping a window of messages in flight runs far past it.
 */
export const INSPIRCD_PENALTY_THRESHOLD = 1_000_000;
/**
 * Logins in progress at once against InspIRCd. It completes a registration on its once-a-second
 * timer, by design (inspircd/inspircd#1242), so each login takes about 1 s whatever the load:
 * at the 32 of the other servers, 5,000 logins would take 2.5 minutes of waiting, not work.
 */
export const INSPIRCD_LOGIN_CONCURRENCY = 1000;

/** The text of an inspircd.conf for a benchmark run. */
export function inspircdConfig(options: InspircdConfigOptions): string {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new RangeError(`port must be 1 to 65535, got ${options.port}`);
  }
  const { port, dir } = options;
  const max = INSPIRCD_MAX_CLIENTS;
  return [
    '<server name="bench.local" description="chat benchmark reference" network="bench">',
    '<admin name="bench" nick="bench" email="bench@localhost">',
    `<bind address="127.0.0.1" port="${port}" type="clients">`,
    `<connect name="bench" allow="127.0.0.1" pingfreq="${INSPIRCD_PING_S}" timeout="60"` +
    ` softsendq="${INSPIRCD_SENDQ_BYTES}" hardsendq="${INSPIRCD_SENDQ_BYTES}"` +
    ` recvq="${INSPIRCD_RECVQ_BYTES}" threshold="${INSPIRCD_PENALTY_THRESHOLD}" commandrate="${INSPIRCD_COMMAND_RATE}"` +
    ` fakelag="no" localmax="${max}" globalmax="${max}" limit="${max}" maxchans="20"` +
    ` useident="no" resolvehostnames="no" maxconnwarn="no">`,
    `<performance softlimit="${max}" somaxconn="4096" clonesonconnect="no" quietbursts="yes">`,
    '<limits maxnick="30" maxchan="64">',
    `<files motd="${dir}/motd">`,
    `<log method="file" type="* -USERINPUT -USEROUTPUT -MODULE" level="default" target="${dir}/inspircd.log">`,
    `<pid file="${dir}/inspircd.pid">`,
    "",
  ].join("\n");
}
