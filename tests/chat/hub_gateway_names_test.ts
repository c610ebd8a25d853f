import assert from "node:assert/strict";
import { HubHarness } from "./_hub_harness.ts";
import {
  type ConnId,
  GATEWAY_NAMES_LINE,
  type GatewayNames,
  type GatewaySink,
} from "../../lib/chat/hub_types.ts";
import { PROTOCOL_VERSION } from "../../lib/chat/limits.ts";

const text = new TextDecoder();

/** What the hub handed over, its names decoded. */
type Answer = Omit<GatewayNames, "names"> & { text: string };

/** A gateway's connection: what the hub handed it, and the raw lines it wrote for it. */
class Gateway implements GatewaySink {
  readonly answers: GatewayNames[] = [];
  readonly conn: ConnId;
  readonly #hub: HubHarness;

  constructor(hub: HubHarness, name: string, now: number) {
    this.#hub = hub;
    this.conn = hub.connect(now, undefined, undefined, this);
    hub.send(this.conn, { type: "login", name, protocol: PROTOCOL_VERSION, id: 1 }, now);
    this.lines();
  }

  names(answer: GatewayNames): void {
    this.answers.push(answer);
  }

  /** Asks for the names of `room`; returns the lines written for it and the answer handed. */
  ask(room: string, now: number): { lines: string[]; answer: Answer | undefined } {
    this.answers.length = 0;
    this.#hub.send(this.conn, { type: "names", room, id: 7 }, now);
    const answer = this.answers[0];
    if (answer === undefined) return { lines: this.lines(), answer };
    const { names, ...rest } = answer;
    return { lines: this.lines(), answer: { ...rest, text: text.decode(names) } };
  }

  lines(): string[] {
    const out = this.#hub.hub.takeOutput(this.conn);
    return out === null ? [] : text.decode(out).split("\n").slice(0, -1);
  }
}

function chatUser(hub: HubHarness, name: string, now: number): ConnId {
  const conn = hub.connect(now);
  hub.send(conn, { type: "login", name, protocol: PROTOCOL_VERSION }, now);
  hub.read(conn);
  return conn;
}

Deno.test("hub hands a gateway its names answer as one text, a marker line in its place", () => {
  const hub = new HubHarness({ rate: null });
  chatUser(hub, "bob", 0);
  const ann = new Gateway(hub, "ann", 0);
  const { lines, answer } = ann.ask("#LOBBY", 1);
  assert.deepEqual(lines, [GATEWAY_NAMES_LINE]);
  assert.deepEqual(answer, { re: 7, room: "#lobby", text: "bob ann", away: [] });
});

Deno.test("hub's gateway names leave out the held joins the gateway was not told of", () => {
  const hub = new HubHarness({ rate: null, presenceCoalesceMs: 250 });
  chatUser(hub, "bob", 0);
  hub.handleTimeout(250);
  chatUser(hub, "cy", 300);
  const ann = new Gateway(hub, "ann", 310);
  const dee = chatUser(hub, "dee", 320);
  // cy's join and ann's own are held together: ann is told of cy, not of dee, who came after.
  assert.equal(ann.ask("#lobby", 330).answer?.text, "bob cy ann");
  hub.send(dee, { type: "names", room: "#lobby", id: 3 }, 330);
  assert.deepEqual(hub.read(dee).at(-1)?.names, ["bob", "cy", "ann", "dee"]);
  hub.handleTimeout(550);
  assert.equal(ann.ask("#lobby", 560).answer?.text, "bob cy ann dee");
});

Deno.test("hub's gateway names follow joins, parts and renames, and tell who is away", () => {
  const hub = new HubHarness({ rate: null });
  const ann = new Gateway(hub, "ann", 0);
  const bob = chatUser(hub, "bob", 0);
  const cy = chatUser(hub, "cy", 0);
  for (const conn of [bob, cy]) hub.send(conn, { type: "join", room: "#dev" }, 1);
  hub.send(ann.conn, { type: "join", room: "#dev" }, 1);
  ann.lines();
  assert.equal(ann.ask("#dev", 2).answer?.text, "bob cy ann");
  hub.send(bob, { type: "nick", name: "rob" }, 3);
  hub.send(cy, { type: "away", text: "lunch" }, 3);
  assert.deepEqual(ann.ask("#dev", 4).answer, {
    re: 7,
    room: "#dev",
    text: "rob cy ann",
    away: ["cy"],
  });
  hub.send(cy, { type: "part", room: "#dev" }, 5);
  assert.equal(ann.ask("#dev", 6).answer?.text, "rob ann");
  chatUser(hub, "dee", 7);
  assert.equal(ann.ask("#lobby", 8).answer?.text, "ann rob cy dee");
});
