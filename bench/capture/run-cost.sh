#!/usr/bin/env bash
# What each capture mode costs a traced workload, beside what its hooks cost at the least and what
# bpftrace costs doing the same job, in one run (issue 20's table). Workloads: echo.c (nothing but
# syscalls), reqresp.c (a file read and ~20-50 us of CPU per request), compute.c (~50 us of CPU
# per request, one read and one write per side). Modes, alternating within each round:
#   off, off2         no tracing (twice: off against off2 is the noise floor)
#   default, full     tracefix capture in default mode / --probes full (OverheadBench)
#   duty              default mode with every call streamed 100 ms in every 2 s (1 in 20)
#   stats socket syscalls tcp process   tracefix with one probe group alone
#   floor-MODE        count-only programs (bench/capture/floor) on exactly the tracepoints MODE
#                     attached (its probe list from this run), no agent
#   bpftrace-default, bpftrace-full     bpftrace on the same hooks: in-kernel log2 histograms per
#                     (process, syscall, errno), failures and TCP/process events printed
# The workload runs on CPU 1, the capture JVM, floor loader or bpftrace on CPU 0. Medians of ROUNDS.
# Run as root from the project root after `mvn -o -q -B -pl capture,bench -am compile`.
#   bench/capture/run-cost.sh [SECONDS_PER_RUN] [CONNS] [ROUNDS] [WORKLOADS] [MODES]
set -euo pipefail
seconds=${1:-3}
conns=${2:-4}
rounds=${3:-5}
workloads=${4:-"echo reqresp compute"}
modes=${5:-"off off2 default floor-default bpftrace-default duty full floor-full bpftrace-full stats floor-stats socket floor-socket syscalls floor-syscalls tcp floor-tcp process floor-process"}
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
out=$root/bench/target/cost
mkdir -p "$out"
# The bench's own needs (not the tests'): bpftrace for the comparison, libbpf-dev for the floor.
for need in bpftrace:bpftrace /usr/include/bpf/libbpf.h:libbpf-dev clang:clang bpftool:bpftool; do
  thing=${need%%:*}
  if [[ $thing == /* ]]; then [ -e "$thing" ] && continue; else command -v "$thing" >/dev/null && continue; fi
  echo "# installing ${need#*:} (bench need)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need#*:}" >/dev/null
done
for w in echo reqresp compute; do gcc -O2 -Wall -pthread -o "$out/$w" "$root/bench/capture/$w.c"; done
head -c 4096 /dev/urandom > "$out/page"
[ -s "$out/vmlinux.h" ] || bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$out/vmlinux.h"
clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I"$out" \
  -c "$root/bench/capture/floor/floor.bpf.c" -o "$out/floor.bpf.o"
gcc -O2 -Wall -o "$out/floor" "$root/bench/capture/floor/floor.c" -lbpf
# compile: the reactor then resolves tracefix's own modules to this tree, not to ~/.m2
(cd "$root" && mvn -o -q -B -pl bench -am compile dependency:build-classpath \
  -Dmdep.outputFile="$out/deps.txt" >/dev/null)
deps=$(tr ':' '\n' < "$out/deps.txt" | grep -v '/dev/tracefix/' | paste -sd:)
cp="$root/capture/target/classes:$root/bench/target/classes:$deps"
taskset=$(command -v taskset)

bench() { # MODE WORKLOAD
  local mode=$1 w=$2
  local argv=("$out/$w" "$seconds" "$conns")
  [ "$w" = reqresp ] && argv+=("$out/page")
  local pinned=("$taskset" -c 1 "${argv[@]}")
  case $mode in
    off | off2) "${pinned[@]}" ;;
    floor-*)
      "$taskset" -c 0 "$out/floor" "$out/floor.bpf.o" "$out/probes-${mode#floor-}-$w.txt" "${pinned[@]}" ;;
    bpftrace-*)
      "$taskset" -c 0 bpftrace -o "$out/bpftrace-${mode#bpftrace-}-$w.out" -c "${pinned[*]}" \
        "$root/bench/capture/bpftrace/${mode#bpftrace-}.bt" "$w" 2>/dev/null ;;
    *)
      "$taskset" -c 0 "$java" --enable-native-access=ALL-UNNAMED \
        -Dtracefix.bench.probes="$out/probes-$mode-$w.txt" -cp "$cp" \
        dev.tracefix.bench.capture.OverheadBench "$mode" "${pinned[@]}" 2>/dev/null ;;
  esac
}

echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u '+%F %H:%M UTC')," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $rounds rounds of [$modes] on [$workloads], ${seconds}s each, $conns connections, pinned"
for w in $workloads; do for m in $modes; do : > "$out/cost-$w-$m.txt"; done; done
for r in $(seq "$rounds"); do
  for w in $workloads; do
    for m in $modes; do
      bench "$m" "$w" | sed "s/^/$w $m round=$r /" | tee -a "$out/cost-$w-$m.txt"
    done
  done
done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { grep -o 'requests_per_s=[0-9]*' "$1" | cut -d= -f2 | sort -n |
  awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
for w in $workloads; do
  off=$(median "$out/cost-$w-off.txt")
  for m in $modes; do
    [ "$m" = off ] && continue
    on=$(median "$out/cost-$w-$m.txt")
    awk -v w="$w" -v m="$m" -v off="$off" -v on="$on" 'BEGIN {
      printf "%s %s: requests/s median off %.0f, %s %.0f, loss %.1f%%\n", w, m, off, m, on, 100 * (off - on) / off }'
  done
done
