/**
 * The open descriptors of this test process, read with `ls` and `cat` (Deno reads /proc only
 * with --allow-all).
 * @module
 */

/** How many descriptors this process has open now (the `ls` child's own not counted). */
export async function openFds(): Promise<number> {
  return (await fdTargets()).length;
}

/**
 * How many descriptors this process holds for TCP connections accepted on `port`: sockets whose
 * local port it is, not listening. The client ends in the same process (their remote port is
 * `port`) and every other descriptor are not counted, so the count is the server's alone.
 */
export async function acceptedFds(port: number): Promise<number> {
  const inodes = new Set(
    (await fdTargets()).map((t) => /^socket:\[(\d+)\]$/.exec(t)?.[1]).filter((i) => i),
  );
  const table = await output("cat", ["/proc/net/tcp", "/proc/net/tcp6"]);
  let count = 0;
  for (const line of table.split("\n")) {
    // sl local_address rem_address st ... uid timeout inode
    const fields = line.trim().split(/\s+/);
    const localPort = parseInt(fields[1]?.split(":")[1] ?? "", 16);
    const listening = fields[3] === "0A";
    if (localPort === port && !listening && inodes.has(fields[9])) count++;
  }
  return count;
}

/** What each open descriptor of this process points to (`socket:[inode]`, a path...). */
async function fdTargets(): Promise<string[]> {
  const listing = await output("ls", ["-l", `/proc/${Deno.pid}/fd`]);
  return listing.split("\n").filter((l) => l.includes(" -> ")).map((l) => l.split(" -> ")[1]!);
}

async function output(program: string, args: string[]): Promise<string> {
  const { stdout } = await new Deno.Command(program, { args }).output();
  return new TextDecoder().decode(stdout);
}
