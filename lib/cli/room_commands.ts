/**
 * The room commands of the client (`join`, `part`, `switch`, `rooms`, `topic`, `names`), shared
 * by the interactive and the piped client, and the current room they act on.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { LOBBY, roomKey } from "../chat/room_rules.ts";
import { ChatError } from "../net/chat_error.ts";
import { requestPatiently } from "../net/request_patiently.ts";
import { EXIT, type ExitCode } from "./exit_codes.ts";
import { formatJson, formatNames, formatRooms, formatTopic } from "./format.ts";
import type { RunContext } from "./input_runner.ts";
import type { Input } from "./slash_command.ts";

/** The room typed text goes to, and the rooms the session is in. */
export interface CurrentRoom {
  /** The current room. */
  get(): string;
  /** Makes `room` (one the session is in) the current room. */
  set(room: string): void;
}

/** A room command. */
export type RoomInput = Input & { kind: "join" | "part" | "switch" | "rooms" | "topic" | "names" };

/** The current room of a context: `#lobby` when it keeps none. */
export function currentRoom(context: RunContext): string {
  return context.room?.get() ?? LOBBY;
}

/** Runs a room command; a refusal throws `ChatError`, as in `runInput`. */
export async function runRoomInput(input: RoomInput, context: RunContext): Promise<ExitCode> {
  const { client, printer } = context;
  const here = currentRoom(context);
  switch (input.kind) {
    case "join": {
      const reply = await requestPatiently(client, { type: "join", room: input.room });
      if (reply.type !== "joined") return EXIT.OK;
      context.onRoomsChanged?.();
      context.room?.set(reply.room);
      return show(context, reply, joinedLines(reply, context.color));
    }
    case "part": {
      const reply = await requestPatiently(client, { type: "part", room: input.room ?? here });
      if (reply.type !== "parted") return EXIT.OK;
      context.onRoomsChanged?.();
      if (roomKey(reply.room) === roomKey(here)) context.room?.set(client.rooms[0] ?? LOBBY);
      return show(context, reply, [`Left ${reply.room}`]);
    }
    case "switch":
      return switchTo(input.room, context);
    case "rooms": {
      const reply = await requestPatiently(client, { type: "rooms" });
      if (reply.type !== "rooms") return EXIT.OK;
      if (context.json) printer.print(...reply.rooms.map((room) => formatJson(room)));
      else printer.print(...formatRooms(reply.rooms, { color: context.color }));
      return EXIT.OK;
    }
    case "topic": {
      const text = input.text === undefined ? {} : { topic: input.text };
      const reply = await requestPatiently(client, { type: "topic", room: here, ...text });
      if (reply.type !== "topic") return EXIT.OK;
      return show(context, reply, [formatTopic(reply, { color: context.color })]);
    }
    case "names": {
      const reply = await requestPatiently(client, { type: "names", room: here });
      if (reply.type !== "names") return EXIT.OK;
      return show(context, reply, formatNames(reply.room, reply.names, { color: context.color }));
    }
  }
}

/** Makes a room the session is in the current one. */
function switchTo(room: string, context: RunContext): ExitCode {
  const found = context.client.rooms.find((r) => roomKey(r) === roomKey(room));
  if (found === undefined) throw new ChatError("NOT_IN_ROOM", `Not in ${room}: /join it first`);
  context.room?.set(found);
  if (!context.json) context.printer.print(`Now talking in ${found}`);
  return EXIT.OK;
}

/** "Joined #dev (2 members)", and the room's topic when it has one: what a joiner wants first. */
function joinedLines(reply: ServerMessage & { type: "joined" }, color: boolean): string[] {
  const count = `${reply.memberCount} member${reply.memberCount === 1 ? "" : "s"}`;
  const joined = `Joined ${reply.room} (${count})`;
  if (reply.topic === "") return [joined];
  const topic = formatTopic({
    type: "topic",
    room: reply.room,
    topic: reply.topic,
    ...(reply.topicBy === undefined ? {} : { by: reply.topicBy, ts: reply.topicTs }),
  }, { color });
  return [joined, topic];
}

/** Prints a reply: as the hub's JSON line with `--json`, else as `lines`. */
function show(context: RunContext, reply: ServerMessage, lines: string[]): ExitCode {
  context.printer.print(...(context.json ? [formatJson(reply)] : lines));
  return EXIT.OK;
}
