import assert from "node:assert/strict";
import { messageText, readMessageText } from "../../../bench/chat/message_text.ts";

Deno.test("messageText carries the sequence number and send time that readMessageText reads", () => {
  const text = messageText(42, 123456789.6, 32);
  assert.equal(text.length, 32);
  assert.deepEqual(readMessageText(text), { seq: 42, sentUs: 123456790 });
});

Deno.test("messageText does not pad past a text already longer than the width", () => {
  assert.equal(messageText(1, 1234567, 4), "1 `1234567`");
});

Deno.test("readMessageText returns null for texts that are not benchmark messages", () => {
  for (
    const text of [
      "",
      "hello",
      "1 `123",
      "1 ``",
      "0 `5`",
      "x `5`",
      "1 `12a`",
      " `5`",
      "1234567890123456 `5`",
      "1 `1234567890123456`",
    ]
  ) {
    assert.equal(readMessageText(text), null, text);
  }
});
