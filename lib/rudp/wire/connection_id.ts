/**
 * Connection ids and the injected randomness they come from.
 *
 * @module
 */
import { CONNECTION_ID_BYTES } from "./frame.ts";

/** Fills `bytes` with random bytes; the driver passes the platform CSPRNG, tests a seeded PRNG. */
export type RandomSource = (bytes: Uint8Array) => void;

/** Draws `length` random bytes from `random`. */
export function randomBytes(random: RandomSource, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  random(bytes);
  return bytes;
}

/** A fresh random connection id; never all zero (that marks an initial packet). */
export function newConnectionId(random: RandomSource): Uint8Array {
  for (let attempt = 0; attempt < 16; attempt++) {
    const id = randomBytes(random, CONNECTION_ID_BYTES);
    if (id.some((b) => b !== 0)) return id;
  }
  throw new TypeError("Cannot create connection id: the random source returns only zeros");
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** A map key for a connection id (lower-case hex). */
export function connectionIdKey(id: Uint8Array): string {
  let key = "";
  for (let i = 0; i < id.length; i++) key += HEX[id[i]!]!;
  return key;
}
