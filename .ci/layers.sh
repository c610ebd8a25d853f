#!/bin/sh
# Imports go down the layers, never up:
#   cores   lib/chat, lib/core, lib/irc, lib/rudp, lib/text, lib/tui, lib/netsim  (protocols,
#           policies, rendering, and the data structures they share)
#   drivers lib/net, lib/files, lib/store, lib/transfer         (sockets, files, timers, SQLite)
#   app     lib/cli
# A core may not import a driver or the app, a driver may not import the app, lib/transfer may
# not import the terminal UI, and nothing in lib imports the benchmarks or the tools.
# Every relative import is resolved, so files in nested folders are held to the same rules.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)

# Prints the layers `$1` (a folder under lib) may not import, separated by spaces.
forbidden() {
  case "$1" in
    chat | core | irc | rudp | text | tui | netsim) echo "lib/net lib/files lib/store lib/transfer lib/cli bench tools" ;;
    transfer) echo "lib/cli lib/tui bench tools" ;;
    net | files | store) echo "lib/cli bench tools" ;;
    *) echo "bench tools" ;;
  esac
}

status=0
for file in $(find lib -name '*.ts' | sort); do
  part=$(echo "$file" | cut -d/ -f2)
  banned=$(forbidden "$part")
  dir=$(dirname "$file")
  specs=$(grep -oE '(from|import)[[:space:]]*\(?[[:space:]]*"\.[^"]*"' "$file" |
    sed -E 's/.*"([^"]*)"/\1/' || true)
  for spec in $specs; do
    target=$(realpath -m --relative-to="$root" "$dir/$spec")
    for layer in $banned; do
      case "$target" in
        "$layer"/*)
          echo "$file imports $spec: $part may not import from $layer" >&2
          status=1
          ;;
      esac
    done
  done
done
if [ "$status" -ne 0 ]; then
  echo "layer violation: see .ci/layers.sh for which folder may import which" >&2
fi
exit "$status"
