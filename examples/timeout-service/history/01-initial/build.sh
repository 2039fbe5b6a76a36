#!/usr/bin/env bash
# Compiles src/ and prints the classes directory. Builds are cached by a hash of the sources
# and the compiler version, so replaying many inputs on one checkout compiles once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
sources=$(cd "$here" && find src -name '*.java' | LC_ALL=C sort)
key=$( (cd "$here" && "$javac" -version 2>&1 && cat $sources) | sha256sum | cut -c1-16)
cache="${TMPDIR:-/tmp}/timeout-service-classes/$key"
if [ ! -d "$cache" ]; then
  mkdir -p "$(dirname "$cache")"
  staging=$(mktemp -d "$cache.XXXXXX")
  (cd "$here" && "$javac" -nowarn -d "$staging" $sources) >&2 || { rm -rf "$staging"; exit 1; }
  mv -T "$staging" "$cache" 2>/dev/null || rm -rf "$staging" # another build won the race
fi
echo "$cache"
