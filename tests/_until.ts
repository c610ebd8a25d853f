/**
 * Waiting in tests for something another task makes true.
 * @module
 */

/** Waits until `condition` holds, polling every 5 ms; throws after `ms`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  ms = 5000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("Timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
