#!/usr/bin/env python3
"""A running guest's IOThreads through virtkitd (issue 15): iothreadinfo,
iothreadpin, iothreadadd, iothreaddel, iothreadset and the "iothread"
statistics group, driven by Debian's virsh and python3-libvirt.

A private virtkitd (system mode) runs a QEMU (TCG) with one IOThread that
its virtio disk uses. Every change is checked where it lands, not by the
API's echo: QEMU's query-iothreads and qom-get (virsh
qemu-monitor-command), the IOThread's thread in /proc/PID/task (its name
"IO iothreadN" and Cpus_allowed_list), the live and inactive XML, and the
definition after a daemon restart; a live pin raises libvirt's TUNABLE
event (cputune.iothreadpinN), seen by virsh event. Refusals carry libvirt 9.0's code,
domain and text (qemu_driver.c, hypervisor/domain_driver.c) and change
nothing. With cgroups (root, a cpuset hierarchy) the live pin also lands in
the IOThread's cpuset.cpus and a deleted IOThread's group goes.
"""
import json
import os
import re
import sys

from vkdtest import expect_error_exact
from vkdtest import (Daemon, Skip, VirshEvents, diskless_xml, kill_pid, qemu_pids, run_tests,
                     test_guest_dir, virsh, wait_for, write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

TAG = "vkio%d" % os.getpid()
VIR_ERR_INVALID_ARG = 8
VIR_ERR_OPERATION_UNSUPPORTED = 84
VIR_FROM_QEMU = 10
VIR_FROM_DOMAIN = 20  # libvirt's hypervisor/domain_driver.c checks


def guest_xml(name, guest, disk, serial):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <iothreads>1</iothreads>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw' iothread='1'/>
      <source file='%s'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, disk, serial)


def qmp(uri, name, cmd, **args):
    req = {"execute": cmd}
    if args:
        req["arguments"] = args
    out = virsh(uri, "qemu-monitor-command", name, json.dumps(req)).stdout
    return json.loads(out)["return"]


def qemu_iothreads(uri, name):
    """{id: entry} of QEMU's query-iothreads."""
    return {int(e["id"][len("iothread"):]): e for e in qmp(uri, name, "query-iothreads")}


def the_qemu(d):
    pids = qemu_pids(d.root)
    assert len(pids) == 1, pids
    return pids[0]


