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

# record_meson DIR STATUS: add DIR's counts to the tally
record_meson() {
    dir=$1
    rc=$2
    [ $rc -ne 0 ] && status=1
    cp "$dir/meson-logs/$testlog.json" "$dir/meson-logs/testlog-last.json" 2>/dev/null
    counts=$(python3 scripts/count-results.py "$dir/meson-logs/$testlog.json") || counts="0 1"
    echo "$counts" >> "$tally"
    python3 scripts/count-results.py --failures "$dir/meson-logs/$testlog.json" \
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
trap 'rm -f "$tally" "$failures"; [ -n "$fuzz_pid" ] && kill "$fuzz_pid" 2>/dev/null
      [ -n "$plain_pid" ] && kill "$plain_pid" 2>/dev/null' EXIT

if [ -z "$asan" ]; then
    run_meson "$threads_main" "$build"
fi
# The fuzz suite (each target: its corpus replayed, then a fixed 15 s of
# fuzzing) runs all targets at once, niced so the suites that wait on
# guests keep their CPU; its output is shown after. Beside an ASan run it
# starts once the first of the two runs (plain, ASan) has ended: the 15 s
# are wall time, so it takes what CPU it gets, and at the start (where the
# clean-clone CI at 5329b46c ran it) that was ~19 CPU s of the first ~20 s
# (half of both CPUs) while ten suites boot their guests; at the end, with
# one run over and the other's last suites waiting more than computing,
# the CPUs have room (nice 19 there: the ASan run's last suites first).
# The runs say so on fd 9 (a FIFO this shell holds open both ways, so that
# neither a write nor the read that waits for one can meet a closed end;
# closed for meson, so that no test or daemon inherits it).
fuzz_log=""
if [ -n "$fuzz" ]; then
    fuzz_log=$(mktemp)
    fuzz_nice=10
    if [ -n "$asan" ]; then
        fifo=$(mktemp -u)
        mkfifo "$fifo"
        exec 9<>"$fifo"
        rm -f "$fifo"
        fuzz_nice=19
    fi
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
      [ -n "$fuzz" ] && echo plain >&9 ) &
    plain_pid=$!
    run_meson "$threads_asan" "$asan" --suite unit --suite daemon-asan
    [ -n "$fuzz" ] && echo asan >&9
    wait "$plain_pid"
    plain_pid=""
    echo "==== $build (beside $asan) ===="
    cat "$plain_log"
    rc=$(cat "$plain_log.rc" 2>/dev/null || echo 1)
    rm -f "$plain_log" "$plain_log.rc"
    record_meson "$build" "$rc"
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
