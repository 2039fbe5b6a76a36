#!/usr/bin/env bash
# The unit tests: exit 0 when they pass.
set -u
cd "$(dirname "$0")" && exec python3 -m unittest discover -s tests -q
