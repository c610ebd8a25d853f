/**
 * docs/IRC.md names each limit with its value: every `NAME` = value there is the constant's.
 */
import assert from "node:assert/strict";
import * as limits from "../../lib/irc/limits.ts";

const DOC = await Deno.readTextFile(new URL("../../docs/IRC.md", import.meta.url));

Deno.test("docs/IRC.md gives every limit it names the value lib/irc/limits.ts has", () => {
  const named = [...DOC.matchAll(/`([A-Z][A-Z_]+)`\s+=\s+([\d,]+)/g)];
  assert.ok(named.length >= 8, `only ${named.length} limits named`);
  for (const [, name, value] of named) {
    assert.ok(Object.hasOwn(limits, name!), `${name} is not in lib/irc/limits.ts`);
    assert.equal(Number(value!.replaceAll(",", "")), limits[name as keyof typeof limits], name);
  }
});
