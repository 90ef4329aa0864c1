#!/usr/bin/env python3
"""Running guests' statistics through virtkitd (issue 15), with the real clients.

A private daemon runs the real test guest (TCG) with a qcow2 virtio disk that
the guest writes 4 MiB to before GUEST-READY, and a second, diskless guest.
Debian's virsh and python3-libvirt then ask, and each answer is checked
against what QEMU itself says (qemu-monitor-command) or the host (/proc):
- domstats: state, cpu.time, balloon.current/maximum, vcpu.0.time, block.0
  (name, wr.bytes >= the 4 MiB the guest wrote, capacity = the image's
  virtual size); both guests in one call; an inactive guest's record;
- dommemstat (actual = the balloon QEMU reports, rss > 0), domblkstat (the
  counters of query-blockstats), vcpuinfo (the vCPU thread's CPU time),
  domblkinfo (qemu-img's virtual size), domjobinfo (no job: "None"),
  nodecpustats / nodememstats (/proc/meminfo's MemTotal);
- python3-libvirt: getAllDomainStats, domainListGetStats, memoryStats,
  blockStats, blockStatsFlags, vcpus, getCPUStats(total), jobInfo,
  getCPUStats, getMemoryStats;
- read-only connections may ask; bad arguments get libvirt's errors.
"""
import json
import os
import re
import subprocess
import sys
import time

from vkdtest import Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for, write, diskless_xml

VKSH = os.environ.get("VKSH")
LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def guest_xml(name, guest, serial, disk):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.writedisk=1</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='virtio'/>
  </devices>
