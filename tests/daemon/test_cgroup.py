#!/usr/bin/env python3
"""Each QEMU in its own cgroup, and schedinfo / cpu-stats through it (issue 15).

A private virtkitd (system mode, cgroups on) runs the real test guest under
TCG with 2 vCPUs; Debian's virsh and python3-libvirt tune it, and every
answer is checked against the cgroup files of the guest's QEMU and its
threads (not just the API's echo):
- placement as libvirtd 9.0 does it on this host: every thread of QEMU in
  machine/qemu-ID-NAME.libvirt-qemu, the vCPU threads in vcpuN, the others
  in emulator (cpu, cpuset, v2 hierarchies), before the vCPUs run;
- virsh schedinfo prints libvirtd's text; --set changes cpu.shares,
  vcpuN/cpu.cfs_quota_us, emulator/cpu.cfs_period_us; bad values get
  libvirtd's errors and change nothing; --config goes to the definition;
- <cputune> in the definition (shares, vcpupin, emulatorpin; <vcpu cpuset> the
  pin of vCPUs without one) is applied at
  start: cpu.shares, cpuset.cpus of the thread groups, the threads' affinity;
- cpu-stats --total equals the group's cpu.stat; the per-CPU split gets
  libvirtd's error on a v2 cpuacct;
- a daemon restart adopts the group (tuning still works), destroy removes
  every directory it made;
- cgroup_controllers = [ ] in qemu.conf: no group, libvirt's error.
Guests get names unique to this run (the partition is host-wide).
"""
import os
import re
import sys

from vkdtest import (Daemon, Skip, kill_pid, qemu_pids, run_tests, test_guest_dir, virsh,
                     wait_for, wait_guest, write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

CG = "/sys/fs/cgroup"
TAG = "vkcg%d" % os.getpid()

# virsh schedinfo of a fresh guest, as libvirtd 9.0 printed it on this host
SCHED_DEFAULT = """Scheduler      : posix
cpu_shares     : 1024
vcpu_period    : 100000
vcpu_quota     : -1
emulator_period: 100000
emulator_quota : -1
global_period  : 100000
global_quota   : -1
iothread_period: 100000
iothread_quota : -1
"""  # (virsh -q drops the blank line that ends it)


def hierarchies():
    """The cgroup mounts serving cpu, cpuset, memory (v1) and the v2 tree."""
    out = {}
    for line in open("/proc/self/mounts"):
        f = line.split()
        if f[2] == "cgroup2":
            out.setdefault("v2", f[1])
        elif f[2] == "cgroup":
            for opt in f[3].split(","):
                if opt in ("cpu", "cpuset", "memory", "cpuacct", "blkio"):
                    out[opt] = f[1]
    return out


def guest_xml(name, guest, serial, cputune="", vcpu="<vcpu>2</vcpu>"):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>128</memory>
  %s%s
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, vcpu, cputune, guest, guest, serial)


def group_rel(uri, name):
    dom_id = virsh(uri, "domid", name).stdout.strip()
    return "machine/qemu-%s-%s.libvirt-qemu" % (dom_id, name)


def read(path):
    with open(path) as f:
        return f.read().strip()


def qemu_pid(d, name):
    """The one QEMU of daemon @d (each test's daemon runs one guest)."""
    pids = qemu_pids(d.root)
    assert len(pids) == 1, pids
    return pids[0]


def threads(pid):
    """{tid: (comm, {controller-or-'v2': path})}"""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        comm = read("/proc/%d/task/%s/comm" % (pid, tid))
        paths = {}
        for line in open("/proc/%d/task/%s/cgroup" % (pid, tid)):
            num, ctrls, path = line.rstrip("\n").split(":", 2)
            if num == "0":
                paths["v2"] = path
            for c in ctrls.split(","):
                paths[c] = path
        out[int(tid)] = (comm, paths)
    return out


def all_mounts():
    return set(line.split()[1] for line in open("/proc/self/mounts")
               if line.split()[2] in ("cgroup", "cgroup2"))


