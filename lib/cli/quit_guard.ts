/**
 * Asking once before `/quit` stops transfers that are still running.
 * @module
 */

/**
 * Decides, input by input, whether a `/quit` leaves at once or asks first: it asks when
 * transfers run and it has not just asked; a second `/quit` in a row then leaves. Any other
 * input in between makes the next `/quit` ask again.
 *
 * @example
 * ```ts
 * import { QuitGuard } from "./quit_guard.ts";
 * const guard = new QuitGuard();
 * guard.check("quit", 1); // "ask"
 * guard.check("quit", 1); // "go"
 * ```
 */
export class QuitGuard {
  #asked = false;

  /** What to do with an input of this kind while `running` transfers move. */
  check(kind: string, running: number): "go" | "ask" {
    if (kind !== "quit" || running === 0) {
      this.#asked = false;
      return "go";
    }
    if (this.#asked) return "go";
    this.#asked = true;
    return "ask";
  }
}
