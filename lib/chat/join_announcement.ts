/**
 * Telling a room's members of the joins held for it (see {@linkcode JoinBatches}): one `joins`
 * event for those that know it, one `join` per user for older clients, each line encoded once
 * and shared by every member it goes to.
 * @module
 */

import type { HubClient as Client } from "./hub_client.ts";
import type { JoinBatch } from "./join_batches.ts";
import { JOINS_PROTOCOL_VERSION, ROOMS_PROTOCOL_VERSION } from "./limits.ts";
import type { Room } from "./room_registry.ts";

/** What announcing needs of the hub: a member's queue, the shared encoder and the clock. */
export interface JoinOutlet {
  send(client: Client, line: Uint8Array, now: number): void;
  encodeShared(message: object): Uint8Array;
  wall(now: number): number;
}

/**
 * Sends the joins of `batch` to the members of its room. A member that joined within the batch
 * knows those before it (its `joined` or `welcome` listed them): it is told of those after it
 * only, and of nothing when it was the last. A batch of one is the `join` every version knows.
 */
export function announceJoins(
  batch: JoinBatch<Room<Client>, Client>,
  outlet: JoinOutlet,
  now: number,
): void {
  const { room, joiners, places } = batch;
  const ts = outlet.wall(now);
  const lines = new JoinLines(batch, outlet, ts);
  const last = joiners.length - 1;
  for (const member of room.members) {
    const place = places.get(member) ?? -1;
    if (place === last) continue;
    if (member.protocol >= JOINS_PROTOCOL_VERSION && last > 0) {
      // It skips the names up to its own (see docs/PROTOCOL.md, `joins`).
      outlet.send(member, lines.joins(), now);
      continue;
    }
    const each = member.protocol >= ROOMS_PROTOCOL_VERSION ? lines.current() : lines.legacy();
    for (let i = place + 1; i <= last; i++) outlet.send(member, each[i]!, now);
  }
}

/** The lines of one batch, each form encoded at its first use. */
class JoinLines {
  readonly #batch: JoinBatch<Room<Client>, Client>;
  readonly #outlet: JoinOutlet;
  readonly #ts: number;
  #joins: Uint8Array | null = null;
  #current: Uint8Array[] | null = null;
  #legacy: Uint8Array[] | null = null;

  constructor(batch: JoinBatch<Room<Client>, Client>, outlet: JoinOutlet, ts: number) {
    this.#batch = batch;
    this.#outlet = outlet;
    this.#ts = ts;
  }

  /** The one `joins` line naming every joiner, in order. */
  joins(): Uint8Array {
    if (this.#joins !== null) return this.#joins;
    const { room, joiners } = this.#batch;
    const names = joiners.map((joiner) => joiner.name);
    this.#joins = this.#outlet.encodeShared({
      type: "joins",
      room: room.name,
      names,
      ts: this.#ts,
    });
    return this.#joins;
  }

  /** A `join` per joiner with its room (protocol 2 to 4), side by side in one slab. */
  current(): Uint8Array[] {
    const room = this.#batch.room.name;
    return this.#current ??= this.#batch.joiners.map(({ name }) =>
      this.#outlet.encodeShared({ type: "join", name, ts: this.#ts, room })
    );
  }

  /** A `join` per joiner without room, as protocol 1 had it. */
  legacy(): Uint8Array[] {
    return this.#legacy ??= this.#batch.joiners.map(({ name }) =>
      this.#outlet.encodeShared({ type: "join", name, ts: this.#ts })
    );
  }
}