def remove_leftovers(d):
    """After a failure: kill this daemon's QEMU, then remove this run's
    groups (a group empties only once its killed QEMU is fully gone)."""
    d.kill()
    for pid in qemu_pids(d.root):
        kill_pid(pid)
    wait_for(lambda: not qemu_pids(d.root), "QEMU of %s to exit" % d.root, 20)

    def sweep():
        left = 0
        for mount in all_mounts():
            base = os.path.join(mount, "machine")
            if not os.path.isdir(base):
                continue
            for g in os.listdir(base):
                if TAG not in g:
                    continue
                gd = os.path.join(base, g)
                try:
                    for sub in os.listdir(gd):
                        if os.path.isdir(os.path.join(gd, sub)):
                            os.rmdir(os.path.join(gd, sub))
                    os.rmdir(gd)
                except OSError:
                    left += 1
        return left == 0
    wait_for(sweep, "this run's cgroups to be removable", 20, step=0.2)


def start_daemon(conf=""):
    d = Daemon()
    os.makedirs(d.dirs["config"], exist_ok=True)
    write(os.path.join(d.dirs["config"], "qemu.conf"), conf)
    d.start()
    os.chmod(d.root, 0o711)
    return d


def check_env():
    if os.geteuid() != 0:
        raise Skip("cgroups need a root daemon")
    h = hierarchies()
    if "cpu" not in h and "v2" not in h:
        raise Skip("no cgroup hierarchy mounted")
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    return h, guest


