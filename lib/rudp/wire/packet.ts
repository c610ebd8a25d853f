/**
 * The file-channel datagram: header, frames, CRC-32 trailer.
 *
 * ```
 * offset  size  field
 * 0       1     version (PROTOCOL_VERSION = 1)
 * 1       1     packet type: 1 = initial (client hello), 2 = short (everything else)
 * 2       0|8   destination connection id (all zero in an initial packet; none to a client)
 * 2+c     1-8   packet number (varint)
 * ...     ...   frames, then zero bytes of padding (a last data frame with nothing after it goes
 *               without its length: see `FRAME_TYPE.final_data`)
 * end-4   4     CRC-32 (big-endian) of every byte before it
 * ```
 *
 * A sealed short packet has no CRC (`checksum: false`): its seal's tag covers every byte. The
 * connection id's length is the receiver's to know (as in QUIC): 8 bytes to the server, none to
 * a client, whose socket is its connection's alone.
 *
 * @module
 */
import { crc32 } from "./crc32.ts";
import { CONNECTION_ID_BYTES, type Frame } from "./frame.ts";
import { frameSize, readFrame, writeFrame } from "./frame_codec.ts";
import { readVarint, varintSize, writeVarint } from "./varint.ts";

/** The version byte this implementation speaks. */
export const PROTOCOL_VERSION = 1;
/** Bytes of the CRC-32 trailer. */
export const CHECKSUM_BYTES = 4;
/** Bytes of the version and type before the connection id. */
const LEAD_BYTES = 2;
/**
 * Highest packet number either side may use (2^48 - 1: nine years at a million packets a
 * second). Far enough below 2^53 that `number + 1` and differences of packet numbers stay
 * exact; a peer's packet numbered above it closes the connection with `PROTOCOL_VIOLATION`.
 */
export const MAX_PACKET_NUMBER = 2 ** 48 - 1;
/**
 * Most frames one packet may carry (padding not counted). Our sender never puts more in one;
 * a datagram with more is dropped unread past this many (`TOO_MANY_FRAMES`), so a packet of
 * thousands of one-byte frames costs the receiver no more than this many frames' work.
 */
export const MAX_FRAMES_PER_PACKET = 64;

/** Packet types: an initial packet is routed by the hello inside it, a short one by its id. */
export type PacketType = "initial" | "short";

/** A decoded or to-be-encoded packet. */
export interface Packet {
  type: PacketType;
  /** Destination connection id: {@linkcode CONNECTION_ID_BYTES} bytes, or none to a client. */
  dcid: Uint8Array;
  /** Packet number: never reused within a connection and direction. */
  number: number;
  frames: Frame[];
}

/** Stable codes of datagrams the decoder rejects. */
export type DecodeErrorCode =
  | "MALFORMED_PACKET"
  | "BAD_CHECKSUM"
  | "UNSUPPORTED_VERSION"
  | "TOO_MANY_FRAMES";

/** Result of {@linkcode decodePacket}: a packet or an error value, never an exception. */
export type DecodeResult =
  | { ok: true; packet: Packet }
  | { ok: false; code: DecodeErrorCode; message: string };

/** Options of {@linkcode encodePacket}. */
export interface EncodeOptions {
  /** Pad with zero bytes up to this datagram size. Default: no padding. */
  padTo?: number;
  /**
   * Encode into the start of this buffer, whose earlier content is overwritten, and return a
   * view of it (default: a buffer of its own). Too small a buffer is a `RangeError`.
   */
  into?: Uint8Array | undefined;
  /**
   * Append the CRC-32 (default true). A packet that will be sealed goes without: the seal's
   * tag detects any change to any byte, so the CRC would only cost 4 bytes and a pass over it.
   */
  checksum?: boolean;
}

/** Options of {@linkcode decodePacket}. */
export interface DecodeOptions {
  /** The packet ends with a CRC-32 to check (default true); false for one that was sealed. */
  checksum?: boolean;
  /** Length of the receiver's connection id (default {@linkcode CONNECTION_ID_BYTES}; a client's: 0). */
  dcidBytes?: number;
}

const TYPE_BYTE: Record<PacketType, number> = { initial: 1, short: 2 };

/** Size in bytes of the header of a packet numbered `number` to a connection id of `dcidBytes`. */
export function headerSize(number: number, dcidBytes: number = CONNECTION_ID_BYTES): number {
  return LEAD_BYTES + dcidBytes + varintSize(number);
}

/**
 * Encodes `packet` into a new datagram, appending the CRC-32.
 *
 * @example
 * ```ts
 * const bytes = encodePacket({ type: "short", dcid: new Uint8Array(8), number: 0,
 *   frames: [{ type: "ping" }] });
 * decodePacket(bytes).ok; // true
 * ```
 */
