import assert from "node:assert/strict";
import { Registration } from "../../lib/irc/registration.ts";
import { REGISTRATION_TIMEOUT_MS } from "../../lib/irc/limits.ts";

Deno.test("Registration logs in once both NICK and USER came, in either order", () => {
  const a = new Registration(0);
  assert.equal(a.nick("ann"), null);
  assert.equal(a.user(), "ann");
  assert.equal(a.phase, "logging_in");
  const b = new Registration(0);
  assert.equal(b.user(), null);
  assert.equal(b.nick("bob"), "bob");
});

Deno.test("Registration waits for CAP END before logging in", () => {
  const registration = new Registration(0);
  registration.capHold(true);
  registration.nick("ann");
  assert.equal(registration.user(), null);
  assert.equal(registration.capHold(false), "ann");
});

Deno.test("Registration asks for no second login while one is outstanding", () => {
  const registration = new Registration(0);
  registration.nick("ann");
  registration.user();
  assert.equal(registration.nick("bob"), null);
});

Deno.test("Registration tries again with the next NICK after a refusal", () => {
  const registration = new Registration(0);
  registration.nick("ann");
  registration.user();
  registration.refused();
  assert.equal(registration.currentNick, null);
  assert.equal(registration.nick("ann_"), "ann_");
});

Deno.test("Registration has a deadline from `now` until welcomed", () => {
  const registration = new Registration(1000);
  assert.equal(registration.deadline, 1000 + REGISTRATION_TIMEOUT_MS);
  registration.nick("ann");
  registration.user();
  registration.welcomed("Ann");
  assert.equal(registration.deadline, null);
  assert.equal(registration.currentNick, "Ann");
});
