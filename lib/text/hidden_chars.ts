/**
 * Characters that fool the eye: ones that take no room, reorder the text around them (bidi
 * controls) or look like another character. Names refuse them; message text shows them escaped.
 * @module
 */

/**
 * Code points a name may never hold: controls (`Cc`), format characters (`Cf`: bidi controls,
 * zero-width spaces and joiners, the byte-order mark, the soft hyphen), private-use (`Co`),
 * unassigned (`Cn`) and lone surrogates (`Cs`), line and paragraph separators, every
 * default-ignorable code point (variation selectors, Hangul fillers, tags), the braille blank,
 * and every space but U+0020 (a no-break space looks like a space).
 */
const UNSAFE_IN_NAME =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]|(?! )\p{Zs}/u;

/**
 * Code points message text shows escaped: the format characters, separators, lone surrogates and
 * default-ignorable ones. Controls are left to the caller (the terminal code has its own caret
 * notation); private-use and unassigned characters stay, as they show as a glyph or a box.
 */
const HIDDEN_IN_TEXT = /[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]/u;

/** The characters that change the direction of the text around them. */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const ZWJ = 0x200d;
const TEXT_PRESENTATION = 0xfe0e;
const EMOJI_PRESENTATION = 0xfe0f;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const EMOJI = /\p{Emoji}/u;
const EMOJI_MODIFIER = /\p{Emoji_Modifier}/u;

/**
 * Returns the first code point of `name` that a name may not hold (see the module), or `null`.
 *
 * @example
 * ```ts
 * import { findUnsafeNameChar } from "./hidden_chars.ts";
 * findUnsafeNameChar("notes.txt"); // null
 * findUnsafeNameChar("evil\u202etxt.exe"); // 0x202e
 * ```
 */
export function findUnsafeNameChar(name: string): number | null {
  const found = UNSAFE_IN_NAME.exec(name);
  return found === null ? null : found[0].codePointAt(0)!;
}

/**
 * Names a code point {@link findUnsafeNameChar} returned and says what kind it is, for an error
 * message.
 *
 * @example
 * ```ts
 * import { describeUnsafeChar } from "./hidden_chars.ts";
 * describeUnsafeChar(0x202e); // "U+202E, a bidirectional control"
 * ```
 */
export function describeUnsafeChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  const kind = BIDI_CONTROL.test(ch)
    ? "a bidirectional control"
    : /\p{Zs}/u.test(ch)
    ? "a space other than U+0020"
    : /[\p{Co}\p{Cn}]/u.test(ch)
    ? "a private-use or unassigned character"
    : /\p{Cc}/u.test(ch)
    ? "a control character"
    : "an invisible character";
  return `${codePointLabel(cp)}, ${kind}`;
}

/**
 * Whether the code point `cp`, between `before` and `after` (`undefined` at either end), should
 * be shown escaped in message text. Two uses of invisible characters are kept because emoji need
 * them and they hide nothing: a zero-width joiner between two emoji (👨‍👩‍👧) and one
 * presentation selector (U+FE0E, U+FE0F) right after an emoji (❤️).
 *
 * @example
 * ```ts
 * import { isHiddenInText } from "./hidden_chars.ts";
 * isHiddenInText(0x202e, 0x61, 0x62); // true
 * isHiddenInText(0x200d, 0x1f468, 0x1f469); // false
 * ```
 */
export function isHiddenInText(
  cp: number,
  before: number | undefined,
  after: number | undefined,
): boolean {
  const ch = String.fromCodePoint(cp);
  if (!HIDDEN_IN_TEXT.test(ch)) return false;
  if (cp === ZWJ) return !(joinsEmoji(before) && after !== undefined && isPictograph(after));
  if (cp === TEXT_PRESENTATION || cp === EMOJI_PRESENTATION) {
    return before === undefined || !EMOJI.test(String.fromCodePoint(before));
  }
  return true;
}

/**
 * Names a code point the way Unicode charts do: `U+` and at least four hexadecimal digits.
 *
 * @example
 * ```ts
 * import { codePointLabel } from "./hidden_chars.ts";
 * codePointLabel(0x202e); // "U+202E"
 * ```
 */
export function codePointLabel(cp: number): string {
  return "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
}

/** What may sit before a joiner in an emoji sequence: an emoji, its skin tone or its selector. */
function joinsEmoji(before: number | undefined): boolean {
  if (before === undefined) return false;
  if (before === EMOJI_PRESENTATION || isPictograph(before)) return true;
  return EMOJI_MODIFIER.test(String.fromCodePoint(before));
}

function isPictograph(cp: number): boolean {
  return PICTOGRAPH.test(String.fromCodePoint(cp));
}