export function encodePacket(packet: Packet, options: EncodeOptions = {}): Uint8Array {
  const cid = packet.dcid.length;
  if (cid !== CONNECTION_ID_BYTES && (cid !== 0 || packet.type !== "short")) {
    throw new RangeError(`Cannot encode packet: dcid must be ${CONNECTION_ID_BYTES} bytes or none`);
  }
  const trailer = options.checksum === false ? 0 : CHECKSUM_BYTES;
  let size = headerSize(packet.number, cid) + trailer;
  for (const frame of packet.frames) size += frameSize(frame);
  const last = packet.frames.length - 1;
  // The last frame may go without a length when nothing follows it: no padding.
  const shorter = last < 0
    ? 0
    : frameSize(packet.frames[last]!) - frameSize(packet.frames[last]!, true);
  const final = shorter > 0 && size - shorter >= (options.padTo ?? 0);
  if (final) size -= shorter;
  const length = Math.max(size, options.padTo ?? 0);
  const out = into(options.into, length);
  out[0] = PROTOCOL_VERSION;
  out[1] = TYPE_BYTE[packet.type];
  out.set(packet.dcid, LEAD_BYTES);
  let pos = writeVarint(out, LEAD_BYTES + cid, packet.number);
  for (let i = 0; i <= last; i++) {
    pos = writeFrame(out, pos, packet.frames[i]!, final && i === last);
  }
  if (trailer === 0) return out;
  const body = out.length - CHECKSUM_BYTES;
  new DataView(out.buffer, out.byteOffset).setUint32(body, crc32(out.subarray(0, body)));
  return out;
}

/** The `length` bytes to encode into: a fresh buffer, or the start of `buffer` zeroed. */
function into(buffer: Uint8Array | undefined, length: number): Uint8Array {
  if (buffer === undefined) return new Uint8Array(length);
  if (buffer.length < length) {
    throw new RangeError(`Cannot encode packet: ${length} bytes do not fit in ${buffer.length}`);
  }
  const out = buffer.subarray(0, length);
  out.fill(0); // Padding and any byte a frame skips read as zero, as in a fresh buffer.
  return out;
}

/** The header of a datagram, read without its frames: what routing and opening need. */
export interface PacketHeader {
  type: PacketType;
  /** A view into the datagram. */
  dcid: Uint8Array;
  number: number;
  /** Bytes of the header, packet number included. */
  headerBytes: number;
}

/**
 * Reads the header of a datagram to a connection id of `dcidBytes` (a client's: 0), or returns
 * null when it is malformed (too short, unknown version or type, bad packet number). Never
 * throws; reads neither the frames nor the CRC.
 */
export function readHeader(
  bytes: Uint8Array,
  dcidBytes: number = CONNECTION_ID_BYTES,
): PacketHeader | null {
  const cidEnd = LEAD_BYTES + dcidBytes;
  if (bytes.length < cidEnd + 1 + 1 + CHECKSUM_BYTES || bytes[0] !== PROTOCOL_VERSION) return null;
  const type: PacketType | null = bytes[1] === 1 ? "initial" : bytes[1] === 2 ? "short" : null;
  if (type === null) return null;
  const number = readVarint(bytes, cidEnd);
  if (number === null) return null;
  return {
    type,
    dcid: bytes.subarray(LEAD_BYTES, cidEnd),
    number: number[0],
    headerBytes: number[1],
  };
}

/** Why {@linkcode decodePacket} refuses a datagram whose header {@linkcode readHeader} refused. */
export function decodeFailure(bytes: Uint8Array, options: DecodeOptions = {}): DecodeErrorCode {
  const decoded = decodePacket(bytes, options);
  return decoded.ok ? "MALFORMED_PACKET" : decoded.code;
}

/**
 * Decodes a datagram. Never throws: bytes from the network may come from anyone.
 * Frame byte fields (data, token, ids) are views into `bytes`; copy them to keep them.
 */
export function decodePacket(bytes: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const trailer = options.checksum === false ? 0 : CHECKSUM_BYTES;
  const cidEnd = LEAD_BYTES + (options.dcidBytes ?? CONNECTION_ID_BYTES);
  if (bytes.length < cidEnd + 1 + 1 + trailer) {
    return fail("MALFORMED_PACKET", "datagram too short");
  }
  const body = bytes.length - trailer;
  if (trailer > 0) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(body) !== crc32(bytes.subarray(0, body))) {
      return fail("BAD_CHECKSUM", "checksum mismatch");
    }
  }
  if (bytes[0] !== PROTOCOL_VERSION) {
    return fail("UNSUPPORTED_VERSION", `version ${bytes[0]} not supported`);
  }
  const type: PacketType | null = bytes[1] === 1 ? "initial" : bytes[1] === 2 ? "short" : null;
  if (type === null) return fail("MALFORMED_PACKET", `unknown packet type ${bytes[1]}`);
  const number = readVarint(bytes, cidEnd);
  if (number === null) return fail("MALFORMED_PACKET", "bad packet number");
  const frames = readFrames(bytes.subarray(0, body), number[1]);
  if (frames === null) return fail("MALFORMED_PACKET", "bad frame");
  if (frames.length > MAX_FRAMES_PER_PACKET) {
    return fail("TOO_MANY_FRAMES", `more than ${MAX_FRAMES_PER_PACKET} frames`);
  }
  const dcid = bytes.subarray(LEAD_BYTES, cidEnd);
  return { ok: true, packet: { type, dcid, number: number[0], frames } };
}

/** Reads the frames, stopping after one more than {@linkcode MAX_FRAMES_PER_PACKET}. */
function readFrames(body: Uint8Array, pos: number): Frame[] | null {
  const frames: Frame[] = [];
  while (pos < body.length && frames.length <= MAX_FRAMES_PER_PACKET) {
    if (body[pos] === 0) {
      pos++; // padding
      continue;
    }
    const result = readFrame(body, pos);
    if (result === null) return null;
    frames.push(result[0]);
    pos = result[1];
  }
  return frames.length > 0 ? frames : null;
}

function fail(code: DecodeErrorCode, message: string): DecodeResult {
  return { ok: false, code, message: `Cannot decode packet: ${message}` };
}
