/**
 * `struct sockaddr_in` as Linux lays it out, for the batched send path: the destination of each
 * datagram in a batch, and the bound address the socket's descriptor is recognised by. And the
 * endpoints of a TCP connection (IPv4 or IPv6) as keys, to recognise its descriptor by.
 *
 * @module
 */

/** Size of a `struct sockaddr_in`, bytes: family, port, address, 8 bytes of zeros. */
export const SOCKADDR_IN_BYTES = 16;
/** `AF_INET` on Linux. */
const AF_INET = 2;

/**
 * The `sockaddr_in` of an IPv4 address, or null for any other (IPv6 and names stay on Deno's
 * `send`).
 *
 * @example
 * ```ts
 * import { sockaddrIn } from "./sockaddr.ts";
 * const bytes = sockaddrIn({ transport: "udp", hostname: "127.0.0.1", port: 7070 });
 * console.assert(bytes !== null && bytes[2] === 0x1b && bytes[3] === 0x9e);
 * ```
 */
export function sockaddrIn(address: Deno.NetAddr): Uint8Array | null {
  const parts = address.hostname.split(".");
  if (parts.length !== 4 || !Number.isInteger(address.port)) return null;
  if (address.port < 0 || address.port > 0xffff) return null;
  const bytes = new Uint8Array(SOCKADDR_IN_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, AF_INET, true);
  view.setUint16(2, address.port, false);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    bytes[4 + i] = Number(part);
  }
  return bytes;
}

/** `AF_INET6` on Linux. */
const AF_INET6 = 10;

/**
 * A socket endpoint as a string, equal for equal endpoints: its port and address bytes (4 for
 * IPv4, 16 for IPv6, an IPv4 peer of a dual-stack socket as `::ffff:a.b.c.d`), or null for an
 * address that is neither (a name). {@linkcode endpointKeyOf} gives the same string for the
 * `sockaddr` the kernel reports of that endpoint.
 *
 * @example
 * ```ts
 * import { endpointKey } from "./sockaddr.ts";
 * const key = endpointKey({ transport: "tcp", hostname: "::ffff:127.0.0.1", port: 80 });
 * console.assert(key === "80/0,0,0,0,0,0,0,0,0,0,255,255,127,0,0,1");
 * ```
 */
export function endpointKey(address: Deno.NetAddr): string | null {
  if (!Number.isInteger(address.port) || address.port < 0 || address.port > 0xffff) return null;
  const bytes = address.hostname.includes(":")
    ? ipv6Bytes(address.hostname)
    : sockaddrIn(address)?.subarray(4, 8) ?? null;
  return bytes === null ? null : `${address.port}/${bytes.join(",")}`;
}

/**
 * The {@linkcode endpointKey} of the `sockaddr` that `getsockname` or `getpeername` wrote
 * (`length` bytes of it), or null for a family other than IPv4 and IPv6.
 */
export function endpointKeyOf(sockaddr: Uint8Array, length: number): string | null {
  const family = sockaddr[0]! | (sockaddr[1]! << 8);
  const port = (sockaddr[2]! << 8) | sockaddr[3]!;
  if (family === AF_INET && length >= SOCKADDR_IN_BYTES) {
    return `${port}/${sockaddr.subarray(4, 8).join(",")}`;
  }
  // sockaddr_in6: family, port, flow info (4 bytes), address (16), scope (4)
  if (family === AF_INET6 && length >= 24) return `${port}/${sockaddr.subarray(8, 24).join(",")}`;
  return null;
}

/**
 * The 16 bytes of an IPv6 address in text (`::` for zeros, an IPv4 tail, a `%zone` ignored), or
 * null if it is not one.
 */
export function ipv6Bytes(text: string): Uint8Array | null {
  const address = text.split("%")[0]!;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** The 16-bit groups of one side of `::` (an IPv4 address last counts as two), or null. */
function groupsOf(part: string): number[] | null {
  if (part === "") return [];
  const fields = part.split(":");
  const groups: number[] = [];
  for (const [i, field] of fields.entries()) {
    if (i === fields.length - 1 && field.includes(".")) {
      const v4 = sockaddrIn({ transport: "tcp", hostname: field, port: 0 });
      if (v4 === null) return null;
      groups.push((v4[4]! << 8) | v4[5]!, (v4[6]! << 8) | v4[7]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(field)) {
      groups.push(parseInt(field, 16));
    } else {
      return null;
    }
  }
  return groups;
}
