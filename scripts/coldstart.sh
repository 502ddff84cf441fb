#!/usr/bin/env bash
# Cold start: how much a full offline run costs against a Go hello-world's
# start, alternating the two so that both see the same machine load.
# Prints both medians and their ratio (target: at most 2x). Uses hyperfine
# when installed, else a loop of ROUNDS alternating runs.
#
#   scripts/coldstart.sh            # 200 rounds
#   ROUNDS=1000 scripts/coldstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -trimpath -o "$work/contio-doctor" ./cmd/contio-doctor
mkdir -p "$work/hello"
cat >"$work/hello/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("hello") }
GO
(cd "$work/hello" && GOFLAGS= go mod init hello >/dev/null 2>&1 && go build -trimpath -o "$work/hello-world" .)

doctor=("$work/contio-doctor" --config testdata/healthy.yaml --env-file testdata/healthy.env --offline --no-color)
"${doctor[@]}" >/dev/null # exit 0 on the healthy config, or stop here

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 20 --runs "$rounds" --export-json "$work/h.json" \
    "$work/hello-world" "${doctor[*]}" >/dev/null 2>&1
  python3 - "$work/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
# Medians: on a shared machine the means carry the other processes' noise.
hello, doctor = r[0]["median"] * 1e3, r[1]["median"] * 1e3
print(f"hello-world {hello:.2f} ms, offline run {doctor:.2f} ms (medians of {len(r[0]['times'])} runs), ratio {doctor / hello:.2f}x")
PY
  exit 0
fi

# $EPOCHREALTIME (bash 5, microseconds) reads the clock without starting
# a process, so the loop adds no fork of its own to either side.
hello_us=0 doctor_us=0
for _ in $(seq 20); do "$work/hello-world" >/dev/null; "${doctor[@]}" >/dev/null; done # warm-up
for _ in $(seq "$rounds"); do
  t0=${EPOCHREALTIME/[.,]/}; "$work/hello-world" >/dev/null; t1=${EPOCHREALTIME/[.,]/}
  "${doctor[@]}" >/dev/null; t2=${EPOCHREALTIME/[.,]/}
  hello_us=$((hello_us + t1 - t0)); doctor_us=$((doctor_us + t2 - t1))
done
awk -v h="$hello_us" -v d="$doctor_us" -v n="$rounds" 'BEGIN {
  printf "hello-world %.2f ms, offline run %.2f ms, ratio %.2fx (%d alternating rounds, loop timing)\n", h/n/1e3, d/n/1e3, d/h, n }'
