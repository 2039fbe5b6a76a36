#!/usr/bin/env bash
# Builds the browser UI into OUT_DIR with the machine's node/npm (no plugin downloads node).
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cp -r "$here"/static/. "$out"/ 2>/dev/null || true
