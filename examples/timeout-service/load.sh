#!/usr/bin/env bash
# Runs the sample under load for the live demo: inventory in one JVM, checkout's soak-test
# driver in another, a mix of ordinary and bulk carts at a steady rate. On the HEAD commit of a
# repository made by build-history.sh the 50 ms client timeout gives up on bulk carts, and
# inventory's late replies then go to connections checkout has already closed.
# Usage: load.sh DURATION_SECONDS [REPO_DIR] [REQUESTS_PER_SECOND]
#   REPO_DIR defaults to demo-work/timeout-service under the project root; if that does not
#   exist, a fresh repository is built in a temporary folder.
set -euo pipefail
seconds="${1:?usage: load.sh DURATION_SECONDS [REPO_DIR] [REQUESTS_PER_SECOND]}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="${2:-$here/../../demo-work/timeout-service}"
rate="${3:-20}"
scratch=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
if [ ! -d "$repo/.git" ]; then
  repo="$scratch/timeout-service"
  "$here/build-history.sh" "$repo" >/dev/null
fi
classes="$("$repo/build.sh")"
java="$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java")"
# Each service runs under its own launcher name, as in production, so a capture tells them
# apart by process name (comm) instead of seeing two processes called "java".
ln -s "$java" "$scratch/inventory"
ln -s "$java" "$scratch/checkout"
"$scratch/inventory" -cp "$classes" inventory.InventoryServer 0 "$scratch/port" &
server_pid=$!
for _ in $(seq 100); do [ -s "$scratch/port" ] && break; sleep 0.05; done
port=$(cat "$scratch/port")
"$scratch/checkout" -cp "$classes" checkout.LoadDriver "$port" "$seconds" "$rate"
