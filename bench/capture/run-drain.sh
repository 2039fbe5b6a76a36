#!/usr/bin/env bash
# Drain rate of tracefix's Java ring-buffer consumer vs a plain C libbpf consumer, in one run:
# same net_trace.bpf.o (built by the capture module), same producer, same ring size, same rounds.
# Run as root from the project root after `mvn -o -q -B -pl capture,bench compile`.
#   bench/capture/run-drain.sh [RECORDS_PER_ROUND] [DRAIN_ROUNDS] [LIVE_ROUNDS]
set -euo pipefail
n=${1:-1000000}
drain_rounds=${2:-15}
live_rounds=${3:-3}
ring=$((256 * 1024 * 1024))
root=$(cd "$(dirname "$0")/../.." && pwd)
obj=$root/capture/target/classes/bpf/net_trace.bpf.o
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -s "$obj" ] || { echo "missing $obj: run mvn -o -q -B -pl capture,bench compile" >&2; exit 1; }
out=$root/bench/target/capture
mkdir -p "$out"
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
bpftool gen skeleton "$obj" name net_trace_bpf > "$out/net_trace.skel.h"
gcc -O2 -Wall -I"$root/bpf" -I"$out" -o "$out/drain" "$root/bench/capture/drain.c" -lbpf
gcc -O2 -Wall -o "$out/producer" "$root/bench/capture/producer.c"
cp="$root/capture/target/classes:$root/bench/target/classes"

echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F)"
echo "# $n records per round; drain $drain_rounds rounds, live $live_rounds; ring $ring bytes"
for mode in drain live; do
  rounds=$drain_rounds
  [ "$mode" = live ] && rounds=$live_rounds
  "$out/drain" "$mode" "$ring" "$rounds" "$out/producer" "$n" | tee "$out/c-$mode.txt"
  "$java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.tracefix.bench.capture.DrainBench \
    "$obj" "$mode" "$ring" "$rounds" "$out/producer" "$n" 2>/dev/null | tee "$out/java-$mode.txt"
done

# Median records/s over the second half of the rounds: steady state, after the JIT has compiled
# the Java decoder and both consumers' memory is faulted in.
median() {
  local all; all=$(grep -c 'records_per_s=' "$1")
  grep -o 'records_per_s=[0-9]*' "$1" | tail -n $(((all + 1) / 2)) | cut -d= -f2 | sort -n |
    awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'
}
# Best round: on a shared machine, the round least disturbed by other work.
best() { grep -o 'records_per_s=[0-9]*' "$1" | cut -d= -f2 | sort -n | tail -1; }
for mode in drain live; do
  c=$(median "$out/c-$mode.txt")
  j=$(median "$out/java-$mode.txt")
  awk -v m="$mode" -v c="$c" -v j="$j" \
    'BEGIN {printf "%s median: C %.0f records/s, Java %.0f records/s, Java/C %.2fx\n", m, c, j, j / c}'
  c=$(best "$out/c-$mode.txt")
  j=$(best "$out/java-$mode.txt")
  awk -v m="$mode" -v c="$c" -v j="$j" \
    'BEGIN {printf "%s best:   C %.0f records/s, Java %.0f records/s, Java/C %.2fx\n", m, c, j, j / c}'
done
