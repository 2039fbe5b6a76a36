#!/usr/bin/env bash
# Soak: a kernel capture of a busy workload and 20 notebook sessions running cells, for a while.
#   bench/soak.sh [seconds]   (default 600; as root: capture needs the kernel)
# Prints the workbench's and the capture's resident memory and fds (sampled each second: range
# and trend over the second half) and whether the capture's counts are exact.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q -B -pl bench -am package -DskipTests
work=${TRACEFIX_BENCH_DIR:-/tmp/tracefix-bench-soak}
rm -rf "$work"; mkdir -p "$work/lib"
# The soak runs for minutes from a copy of the project's own jars and classes: a build meanwhile
# rewrites target/, and a JVM whose jar changed under it fails to load its next class.
cp=""
for entry in $(tr ':' '\n' < bench/target/classpath.txt) "$PWD/bench/target/classes"; do
  if [[ $entry != "$HOME/.m2/"* ]]; then
    copy="$work/lib/$(echo "${entry#"$PWD"/}" | tr '/' '_')"
    cp -r "$entry" "$copy"
    entry=$copy
  fi
  cp="$cp${cp:+:}$entry"
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -Xmx1g -cp "$cp" dev.tracefix.bench.soak.SoakBench \
  "${1:-600}" "$work" examples/recorded-capture
rm -rf "$work"
