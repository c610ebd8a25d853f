#!/bin/sh
# The protocol cores are sans-IO: no sockets, timers, clock, file system or
# ambient randomness. Only drivers (lib/net, lib/cli, lib/tui/terminal.ts) may touch them.
set -eu
cd "$(dirname "$0")/.."
pattern='Deno\.(listen|listenDatagram|connect|open|readFile|writeFile|readDir|stat|lstat|remove|rename|stdin|stdout)|setTimeout|setInterval|Date\.now|performance\.now|Math\.random|crypto\.getRandomValues'
if grep -En "$pattern" lib/chat/*.ts lib/core/*.ts lib/rudp/*.ts lib/text/*.ts 2>/dev/null; then
  echo "sans-IO violation: the protocol cores (lib/chat, lib/core, lib/rudp) must not do I/O" >&2
  exit 1
fi
