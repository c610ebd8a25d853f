/**
 * Reading settings from flags and environment variables, with clear errors.
 * @module
 */

/** A bad setting, reported to the user as a usage error (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Looks up an environment variable; `undefined` when unset. */
export type EnvLookup = (name: string) => string | undefined;

/** The flag's value if given, else the environment variable's, else `undefined`. */
export function pick(
  flag: string | undefined,
  env: EnvLookup,
  variable: string,
): string | undefined {
  if (flag !== undefined) return flag;
  const value = env(variable);
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The name of a setting for its errors, with the environment variable it came from when no flag
 * gave it (`port (CHAT_PORT)`), so that a bad value in the environment is found at once.
 */
export function settingName(
  flag: string | undefined,
  env: EnvLookup,
  variable: string,
  what: string,
): string {
  return flag === undefined && (env(variable) ?? "") !== "" ? `${what} (${variable})` : what;
}

/** Parses an integer setting within bounds, naming the setting in the error. */
export function parseInteger(
  value: string,
  what: string,
  bounds: { min: number; max: number },
): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < bounds.min || n > bounds.max) {
    throw new UsageError(
      `Invalid ${what} '${value}': expected an integer from ${bounds.min} to ${bounds.max}`,
    );
  }
  return n;
}

/** Parses a TCP or UDP port to listen on (0 picks a free one). */
export function parsePort(value: string, what = "port"): number {
  return parseInteger(value, what, { min: 0, max: 65535 });
}

/** Parses a port to connect to: 0 names no port there. */
export function parseRemotePort(value: string, what = "port"): number {
  return parseInteger(value, what, { min: 1, max: 65535 });
}

/** Parses one of a fixed set of words. */
export function parseChoice<T extends string>(value: string, what: string, choices: T[]): T {
  if ((choices as string[]).includes(value)) return value as T;
  throw new UsageError(`Invalid ${what} '${value}': expected ${choices.join(" or ")}`);
}

/** Wraps `node:util` parseArgs errors (unknown flags, missing values) as usage errors. */
export function usageErrorFrom(error: unknown): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  return new UsageError(message.replace(/\. To specify a positional argument.*$/s, ""));
}
