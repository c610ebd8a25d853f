import assert from "node:assert/strict";
import type { ServerMessage } from "../../lib/chat/events.ts";
import {
  formatDuration,
  formatEvent,
  formatFiles,
  formatJson,
  formatOwn,
  formatRooms,
  formatTopic,
  formatUsers,
  formatWhois,
} from "../../lib/cli/format.ts";
import { stripAnsi, visibleWidth } from "../../lib/tui/style.ts";

Deno.test("formatEvent neutralises terminal escape codes in what others send", () => {
  const line = formatEvent(
    { type: "message", from: "eve", text: "hi\x1b[2J\x1b]0;pwned\x07", ts: 0 },
    { color: false },
  )!;
  assert.ok(!line.includes("\x1b"), JSON.stringify(line));
  assert.ok(line.includes("<eve> hi^[[2J"));
});

Deno.test("formatEvent keeps a message on one line when asked, showing newlines as \\n", () => {
  const line = formatEvent(
    { type: "message", from: "bob", to: "me", text: "two\nlines", ts: 0 },
    { color: false, oneLine: true },
  )!;
  assert.ok(line.endsWith("*bob* two\\nlines"), line);
});

Deno.test("formatEvent shows joins, leaves with reasons, and errors with codes", () => {
  assert.match(formatEvent({ type: "join", name: "ann", ts: 0 }, { color: false })!, /ann joined$/);
  assert.match(
    formatEvent({ type: "leave", name: "ann", reason: "timeout", ts: 0 }, { color: false })!,
    /ann left \(timeout\)$/,
  );
  assert.equal(
    formatEvent({ type: "error", code: "NO_SUCH_USER", message: "No user named 'x'" }, {
      color: false,
    }),
    "! No user named 'x' (NO_SUCH_USER)",
  );
  assert.equal(formatEvent({ type: "pong" }, { color: false }), null);
});

Deno.test("formatFiles aligns names and shows sizes", () => {
  assert.deepEqual(
    formatFiles([{ name: "a", size: 1 }, { name: "long.txt", size: 2048 }], { color: false }),
    [
      "a         1 B",
      "long.txt  2.0 KiB",
    ],
  );
  assert.deepEqual(formatFiles([], { color: false }), ["No files shared"]);
});

Deno.test("formatEvent shows a bidi override in a message as <U+202E>, so it cannot reorder", () => {
  const text = "see evil\u202etxt.exe and pay\u200bpal";
  for (const oneLine of [false, true]) {
    const line = formatEvent({ type: "message", from: "eve", text, ts: 0 }, {
      color: false,
      oneLine,
    })!;
    assert.ok(!/[\u202e\u200b]/.test(line), JSON.stringify(line));
    assert.ok(line.endsWith("<eve> see evil<U+202E>txt.exe and pay<U+200B>pal"), line);
  }
});

Deno.test("formatEvent escapes hidden characters in every field others control", () => {
  const bad = "x\u202ey\u2066z\u200d";
  const events: ServerMessage[] = [
    { type: "message", from: bad, text: bad, ts: 0 },
    { type: "message", from: bad, to: "me", text: bad, ts: 0 },
    { type: "join", name: bad, ts: 0 },
    { type: "leave", name: bad, reason: bad, ts: 0 },
    { type: "file_added", from: bad, name: bad, size: 1, ts: 0 },
    { type: "shutdown", reason: bad },
    { type: "error", code: bad, message: bad },
  ] as ServerMessage[];
  for (const event of events) {
    for (const color of [false, true]) {
      const line = formatEvent(event, { color })!;
      assert.ok(!/[\u202e\u2066\u200d]/.test(line), `${event.type}: ${JSON.stringify(line)}`);
      assert.ok(line.includes("<U+202E>"), `${event.type}: ${line}`);
    }
  }
});

Deno.test("formatEvent and the lists keep names on one line, so no name forges a line", () => {
  const forged = "eve\n[12:00:00] <admin> trust me";
  for (const oneLine of [false, true]) {
    const options = { color: false, oneLine };
    for (
      const event of [
        { type: "join", name: forged, ts: 0 },
        { type: "message", from: forged, text: "hi", ts: 0 },
        { type: "leave", name: "eve", reason: forged, ts: 0 },
        { type: "file_added", from: "eve", name: forged, size: 1, ts: 0 },
      ] as ServerMessage[]
    ) {
      const line = formatEvent(event, options)!;
      assert.ok(!line.includes("\n") && line.includes("eve\\n[12:00:00]"), line);
    }
  }
  assert.equal(formatUsers([{ name: forged, since: 0 }], { color: false }).length, 1);
  assert.ok(!formatUsers([{ name: forged, since: 0 }], { color: false })[0]!.includes("\n"));
  assert.ok(!formatFiles([{ name: forged, size: 1 }], { color: false })[0]!.includes("\n"));
  const own = formatOwn({ to: forged, text: "two\nlines", ts: 0 }, "me", { color: false });
  assert.ok(own.endsWith("→ *eve\\n[12:00:00] <admin> trust me* two\nlines"), own);
});

