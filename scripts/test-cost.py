#!/usr/bin/env python3
"""What each test costs the machine: wall time, the CPU time of everything it
started (daemons, QEMU, clients: its own cpuacct cgroup, so processes that
left the test's process tree are counted too) and the QEMU processes it ran.

As a meson wrapper (root; cgroup v1 cpuacct or cgroup v2):
    meson test -C build --wrapper "$PWD/scripts/test-cost.py --out /tmp/cost.jsonl" ...
appends one JSON line per test to the --out file; the test's own exit status
and output are passed through unchanged.
The table, longest CPU first:
    scripts/test-cost.py --report /tmp/cost.jsonl [...]

QEMU processes are seen by sampling the cgroup every 0.1 s (a QEMU living
less than that can be missed; a guest boot cannot). Kinds: 'boot' (a
-kernel guest: the test guest), 'restore' (-incoming: a restore or a
managed-save start), 'probe' (-machine none: a daemon learning QEMU's
capabilities), 'other' (firmware-only, disk-booting or prelaunch-only
QEMUs). A guest rebooting inside one QEMU counts as one. A QEMU's CPU is the last sample of its /proc stat, so it may miss
the last 0.1 s of each; the cgroup's total is exact.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def cgroup_new(tag):
    """(procs file, function returning CPU seconds, dir) of a new cgroup."""
    for base, usage in (("/sys/fs/cgroup/cpuacct", "cpuacct.usage"),
                        ("/sys/fs/cgroup/cpu,cpuacct", "cpuacct.usage"),
                        ("/sys/fs/cgroup", "cpu.stat")):
        if not os.path.exists(os.path.join(base, usage if usage != "cpu.stat"
                                           else "cgroup.controllers")):
            continue
        d = os.path.join(base, "vkcost-%s-%d" % (tag, os.getpid()))
        try:
            os.mkdir(d)
        except OSError:
            continue

        def cpu(d=d, usage=usage):
            with open(os.path.join(d, usage)) as f:
                if usage == "cpu.stat":
                    for line in f:
                        k, v = line.split()
                        if k == "usage_usec":
                            return int(v) / 1e6
                    return 0.0
                return int(f.read()) / 1e9
        return os.path.join(d, "cgroup.procs"), cpu, d
    return None, None, None


def proc_read(pid, what):
    with open("/proc/%d/%s" % (pid, what), "rb") as f:
        return f.read()


def qemu_kind(argv):
    for i, a in enumerate(argv[:-1]):
        if a in ("-machine", "-M") and argv[i + 1].split(",")[0] == "none":
            return "probe"
    if "-incoming" in argv:
        return "restore"
    return "boot" if "-kernel" in argv else "other"


def test_name(cmd):
    """daemon-NAME for tests/daemon/test_NAME.py, else the program's (or the
    script's) name; with the arguments that pick a part of it."""
    prog = os.path.basename(cmd[0]) if cmd else "?"
    rest = cmd[1:]
    if re.match(r"^(python3?|sh|bash|dash|perl)$", prog):
        for i, a in enumerate(rest):
            if not a.startswith("-"):
                prog, rest = os.path.basename(a), rest[i + 1:]
                break
    if prog == "run-fuzz.py" and rest:
        return "fuzz-" + rest[-1]
    if prog == "vksh-golden.sh" and rest:
        # the same script checks vksh and the shell built on libvirt
        return "vksh-golden " + os.path.basename(rest[0])
    m = re.match(r"^test_(.*)\.py$", prog)
    if m:
        prog = "daemon-" + m.group(1)
    return " ".join([prog] + [a for a in rest if re.match(r"^--(only|skip|part)=", a)])


def build_tree(cmd):
    """The build directory's name: from the daemon path meson passes, a
    built argument, or the working directory meson runs the test in."""
    for p in [os.environ.get("VIRTKITD", "")] + cmd + [os.getcwd() + "/"]:
        parts = os.path.abspath(p).split("/") if p else []
        if p and os.path.isdir(p):
            parts.append("")
        for part in parts[:-1]:
            if part.startswith("build"):
                return part
    return "?"


