#!/bin/sh
# bench-harness.sh: runs `make bench QUICK=1` (every workload at a tiny size) and
# checks that every workload produced figures on every side that could run.
# Never asserts on times. TAP output. Usage: bench-harness.sh BUILDDIR
set -u
build=$1
top=$(cd "$(dirname "$0")/.." && pwd)
json=$(mktemp /tmp/vkbench-harness-XXXXXX.json)
trap 'rm -f "$json"' EXIT
echo "1..2"
if QUICK=1 BENCH_JSON="$json" BENCH_MD='' "$top/scripts/bench.sh" "$build" >&2; then
    echo "ok 1 - bench.sh QUICK=1 ran to the end"
else
    echo "not ok 1 - bench.sh QUICK=1 failed"
fi
if out=$(python3 "$top/bench/report.py" --check "$json" 2>&1); then
    echo "ok 2 - $out"
else
    echo "not ok 2 - $out"
fi
