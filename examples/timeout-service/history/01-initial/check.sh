#!/usr/bin/env bash
# Runs the service checks against a fresh inventory server.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
classes="$("$here/build.sh")" || exit 125
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:TieredStopAtLevel=1 -cp "$classes" checkout.Checks
