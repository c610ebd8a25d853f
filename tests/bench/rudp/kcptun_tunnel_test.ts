import assert from "node:assert/strict";
import { kcptunMissing } from "../../../bench/rudp/kcptun_tunnel.ts";

Deno.test("kcptunMissing names the missing program and the package to install", async () => {
  const missing = await kcptunMissing(["kcptun-server", "kcptun-no-such-program"]);
  assert.equal(missing, "kcptun-no-such-program not found (Debian: apt-get install kcptun)");
  assert.equal(await kcptunMissing(["sh"]), null);
});
