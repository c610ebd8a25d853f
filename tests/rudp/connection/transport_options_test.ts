import assert from "node:assert/strict";
import {
  halfBufferDatagrams,
  receiveBufferCharge,
  RECEIVER_BUFFER_BYTES,
} from "../../../lib/rudp/connection/transport_options.ts";

/** How many queued datagrams of `bytes` an unread Linux socket took, filled on this machine. */
const MEASURED_FIT: [bytes: number, fit: number][] = [
  [200, 166],
  [600, 166],
  [1000, 92],
  [1200, 92],
  [1472, 92],
  [1700, 48],
  [3000, 48],
  [4000, 25],
  [8192, 12],
  [16_000, 12],
  [32_768, 6],
];

Deno.test("receiveBufferCharge predicts how many datagrams a Linux receive buffer holds", () => {
  for (const [bytes, fit] of MEASURED_FIT) {
    const predicted = Math.floor(RECEIVER_BUFFER_BYTES / receiveBufferCharge(bytes));
    assert.equal(predicted, fit, `${bytes}-byte datagrams`);
  }
});

Deno.test("halfBufferDatagrams gives 46 datagrams of 1,472 bytes, half of the 92 that fit", () => {
  assert.equal(halfBufferDatagrams(1472), 46);
  assert.equal(halfBufferDatagrams(1200), 46);
  assert.equal(halfBufferDatagrams(65_507), 1);
});