Deno.test("formatEvent marks escapes in reverse video when colour is on", () => {
  const line = formatEvent({ type: "message", from: "eve", text: "a\u202eb", ts: 0 }, {
    color: true,
  })!;
  assert.ok(line.includes("a\x1b[7m<U+202E>\x1b[27mb"), JSON.stringify(line));
  const join = formatEvent({ type: "join", name: "a\u202eb", ts: 0 }, { color: true })!;
  assert.ok(join.includes("a\x1b[7m<U+202E>\x1b[27mb"), JSON.stringify(join));
});

Deno.test("formatOwn, formatUsers and formatFiles escape hidden characters too", () => {
  const own = formatOwn({ to: "b\u202eob", text: "hi\u200b", ts: 0 }, "me", { color: false });
  assert.ok(own.endsWith("→ *b<U+202E>ob* hi<U+200B>"), own);
  const users = formatUsers([{ name: "a\u2067b", since: 0 }], { color: false });
  assert.ok(users[0]!.startsWith("a<U+2067>b  "), users[0]);
  const files = formatFiles([{ name: "evil\u202etxt.exe", size: 1 }], { color: false });
  assert.deepEqual(files, ["evil<U+202E>txt.exe  1 B"]);
});

Deno.test("formatFiles aligns sizes by terminal columns, wide characters and escapes included", () => {
  const files = [
    { name: "日本.txt", size: 1 }, // 8 columns in 6 code units
    { name: "abcdefgh", size: 2 },
    { name: "a\u202eb", size: 3 }, // "a<U+202E>b": 10 columns
  ];
  for (const color of [false, true]) {
    const lines = formatFiles(files, { color }).map(stripAnsi);
    const sizeColumn = lines.map((line) => visibleWidth(line.slice(0, line.lastIndexOf("  ") + 2)));
    assert.deepEqual(sizeColumn, [12, 12, 12], lines.join("\n"));
  }
});

Deno.test("formatJson writes hidden characters as \\u escapes that parse back the same", () => {
  const message = { type: "message", from: "eve", text: "evil\u202etxt\u200b\u2028.exe", ts: 0 };
  const line = formatJson(message);
  assert.ok(!/[\u202e\u200b\u2028]/.test(line), line);
  assert.ok(line.includes("evil\\u202etxt\\u200b\\u2028.exe"), line);
  assert.deepEqual(JSON.parse(line), message);
  const tag = { text: "a\u{e0041}b" };
  assert.deepEqual(JSON.parse(formatJson(tag)), tag);
  assert.equal(
    formatJson({ text: "plain \u{1f468}\u200d\u{1f469}" }),
    JSON.stringify({
      text: "plain \u{1f468}\u200d\u{1f469}",
    }),
  );
});

Deno.test("formatEvent shows an action as * name text, to everyone or privately", () => {
  const said = formatEvent({ type: "message", from: "bob", text: "waves", action: true, ts: 0 }, {
    color: false,
  });
  assert.match(said!, /^\[\d\d:\d\d:\d\d\] \* bob waves$/);
  const privately = formatEvent(
    { type: "message", from: "bob", to: "me", text: "nods", action: true, ts: 0 },
    { color: false },
  );
  assert.match(privately!, /\] \* \*bob\* nods$/);
  const own = formatOwn({ text: "waves", ts: 0, action: true }, "alice", { color: false });
  assert.match(own, /\] \* alice waves$/);
});

Deno.test("formatEvent marks joins, leaves and sent private messages differently", () => {
  const join = formatEvent({ type: "join", name: "ann", ts: 0 }, { color: false })!;
  const leave = formatEvent({ type: "leave", name: "ann", reason: "quit", ts: 0 }, {
    color: false,
  })!;
  const sent = formatOwn({ to: "ann", text: "hi", ts: 0 }, "me", { color: false });
  assert.match(join, /\] --> ann joined$/);
  assert.match(leave, /\] <-- ann left \(quit\)$/);
  assert.match(sent, /\] → \*ann\* hi$/);
  assert.ok(!join.includes("→"), "the arrow is only for what the user sent privately");
});

