#!/bin/sh
# The protocol cores are sans-IO: no sockets, timers, clock, file system or
# ambient randomness. Only drivers (lib/net, lib/cli, lib/tui/terminal.ts) may touch them.
# lib/transfer is a driver folder; its policy cores (grants, admission, resume, verdicts, the
# rate meter) are held to the same rule by name.
set -eu
cd "$(dirname "$0")/.."
pattern='Deno\.(listen|listenDatagram|connect|open|readFile|writeFile|readDir|stat|lstat|remove|rename|stdin|stdout)|setTimeout|setInterval|Date\.now|performance\.now|Math\.random|crypto\.getRandomValues'
transfer_cores='grant_ledger grant_check request_admission resume_decision download_verdict upload_verdict rate_meter hex'
# Every file below the core folders, however deep (lib/rudp has one folder per part).
cores=$(find lib/chat lib/core lib/irc lib/rudp lib/text lib/netsim -name '*.ts' | sort)
for core in $transfer_cores; do
  [ -f "lib/transfer/$core.ts" ] || { echo "sans-IO check: lib/transfer/$core.ts is gone" >&2; exit 1; }
  cores="$cores lib/transfer/$core.ts"
done
# shellcheck disable=SC2086 # the list is meant to split into file names
if grep -En "$pattern" $cores 2>/dev/null; then
  echo "sans-IO violation: the protocol and policy cores must not do I/O" >&2
  exit 1
fi
