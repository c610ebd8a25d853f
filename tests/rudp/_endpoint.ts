/** A server endpoint with one grant, and the hellos that open it: shared by the endpoint tests. */
import { ServerEndpoint, type ServerEndpointOptions } from "../../lib/rudp/server_endpoint.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { PatternSource } from "./_transfer.ts";
import { protectedDatagram, TEST_KEY } from "./_keys.ts";

/** A hello tagged with `key` (by default the granted one), announcing `receiveBufferBytes`. */
export function helloBytes(
  token: Uint8Array,
  transferId = 1,
  key: Uint8Array = TEST_KEY,
  receiveBufferBytes = 212_992,
): Uint8Array {
  return protectedDatagram({
    type: "initial",
    dcid: new Uint8Array(8),
    number: 0,
    frames: [{
      type: "hello",
      transferId,
      token,
      sourceCid: new Uint8Array(8).fill(3),
      direction: "download",
      size: 1000,
      startOffset: 0,
      maxDatagramBytes: 1200,
      receiveBufferBytes,
    }],
  }, { key, padTo: 1200 });
}

/** A server endpoint expecting transfer 1 (a 1,000-byte download) under a fixed token. */
export function newEndpoint(
  options: Omit<ServerEndpointOptions, "random"> = {},
): { endpoint: ServerEndpoint; token: Uint8Array } {
  const prng = new Prng(5);
  const endpoint = new ServerEndpoint({ random: (b) => prng.fill(b), ...options });
  const token = new Uint8Array(16).fill(7);
  endpoint.expect({
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download",
    size: 1000,
    source: new PatternSource(),
    expiresAt: 10_000,
  });
  return { endpoint, token };
}
