/**
 * How every user reads what the server sends once it is logged in: each line split out and
 * parsed, acknowledgements counted, each room message checked (sender, sequence number, room,
 * send time) by the user's {@linkcode DeliveryChecker}. Nothing is merely counted.
 * @module
 */

import type { BenchClient, ChunkHandler } from "./bench_client.ts";
import type { Dialect } from "./dialect.ts";
import { readMessageText } from "./message_text.ts";

/** What a phase wants to hear about while users read. */
export interface DeliveryHooks {
  /** A message accepted by `client`: first arrival, sent at `sentUs`, read at `nowUs`. */
  onDelivery?: (client: BenchClient, sentUs: number, nowUs: number) => void;
  /** `client` read something and is done with it (senders top up their window here). */
  afterRead?: (client: BenchClient) => void;
}

/** A chunk handler that reads every line in `dialect` and tells `hooks`. */
export function readDeliveries(dialect: Dialect, hooks: DeliveryHooks = {}): ChunkHandler {
  const { onDelivery, afterRead } = hooks;
  return (client, chunk) => {
    // Lines read together arrived together: one clock reading serves them all.
    const nowUs = performance.now() * 1000;
    client.scanner.split(chunk, (line) => {
      const message = dialect.parseMessage(line);
      if (message === null) {
        const acked = dialect.ackedThrough(line, client.acked);
        if (acked >= 0) client.acked = acked;
        return;
      }
      const marks = message === "malformed" ? null : readMessageText(message.text);
      if (marks === null || message === "malformed" || !client.rooms.includes(message.room)) {
        return client.checker.malformed();
      }
      // A server that echoes messages (IRC echo-message) acknowledges them so, in order.
      if (message.from === client.nick) return void client.acked++;
      if (!client.checker.accept(message.from, marks.seq, marks.sentUs, nowUs)) return;
      client.received++;
      onDelivery?.(client, marks.sentUs, nowUs);
    });
    afterRead?.(client);
  };
}
