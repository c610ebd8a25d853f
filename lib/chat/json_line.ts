/**
 * Encoding of one protocol object as one line of JSON.
 * @module
 */

const utf8 = new TextEncoder();

/** Encodes an object as a UTF-8 JSON line ending in `\n`. */
export function encodeLine(value: object): Uint8Array {
  return utf8.encode(JSON.stringify(value) + "\n");
}

/** Parses a line as a JSON object, returning `null` if it is not JSON or not an object. */
export function parseObject(line: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  return value as Record<string, unknown>;
}
