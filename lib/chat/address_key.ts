/**
 * The key under which connections are counted per address: an IPv4 address as it is, an IPv6
 * address by its /64 prefix (one host gets a whole /64, so counting its addresses one by one
 * would limit nothing).
 * @module
 */

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The per-address key of a peer's IP address, as the socket gives it. Anything that is not an
 * IPv6 address (IPv4, a name) is its own key; an IPv4 address mapped into IPv6 counts as the
 * IPv4 address.
 *
 * @example
 * ```ts
 * import { addressKey } from "./address_key.ts";
 * addressKey("192.0.2.7"); // "192.0.2.7"
 * addressKey("2001:db8:1:2:aaaa::1"); // "2001:db8:1:2::/64"
 * addressKey("::ffff:192.0.2.7"); // "192.0.2.7"
 * ```
 */
export function addressKey(address: string): string {
  const mapped = MAPPED_IPV4.exec(address);
  if (mapped !== null) return mapped[1]!;
  if (!address.includes(":")) return address;
  const groups = expandIpv6(address.replace(/%.*$/, ""));
  return groups === null ? address : `${groups.slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address (without leading zeros), or `null` if it is not one. */
function expandIpv6(address: string): string[] | null {
  const halves = address.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 1 || halves[1] === "" ? [] : halves[1]!.split(":");
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 1 ? 0 : missing).fill("0"), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => group.replace(/^0+(?=.)/, ""));
}
