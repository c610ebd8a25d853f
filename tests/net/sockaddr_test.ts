import assert from "node:assert/strict";
import { endpointKey, endpointKeyOf, ipv6Bytes, sockaddrIn } from "../../lib/net/sockaddr.ts";

const tcp = (hostname: string, port: number): Deno.NetAddr => ({
  transport: "tcp",
  hostname,
  port,
});

Deno.test("ipv6Bytes reads compressed zeros, full groups and an IPv4 tail", () => {
  assert.deepEqual(ipv6Bytes("::1"), Uint8Array.of(...new Array(15).fill(0), 1));
  assert.deepEqual(ipv6Bytes("::"), new Uint8Array(16));
  assert.deepEqual(
    ipv6Bytes("2001:db8:0:0:0:0:0:ff"),
    ipv6Bytes("2001:db8::ff"),
  );
  assert.deepEqual(
    ipv6Bytes("::ffff:127.0.0.1"),
    Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 127, 0, 0, 1),
  );
  assert.deepEqual(ipv6Bytes("fe80::1%eth0"), ipv6Bytes("fe80::1"));
  assert.equal(ipv6Bytes("fe80::1")![0], 0xfe);
});

Deno.test("ipv6Bytes refuses what is not an IPv6 address", () => {
  for (
    const bad of [
      "",
      ":1",
      "1::2::3",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "12345::",
      "g::",
      "::1.2.3",
      "1:2:3:4:5:6:7::8",
    ]
  ) {
    assert.equal(ipv6Bytes(bad), null, bad);
  }
});

Deno.test("endpointKey is the same for an endpoint as Deno names it and as the kernel reports it", () => {
  const v4 = sockaddrIn(tcp("10.1.2.3", 4567))!;
  assert.equal(endpointKeyOf(v4, v4.length), endpointKey(tcp("10.1.2.3", 4567)));
  // A sockaddr_in6 of ::ffff:127.0.0.1 port 80, with a flow label and scope that do not count.
  const v6 = new Uint8Array(28);
  v6.set([10, 0, 0, 80, 9, 9, 9, 9], 0);
  v6.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 127, 0, 0, 1], 8);
  v6.set([3, 0, 0, 0], 24);
  assert.equal(endpointKeyOf(v6, v6.length), endpointKey(tcp("::ffff:127.0.0.1", 80)));
  assert.notEqual(endpointKey(tcp("::ffff:127.0.0.1", 80)), endpointKey(tcp("127.0.0.1", 80)));
  assert.notEqual(endpointKey(tcp("10.1.2.3", 4567)), endpointKey(tcp("10.1.2.3", 4568)));
});

Deno.test("endpointKey gives null for names, bad ports and other families", () => {
  assert.equal(endpointKey(tcp("localhost", 80)), null);
  assert.equal(endpointKey(tcp("127.0.0.1", 70000)), null);
  const unix = new Uint8Array(16);
  unix[0] = 1; // AF_UNIX
  assert.equal(endpointKeyOf(unix, unix.length), null);
  const short = sockaddrIn(tcp("10.1.2.3", 1))!;
  assert.equal(endpointKeyOf(short, 8), null);
});
