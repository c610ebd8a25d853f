/**
 * Grapheme clusters: what a reader takes for one character (a letter with its accents, a
 * flag, a family emoji), as Unicode's text segmentation (UAX #29) defines it through
 * `Intl.Segmenter`. Editing, measuring and splitting text go by clusters so that none of them
 * ever cuts one in two.
 * @module
 */

import { lazy } from "../core/lazy.ts";

/** Made on first use: building one takes ~15 ms, which a command may never need. */
const segmenter = lazy(() => new Intl.Segmenter("en", { granularity: "grapheme" }));

/** Printable ASCII: every character is a cluster of its own, the common case made cheap. */
const SIMPLE = /^[\x20-\x7e]*$/;

/**
 * Splits `text` into its grapheme clusters.
 *
 * @example
 * ```ts
 * import { graphemes } from "./graphemes.ts";
 * graphemes("e\u0301👨‍👩‍👧!"); // ["é", "👨‍👩‍👧", "!"]
 * ```
 */
export function graphemes(text: string): string[] {
  if (SIMPLE.test(text)) return text.split("");
  return Array.from(segmenter().segment(text), (s) => s.segment);
}

/**
 * The offsets (UTF-16 code units) where clusters of `text` start, followed by `text.length`:
 * every place a cursor may stand or a cut may fall.
 *
 * @example
 * ```ts
 * import { graphemeBoundaries } from "./graphemes.ts";
 * graphemeBoundaries("a🇫🇷"); // [0, 1, 5]
 * ```
 */
export function graphemeBoundaries(text: string): number[] {
  if (SIMPLE.test(text)) return Array.from({ length: text.length + 1 }, (_, i) => i);
  const starts = Array.from(segmenter().segment(text), (s) => s.index);
  starts.push(text.length);
  return starts;
}

/** Finds the cluster holding a given offset of one text, quickly, as often as asked. */
export type ClusterFinder = (index: number) => { start: number; end: number };

/**
 * Returns a function that finds the cluster holding an offset of `text`, without segmenting the
 * whole text each time (for editing long lines key by key).
 *
 * @example
 * ```ts
 * import { clusterFinder } from "./graphemes.ts";
 * clusterFinder("a🇫🇷b")(2); // { start: 1, end: 5 }
 * ```
 */
export function clusterFinder(text: string): ClusterFinder {
  if (SIMPLE.test(text)) {
    return (index) => ({ start: index, end: Math.min(text.length, index + 1) });
  }
  const segments = segmenter().segment(text);
  return (index) => {
    const found = segments.containing(index);
    if (found === undefined) return { start: text.length, end: text.length };
    return { start: found.index, end: found.index + found.segment.length };
  };
}

/** The boundary just before `index` (0 at the start); `index` need not be a boundary. */
export function previousBoundary(text: string, index: number): number {
  if (index <= 0) return 0;
  return clusterFinder(text)(Math.min(index, text.length) - 1).start;
}

/** The boundary just after `index` (`text.length` at the end). */
export function nextBoundary(text: string, index: number): number {
  if (index >= text.length) return text.length;
  return clusterFinder(text)(Math.max(0, index)).end;
}

/** `index` if it is a boundary, else the next boundary after it. */
export function boundaryAtOrAfter(text: string, index: number): number {
  if (index <= 0) return 0;
  if (index >= text.length) return text.length;
  const cluster = clusterFinder(text)(index);
  return cluster.start === index ? index : cluster.end;
}
