#!/usr/bin/env bash
# Replays reservations against a fresh inventory server (see README.md).
# Usage: ./repro.sh [INPUT_CSV]
# Exit status follows `git bisect run`: 0 all reserved, 1 a reservation timed out,
# 125 this checkout does not build (skip).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
classes="$("$here/build.sh")" || exit 125
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:TieredStopAtLevel=1 -cp "$classes" checkout.Replay "$@"