def io_threads(pid):
    """{iothread id: tid} of the threads QEMU named "IO iothreadN"."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                comm = f.read().strip()
        except FileNotFoundError:
            continue
        m = re.match(r"IO iothread(\d+)$", comm)
        if m:
            out[int(m.group(1))] = int(tid)
    return out


def cpus_allowed(pid, tid):
    with open("/proc/%d/task/%d/status" % (pid, tid)) as f:
        return re.search(r"^Cpus_allowed_list:\s+(\S+)$", f.read(), re.M).group(1)


def info_rows(uri, name, *flags):
    """{id: cpu list} of virsh iothreadinfo (-q: rows only)."""
    words = virsh(uri, "iothreadinfo", name, *flags).stdout.split()
    return {int(words[i]): words[i + 1] for i in range(0, len(words), 2)}


def tunable_seen(events, name, line):
    """virsh event printed a TUNABLE event of @name with the parameter @line."""
    events.lines()  # reads what virsh printed so far
    return ("event 'tunable' for domain '%s':\n\t%s\n" % (name, line)) in events.buf


def cpuset_mount():
    for line in open("/proc/self/mounts"):
        f = line.split()
        if f[2] == "cgroup" and "cpuset" in f[3].split(","):
            return f[1]
    return None


def setup(d, guest):
    name = TAG
    os.chmod(d.root, 0o711)  # QEMU runs as the qemu user
    disk = write(os.path.join(d.root, "disk.img"), "")
    os.truncate(disk, 1 << 20)
    xml = write(os.path.join(d.root, "g.xml"),
                guest_xml(name, guest, disk, os.path.join(d.root, "serial.log")))
    uri = d.uri()
    virsh(uri, "define", xml)
    virsh(uri, "start", name)
    return uri, name


def cleanup(d):
    d.kill()
    for pid in qemu_pids(d.root):
        kill_pid(pid)
    wait_for(lambda: not qemu_pids(d.root), "QEMU of %s to exit" % d.root, 20)


def test_live():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    events = None
    try:
        uri, name = setup(d, guest)
        pid = the_qemu(d)
        conn = libvirt.open(uri)
        dom = conn.lookupByName(name)
        ncpu = os.cpu_count()
        last = ncpu - 1

        # the IOThread of the definition, as QEMU and virsh see it
        assert set(qemu_iothreads(uri, name)) == {1}
        assert set(io_threads(pid)) == {1}
        assert virsh(uri, "iothreadinfo", name).stdout.split() == \
            ["1", "0-%d" % last if last else "0"]

        # add: a new iothread object and its thread; the live XML lists it,
        # the definition does not
        virsh(uri, "iothreadadd", name, "2")
        assert set(qemu_iothreads(uri, name)) == {1, 2}
        wait_for(lambda: 2 in io_threads(pid), "thread 'IO iothread2'", 10)
        assert "<iothread id='2'/>" in virsh(uri, "dumpxml", name).stdout
        assert "<iothread id='2'" not in virsh(uri, "dumpxml", "--inactive", name).stdout
        info = dom.ioThreadInfo(libvirt.VIR_DOMAIN_AFFECT_LIVE)
        # QEMU's order, as libvirt gives it
        assert sorted(i[0] for i in info) == [1, 2], info
        expect_error_exact(lambda: dom.addIOThread(2, 0), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                     "invalid argument: an IOThread is already using iothread_id '2'")
        expect_error_exact(lambda: dom.addIOThread(0, 0), VIR_ERR_INVALID_ARG, VIR_FROM_QEMU,
                     "invalid argument: invalid value of 0 for iothread_id")

        # pin: the thread's affinity (the last host CPU, then CPU 0 through
        # python), each with libvirt's TUNABLE event
        events = VirshEvents(uri, "--all")
        events.sync(uri, diskless_xml("evsync"), d.root)
        virsh(uri, "iothreadpin", name, "2", str(last))
        wait_for(lambda: tunable_seen(events, name, "cputune.iothreadpin2: %d" % last),
                 "the TUNABLE event of the pin", 10)
        tid = io_threads(pid)[2]
        assert cpus_allowed(pid, tid) == str(last)
        assert info_rows(uri, name)[2] == str(last)
        dom.pinIOThread(2, tuple(c == 0 for c in range(ncpu)), libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert cpus_allowed(pid, tid) == "0"
        wait_for(lambda: tunable_seen(events, name, "cputune.iothreadpin2: 0"),
                 "the TUNABLE event of the python pin", 10)
        events.close()
        assert "<iothreadpin iothread='2' cpuset='0'/>" in virsh(uri, "dumpxml", name).stdout
        expect_error_exact(lambda: dom.pinIOThread(7, (True,), 0), VIR_ERR_INVALID_ARG,
                     VIR_FROM_QEMU, "invalid argument: iothread 7 not found")

        # polling and the worker pool, read back from QEMU
        virsh(uri, "iothreadset", name, "2", "--poll-max-ns", "12345", "--poll-grow", "3")
        assert qemu_iothreads(uri, name)[2]["poll-max-ns"] == 12345
        assert qemu_iothreads(uri, name)[2]["poll-grow"] == 3
        stats = virsh(uri, "domstats", "--iothread", name).stdout
        assert "iothread.count=2" in stats, stats
        assert "iothread.2.poll-max-ns=12345" in stats, stats
        assert "iothread.2.poll-grow=3" in stats, stats
        dom.setIOThreadParams(2, {libvirt.VIR_DOMAIN_IOTHREAD_POLL_SHRINK: 2},
                              libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert qemu_iothreads(uri, name)[2]["poll-shrink"] == 2
        rec = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_IOTHREAD)
        assert rec[0][1]["iothread.2.poll-shrink"] == 2, rec
        virsh(uri, "iothreadset", name, "2", "--thread-pool-min", "1", "--thread-pool-max", "4")
        assert qmp(uri, name, "qom-get", path="/objects/iothread2",
                   property="thread-pool-max") == 4
        assert qmp(uri, name, "qom-get", path="/objects/iothread2",
                   property="thread-pool-min") == 1
        assert "<iothread id='2' thread_pool_min='1' thread_pool_max='4'/>" in \
            virsh(uri, "dumpxml", name).stdout
        # refusals (libvirt's texts), nothing changed
        p = virsh(uri, "iothreadset", name, "1", "--poll-max-ns", "5", "--config", check=False)
        assert p.returncode == 1 and p.stderr.strip() == (
            "error: Operation not supported: configuring persistent polling values is "
            "not supported"), p.stderr
        p = virsh(uri, "iothreadset", name, "2", "--thread-pool-min", "-1", check=False)
        assert p.stderr.strip() == (
            "error: Requested operation is not valid: thread_pool_min (-1) must be equal "
            "to or greater than 0 for live change"), p.stderr
        p = virsh(uri, "iothreadset", name, "2", "--poll-max-ns", "4294967296", check=False)
        assert p.stderr.strip() == (
            "error: unsupported configuration: poll-max-ns (4294967296) must be less than "
            "or equal to 2147483647"), p.stderr
        assert qemu_iothreads(uri, name)[2]["poll-max-ns"] == 12345

        # delete: refused for the disk's IOThread, done for the other
        expect_error_exact(lambda: dom.delIOThread(1, 0), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                     "invalid argument: cannot remove IOThread 1 since it is being used "
                     "by disk 'vda'")
        p = virsh(uri, "iothreaddel", name, "1", check=False)
        assert p.stderr.strip() == ("error: invalid argument: cannot remove IOThread 1 "
                                    "since it is being used by disk 'vda'"), p.stderr
        assert set(qemu_iothreads(uri, name)) == {1, 2}
        virsh(uri, "iothreaddel", name, "2")
        assert set(qemu_iothreads(uri, name)) == {1}
        wait_for(lambda: 2 not in io_threads(pid), "thread 'IO iothread2' to end", 10)
        assert "iothread id='2'" not in virsh(uri, "dumpxml", name).stdout
        p = virsh(uri, "iothreaddel", name, "2", check=False)
        assert p.stderr.strip() == ("error: invalid argument: cannot find IOThread '2' in "
                                    "iothreadids list"), p.stderr

        # --config: in the definition only, kept across a daemon restart
        virsh(uri, "iothreadadd", name, "5", "--config")
        virsh(uri, "iothreadpin", name, "5", str(last), "--config")
        assert set(qemu_iothreads(uri, name)) == {1}
        inactive = virsh(uri, "dumpxml", "--inactive", name).stdout
        assert "<iothread id='5'/>" in inactive, inactive
        assert "<iothreadpin iothread='5' cpuset='%d'/>" % last in inactive, inactive
        assert info_rows(uri, name, "--config")[5] == str(last)
        conn.close()
        d.stop()
        d.start()
        inactive = virsh(uri, "dumpxml", "--inactive", name).stdout
        assert "<iothread id='5'/>" in inactive, inactive
        assert "<iothreadpin iothread='5' cpuset='%d'/>" % last in inactive, inactive
        # after the restart the live calls still find the threads
        virsh(uri, "iothreadpin", name, "1", "0")
        assert cpus_allowed(pid, io_threads(pid)[1]) == "0"
        assert virsh(uri, "iothreadinfo", name).stdout.split() == ["1", "0"]
        # the next start has both, IOThread 5 pinned
        virsh(uri, "destroy", name)
        virsh(uri, "start", name)
        pid = the_qemu(d)
        assert set(qemu_iothreads(uri, name)) == {1, 5}
        assert cpus_allowed(pid, io_threads(pid)[5]) == str(last)
        virsh(uri, "destroy", name)
    finally:
        if events:
            events.close()
        cleanup(d)


def test_cgroup_pin():
    if os.geteuid() != 0:
        raise Skip("cgroups need a root daemon")
    mount = cpuset_mount()
    if not mount:
        raise Skip("no cpuset hierarchy (v1) mounted")
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon()
    os.makedirs(d.dirs["config"], exist_ok=True)
    write(os.path.join(d.dirs["config"], "qemu.conf"), "")  # cgroups on
    d.start()
    try:
        uri, name = setup(d, guest)
        pid = the_qemu(d)
        group = os.path.join(mount, "machine", "qemu-%s-%s.libvirt-qemu"
                             % (virsh(uri, "domid", name).stdout.strip(), name))
        virsh(uri, "iothreadadd", name, "3")
        wait_for(lambda: 3 in io_threads(pid), "thread 'IO iothread3'", 10)
        # the new thread is in its own group
        with open(os.path.join(group, "iothread3", "tasks")) as f:
            assert str(io_threads(pid)[3]) in f.read().split()
        virsh(uri, "iothreadpin", name, "3", "0")
        with open(os.path.join(group, "iothread3", "cpuset.cpus")) as f:
            assert f.read().strip() == "0"
        assert cpus_allowed(pid, io_threads(pid)[3]) == "0"
        virsh(uri, "iothreaddel", name, "3")
        wait_for(lambda: not os.path.isdir(os.path.join(group, "iothread3")),
                 "group iothread3 to go", 10)
        virsh(uri, "destroy", name)
        wait_for(lambda: not os.path.isdir(group), "the guest's group to go", 20)
    finally:
        cleanup(d)


if __name__ == "__main__":
    run_tests([
        ("add, pin, set, stats, delete live; --config across a restart", test_live),
        ("live pin and delete in the IOThread's cgroup", test_cgroup_pin),
    ])