def test_placement_schedinfo_restart():
    h, guest = check_env()
    if "cpu" not in h:
        raise Skip("this test reads the v1 cpu controller (hybrid or v1 host)")
    name = TAG + "a"
    d = start_daemon()
    uri = d.uri()
    serial = os.path.join(d.root, "a.serial")
    try:
        # one IOThread pinned to CPU 0 (QEMU names its thread "IO iothread1")
        iot = ("<iothreads>1</iothreads>"
               "<cputune><iothreadpin iothread='1' cpuset='0'/></cputune>")
        virsh(uri, "define", write(os.path.join(d.root, "a.xml"),
                                   guest_xml(name, guest, serial, cputune=iot)))
        virsh(uri, "start", name)
        rel = group_rel(uri, name)
        pid = qemu_pid(d, name)
        # placement: vCPU threads in vcpuN, the IOThread in iothread1 (its
        # pin as affinity), every other thread in emulator
        ths = threads(pid)
        vcpus = sorted(t for t, (comm, _) in ths.items() if comm.startswith("CPU "))
        assert len(vcpus) == 2, ths
        iothr = [t for t, (comm, _) in ths.items() if comm == "IO iothread1"]
        assert len(iothr) == 1, ths
        status = read("/proc/%d/task/%d/status" % (pid, iothr[0]))
        assert re.search(r"^Cpus_allowed_list:\s+0$", status, re.M), status
        for tid, (comm, paths) in ths.items():
            want = "/" + rel + ("/vcpu%s" % comm.split()[1].split("/")[0]
                                if comm.startswith("CPU ") else
                                "/iothread1" if comm == "IO iothread1" else "/emulator")
            assert paths["cpu"] == want, (comm, paths, want)
            if "cpuset" in h:
                assert paths["cpuset"] == want, (comm, paths)
            if "v2" in h:
                assert paths["v2"] == want, (comm, paths)
            if "memory" in h:
                assert paths["memory"] == "/" + rel, (comm, paths)
        cpu = os.path.join(h["cpu"], rel)
        assert read(os.path.join(cpu, "cgroup.procs")) == "", "QEMU left in the parent"

        # schedinfo: libvirtd's text, then each --set lands in its file
        out = virsh(uri, "schedinfo", name).stdout
        assert out == SCHED_DEFAULT, repr(out)
        out = virsh(uri, "schedinfo", name, "--set", "cpu_shares=512").stdout
        assert "cpu_shares     : 512\n" in out, out
        assert read(os.path.join(cpu, "cpu.shares")) == "512"
        virsh(uri, "schedinfo", name, "--live", "--set", "vcpu_quota=50000")
        for n in (0, 1):
            assert read(os.path.join(cpu, "vcpu%d" % n, "cpu.cfs_quota_us")) == "50000"
        assert read(os.path.join(cpu, "emulator", "cpu.cfs_quota_us")) == "-1"
        virsh(uri, "schedinfo", name, "emulator_period=20000")
        assert read(os.path.join(cpu, "emulator", "cpu.cfs_period_us")) == "20000"
        virsh(uri, "schedinfo", name, "--live", "--set", "iothread_quota=40000")
        assert read(os.path.join(cpu, "iothread1", "cpu.cfs_quota_us")) == "40000"
        assert "iothread_quota : 40000" in virsh(uri, "schedinfo", name).stdout
        virsh(uri, "schedinfo", name, "--set", "global_quota=80000")
        assert read(os.path.join(cpu, "cpu.cfs_quota_us")) == "80000"
        # bad values: libvirtd's errors, nothing changes
        for arg, err in (("cpu_shares=1", "error: invalid argument: shares '1' must be in "
                          "range [2, 262144]"),
                         ("global_quota=123", "error: invalid argument: value of "
                          "'global_quota' is out of range [1000, 17592186044415]"),
                         ("vcpu_period=999", "error: invalid argument: value of "
                          "'vcpu_period' is out of range [1000, 1000000]"),
                         ("foo=1", "error: invalid scheduler option: foo")):
            p = virsh(uri, "schedinfo", name, "--set", arg, check=False)
            assert p.returncode == 1 and err in p.stderr, (arg, p.stderr)
        assert read(os.path.join(cpu, "cpu.shares")) == "512"
        assert read(os.path.join(cpu, "vcpu0", "cpu.cfs_period_us")) == "100000"
        # --config: the definition only
        virsh(uri, "schedinfo", name, "--config", "--set", "cpu_shares=300")
        assert "<shares>300</shares>" in virsh(uri, "dumpxml", "--inactive", name).stdout
        assert read(os.path.join(cpu, "cpu.shares")) == "512"
        live = virsh(uri, "dumpxml", name).stdout
        assert "<shares>512</shares>" in live and "<quota>50000</quota>" in live, live
        assert "<partition>/machine</partition>" in live, live

        # python3-libvirt
        conn = libvirt.open(uri)
        dom = conn.lookupByName(name)
        assert tuple(dom.schedulerType()) == ("posix", 9), dom.schedulerType()
        par = dom.schedulerParameters()
        assert par["cpu_shares"] == 512 and par["vcpu_quota"] == 50000, par
        dom.setSchedulerParameters({"cpu_shares": 600})
        assert read(os.path.join(cpu, "cpu.shares")) == "600"
        try:
            dom.setSchedulerParametersFlags({"cpu_shares": "x"}, 0)
            raise AssertionError("a string cpu_shares was accepted")
        except (libvirt.libvirtError, TypeError):
            pass

        # cpu-stats: the group's own accounting
        if "v2" in h:
            stat = os.path.join(h["v2"], rel, "cpu.stat")
            before = int(re.search(r"usage_usec (\d+)", read(stat)).group(1))
            tot = dom.getCPUStats(True)[0]
            after = int(re.search(r"usage_usec (\d+)", read(stat)).group(1))
            assert before * 1000 <= tot["cpu_time"] <= after * 1000, (before, tot, after)
            p = virsh(uri, "cpu-stats", name, check=False)
            assert p.returncode == 1 and (
                "operation 'getCpuacctPercpuUsage' not supported for backend 'cgroup V2'"
                in p.stderr), p.stderr
        conn.close()

        # a daemon restart adopts the group
        d.stop()
        d.start()
        virsh(uri, "schedinfo", name, "--set", "cpu_shares=800")
        assert read(os.path.join(cpu, "cpu.shares")) == "800"
        dirs = [os.path.join(m, rel) for m in all_mounts()
                if os.path.isdir(os.path.join(m, rel))]
        assert len(dirs) >= 2, dirs
        virsh(uri, "destroy", name)
        left = [x for x in dirs if os.path.exists(x)]
        assert not left, left
        assert os.path.isdir(os.path.join(h["cpu"], "machine"))
    finally:
        remove_leftovers(d)


