import assert from "node:assert/strict";
import {
  GrantLedger,
  HASHES_PER_CONNECTION,
  MAX_OPEN_FILES,
  MAX_TRANSFERS,
  MAX_TRANSFERS_PER_CONNECTION,
  type Reservation,
  type Ticket,
} from "../../lib/transfer/grant_ledger.ts";

function ticketOf(reservation: Reservation): Ticket {
  assert.ok(reservation.ok, `refused: ${JSON.stringify(reservation)}`);
  return reservation.ticket;
}

function codeOf(reservation: Reservation): string {
  assert.ok(!reservation.ok, "granted");
  return reservation.refusal.code;
}

Deno.test("GrantLedger limits hold file descriptors well under a 1,024 ulimit", () => {
  assert.equal(MAX_TRANSFERS_PER_CONNECTION, 8);
  assert.equal(MAX_TRANSFERS, 256);
  assert.equal(HASHES_PER_CONNECTION, 1);
  assert.ok(MAX_OPEN_FILES >= MAX_TRANSFERS, "every transfer can hold its file");
  assert.ok(MAX_OPEN_FILES <= 512, "room is left for sockets");
});

Deno.test("GrantLedger counts a reservation at once: 40 in a row give 8 and refuse 32", () => {
  const ledger = new GrantLedger();
  const results = Array.from({ length: 40 }, () => ledger.reserve(1));
  assert.equal(results.filter((r) => r.ok).length, 8);
  assert.deepEqual(
    [...new Set(results.filter((r) => !r.ok).map(codeOf))],
    ["TOO_MANY_TRANSFERS"],
  );
  assert.equal(ledger.heldBy(1), 8);
  assert.equal(ledger.transfers, 8);
  assert.equal(ledger.openFiles, 8);
});

Deno.test("GrantLedger gives a released slot to the next request of that connection", () => {
  const ledger = new GrantLedger({ perConnection: 2 });
  const first = ticketOf(ledger.reserve(1));
  ticketOf(ledger.reserve(1));
  assert.equal(codeOf(ledger.reserve(1)), "TOO_MANY_TRANSFERS");
  ledger.release(first);
  ledger.release(first); // twice changes nothing
  ticketOf(ledger.reserve(1));
  assert.equal(codeOf(ledger.reserve(1)), "TOO_MANY_TRANSFERS");
  assert.equal(ledger.heldBy(1), 2);
});

Deno.test("GrantLedger refuses SERVER_BUSY past the server-wide transfer cap", () => {
  const ledger = new GrantLedger({ perConnection: 8, transfers: 20 });
  const codes: string[] = [];
  for (let conn = 1; conn <= 3; conn++) {
    for (let i = 0; i < 8; i++) {
      const result = ledger.reserve(conn);
      if (!result.ok) codes.push(codeOf(result));
    }
  }
  assert.equal(ledger.transfers, 20);
  assert.deepEqual(codes, ["SERVER_BUSY", "SERVER_BUSY", "SERVER_BUSY", "SERVER_BUSY"]);
});

Deno.test("GrantLedger keeps a file slot after its grant until the file is released", () => {
  const ledger = new GrantLedger({ transfers: 10, openFiles: 2 });
  const a = ticketOf(ledger.reserve(1));
  const b = ticketOf(ledger.reserve(2));
  // Their opens were given up on: the grants go, the files are still being opened.
  ledger.release(a);
  ledger.release(b);
  assert.equal(ledger.transfers, 0);
  assert.equal(ledger.openFiles, 2);
  const refused = ledger.reserve(3);
  assert.equal(codeOf(refused), "SERVER_BUSY");
  assert.ok(!refused.ok && /open files/.test(refused.refusal.message));
  ledger.releaseFile(a);
  ledger.releaseFile(a);
  assert.equal(ledger.openFiles, 1);
  ticketOf(ledger.reserve(3));
});

Deno.test("GrantLedger claims an upload name until the grant is released", () => {
  const ledger = new GrantLedger();
  const upload = ticketOf(ledger.reserve(1, "a.txt"));
  assert.equal(codeOf(ledger.reserve(2, "a.txt")), "TRANSFER_REFUSED");
  ticketOf(ledger.reserve(2, "b.txt"));
  ticketOf(ledger.reserve(2)); // downloads claim nothing
  ledger.release(upload);
  ticketOf(ledger.reserve(2, "a.txt"));
});

Deno.test("GrantLedger refuses a claimed name before counting the connection's quota", () => {
  const ledger = new GrantLedger({ perConnection: 1 });
  ticketOf(ledger.reserve(1, "a.txt"));
  assert.equal(codeOf(ledger.reserve(1, "a.txt")), "TRANSFER_REFUSED");
  assert.equal(codeOf(ledger.reserve(1, "b.txt")), "TOO_MANY_TRANSFERS");
});

Deno.test("GrantLedger marks a gone connection's tickets cancelled, not others'", () => {
  const ledger = new GrantLedger();
  const mine = ticketOf(ledger.reserve(1));
  const theirs = ticketOf(ledger.reserve(2));
  ledger.cancelConnection(1);
  assert.equal(ledger.isCancelled(mine), true);
  assert.equal(ledger.isCancelled(theirs), false);
  ledger.release(theirs);
  assert.equal(ledger.isCancelled(theirs), true, "a released ticket is not wanted either");
});

Deno.test("GrantLedger gives one connection one hashing turn at a time, in order", () => {
  const ledger = new GrantLedger();
  const [a, b, c] = [1, 2, 3].map(() => ticketOf(ledger.reserve(1)));
  const other = ticketOf(ledger.reserve(2));
  assert.equal(ledger.requestHashTurn(a!), true);
  assert.equal(ledger.requestHashTurn(b!), false);
  assert.equal(ledger.requestHashTurn(c!), false);
  assert.equal(ledger.requestHashTurn(other), true, "another connection hashes meanwhile");
  assert.deepEqual(ledger.endHashTurn(a!), [b]);
  assert.deepEqual(ledger.endHashTurn(b!), [c]);
  assert.deepEqual(ledger.endHashTurn(c!), []);
  assert.equal(ledger.requestHashTurn(a!), true, "the turns were all given back");
});

Deno.test("GrantLedger drops a waiting ticket that ends its turn before getting it", () => {
  const ledger = new GrantLedger();
  const [a, b, c] = [1, 2, 3].map(() => ticketOf(ledger.reserve(1)));
  ledger.requestHashTurn(a!);
  ledger.requestHashTurn(b!);
  ledger.requestHashTurn(c!);
  assert.deepEqual(ledger.endHashTurn(b!), []);
  assert.deepEqual(ledger.endHashTurn(a!), [c]);
});

Deno.test("GrantLedger refuses limits that are not positive integers", () => {
  assert.throws(() => new GrantLedger({ perConnection: 0 }), RangeError);
  assert.throws(() => new GrantLedger({ openFiles: 1.5 }), RangeError);
});
