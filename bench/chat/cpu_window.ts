/**
 * The chat benchmark's CPU meter: the server's and the load generator's shares of one
 * measurement window, and what the rest of the machine did meanwhile.
 * @module
 */

import { ownCpuMs, readCpuMs, readMachineCpuMs } from "../lib/proc_stats.ts";

/** CPU used by the server and by this process over one measurement window, in cores. */
export interface CpuShares {
  /** The server's share, or `null` if it could not be read. */
  server: number | null;
  /** This process's share. */
  generator: number;
  /** Everything else the machine did (other programs, interrupts), or `null` if unreadable. */
  background: number | null;
}

/**
 * Meters the server and this process together over one window.
 *
 * @example
 * ```ts ignore
 * const window = new CpuWindow(serverPid);
 * await window.start(performance.now());
 * // ... load ...
 * await window.stop(performance.now()); // e.g. { server: 0.98, generator: 0.91 }
 * ```
 */
export class CpuWindow {
  readonly #serverPid: number | null;
  #serverStart: number | null = null;
  #machineStart: number | null = null;
  #ownStart = 0;
  #startAt = 0;

  /** @param serverPid the server's process id, or `null` if unknown */
  constructor(serverPid: number | null) {
    this.#serverPid = serverPid;
  }

  /** Opens the window at `now` (ms on any monotonic clock). */
  async start(now: number): Promise<void> {
    this.#startAt = now;
    this.#ownStart = ownCpuMs();
    this.#serverStart = this.#serverPid === null ? null : await readCpuMs(this.#serverPid);
    this.#machineStart = (await readMachineCpuMs())?.busy ?? null;
  }

  /** Closes the window at `now` (ms) and returns the shares used (1 = one core busy). */
  async stop(now: number): Promise<CpuShares> {
    const elapsed = Math.max(now - this.#startAt, 1);
    const generator = (ownCpuMs() - this.#ownStart) / elapsed;
    const serverEnd = this.#serverPid === null ? null : await readCpuMs(this.#serverPid);
    const server = serverEnd === null || this.#serverStart === null
      ? null
      : (serverEnd - this.#serverStart) / elapsed;
    const machineEnd = (await readMachineCpuMs())?.busy ?? null;
    const background = machineEnd === null || this.#machineStart === null
      ? null
      : Math.max(0, (machineEnd - this.#machineStart) / elapsed - generator - (server ?? 0));
    return { server, generator, background };
  }
}
