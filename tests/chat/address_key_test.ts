import assert from "node:assert/strict";
import { addressKey } from "../../lib/chat/address_key.ts";

Deno.test("addressKey keeps an IPv4 address, loopback included, as it is", () => {
  assert.equal(addressKey("192.0.2.7"), "192.0.2.7");
  assert.equal(addressKey("127.0.0.1"), "127.0.0.1");
});

Deno.test("addressKey counts every address of an IPv6 /64 as one", () => {
  assert.equal(addressKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  assert.equal(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
  assert.equal(addressKey("2001:0DB8:0001:0002::9"), "2001:db8:1:2::/64");
  assert.equal(addressKey("2001:db8::1"), "2001:db8:0:0::/64");
  assert.equal(addressKey("::1"), "0:0:0:0::/64");
  assert.equal(addressKey("fe80::1%eth0"), "fe80:0:0:0::/64");
});

Deno.test("addressKey counts an IPv4-mapped IPv6 address as the IPv4 address", () => {
  assert.equal(addressKey("::ffff:192.0.2.7"), "192.0.2.7");
});

Deno.test("addressKey leaves what is not an address unchanged", () => {
  for (const odd of ["", "host.example", "1:2:3", "1::2::3", "g::1", "1:2:3:4:5:6:7:8:9"]) {
    assert.equal(addressKey(odd), odd);
  }
});
