import assert from "node:assert/strict";
import { MIN_OUT_OF_ORDER_PIECES, RecvStream } from "../../../lib/rudp/streams/recv_stream.ts";
import {
  MAX_ACKED_RANGES,
  SendStream,
  SourceError,
} from "../../../lib/rudp/streams/send_stream.ts";

const zeros = { read: (_offset: number, length: number) => new Uint8Array(length) };

Deno.test("SendStream respects flow control and resends lost ranges first, minus acked bytes", () => {
  const s = new SendStream(zeros, 100, 1100);
  assert.equal(s.nextChunk(500), null, "sent before any MAX_DATA");
  assert.ok(s.blocked);
  s.maxData = 700;
  assert.equal(s.nextChunk(500)!.offset, 100);
  assert.equal(s.nextChunk(500)!.bytes.length, 100); // up to the limit
  assert.equal(s.nextChunk(500), null);
  s.onAcked(300, 100);
  s.onLost(100, 500);
  const first = s.nextChunk(1000)!;
  assert.deepEqual([first.offset, first.bytes.length, first.retransmit], [100, 200, true]);
  assert.equal(s.nextChunk(1000)!.offset, 400);
  assert.equal(s.retransmittedBytes, 400);
  s.onAcked(100, 600);
  assert.equal(s.ackedOffset, 700);
  assert.ok(!s.allAcked);
});

Deno.test("SendStream turns a failing or short source into SourceError", () => {
  const s = new SendStream({ read: () => new Uint8Array(1) }, 0, 10);
  s.maxData = 10;
  assert.throws(() => s.nextChunk(5), SourceError);
  const t = new SendStream(
    {
      read: () => {
        throw new Error("disk gone");
      },
    },
    0,
    10,
  );
  t.maxData = 10;
  assert.throws(() => t.nextChunk(5), SourceError);
});

Deno.test("RecvStream reassembles out-of-order and overlapping chunks into one in-order copy", () => {
  const r = new RecvStream(10, 20, { windowBytes: 100 });
  assert.deepEqual(r.onData(15, new Uint8Array([5, 6, 7])), []);
  assert.deepEqual(r.onData(13, new Uint8Array([3, 4, 5, 6])), []);
  const out = r.onData(10, new Uint8Array([0, 1, 2]));
  assert.ok(Array.isArray(out));
  const joined = out.flatMap((c) => [...c.bytes]);
  assert.deepEqual(joined, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(r.deliveredOffset, 18);
  assert.equal(r.duplicateBytes, 2);
  assert.deepEqual(r.onData(10, new Uint8Array(2)), []);
  r.onData(18, new Uint8Array(2));
  assert.ok(r.complete);
});

Deno.test("RecvStream copies input bytes so a reused receive buffer cannot change them", () => {
  const r = new RecvStream(0, 4);
  const buf = new Uint8Array([1, 2, 3, 4]);
  const out = r.onData(0, buf) as { bytes: Uint8Array }[];
  buf.fill(0);
  assert.deepEqual([...out[0]!.bytes], [1, 2, 3, 4]);
});

Deno.test("RecvStream rejects bytes past the window or the end and moves the window on consumption", () => {
  const r = new RecvStream(0, 1000, { windowBytes: 100 });
  assert.equal(r.maxData, 100);
  assert.equal(r.onData(50, new Uint8Array(51)), "FLOW_CONTROL_ERROR");
  assert.equal(r.onData(990, new Uint8Array(20)), "FINAL_SIZE_ERROR");
  r.onData(0, new Uint8Array(100));
  assert.equal(r.windowUpdateDue, false);
  r.onConsumed(60);
  assert.equal(r.maxData, 160);
  assert.equal(r.windowUpdateDue, true);
});

Deno.test("RecvStream refuses one out-of-order piece past its bound with PROTOCOL_VIOLATION", () => {
  const window = 1 << 20;
  const stream = new RecvStream(0, 10 * window, { windowBytes: window });
  assert.equal(stream.maxPieces, 2048); // one per 512 bytes of window
  // One byte at every other offset, highest first: every frame is a piece of its own.
  let offset = window - 1;
  for (let i = 0; i < stream.maxPieces; i++, offset -= 2) {
    assert.deepEqual(stream.onData(offset, new Uint8Array(1)), [], `piece ${i}`);
  }
  assert.equal(stream.pieces, stream.maxPieces);
  assert.equal(stream.onData(offset, new Uint8Array(1)), "PROTOCOL_VIOLATION");
});

Deno.test("RecvStream counts pieces, not ranges: touching one-byte frames behind a gap", () => {
  const stream = new RecvStream(0, 1 << 20, { windowBytes: 1 << 16 }); // 128 pieces
  for (let i = 1; i <= stream.maxPieces; i++) {
    assert.deepEqual(stream.onData(i, new Uint8Array(1)), []);
  }
  assert.equal(stream.onData(stream.maxPieces + 1, new Uint8Array(1)), "PROTOCOL_VIOLATION");
});

Deno.test("RecvStream keeps at least MIN_OUT_OF_ORDER_PIECES for a tiny window, and frees pieces once delivered", () => {
  const stream = new RecvStream(0, 1000, { windowBytes: 200 });
  assert.equal(stream.maxPieces, MIN_OUT_OF_ORDER_PIECES);
  for (let i = 1; i < 100; i += 2) stream.onData(i, new Uint8Array(1));
  assert.equal(stream.pieces, 50);
  for (let i = 0; i < 100; i += 2) stream.onData(i, new Uint8Array(1));
  assert.equal(stream.pieces, 0);
  assert.equal(stream.deliveredOffset, 100);
});

Deno.test("SendStream holds new bytes back at MAX_ACKED_RANGES and resumes once holes fill", () => {
  const s = new SendStream(zeros, 0, 1e9);
  s.maxData = 1e9;
  let sent = 0;
  for (let chunk = s.nextChunk(10); chunk !== null; chunk = s.nextChunk(10)) {
    if (sent++ % 2 === 1) s.onAcked(chunk.offset, 10); // the peer acknowledges every other packet
    assert.ok(sent <= 2 * MAX_ACKED_RANGES + 2, "no bound on acknowledged ranges");
  }
  assert.equal(s.hasPending, false);
  assert.ok(sent >= 2 * MAX_ACKED_RANGES - 1, `stopped early at ${sent}`);
  s.onLost(20, 10); // a hole between two acknowledged ranges: resent even at the bound
  const resent = s.nextChunk(10)!;
  assert.deepEqual([resent.offset, resent.retransmit], [20, true]);
  s.onAcked(20, 10); // joins its neighbours: one range below the bound again
  assert.equal(s.hasPending, true);
  assert.equal(s.nextChunk(10)!.retransmit, false);
});
