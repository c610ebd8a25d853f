import assert from "node:assert/strict";
import { readStamp, stampText, startsWith } from "../../../bench/chat/dialect.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("stampText carries the send time that readStamp reads back", () => {
  const text = stampText(123456789.6, 32);
  assert.deepEqual(text.length, 32);
  assert.deepEqual(
    readStamp(bytes(`{"type":"message","from":"c1","text":"${text}","ts":1}`)),
    123456790,
  );
  assert.deepEqual(readStamp(bytes(`:c1!~c1@127.0.0.1 PRIVMSG #bench :${text}\r`)), 123456790);
});

Deno.test("stampText does not pad past a stamp already longer than the width", () => {
  assert.deepEqual(stampText(1234567, 4), "`1234567`");
});

Deno.test("readStamp returns -1 for lines without a complete numeric stamp", () => {
  assert.deepEqual(readStamp(bytes("no stamp at all")), -1);
  assert.deepEqual(readStamp(bytes("open `123 but never closed")), -1);
  assert.deepEqual(readStamp(bytes("empty `` stamp")), -1);
  assert.deepEqual(readStamp(bytes("letters `12a3` inside")), -1);
  assert.deepEqual(readStamp(bytes("too long `1234567890123456` stamp")), -1);
});

Deno.test("startsWith compares bytes at an offset and refuses short lines", () => {
  assert.deepEqual(startsWith(bytes("PRIVMSG #x"), bytes("PRIVMSG")), true);
  assert.deepEqual(startsWith(bytes(":a PRIVMSG"), bytes("PRIVMSG"), 3), true);
  assert.deepEqual(startsWith(bytes("PRIV"), bytes("PRIVMSG")), false);
  assert.deepEqual(startsWith(bytes("NOTICE x"), bytes("PRIVMSG")), false);
});