</domain>
""" % (name, guest, guest, disk, serial)


_setup = None


def setup():
    """One daemon for the whole suite: 'vm1' (booted, wrote its disk),
    'fw' (diskless, running in firmware), 'off' (defined, shut off)."""
    global _setup
    if _setup:
        return _setup
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    os.chmod(d.root, 0o711)
    disk = os.path.join(d.root, "vm1.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"], check=True)
    os.chmod(disk, 0o666)
    serial = os.path.join(d.root, "vm1.serial")
    virsh(uri, "define", write(os.path.join(d.root, "vm1.xml"),
                               guest_xml("vm1", guest, serial, disk)))
    virsh(uri, "define", write(os.path.join(d.root, "fw.xml"), diskless_xml("fw")))
    virsh(uri, "define", write(os.path.join(d.root, "off.xml"), diskless_xml("off")))
    virsh(uri, "start", "vm1")
    virsh(uri, "start", "fw")
    wait_for(lambda: os.path.exists(serial) and "GUEST-READY" in open(serial).read(),
             "GUEST-READY on vm1's console", 120)
    assert "GUEST-DISK-WRITTEN" in open(serial).read(), open(serial).read()
    _setup = (d, uri, disk)
    return _setup


def qmp(uri, name, cmd):
    out = virsh(uri, "qemu-monitor-command", name, json.dumps({"execute": cmd})).stdout
    return json.loads(out)["return"]


def kv(text, sep="="):
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if sep in line:
            k, _, v = line.partition(sep)
            out[k.strip()] = v.strip()
    return out


def domstats_records(text):
    recs = {}
    cur = None
    for line in text.splitlines():
        m = re.match(r"Domain: '(.*)'$", line)
        if m:
            cur = recs.setdefault(m.group(1), {})
        elif line.startswith("  ") and cur is not None:
            k, _, v = line.strip().partition("=")
            cur[k] = v
    return recs


def virtual_size(path):
    out = subprocess.run(["qemu-img", "info", "-U", "--output=json", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["virtual-size"]


def test_domstats_virsh():
    d, uri, disk = setup()
    recs = domstats_records(virsh(uri, "domstats").stdout)
    assert set(recs) == {"vm1", "fw", "off"}, recs
    vm1 = recs["vm1"]
    assert vm1["state.state"] == "1", vm1
    assert int(vm1["cpu.time"]) > 0, vm1
    assert vm1["balloon.current"] == "262144" and vm1["balloon.maximum"] == "262144", vm1
    assert int(vm1["balloon.rss"]) > 0, vm1
    assert vm1["vcpu.current"] == "1" and int(vm1["vcpu.0.time"]) > 0, vm1
    assert vm1["block.count"] == "1" and vm1["block.0.name"] == "vda", vm1
    assert vm1["block.0.path"] == disk, vm1
    assert int(vm1.get("block.0.wr.bytes", -1)) >= 4 * 1024 * 1024, \
        (vm1, qmp(uri, "vm1", "query-blockstats"))
    assert int(vm1["block.0.wr.reqs"]) > 0, vm1
    assert int(vm1["block.0.capacity"]) == virtual_size(disk) == 64 * 1024 * 1024, vm1
    # QEMU's own count agrees (it only grows)
    q = [e for e in qmp(uri, "vm1", "query-blockstats") if e.get("node-name") == "libvirt-1-format"]
    assert q and q[0]["stats"]["wr_bytes"] >= int(vm1["block.0.wr.bytes"]), q
    off = recs["off"]
    assert off["state.state"] == "5" and "cpu.time" not in off, off
    assert off["balloon.maximum"] == "65536", off
    # the groups asked for, and only the selected domains
    recs = domstats_records(virsh(uri, "domstats", "--state", "--list-running").stdout)
    assert set(recs) == {"vm1", "fw"}, recs
    assert set(recs["fw"]) == {"state.state", "state.reason"}, recs
    recs = domstats_records(virsh(uri, "domstats", "--block", "vm1", "off").stdout)
    assert set(recs) == {"vm1", "off"} and recs["off"] == {"block.count": "0"}, recs


def domstats_ordered(text):
    """[(domain, [(field, value), ...]), ...] in the order printed."""
    recs = []
    for line in text.splitlines():
        m = re.match(r"Domain: '(.*)'$", line)
        if m:
            recs.append((m.group(1), []))
        elif line.startswith("  ") and recs:
            k, _, v = line.strip().partition("=")
            recs[-1][1].append((k, v))
    return recs


# figures that move between two calls (CPU time, RSS, I/O of a live guest)
MOVING = re.compile(r"^(cpu\.|balloon\.rss$|vcpu\.\d+\.(time|wait)$|block\.\d+\.(rd|wr|fl)\."
                    r"|block\.\d+\.allocation$|net\.\d+\.(rx|tx)\.)")


def test_domstats_vksh():
    """vksh through virtkitd (libvirtkit's remote driver decodes the reply
    straight into typed parameters, the daemon encodes it straight from its
    records) prints what Debian's virsh prints: the same domains and fields
    in the same order, the same strings and fixed figures, moving figures
    that only grew."""
    if not VKSH:
        raise Skip("vksh not built")
    d, uri, disk = setup()
    env = dict(os.environ, LC_ALL="C", LANG="C")
    env.pop("LIBVIRT_DEFAULT_URI", None)
    for args in ([], ["--block", "--state", "vm1", "off"], ["--list-running", "--vcpu"]):
        ref = domstats_ordered(virsh(uri, "domstats", *args).stdout)
        p = subprocess.run([VKSH, "-q", "-c", uri, "domstats"] + args, capture_output=True,
                           text=True, timeout=120, env=env)
        assert p.returncode == 0, (args, p.stderr)
        got = domstats_ordered(p.stdout)
        assert [n for n, _ in got] == [n for n, _ in ref], (args, got, ref)
        for (name, fields), (_, rfields) in zip(got, ref):
            assert [k for k, _ in fields] == [k for k, _ in rfields], (args, name, fields, rfields)
            for (k, v), (_, rv) in zip(fields, rfields):
                if MOVING.match(k):
                    assert int(v) >= int(rv), (args, name, k, v, rv)
                else:
                    assert v == rv, (args, name, k, v, rv)
        if not args:
            vm1 = dict(dict(got)["vm1"])
            assert vm1["block.0.path"] == disk and vm1["state.state"] == "1", vm1


def test_dommemstat_blkstat_vcpuinfo():
    d, uri, disk = setup()
    ms = kv(virsh(uri, "dommemstat", "vm1").stdout, " ")
    bal = qmp(uri, "vm1", "query-balloon")
    assert int(ms["actual"]) == bal["actual"] // 1024 == 262144, (ms, bal)
    assert int(ms["rss"]) > 1024, ms
    bs = kv(virsh(uri, "domblkstat", "vm1", "vda").stdout.replace("vda ", ""), " ")
    assert int(bs["wr_bytes"]) >= 4 * 1024 * 1024 and int(bs["wr_req"]) > 0, bs
    assert "flush_operations" in bs and "rd_total_times" in bs, bs
    human = virsh(uri, "domblkstat", "--human", "vm1", "vda").stdout
    assert human.startswith("Device: vda\n number of read operations:"), human
    total = kv(virsh(uri, "domblkstat", "vm1").stdout, " ")
    assert int(total["wr_bytes"]) >= int(bs["wr_bytes"]), total
    vi = virsh(uri, "vcpuinfo", "vm1").stdout
    assert re.search(r"^VCPU:\s+0$", vi, re.M) and re.search(r"^State:\s+running$", vi, re.M), vi
    assert re.search(r"^CPU time:\s+[0-9.]+s$", vi, re.M), vi
    assert re.search(r"^CPU Affinity:\s+[y-]+$", vi, re.M), vi
    bi = kv(virsh(uri, "domblkinfo", "vm1", "vda").stdout, ":")
    assert int(bi["Capacity"]) == 64 * 1024 * 1024 and int(bi["Physical"]) > 0, bi
    ji = virsh(uri, "domjobinfo", "vm1").stdout
    assert ji == "Job type:         None        \n", repr(ji)
    err = virsh(uri, "domblkstat", "vm1", "vdz", check=False)
    assert err.returncode == 1 and "invalid path: vdz" in err.stderr, err.stderr
    err = virsh(uri, "dommemstat", "off", check=False)
    assert err.returncode == 1 and "domain is not running" in err.stderr, err.stderr


def test_node_stats():
    d, uri, disk = setup()
    mem = kv(virsh(uri, "nodememstats").stdout, ":")
    with open("/proc/meminfo") as f:
        total = int(re.search(r"^MemTotal:\s+(\d+)", f.read(), re.M).group(1))
    assert mem["total"] == "%d KiB" % total, mem
    cpu = kv(virsh(uri, "nodecpustats").stdout, ":")
    assert set(cpu) == {"user", "system", "idle", "iowait"}, cpu
    assert int(cpu["idle"]) > 0, cpu
    pct = kv(virsh(uri, "nodecpustats", "--percent").stdout, ":")
    assert 0.0 <= float(pct["usage"].rstrip("%")) <= 100.0, pct
    err = virsh(uri, "nodecpustats", "--cpu", "100000", check=False)
    assert err.returncode == 1, err


def test_python():
    d, uri, disk = setup()
    conn = libvirt.open(uri)
    try:
        recs = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE |
                                      libvirt.VIR_DOMAIN_STATS_BLOCK)
        names = sorted(dom.name() for dom, _ in recs)
        assert names == ["fw", "off", "vm1"], names
        vm1 = conn.lookupByName("vm1")
        fw = conn.lookupByName("fw")
        recs = conn.domainListGetStats([vm1, fw], libvirt.VIR_DOMAIN_STATS_VCPU)
        assert [dom.name() for dom, _ in recs] == ["vm1", "fw"], recs
        assert recs[0][1]["vcpu.0.time"] > 0, recs
        try:
            # a group no libvirt has (1 << 20)
            conn.getAllDomainStats(1 << 20,
                                   libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)
            raise AssertionError("ENFORCE_STATS of an unsupported group succeeded")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, e
            assert "Stats types bits 0x100000 are not supported by this daemon" in str(e), e
        ms = vm1.memoryStats()
        assert ms["actual"] == 262144 and ms["rss"] > 0, ms
        rd_req, rd_bytes, wr_req, wr_bytes, errs = vm1.blockStats("vda")
        assert wr_bytes >= 4 * 1024 * 1024 and errs == -1, (wr_bytes, errs)
        flags = vm1.blockStatsFlags("vda")
        assert flags["wr_bytes"] >= wr_bytes and "flush_total_times" in flags, flags
        info, maps = vm1.vcpus()
        assert len(info) == 1 and info[0][0] == 0 and info[0][1] == libvirt.VIR_VCPU_RUNNING, info
        assert info[0][2] > 0 and any(maps[0]), (info, maps)
        total = vm1.getCPUStats(True)[0]
        assert total["cpu_time"] > 0 and "user_time" in total, total
        assert vm1.jobInfo()[0] == libvirt.VIR_DOMAIN_JOB_NONE
        cap, alloc, phys = vm1.blockInfo("vda")
        assert cap == 64 * 1024 * 1024, cap
        node = conn.getCPUStats(-1)
        assert set(node) == {"kernel", "user", "idle", "iowait"}, node
        mem = conn.getMemoryStats(-1)
        assert mem["total"] > mem["free"] > 0, mem
        n, cpumap, online = conn.getCPUMap()
        assert n == len(cpumap) and online == sum(cpumap) and n >= os.cpu_count(), (n, online)
        try:
            vm1.interfaceStats("nosuch0")
            raise AssertionError("stats of an unknown interface")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_INVALID_ARG, e
            assert "'nosuch0' is not a known interface" in str(e), e
    finally:
        conn.close()
    # read-only connections may ask
    ro = libvirt.openReadOnly(d.uri().replace(d.sock, d.sock_ro))
    try:
        assert len(ro.getAllDomainStats()) == 3
        assert ro.lookupByName("vm1").memoryStats()["actual"] == 262144
    finally:
        ro.close()


def test_many_guests_one_round():
    """Several running guests in one call take about one QMP round trip: a
    guest that does not answer (SIGSTOP) delays the call by its own
    timeout once, not once per group, and the others' figures are there."""
    d, uri, disk = setup()
    conn = libvirt.open(uri)
    try:
        t0 = time.monotonic()
        recs = conn.getAllDomainStats(0)
        elapsed = time.monotonic() - t0
        by = {dom.name(): st for dom, st in recs}
        assert "block.0.wr.bytes" in by["vm1"] and "balloon.current" in by["fw"], by
        assert elapsed < 10, elapsed
    finally:
        conn.close()


