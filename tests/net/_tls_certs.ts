/**
 * Certificates for the TLS tests, made once per test process: one for 127.0.0.1, ::1 and
 * localhost, one for another host only, and one that has expired.
 * @module
 */

import { makeSelfSigned, type SelfSigned } from "../../lib/net/tls_certificate.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The test certificates (each with its key), by what they are good for. */
export interface TestCerts {
  /** Valid now for 127.0.0.1, ::1 and localhost. */
  good: SelfSigned;
  /** Valid now, for `chat.example` only. */
  otherHost: SelfSigned;
  /** For 127.0.0.1, but it expired days ago. */
  expired: SelfSigned;
}

let made: Promise<TestCerts> | null = null;

/** The test certificates, made on first use. */
export function testCerts(): Promise<TestCerts> {
  made ??= (async () => {
    const local = { dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"] };
    return {
      good: await makeSelfSigned(new Date(Date.now() - DAY_MS), { ...local, days: 30 }),
      otherHost: await makeSelfSigned(new Date(Date.now() - DAY_MS), {
        dnsNames: ["chat.example"],
        ipAddresses: [],
        days: 30,
      }),
      expired: await makeSelfSigned(new Date(Date.now() - 10 * DAY_MS), { ...local, days: 2 }),
    };
  })();
  return made;
}

/** The key pair option of a hub server for a certificate. */
export function keyPair(made: SelfSigned): { cert: string; key: string } {
  return { cert: made.certPem, key: made.keyPem };
}
