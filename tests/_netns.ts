/** Network namespaces for the tests that need a path of their own (root, `ip` and `nft`). */
import assert from "node:assert/strict";

/** Whether this process may make network namespaces with nft rules in them (root, ip, nft). */
export function canMakeNamespaces(): boolean {
  if (Deno.build.os !== "linux") return false;
  const run = (tool: string, args: string[]) => {
    try {
      const output = new Deno.Command(tool, { args, stdout: "piped", stderr: "null" }).outputSync();
      return output.success ? new TextDecoder().decode(output.stdout).trim() : null;
    } catch {
      return null;
    }
  };
  return run("id", ["-u"]) === "0" && run("ip", ["-V"]) !== null && run("nft", ["-v"]) !== null;
}

/** Runs `script` with `sh -e`; throws with its stderr if it fails. */
export async function sh(script: string): Promise<void> {
  const output = await new Deno.Command("sh", { args: ["-ec", script], stderr: "piped" }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
}
