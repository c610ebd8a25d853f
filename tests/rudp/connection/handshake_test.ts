import assert from "node:assert/strict";
import {
  bytesEqual,
  ClientHandshake,
  ServerHandshake,
} from "../../../lib/rudp/connection/handshake.ts";

const nonce = new Uint8Array(16).fill(9);

Deno.test("ServerHandshake validates only on the right nonce and limits bytes to 3x before", () => {
  const hs = new ServerHandshake(nonce);
  hs.onReceived(1200);
  assert.equal(hs.sendAllowance(), 3600);
  hs.onSent(100);
  assert.equal(hs.sendAllowance(), 3500);
  assert.equal(hs.onConfirm(new Uint8Array(16)), false);
  assert.equal(hs.validated, false);
  assert.equal(hs.onConfirm(nonce), true);
  assert.equal(hs.sendAllowance(), Infinity);
});

Deno.test("ClientHandshake resends hello when lost and confirm until a confirm is acknowledged", () => {
  const hs = new ClientHandshake();
  hs.helloPending = false;
  hs.onLost({ data: [], hello: true, confirm: false });
  assert.equal(hs.helloPending, true);
  assert.ok(
    hs.onChallenge({
      type: "challenge",
      sourceCid: new Uint8Array(8).fill(1),
      nonce,
      maxDatagramBytes: 1500,
      receiveBufferBytes: 212_992,
    }),
  );
  assert.equal(
    hs.onChallenge({
      type: "challenge",
      sourceCid: new Uint8Array(8),
      nonce,
      maxDatagramBytes: 1500,
      receiveBufferBytes: 212_992,
    }),
    false,
  );
  assert.equal(hs.state, "confirming");
  hs.confirmPending = false;
  hs.onProbeTimeout();
  assert.equal(hs.confirmPending, true);
  hs.onAcked({ data: [], hello: false, confirm: true });
  assert.equal(hs.state, "confirmed");
  assert.ok(bytesEqual(hs.serverCid!, new Uint8Array(8).fill(1)));
});
