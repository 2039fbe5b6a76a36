#!/usr/bin/env bash
# Builds the browser UI into OUT_DIR with the machine's node/npm: installs the locked
# TypeScript compiler (the only dependency), compiles src/ to ES modules, and copies the
# static files beside them. No bundler and nothing fetched at run time.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

command -v npm >/dev/null || { echo "build.sh: npm not found; install Node.js 20 and npm" >&2; exit 1; }

# npm ci is skipped when node_modules already matches the lock file (it rewrites
# node_modules/.package-lock.json on every install, so that file is newer than the lock).
if [[ -f package-lock.json ]]; then
  if [[ ! -x node_modules/.bin/tsc || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
else
  npm install --no-audit --no-fund --loglevel=error
fi

rm -rf dist
node_modules/.bin/tsc -p .

rm -rf "$out"
mkdir -p "$out/js"
cp -r static/. "$out"/
cp -r dist/js/. "$out/js"/
