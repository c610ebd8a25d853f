import { setImmediate } from "node:timers";
import assert from "node:assert/strict";
import {
  addressKey,
  type DatagramMachine,
  SHORT_WAIT_MS,
  UdpDriver,
} from "../../lib/net/udp_driver.ts";

/** A machine with one deadline and no datagrams, counting what the driver asks of it. */
class DeadlineMachine implements DatagramMachine {
  deadline: number | null;
  timeouts: number[] = [];
  polls = 0;
  constructor(deadline: number | null) {
    this.deadline = deadline;
  }
  handleDatagram(): void {}
  onTimeout = () => {};
  handleTimeout(now: number): void {
    this.timeouts.push(now);
    this.deadline = null;
    this.onTimeout();
  }
  pollTransmit(): null {
    return null;
  }
  pollTimeout(): number | null {
    this.polls++;
    return this.deadline;
  }
}

function socket(): Deno.DatagramConn {
  return Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
}

/** Resolves after one `setTimeout(0)`, which Deno never runs sooner than ~2 ms. */
function oneTimerTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("UdpDriver services a deadline under SHORT_WAIT_MS without a timer", async () => {
  // No timing race: every `setTimeout` the driver asks for is recorded and never fires, so the
  // deadline is met only if the driver yields to the event loop for it, as the rule says. A
  // virtual clock moves 0.1 ms per reading: the deadline falls due after a few polls.
  let now = 0;
  const machine = new DeadlineMachine(SHORT_WAIT_MS / 2);
  let met = false;
  machine.onTimeout = () => met = true;
  const timers: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  const driver = new UdpDriver(socket(), machine, { clock: () => (now += 0.1) });
  const recordOnly = (_: unknown, ms = 0) => (timers.push(ms), 0);
  globalThis.setTimeout = recordOnly as unknown as typeof setTimeout;
  try {
    driver.wake();
    // Bounded by turns of the event loop, not by time: far more than the few polls needed.
    for (let turn = 0; turn < 1000 && !met; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  assert.ok(met, `the deadline was not met; timers asked for: ${timers}`);
  assert.deepEqual(timers, [], "a timer was set for a deadline under SHORT_WAIT_MS");
  assert.equal(machine.timeouts.length, 1);
  assert.ok(machine.timeouts[0]! >= SHORT_WAIT_MS / 2, "fired before its deadline");
  await driver.close();
});

Deno.test("UdpDriver does not poll while the machine has no deadline", async () => {
  const machine = new DeadlineMachine(null);
  const driver = new UdpDriver(socket(), machine);
  driver.wake();
  await oneTimerTurn(); // the wake and the end of its send pass each read the deadline once
  const afterWake = machine.polls;
  await oneTimerTurn();
  await oneTimerTurn();
  assert.equal(machine.polls, afterWake, "an idle driver kept polling");
  assert.deepEqual(machine.timeouts, []);
  await driver.close();
});

Deno.test("UdpDriver closes cleanly with a short-deadline poll pending", async () => {
  let now = 0;
  const machine = new DeadlineMachine(1_000_000); // never due on this clock
  const driver = new UdpDriver(socket(), machine, { clock: () => now });
  machine.deadline = now + SHORT_WAIT_MS / 4;
  driver.wake();
  await driver.close();
  now = 10; // the pending poll, had it survived close, would now fire
  await oneTimerTurn();
  assert.deepEqual(machine.timeouts, []);
});

Deno.test("UdpDriver does not spin on a deadline the machine leaves due after firing", async () => {
  class StuckMachine extends DeadlineMachine {
    override handleTimeout(now: number): void {
      this.timeouts.push(now); // the deadline stays where it was
    }
  }
  const machine = new StuckMachine(0);
  const driver = new UdpDriver(socket(), machine, { clock: () => 1 });
  driver.wake();
  await oneTimerTurn();
  await oneTimerTurn();
  // Fast polling would have fired it hundreds of times in two timer turns (~4 ms).
  assert.ok(machine.timeouts.length >= 1 && machine.timeouts.length <= 10, `${machine.timeouts}`);
  await driver.close();
});

/** Resolves once `done()` holds; fails after `ms`. */
async function until(what: string, done: () => boolean, ms = 2000): Promise<void> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function localAddress(socket: Deno.DatagramConn): Deno.NetAddr {
  const addr = socket.addr as Deno.NetAddr;
  return { transport: "udp", hostname: "127.0.0.1", port: addr.port };
}

Deno.test("UdpDriver reports a machine that throws on a datagram and goes on receiving", async () => {
  const seen: number[] = [];
  const errors: unknown[] = [];
  const machine: DatagramMachine = {
    handleDatagram: (_now, bytes) => {
      seen.push(bytes[0]!);
      if (bytes[0] === 1) throw new RangeError("Cannot use range: boom");
    },
    handleTimeout: () => {},
    pollTransmit: () => null,
    pollTimeout: () => null,
  };
  const driver = new UdpDriver(socket(), machine, { onError: (e) => errors.push(e) });
  const sender = socket();
  try {
    await sender.send(Uint8Array.of(1), {
      transport: "udp",
      hostname: "127.0.0.1",
      port: driver.addr.port,
    });
    await until("the first datagram", () => seen.length === 1);
    await sender.send(Uint8Array.of(2), {
      transport: "udp",
      hostname: "127.0.0.1",
      port: driver.addr.port,
    });
    await until("the second datagram", () => seen.length === 2);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof RangeError);
    assert.equal(driver.errors, 1);
  } finally {
    sender.close();
    await driver.close();
  }
});

Deno.test("UdpDriver goes on when pollTransmit, pollTimeout, handleTimeout and onError all throw", async () => {
  const receiver = socket();
  const to = addressKey(localAddress(receiver));
  let transmits = 0;
  let timeouts = 0;
  let deadlinePolls = 0;
  const machine: DatagramMachine = {
    handleDatagram: () => {},
    handleTimeout: () => {
      timeouts++;
      throw new TypeError("handleTimeout failed");
    },
    pollTransmit: () => {
      transmits++;
      if (transmits === 1) throw new TypeError("pollTransmit failed");
      return transmits === 2 ? { to, bytes: Uint8Array.of(42) } : null;
    },
    pollTimeout: () => {
      deadlinePolls++;
      if (deadlinePolls === 1) throw new TypeError("pollTimeout failed");
      return timeouts === 0 ? 0 : null; // due at once until it fired
    },
  };
  let reported = 0;
  const driver = new UdpDriver(socket(), machine, {
    onError: () => {
      reported++;
      throw new Error("the error handler is broken too");
    },
  });
  const originalError = console.error;
  console.error = () => {};
  try {
    driver.wake(); // pollTransmit and pollTimeout throw on this first pass
    driver.wake(); // the datagram goes out, the timeout fires and throws
    const [bytes] = await receiver.receive();
    assert.deepEqual(bytes, Uint8Array.of(42));
    await until("the timeout", () => timeouts === 1);
    assert.ok(reported >= 3, `${reported} errors reported`);
    assert.equal(driver.errors, reported);
  } finally {
    console.error = originalError;
    receiver.close();
    await driver.close();
  }
});

Deno.test("UdpDriver counts a datagram the kernel refuses (EMSGSIZE) as lost and sends the next", async () => {
  const receiver = socket();
  const to = addressKey(localAddress(receiver));
  const queue = [new Uint8Array(70_000), Uint8Array.of(7)];
  const machine: DatagramMachine = {
    handleDatagram: () => {},
    handleTimeout: () => {},
    pollTransmit: () => {
      const bytes = queue.shift();
      return bytes === undefined ? null : { to, bytes };
    },
    pollTimeout: () => null,
  };
  const driver = new UdpDriver(socket(), machine);
  try {
    driver.wake();
    const [bytes] = await receiver.receive();
    assert.deepEqual(bytes, Uint8Array.of(7));
    assert.equal(driver.sendErrors, 1);
    assert.equal(driver.errors, 0);
  } finally {
    receiver.close();
    await driver.close();
  }
});

/** A datagram socket whose every receive and send settles when the test says. */
class ScriptedSocket {
  readonly addr: Deno.NetAddr = { transport: "udp", hostname: "127.0.0.1", port: 9 };
  receives: PromiseWithResolvers<[Uint8Array, Deno.Addr]>[] = [];
  sends: { bytes: Uint8Array; done: PromiseWithResolvers<number> }[] = [];
  receive(): Promise<[Uint8Array, Deno.Addr]> {
    const next = Promise.withResolvers<[Uint8Array, Deno.Addr]>();
    this.receives.push(next);
    return next.promise;
  }
  send(bytes: Uint8Array): Promise<number> {
    const done = Promise.withResolvers<number>();
    this.sends.push({ bytes: bytes.slice(), done });
    return done.promise;
  }
  close(): void {
    for (const r of this.receives) r.reject(new Deno.errors.BadResource("closed"));
    for (const s of this.sends) s.done.resolve(0);
  }
}

/** Lets every queued microtask and promise reaction run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

Deno.test("UdpDriver sends what a datagram made due while its send loop was ending", async () => {
  // The send loop's last send and a receive settle close together: the loop finds nothing
  // more to send, then the datagram makes an answer due before the loop has let go. The
  // answer must still leave (else a server can sit silent with data to send, no timer armed).
  // Each offset puts the receive a few promise reactions after the send, so one of them falls
  // in that window whatever the loop's exact shape.
  for (let offset = 0; offset < 12; offset++) {
    const fake = new ScriptedSocket();
    const to = "127.0.0.1:7";
    const queue = [Uint8Array.of(1)];
    const machine: DatagramMachine = {
      handleDatagram: () => void queue.push(Uint8Array.of(2)),
      handleTimeout: () => {},
      pollTransmit: () => {
        const bytes = queue.shift();
        return bytes === undefined ? null : { to, bytes };
      },
      pollTimeout: () => null,
    };
    const socket = fake as unknown as Deno.DatagramConn;
    const driver = new UdpDriver(socket, machine, { batched: false });
    driver.wake();
    await settle();
    fake.sends[0]!.done.resolve(1);
    for (let i = 0; i < offset; i++) await Promise.resolve();
    fake.receives[0]!.resolve([Uint8Array.of(9), {
      transport: "udp",
      hostname: "127.0.0.1",
      port: 7,
    }]);
    await settle();
    const sent = fake.sends.map((s) => s.bytes[0]);
    assert.deepEqual(sent, [1, 2], `receive ${offset} reactions after the send: sent ${sent}`);
    fake.sends[1]!.done.resolve(1);
    await driver.close();
  }
});

Deno.test("UdpDriver runs a deadline that falls due while its send loop keeps sending", async () => {
  // A machine with always more to send: the send loop never ends by itself. Its deadlines
  // (pacing, probes, idle) must still be run: a server with many transfers always has one
  // with data, and a deadline left to the end of the loop held every other transfer back.
  const receiver = socket();
  const to = addressKey(localAddress(receiver));
  let timedOut = false;
  let sent = 0;
  const start = performance.now();
  const machine: DatagramMachine = {
    handleDatagram: () => {},
    handleTimeout: () => void (timedOut = true),
    pollTransmit: () => timedOut ? null : (sent++, { to, bytes: Uint8Array.of(1) }),
    pollTimeout: () => timedOut ? null : start + SHORT_WAIT_MS / 4,
  };
  const driver = new UdpDriver(socket(), machine, { batched: false });
  try {
    driver.wake();
    const deadline = performance.now() + 500;
    while (!timedOut && performance.now() < deadline) await oneTimerTurn();
    assert.ok(timedOut, `deadline not run in 500 ms, ${sent} datagrams sent meanwhile`);
  } finally {
    receiver.close();
    await driver.close();
  }
});
