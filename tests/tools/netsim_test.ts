/**
 * The command line of `deno task netsim` (tools/netsim.ts): impairment flags and their errors.
 */
import assert from "node:assert/strict";
import { parseNetsimArgs, parseRate } from "../../tools/netsim.ts";

const ADDRESSES = ["--listen", "127.0.0.2:0", "--target", "127.0.0.1:50000"];

Deno.test("netsim turns percentages, delays and rates into impairment options both ways", () => {
  const command = parseNetsimArgs([
    ...ADDRESSES,
    ...["--loss", "5", "--delay", "10", "--jitter", "2", "--duplicate", "1", "--reorder", "1"],
    ...["--corrupt", "0.1", "--rate", "10mbit", "--burst", "1,30", "--seed", "9", "--tcp"],
  ]);
  assert.equal(command.kind, "run");
  if (command.kind !== "run") return;
  const expected = {
    delayMs: 10,
    jitterMs: 2,
    loss: 0.05,
    duplicate: 0.01,
    reorder: 0.01,
    corrupt: 0.001,
    burst: { enter: 0.01, exit: 0.3 },
    rateBytesPerSecond: 1_250_000,
  };
  assert.deepEqual(command.config.toServer, expected);
  assert.deepEqual(command.config.toClient, expected);
  assert.deepEqual(command.config.listen, { hostname: "127.0.0.2", port: 0 });
  assert.deepEqual(command.config.target, { hostname: "127.0.0.1", port: 50000 });
  assert.equal(command.config.seed, 9);
  assert.equal(command.config.tcp, true);
});

Deno.test("netsim impairs only the direction asked for", () => {
  const command = parseNetsimArgs([...ADDRESSES, "--loss", "10", "--direction", "to-client"]);
  assert.ok(command.kind === "run");
  assert.deepEqual(command.config.toServer, {});
  assert.deepEqual(command.config.toClient, { loss: 0.1 });
});

Deno.test("netsim reads rates in bits and bytes and refuses ambiguous units", () => {
  assert.equal(parseRate("10mbit"), 1_250_000);
  assert.equal(parseRate("1Gbit"), 125_000_000);
  assert.equal(parseRate("500kbit"), 62_500);
  assert.equal(parseRate("2MB"), 2_000_000);
  assert.equal(parseRate("100000B"), 100_000);
  assert.throws(() => parseRate("10mb"), /Invalid rate '10mb'/);
  assert.throws(() => parseRate("fast"), /Invalid rate/);
  assert.throws(() => parseRate("0mbit"), /above zero/);
});

Deno.test("netsim explains bad flags instead of starting", () => {
  const error = (args: string[]) => {
    const command = parseNetsimArgs(args);
    return command.kind === "error" ? command.message : `no error (${command.kind})`;
  };
  assert.match(error(["--loss", "5"]), /--listen HOST:PORT and --target HOST:PORT are needed/);
  assert.match(error([...ADDRESSES, "--loss", "101"]), /Invalid loss '101'.*0 to 100/);
  assert.match(error([...ADDRESSES, "--delay=-3"]), /Invalid delay '-3'/);
  assert.match(error([...ADDRESSES, "--burst", "5"]), /ENTER,EXIT/);
  assert.match(error([...ADDRESSES, "--direction", "up"]), /both, to-server or to-client/);
  assert.match(error(["--listen", "nowhere", "--target", "127.0.0.1:1"]), /Invalid --listen/);
  assert.match(error(["--listen", "127.0.0.1:0", "--target", "127.0.0.1:0"]), /Invalid --target/);
  assert.match(error([...ADDRESSES, "--bogus"]), /Unknown option '--bogus'/);
  assert.equal(parseNetsimArgs(["--help"]).kind, "help");
  assert.equal(parseNetsimArgs(["--", "--help"]).kind, "help", "as `deno task netsim -- --help`");
});
