import assert from "node:assert/strict";
import { startsWith } from "../../../bench/chat/dialect.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("startsWith compares bytes at an offset and refuses short lines", () => {
  assert.deepEqual(startsWith(bytes("PRIVMSG #x"), bytes("PRIVMSG")), true);
  assert.deepEqual(startsWith(bytes(":a PRIVMSG"), bytes("PRIVMSG"), 3), true);
  assert.deepEqual(startsWith(bytes("PRIV"), bytes("PRIVMSG")), false);
  assert.deepEqual(startsWith(bytes("NOTICE x"), bytes("PRIVMSG")), false);
});
