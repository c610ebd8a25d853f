/** Closes every connection of a test's fake server, ignoring those closed already. */
export function closeAll(conns: Iterable<{ close(): void }>): void {
  for (const conn of conns) {
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  }
}
