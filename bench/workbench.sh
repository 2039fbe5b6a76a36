#!/usr/bin/env bash
# Many people on one workbench: cell runs from concurrent clients against one server over loopback.
#   bench/workbench.sh [sessions] [runs] [clients]   (defaults 20 1000 50)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q -B -pl bench -am package -DskipTests
cp="$(cat bench/target/classpath.txt):bench/target/classes"
flags=(--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow)
work=${TRACEFIX_BENCH_DIR:-/tmp/tracefix-bench-workbench}
rm -rf "$work"; mkdir -p "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F)"
"$JAVA_HOME/bin/java" "${flags[@]}" -Xmx1g -cp "$cp" dev.tracefix.bench.workbench.ConcurrencyBench \
  "${1:-20}" "${2:-1000}" "${3:-50}" "$work" examples/recorded-capture
rm -rf "$work"