def test_cputune_in_definition():
    h, guest = check_env()
    if "cpu" not in h or "cpuset" not in h:
        raise Skip("needs the v1 cpu and cpuset controllers")
    if os.cpu_count() < 2:
        raise Skip("pinning needs two host CPUs")
    name = TAG + "b"
    d = start_daemon()
    uri = d.uri()
    serial = os.path.join(d.root, "b.serial")
    tune = """
  <cputune><shares>333</shares><vcpupin vcpu='1' cpuset='1'/>
    <emulatorpin cpuset='0'/><period>50000</period></cputune>"""
    try:
        # vCPU 1 is not there at boot: it is hotplugged below, and must then
        # get what a boot vCPU gets (its group, pin and period)
        virsh(uri, "define", write(os.path.join(d.root, "b.xml"),
                                   guest_xml(name, guest, serial, tune,
                                             "<vcpu cpuset='0' current='1'>2</vcpu>")))
        virsh(uri, "start", name)
        rel = group_rel(uri, name)
        cpu = os.path.join(h["cpu"], rel)
        cpuset = os.path.join(h["cpuset"], rel)
        assert read(os.path.join(cpu, "cpu.shares")) == "333"
        # <vcpu cpuset> is the pin of a vCPU without its own <vcpupin>
        assert read(os.path.join(cpuset, "vcpu0", "cpuset.cpus")) == "0"
        assert read(os.path.join(cpu, "vcpu0", "cpu.cfs_period_us")) == "50000"
        assert not os.path.exists(os.path.join(cpu, "vcpu1"))
        virsh(uri, "setvcpus", name, "2", "--live")
        pid = qemu_pid(d, name)
        ths = threads(pid)
        hot = [(t, p) for t, (comm, p) in ths.items() if comm.startswith("CPU 1/")]
        assert len(hot) == 1, ths
        assert hot[0][1]["cpu"] == "/" + rel + "/vcpu1", hot
        assert hot[0][1]["cpuset"] == "/" + rel + "/vcpu1", hot
        assert read(os.path.join(cpu, "vcpu1", "cpu.cfs_period_us")) == "50000"
        assert read(os.path.join(cpuset, "vcpu1", "cpuset.cpus")) == "1"
        assert read(os.path.join(cpuset, "emulator", "cpuset.cpus")) == "0"
        pid = qemu_pid(d, name)
        for tid, (comm, _) in threads(pid).items():
            if comm.startswith("CPU 1/"):
                assert os.sched_getaffinity(tid) == {1}, (comm, os.sched_getaffinity(tid))
            elif comm.startswith("CPU 0/"):
                assert os.sched_getaffinity(tid) == {0}, (comm, os.sched_getaffinity(tid))
            elif not comm.startswith("CPU "):
                assert os.sched_getaffinity(tid) == {0}, (comm, os.sched_getaffinity(tid))
        out = virsh(uri, "dumpxml", name).stdout
        assert "<vcpupin vcpu='1' cpuset='1'/>" in out and "<emulatorpin cpuset='0'/>" in out
        assert "<vcpu placement='static' cpuset='0'>2</vcpu>" in out, out  # both online
        # unplugged again (the booted guest lets it go): its group goes too
        # pinned to CPU 0 on a loaded host this boot can be slow: the wait is
        # on the guest's CPU time, not the clock
        wait_guest(lambda: "GUEST-READY" in open(serial, errors="replace").read(),
                   "the guest up", 120, uri, name, serial, daemon=d, cpu_budget=8)
        virsh(uri, "setvcpus", name, "1", "--live")
        assert not os.path.exists(os.path.join(cpu, "vcpu1")), os.listdir(cpu)
        assert not os.path.exists(os.path.join(cpuset, "vcpu1")), os.listdir(cpuset)
        assert os.path.isdir(os.path.join(cpu, "vcpu0"))
        virsh(uri, "destroy", name)
        assert not os.path.exists(cpu) and not os.path.exists(cpuset)
    finally:
        remove_leftovers(d)


