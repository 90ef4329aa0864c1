#!/usr/bin/env python3
"""What a change of priorities or thread counts would do to a meson test run,
from the durations a real run recorded (docs/test-costs.md).

    scripts/testlog-replay.py timeline TESTLOG.json [TESTLOG.json ...]
        each test's start and end (seconds from the first start) and how
        many ran at once, 10 s by 10 s: where a run ended on a few long
        tests with the CPUs idle
    scripts/testlog-replay.py replay BUILDDIR TESTLOG.json THREADS [--asan] [NAME=SECONDS ...]
        meson's scheduling replayed: BUILDDIR's tests as they are now
        (meson introspect: priorities, suites), highest priority first
        (meson's order), THREADS at once, each as long as TESTLOG says
        (NAME=SECONDS overrides one; a test the log lacks takes 0.5 s);
        --asan: the tests of suites 'unit' and 'daemon-asan' (what
        run-tests.sh runs in the ASan build), else all but 'daemon-asan'.
        Prints the run's length and the tests that ended last.

    scripts/testlog-replay.py check BUILD ASAN PLAIN.json ASAN.json LATE.json [FUZZ.json]
            [--threads=P,A] [PRIO:NAME=N ...] [LATE:NAME=0|1 ...] [TREE:NAME=SECONDS ...]
        the test phase of make check as scripts/run-tests.sh runs it: BUILD's
        tests but the daemon-asan ones (P at once, default nproc*2), ASAN's
        unit and daemon-asan tests but the daemon-asan-late ones (A at once,
        default nproc*3), from the end of the first of those two runs the
        daemon-asan-late tests (A at once) and the fuzz suite (all at once),
        each test as long as its tree's log says. PRIO:NAME=N gives test NAME
        priority N (in every tree), LATE:NAME=1 (0) puts ASan's test NAME
        in the late run (the main one), TREE:NAME=SECONDS (TREE plain or
        asan) overrides a duration. Prints when each run ends and the tests
        that ended each.

The replay keeps each test's recorded wall time whatever runs beside it, so
it shows what scheduling changes (a long test started last, a tail with
idle CPUs), not what CPU contention would: a run whose CPUs are busy from
start to end only gets shorter with less CPU.
"""
import heapq
import json
import subprocess
import sys


def load(path):
    rows = []
    for line in open(path):
        r = json.loads(line)
        rows.append((r["name"].split(" / ")[-1], r["starttime"], r["duration"]))
    return rows


def timeline(paths):
    logs = [(p, load(p)) for p in paths]
    t0 = min(s for _, rows in logs for _, s, _ in rows)
    end = max(s + d for _, rows in logs for _, s, d in rows) - t0
    for p, rows in logs:
        print("%s: %d tests, %.1f-%.1f s" % (p, len(rows), min(s for _, s, _ in rows) - t0,
                                             max(s + d for _, s, d in rows) - t0))
        for n, s, d in sorted(rows, key=lambda r: r[1]):
            if d >= 1:
                print("  %7.1f %7.1f %6.1f  %s" % (s - t0, s - t0 + d, d, n))
    print("tests running at once (mean over each 10 s):")
    t = 0.0
    while t < end:
        print("  %4.0f-%-4.0f" % (t, t + 10) + "".join(
            " %6.1f" % (sum(max(0.0, min(s - t0 + d, t + 10) - max(s - t0, t))
                            for _, s, d in rows) / 10) for _, rows in logs))
        t += 10


def replay(build, path, threads, asan, overrides):
    tests = json.loads(subprocess.run(["meson", "introspect", "--tests", build],
                                      capture_output=True, text=True, check=True).stdout)
    want = ({"virtkit:unit", "virtkit:daemon-asan"} if asan else None)
    sel = [t for t in tests if (set(t["suite"]) & want if want else
                                "virtkit:daemon-asan" not in t["suite"])]
    dur = {n: d for n, _, d in load(path)}
    free = [0.0] * threads
    ran = []
    # meson starts the highest priority first, in definition order within one
    for t in sorted(sel, key=lambda t: -t["priority"]):
        d = overrides.get(t["name"], dur.get(t["name"], 0.5))
        s = heapq.heappop(free)
        heapq.heappush(free, s + d)
        ran.append((s, s + d, t["name"]))
    print("%.1f s" % max(e for _, e, _ in ran))
    for s, e, n in sorted(ran, key=lambda r: -r[1])[:8]:
        print("  %7.1f %7.1f  %s" % (s, e, n))


