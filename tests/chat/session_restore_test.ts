import assert from "node:assert/strict";
import { ActionQueue } from "../../lib/chat/action_queue.ts";
import type { ClientAction } from "../../lib/chat/client_actions.ts";
import type { OutgoingRequest } from "../../lib/chat/client_session.ts";
import { SessionRestore } from "../../lib/chat/session_restore.ts";
import { joined } from "./_room_replies.ts";

/** A restore in #dev and away, with the requests it sends recorded by wire id (from 1). */
function inDevAndAway() {
  const actions = new ActionQueue<ClientAction>();
  const restore = new SessionRestore(actions);
  restore.rooms.note({ type: "join", room: "#dev" }, joined("#dev"));
  restore.noteAway("lunch");
  const sent: OutgoingRequest[] = [];
  const send = (request: OutgoingRequest) => sent.push(request);
  return { actions, restore, sent, send };
}

function drain(actions: ActionQueue<ClientAction>): ClientAction[] {
  const out: ClientAction[] = [];
  for (let a = actions.take(); a !== null; a = actions.take()) out.push(a);
  return out;
}

Deno.test("SessionRestore joins the rooms again, then sets the away text the hub forgot", () => {
  const { restore, sent, send } = inDevAndAway();
  restore.restore(send);
  assert.deepEqual(sent, [{ type: "join", room: "#dev" }, { type: "away", text: "lunch" }]);
  // Back: nothing to set on the next connection.
  restore.noteAway("");
  sent.length = 0;
  restore.restore(send);
  assert.deepEqual(sent, [{ type: "join", room: "#dev" }]);
});

Deno.test("SessionRestore loses a room whose join is refused, and tells; other replies are not its own", () => {
  const { actions, restore, send } = inDevAndAway();
  restore.restore(send);
  const refusal = { code: "ROOMS_FULL" as const, message: "full" };
  assert.equal(restore.answered(1, refusal, "ann", send), true);
  assert.deepEqual(restore.rooms.names, ["#lobby"]);
  const [lost] = drain(actions);
  assert.equal(lost?.kind === "status" && lost.status.kind, "room_lost");
  assert.equal(restore.answered(1, refusal, "ann", send), false, "answered once only");
  assert.equal(restore.answered(99, joined("#x"), "ann", send), false);
});

Deno.test("SessionRestore forgets its requests when the connection ends", () => {
  const { restore, send } = inDevAndAway();
  restore.restore(send);
  restore.connectionEnded();
  assert.equal(restore.answered(1, joined("#dev"), "ann", send), false);
});
