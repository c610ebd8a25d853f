import assert from "node:assert/strict";
import { parseServerMessage } from "../../lib/chat/events.ts";
import { MAX_AWAY_CHARS, MAX_QUIT_CHARS, MAX_ROOMS_PER_USER } from "../../lib/chat/limits.ts";

function parse(value: object): ReturnType<typeof parseServerMessage> {
  return parseServerMessage(JSON.stringify(value));
}

function problem(value: object): string {
  const parsed = parse(value);
  assert.ok(!parsed.ok, `should be refused: ${JSON.stringify(value)}`);
  return parsed.problem;
}

const WHOIS = {
  type: "whois",
  re: 3,
  name: "ann",
  since: 1764090000000,
  idleMs: 4000,
  rooms: ["#lobby", "#dev"],
  away: "lunch",
};

Deno.test("parseServerMessage reads nick, away and whois lines", () => {
  const nick = { type: "nick", old: "ann", name: "anna", ts: 5 };
  assert.deepEqual(parse(nick), { ok: true, message: nick });
  const away = { type: "away", name: "ann", text: "lunch", ts: 5 };
  assert.deepEqual(parse(away), { ok: true, message: away });
  const back = { type: "away", name: "ann", ts: 6 };
  assert.deepEqual(parse(back), { ok: true, message: back });
  assert.deepEqual(parse(WHOIS), { ok: true, message: WHOIS });
});

Deno.test("parseServerMessage reads a leave's goodbye and an ok's away text and new name", () => {
  const leave = { type: "leave", name: "ann", room: "#dev", reason: "quit", text: "bye", ts: 1 };
  assert.deepEqual(parse(leave), { ok: true, message: leave });
  const ok = { type: "ok", re: 1, to: "ann", away: "lunch", ts: 2 };
  assert.deepEqual(parse(ok), { ok: true, message: ok });
  const renamed = { type: "ok", re: 1, name: "anna", ts: 2 };
  assert.deepEqual(parse(renamed), { ok: true, message: renamed });
});

Deno.test("parseServerMessage holds nick names to the name rules", () => {
  assert.match(problem({ type: "nick", old: "ann", name: "a b", ts: 1 }), /^nick: field 'name'/);
  assert.match(problem({ type: "nick", old: "x".repeat(33), name: "b", ts: 1 }), /'old'/);
  assert.match(problem({ type: "nick", old: "ann", name: "anna" }), /'ts'/);
  assert.match(problem({ type: "ok", re: 1, name: "Admin", ts: 1 }), /'name'/);
});

Deno.test("parseServerMessage holds away text to the away rules, wherever it comes", () => {
  const long = "x".repeat(MAX_AWAY_CHARS + 1);
  assert.match(problem({ type: "away", name: "ann", text: long, ts: 1 }), /'text'/);
  assert.match(problem({ type: "away", name: "ann", text: "a\u001b[2Jb", ts: 1 }), /'text'/);
  assert.match(problem({ type: "away", name: "ann", text: "", ts: 1 }), /'text'/);
  assert.match(problem({ ...WHOIS, away: "two\nlines" }), /'away'/);
  assert.match(problem({ type: "ok", re: 1, to: "ann", away: long, ts: 1 }), /'away'/);
});

Deno.test("parseServerMessage holds a leave's goodbye to the quit rules", () => {
  const leave = { type: "leave", name: "ann", reason: "quit", ts: 1 };
  assert.match(problem({ ...leave, text: "y".repeat(MAX_QUIT_CHARS + 1) }), /'text'/);
  assert.match(problem({ ...leave, text: "a\rb" }), /'text'/);
  assert.match(problem({ ...leave, text: 7 }), /'text'/);
});

Deno.test("parseServerMessage refuses a whois with bad times, rooms or too many of them", () => {
  assert.match(problem({ ...WHOIS, since: "yesterday" }), /'since'/);
  assert.match(problem({ ...WHOIS, idleMs: -1 }), /'idleMs'/);
  assert.match(problem({ ...WHOIS, idleMs: 1.5 }), /'idleMs'/);
  assert.match(problem({ ...WHOIS, rooms: ["dev"] }), /rooms\[0\]/);
  const many = Array.from({ length: MAX_ROOMS_PER_USER + 1 }, (_, i) => `#r${i}`);
  assert.match(problem({ ...WHOIS, rooms: many }), new RegExp(`rooms\\[${MAX_ROOMS_PER_USER}\\]`));
  assert.ok(parse({ ...WHOIS, rooms: many.slice(1) }).ok, "as many as a user may be in");
  assert.match(problem({ ...WHOIS, name: "a\u202eb" }), /'name'/);
});
