/**
 * The open descriptors of this test process, read with `ls` (Deno reads /proc only with
 * --allow-all).
 * @module
 */

/** How many descriptors this process has open now (the `ls` child's own not counted). */
export async function openFds(): Promise<number> {
  const { stdout } = await new Deno.Command("ls", { args: [`/proc/${Deno.pid}/fd`] }).output();
  return new TextDecoder().decode(stdout).split("\n").filter((line) => line !== "").length;
}
