#!/bin/sh
# Run every test suite and print the summed result as its last line:
#   N passed, N failed
# Usage: scripts/run-tests.sh BUILDDIR [ASAN_BUILDDIR [FUZZ_BUILDDIR]]
# BUILDDIR runs every suite (unit, data-driven, integration); ASAN_BUILDDIR
# reruns the unit and data-driven suites (suite 'unit') under ASan+UBSan and
# runs the daemon suites of 'daemon-asan' against the ASan+UBSan virtkitd
# (which runs with leak detection on: tests/daemon/vkdtest.py). Those daemon
# suites run once, there: with an ASan build, BUILDDIR skips them (they boot
# most of the guests, and a guest costs the same CPU in either build).
# FUZZ_BUILDDIR (clang, -Dfuzz=true) runs suite 'fuzz': corpus replay and a
# brief run of each libFuzzer target (tests/fuzz).
# TEST_COST=FILE (root) appends each test's wall time, CPU time (its own
# cgroup) and the QEMU processes it ran to FILE (scripts/test-cost.py;
# `scripts/test-cost.py --report FILE` prints the table).
# The builds run side by side (the machine's CPUs are the limit, not any one
# suite); BUILDDIR's output is shown when it ends.
set -u
build=${1:-build}
asan=${2:-}
fuzz=${3:-}
status=0

# Most long suites wait on guests and daemons (daemon-console: ~24 CPU s in
# ~60 s), so more tests than CPUs run at once: twice as many in the plain
# run, three times in the ASan run beside it. The ASan run holds more of the
# work (most guest boots: the daemon suites; test-cost.py: ~300 of ~525 CPU
# s) and ended ~60 s after the plain one in a quiet clean-clone run (~150 s
# at load 20), alone on the CPUs with four tests that mostly wait; with more
# at once it gets a larger share while both run. MESON_TESTTHREADS overrides
# both (meson reads it).
threads_main=${MESON_TESTTHREADS:-$(( $(nproc) * 2 ))}
threads_side=$threads_main
threads_asan=${MESON_TESTTHREADS:-$(( $(nproc) * 3 ))}

# every meson test run below gets these arguments
wrap=""
if [ -n "${TEST_COST:-}" ]; then
    wrap="--wrapper=$(cd "$(dirname "$0")" && pwd)/test-cost.py --out $(realpath "$TEST_COST")"
fi
# (meson names its log after a wrapper)
testlog=testlog${wrap:+-test-cost.py}

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=0:print_summary=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"

# run_meson THREADS DIR ARGS...
run_meson() {
    threads=$1; dir=$2; shift 2
    MESON_TESTTHREADS=$threads meson test -C "$dir" --no-rebuild --print-errorlogs \
        ${wrap:+"$wrap"} "$@" 9>&-
    record_meson "$dir" $?
}

# record_meson DIR STATUS [LOGBASE]: add DIR's counts to the tally (the
# meson run that wrote meson-logs/LOGBASE.json: $testlog unless given; its
# copy is testlog-last.json, or LOGBASE-last.json for another)
record_meson() {
    dir=$1
    rc=$2
    log=${3:-$testlog}
    last=testlog-last
    [ -n "${3:-}" ] && last=$3-last
    [ $rc -ne 0 ] && status=1
    cp "$dir/meson-logs/$log.json" "$dir/meson-logs/$last.json" 2>/dev/null
    counts=$(python3 scripts/count-results.py "$dir/meson-logs/$log.json") || counts="0 1"
    echo "$counts" >> "$tally"
    python3 scripts/count-results.py --failures "$dir/meson-logs/$log.json" \
        >> "$failures" 2>/dev/null
    # meson failed but its log shows no failure (a log overwritten by another
    # run in the same build directory, or unreadable): the summary must not
    # say "0 failed"
    if [ $rc -ne 0 ] && [ "${counts#* }" = 0 ]; then
        echo "run-tests: meson test in $dir failed (status $rc) but its log counts no failure" >&2
        echo "0 1" >> "$tally"
    fi
}

tally=$(mktemp)
failures=$(mktemp)
fuzz_pid=""
plain_pid=""
late_pid=""
trap 'rm -f "$tally" "$failures"; [ -n "$fuzz_pid" ] && kill "$fuzz_pid" 2>/dev/null
      [ -n "$plain_pid" ] && kill "$plain_pid" 2>/dev/null
      [ -n "$late_pid" ] && kill "$late_pid" 2>/dev/null' EXIT

if [ -z "$asan" ]; then
    run_meson "$threads_main" "$build"
