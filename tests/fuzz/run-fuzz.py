#!/usr/bin/env python3
"""run-fuzz.py: replay the corpora and run the libFuzzer targets of tests/fuzz.

  run-fuzz.py check --build BUILD_FUZZ TARGET
      (meson test, suite 'fuzz') TAP: replay every file of
      tests/data/fuzz/TARGET/ once, then fuzz TARGET for FUZZ_CHECK_SECONDS
      (default 15) from that corpus; new inputs go to a scratch directory
      that is removed afterwards (kept, with any crash, if the run failed).
  run-fuzz.py fuzz --build BUILD_FUZZ [--seconds N] [--jobs J] [--out DIR] [TARGET...]
      (make fuzz) fuzz each target for N seconds (FUZZ_SECONDS, default 60),
      J targets at once (FUZZ_JOBS, default 1); new corpus entries go to
      DIR/TARGET/corpus (default BUILD_FUZZ/fuzz-out), crashes to
      DIR/TARGET/crashes. A crash does not end the run: the target restarts
      from its corpus for the time left. Prints, per target: runs, CPU
      seconds used (user+sys of the fuzzer, all its threads), corpus sizes,
      crashes; and a summary line at the end.

The sanitizer options: ASan halts on the first error; leak detection is on
(libFuzzer reports a leak as a crash); UBSan halts and prints a stack.
"""

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time


