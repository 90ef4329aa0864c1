#!/bin/sh
# bench-harness.sh: runs `make bench QUICK=1` (every workload at a tiny size) and
# checks that every workload produced figures on every side that could run.
# Never asserts on times. TAP output. Usage: bench-harness.sh BUILDDIR
#
# The rows run as two bench.sh side by side (BENCH_ROWS=core without the
# snapsave rows, and BENCH_ROWS=snapsave,stop,journal, each with its own
# daemons and folders) and are reported as one: most rows wait on guests
# (boots, a stop's deadline), so in a row they took ~190 s of make check's
# wall time for ~35 s of CPU. The snapsave rows (a qcow2 guest booted on
# each side, snapshot create/revert, save/restore) moved from core to the
# other part: at the lead's make check of 193e9dc (load ~30) core took
# 566 s with them (167 s) and stop,journal 178 s, and bench-harness is the
# plain run's longest test (it starts first and ended that run).
set -u
build=$1
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/vkbench-harness-XXXXXX)
pids=""
created=""
cleanup() {
    for p in $pids; do
        kill "$p" 2>/dev/null
    done
    for p in $pids; do
        wait "$p" 2>/dev/null
    done
    for d in $created; do
        rmdir "$d" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# libvirtd's folders are bound over these mount points in each bench.sh's
# own mount namespace; made here (when missing) for both, so that one
# bench.sh ending cannot remove them under the other
if [ "$(id -u)" = 0 ]; then
    for d in /etc/libvirt /var/lib/libvirt /run/libvirt /var/log/libvirt /var/cache/libvirt; do
        if [ ! -d "$d" ] && mkdir "$d" 2>/dev/null; then
            created="$d $created"
        fi
    done
fi

echo "1..2"
parts="core snapsave,stop,journal"
for part in $parts; do
    skip=""
    [ "$part" = core ] && skip=snapsave
    QUICK=1 BENCH_ROWS=$part BENCH_SKIP=$skip BENCH_JSON="$tmp/$part.json" \
        BENCH_SAMPLES="$tmp/$part.samples" BENCH_MD='' "$top/scripts/bench.sh" "$build" \
        >"$tmp/$part.log" 2>&1 &
    pids="$pids $!"
done
failed=""
for p in $pids; do
    wait "$p" || failed=yes
done
pids=""
for part in $parts; do
    sed "s/^/[$part] /" "$tmp/$part.log" >&2
done
if [ -z "$failed" ]; then
    echo "ok 1 - bench.sh QUICK=1 ran to the end (rows core without snapsave, and snapsave,stop,journal, side by side)"
else
    echo "not ok 1 - bench.sh QUICK=1 failed"
fi

# one report of both parts: the sizes of the core part; libvirt's side is
# expected when every part could run it
meta() {
    awk -v k="$2" '$1 == "meta" && $2 == k { print $3 }' "$tmp/$1.samples" 2>/dev/null
}
args="--json $tmp/all.json --quick --n1 $(meta core n1) --n2 $(meta core n2)"
args="$args --running $(meta core running)"
if [ "$(meta core libvirt)" != yes ] || [ "$(meta snapsave,stop,journal libvirt)" != yes ]; then
    args="$args --no-libvirt"
fi
cat "$tmp/core.samples" "$tmp/snapsave,stop,journal.samples" 2>/dev/null | grep -v '^meta ' \
    >"$tmp/all.samples"
# shellcheck disable=SC2086
if python3 "$top/bench/report.py" $args "$tmp/all.samples" >&2 &&
    out=$(python3 "$top/bench/report.py" --check "$tmp/all.json" 2>&1); then
    echo "ok 2 - $out"
else
    echo "not ok 2 - ${out:-bench/report.py could not report the samples}"
fi
