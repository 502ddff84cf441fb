#!/usr/bin/env bash
# Cold start: a full offline run against a Go hello-world's start, the two
# (and a CGO_ENABLED=0 build) run in alternation. Prints each median, its
# page faults and the ratio (target: at most 2x). See scripts/coldstart/.
#
#   scripts/coldstart.sh               # 300 rounds
#   scripts/coldstart.sh -rounds 1000
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./scripts/coldstart "$@"
