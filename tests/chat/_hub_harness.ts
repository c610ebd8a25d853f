/**
 * Drives a {@linkcode Hub} the way its TCP driver would, without sockets: explicit `now`,
 * every action drained after each call, output decoded into JSON objects.
 * @module
 */

import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ConnId, GatewaySink, HubAction, HubOptions } from "../../lib/chat/hub_types.ts";
import type { AccountResult } from "../../lib/chat/hub_accounts.ts";

/** One line the hub wrote, parsed as JSON. */
export type Line = Record<string, unknown>;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** A hub plus the bookkeeping a test needs to look at what it did. */
export class HubHarness {
  /** The hub under test. */
  readonly hub: Hub;
  #actions: HubAction[] = [];

  /**
   * @param options passed to the hub, but joins are announced at once unless the test sets its
   *   own `presenceCoalesceMs` (held joins are the business of the tests that say so)
   */
  constructor(options: HubOptions = {}) {
    this.hub = new Hub({ presenceCoalesceMs: 0, ...options });
  }

  /** Runs the hub's deadlines (held joins) as the driver does at `Hub.pollTimeout`. */
  handleTimeout(now: number): void {
    this.hub.handleTimeout(now);
    this.#pump();
  }

  /**
   * Opens a connection (from `address`, if given; an in-process gateway's with `gateway`) and
   * drains the actions it caused.
   */
  connect(now: number, address?: string, secure?: boolean, gateway?: GatewaySink): ConnId {
    const options = {
      ...(secure === undefined ? {} : { secure }),
      ...(gateway === undefined ? {} : { gateway }),
    };
    const conn = this.hub.connect(now, address, options);
    this.#pump();
    return conn;
  }

  /** Hands the hub the driver's answer to an account action. */
  accountDone(result: AccountResult, now: number): void {
    this.hub.accountDone(result, now);
    this.#pump();
  }

  /** Sends one request: an object is written as a JSON line, a string is written as is. */
  send(conn: ConnId, request: object | string, now: number): void {
    const text = typeof request === "string" ? request : JSON.stringify(request) + "\n";
    this.sendBytes(conn, utf8.encode(text), now);
  }

  /** Feeds raw bytes to the hub. */
  sendBytes(conn: ConnId, bytes: Uint8Array, now: number): void {
    this.hub.receive(conn, bytes, now);
    this.#pump();
  }

  /** Runs the hub's timers. */
  tick(now: number): void {
    this.hub.tick(now);
    this.#pump();
  }

  /** Reports a connection lost without a goodbye. */
  disconnect(conn: ConnId, now: number): void {
    this.hub.disconnect(conn, now);
    this.#pump();
  }

  /** Stops the hub. */
  shutdown(now: number, reason?: string): void {
    if (reason === undefined) this.hub.shutdown(now);
    else this.hub.shutdown(now, reason);
    this.#pump();
  }

  /** Takes everything queued for a connection, checking it is whole lines of JSON objects. */
  read(conn: ConnId): Line[] {
    const bytes = this.hub.takeOutput(conn);
    this.#pump();
    if (bytes === null) return [];
    const text = strictUtf8.decode(bytes);
    assert.ok(text.endsWith("\n"), `output must end with a newline: ${text.slice(-80)}`);
    return text.slice(0, -1).split("\n").map((line) => {
      const value: unknown = JSON.parse(line);
      assert.ok(typeof value === "object" && value !== null && !Array.isArray(value));
      return value as Line;
    });
  }

  /** Takes the output of a connection and checks it is exactly one line, returned. */
  readOne(conn: ConnId): Line {
    const lines = this.read(conn);
    assert.equal(lines.length, 1, `expected one line, got ${JSON.stringify(lines)}`);
    return lines[0]!;
  }

  /** Returns the actions drained since the last call, log records left out. */
  takeActions(): HubAction[] {
    const actions = this.#actions.filter((action) => action.kind !== "log");
    this.#actions = [];
    return actions;
  }

  /** Returns the actions of one kind drained since the last call (the others are dropped). */
  takeActionsOf<K extends HubAction["kind"]>(kind: K): Extract<HubAction, { kind: K }>[] {
    return this.takeActions().filter((a): a is Extract<HubAction, { kind: K }> => a.kind === kind);
  }

  /** Connects, reads the hello, logs in as `name` and reads the welcome; returns the conn. */
  login(name: string, now: number, address?: string): ConnId {
    const conn = this.connect(now, address);
    assert.equal(this.readOne(conn).type, "hello");
    this.send(conn, { type: "login", name }, now);
    const welcome = this.readOne(conn);
    assert.equal(welcome.type, "welcome", `login of ${name}: ${JSON.stringify(welcome)}`);
    return conn;
  }

  /** Logs in each name in turn and drains everyone's output and the actions. */
  loginAll(names: readonly string[], now: number): ConnId[] {
    const conns = names.map((name) => this.login(name, now));
    for (const conn of conns) this.read(conn);
    this.takeActions();
    return conns;
  }

  #pump(): void {
    for (let action = this.hub.pollAction(); action !== null; action = this.hub.pollAction()) {
      this.#actions.push(action);
    }
  }
}

/** The lines of a given type among `lines`. */
export function ofType(lines: readonly Line[], type: string): Line[] {
  return lines.filter((line) => line.type === type);
}
