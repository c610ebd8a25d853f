/**
 * Making a key and a self-signed certificate for a hub on a LAN, and the SHA-256 fingerprint
 * people compare to trust one. X.509 is encoded by `@peculiar/x509` over WebCrypto.
 * @module
 */

import type * as X509 from "@peculiar/x509";

let library: Promise<typeof X509> | null = null;

/**
 * `@peculiar/x509`, loaded at first use: loading it costs a process ~0.1 s of CPU, which a hub
 * without TLS, and every client, should not pay.
 */
function loadX509(): Promise<typeof X509> {
  library ??= import("@peculiar/x509");
  return library;
}

/** Longest validity `makeSelfSigned` accepts, in days (about ten years). */
export const MAX_CERT_DAYS = 3650;

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Random bytes of a serial number (RFC 5280 allows up to 20; 16 keep it positive and unique). */
const SERIAL_BYTES = 16;

/** What a self-signed certificate is made for. */
export interface SelfSignedOptions {
  /** DNS names it is valid for (`chat.lan`, `localhost`). */
  dnsNames: string[];
  /** IP addresses it is valid for (`192.168.1.10`, `::1`). */
  ipAddresses: string[];
  /** Days it is valid for from `notBefore`, 1 to {@linkcode MAX_CERT_DAYS}. */
  days: number;
}

/** A certificate, its private key (both PEM) and its fingerprint. */
export interface SelfSigned {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate's DER, as upper-case hex pairs joined by colons. */
  fingerprint: string;
}

/**
 * Makes a fresh P-256 key and a certificate for it, signed by itself, valid from `notBefore`
 * for `options.days`: an end-entity certificate for TLS servers (not a CA), so a client given
 * it as its `--ca` trusts exactly this hub. Throws `RangeError` on bad options.
 *
 * @example
 * ```ts ignore
 * const made = await makeSelfSigned(new Date(), { dnsNames: ["localhost"], ipAddresses: [], days: 30 });
 * console.log(made.fingerprint);
 * ```
 */
export async function makeSelfSigned(
  notBefore: Date,
  options: SelfSignedOptions,
): Promise<SelfSigned> {
  checkOptions(options);
  const x509 = await loadX509();
  x509.cryptoProvider.set(crypto);
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const names = [
    ...options.dnsNames.map((value) => ({ type: "dns" as const, value })),
    ...options.ipAddresses.map((value) => ({ type: "ip" as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${options.dnsNames[0] ?? options.ipAddresses[0]}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + options.days * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    certPem: `${cert.toString("pem")}\n`,
    keyPem: `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`,
    fingerprint: colonHex(await cert.getThumbprint("SHA-256")),
  };
}

/** The SHA-256 fingerprint of the first certificate in `pem`; throws if there is none. */
export async function fingerprintOf(pem: string): Promise<string> {
  const cert = new (await loadX509()).X509Certificate(pem);
  return colonHex(await crypto.subtle.digest("SHA-256", cert.rawData));
}

/** When the first certificate in `pem` stops being valid; throws if there is none. */
export async function notAfterOf(pem: string): Promise<Date> {
  return new (await loadX509()).X509Certificate(pem).notAfter;
}

function checkOptions(options: SelfSignedOptions): void {
  if (options.dnsNames.length + options.ipAddresses.length === 0) {
    throw new RangeError("A certificate needs at least one DNS name or IP address");
  }
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_CERT_DAYS) {
    throw new RangeError(`Validity must be 1 to ${MAX_CERT_DAYS} days`);
  }
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SERIAL_BYTES));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive, and no leading zero byte to strip
  return hex(bytes);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function colonHex(digest: ArrayBuffer): string {
  return hex(new Uint8Array(digest)).toUpperCase().match(/../g)!.join(":");
}
