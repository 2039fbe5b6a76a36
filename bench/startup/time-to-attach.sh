#!/usr/bin/env bash
# Time to attach: from launching `tracefix capture --duration 1s` to its "probes attached" line
# (the moment a workload starts being traced), the CPU time spent until then (robust on a busy
# machine, where wall time mostly measures the neighbours), and the time to exit. Root only.
# Alternates, per round:
#   base      BASE/tracefix (another checkout, e.g. `git archive <commit> | tar -x -C /tmp/base`
#             then `mvn -q -DskipTests package` there), if BASE is given
#   no-cache  this checkout's jar, launched like ./tracefix does but without the start-up cache
#   launcher  ./tracefix as users run it (with the AOT cache it builds once per build)
# Usage: bench/startup/time-to-attach.sh [ROUNDS] [BASE]; prints every run and the medians.
set -euo pipefail
rounds=${1:-7}
base=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
"$root/tracefix" --version >/dev/null # builds the jar and the start-up cache if needed

run() { # prints "attach_ms cpu_ms total_ms": wall and CPU time (the JVM's, and the launcher's
  # children's) to the "probes attached" line, and wall time to exit
  local d s pid attach="" cpu=""
  d=$(mktemp -d)
  s=$(date +%s%N)
  (cd "$d" && exec "$@" capture --db "$d/a.duckdb" --keys "$d/keys" --duration 1s \
    >/dev/null 2>"$d/err") &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if grep -q "probes attached" "$d/err" 2>/dev/null; then
      attach=$(( ($(date +%s%N) - s) / 1000000 ))
      cpu=$(awk '{print ($14 + $15 + $16 + $17) * 10}' "/proc/$pid/stat")
      break
    fi
    sleep 0.01
  done
  wait "$pid" || true
  echo "${attach:-0} ${cpu:-0} $(( ($(date +%s%N) - s) / 1000000 ))"
  rm -rf "$d"
}
no_cache=("$java" --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow -Dtracefix.home="$root"
  -jar "$root/workbench-server/target/tracefix.jar")
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
  "kernel $(uname -r), $("$java" -version 2>&1 | head -1), $(date -u +%F)"
variants=(no-cache launcher)
[ -n "$base" ] && variants=(base "${variants[@]}")
declare -A results
for i in $(seq "$rounds"); do
  for v in "${variants[@]}"; do
    case $v in
      base) r=$(run "$base/tracefix") ;;
      no-cache) r=$(run "${no_cache[@]}") ;;
      launcher) r=$(run "$root/tracefix") ;;
    esac
    results[$v]+="$r"$'\n'
    read -r a c t <<<"$r"
    echo "round $i $v: attach $a ms (CPU $c ms), exit $t ms (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
for v in "${variants[@]}"; do
  a=$(printf '%s' "${results[$v]}" | awk 'NF {print $1}' | median)
  c=$(printf '%s' "${results[$v]}" | awk 'NF {print $2}' | median)
  t=$(printf '%s' "${results[$v]}" | awk 'NF {print $3}' | median)
  echo "median $v: attach $a ms, CPU to attach $c ms, exit $t ms"
done