def test_no_cgroups():
    h, guest = check_env()
    name = TAG + "c"
    d = start_daemon("cgroup_controllers = [ ]\n")
    uri = d.uri()
    try:
        virsh(uri, "define", write(os.path.join(d.root, "c.xml"),
                                   guest_xml(name, guest, os.path.join(d.root, "c.serial"))))
        virsh(uri, "start", name)
        p = virsh(uri, "schedinfo", name, check=False)
        assert p.returncode == 1, p.stdout
        assert "error: Requested operation is not valid: cgroup CPU controller is not mounted" \
            in p.stderr, p.stderr
        for mount in all_mounts():
            base = os.path.join(mount, "machine")
            assert not (os.path.isdir(base) and any(name in g for g in os.listdir(base)))
        virsh(uri, "destroy", name)
        # shut off: the definition's values answer
        out = virsh(uri, "schedinfo", name, "--config").stdout
        assert "cpu_shares     : 0\n" in out, out
    finally:
        remove_leftovers(d)


def test_memtune_pins_numatune_blkiotune():
    """memtune, vcpupin, emulatorpin, numatune, blkiotune on the running
    guest through Debian's virsh: the cgroup files and the threads'
    affinity change, libvirtd's texts on refusals, --config on disk."""
    h, guest = check_env()
    if not all(k in h for k in ("cpu", "cpuset", "memory")):
        raise Skip("needs the v1 cpu, cpuset and memory controllers")
    if os.cpu_count() < 2:
        raise Skip("pinning needs two host CPUs")
    name = TAG + "d"
    d = start_daemon()
    uri = d.uri()
    try:
        virsh(uri, "define", write(os.path.join(d.root, "d.xml"),
                                   guest_xml(name, guest, os.path.join(d.root, "d.serial"))))
        virsh(uri, "start", name)
        rel = group_rel(uri, name)
        mem = os.path.join(h["memory"], rel)
        cpuset = os.path.join(h["cpuset"], rel)
        pid = qemu_pid(d, name)

        # memtune: KiB in, bytes in the v1 files
        out = virsh(uri, "memtune", name).stdout
        assert out == ("hard_limit     : unlimited\nsoft_limit     : unlimited\n"
                       "swap_hard_limit: unlimited\n"), repr(out)
        virsh(uri, "memtune", name, "--hard-limit", "300000")
        virsh(uri, "memtune", name, "--soft-limit", "200000", "--swap-hard-limit", "400000")
        assert read(os.path.join(mem, "memory.limit_in_bytes")) == str(300000 * 1024)
        assert read(os.path.join(mem, "memory.soft_limit_in_bytes")) == str(200000 * 1024)
        if os.path.exists(os.path.join(mem, "memory.memsw.limit_in_bytes")):
            assert read(os.path.join(mem, "memory.memsw.limit_in_bytes")) == str(400000 * 1024)
        p = virsh(uri, "memtune", name, "--hard-limit", "500000", check=False)
        assert p.returncode == 1 and ("error: Unable to change memory parameters\nerror: "
                                      "invalid argument: memory hard_limit tunable value must "
                                      "be lower than or equal to swap_hard_limit") in p.stderr, \
            p.stderr
        assert read(os.path.join(mem, "memory.limit_in_bytes")) == str(300000 * 1024)
        out = virsh(uri, "memtune", name).stdout
        assert out == ("hard_limit     : 300000\nsoft_limit     : 200000\n"
                       "swap_hard_limit: 400000\n"), repr(out)
        virsh(uri, "memtune", name, "--hard-limit", "250000", "--config")
        assert "<hard_limit unit='KiB'>250000</hard_limit>" in \
            virsh(uri, "dumpxml", "--inactive", name).stdout
        assert read(os.path.join(mem, "memory.limit_in_bytes")) == str(300000 * 1024)

        # vcpupin: the vcpuN group's cpuset and the thread's affinity
        virsh(uri, "vcpupin", name, "0", "1")
        assert read(os.path.join(cpuset, "vcpu0", "cpuset.cpus")) == "1"
        tid0 = [t for t, (c, _) in threads(pid).items() if c.startswith("CPU 0/")][0]
        assert os.sched_getaffinity(tid0) == {1}
        out = virsh(uri, "vcpupin", name).stdout
        assert out.split("\n")[0].split() == ["0", "1"], out  # -q: no header
        p = virsh(uri, "vcpupin", name, "5", "1", check=False)
        assert p.returncode == 1 and \
            "invalid argument: vcpu 5 is out of range of live cpu count 2" in p.stderr, p.stderr
        assert "CPU Affinity:   -y" in virsh(uri, "vcpuinfo", name).stdout
        # emulatorpin: the emulator group's cpuset and QEMU's main thread
        virsh(uri, "emulatorpin", name, "0")
        assert read(os.path.join(cpuset, "emulator", "cpuset.cpus")) == "0"
        assert os.sched_getaffinity(pid) == {0}
        assert virsh(uri, "emulatorpin", name).stdout.strip() == "0"  # -q: the map only

        # numatune: cpuset.mems of the groups; a running mode cannot change
        virsh(uri, "numatune", name, "--nodeset", "0")
        assert read(os.path.join(cpuset, "cpuset.mems")) == "0"
        assert read(os.path.join(cpuset, "emulator", "cpuset.mems")) == "0"
        p = virsh(uri, "numatune", name, "--mode", "interleave", check=False)
        assert p.returncode == 1 and "can't change numatune mode for running domain" \
            in p.stderr, p.stderr
        out = virsh(uri, "numatune", name).stdout
        assert out == "numa_mode      : strict\nnuma_nodeset   : 0\n", repr(out)

        # blkiotune: the weight needs bfq/cfq, as libvirtd says on this host
        blk = os.path.join(h["blkio"], rel) if "blkio" in h else None
        p = virsh(uri, "blkiotune", name, "--weight", "500", check=False)
        if blk and not (os.path.exists(os.path.join(blk, "blkio.weight")) or
                        os.path.exists(os.path.join(blk, "blkio.bfq.weight"))):
            assert p.returncode == 1 and ("blkio device weight is valid only for bfq or cfq "
                                          "scheduler") in p.stderr, p.stderr
        virsh(uri, "blkiotune", name, "--weight", "700", "--config")
        assert "<weight>700</weight>" in virsh(uri, "dumpxml", "--inactive", name).stdout

        # python3-libvirt sees the same
        conn = libvirt.open(uri)
        dom = conn.lookupByName(name)
        assert dom.memoryParameters(0)["hard_limit"] == 300000
        assert dom.numaParameters(0) == {"numa_mode": 0, "numa_nodeset": "0"}
        assert dom.vcpuPinInfo(0)[0] == (False, True), dom.vcpuPinInfo(0)
        assert dom.emulatorPinInfo(0) == (True, False), dom.emulatorPinInfo(0)
        dom.pinVcpu(1, (True, False))
        tid1 = [t for t, (c, _) in threads(pid).items() if c.startswith("CPU 1/")][0]
        assert os.sched_getaffinity(tid1) == {0}
        conn.close()

        # the live values survive a daemon restart (status file)
        d.stop()
        d.start()
        out = virsh(uri, "memtune", name).stdout
        assert "hard_limit     : 300000" in out, out
        virsh(uri, "vcpupin", name, "0", "0-1")
        assert read(os.path.join(cpuset, "vcpu0", "cpuset.cpus")) == "0-1"
        virsh(uri, "destroy", name)
        assert not os.path.exists(mem) and not os.path.exists(cpuset)
        # the definition kept the --config values
        xml = virsh(uri, "dumpxml", name).stdout
        assert "<hard_limit unit='KiB'>250000</hard_limit>" in xml, xml
    finally:
        remove_leftovers(d)


if __name__ == "__main__":
    run_tests([
        ("placement, schedinfo, cpu-stats, restart, removal", test_placement_schedinfo_restart),
        ("cputune of the definition at start", test_cputune_in_definition),
        ("cgroup_controllers = [ ]: libvirt's errors", test_no_cgroups),
        ("memtune, vcpupin, emulatorpin, numatune, blkiotune", test_memtune_pins_numatune_blkiotune),
    ])
