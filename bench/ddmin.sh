#!/usr/bin/env bash
# ddmin: oracle runs vs the n^2+3n bound (n = 100, 1000, 10000; 1, 2, 8 failure-inducing
# elements), and wall time with 1 and 2 workers on a sleeping oracle.
#   bench/ddmin.sh [sleep-ms] [n-for-wall-time] [rounds] [placements]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q -B -pl bench -am package -DskipTests
cp="$(cat bench/target/classpath.txt):bench/target/classes"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -Xmx3g -cp "$cp" dev.tracefix.bench.fixloop.DdminBench "${1:-20}" "${2:-1000}" "${3:-3}" "${4:-5}"
