import assert from "node:assert/strict";
import {
  DIAL_RETRY_MS,
  type DialAction,
  DialRace,
  MAX_DIAL_ATTEMPTS,
} from "../../lib/chat/dial_race.ts";

function drain(race: DialRace): DialAction[] {
  const actions: DialAction[] = [];
  for (let action = race.pollAction(); action !== null; action = race.pollAction()) {
    actions.push(action);
  }
  return actions;
}

/** Runs every deadline up to `until`; returns the actions, each with the time it came. */
function runUntil(race: DialRace, until: number): Array<DialAction & { at: number }> {
  const out: Array<DialAction & { at: number }> = [];
  for (let at = race.pollTimeout(); at !== null && at <= until; at = race.pollTimeout()) {
    race.handleTimeout(at);
    for (const action of drain(race)) out.push({ ...action, at });
  }
  return out;
}

Deno.test("DialRace opens one attempt at once and no other before DIAL_RETRY_MS", () => {
  const race = new DialRace(0);
  assert.deepEqual(drain(race), [{ kind: "open", attempt: 1 }]);
  race.handleTimeout(DIAL_RETRY_MS - 1);
  assert.deepEqual(drain(race), []);
  assert.equal(race.pollTimeout(), DIAL_RETRY_MS);
});

Deno.test("DialRace adds an attempt while none was heard, gaps doubling, at most MAX_DIAL_ATTEMPTS", () => {
  const race = new DialRace(1000);
  drain(race);
  const opened = runUntil(race, 1000 + 60_000);
  assert.deepEqual(opened.map((a) => [a.kind, a.attempt, a.at - 1000]), [
    ["open", 2, 250],
    ["open", 3, 750],
    ["open", 4, 1750],
  ]);
  assert.equal(opened.length, MAX_DIAL_ATTEMPTS - 1);
  assert.equal(race.pollTimeout(), null);
  assert.equal(race.decided, false);
});

Deno.test("DialRace takes the first attempt heard, closes the others, and opens no more", () => {
  const race = new DialRace(0);
  drain(race);
  runUntil(race, 800); // attempts 1, 2 and 3 open
  race.heard(900, 2);
  assert.deepEqual(drain(race), [
    { kind: "close", attempt: 1 },
    { kind: "close", attempt: 3 },
    { kind: "won", attempt: 2 },
  ]);
  assert.equal(race.decided, true);
  assert.equal(race.pollTimeout(), null);
  assert.deepEqual(runUntil(race, 60_000), []);
});

Deno.test("DialRace ignores what a closed attempt reports after the race was won", () => {
  const race = new DialRace(0);
  drain(race);
  runUntil(race, 300);
  race.heard(310, 1);
  drain(race);
  race.heard(320, 2);
  race.failed(330, 2);
  race.failed(340, 1);
  assert.deepEqual(drain(race), []);
});

Deno.test("DialRace fails the dial at the first failure, at once, with no retry (refused is final)", () => {
  const race = new DialRace(0);
  drain(race);
  race.failed(3, 1);
  assert.deepEqual(drain(race), [{ kind: "failed", attempt: 1 }]);
  assert.equal(race.pollTimeout(), null);
  assert.deepEqual(runUntil(race, 60_000), []);
});

Deno.test("DialRace closes the attempts still open when one fails", () => {
  const race = new DialRace(0);
  drain(race);
  runUntil(race, 300); // attempts 1 and 2
  race.failed(400, 2);
  assert.deepEqual(drain(race), [
    { kind: "close", attempt: 1 },
    { kind: "failed", attempt: 2 },
  ]);
});

Deno.test("DialRace abandoned closes every attempt and starts none", () => {
  const race = new DialRace(0);
  drain(race);
  runUntil(race, 800);
  race.abandon(5000);
  assert.deepEqual(drain(race), [1, 2, 3].map((attempt) => ({ kind: "close", attempt })));
  assert.equal(race.pollTimeout(), null);
  race.heard(5001, 1);
  assert.deepEqual(drain(race), []);
});

Deno.test("DialRace ignores reports of attempts it never opened", () => {
  const race = new DialRace(0);
  drain(race);
  race.heard(1, 2);
  race.failed(1, 7);
  assert.deepEqual(drain(race), []);
  assert.equal(race.decided, false);
});

Deno.test("DialRace starts no more attempts once one has connected; those open still race", () => {
  const race = new DialRace(0);
  drain(race);
  race.handleTimeout(DIAL_RETRY_MS); // attempt 2
  drain(race);
  race.connected(DIAL_RETRY_MS + 10, 2);
  assert.equal(race.pollTimeout(), null, "no third attempt is due");
  assert.deepEqual(runUntil(race, 60_000), []);
  // Attempt 1, whose SYN was lost, may still be the one to hear the hub first.
  race.heard(1_100, 1);
  assert.deepEqual(drain(race), [{ kind: "close", attempt: 2 }, { kind: "won", attempt: 1 }]);
});

Deno.test("DialRace ignores a connect reported by an attempt it closed", () => {
  const race = new DialRace(0);
  drain(race);
  race.handleTimeout(DIAL_RETRY_MS);
  race.heard(DIAL_RETRY_MS + 1, 2);
  drain(race);
  race.connected(DIAL_RETRY_MS + 2, 1);
  assert.equal(race.pollTimeout(), null);
  assert.deepEqual(drain(race), []);
});
