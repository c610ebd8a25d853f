/**
 * `chat-server cert`: makes a key and a self-signed certificate for a hub on a LAN, writes
 * them as PEM files (the key readable by its owner only) and prints the fingerprint that
 * people compare before they trust it.
 * @module
 */

import { parseArgs } from "node:util";
import { makeSelfSigned, MAX_CERT_DAYS } from "../net/tls_certificate.ts";
import { parseInteger, UsageError, usageErrorFrom } from "./settings.ts";

/** Default validity of a certificate made by `chat-server cert`, in days. */
export const DEFAULT_CERT_DAYS = 365;
/** File mode of the private key written: owner read and write only. */
export const KEY_FILE_MODE = 0o600;

/** What `chat-server cert` is asked to make. */
export interface CertOptions {
  dnsNames: string[];
  ipAddresses: string[];
  days: number;
  certFile: string;
  keyFile: string;
  /** Replace files that exist (default: refuse). */
  force: boolean;
}

/** Usage text of `chat-server cert`. */
export const CERT_USAGE = `Usage: chat-server cert [options]

Makes a P-256 key and a self-signed certificate for a hub, valid for the names and addresses
given (default: localhost, 127.0.0.1 and ::1), writes them as PEM files and prints the
certificate's SHA-256 fingerprint. Start the hub with --tls-cert and --tls-key; clients
connect with --ca CERT-FILE (compare the fingerprint the hub logs at start).

Options:
  --dns NAME       a DNS name the hub is reached by (chat.lan); repeatable
  --ip ADDRESS     an IP address the hub is reached by (192.168.1.10); repeatable
  --days N         validity in days, 1 to ${MAX_CERT_DAYS} (default ${DEFAULT_CERT_DAYS})
  --cert FILE      where the certificate goes (default chat-cert.pem)
  --key FILE       where the key goes, mode 0600 (default chat-key.pem)
  --force          replace the files if they exist
  -h, --help       show this help
`;

/** Parses `chat-server cert`'s arguments (those after `cert`); throws `UsageError`. */
export function parseCertArgs(args: string[]): CertOptions | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        dns: { type: "string", multiple: true },
        ip: { type: "string", multiple: true },
        days: { type: "string" },
        cert: { type: "string" },
        key: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw usageErrorFrom(error);
  }
  if (values.help) return "help";
  const dnsNames = (values.dns ?? []).map(checkedDnsName);
  const ipAddresses = (values.ip ?? []).map(checkedIp);
  const none = dnsNames.length + ipAddresses.length === 0;
  return {
    dnsNames: none ? ["localhost"] : dnsNames,
    ipAddresses: none ? ["127.0.0.1", "::1"] : ipAddresses,
    days: parseInteger(values.days ?? String(DEFAULT_CERT_DAYS), "days", {
      min: 1,
      max: MAX_CERT_DAYS,
    }),
    certFile: values.cert ?? "chat-cert.pem",
    keyFile: values.key ?? "chat-key.pem",
    force: values.force ?? false,
  };
}

/**
 * Makes and writes the key and certificate; returns the lines to print (the files, what the
 * certificate is valid for, its fingerprint). Throws if a file exists (without `force`) or
 * cannot be written; the key is never left readable by others.
 */
export async function runCert(now: Date, options: CertOptions): Promise<string[]> {
  const made = await makeSelfSigned(now, options);
  const createNew = !options.force;
  // Deno applies `mode` to a replaced file too, so a key made readable stays private here.
  await Deno.writeTextFile(options.keyFile, made.keyPem, { mode: KEY_FILE_MODE, createNew });
  try {
    await Deno.writeTextFile(options.certFile, made.certPem, { createNew });
  } catch (error) {
    // A key without its certificate is of no use: not left behind.
    await Deno.remove(options.keyFile).catch(() => {});
    throw error;
  }
  const names = [...options.dnsNames, ...options.ipAddresses].join(", ");
  return [
    `Wrote the key to ${options.keyFile} (mode 0600) and the certificate to ${options.certFile}`,
    `Valid ${options.days} days for ${names}`,
    `SHA-256 fingerprint: ${made.fingerprint}`,
  ];
}

/** A DNS name of letters, digits and hyphens in dot-separated labels (`*.` first allowed). */
function checkedDnsName(name: string): string {
  const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  const pattern = new RegExp(`^(?:\\*\\.)?${label}(?:\\.${label})*\\.?$`, "i");
  if (name.length > 253 || !pattern.test(name)) {
    throw new UsageError(`Invalid DNS name '${name}'`);
  }
  return name;
}

/** An IPv4 address in dotted decimal, or an IPv6 address. */
function checkedIp(address: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4 !== null && v4.slice(1).every((part) => Number(part) <= 255)) return address;
  if (address.includes(":") && isIpv6(address)) return address;
  throw new UsageError(`Invalid IP address '${address}'`);
}

function isIpv6(address: string): boolean {
  const halves = address.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => half === "" ? [] : half.split(":"));
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}
