/**
 * Random input lines for property tests of the input path: slash commands with odd arguments,
 * control characters, lone surrogates, emoji sequences, very long words.
 */
import { Prng } from "../../lib/netsim/prng.ts";

const COMMAND_WORDS = [
  "msg",
  "me",
  "get",
  "put",
  "pause",
  "resume",
  "cancel",
  "users",
  "who",
  "files",
  "help",
  "clear",
  "MSG",
  "msg bob",
  "get -f",
  "pause #",
];

/** Random lines of printable, Unicode, control and slash-command material. */
export function oddLines(seed: number, count: number): string[] {
  const prng = new Prng(seed);
  const atoms = [
    "/",
    "//",
    " ",
    "\t",
    "\n",
    "\r",
    "\x00",
    "\x1b",
    "\x7f",
    "\x9b",
    "\u200b",
    "\u202e",
    "\u3000",
    "\ud800",
    "\udc00",
    "😀",
    "👨‍👩‍👧",
    "🇫🇷",
    "e\u0301",
    "日本",
    "-f",
    "#",
    "9",
    "99999999999999999999",
    "msg",
    "me",
    "get",
    "put",
    "pause",
    "resume",
    "cancel",
    "users",
    "who",
    "files",
    "help",
    "quit",
    "clear",
    "MSG",
    "bob",
    "a",
    "x".repeat(5000),
  ];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const verb = COMMAND_WORDS[Math.floor(prng.next() * COMMAND_WORDS.length)];
    let line = prng.next() < 0.4 ? "" : prng.next() < 0.5 ? "/" : `/${verb} `;
    const parts = Math.floor(prng.next() * 8);
    for (let j = 0; j < parts; j++) {
      line += prng.next() < 0.8
        ? atoms[Math.floor(prng.next() * atoms.length)]
        : String.fromCharCode(Math.floor(prng.next() * 0x10000));
    }
    lines.push(line);
  }
  return lines;
}
