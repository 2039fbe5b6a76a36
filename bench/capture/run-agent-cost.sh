#!/usr/bin/env bash
# CPU and memory of the capture agent at a fixed event rate, through the real CLI path
# (`tracefix capture`: BPF ring -> redaction -> Arrow -> spool -> DuckDB), next to the plain C
# libbpf consumer (drain.c, live mode) at the same record rate, in one run.
# The producer (producer.c) is paced: under --probes full each write() on its socket is one
# socket_write record (raw_syscalls leaves socket writes to the socket group: no second, syscall
# record), so both runs pace RATE calls/s; both report the records they actually saw.
# Every second the agent JVM's /proc/PID/stat (utime+stime), VmRSS and VmHWM are sampled and its
# /metrics scraped (heap, Arrow bytes buffered, DuckDB's buffer manager); at the peak of VmRSS its
# smaps_rollup (anonymous vs file-backed) is kept, and at the end each thread's CPU is printed (the
# capture thread, spool and ingest threads, GC, JIT). With -XX:NativeMemoryTracking=summary in
# AGENT_JAVA_OPTS, jcmd's native memory summary is taken 60 % into the run.
# Run as root from the project root after
# `mvn -o -q -B -pl capture,arrow-sink,workbench-server -am compile`.
#   bench/capture/run-agent-cost.sh [RATE_EVENTS_PER_S] [SECONDS]
set -euo pipefail
rate=${1:-100000}
seconds=${2:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
obj=$root/capture/target/classes/bpf/net_trace.bpf.o
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -s "$obj" ] || { echo "missing $obj: run mvn -o -q -B -pl capture,arrow-sink,workbench-server -am compile" >&2; exit 1; }
out=$root/bench/target/capture
mkdir -p "$out"
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
bpftool gen skeleton "$obj" name net_trace_bpf > "$out/net_trace.skel.h"
gcc -O2 -Wall -I"$root/bpf" -I"$out" -o "$out/drain" "$root/bench/capture/drain.c" -lbpf
gcc -O2 -Wall -o "$out/producer" "$root/bench/capture/producer.c"
# Through the reactor (-am ... compile): the project's own modules resolve to their target/classes,
# none of them needs to be installed; runtime scope leaves test jars out.
(cd "$root" && JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} mvn -o -q -B \
  -pl workbench-server -am compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$out/cli.classpath" >/dev/null)
cp="$root/workbench-server/target/classes:$root/capture/target/classes"
cp="$cp:$root/arrow-sink/target/classes:$(cat "$out/cli.classpath")"
hz=$(getconf CLK_TCK)

echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%F)"
# The JVM flags the launcher gives a capture (./tracefix: capture_flags, keep the two the same);
# CAPTURE_JVM_FLAGS replaces them (e.g. "-Xmx256m" for the flags before they were tuned).
default_flags="-XX:+UseSerialGC -Xms16m -Xmx${TRACEFIX_CAPTURE_HEAP:-128m} -Darrow.enable_unsafe_memory_access=true"
capture_jvm_flags=${CAPTURE_JVM_FLAGS:-$default_flags}
echo "# target $rate records/s for ${seconds}s, agent JVM flags: $capture_jvm_flags, JVM options: ${AGENT_JAVA_OPTS:-none}, capture options: ${CAPTURE_OPTS:-none}, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ticks of utime+stime of PID (fields 14, 15; counted after comm's closing parenthesis)
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# --- tracefix capture (the JVM agent) ---
calls=$rate
# The .err file of a previous run would satisfy the wait for "probes attached" below.
rm -rf "$out/agent-cost.duckdb" "$out/agent-cost.duckdb.wal" "$out/agent-keys" "$out/agent-cost.err"
# AGENT_JAVA_OPTS: extra JVM options for the agent, e.g. "-XX:+UseSerialGC"; CAPTURE_OPTS: extra
# options of `tracefix capture`, e.g. "--store-memory-mb 128 --store-threads 1".
# shellcheck disable=SC2086
"$java" --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED -Xlog:disable \
  $capture_jvm_flags ${AGENT_JAVA_OPTS:-} \
  -cp "$cp" dev.tracefix.server.cli.Main capture --db "$out/agent-cost.duckdb" \
  --keys "$out/agent-keys" --duration $((seconds + 30))s --metrics 127.0.0.1:0 --probes full \
  ${CAPTURE_OPTS:-} \
  -- "$out/producer" $((calls * seconds)) "$calls" >"$out/agent-cost.out" 2>"$out/agent-cost.err" &
jvm=$!
until grep -qs 'probes attached' "$out/agent-cost.err"; do
  kill -0 $jvm 2>/dev/null || { cat "$out/agent-cost.err" >&2; exit 1; }
  sleep 0.1
