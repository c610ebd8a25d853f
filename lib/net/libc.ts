/**
 * The few libc socket calls the UDP driver's batched send and receive paths use, through Deno's FFI, where
 * the OS is Linux, libc is found and the process may load it. Anything else gives null, and
 * the driver keeps Deno's own `send`. The hub's TCP driver uses a few more to let go of TLS
 * connections it gave up mid-handshake (see `StalledHandshakes`).
 *
 * @module
 */

/** Where glibc's shared library is looked for, in order (Debian/Ubuntu x86-64 and arm64). */
export const LIBC_PATHS: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/libc.so.6",
  "/usr/lib/aarch64-linux-gnu/libc.so.6",
];

/**
 * The calls, declared without Deno's pointer type: Deno's pointer operations
 * (`Deno.UnsafePointer`) need FFI granted for everything, where calls into a library need it only
 * for that library's path. Addresses are plain integers (`usize`) that `memmove` reports.
 */
const SYMBOLS = {
  // int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags)
  sendmmsg: { parameters: ["i32", "usize", "u32", "i32"], result: "i32" },
  // int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags,
  //              struct timespec *timeout): the timeout is always null (0)
  recvmmsg: { parameters: ["i32", "usize", "u32", "i32", "usize"], result: "i32" },
  // ssize_t sendmsg(int fd, const struct msghdr *msg, int flags): only -1 and sizes under
  // 64 KiB come back, which the low 32 bits hold.
  sendmsg: { parameters: ["i32", "usize", "i32"], result: "i32" },
  // int getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen)
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  // int getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen)
  getpeername: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  // int shutdown(int fd, int how)
  shutdown: { parameters: ["i32", "i32"], result: "i32" },
  // int poll(struct pollfd *fds, nfds_t nfds, int timeout): only ever with timeout 0
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32" },
  // int getsockopt(int fd, int level, int name, void *value, socklen_t *len)
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  // int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  // int *__errno_location(void): where this thread's errno lies (glibc)
  __errno_location: { parameters: [], result: "usize" },
  // memmove(dest, src, 0) returns dest: the address of a buffer's bytes.
  address_of: { name: "memmove", parameters: ["buffer", "buffer", "usize"], result: "usize" },
  // memmove(dest, address, n): reads n bytes at an address (errno's).
  read_at: { name: "memmove", parameters: ["buffer", "usize", "usize"], result: "usize" },
} as const;

/** The libc functions the batched send and receive paths call. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let loaded: Libc | null | undefined;

/** libc from {@linkcode LIBC_PATHS}, loaded once, or null. */
export function libc(): Libc | null {
  if (loaded === undefined) loaded = loadLibc(LIBC_PATHS);
  return loaded;
}

/**
 * libc from the first of `paths` that loads, or null: on an OS other than Linux (the structure
 * layouts the batch path writes are Linux's, 64-bit), or when FFI is not granted for the path
 * (asked without a prompt: a prompt would stop the event loop), or when none loads.
 */
export function loadLibc(paths: readonly string[]): Libc | null {
  if (Deno.build.os !== "linux" || !["x86_64", "aarch64"].includes(Deno.build.arch)) return null;
  for (const path of paths) {
    if (Deno.permissions.querySync({ name: "ffi", path }).state !== "granted") continue;
    try {
      return Deno.dlopen(path, SYMBOLS).symbols;
    } catch {
      continue; // Missing here: the next, or Deno's send.
    }
  }
  return null;
}
