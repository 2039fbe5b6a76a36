#!/usr/bin/env bash
# SIGKILL crash runs of the event store's spool (SpoolCrashTest), 100 by default.
#   bench/store-crash.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -o -q -B -pl arrow-sink -am test -Dtest=SpoolCrashTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtracefix.killRuns="${1:-100}"
grep -h 'SpoolCrashTest:' arrow-sink/target/surefire-reports/*SpoolCrashTest-output.txt