done
url=$(grep -o 'http://[^ ]*/metrics' "$out/agent-cost.err")
t0=$(date +%s.%N); c0=$(ticks $jvm)
: > "$out/agent-cost.samples"
: > "$out/agent-cost.threads"
: > "$out/agent-cost.nmt"
peak_rss=0; n=0
while kill -0 $jvm 2>/dev/null && [ -e /proc/$jvm/stat ]; do
  t=$(date +%s.%N); c=$(ticks $jvm 2>/dev/null) || break
  rss=$(kb $jvm VmRSS) || break; hwm=$(kb $jvm VmHWM) || break
  m=$(curl -s --max-time 1 "$url" | awk '$1 == "tracefix_agent_heap_used_bytes" {h = $2}
    $1 == "tracefix_agent_buffered_bytes" {a = $2} $1 == "tracefix_store_memory_bytes" {d = $2}
    END {print (h ? h : 0), (a ? a : 0), (d ? d : 0)}' || true)
  echo "$t $c $rss $hwm ${m:-0 0 0}" >> "$out/agent-cost.samples"
  if [ "${rss:-0}" -gt "$peak_rss" ]; then
    peak_rss=$rss
    grep -E '^(Rss|Anonymous|Pss_File|Pss_Shmem):' /proc/$jvm/smaps_rollup > "$out/agent-cost.smaps" 2>/dev/null || true
  fi
  # Per-thread CPU ticks so far, by thread id (each thread's last reading is printed below).
  for task in /proc/$jvm/task/*; do
    echo "$n ${task##*/} $(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}') $(cat "$task/comm" 2>/dev/null)"
  done >> "$out/agent-cost.threads" 2>/dev/null || true
  n=$((n + 1))
  if [ ! -s "$out/agent-cost.nmt" ] && [[ "${AGENT_JAVA_OPTS:-}" == *NativeMemoryTracking* ]] &&
    awk -v t="$t" -v t0="$t0" -v s="$seconds" 'BEGIN {exit !(t - t0 >= 0.6 * s)}'; then
    jcmd $jvm VM.native_memory summary > "$out/agent-cost.nmt" 2>&1 || true
  fi
  sleep 1
done
wait $jvm
# CPU over the sampled window (probes attached .. last sample while the producer ran).
awk -v t0="$t0" -v c0="$c0" -v hz="$hz" '
  {t = $1; c = $2; if ($3 > rss) rss = $3; if ($4 > hwm) hwm = $4; if ($5 > heap) heap = $5
   if ($6 > arrow) arrow = $6; if ($7 > duck) duck = $7; n++}
  END {printf "tracefix capture: cpu %.1f%% of one core over %.1fs (%d samples), peak VmRSS %.0f MiB, VmHWM %.0f MiB, peak heap used %.0f MiB, peak Arrow buffered %.0f MiB, peak DuckDB memory %.0f MiB\n",
         100 * (c - c0) / hz / (t - t0), t - t0, n, rss / 1024, hwm / 1024, heap / 1048576, arrow / 1048576, duck / 1048576}' \
  "$out/agent-cost.samples"
echo "tracefix capture: at peak VmRSS (kB): $(tr -s ' \n' ' ' < "$out/agent-cost.smaps")"
# Steady state: from the first sample WARMUP seconds after attach (default 5: the JIT compiles
# the pipeline in the first seconds) to the last one, for the process and per thread.
warm=${WARMUP:-5}
k=$(awk -v t0="$t0" -v w="$warm" '$1 - t0 >= w {print NR - 1; exit}' "$out/agent-cost.samples")
awk -v t0="$t0" -v w="$warm" -v hz="$hz" '$1 - t0 >= w && !seen {t1 = $1; c1 = $2; seen = 1} {t = $1; c = $2}
  END {if (seen && t > t1) printf "tracefix capture: steady state (from %ds after attach): cpu %.1f%% of one core over %.1fs\n", w, 100 * (c - c1) / hz / (t - t1), t - t1}' \
  "$out/agent-cost.samples"
# Threads by name (digits dropped: GC Thread#0 and #1 together): CPU seconds since the JVM started,
# and in the steady state.
awk -v hz="$hz" -v k="${k:-0}" 'NF >= 4 {name = $4; for (i = 5; i <= NF; i++) name = name " " $i; gsub(/[#0-9]+$/, "", name)
  if ($3 >= ticks[$2]) {ticks[$2] = $3; names[$2] = name}; if ($1 == k) base[$2] = $3}
  END {for (t in ticks) {cpu[names[t]] += ticks[t]; steady[names[t]] += ticks[t] - base[t]}
       for (k2 in cpu) if (cpu[k2] > 0) printf "%.2f %.2f %s\n", cpu[k2] / hz, steady[k2] / hz, k2}' \
  "$out/agent-cost.threads" | sort -rn | head -12 | awk '{printf "  thread cpu %ss (steady state %ss): ", $1, $2; $1 = ""; $2 = ""; print substr($0, 3)}'
[ -s "$out/agent-cost.nmt" ] && grep -E '^(Total|-  *[A-Z])' "$out/agent-cost.nmt" | grep -v 'reserved=0KB' | sed 's/^/  nmt /' || true
grep -E '^capture |^  ' "$out/agent-cost.out"
awk -v s="$seconds" '/^  [a-z_]+: produced/ {gsub(",", ""); p += $3; st += $5; d += $7}
  END {printf "tracefix capture: %d records stored, %d dropped, %.0f records/s\n", st, d, p / s}' \
  "$out/agent-cost.out"

# --- C libbpf consumer, live mode, same record rate ---
"$out/drain" live $((16 * 1024 * 1024)) 1 "$out/producer" $((rate * seconds)) "$rate" \
  > "$out/c-cost.out" &
drain=$!
sleep 0.5
c0=$(ticks $drain); t0=$(date +%s.%N); hwm=0
while kill -0 $drain 2>/dev/null && [ -e /proc/$drain/stat ]; do
  c=$(ticks $drain 2>/dev/null) || break; t=$(date +%s.%N)
  h=$(kb $drain VmHWM 2>/dev/null) || break; hwm=$h
  sleep 1
done
wait $drain
cat "$out/c-cost.out"
awk -v c0="$c0" -v c="$c" -v t0="$t0" -v t="$t" -v hz="$hz" -v hwm="$hwm" 'BEGIN {
  printf "C drain: cpu %.1f%% of one core over %.1fs, VmHWM %.0f MiB\n", 100 * (c - c0) / hz / (t - t0), t - t0, hwm / 1024}'
