/**
 * Reading the fields of a JSON object from the network, each checked against its rule, without
 * throwing and without casts: the first field that breaks its rule is remembered as the problem.
 * @module
 */

import { checkFileName } from "../text/file_names.ts";
import { MAX_REQUEST_ID_CHARS } from "./limits.ts";
import { checkName } from "./names.ts";
import type { RequestId } from "./requests.ts";

/** A parsed JSON object, its fields not checked yet. */
export type Fields = Record<string, unknown>;

/** Whether a JSON value is an object (not an array, not `null`). */
export function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads fields one by one. Each method returns the field's value, or a placeholder of the right
 * type when the field breaks its rule; {@linkcode FieldReader.problem} then says which field
 * and why, and whatever was built from the placeholders must be thrown away.
 *
 * @example
 * ```ts
 * import { FieldReader } from "./field_reader.ts";
 * const reader = new FieldReader({ name: "ann", size: -1 });
 * reader.name("name"); // "ann"
 * reader.count("size"); // 0, a placeholder
 * reader.problem; // "field 'size' must be a non-negative integer"
 * ```
 */
export class FieldReader {
  readonly #fields: Fields;
  readonly #where: string;
  #problem: string | null = null;

  /** @param where prefix of the problem, naming the object read (an entry of a list, say) */
  constructor(fields: Fields, where = "") {
    this.#fields = fields;
    this.#where = where;
  }

  /** What broke the first rule, or `null` if every field read so far kept its rule. */
  get problem(): string | null {
    return this.#problem;
  }

  /** Whether the field is absent (or `undefined`, which JSON cannot carry). */
  absent(key: string): boolean {
    return this.#fields[key] === undefined;
  }

  /** A string; `check` may refuse it with a reason. */
  string(key: string, check: (value: string) => string | null = () => null): string {
    const value = this.#fields[key];
    if (typeof value !== "string") return this.#fail(key, "must be a string", "");
    const refused = check(value);
    return refused === null ? value : this.#fail(key, `is refused: ${refused}`, "");
  }

  /** A user name that keeps the name rules (`checkName`). */
  name(key: string): string {
    return this.string(key, (value) => checkName(value)?.message ?? null);
  }

  /** A file name that keeps the file name rules (`checkFileName`). */
  fileName(key: string): string {
    return this.string(key, checkFileName);
  }

  /** An integer from `min` to `max`, both safe integers. */
  integer(key: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    const value = this.#fields[key];
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max) {
      return value;
    }
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    return this.#fail(key, `must be an integer ${range}`, min);
  }

  /** A size, count or offset: a non-negative safe integer. */
  count(key: string): number {
    const value = this.#fields[key];
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
    return this.#fail(key, "must be a non-negative integer", 0);
  }

  /** A time in milliseconds since the Unix epoch: a finite number. */
  time(key: string): number {
    const value = this.#fields[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
    return this.#fail(key, "must be a finite number", 0);
  }

  /** A boolean. */
  boolean(key: string): boolean {
    const value = this.#fields[key];
    return typeof value === "boolean" ? value : this.#fail(key, "must be true or false", false);
  }

  /** One of a few strings. */
  oneOf<T extends string>(key: string, choices: readonly T[]): T {
    const value = this.#fields[key];
    const found = choices.find((choice) => choice === value);
    if (found !== undefined) return found;
    return this.#fail(key, `must be one of ${choices.join(", ")}`, choices[0]!);
  }

  /** A value the type guard accepts (a known error code, say); `fallback` is the placeholder. */
  member<T>(key: string, guard: (value: unknown) => value is T, what: string, fallback: T): T {
    const value = this.#fields[key];
    return guard(value) ? value : this.#fail(key, `must be ${what}`, fallback);
  }

  /** A request id as echoed in `re`: a short string or a non-negative integer. */
  requestId(key: string): RequestId {
    const value = this.#fields[key];
    if (typeof value === "string" && value.length <= MAX_REQUEST_ID_CHARS) return value;
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
    return this.#fail(key, "must be a request id", 0);
  }

  /** An array of strings, each accepted by `check` (told its place in the array). */
  strings(key: string, check: (value: string, index: number) => string | null): string[] {
    const value = this.#fields[key];
    if (!Array.isArray(value)) return this.#fail(key, "must be an array", []);
    const out: string[] = [];
    for (const [i, item] of value.entries()) {
      const refused = typeof item === "string" ? check(item, i) : "not a string";
      if (refused !== null) return this.#fail(`${key}[${i}]`, `is refused: ${refused}`, []);
      out.push(item);
    }
    return out;
  }

  /** An array of objects, each read by `read` (whose reader names the entry in its problem). */
  list<T>(key: string, readEntry: (entry: FieldReader) => T): T[] {
    const value = this.#fields[key];
    if (!Array.isArray(value)) return this.#fail(key, "must be an array", []);
    const out: T[] = [];
    for (const [i, item] of value.entries()) {
      const where = `${this.#where}${key}[${i}]: `;
      if (!isFields(item)) return this.#fail(`${key}[${i}]`, "must be an object", []);
      const entry = new FieldReader(item, where);
      const read = readEntry(entry);
      if (entry.problem !== null) {
        this.#problem ??= entry.problem;
        return [];
      }
      out.push(read);
    }
    return out;
  }

  /** A nested object, or `null` where `null` is allowed; read by `read`. */
  object<T>(key: string, read: (entry: FieldReader) => T): T | null {
    const value = this.#fields[key];
    if (value === null) return null;
    if (!isFields(value)) return this.#fail(key, "must be an object or null", null);
    const entry = new FieldReader(value, `${this.#where}${key}: `);
    const out = read(entry);
    if (entry.problem !== null) this.#problem ??= entry.problem;
    return out;
  }

  #fail<T>(key: string, what: string, placeholder: T): T {
    this.#problem ??= `${this.#where}field '${key}' ${what}`;
    return placeholder;
  }
}
