/**
 * How many terminal columns a grapheme cluster takes, as terminals that follow Unicode draw it.
 *
 * Written here rather than taken from npm (`string-width`): the runtime already knows grapheme
 * clusters (`Intl.Segmenter`) and emoji (`\p{RGI_Emoji}`, `\p{Emoji_Presentation}`) from its own,
 * current Unicode data, so the one table this needs is East Asian Width (not exposed to regular
 * expressions), in `_east_asian_wide.ts`; the project stays free of packages and its tests offline.
 *
 * @module
 */

import { lazy } from "../core/lazy.ts";
import { graphemes } from "../text/graphemes.ts";
import { EAST_ASIAN_WIDE } from "./_east_asian_wide.ts";

/** The Unicode property patterns, made on first use (the emoji one takes ~20 ms to build). */
const patterns = lazy(() => ({
  /** A whole cluster that is an emoji Unicode recommends for general interchange. */
  rgiEmoji: /^\p{RGI_Emoji}$/v,
  /** Emoji drawn as emoji by default (wide since Unicode 9), including ones newer than the table. */
  emojiPresentation: /^\p{Emoji_Presentation}/u,
  /** Controls, and clusters that are only marks or format characters: they take no column. */
  zeroWidth: /^(?:\p{Cc}|[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\u200b]+)$/u,
  regionalIndicator: /^\p{Regional_Indicator}{2}$/u,
}));
/**
 * Text of one column per UTF-16 unit: printable ASCII and Latin-1 (not the soft hyphen), "…",
 * the plain arrows, box drawing and block elements. None of these combine or has an emoji
 * presentation by default, so such text is measured without the segmenter or the Unicode
 * tables, which take tens of ms to build (a progress line's "↓" no longer builds them).
 */
const SIMPLE = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u2026\u2190-\u2199\u2500-\u259f]*$/;

/**
 * Returns the columns one grapheme cluster takes: 2 for emoji (a family 👨‍👩‍👧, a flag 🇫🇷, a
 * red heart with its emoji selector ❤️, a keycap 1️⃣) and for East Asian wide and fullwidth
 * characters (CJK, Hangul, fullwidth forms), 0 for controls and for marks or format characters
 * standing alone, 1 otherwise (a letter with any number of combining accents is one column).
 * Ambiguous-width characters count as narrow, as in most terminals outside East Asia.
 *
 * @example
 * ```ts
 * import { graphemeWidth } from "./grapheme_width.ts";
 * graphemeWidth("👨‍👩‍👧"); // 2
 * graphemeWidth("e\u0301"); // 1
 * ```
 */
export function graphemeWidth(cluster: string): number {
  if (cluster.length === 1) return charWidth(cluster.charCodeAt(0));
  const { rgiEmoji, regionalIndicator, zeroWidth } = patterns();
  if (rgiEmoji.test(cluster) || regionalIndicator.test(cluster)) return 2;
  if (zeroWidth.test(cluster)) return 0;
  return charWidth(cluster.codePointAt(0) ?? 0);
}

/**
 * The columns plain `text` (no escape sequences) takes, cluster by cluster.
 *
 * @example
 * ```ts
 * import { textWidth } from "./grapheme_width.ts";
 * textWidth("日本 ❤️"); // 7
 * ```
 */
export function textWidth(text: string): number {
  if (SIMPLE.test(text)) return text.length;
  let width = 0;
  for (const cluster of graphemes(text)) width += graphemeWidth(cluster);
  return width;
}

/** The width of a cluster of one code point. */
function charWidth(cp: number): number {
  if (cp >= 0x20 && cp < 0x7f) return 1;
  if (cp < 0xa0) return 0;
  const ch = String.fromCodePoint(cp);
  const { zeroWidth, emojiPresentation } = patterns();
  if (zeroWidth.test(ch)) return 0;
  return isWide(cp) || emojiPresentation.test(ch) ? 2 : 1;
}

/** Binary search of {@link EAST_ASIAN_WIDE}. */
function isWide(cp: number): boolean {
  let lo = 0;
  let hi = EAST_ASIAN_WIDE.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < EAST_ASIAN_WIDE[2 * mid]!) hi = mid - 1;
    else if (cp > EAST_ASIAN_WIDE[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}
