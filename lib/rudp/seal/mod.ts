/**
 * The sealed file channel: transfer keys, sealing and opening of packets, the hello's tag and
 * the replay window.
 *
 * @module
 */
export { deriveTransferKeys, TRANSFER_KEY_BYTES, type TransferKeys } from "./transfer_keys.ts";
export { PacketProtection, type ProtectionRole } from "./packet_protection.ts";
export { type OpenErrorCode, type OpenResult, SEAL_TAG_BYTES } from "./packet_seal.ts";
export { HELLO_TAG_BYTES, helloPacketOf, helloTagValid } from "./hello_tag.ts";
export { REPLAY_WINDOW_PACKETS } from "./replay_window.ts";
export { type ChaChaPoly, NODE_CHACHA_POLY } from "./chacha_poly.ts";
