/**
 * Finding lines in a byte stream cheaply: counting newlines, or splitting out whole lines.
 * @module
 */

/** The byte that ends every line of both protocols driven by the benchmark. */
export const NEWLINE = 0x0a;

/** Counts the newline bytes in `bytes`. */
export function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Per-connection line finder with two speeds: {@linkcode LineScanner.count} only counts
 * line ends (the fast path for receivers), {@linkcode LineScanner.split} hands out whole lines.
 * Switching between them mid-line is safe: a line that began while counting is skipped
 * rather than handed out truncated.
 *
 * @example
 * ```ts
 * import { LineScanner } from "./line_scanner.ts";
 * const scanner = new LineScanner();
 * const lines: string[] = [];
 * const decode = (line: Uint8Array) => lines.push(new TextDecoder().decode(line));
 * scanner.split(new TextEncoder().encode("ab\ncd"), decode);
 * scanner.split(new TextEncoder().encode("e\n"), decode); // lines: ["ab", "cde"]
 * ```
 */
export class LineScanner {
  #carry: Uint8Array | null = null;
  #atLineStart = true;

  /** Counts the lines that `chunk` completes; any partial line held by `split` is dropped. */
  count(chunk: Uint8Array): number {
    if (chunk.length === 0) return 0;
    this.#carry = null;
    this.#atLineStart = chunk[chunk.length - 1] === NEWLINE;
    return countNewlines(chunk);
  }

  /**
   * Calls `onLine` with every line `chunk` completes, without its newline; returns how many.
   * The line passed may be a view of `chunk`: copy it to keep it.
   */
  split(chunk: Uint8Array, onLine: (line: Uint8Array) => void): number {
    let start = 0;
    let lines = 0;
    if (!this.#atLineStart) {
      // A line that began while counting: its head is gone, so skip to its end.
      const end = chunk.indexOf(NEWLINE);
      if (end < 0) return 0;
      start = end + 1;
      this.#atLineStart = true;
    }
    const { buffer, byteOffset } = chunk;
    for (let end = chunk.indexOf(NEWLINE, start); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      // A view made directly: `subarray` costs more, and every line of a login storm pays it.
      const line = new Uint8Array(buffer, byteOffset + start, end - start);
      onLine(this.#joinCarry(line));
      lines++;
      start = end + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
    return lines;
  }

  #joinCarry(tail: Uint8Array): Uint8Array {
    const carry = this.#carry;
    if (carry === null) return tail;
    this.#carry = null;
    const line = new Uint8Array(carry.length + tail.length);
    line.set(carry);
    line.set(tail, carry.length);
    return line;
  }

  #keep(rest: Uint8Array): void {
    const carry = this.#carry;
    if (carry === null) {
      this.#carry = rest.slice();
      return;
    }
    const joined = new Uint8Array(carry.length + rest.length);
    joined.set(carry);
    joined.set(rest, carry.length);
    this.#carry = joined;
  }
}
