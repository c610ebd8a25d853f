/**
 * QUIC-style variable-length integers (RFC 9000 §16): the top two bits of the first byte give
 * the length (1, 2, 4 or 8 bytes), the rest is the big-endian value.
 *
 * Values are JavaScript numbers, so only 0..2^53-1 are representable; an 8-byte varint above
 * that decodes as an error rather than losing precision.
 *
 * @module
 */

/** Largest value this codec writes or accepts (2^53 - 1). */
export const MAX_VARINT = Number.MAX_SAFE_INTEGER;

const TWO_POW_32 = 0x1_0000_0000;

/**
 * Number of bytes the varint encoding of `value` takes (1, 2, 4 or 8).
 *
 * @example
 * ```ts
 * varintSize(63); // 1
 * varintSize(64); // 2
 * ```
 */
export function varintSize(value: number): 1 | 2 | 4 | 8 {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Cannot encode varint: ${value} is not a safe non-negative integer`);
  }
  if (value < 0x40) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x4000_0000) return 4;
  return 8;
}

/**
 * Writes `value` as a varint into `bytes` at `pos`; returns the position after it.
 *
 * Throws RangeError when the value is not a safe non-negative integer or does not fit.
 *
 * @example
 * ```ts
 * const buf = new Uint8Array(8);
 * writeVarint(buf, 0, 300); // 2
 * ```
 */
export function writeVarint(bytes: Uint8Array, pos: number, value: number): number {
  const size = varintSize(value);
  if (pos + size > bytes.length) throw new RangeError("Cannot encode varint: buffer too small");
  if (size === 1) {
    bytes[pos] = value;
  } else if (size === 2) {
    bytes[pos] = 0x40 | (value >>> 8);
    bytes[pos + 1] = value & 0xff;
  } else if (size === 4) {
    bytes[pos] = 0x80 | (value >>> 24);
    bytes[pos + 1] = (value >>> 16) & 0xff;
    bytes[pos + 2] = (value >>> 8) & 0xff;
    bytes[pos + 3] = value & 0xff;
  } else {
    const hi = Math.floor(value / TWO_POW_32);
    const lo = value >>> 0;
    bytes[pos] = 0xc0 | (hi >>> 24);
    bytes[pos + 1] = (hi >>> 16) & 0xff;
    bytes[pos + 2] = (hi >>> 8) & 0xff;
    bytes[pos + 3] = hi & 0xff;
    bytes[pos + 4] = lo >>> 24;
    bytes[pos + 5] = (lo >>> 16) & 0xff;
    bytes[pos + 6] = (lo >>> 8) & 0xff;
    bytes[pos + 7] = lo & 0xff;
  }
  return pos + size;
}

/**
 * Reads a varint from `bytes` at `pos`.
 *
 * Returns `[value, nextPos]`, or `null` when the bytes end early or the value exceeds
 * {@linkcode MAX_VARINT}. Never throws.
 *
 * @example
 * ```ts
 * readVarint(new Uint8Array([0x41, 0x2c]), 0); // [300, 2]
 * ```
 */
export function readVarint(bytes: Uint8Array, pos: number): [number, number] | null {
  const first = bytes[pos];
  if (first === undefined) return null;
  const size = 1 << (first >>> 6);
  if (pos + size > bytes.length) return null;
  let value = first & 0x3f;
  if (size === 8) {
    // The high 32 bits may use at most 21 bits to stay a safe integer.
    const hi = ((first & 0x3f) << 24) | (bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) |
      bytes[pos + 3]!;
    if (hi >= 0x20_0000) return null;
    const lo = ((bytes[pos + 4]! << 24) | (bytes[pos + 5]! << 16) | (bytes[pos + 6]! << 8) |
      bytes[pos + 7]!) >>> 0;
    return [hi * TWO_POW_32 + lo, pos + 8];
  }
  for (let i = 1; i < size; i++) value = value * 256 + bytes[pos + i]!;
  return [value, pos + size];
}
