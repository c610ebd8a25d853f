import assert from "node:assert/strict";
import {
  colorEnabled,
  formatClock,
  paint,
  sanitize,
  stripAnsi,
  truncateToWidth,
  visibleWidth,
} from "../../lib/tui/style.ts";

function env(vars: Record<string, string>) {
  return { get: (name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined) };
}

Deno.test("colorEnabled is true for a terminal without NO_COLOR", () => {
  assert.equal(colorEnabled(env({}), true), true);
  assert.equal(colorEnabled(env({ NO_COLOR: "" }), true), true, "an empty NO_COLOR does not count");
});

Deno.test("colorEnabled is false when NO_COLOR has any value or output is not a terminal", () => {
  assert.equal(colorEnabled(env({ NO_COLOR: "1" }), true), false);
  assert.equal(colorEnabled(env({ NO_COLOR: "false" }), true), false);
  assert.equal(colorEnabled(env({}), false), false);
});

Deno.test("colorEnabled treats an unreadable variable as unset", () => {
  const denied = {
    get(): string | undefined {
      throw new Deno.errors.PermissionDenied("env access denied");
    },
  };
  assert.equal(colorEnabled(denied, true), true);
});

Deno.test("paint wraps text in the style's escape codes only when enabled", () => {
  assert.equal(paint("alice", "red", true), "\x1b[31malice\x1b[39m");
  assert.equal(paint("alice", "bold", true), "\x1b[1malice\x1b[22m");
  for (
    const style of [
      "dim",
      "bold",
      "red",
      "green",
      "yellow",
      "blue",
      "magenta",
      "cyan",
      "gray",
    ] as const
  ) {
    assert.equal(paint("alice", style, false), "alice");
    assert.equal(stripAnsi(paint("alice", style, true)), "alice");
    assert.notEqual(paint("alice", style, true), "alice");
  }
});

Deno.test("visibleWidth ignores escape sequences and counts wide and combining characters", () => {
  assert.equal(visibleWidth("\x1b[1m\x1b[36malice\x1b[39m\x1b[22m> "), 7);
  assert.equal(visibleWidth("\x1b]0;title\x07ok"), 2);
  assert.equal(visibleWidth("日本"), 4);
  assert.equal(visibleWidth("e\u0301"), 1);
  assert.equal(visibleWidth("😀"), 2);
  assert.equal(visibleWidth(""), 0);
});

Deno.test("stripAnsi removes colour codes and keeps the text", () => {
  assert.equal(stripAnsi("\x1b[31mred\x1b[39m and \x1b[1mbold\x1b[22m"), "red and bold");
});

Deno.test("truncateToWidth keeps escape codes, cuts by columns and resets a cut colour", () => {
  assert.equal(truncateToWidth("hello", 10), "hello");
  assert.equal(truncateToWidth("hello", 3), "hel");
  assert.equal(truncateToWidth("\x1b[31mhello\x1b[39m", 3), "\x1b[31mhel\x1b[0m");
  assert.equal(truncateToWidth("日本語", 3), "日");
  assert.throws(() => truncateToWidth("x", -1), RangeError);
});

Deno.test("sanitize makes control characters visible so text cannot drive the terminal", () => {
  assert.equal(sanitize("hi\x1b[2J"), "hi^[[2J");
  assert.equal(sanitize("a\rb\bc\x7fd"), "a^Mb^Hc^?d");
  assert.equal(sanitize("tab\there"), "tab here");
  assert.equal(sanitize("two\nlines"), "two\nlines");
  assert.equal(sanitize("c1\u009b"), "c1\uFFFD");
  assert.equal(sanitize("héllo 日本 😀"), "héllo 日本 😀");
});

Deno.test("sanitize shows bidi controls and zero-width characters as their code point", () => {
  assert.equal(sanitize("evil\u202etxt.exe"), "evil<U+202E>txt.exe");
  assert.equal(sanitize("pay\u200bpal"), "pay<U+200B>pal");
  assert.equal(sanitize("a\u2066b\u2069c"), "a<U+2066>b<U+2069>c");
  assert.equal(sanitize("soft\u00adhyphen\ufeff"), "soft<U+00AD>hyphen<U+FEFF>");
  assert.equal(sanitize("line\u2028sep"), "line<U+2028>sep");
  assert.equal(sanitize("lone\ud800"), "lone<U+D800>");
});

Deno.test("sanitize keeps the joiners and selectors of emoji", () => {
  const family = "\u{1f468}\u200d\u{1f469}\u200d\u{1f467}";
  const rainbow = "\u{1f3f3}\ufe0f\u200d\u{1f308}";
  for (const text of [family, rainbow, "\u2764\ufe0f", "1\ufe0f\u20e3"]) {
    assert.equal(sanitize(text), text);
  }
  assert.equal(sanitize("a\u200db"), "a<U+200D>b");
  assert.equal(sanitize("a\ufe0f"), "a<U+FE0F>");
});

Deno.test("sanitize shows what it escaped in reverse video when colour is on", () => {
  assert.equal(sanitize("a\u202eb", { color: true }), "a\x1b[7m<U+202E>\x1b[27mb");
  assert.equal(sanitize("a\x1bb", { color: true }), "a\x1b[7m^[\x1b[27mb");
  assert.equal(sanitize("plain", { color: true }), "plain");
});

Deno.test("formatClock gives the local time as HH:MM:SS", () => {
  assert.equal(formatClock(new Date(2025, 0, 2, 9, 5, 3).getTime()), "09:05:03");
  assert.equal(formatClock(new Date(2025, 5, 30, 23, 59, 59, 999).getTime()), "23:59:59");
  assert.throws(() => formatClock(Number.NaN), RangeError);
});
