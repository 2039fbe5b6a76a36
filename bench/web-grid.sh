#!/usr/bin/env bash
# The browser workbench's result grid over a 10M-row result, in headless Chromium against a real
# server on loopback: finished query -> first page painted, scroll frame times, bundle size.
#   bench/web-grid.sh [rounds]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
mvn -o -q -B -pl workbench-server -am verify -Dtest=BrowserWorkbenchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtracefix.browser.script=web/browser-tests/grid.bench.mjs -Dtracefix.bench.rounds="${1:-5}"
echo
grep -E '^(finished query|run request|scroll|jump|bundle)' \
  workbench-server/target/surefire-reports/dev.tracefix.server.http.BrowserWorkbenchTest-output.txt
