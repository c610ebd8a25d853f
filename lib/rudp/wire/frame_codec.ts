/**
 * Byte layout of single frames: sizes, writers and a reader that never throws.
 *
 * All integers are varints (see varint.ts) unless fixed-size byte strings are named.
 *
 * @module
 */
import {
  type AckFrame,
  CONNECTION_ID_BYTES,
  type Direction,
  type Frame,
  FRAME_TYPE,
  MAX_CLOSE_REASON_BYTES,
  NONCE_BYTES,
  type PacketRange,
  TOKEN_BYTES,
} from "./frame.ts";
import { readVarint, varintSize, writeVarint } from "./varint.ts";

/** Most ack ranges a decoder accepts in one frame, bounding the work a packet can cause. */
export const MAX_DECODED_ACK_RANGES = 256;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * Encoded size of `frame` in bytes; `final`: written as the packet's last frame, with nothing
 * after it (see {@linkcode writeFrame}).
 */
export function frameSize(frame: Frame, final = false): number {
  switch (frame.type) {
    case "ping":
      return 1;
    case "ack":
      return ackFrameSize(frame);
    case "data": {
      const length = final ? 0 : varintSize(frame.bytes.length);
      return 1 + varintSize(frame.offset) + length + frame.bytes.length;
    }
    case "max_data":
      return 1 + varintSize(frame.maximum);
    case "hello":
      return 1 + varintSize(frame.transferId) + TOKEN_BYTES + 1 + frame.sourceCid.length + 1 +
        varintSize(frame.size) + varintSize(frame.startOffset) +
        varintSize(frame.maxDatagramBytes) + varintSize(frame.receiveBufferBytes);
    case "challenge":
      return 1 + CONNECTION_ID_BYTES + NONCE_BYTES + varintSize(frame.maxDatagramBytes) +
        varintSize(frame.receiveBufferBytes);
    case "confirm":
      return 1 + NONCE_BYTES;
    case "close": {
      const reason = reasonBytes(frame.reason);
      return 1 + varintSize(frame.code) + varintSize(reason.length) + reason.length;
    }
  }
}

/** Size of the header of a data frame at `offset` written as the packet's last frame. */
export function finalDataFrameOverhead(offset: number): number {
  return 1 + varintSize(offset);
}

/**
 * Writes `frame` at `pos`; returns the position after it. Throws RangeError if it does not fit.
 * `final`: nothing follows it in the packet, so a data frame goes without its length
 * (`final_data`, 2 bytes less in a full datagram).
 */
export function writeFrame(out: Uint8Array, pos: number, frame: Frame, final = false): number {
  if (final && frame.type === "data") {
    out[pos++] = FRAME_TYPE.final_data;
    pos = writeVarint(out, pos, frame.offset);
    out.set(frame.bytes, pos);
    return pos + frame.bytes.length;
  }
  out[pos++] = FRAME_TYPE[frame.type];
  switch (frame.type) {
    case "ping":
      return pos;
    case "ack":
      return writeAckBody(out, pos, frame);
    case "data":
      pos = writeVarint(out, pos, frame.offset);
      pos = writeVarint(out, pos, frame.bytes.length);
      out.set(frame.bytes, pos);
      return pos + frame.bytes.length;
    case "max_data":
      return writeVarint(out, pos, frame.maximum);
    case "hello":
      pos = writeVarint(out, pos, frame.transferId);
      pos = writeFixed(out, pos, frame.token, TOKEN_BYTES);
      if (frame.sourceCid.length !== 0 && frame.sourceCid.length !== CONNECTION_ID_BYTES) {
        throw new RangeError(
          `Cannot encode hello: a client id is ${CONNECTION_ID_BYTES} bytes or none`,
        );
      }
      out[pos++] = frame.sourceCid.length;
      pos = writeFixed(out, pos, frame.sourceCid, frame.sourceCid.length);
      out[pos++] = frame.direction === "download" ? 0 : 1;
      pos = writeVarint(out, pos, frame.size);
      pos = writeVarint(out, pos, frame.startOffset);
      pos = writeVarint(out, pos, frame.maxDatagramBytes);
      return writeVarint(out, pos, frame.receiveBufferBytes);
    case "challenge":
      pos = writeFixed(out, pos, frame.sourceCid, CONNECTION_ID_BYTES);
      pos = writeFixed(out, pos, frame.nonce, NONCE_BYTES);
      pos = writeVarint(out, pos, frame.maxDatagramBytes);
      return writeVarint(out, pos, frame.receiveBufferBytes);
    case "confirm":
      return writeFixed(out, pos, frame.nonce, NONCE_BYTES);
    case "close": {
      const reason = reasonBytes(frame.reason);
      pos = writeVarint(out, pos, frame.code);
      pos = writeVarint(out, pos, reason.length);
      out.set(reason, pos);
      return pos + reason.length;
    }
  }
}

/**
 * Reads one frame at `pos` (padding excluded: the caller skips zero bytes).
 * Returns `[frame, nextPos]`, or `null` when the bytes are not a valid frame. Never throws.
 * Byte fields are views into `bytes`, not copies.
 */
