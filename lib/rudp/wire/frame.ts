/**
 * The frames a file-channel packet carries, as typed values. The byte layout lives in
 * `frame_codec.ts` and is documented in docs/PROTOCOL.md, "File channel".
 *
 * @module
 */

/** Bytes in a connection id. */
export const CONNECTION_ID_BYTES = 8;
/** Bytes in the one-time transfer token the chat hub grants. */
export const TOKEN_BYTES = 16;
/** Bytes in the server's address-validation nonce. */
export const NONCE_BYTES = 16;
/** Longest close reason carried on the wire, in UTF-8 bytes. */
export const MAX_CLOSE_REASON_BYTES = 200;

/** Which way file data flows: a download goes server to client, an upload client to server. */
export type Direction = "download" | "upload";

/** An inclusive range of packet numbers, `first <= last`. */
export interface PacketRange {
  /** Lowest packet number in the range. */
  first: number;
  /** Highest packet number in the range. */
  last: number;
}

/** Asks for an acknowledgement and carries nothing else. */
export interface PingFrame {
  type: "ping";
}

/** Acknowledges packets; `ranges` are disjoint and sorted from the highest down. */
export interface AckFrame {
  type: "ack";
  /** Time the receiver held the largest packet before acknowledging it, in microseconds. */
  ackDelayMicros: number;
  ranges: PacketRange[];
}

/** File bytes at an absolute offset. */
export interface DataFrame {
  type: "data";
  offset: number;
  bytes: Uint8Array;
}

/** Flow control: the data sender may send bytes below `maximum` (an absolute offset). */
export interface MaxDataFrame {
  type: "max_data";
  maximum: number;
}

/** The client's opening: names the granted transfer and proves the grant with the token. */
export interface HelloFrame {
  type: "hello";
  transferId: number;
  token: Uint8Array;
  /**
   * The client's connection id, which the server writes into every packet it sends back:
   * {@linkcode CONNECTION_ID_BYTES} bytes, or none (ours: a client's socket is its own).
   */
  sourceCid: Uint8Array;
  direction: Direction;
  size: number;
  startOffset: number;
  maxDatagramBytes: number;
  /** What the client's socket receive buffer holds, bytes (the server's sending keeps within it). */
  receiveBufferBytes: number;
}

/** The server's answer to a hello: its connection id and a nonce the client must echo. */
export interface ChallengeFrame {
  type: "challenge";
  sourceCid: Uint8Array;
  nonce: Uint8Array;
  maxDatagramBytes: number;
  /** The server's receive buffer share for this transfer, bytes (an upload keeps within it). */
  receiveBufferBytes: number;
}

/** The client echoes the server's nonce, proving it receives at the address it claims. */
export interface ConfirmFrame {
  type: "confirm";
  nonce: Uint8Array;
}

/** Ends the connection; `code` 0 is a normal end, others are errors (see close_code.ts). */
export interface CloseFrame {
  type: "close";
  code: number;
  reason: string;
}

/** Any frame of the file channel. Padding is not a frame value: the codec skips it. */
export type Frame =
  | PingFrame
  | AckFrame
  | DataFrame
  | MaxDataFrame
  | HelloFrame
  | ChallengeFrame
  | ConfirmFrame
  | CloseFrame;

/**
 * Wire type bytes of the frames. `final_data` is a data frame without its length: it runs to the
 * end of the packet, so only a packet's last frame, with no padding after it, is written so.
 * It decodes as a `data` frame.
 */
export const FRAME_TYPE = {
  padding: 0x00,
  ping: 0x01,
  ack: 0x02,
  data: 0x03,
  max_data: 0x04,
  hello: 0x05,
  challenge: 0x06,
  confirm: 0x07,
  close: 0x08,
  final_data: 0x09,
} as const;

/**
 * Whether receiving `frame` obliges the peer to acknowledge the packet holding it: pings, data,
 * hellos and confirms do. Acks, flow-control limits (repeated in every packet the receiver
 * sends), closes (answered by a close) and challenges (answered by a confirm) do not.
 */
export function isAckEliciting(frame: Frame): boolean {
  return frame.type === "data" || frame.type === "ping" || frame.type === "hello" ||
    frame.type === "confirm";
}