Deno.test("formatEvent highlights a line that concerns the user when colour is on", () => {
  const message = { type: "message", from: "bob", text: "hi alice", ts: 0 } as const;
  const plain = formatEvent(message, { color: true })!;
  const marked = formatEvent(message, { color: true, highlight: true })!;
  assert.notEqual(marked, plain);
  assert.ok(marked.includes("\x1b[33m<bob>"), JSON.stringify(marked));
  assert.ok(marked.includes("\x1b[1mhi alice"), JSON.stringify(marked));
  assert.equal(stripAnsi(marked), stripAnsi(plain));
});

Deno.test("formatFiles aligns CJK and emoji names by the columns they take", () => {
  const files = [
    { name: "日本語のファイル.txt", size: 1 },
    { name: "👨‍👩‍👧.png", size: 2 },
    { name: "plain.txt", size: 3 },
  ];
  const lines = formatFiles(files, { color: false });
  const sizeColumn = lines.map((line) => visibleWidth(line.slice(0, line.lastIndexOf("  ") + 2)));
  assert.deepEqual(sizeColumn, [22, 22, 22], lines.join("\n"));
});

Deno.test("formatEvent puts the room after the time when asked, for every room event", () => {
  const opts = { color: false, showRoom: true };
  const ts = new Date(2025, 0, 1, 12, 0, 0).getTime();
  assert.equal(
    formatEvent({ type: "message", from: "ann", text: "hi", room: "#dev", ts }, opts),
    "[12:00:00] #dev <ann> hi",
  );
  assert.equal(
    formatEvent({ type: "join", name: "ann", room: "#dev", ts }, opts),
    "[12:00:00] #dev --> ann joined",
  );
  assert.equal(
    formatEvent({ type: "leave", name: "ann", room: "#dev", reason: "part", ts }, opts),
    "[12:00:00] #dev <-- ann left (part)",
  );
  assert.equal(
    formatEvent({ type: "topic", room: "#dev", topic: "", by: "ann", ts }, opts),
    "[12:00:00] #dev ann cleared the topic",
  );
  assert.equal(
    formatEvent({ type: "message", from: "ann", text: "hi", room: "#dev", ts }, { color: false }),
    "[12:00:00] <ann> hi",
    "not asked: no room",
  );
});

Deno.test("formatTopic and formatRooms show topics on one line, control characters escaped", () => {
  const topic = { type: "topic" as const, room: "#dev", topic: "a\u202eb" };
  assert.equal(formatTopic({ ...topic, topic: "" }, { color: false }), "#dev has no topic");
  assert.doesNotMatch(formatTopic(topic, { color: false }), /\u202e/);
  const rooms = formatRooms([{ name: "#a", members: 1, topic: "x\u202ey" }], { color: false });
  assert.doesNotMatch(rooms[0]!, /\u202e/);
  assert.deepEqual(formatRooms([], { color: false }), ["No rooms"]);
});

Deno.test("formatEvent shows renames, away and back, and a leave's goodbye", () => {
  const at = new Date(2026, 0, 1, 9, 5, 7).getTime();
  const options = { color: false };
  assert.equal(
    formatEvent({ type: "nick", old: "ann", name: "anna", ts: at }, options),
    "[09:05:07] ann is now known as anna",
  );
  assert.equal(
    formatEvent({ type: "away", name: "ann", text: "lunch\u001b[2J", ts: at }, options),
    "[09:05:07] ann is away: lunch^[[2J",
  );
  assert.equal(
    formatEvent({ type: "away", name: "ann", ts: at }, options),
    "[09:05:07] ann is back",
  );
  const leave = { type: "leave", name: "ann", reason: "quit", text: "see you", ts: at } as const;
  assert.equal(formatEvent(leave, options), "[09:05:07] <-- ann left (quit: see you)");
});

Deno.test("formatWhois lists since, idle time, rooms and away text", () => {
  const since = new Date(2026, 11, 2, 23, 5, 7).getTime();
  const whois: ServerMessage & { type: "whois" } = {
    type: "whois",
    name: "ann",
    since,
    idleMs: 3_725_000,
    rooms: ["#lobby", "#dev"],
    away: "lunch",
  };
  assert.deepEqual(formatWhois(whois, { color: false }), [
    "ann",
    "  since  2026-12-02 23:05:07",
    "  idle   1h 2m",
    "  rooms  #lobby #dev",
    "  away   lunch",
  ]);
  assert.equal(formatDuration(65_000), "1m 5s");
  assert.equal(formatDuration(999), "0s");
  assert.equal(formatDuration(90_000_000), "1d 1h");
});
