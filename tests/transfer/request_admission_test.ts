import assert from "node:assert/strict";
import { GrantLedger } from "../../lib/transfer/grant_ledger.ts";
import {
  type AdmissionContext,
  admitRequest,
  DEFAULT_MAX_UPLOAD_BYTES,
} from "../../lib/transfer/request_admission.ts";

function context(overrides: Partial<AdmissionContext> = {}): AdmissionContext {
  return { ledger: new GrantLedger(), stopping: false, maxUploadBytes: 1000, ...overrides };
}

Deno.test("admitRequest admits a get and a put within the limits, counting them at once", () => {
  const ctx = context();
  assert.ok(admitRequest({ kind: "get", conn: 1, name: "a.txt" }, ctx).ok);
  assert.ok(admitRequest({ kind: "put", conn: 1, name: "b.txt", size: 1000 }, ctx).ok);
  assert.equal(ctx.ledger.heldBy(1), 2);
  assert.equal(DEFAULT_MAX_UPLOAD_BYTES, 1024 ** 3);
});

Deno.test("admitRequest refuses an upload over the size limit and reserves nothing", () => {
  const ctx = context();
  const refused = admitRequest({ kind: "put", conn: 1, name: "b.txt", size: 1001 }, ctx);
  assert.deepEqual(refused, {
    ok: false,
    refusal: {
      code: "TRANSFER_REFUSED",
      message: "Upload of 1001 bytes is over the limit of 1000",
    },
  });
  assert.equal(ctx.ledger.transfers, 0);
  assert.ok(admitRequest({ kind: "get", conn: 1, name: "huge.bin" }, ctx).ok, "gets have none");
});

Deno.test("admitRequest refuses everything once the server is stopping", () => {
  const ctx = context({ stopping: true });
  const refused = admitRequest({ kind: "get", conn: 1, name: "a.txt" }, ctx);
  assert.ok(!refused.ok && refused.refusal.code === "TRANSFER_REFUSED");
  assert.equal(ctx.ledger.transfers, 0);
});

Deno.test("admitRequest refuses a second upload of a name being uploaded, and quotas", () => {
  const ctx = context({ ledger: new GrantLedger({ perConnection: 2 }) });
  assert.ok(admitRequest({ kind: "put", conn: 1, name: "b.txt", size: 1 }, ctx).ok);
  const twin = admitRequest({ kind: "put", conn: 2, name: "b.txt", size: 1 }, ctx);
  assert.ok(!twin.ok && twin.refusal.code === "TRANSFER_REFUSED");
  assert.ok(admitRequest({ kind: "get", conn: 1, name: "a.txt" }, ctx).ok);
  const third = admitRequest({ kind: "get", conn: 1, name: "a.txt" }, ctx);
  assert.ok(!third.ok && third.refusal.code === "TOO_MANY_TRANSFERS");
});
