/**
 * Passwords hashed with scrypt (`node:crypto`, the asynchronous form: the work runs off the
 * event loop, so a hash never stalls the hub) and compared in constant time. At most
 * {@linkcode MAX_CONCURRENT_HASHES} run at once; the rest wait in order (the hub bounds how
 * many wait, see `MAX_PENDING_AUTHENTICATIONS`). A password longer than `MAX_PASSWORD_BYTES` is
 * refused before any hashing.
 * @module
 */

import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { MAX_PASSWORD_BYTES } from "../chat/limits.ts";

/** The scrypt cost parameters of one hash: `n` (CPU and memory), `r` (block size), `p`. */
export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

/**
 * Parameters new hashes are made with: 2^15 × 8 × 128 bytes = 32 MiB and about 50-150 ms of one
 * core each. A stored hash keeps its own parameters.
 */
export const SCRYPT_PARAMS: Readonly<ScryptParams> = { n: 2 ** 15, r: 8, p: 1 };
/** Bytes of random salt per password. */
export const SALT_BYTES = 16;
/** Bytes of derived key stored per password. */
export const HASH_BYTES = 32;
/**
 * Most scrypt hashes running at once: each holds its memory (32 MiB at the defaults) and a
 * thread, so a flood of logins costs at most this many hashes' memory and cores.
 */
export const MAX_CONCURRENT_HASHES = 2;
/**
 * Most memory one hash may use, in bytes: a stored row asking for more (a damaged or hostile
 * database) fails instead of exhausting memory.
 */
export const MAX_HASH_MEMORY_BYTES = 64 * 1024 * 1024;

/** A salted hash of a password and the parameters it was made with. */
export interface PasswordHash {
  salt: Uint8Array;
  hash: Uint8Array;
  params: ScryptParams;
}

/**
 * Hashes and checks passwords, a few at a time.
 *
 * @example
 * ```ts
 * import { PasswordHasher } from "./password_hash.ts";
 * const hasher = new PasswordHasher({ params: { n: 1024, r: 8, p: 1 } });
 * const stored = await hasher.hash("correct horse");
 * await hasher.verify("correct horse", stored); // true
 * ```
 */
export class PasswordHasher {
  readonly #params: ScryptParams;
  readonly #maxRunning: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(options: { params?: ScryptParams; maxConcurrent?: number } = {}) {
    this.#params = options.params ?? SCRYPT_PARAMS;
    this.#maxRunning = options.maxConcurrent ?? MAX_CONCURRENT_HASHES;
    if (!(this.#maxRunning >= 1)) throw new RangeError("A hasher needs at least 1 hash at once");
  }

  /** Hashes running now (at most `maxConcurrent`). */
  get running(): number {
    return this.#running;
  }

  /** Hashes waiting for a turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** A fresh salted hash of `password`; RangeError if it is longer than `MAX_PASSWORD_BYTES`. */
  async hash(password: string): Promise<PasswordHash> {
    const salt = new Uint8Array(randomBytes(SALT_BYTES));
    const params = { ...this.#params };
    const hash = await this.#derive(password, salt, params, HASH_BYTES);
    return { salt, hash, params };
  }

  /** Whether `password` is the one `stored` was made from, compared in constant time. */
  async verify(password: string, stored: PasswordHash): Promise<boolean> {
    const derived = await this.#derive(password, stored.salt, stored.params, stored.hash.length);
    return timingSafeEqual(derived, stored.hash);
  }

  async #derive(
    password: string,
    salt: Uint8Array,
    params: ScryptParams,
    length: number,
  ): Promise<Uint8Array> {
    const secret = new TextEncoder().encode(password);
    if (secret.length > MAX_PASSWORD_BYTES) {
      throw new RangeError(`Password is longer than ${MAX_PASSWORD_BYTES} bytes`);
    }
    await this.#turn();
    try {
      return await scryptAsync(secret, salt, params, length);
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  /** Resolves when a hash may start, counted as running. */
  #turn(): Promise<void> {
    if (this.#running < this.#maxRunning) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiting.push(() => {
        this.#running++;
        resolve();
      });
    });
  }
}

function scryptAsync(
  secret: Uint8Array,
  salt: Uint8Array,
  { n, r, p }: ScryptParams,
  length: number,
): Promise<Uint8Array> {
  const { promise, resolve, reject } = Promise.withResolvers<Uint8Array>();
  scrypt(
    secret,
    salt,
    length,
    { N: n, r, p, maxmem: MAX_HASH_MEMORY_BYTES },
    (error, key) => error ? reject(error) : resolve(new Uint8Array(key)),
  );
  return promise;
}