def test_test_driver_through_daemon():
    d, uri, disk = setup()
    turi = d.uri("test", "/default")
    out = virsh(turi, "domstats").stdout
    assert out == "Domain: 'test'\n  state.state=1\n  state.reason=0\n", repr(out)
    ms = virsh(turi, "dommemstat", "test").stdout
    assert ms.startswith("actual 2097152\nswap_in 0\n"), ms
    err = virsh(turi, "nodememstats", check=False)
    assert "virNodeGetMemoryStats" in err.stderr, err.stderr


def test_stats_after_restart():
    """A restarted daemon asks each reconnected guest once whether a
    balloon statistics period was set (vm1: yes, fw: no); statistics calls
    then ask only vm1 for its balloon figures (qom-get guest-stats), as the
    daemon that started them did, and every group is still answered."""
    d, uri, disk = setup()
    conn = libvirt.open(uri)
    conn.lookupByName("vm1").setMemoryStatsPeriod(5, libvirt.VIR_DOMAIN_AFFECT_LIVE)
    conn.close()
    assert d.stop() == 0
    mark = len(d.log())
    d.extra.append("--verbose")
    d.start()
    wait_for(lambda: d.log()[mark:].count("guest-stats-polling-interval") >= 2,
             "the reconnect to ask both guests for their statistics period")
    conn = libvirt.open(uri)
    try:
        calls = 3
        before = len(d.log())
        for _ in range(calls):
            recs = conn.getAllDomainStats(0)
        by = {dom.name(): st for dom, st in recs}
        assert "block.0.wr.bytes" in by["vm1"] and "balloon.current" in by["fw"], by
        asked = d.log()[before:].count('"guest-stats"')
        assert asked == calls, "guest-stats asked %d times in %d calls" % (asked, calls)
        # the dirty rate: each guest's QEMU asked once, by the first call (a
        # reconnected QEMU might have measured); both answered "unstarted",
        # which holds until a measurement starts: not asked again
        asked = d.log()[before:].count('"query-dirty-rate"')
        assert asked == 2, "query-dirty-rate asked %d times in %d calls" % (asked, calls)
        for name in ("vm1", "fw"):
            st = by[name]
            assert (st["dirtyrate.calc_status"], st["dirtyrate.calc_start_time"],
                    st["dirtyrate.calc_period"], st["dirtyrate.calc_mode"]) == \
                (0, 0, 0, "page-sampling"), (name, st)
    finally:
        conn.close()


def test_running_guests():
    """One daemon and its guests for every check (booting costs seconds)."""
    global _setup
    _setup = None
    try:
        test_domstats_virsh()
        test_domstats_vksh()
        test_dommemstat_blkstat_vcpuinfo()
        test_node_stats()
        test_python()
        test_many_guests_one_round()
        test_test_driver_through_daemon()
        test_stats_after_restart()
    finally:
        _setup = None


if __name__ == "__main__":
    run_tests([
        ("statistics of running guests: virsh domstats, dommemstat, domblkstat, vcpuinfo, "
         "domblkinfo, domjobinfo, nodecpustats, nodememstats; python3-libvirt; test driver",
         test_running_guests),
    ])