def meson_targets():
    """The targets tests/fuzz/meson.build builds (its fuzz_targets keys): the
    one list, so a new target cannot be built and tested but unknown here."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "meson.build")) as f:
        return re.findall(r"^\s*'(\w+)': \[files\('fuzz-", f.read(), re.M)


TARGETS = meson_targets()

# Bounds for one input: inputs bigger than this only slow the search down
# (the qmp target caps its own "BIG n" lines separately).
MAX_LEN = {"rpc": 65536, "domainxml": 65536, "qmp": 65536, "status": 65536,
           "storagexml": 16384, "networkxml": 16384,
           "snapshotxml": 65536, "nwfilterxml": 16384, "checkpointxml": 65536,
           "backupxml": 16384,
           "nodedevxml": 16384, "parted": 8192, "blockcopyxml": 16384,
           "journal": 8192, "agent": 16384}
DEFAULT_MAX_LEN = 65536

# libFuzzer dictionaries (tests/fuzz/NAME.dict).
DICT = {"domainxml": "domainxml.dict", "status": "domainxml.dict", "qmp": "qmp.dict",
        "storagexml": "storagexml.dict", "networkxml": "networkxml.dict",
        "snapshotxml": "domainxml.dict", "nwfilterxml": "nwfilterxml.dict",
        "checkpointxml": "domainxml.dict", "blockcopyxml": "domainxml.dict",
        "backupxml": "domainxml.dict",
        "agent": "qmp.dict"}

SAN_ENV = {
    "ASAN_OPTIONS": "halt_on_error=1:abort_on_error=1:detect_leaks=1:"
                    "allocator_may_return_null=1:print_summary=1",
    "UBSAN_OPTIONS": "halt_on_error=1:abort_on_error=1:print_stacktrace=1",
    "G_DEBUG": "",
    "G_MESSAGES_DEBUG": "",
}


def srcdir():
    d = os.environ.get("FUZZ_SRCDIR")
    if d:
        return d
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def corpus_dir(target):
    return os.path.join(srcdir(), "tests", "data", "fuzz", target)


def binary(build, target):
    return os.path.join(build, "tests", "fuzz", "fuzz-" + target)


def corpus_files(d):
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d)
                  if os.path.isfile(os.path.join(d, f)) and not f.startswith("."))


def env():
    e = dict(os.environ)
    e.update(SAN_ENV)
    return e


def run_measured(argv, log, timeout):
    """Run argv, stdout+stderr to the file @log. Returns (rc, cpu_seconds)."""
    with open(log, "ab") as out:
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env(),
                             cwd=os.path.dirname(log))
        deadline = time.monotonic() + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.05)
        p.returncode = os.waitstatus_to_exitcode(status)
        return p.returncode, ru.ru_utime + ru.ru_stime


STAT_RE = {
    "runs": re.compile(r"^stat::number_of_executed_units:\s*(\d+)", re.M),
    "peak_rss": re.compile(r"^stat::peak_rss_mb:\s*(\d+)", re.M),
    "new_units": re.compile(r"^stat::new_units_added:\s*(\d+)", re.M),
}
CORP_RE = re.compile(r"^#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+) corp: (\d+)/(\S+)", re.M)


def parse_log(text):
    st = {}
    for k, r in STAT_RE.items():
        m = r.findall(text)
        if m:
            st[k] = int(m[-1])
    m = CORP_RE.findall(text)
    if m:
        st["cov"] = int(m[-1][1])
        st["ft"] = int(m[-1][2])
        st["corp"] = int(m[-1][3])
        st["corp_size"] = m[-1][4]
    return st


def fuzz_args(target, seconds, artifacts):
    extra = []
    if target in DICT:
        extra.append("-dict=" + os.path.join(srcdir(), "tests", "fuzz", DICT[target]))
    return extra + [
        "-max_total_time=%d" % max(1, int(seconds)),
        "-max_len=%d" % MAX_LEN.get(target, DEFAULT_MAX_LEN),
        "-timeout=60",
        "-rss_limit_mb=4096",
        "-print_final_stats=1",
        "-artifact_prefix=" + artifacts + "/",
    ]


def fuzz_for(build, target, seconds, workdir, seeds):
    """Fuzz @target for @seconds of wall time from @seeds, new inputs in
    workdir/corpus, crashes in workdir/crashes. Restarts after a crash for
    the time left. Returns a dict of figures."""
    corpus = os.path.join(workdir, "corpus")
    crashes = os.path.join(workdir, "crashes")
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(crashes, exist_ok=True)
    log = os.path.join(workdir, "fuzz.log")
    end = time.monotonic() + seconds
    res = {"runs": 0, "cpu": 0.0, "crashes": 0, "restarts": 0, "wall": 0.0}
    start = time.monotonic()
    last = {}
    while True:
        left = end - time.monotonic()
        if left < 1:
            break
        before = os.path.getsize(log) if os.path.exists(log) else 0
        argv = [binary(build, target)] + fuzz_args(target, left, crashes) + [corpus, seeds]
        rc, cpu = run_measured(argv, log, left + 120)
        res["cpu"] += cpu
        with open(log, "r", errors="replace") as f:
            f.seek(before)
            text = f.read()
        st = parse_log(text)
        res["runs"] += st.get("runs", 0)
        last = st or last
        if rc == 0:
            break
        # A crash (or timeout/OOM/leak) saved an artifact; go on.
        res["crashes"] += 1
        res["restarts"] += 1
        if res["restarts"] > 50:
            break
    res["wall"] = time.monotonic() - start
    res["cov"] = last.get("cov")
    res["corp"] = last.get("corp")
    res["corp_size"] = last.get("corp_size")
    res["new_files"] = len(corpus_files(corpus))
    res["seed_files"] = len(corpus_files(seeds))
    arts = [os.path.basename(f) for f in corpus_files(crashes)]
    # libFuzzer also saves inputs that took over 10 s of wall time
    # (slow-unit-*): not failures, and on a loaded machine mostly waiting.
    res["crash_files"] = [a for a in arts if not a.startswith("slow-unit-")]
    res["slow_files"] = [a for a in arts if a.startswith("slow-unit-")]
    res["log"] = log
    return res


def cmd_check(args):
    build = os.path.abspath(args.build)
    target = args.target
    exe = binary(build, target)
    seeds = corpus_dir(target)
    files = corpus_files(seeds)
    seconds = int(os.environ.get("FUZZ_CHECK_SECONDS", "15"))
    print("1..2")
    sys.stdout.flush()
    if not os.access(exe, os.X_OK):
        print("not ok 1 - %s: no fuzz binary %s" % (target, exe))
        print("not ok 2 - %s: not fuzzed" % target)
        return 1
    work = tempfile.mkdtemp(prefix="fuzz-%s-" % target)
    failed = False

    # 1. Replay every corpus file once (crash files of the past included).
    log = os.path.join(work, "replay.log")
    if not files:
        print("not ok 1 - %s: empty corpus %s" % (target, seeds))
        failed = True
    else:
        rc, cpu = run_measured([exe, "-timeout=60", "-rss_limit_mb=4096"] + files, log, 240)
        text = open(log, errors="replace").read()
        executed = len(re.findall(r"^Executed ", text, re.M))
        if rc == 0 and executed == len(files):
            print("ok 1 - %s: replayed %d corpus files (%.1f s CPU)" % (target, len(files), cpu))
        else:
            failed = True
            print("not ok 1 - %s: replay of %d files: rc %d, %d executed" %
                  (target, len(files), rc, executed))
            for line in text.splitlines()[-60:]:
                print("# " + line)

    # 2. Fuzz briefly from the corpus.
    res = fuzz_for(build, target, seconds, os.path.join(work, "run"), seeds)
    desc = ("%s: fuzzed %.0f s: %d runs, %.1f s CPU, corpus %s (+%d new), %d crashes" %
            (target, res["wall"], res["runs"], res["cpu"], res["corp"],
             res["new_files"], res["crashes"]))
    if res["crashes"] == 0 and res["runs"] > 0:
        print("ok 2 - " + desc)
    else:
        failed = True
        print("not ok 2 - " + desc)
        text = open(res["log"], errors="replace").read()
        for line in text.splitlines()[-80:]:
            print("# " + line)
        print("# crash files kept in %s" % os.path.join(work, "run", "crashes"))
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


def fmt_res(target, res):
    return ("%-10s runs %10d  cpu %8.1f s  wall %7.1f s  corpus %s files (%s) "
            "[seeds %d, new %d]  crashes %d%s%s" %
            (target, res["runs"], res["cpu"], res["wall"], res["corp"], res["corp_size"],
             res["seed_files"], res["new_files"], res["crashes"],
             (" " + ", ".join(res["crash_files"])) if res["crash_files"] else "",
             ("  (slow units, not failures: %s)" % ", ".join(res["slow_files"]))
             if res["slow_files"] else ""))


def cmd_fuzz(args):
    build = os.path.abspath(args.build)
    seconds = args.seconds
    out = os.path.abspath(args.out or os.path.join(build, "fuzz-out"))
    targets = args.targets or TARGETS
    for t in targets:
        if t not in TARGETS:
            print("unknown target %s (have: %s)" % (t, " ".join(TARGETS)), file=sys.stderr)
            return 2
        if not os.access(binary(build, t), os.X_OK):
            print("no fuzz binary for %s in %s (make fuzz-build)" % (t, build), file=sys.stderr)
            return 2
    print("fuzzing %s for %d s each, %d at a time; output in %s" %
          (" ".join(targets), seconds, args.jobs, out))
    sys.stdout.flush()
    results = {}
    lock = threading.Lock()
    queue = list(targets)

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                t = queue.pop(0)
            r = fuzz_for(build, t, seconds, os.path.join(out, t), corpus_dir(t))
            with lock:
                results[t] = r
                print(fmt_res(t, r))
                sys.stdout.flush()

    threads = [threading.Thread(target=worker) for _ in range(max(1, args.jobs))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    print("--- summary (%s)" % time.strftime("%Y-%m-%d %H:%M:%S"))
    total_runs = total_cpu = total_crashes = 0
    for t in targets:
        r = results[t]
        print(fmt_res(t, r))
        total_runs += r["runs"]
        total_cpu += r["cpu"]
        total_crashes += r["crashes"]
    print("total: %d runs, %.1f s CPU, %d crashes" % (total_runs, total_cpu, total_crashes))
    if total_crashes:
        print("crash inputs: %s/<target>/crashes/ (reproduce: %s/tests/fuzz/fuzz-<target> FILE)" %
              (out, build))
    return 1 if total_crashes else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--build", required=True)
    c.add_argument("target", choices=TARGETS)
    f = sub.add_parser("fuzz")
    f.add_argument("--build", required=True)
    f.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")))
    f.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_JOBS", "1")))
    f.add_argument("--out", default=os.environ.get("FUZZ_OUT"))
    f.add_argument("targets", nargs="*")
    args = ap.parse_args()
    if args.cmd == "check":
        return cmd_check(args)
    return cmd_fuzz(args)


if __name__ == "__main__":
    sys.exit(main())
