/**
 * What the tests' socket clients wait on: a read loop calls `arrived()` when lines come in (or
 * the connection ends), and a reader looking for a line waits for the next arrival, at most for
 * a while, then looks again.
 */
export class Arrivals {
  #waiters: Array<() => void> = [];

  /** Resolves at the next arrival, or after `ms` (at least 1) if none comes. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Wakes everyone waiting. */
  arrived(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
