#!/usr/bin/env bash
# JVM flight-recorder import: events/s of `tracefix import --jfr`'s path (read, redact, store)
# over a large recording, against `jfr print --json` reading the same file.
#   bench/jfr.sh [seconds-of-load]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q -B -pl bench -am package -DskipTests
cp="$(cat bench/target/classpath.txt):bench/target/classes"
flags=(--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED)
work=${TRACEFIX_BENCH_DIR:-/tmp/tracefix-bench-jfr}
rm -rf "$work"; mkdir -p "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F)"
settings="settings=profile,jdk.JavaExceptionThrow#enabled=true,jdk.SocketRead#threshold=0ms"
settings+=",jdk.SocketWrite#threshold=0ms,jdk.FileWrite#threshold=0ms,jdk.ThreadPark#threshold=0ms"
"$JAVA_HOME/bin/java" "-XX:StartFlightRecording=filename=$work/load.jfr,$settings" \
  bench/jfr/JfrLoad.java "${1:-10}" "$work" > /dev/null
echo "recording: $(du -m "$work/load.jfr" | cut -f1) MiB"
"$JAVA_HOME/bin/java" "${flags[@]}" -Xmx2g -cp "$cp" dev.tracefix.bench.jvm.JfrImportBench \
  "$work/load.jfr" "$work"
TIMEFORMAT='%R %U %S'
for round in 1 2; do
  times=$( { time "$JAVA_HOME/bin/jfr" print --json "$work/load.jfr" > /dev/null; } 2>&1 )
  read -r wall user sys <<< "$times"
  echo "jfr print --json round $round: $wall s wall, $(awk -v u="$user" -v s="$sys" 'BEGIN{print u + s}') s CPU"
done
rm -rf "$work"
