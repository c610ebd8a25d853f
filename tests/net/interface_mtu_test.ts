import assert from "node:assert/strict";
import {
  interfaceDatagramBytes,
  type InterfaceReaders,
  localDatagramBound,
  parseMtu,
  systemReaders,
} from "../../lib/net/interface_mtu.ts";

const INTERFACES = [
  { name: "lo", address: "127.0.0.1" },
  { name: "eth0", address: "192.0.2.2" },
  { name: "wg0", address: "10.8.0.2" },
  { name: "lo", address: "::1" },
  { name: "eth0", address: "2001:db8::2" },
];
const MTUS: Record<string, string> = { lo: "65536\n", eth0: "1500\n", wg0: "1420\n" };

function readers(
  mtus: Record<string, string> = MTUS,
  interfaces = INTERFACES,
): InterfaceReaders & { read: string[] } {
  const read: string[] = [];
  return {
    read,
    networkInterfaces: () => interfaces,
    readTextFile: (path) => {
      read.push(path);
      const name = /^\/sys\/class\/net\/([^/]+)\/mtu$/.exec(path)?.[1];
      const text = name === undefined ? undefined : mtus[name];
      if (text === undefined) throw new Deno.errors.NotFound(path);
      return text;
    },
  };
}

Deno.test("interfaceDatagramBytes takes the interface holding the socket's address, less headers", () => {
  const r = readers();
  assert.equal(interfaceDatagramBytes("192.0.2.2", "198.51.100.9", r), 1500 - 28);
  assert.deepEqual(r.read, ["/sys/class/net/eth0/mtu"]);
  assert.equal(interfaceDatagramBytes("10.8.0.2", "10.8.0.1", readers()), 1420 - 28);
  assert.equal(interfaceDatagramBytes("127.0.0.1", "127.0.0.1", readers()), 65536 - 28);
  assert.equal(interfaceDatagramBytes("2001:db8::2", "2001:db8::9", readers()), 1500 - 48);
  assert.equal(interfaceDatagramBytes("[::1]", "[::1]", readers()), 65536 - 48);
});

Deno.test("interfaceDatagramBytes of a wildcard socket: loopback for a local peer, else the largest", () => {
  assert.equal(interfaceDatagramBytes("0.0.0.0", "127.0.0.1", readers()), 65536 - 28);
  assert.equal(interfaceDatagramBytes("::", "::ffff:127.0.0.1", readers()), 65536 - 28);
  assert.equal(interfaceDatagramBytes("0.0.0.0", "192.0.2.2", readers()), 65536 - 28);
  // A remote peer: whichever of eth0 (1500) and wg0 (1420) is used, 1500 bounds it.
  assert.equal(interfaceDatagramBytes("0.0.0.0", "198.51.100.9", readers()), 1500 - 28);
  assert.equal(interfaceDatagramBytes("::", "2001:db8::9", readers()), 1500 - 48);
});

Deno.test("interfaceDatagramBytes is null (unknown) when the system does not tell", () => {
  const denied: InterfaceReaders = {
    networkInterfaces: () => {
      throw new Deno.errors.NotCapable("Requires sys access");
    },
    readTextFile: () => "1500",
  };
  assert.equal(interfaceDatagramBytes("192.0.2.2", "198.51.100.9", denied), null);
  assert.equal(interfaceDatagramBytes("203.0.113.1", "198.51.100.9", readers()), null, "no such");
  assert.equal(interfaceDatagramBytes("192.0.2.2", "198.51.100.9", readers({})), null);
  const garbled = readers({ ...MTUS, eth0: "fifteen hundred" });
  assert.equal(interfaceDatagramBytes("192.0.2.2", "198.51.100.9", garbled), null);
  // One unreadable candidate makes the bound unknown rather than too small.
  const { wg0: _, ...noWg } = MTUS;
  assert.equal(interfaceDatagramBytes("0.0.0.0", "198.51.100.9", readers(noWg)), null);
  const odd = readers(MTUS, [{ name: "../etc", address: "192.0.2.5" }]);
  assert.equal(interfaceDatagramBytes("192.0.2.5", "198.51.100.9", odd), null);
  assert.deepEqual(odd.read, [], "a strange name is never made into a path");
});

Deno.test("parseMtu reads a decimal MTU within bounds and nothing else", () => {
  assert.equal(parseMtu("1500\n"), 1500);
  assert.equal(parseMtu(" 9000 "), 9000);
  assert.equal(parseMtu("65536"), 65536);
  for (const bad of ["", "-1", "1500.5", "0x5dc", "1e3", "12", "99999999", "1500 1500"]) {
    assert.equal(parseMtu(bad), null, JSON.stringify(bad));
  }
});

Deno.test("localDatagramBound assumes Ethernet towards any peer, loopback too, when the OS does not tell", () => {
  const silent: InterfaceReaders = {
    networkInterfaces: () => INTERFACES,
    readTextFile: () => {
      throw new Deno.errors.NotCapable("Requires all access");
    },
  };
  assert.equal(localDatagramBound("0.0.0.0", "198.51.100.9", silent), 1472);
  assert.equal(localDatagramBound("::", "2001:db8::9", silent), 1452);
  // A loopback's MTU can be lowered too (a lab path is one): no size that fragments.
  assert.equal(localDatagramBound("0.0.0.0", "127.0.0.1", silent), 1472);
  assert.equal(localDatagramBound("::", "[::1]", silent), 1452);
  // What the OS tells wins, larger or smaller.
  assert.equal(localDatagramBound("10.8.0.2", "10.8.0.1", readers()), 1420 - 28);
  const jumbo = readers({ ...MTUS, eth0: "9000" });
  assert.equal(localDatagramBound("192.0.2.2", "198.51.100.9", jumbo), 9000 - 28);
});

Deno.test("the system readers never ask for a permission not granted: no prompt can freeze the process", () => {
  const query = Deno.permissions.querySync;
  const list = Deno.networkInterfaces;
  const read = Deno.readTextFileSync;
  const calls: string[] = [];
  const denied = () => ({ state: "prompt" as const, partial: false, onchange: null }) as unknown;
  try {
    Object.assign(Deno.permissions, { querySync: denied });
    Object.assign(Deno, {
      networkInterfaces: () => (calls.push("networkInterfaces"), []),
      readTextFileSync: (path: string) => (calls.push(path), "1500"),
    });
    assert.throws(() => systemReaders.networkInterfaces(), Deno.errors.NotCapable);
    assert.throws(
      () => systemReaders.readTextFile("/sys/class/net/lo/mtu"),
      Deno.errors.NotCapable,
    );
    assert.equal(interfaceDatagramBytes("0.0.0.0", "127.0.0.1"), null);
    assert.deepEqual(calls, []);
  } finally {
    Object.assign(Deno.permissions, { querySync: query });
    Object.assign(Deno, { networkInterfaces: list, readTextFileSync: read });
  }
});
