/**
 * How large a UDP datagram the local network interface carries whole: the bound that the OS can
 * tell path MTU discovery (`lib/rudp/recovery/mtu_discovery.ts`). The interface is the one holding the
 * socket's local address; its MTU is read from Linux's `/sys/class/net/IFACE/mtu`. Anything
 * that cannot be read or found is unknown: another OS, no `--allow-sys=networkInterfaces`, and in
 * Deno 2.9 anything short of `--allow-all`, since Deno lets no narrower permission read `/sys`
 * (denoland/deno#27564); the programs do not ask for that much, so to them it is unknown today.
 *
 * Deno cannot set the don't-fragment bit, so a datagram larger than the interface's MTU leaves
 * as IP fragments and a probe of it may well be acknowledged: without the interface's MTU the
 * search could settle on a size that only fragmentation carries. So {@linkcode localDatagramBound}
 * assumes an Ethernet path when the OS does not tell, whoever the peer.
 *
 * @module
 */

/** IPv4 (20 B) and UDP (8 B) headers, bytes: what a datagram adds to its payload. */
export const IPV4_UDP_HEADER_BYTES = 28;
/** IPv6 (40 B) and UDP (8 B) headers, bytes. */
export const IPV6_UDP_HEADER_BYTES = 48;
/** The MTU assumed when the OS does not tell: Ethernet's, bytes. */
export const ASSUMED_MTU_BYTES = 1500;
/** Smallest and largest MTU believed from the file; anything else is unknown. */
const MTU_RANGE = { min: 68, max: 1 << 20 };

/** Where the system facts come from; tests inject their own. */
export interface InterfaceReaders {
  /** The interfaces and their addresses (`Deno.networkInterfaces`). */
  networkInterfaces(): readonly Pick<Deno.NetworkInterfaceInfo, "name" | "address">[];
  /** A file's text, synchronously (`Deno.readTextFileSync`). */
  readTextFile(path: string): string;
}

/** The real system. */
export const systemReaders: InterfaceReaders = {
  networkInterfaces: () => {
    requireGranted({ name: "sys", kind: "networkInterfaces" });
    return Deno.networkInterfaces();
  },
  readTextFile: (path) => {
    requireGranted({ name: "read", path });
    return Deno.readTextFileSync(path);
  },
};

/**
 * Throws unless `permission` is granted already. Asking for one that is not would make Deno
 * prompt on a terminal, and the prompt blocks the whole process (a server mid-download froze at
 * it, and a client in raw mode could not answer it): the bound is then unknown instead.
 */
function requireGranted(permission: Deno.PermissionDescriptor): void {
  const { state } = Deno.permissions.querySync(permission);
  if (state !== "granted") throw new Deno.errors.NotCapable(`${permission.name} not granted`);
}

/**
 * The largest UDP payload, in bytes, that the interface a socket bound to `localHost` uses to
 * reach `peerHost` sends without fragmenting (its MTU less the IP and UDP headers), or null when
 * unknown. A socket bound to a wildcard address (`0.0.0.0`, `::`) has no interface of its own:
 * a loopback peer, or one holding a local address, is reached through the loopback interface; any
 * other through one of the rest, so the largest of their MTUs bounds the path.
 *
 * @example
 * ```ts ignore
 * interfaceDatagramBytes("0.0.0.0", "192.0.2.7"); // 1472 on a host whose one NIC has MTU 1500
 * ```
 */
export function interfaceDatagramBytes(
  localHost: string,
  peerHost: string,
  readers: InterfaceReaders = systemReaders,
): number | null {
  let interfaces: readonly Pick<Deno.NetworkInterfaceInfo, "name" | "address">[];
  try {
    interfaces = readers.networkInterfaces();
  } catch {
    return null; // no permission, or no such call here
  }
  let largest: number | null = null;
  for (const name of interfacesFor(interfaces, bare(localHost), bare(peerHost))) {
    const mtu = readMtu(readers, name);
    if (mtu === null) return null; // one unknown among candidates: the bound is unknown
    largest = Math.max(largest ?? 0, mtu);
  }
  if (largest === null) return null;
  const headers = isIpv6(bare(peerHost)) ? IPV6_UDP_HEADER_BYTES : IPV4_UDP_HEADER_BYTES;
  return largest - headers;
}

/**
 * The bound the local side puts on path MTU discovery towards `peerHost`: what the interface
 * carries ({@linkcode interfaceDatagramBytes}); when the OS does not tell, an Ethernet frame's
 * payload (1,472 bytes over IPv4, 1,452 over IPv6), for a loopback peer too: a loopback's MTU
 * may be lowered like any other, and a size above the real one would be carried by IP
 * fragments, which one lost fragment undoes. Nothing may depend on fragmentation.
 */
export function localDatagramBound(
  localHost: string,
  peerHost: string,
  readers: InterfaceReaders = systemReaders,
): number {
  const told = interfaceDatagramBytes(localHost, peerHost, readers);
  if (told !== null) return told;
  const peer = bare(peerHost);
  return ASSUMED_MTU_BYTES - (isIpv6(peer) ? IPV6_UDP_HEADER_BYTES : IPV4_UDP_HEADER_BYTES);
}

/** Parses the contents of `/sys/class/net/IFACE/mtu`: a decimal number, or null. */
export function parseMtu(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,8}$/.test(trimmed)) return null;
  const mtu = Number(trimmed);
  return mtu >= MTU_RANGE.min && mtu <= MTU_RANGE.max ? mtu : null;
}

/** Names of the interfaces the datagrams may leave by (distinct, possibly none). */
function interfacesFor(
  interfaces: readonly Pick<Deno.NetworkInterfaceInfo, "name" | "address">[],
  local: string,
  peer: string,
): string[] {
  const holding = (address: string) => interfaces.filter((i) => i.address === address);
  const loopback = new Set(interfaces.filter((i) => isLoopback(i.address)).map((i) => i.name));
  if (!isWildcard(local)) return unique(holding(local).map((i) => i.name));
  if (isLoopback(peer) || holding(peer).length > 0) return [...loopback];
  return unique(interfaces.filter((i) => !loopback.has(i.name)).map((i) => i.name));
}

function readMtu(readers: InterfaceReaders, name: string): number | null {
  // A name from the system, but still: nothing that could leave the folder.
  if (!/^[\w.@-]{1,32}$/.test(name) || name === "." || name === "..") return null;
  try {
    return parseMtu(readers.readTextFile(`/sys/class/net/${name}/mtu`));
  } catch {
    return null;
  }
}

/** The host without IPv6 brackets or an IPv4-mapped prefix. */
function bare(host: string): string {
  const unbracketed = host.replace(/^\[(.*)\]$/, "$1");
  return unbracketed.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
}

function isWildcard(host: string): boolean {
  return host === "" || host === "0.0.0.0" || host === "::";
}

function isLoopback(host: string): boolean {
  return host === "::1" || host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isIpv6(host: string): boolean {
  return host.includes(":");
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
