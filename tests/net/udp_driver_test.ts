import assert from "node:assert/strict";
import { type DatagramMachine, SHORT_WAIT_MS, UdpDriver } from "../../lib/net/udp_driver.ts";

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

Deno.test("UdpDriver services a deadline under SHORT_WAIT_MS before any timer could fire", async () => {
  // A virtual clock that moves 0.1 ms per reading: the deadline falls due after a few polls.
  let now = 0;
  const machine = new DeadlineMachine(SHORT_WAIT_MS / 2);
  let fired!: () => void;
  const deadlineMet = new Promise<string>((resolve) => fired = () => resolve("deadline"));
  machine.onTimeout = () => fired();
  const driver = new UdpDriver(socket(), machine, { clock: () => (now += 0.1) });
  const timer = oneTimerTurn().then(() => "timer");
  driver.wake();
  assert.equal(await Promise.race([deadlineMet, timer]), "deadline");
  assert.equal(machine.timeouts.length, 1);
  assert.ok(machine.timeouts[0]! >= SHORT_WAIT_MS / 2, "fired before its deadline");
  await timer;
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
