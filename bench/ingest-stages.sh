#!/usr/bin/env bash
# CPU per stored event by stage (Arrow fill, spool, DuckDB insert, commit) for batch and commit
# sizes: one commit per 15 Ki-row batch, per 64 Ki-row batch, and per DuckDB row group (8 batches).
#   bench/ingest-stages.sh [events]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q -B -pl bench -am package -DskipTests
cp="$(cat bench/target/classpath.txt):bench/target/classes"
flags=(--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED -XX:+UseSerialGC
  -Xmx1g -Darrow.enable_unsafe_memory_access=true)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F), load $(cut -d' ' -f1 /proc/loadavg)"
n=${1:-500000}
for sizes in "15360 15360" "65536 65536" "15360 122880"; do
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" "${flags[@]}" -cp "$cp" dev.tracefix.bench.store.IngestStagesBench "$n" $sizes |
    grep 'round 2'
done