export function readFrame(bytes: Uint8Array, pos: number): [Frame, number] | null {
  const type = bytes[pos++];
  const r = new FieldReader(bytes, pos);
  let frame: Frame | null = null;
  switch (type) {
    case FRAME_TYPE.ping:
      frame = { type: "ping" };
      break;
    case FRAME_TYPE.ack:
      frame = readAckBody(r);
      break;
    case FRAME_TYPE.data: {
      const offset = r.varint();
      const data = r.fixed(r.varint());
      frame = { type: "data", offset, bytes: data };
      if (!Number.isSafeInteger(offset + data.length)) r.fail();
      break;
    }
    case FRAME_TYPE.final_data: {
      const offset = r.varint();
      const data = r.rest();
      frame = { type: "data", offset, bytes: data };
      if (!Number.isSafeInteger(offset + data.length)) r.fail();
      break;
    }
    case FRAME_TYPE.max_data:
      frame = { type: "max_data", maximum: r.varint() };
      break;
    case FRAME_TYPE.hello:
      frame = readHelloBody(r);
      break;
    case FRAME_TYPE.challenge:
      frame = {
        type: "challenge",
        sourceCid: r.fixed(CONNECTION_ID_BYTES),
        nonce: r.fixed(NONCE_BYTES),
        maxDatagramBytes: r.varint(),
        receiveBufferBytes: r.varint(),
      };
      break;
    case FRAME_TYPE.confirm:
      frame = { type: "confirm", nonce: r.fixed(NONCE_BYTES) };
      break;
    case FRAME_TYPE.close: {
      const code = r.varint();
      const length = r.varint();
      if (length > MAX_CLOSE_REASON_BYTES) r.fail();
      frame = { type: "close", code, reason: decoder.decode(r.fixed(length)) };
      break;
    }
  }
  return frame === null || r.failed ? null : [frame, r.pos];
}

function ackFrameSize(frame: AckFrame): number {
  const ranges = frame.ranges;
  const top = ranges[0];
  if (top === undefined) throw new RangeError("Cannot encode ack: no ranges");
  let size = 1 + varintSize(top.last) + varintSize(frame.ackDelayMicros) +
    varintSize(ranges.length - 1) + varintSize(top.last - top.first);
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]!;
    const cur = ranges[i]!;
    size += varintSize(prev.first - cur.last - 2) + varintSize(cur.last - cur.first);
  }
  return size;
}

// Layout (RFC 9000 style): largest, delay, extra range count, first range length, then
// (gap, length) pairs where gap counts the missing numbers minus one.
function writeAckBody(out: Uint8Array, pos: number, frame: AckFrame): number {
  const ranges = frame.ranges;
  const top = ranges[0]!;
  pos = writeVarint(out, pos, top.last);
  pos = writeVarint(out, pos, frame.ackDelayMicros);
  pos = writeVarint(out, pos, ranges.length - 1);
  pos = writeVarint(out, pos, top.last - top.first);
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]!;
    const cur = ranges[i]!;
    if (cur.last + 2 > prev.first || cur.first > cur.last) {
      throw new RangeError("Cannot encode ack: ranges must be disjoint and descending");
    }
    pos = writeVarint(out, pos, prev.first - cur.last - 2);
    pos = writeVarint(out, pos, cur.last - cur.first);
  }
  return pos;
}

function readAckBody(r: FieldReader): AckFrame | null {
  const largest = r.varint();
  const ackDelayMicros = r.varint();
  const extra = r.varint();
  const firstLength = r.varint();
  if (r.failed || extra >= MAX_DECODED_ACK_RANGES || firstLength > largest) return null;
  const ranges: PacketRange[] = [{ first: largest - firstLength, last: largest }];
  let low = largest - firstLength;
  for (let i = 0; i < extra; i++) {
    const gap = r.varint();
    const length = r.varint();
    const last = low - gap - 2;
    if (r.failed || last < 0 || length > last) return null;
    ranges.push({ first: last - length, last });
    low = last - length;
  }
  return { type: "ack", ackDelayMicros, ranges };
}

function readHelloBody(r: FieldReader): Frame | null {
  const transferId = r.varint();
  const token = r.fixed(TOKEN_BYTES);
  const cidBytes = r.byte();
  if (cidBytes !== 0 && cidBytes !== CONNECTION_ID_BYTES) r.fail();
  const sourceCid = r.fixed(cidBytes);
  const directionByte = r.byte();
  const size = r.varint();
  const startOffset = r.varint();
  const maxDatagramBytes = r.varint();
  const receiveBufferBytes = r.varint();
  if (directionByte > 1) return null;
  const direction: Direction = directionByte === 0 ? "download" : "upload";
  return {
    type: "hello",
    transferId,
    token,
    sourceCid,
    direction,
    size,
    startOffset,
    maxDatagramBytes,
    receiveBufferBytes,
  };
}

function writeFixed(out: Uint8Array, pos: number, value: Uint8Array, length: number): number {
  if (value.length !== length) {
    throw new RangeError(`Cannot encode frame: field must be ${length} bytes, got ${value.length}`);
  }
  out.set(value, pos);
  return pos + length;
}

function reasonBytes(reason: string): Uint8Array {
  const bytes = encoder.encode(reason);
  return bytes.length <= MAX_CLOSE_REASON_BYTES ? bytes : bytes.subarray(0, MAX_CLOSE_REASON_BYTES);
}

/** Sequential reader that records failure instead of throwing; reads after a failure yield 0. */
class FieldReader {
  failed = false;
  constructor(private readonly bytes: Uint8Array, public pos: number) {}

  fail(): void {
    this.failed = true;
  }

  varint(): number {
    if (this.failed) return 0;
    const result = readVarint(this.bytes, this.pos);
    if (result === null) {
      this.failed = true;
      return 0;
    }
    this.pos = result[1];
    return result[0];
  }

  byte(): number {
    const value = this.bytes[this.pos];
    if (this.failed || value === undefined) {
      this.failed = true;
      return 0;
    }
    this.pos++;
    return value;
  }

  /** The bytes from here to the end. */
  rest(): Uint8Array {
    return this.fixed(this.failed ? 0 : this.bytes.length - this.pos);
  }

  fixed(length: number): Uint8Array {
    if (this.failed || this.pos + length > this.bytes.length) {
      this.failed = true;
      return new Uint8Array(0);
    }
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }
}
