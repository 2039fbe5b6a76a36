#!/usr/bin/env bash
# Builds the browser UI into OUT_DIR with the machine's node/npm: installs the locked packages
# (npm ci), generates the API types from the OpenAPI document, type-checks with tsc (no output), and bundles with esbuild (build.mjs) into a few
# content-hashed files plus index.html. Everything the page loads is in OUT_DIR; nothing is
# fetched at run time.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

command -v npm >/dev/null || { echo "build.sh: npm not found; install Node.js 20 and npm" >&2; exit 1; }

# npm ci is skipped when node_modules already matches the lock file (it rewrites
# node_modules/.package-lock.json on every install, so that file is newer than the lock).
if [[ ! -x node_modules/.bin/esbuild || ! -x node_modules/.bin/tsc \
      || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The client's wire types and routes come from the server's committed OpenAPI document; the type
# check below fails when the client and the document disagree.
node scripts/gen-api-types.mjs ../workbench-server/src/main/resources/openapi.json src/generated/api.ts
node_modules/.bin/tsc -p . --noEmit
node build.mjs "$out"
