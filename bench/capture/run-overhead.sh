#!/usr/bin/env bash
# Overhead of capture on two traced workloads, in one run: requests/s of echo.c (loopback TCP
# echo, 64 bytes: nothing but syscalls, the worst case) and reqresp.c (loopback request/response,
# per request a 4 KiB file read and ~20-50 us of CPU), each with capture off and on in every mode
# of OverheadBench (all probes; no raw_syscalls; one probe group alone; syscall sampling 1/10 and
# 1/100); full pipeline with redaction and a counting sink. Modes alternate within each round,
# ROUNDS times. With BASE_CLASSES=CLASSPATH (capture + bench classes compiled from another commit)
# the modes base-on and base-on-net run that build too, for a before/after in the same run (that
# build's OverheadBench must accept MODE WORKLOAD ARGS...; the one before reqresp.c takes echo's).
# Run as root from the project root after `mvn -o -q -B -pl capture,bench -am compile`.
#   [PIN=1] bench/capture/run-overhead.sh [SECONDS_PER_RUN] [CONNS] [ROUNDS] [WORKLOADS] [MODES]
# PIN=1 runs the workload on CPU 1 and the capture JVM on CPU 0.
set -euo pipefail
seconds=${1:-5}
conns=${2:-4}
rounds=${3:-5}
workloads=${4:-"echo reqresp"}
modes=${5:-"off on on-net socket syscalls tcp process sample10 sample100"}
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
out=$root/bench/target/capture
mkdir -p "$out"
gcc -O2 -Wall -pthread -o "$out/echo" "$root/bench/capture/echo.c"
gcc -O2 -Wall -pthread -o "$out/reqresp" "$root/bench/capture/reqresp.c"
head -c 4096 /dev/urandom > "$out/page"
if [ -n "${BASE_CLASSES:-}" ]; then modes="$modes base-on base-on-net"; fi
# Third-party jars capture needs (e.g. snakeyaml for the privacy policy), from ~/.m2; tracefix's
# own modules come from this tree's target/classes, never from installed snapshots.
(cd "$root" && mvn -o -q -B -pl bench dependency:build-classpath -Dmdep.outputFile="$out/deps.txt" >/dev/null)
deps=$(tr ':' '\n' < "$out/deps.txt" | grep -v '/dev/tracefix/' | paste -sd:)
cp="$root/capture/target/classes:$root/bench/target/classes:$deps"
if [ -n "${BASE_CLASSES:-}" ]; then BASE_CLASSES="$BASE_CLASSES:$deps"; fi
bench() { # MODE WORKLOAD
  local mode=$1 classes=$cp
  case $mode in base-*) mode=${mode#base-}; classes=$BASE_CLASSES ;; esac
  case $1 in base-*) [ "$2" = reqresp ] && return ;; esac
  local argv=("$out/$2" "$seconds" "$conns")
  [ "$2" = reqresp ] && argv+=("$out/page")
  # PIN=1: the workload gets CPU 1 to itself, the capture JVM CPU 0 (the agent on its own core,
  # as on a many-core host), so a loss is what the probes cost the traced threads.
  local agent=()
  if [ "${PIN:-0}" = 1 ]; then argv=(taskset -c 1 "${argv[@]}"); agent=(taskset -c 0); fi
  if [ "$mode" = off ]; then "${argv[@]}"; return; fi
  "${agent[@]}" "$java" --enable-native-access=ALL-UNNAMED -cp "$classes" \
    dev.tracefix.bench.capture.OverheadBench "$mode" "${argv[@]}" 2>/dev/null
}

echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $rounds rounds of [$modes] on [$workloads], ${seconds}s each, $conns connections," \
  "pinned: ${PIN:-0}"
for w in $workloads; do for m in $modes; do : > "$out/overhead-$w-$m.txt"; done; done
for r in $(seq "$rounds"); do
  for w in $workloads; do
    for m in $modes; do
      bench "$m" "$w" | sed "s/^/$w $m round=$r /" | tee -a "$out/overhead-$w-$m.txt"
    done
  done
done
median() { grep -o 'requests_per_s=[0-9]*' "$1" | cut -d= -f2 | sort -n |
  awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
for w in $workloads; do
  off=$(median "$out/overhead-$w-off.txt")
  for m in $modes; do
    [ "$m" = off ] && continue
    on=$(median "$out/overhead-$w-$m.txt")
    awk -v w="$w" -v m="$m" -v off="$off" -v on="$on" 'BEGIN {
      printf "%s requests/s median: off %.0f, %s %.0f, loss %.1f%%\n", w, off, m, on, 100 * (off - on) / off }'
  done
done
