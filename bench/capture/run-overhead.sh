#!/usr/bin/env bash
# Overhead of capture on a traced workload, in one run: requests/s of a loopback TCP echo server
# and client (bench/capture/echo.c) with capture off, on (every probe incl. raw_syscalls with the
# default set) and on-net (raw_syscalls not attached); full pipeline with redaction and a counting
# sink; the three alternate, ROUNDS times. Run as root from the project root after
# `mvn -o -q -B -pl capture,bench compile`.
#   bench/capture/run-overhead.sh [SECONDS_PER_RUN] [CONNS] [ROUNDS]
set -euo pipefail
seconds=${1:-5}
conns=${2:-4}
rounds=${3:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
out=$root/bench/target/capture
mkdir -p "$out"
gcc -O2 -Wall -pthread -o "$out/echo" "$root/bench/capture/echo.c"
cp="$root/capture/target/classes:$root/bench/target/classes"
bench() {
  "$java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.tracefix.bench.capture.OverheadBench \
    "$1" "$out/echo" "$seconds" "$conns" 2>/dev/null
}

echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F)"
echo "# $rounds rounds of off/on/on-net, ${seconds}s each, $conns connections"
modes="off on on-net"
for m in $modes; do : > "$out/overhead-$m.txt"; done
for r in $(seq "$rounds"); do
  for m in $modes; do
    bench "$m" | sed "s/^/$m round=$r /" | tee -a "$out/overhead-$m.txt"
  done
done
median() { grep -o 'requests_per_s=[0-9]*' "$1" | cut -d= -f2 | sort -n |
  awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
off=$(median "$out/overhead-off.txt")
for m in on on-net; do
  on=$(median "$out/overhead-$m.txt")
  awk -v m="$m" -v off="$off" -v on="$on" 'BEGIN {
    printf "echo requests/s median: off %.0f, %s %.0f, loss %.1f%%\n", off, m, on, 100 * (off - on) / off }'
done
