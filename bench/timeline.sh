#!/usr/bin/env bash
# Timeline frame time with a million events in view, in headless Chromium against the workbench.
#   bench/timeline.sh [events]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q -B -pl bench -am package -DskipTests
cp="$(cat bench/target/classpath.txt):bench/target/classes"
flags=(--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow)
work=${TRACEFIX_BENCH_DIR:-/tmp/tracefix-bench-timeline}
rm -rf "$work"; mkdir -p "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" "${flags[@]}" -Xmx1g -cp "$cp" dev.tracefix.bench.views.TimelineBench \
  "${1:-1000000}" "$work" web
rm -rf "$work"