def run(out, cmd):
    name = test_name(cmd)
    procs, cpu, cgdir = cgroup_new(name.split()[0])
    if procs is None:
        sys.stderr.write("test-cost: no writable cgroup, CPU not measured\n")

    def enter():
        if procs:
            with open(procs, "w") as f:
                f.write("0")

    t0 = time.monotonic()
    start = time.time()
    load0 = os.getloadavg()[0]
    child = subprocess.Popen(cmd, preexec_fn=enter)
    # a meson timeout stops the wrapper: pass it on
    signal.signal(signal.SIGTERM, lambda s, f: child.send_signal(s))
    signal.signal(signal.SIGINT, lambda s, f: child.send_signal(s))
    qemus = {}          # (pid, start ticks) -> {kind, cpu, first, last}

    def sample():
        if not procs:
            return
        try:
            with open(procs) as f:
                pids = [int(x) for x in f.read().split()]
        except OSError:
            return
        now = time.monotonic() - t0
        for pid in pids:
            try:
                st = proc_read(pid, "stat").decode(errors="replace")
                comm = st[st.index("(") + 1:st.rindex(")")]
                if not comm.startswith("qemu-system"):
                    continue
                f = st.rsplit(")", 1)[1].split()
                key = (pid, f[19])
                q = qemus.get(key)
                if q is None:
                    argv = proc_read(pid, "cmdline").decode(errors="replace").split("\0")
                    q = qemus[key] = {"kind": qemu_kind(argv), "first": now}
                q["cpu"] = (int(f[11]) + int(f[12])) / TICK
                q["last"] = now
            except (OSError, ValueError):
                continue

    while child.poll() is None:
        sample()
        time.sleep(0.1)
    sample()
    rc = child.returncode
    total = cpu() if cpu else None
    if cgdir:
        # leftovers (they would fail the test elsewhere) go back to the root
        try:
            with open(procs) as f:
                left = f.read().split()
            with open(os.path.join(os.path.dirname(cgdir), "cgroup.procs"), "w") as f:
                for p in left:
                    try:
                        f.write(p)
                        f.flush()
                    except OSError:
                        pass
            os.rmdir(cgdir)
        except OSError:
            pass
    rec = {"name": name, "tree": build_tree(cmd), "rc": rc, "start": round(start, 2),
           "wall": round(time.monotonic() - t0, 2),
           "cpu": round(total, 2) if total is not None else None,
           "load": [round(load0, 1), round(os.getloadavg()[0], 1)],
           "qemu": [{"kind": q["kind"], "cpu": round(q["cpu"], 2),
                     "life": round(q["last"] - q["first"], 1)} for q in qemus.values()]}
    with open(out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    return rc


def report(paths):
    recs = []
    for p in paths:
        with open(p) as f:
            recs += [json.loads(l) for l in f if l.strip()]
    recs.sort(key=lambda r: -(r["cpu"] or 0))
    print("| test (tree) | wall s | CPU s | boots | boot CPU s | restores | other QEMUs "
          "| other CPU s | probes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    keys = ("wall", "cpu", "boot", "bootcpu", "restore", "other", "othercpu", "probe")
    tot = dict.fromkeys(keys, 0)
    for r in recs:
        k = {"boot": [], "restore": [], "other": [], "probe": []}
        for q in r["qemu"]:
            k[q["kind"]].append(q["cpu"])
        row = (r["wall"], r["cpu"] or 0, len(k["boot"]), sum(k["boot"]), len(k["restore"]),
               len(k["other"]), sum(k["other"] + k["restore"] + k["probe"]), len(k["probe"]))
        print("| %s (%s) | %.1f | %.1f | %d | %.1f | %d | %d | %.1f | %d |"
              % ((r["name"], r.get("tree", "?")) + row))
        for key, v in zip(keys, row):
            tot[key] += v
    print("| **all %d** | %.1f | %.1f | %d | %.1f | %d | %d | %.1f | %d |"
          % ((len(recs),) + tuple(tot[k] for k in keys)))
    timed = [r for r in recs if "start" in r]
    if timed:
        t0 = min(r["start"] for r in timed)
        t1 = max(r["start"] + r["wall"] for r in timed)
        print("\nfirst start to last end: %.1f s; CPU of the tests over it: %.2f CPUs"
              % (t1 - t0, sum(r["cpu"] or 0 for r in timed) / max(t1 - t0, 1e-9)))


def main():
    args = sys.argv[1:]
    if args and args[0] == "--report":
        report(args[1:])
        return 0
    if len(args) < 3 or args[0] != "--out":
        sys.stderr.write(__doc__)
        return 2
    out, cmd = args[1], args[2:]
    if cmd and cmd[0] == "--":
        cmd = cmd[1:]
    return run(out, cmd)


if __name__ == "__main__":
    sys.exit(main())
