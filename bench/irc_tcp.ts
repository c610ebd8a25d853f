/**
 * Server CPU per delivery over real TCP, chat readers against IRC readers: starts
 * `server.ts --irc-port 0 --rate 0`, connects N readers of one kind (each counting the messages
 * it reads), one chat sender says M messages (at most 200 ahead of the slowest reading), and
 * reads the server's user + system time from /proc (Linux only).
 *
 * `deno run -A bench/irc_tcp.ts chat|irc [READERS] [MESSAGES]` (default 100, 3,000)
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;
const kind = Deno.args[0] === "irc" ? "irc" : "chat";
const readers = Number(Deno.args[1] ?? 100);
const messages = Number(Deno.args[2] ?? 3000);
const MARKER = kind === "irc" ? " PRIVMSG #lobby :" : '"type":"message"';
const utf8 = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const child = new Deno.Command(Deno.execPath(), {
  args: [
    ...["run", "-A", "--v8-flags=--max-semi-space-size=4", "server.ts", "--port", "0"],
    ...["--irc-port", "0", "--rate", "0", "--max-per-address", "100000", "--log", "json"],
  ],
  cwd: ROOT,
  stdout: "null",
  stderr: "piped",
}).spawn();
const { port, ircPort } = await ports(child.stderr.getReader());
let got = 0;
const conns: Deno.TcpConn[] = [];
for (let i = 0; i < readers; i++) {
  const irc = kind === "irc";
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: irc ? ircPort : port });
  const login = irc
    ? `NICK r${i}\r\nUSER r 0 * :r\r\n`
    : JSON.stringify({ type: "login", name: `r${i}`, protocol: 2 }) + "\n";
  await conn.write(utf8.encode(login));
  conns.push(conn);
  count(conn);
}
await sleep(1500);
const sender = await Deno.connect({ hostname: "127.0.0.1", port });
await sender.write(
  utf8.encode(JSON.stringify({ type: "login", name: "sender", protocol: 2 }) + "\n"),
);
count(sender, false);
await sleep(300);
got = 0;
const cpu0 = serverCpuMs();
const start = performance.now();
const text = "hello everyone, this is a message of a typical length 123";
for (let i = 0; i < messages; i++) {
  await sender.write(utf8.encode(JSON.stringify({ type: "say", text: `${i} ${text}` }) + "\n"));
  if (i % 50 === 49) await until((i + 1 - 200) * readers);
}
const complete = await until(messages * readers);
const cpuMs = serverCpuMs() - cpu0;
const wallMs = performance.now() - start;
const total = messages * readers;
console.log(
  `${kind} ${readers} readers: ${got} of ${total} deliveries${complete ? "" : " (INCOMPLETE)"}, ` +
    `server CPU ${(cpuMs * 1000 / total).toFixed(2)} µs per delivery, ` +
    `${Math.round(total / wallMs)}k deliveries/s`,
);
for (const conn of [...conns, sender]) conn.close();
child.kill("SIGTERM");
await child.status;

/** Counts the messages a connection reads (a marker cut between reads is counted once). */
async function count(conn: Deno.TcpConn, counted = true): Promise<void> {
  const buffer = new Uint8Array(65536);
  const decoder = new TextDecoder();
  let tail = "";
  for (;;) {
    const n = await conn.read(buffer).catch(() => null);
    if (n === null) return;
    const chunk = tail + decoder.decode(buffer.subarray(0, n), { stream: true });
    if (counted) got += chunk.split(MARKER).length - 1;
    tail = chunk.slice(Math.max(0, chunk.length - MARKER.length + 1));
  }
}

/** Waits until `target` deliveries were read, at most 20 s; whether they were. */
async function until(target: number): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (got < target && Date.now() < deadline) await sleep(1);
  return got >= target;
}

function serverCpuMs(): number {
  const fields = Deno.readTextFileSync(`/proc/${child.pid}/stat`).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms ticks
}

async function ports(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<{ port: number; ircPort: number }> {
  const decoder = new TextDecoder();
  let log = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Server exited early: ${log}`);
    log += decoder.decode(value, { stream: true });
    const match = /:(\d+) udp \d+ irc (\d+) /.exec(log);
    if (match === null) continue;
    (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read());
    })();
    return { port: Number(match[1]), ircPort: Number(match[2]) };
  }
}
