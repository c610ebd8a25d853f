/** The AEAD_CHACHA20_POLY1305 test vector of RFC 8439 §2.8.2 (the first 16 ciphertext bytes). */
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16));

export const RFC_8439 = {
  key: Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i),
  nonce: fromHex("070000004041424344454647"),
  aad: fromHex("50515253c0c1c2c3c4c5c6c7"),
  plain: new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the " +
      "future, sunscreen would be it.",
  ),
  cipherStart: fromHex("d31a8d34648e60db7b86afbc53ef7ec2"),
  tag: fromHex("1ae10b594f09e26a7e902ecbd0600691"),
};
