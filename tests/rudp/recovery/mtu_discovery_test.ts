import assert from "node:assert/strict";
import {
  MtuDiscovery,
  PMTU_BASE_BYTES,
  PMTU_BLACK_HOLE_LOSSES,
  PMTU_MAX_PROBES,
  PMTU_PREFERRED_MAX_BYTES,
  PMTU_RAISE_INTERVAL_MS,
  PMTU_SEARCH_GRANULARITY_BYTES,
  searchBound,
} from "../../../lib/rudp/recovery/mtu_discovery.ts";

const PROBE_TIMEOUT_MS = 100;

/**
 * Runs the search against a path carrying datagrams up to `pathBytes`: a probe that fits is
 * acknowledged, one that does not is lost (a packet sent three later is acknowledged instead).
 * Returns the sizes probed, in order.
 */
function search(mtu: MtuDiscovery, pathBytes: number, now = 0): number[] {
  const sizes: number[] = [];
  let number = 0;
  for (let size = mtu.probeSize(); size !== null; size = mtu.probeSize()) {
    assert.ok(sizes.length < 100, "the search does not end");
    sizes.push(size);
    mtu.onProbeSent(now, number, size, PROBE_TIMEOUT_MS);
    const acked = size <= pathBytes ? number : number + 3;
    mtu.onAck(now + 1, [{ first: acked, last: acked }]);
    number += 4;
  }
  return sizes;
}

Deno.test("MtuDiscovery starts at the base size and probes the bound first", () => {
  const mtu = new MtuDiscovery(1472);
  assert.equal(mtu.current, PMTU_BASE_BYTES);
  assert.deepEqual(search(mtu, 1500), [1472]);
  assert.equal(mtu.current, 1472);
  assert.ok(mtu.complete);
  assert.equal(mtu.deadline, null, "no raise timer: nothing above the bound to find");
});

Deno.test("MtuDiscovery finds exactly 1,472 bytes on an Ethernet path under a larger bound", () => {
  const mtu = new MtuDiscovery(PMTU_PREFERRED_MAX_BYTES);
  const sizes = search(mtu, 1472);
  assert.equal(mtu.current, 1472);
  const three = (size: number) => Array(PMTU_MAX_PROBES).fill(size);
  // The bound, the jumbo sizes, Ethernet (confirmed), and one size just above it.
  assert.deepEqual(sizes, [
    ...three(32_768),
    ...three(8972),
    ...three(8952),
    1472,
    ...three(1472 + PMTU_SEARCH_GRANULARITY_BYTES),
  ]);
  assert.equal(mtu.probesLost, sizes.length - 1);
});

Deno.test("MtuDiscovery bisects a path of no common size to within the granularity", () => {
  const mtu = new MtuDiscovery(1472);
  search(mtu, 1392);
  assert.ok(mtu.current <= 1392, `${mtu.current}`);
  assert.ok(1392 - mtu.current < PMTU_SEARCH_GRANULARITY_BYTES, `${mtu.current}`);
  assert.ok(mtu.complete);
});

Deno.test("MtuDiscovery finds a jumbo-frame path", () => {
  const mtu = new MtuDiscovery(PMTU_PREFERRED_MAX_BYTES);
  search(mtu, 8972);
  assert.equal(mtu.current, 8972);
});

Deno.test("MtuDiscovery declares a probe lost three packets later or at its timer, not before", () => {
  const mtu = new MtuDiscovery(1472);
  mtu.onProbeSent(0, 10, 1472, PROBE_TIMEOUT_MS);
  assert.equal(mtu.probeSize(), null, "one probe in flight at a time");
  mtu.onAck(1, [{ first: 12, last: 12 }]);
  assert.equal(mtu.probesLost, 0, "two packets of reordering are tolerated");
  mtu.onAck(2, [{ first: 13, last: 13 }]);
  assert.equal(mtu.probesLost, 1);
  mtu.onProbeSent(3, 14, 1472, PROBE_TIMEOUT_MS);
  assert.equal(mtu.deadline, 3 + PROBE_TIMEOUT_MS);
  mtu.onTimeout(3 + PROBE_TIMEOUT_MS - 1);
  assert.equal(mtu.probesLost, 1);
  mtu.onTimeout(3 + PROBE_TIMEOUT_MS);
  assert.equal(mtu.probesLost, 2);
  assert.equal(mtu.current, PMTU_BASE_BYTES);
});

