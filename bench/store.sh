#!/usr/bin/env bash
# Event store benchmarks: ingest pipeline vs raw DuckDB Arrow insert, then the saved queries.
#   bench/store.sh [events-for-ingest] [rows-for-queries]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q -B -pl bench -am package -DskipTests
cp="$(cat bench/target/classpath.txt):bench/target/classes"
flags=(--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED)
work=${TRACEFIX_BENCH_DIR:-/tmp/tracefix-bench}
rm -rf "$work"; mkdir -p "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F)"
"$JAVA_HOME/bin/java" "${flags[@]}" -Xmx2g -cp "$cp" dev.tracefix.bench.store.StoreIngestBench \
  "${1:-3000000}" "$work"
"$JAVA_HOME/bin/java" "${flags[@]}" -Xmx2g -cp "$cp" dev.tracefix.bench.store.StoreQueryBench \
  "${2:-100000000}" queries "$work"
rm -rf "$work"