def schedule(tests, dur, threads, t0=0.0):
    """meson's order (highest priority first, definition order within one),
    @threads at once from @t0: [(start, end, name)]"""
    free = [t0] * threads
    ran = []
    for t in sorted(tests, key=lambda t: -t["priority"]):
        d = dur.get(t["name"], 0.5)
        s = heapq.heappop(free)
        heapq.heappush(free, s + d)
        ran.append((s, s + d, t["name"]))
    return ran


def introspect(build):
    return json.loads(subprocess.run(["meson", "introspect", "--tests", build],
                                     capture_output=True, text=True, check=True).stdout)


def check(argv):
    import os
    opts = [a for a in argv if a.startswith("--") or ":" in a.split("=", 1)[0]]
    pos = [a for a in argv if a not in opts]
    build, asan, plain_log, asan_log, late_log = pos[:5]
    fuzz_log = pos[5] if len(pos) > 5 else None
    nproc = os.cpu_count() or 2
    tp, ta = nproc * 2, nproc * 3
    prio, late, over = {}, {}, {"plain": {}, "asan": {}}
    for a in opts:
        if a.startswith("--threads="):
            tp, ta = (int(x) for x in a.split("=", 1)[1].split(","))
            continue
        k, v = a.split("=", 1)
        kind, name = k.split(":", 1)
        if kind == "PRIO":
            prio[name] = int(v)
        elif kind == "LATE":
            late[name] = v == "1"
        else:
            over[kind][name] = float(v)

    def prepared(tests):
        for t in tests:
            if t["name"] in prio:
                t["priority"] = prio[t["name"]]
        return tests

    plain = [t for t in prepared(introspect(build)) if "virtkit:daemon-asan" not in t["suite"]]
    at = [t for t in prepared(introspect(asan))
          if {"virtkit:unit", "virtkit:daemon-asan"} & set(t["suite"])]

    def is_late(t):
        return late.get(t["name"], "virtkit:daemon-asan-late" in t["suite"])
    main_a = [t for t in at if not is_late(t)]
    late_a = [t for t in at if is_late(t)]
    dp = {n: d for n, _, d in load(plain_log)}
    dp.update(over["plain"])
    da = {n: d for n, _, d in load(asan_log)}
    da.update({n: d for n, _, d in load(late_log)})
    da.update(over["asan"])
    rp = schedule(plain, dp, tp)
    ra = schedule(main_a, da, ta)
    P = max(e for _, e, _ in rp)
    A = max(e for _, e, _ in ra)
    rl = schedule(late_a, da, ta, min(P, A))
    L = max([e for _, e, _ in rl] or [min(P, A)])
    F = min(P, A) + (max(d for _, _, d in load(fuzz_log)) if fuzz_log else 0.0)
    for what, end, ran in (("plain", P, rp), ("asan", A, ra), ("late", L, rl)):
        print("%-5s %6.1f s (%d tests)" % (what, end, len(ran)))
        for s_, e, n in sorted(ran, key=lambda r: -r[1])[:4]:
            print("        %7.1f %7.1f  %s" % (s_, e, n))
    print("fuzz  %6.1f s" % F)
    print("test phase %.1f s" % max(P, A, L, F))


def main(argv):
    if len(argv) >= 6 and argv[0] == "check":
        check(argv[1:])
    elif len(argv) >= 2 and argv[0] == "timeline":
        timeline(argv[1:])
    elif len(argv) >= 4 and argv[0] == "replay":
        rest = argv[4:]
        asan = "--asan" in rest
        overrides = {a.split("=", 1)[0]: float(a.split("=", 1)[1]) for a in rest if "=" in a}
        replay(argv[1], argv[2], int(argv[3]), asan, overrides)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