fi
# With an ASan build, the first of the two runs (plain, ASan) to end lets
# two more start, beside the other's last suites: the CPUs have room there
# (at the clean-clone CI of 5329b46c the plain run ended at 182 s, the
# ASan run at 236 s, its last suites mostly waiting):
# - the ASan build's suite 'daemon-asan-late' (short daemon suites, left
#   out of the ASan run: tests/daemon/meson.build), as many at once as the
#   ASan run, its log meson-logs/testlog-late.json;
# - the fuzz suite (each target: its corpus replayed, then a fixed 15 s of
#   fuzzing), all targets at once, at nice 19. Its 15 s are wall time, so
#   it takes what CPU it gets: at the start (where that CI ran it, at nice
#   10) that was ~19 CPU s of the first ~20 s, half of both CPUs, while
#   ten suites booted their guests.
# The runs say they ended on fd 9 (a FIFO this shell holds open both
# ways, so that neither a write nor a read that waits for one can meet a
# closed end; closed for meson, so that no test or daemon inherits it):
# two lines each, one for each waiting launcher. Without an ASan build the
# fuzz suite runs after the plain run (nice 10).
fuzz_log=""
late_log=""
if [ -n "$asan" ]; then
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    exec 9<>"$fifo"
    rm -f "$fifo"
    late_log=$(mktemp)
    ( read -r _ <&9
      MESON_TESTTHREADS=$threads_asan meson test -C "$asan" --no-rebuild --print-errorlogs \
          ${wrap:+"$wrap"} --logbase "$testlog-late" --suite daemon-asan-late \
          >"$late_log" 2>&1 9>&-
      echo $? >"$late_log.rc" ) &
    late_pid=$!
fi
if [ -n "$fuzz" ]; then
    fuzz_log=$(mktemp)
    fuzz_nice=10
    [ -n "$asan" ] && fuzz_nice=19
    ( if [ -n "$asan" ]; then read -r _ <&9; fi
      MESON_TESTTHREADS=16 nice -n "$fuzz_nice" sh -c '
          meson test -C "$1" --no-rebuild --print-errorlogs ${2:+"$2"} --suite fuzz
      ' sh "$fuzz" "$wrap" >"$fuzz_log" 2>&1 9>&-; echo $? >"$fuzz_log.rc" ) &
    fuzz_pid=$!
fi
if [ -n "$asan" ]; then
    # the plain build (without the daemon suites the ASan build runs) beside
    # the ASan build, its output kept for the end
    plain_log=$(mktemp)
    ( MESON_TESTTHREADS=$threads_side meson test -C "$build" --no-rebuild \
          --print-errorlogs ${wrap:+"$wrap"} --no-suite daemon-asan >"$plain_log" 2>&1 9>&-
      echo $? >"$plain_log.rc"
      printf 'plain\nplain\n' >&9 ) &
    plain_pid=$!
    run_meson "$threads_asan" "$asan" --suite unit --suite daemon-asan \
        --no-suite daemon-asan-late
    printf 'asan\nasan\n' >&9
    wait "$plain_pid"
    plain_pid=""
    echo "==== $build (beside $asan) ===="
    cat "$plain_log"
    rc=$(cat "$plain_log.rc" 2>/dev/null || echo 1)
    rm -f "$plain_log" "$plain_log.rc"
    record_meson "$build" "$rc"
    wait "$late_pid"
    late_pid=""
    echo "==== $asan, suite daemon-asan-late ===="
    cat "$late_log"
    rc=$(cat "$late_log.rc" 2>/dev/null || echo 1)
    rm -f "$late_log" "$late_log.rc"
    record_meson "$asan" "$rc" "$testlog-late"
fi
if [ -n "$fuzz_pid" ]; then
    wait "$fuzz_pid"
    fuzz_pid=""
    cat "$fuzz_log"
    rc=$(cat "$fuzz_log.rc" 2>/dev/null || echo 1)
    rm -f "$fuzz_log" "$fuzz_log.rc"
    record_meson "$fuzz" "$rc"
fi

# what failed, by name, just above the summary (a CI log shows its end)
if [ -s "$failures" ]; then
    echo "==== failed ===="
    cat "$failures"
fi
python3 - "$tally" <<'PY'
import sys
p = f = 0
for line in open(sys.argv[1]):
    a, b = line.split()
    p += int(a); f += int(b)
print(f"{p} passed, {f} failed")
sys.exit(1 if f else 0)
PY
[ $? -ne 0 ] && status=1
exit $status