Deno.test("MtuDiscovery gives a size up only after MAX_PROBES losses in a row", () => {
  const mtu = new MtuDiscovery(1472);
  for (let i = 0; i < PMTU_MAX_PROBES - 1; i++) {
    mtu.onProbeSent(0, i * 4, 1472, PROBE_TIMEOUT_MS);
    mtu.onTimeout(PROBE_TIMEOUT_MS);
    assert.equal(mtu.probeSize(), 1472, `still trying 1472 after ${i + 1} losses`);
  }
  mtu.onProbeSent(0, 100, 1472, PROBE_TIMEOUT_MS);
  mtu.onTimeout(PROBE_TIMEOUT_MS);
  assert.notEqual(mtu.probeSize(), 1472);
  assert.ok(mtu.probeSize()! < 1472);
});

Deno.test("MtuDiscovery searches upward again once the raise timer fires", () => {
  const mtu = new MtuDiscovery(PMTU_PREFERRED_MAX_BYTES);
  search(mtu, 1472, 1000);
  assert.ok(mtu.complete);
  assert.equal(mtu.deadline, 1001 + PMTU_RAISE_INTERVAL_MS);
  mtu.onTimeout(1000 + PMTU_RAISE_INTERVAL_MS);
  assert.equal(mtu.probeSize(), null, "not before the raise timer");
  mtu.onTimeout(1001 + PMTU_RAISE_INTERVAL_MS);
  assert.equal(mtu.probeSize(), PMTU_PREFERRED_MAX_BYTES);
  search(mtu, 8972, 2000 + PMTU_RAISE_INTERVAL_MS);
  assert.equal(mtu.current, 8972, "the path grew and the search found it");
});

function atJumbo(): MtuDiscovery {
  const mtu = new MtuDiscovery(PMTU_PREFERRED_MAX_BYTES);
  search(mtu, 8972);
  assert.equal(mtu.current, 8972);
  return mtu;
}

const large = { bytes: 8972 };
const small = { bytes: PMTU_BASE_BYTES };

Deno.test("MtuDiscovery drops to the base size when large packets vanish and small ones pass", () => {
  const mtu = atJumbo();
  const lost = Array(PMTU_BLACK_HOLE_LOSSES).fill(large);
  assert.equal(mtu.onDelivered([small], []), false);
  assert.equal(mtu.onDelivered([], lost), true);
  assert.equal(mtu.current, PMTU_BASE_BYTES);
  assert.equal(mtu.blackHoles, 1);
  assert.equal(mtu.probeSize(), PMTU_PREFERRED_MAX_BYTES, "and searches again from the start");
  search(mtu, 1472);
  assert.equal(mtu.current, 1472);
});

Deno.test("MtuDiscovery sees no black hole while large packets are acknowledged", () => {
  const mtu = atJumbo();
  const lost = Array(PMTU_BLACK_HOLE_LOSSES).fill(large);
  // Losses without a small packet through: loss, not a black hole.
  assert.equal(mtu.onDelivered([], lost), false);
  // A large packet acknowledged in the same frame as a small one clears the suspicion.
  assert.equal(mtu.onDelivered([small, large], []), false);
  assert.equal(mtu.onDelivered([], lost.slice(1)), false);
  // Packets larger than the current size were sent before a drop and do not count.
  mtu.onDelivered([small], []);
  assert.equal(mtu.onDelivered([], [{ bytes: 32_768 }, { bytes: 32_768 }]), false);
  assert.equal(mtu.current, 8972);
  assert.equal(mtu.blackHoles, 0);
});

Deno.test("searchBound is the smallest limit, never below the base size nor above the preferred", () => {
  assert.equal(searchBound({ local: 65_507, peer: 65_507 }), PMTU_PREFERRED_MAX_BYTES);
  assert.equal(searchBound({ local: 65_507, peer: 9000, interfaceBytes: 1472 }), 1472);
  assert.equal(searchBound({ local: 65_507, peer: 1200, interfaceBytes: 1472 }), 1200);
  assert.equal(searchBound({ local: 4000, peer: 65_507, interfaceBytes: null }), 4000);
  assert.equal(searchBound({ local: 65_507, peer: 100 }), PMTU_BASE_BYTES);
  assert.equal(searchBound({ local: 65_507, peer: 2 ** 53 }), PMTU_PREFERRED_MAX_BYTES);
  assert.equal(searchBound({ local: 65_507, peer: NaN }), PMTU_BASE_BYTES);
  assert.throws(() => new MtuDiscovery(1000), RangeError);
});
