/**
 * Mixed-script look-alikes: `аdmin.txt` with a Cyrillic `а` reads as `admin.txt`. A name is cut
 * into words at every character no script owns (spaces, digits, punctuation: Unicode's Common
 * script), and each word must be written in one script, or in one of the mixes that Japanese,
 * Chinese and Korean writing use every day (the "highly restrictive" level of Unicode's UTS #39):
 * Latin + Han + Hiragana + Katakana, Latin + Han + Bopomofo, Latin + Han + Hangul. Characters
 * shared by several scripts (Script_Extensions) count for each of them, and combining marks
 * (Inherited) for any. So `Отчёт.pdf` and `ファイルfile.txt` pass, `аdmin.txt` does not.
 * @module
 */
import { lazy } from "../core/lazy.ts";

/** A script found in a word, with the character that showed it. */
export interface ScriptSample {
  /** The script's name, e.g. `"Cyrillic"`. */
  script: string;
  /** A code point of the word in that script. */
  codePoint: number;
}

/** Two scripts found mixed within one word: the word's first script, then the one that broke it. */
export interface ScriptMix {
  first: ScriptSample;
  second: ScriptSample;
}

interface Script {
  name: string;
  pattern: RegExp;
}

/**
 * Every script of Unicode 16, by property value name: with Common and Inherited they cover every
 * assigned code point but the private-use ones (tests/text/mixed_script_test.ts checks this).
 */
export const SCRIPT_NAMES: readonly string[] =
  `Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum
  Bassa_Vah Batak Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal
  Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian Coptic Cuneiform Cypriot Cypro_Minoan
  Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic
  Ethiopic Garay Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi
  Gurung_Khema Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic
  Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li
  Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Kirat_Rai Lao Latin Lepcha Limbu Linear_A
  Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi
  Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian
  Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu
  Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Ol_Onal Old_Hungarian Old_Italic Old_North_Arabian
  Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya
  Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan
  Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese
  Sunuwar Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut
  Telugu Thaana Thai Tibetan Tifinagh Tirhuta Todhri Toto Tulu_Tigalari Ugaritic Vai Vithkuqi
  Wancho Warang_Citi Yezidi Yi Zanabazar_Square`.split(/\s+/);

/** One pattern per script, made on first use (some 170 of them: ~10 ms). */
const scripts = lazy((): readonly Script[] =>
  SCRIPT_NAMES.map((name) => ({
    name: name.replaceAll("_", " "),
    pattern: new RegExp(`\\p{scx=${name}}`, "u"),
  }))
);

/** Characters no script owns: they end a word. */
const COMMON = /\p{scx=Common}/u;
/** Combining marks that take the script of the letter they sit on. */
const INHERITED = /\p{scx=Inherited}/u;
const ASCII_ONLY = /^\p{ASCII}*$/u;

/** A word made only of one of these mixes is fine (UTS #39, highly restrictive). */
const ALLOWED_MIXES: readonly RegExp[] = [
  /^[\p{scx=Latin}\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Inherited}]+$/u,
  /^[\p{scx=Latin}\p{scx=Han}\p{scx=Bopomofo}\p{scx=Inherited}]+$/u,
  /^[\p{scx=Latin}\p{scx=Han}\p{scx=Hangul}\p{scx=Inherited}]+$/u,
];

/**
 * Finds the first word of `name` that mixes scripts beyond what the module allows and returns a
 * character of each of the two scripts, or `null` if every word is fine.
 *
 * @example
 * ```ts
 * import { findMixedScripts } from "./mixed_script.ts";
 * findMixedScripts("Отчёт 2024.pdf"); // null
 * findMixedScripts("\u0430dmin.txt")?.second.script; // "Latin"
 * ```
 */
export function findMixedScripts(name: string): ScriptMix | null {
  if (ASCII_ONLY.test(name)) return null;
  let word = "";
  for (const ch of name + " ") {
    if (!COMMON.test(ch)) {
      word += ch;
      continue;
    }
    const mix = word === "" ? null : checkWord(word);
    if (mix !== null) return mix;
    word = "";
  }
  return null;
}

/** Checks one word (no Common characters), as {@link findMixedScripts} does a name. */
function checkWord(word: string): ScriptMix | null {
  let candidates: readonly Script[] | null = null;
  let firstCodePoint = 0;
  for (const ch of word) {
    if (INHERITED.test(ch)) continue;
    // Only the scripts still possible are tried: a whole-word pass costs one test per character.
    const left: readonly Script[] = (candidates ?? scripts()).filter((s) => s.pattern.test(ch));
    if (left.length > 0) {
      if (candidates === null) firstCodePoint = ch.codePointAt(0)!;
      candidates = left;
      continue;
    }
    const own = scripts().find((s) => s.pattern.test(ch));
    // A character of no script (private use) is for the name rules to refuse.
    if (candidates === null || own === undefined) continue;
    if (ALLOWED_MIXES.some((mix) => mix.test(word))) return null;
    return {
      first: { script: candidates[0]!.name, codePoint: firstCodePoint },
      second: { script: own.name, codePoint: ch.codePointAt(0)! },
    };
  }
  return null;
}
