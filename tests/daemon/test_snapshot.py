#!/usr/bin/env python3
"""Domain snapshots through virtkitd (issue 15), with Debian's virsh and python3-libvirt.

One test guest (scripts/build-test-guest.sh, TCG, 256 MiB) on a qcow2 disk,
booted once. The effects are checked where they happen:
 - the disk: a marker pattern written into the image (qemu-io offline, the
   monitor's HMP qemu-io while the guest runs) is read back and verified
   after each revert (qemu-io "read -P" fails on any other byte);
 - the image: qemu-img snapshot -l lists the internal snapshots (VM state
   size non-zero for a running guest's);
 - the guest's memory and CPU: after a revert to a running snapshot the
   guest goes on from where it was (it answers the ACPI power button
   without printing GUEST-READY again), also when the revert starts a new
   QEMU from a shut off domain;
 - the metadata: kept across a daemon restart (the tree, the current one),
   a metadata file that does not parse skipped, kept and logged as a warning;
   removed with the snapshot, undefine refused while it exists.
Errors are libvirt's (code and domain numbers): raw disks, an external
overlay that exists, QUIESCE without an agent, unknown names.
"""
import os
import subprocess
import sys

from vkdtest import console_text
from vkdtest import expect_error
from vkdtest import (Daemon, Skip, VirshEvents, diskless_xml, make_tmpdir, run_tests,
                     test_guest_dir, virsh, wait_for, write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def disks_xml(name, guest, serial, disks, cmdline=""):
    """The test guest on virtio disks vda, vdb, ... from @disks, a list of
    (image path, format); @cmdline is added to the kernel's."""
    devs = "".join("""    <disk type='file' device='disk'><driver name='qemu' type='%s'/>
      <source file='%s'/><target dev='vd%s' bus='virtio'/></disk>
""" % (fmt, path, chr(ord("a") + i)) for i, (path, fmt) in enumerate(disks))
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet%s</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
%s    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, " " + cmdline if cmdline else "", devs, serial)


def guest_xml(name, guest, serial, disk, fmt="qcow2"):
    return disks_xml(name, guest, serial, [(disk, fmt)])


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def image_snapshots(disk):
    """{name: vm_state_size_text} of the image's internal snapshots (-U: the
    image may be open in QEMU)."""
    p = run("qemu-img", "snapshot", "-U", "-l", disk)
    assert p.returncode == 0, p.stderr
    snaps = {}
    for line in p.stdout.splitlines()[2:]:
        f = line.split()
        if len(f) >= 3:
            snaps[f[1]] = f[2]
    return snaps


def offline_pattern(disk, byte):
    """True when the first 64 KiB of the (closed) image are all @byte."""
    p = run("qemu-io", "-f", "qcow2", "-c", "read -P 0x%02x 0 64k" % byte, disk)
    return p.returncode == 0 and "Pattern verification failed" not in p.stdout


def hmp(dom, cmd):
    import libvirt_qemu
    return libvirt_qemu.qemuMonitorCommand(dom, cmd, libvirt_qemu.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)


def qmp(dom, cmd, **args):
    """QEMU's answer to @cmd (a QMP command with @args) through the monitor."""
    import json
    import libvirt_qemu
    out = json.loads(libvirt_qemu.qemuMonitorCommand(
        dom, json.dumps({"execute": cmd, "arguments": args}), 0))
    assert "return" in out, out
    return out["return"]


def vda_block(dom):
    """vda's entry in QEMU's query-block."""
    for b in qmp(dom, "query-block"):
        if b.get("qdev", "").startswith("/machine/peripheral/virtio-disk0/") \
                or b.get("qdev") == "virtio-disk0":
            return b
    raise AssertionError("no vda in query-block")


class LiveDisk:
    """The guest's vda while QEMU runs, through HMP qemu-io on the virtio
    device's backend (its permissions allow the write). qemu-io prints to
    QEMU's stdout, the domain log: each answer is waited for there."""

    DEV = "/machine/peripheral/virtio-disk0/virtio-backend"

    def __init__(self, d, name):
        self.log = os.path.join(d.dirs["log"], name + ".log")

    def text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def _run(self, dom, cmd, done):
        n = self.text().count(done)
        before = self.text().count("Pattern verification failed")
        assert hmp(dom, 'qemu-io -d %s "%s"' % (self.DEV, cmd)) == "", cmd
        wait_for(lambda: self.text().count(done) > n, "qemu-io's answer to " + cmd, 30)
        return self.text().count("Pattern verification failed") == before

    def write(self, dom, byte):
        self._run(dom, "write -P 0x%02x 0 64k" % byte, "wrote 65536/65536")

    def has(self, dom, byte):
        return self._run(dom, "read -P 0x%02x 0 64k" % byte, "read 65536/65536")


def test_snapshots():
    guest = test_guest_dir()
    if not guest:
        raise Skip("no test guest (scripts/build-test-guest.sh failed)")
    d = Daemon().start()
    uri = d.uri()
    work = make_tmpdir()
    os.chmod(work, 0o755)  # QEMU runs as the qemu user
    disk = os.path.join(work, "sn.qcow2")
    serial = os.path.join(work, "sn.log")
    p = run("qemu-img", "create", "-q", "-f", "qcow2", disk, "32M")
    assert p.returncode == 0, p.stderr
    p = run("qemu-io", "-f", "qcow2", "-c", "write -P 0x41 0 64k", disk)
    assert p.returncode == 0, p.stderr
    virsh(uri, "define", write(os.path.join(work, "sn.xml"),
                               guest_xml("sn", guest, serial, disk)))
    conn = libvirt.open(uri)
    dom = conn.lookupByName("sn")
    vda = LiveDisk(d, "sn")

    ev = VirshEvents(uri, "--all")
    ev.sync(uri, diskless_xml("evsync"), work)

    # shut off: qemu-img snapshot on the disk; metadata as libvirt's
    virsh(uri, "snapshot-create-as", "sn", "off1", "--description", "pattern A")
    assert "off1" in image_snapshots(disk), image_snapshots(disk)
    x = dom.snapshotLookupByName("off1").getXMLDesc()
    assert "<state>shutoff</state>" in x and "<memory snapshot='no'/>" in x and \
        "<disk name='vda' snapshot='internal'/>" in x and "<description>pattern A" in x, x

    # running: savevm (disk and memory)
    virsh(uri, "start", "sn")
    wait_for(lambda: "GUEST-READY" in console_text(serial), "GUEST-READY", 120)
    vda.write(dom, 0x43)
    assert vda.has(dom, 0x43)
    virsh(uri, "snapshot-create-as", "sn", "run1")
    assert dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_UNPAUSED], \
        dom.state()
    snaps = image_snapshots(disk)
    assert "run1" in snaps and snaps["run1"] not in ("0", "0 B"), snaps
    info = virsh(uri, "snapshot-info", "sn", "--current").stdout
    assert "Name:           run1" in info and "State:          running" in info and \
        "Parent:         off1" in info and "Location:       internal" in info, info

    # change the disk, then revert in the running QEMU (loadvm)
    vda.write(dom, 0x42)
    assert vda.has(dom, 0x42) and not vda.has(dom, 0x43)
    virsh(uri, "snapshot-revert", "sn", "run1")
    assert virsh(uri, "domstate", "--reason", "sn").stdout.strip() == \
        "running (from snapshot)"
    assert vda.has(dom, 0x43), "the disk is not the snapshot's after the revert"
    # the guest went on from its snapshot: it answers the power button, no new boot
    ready = console_text(serial).count("GUEST-READY")
    virsh(uri, "shutdown", "sn")
    wait_for(lambda: "GUEST-POWERBUTTON" in console_text(serial), "the power button answer", 120)
    wait_for(lambda: dom.isActive() == 0, "the guest to power off", 60)
    assert console_text(serial).count("GUEST-READY") == ready, console_text(serial)

    ev.wait_line(r"'sn': Suspended Snapshot")
    ev.wait_line(r"'sn': Resumed Snapshot")

    # shut off -> running snapshot: a new QEMU loads it (no boot; the new
    # QEMU starts a new console file)
    dom.revertToSnapshot(dom.snapshotLookupByName("run1"))
    assert dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT]
    assert vda.has(dom, 0x43)
    n = console_text(serial).count("GUEST-POWERBUTTON")
    virsh(uri, "shutdown", "sn")
    wait_for(lambda: console_text(serial).count("GUEST-POWERBUTTON") > n,
             "the reverted guest to answer the power button", 120)
    wait_for(lambda: dom.isActive() == 0, "the guest to power off", 60)
    assert "GUEST-READY" not in console_text(serial), console_text(serial)

    ev.wait_line(r"'sn': Started Snapshot")

    # revert to the shut off snapshot: the image's pattern A again
    virsh(uri, "snapshot-revert", "sn", "off1")
    assert virsh(uri, "domstate", "--reason", "sn").stdout.strip() == \
        "shut off (from snapshot)"
    assert offline_pattern(disk, 0x41) and not offline_pattern(disk, 0x43)

    # errors, each changing nothing
    expect_error(lambda: dom.snapshotLookupByName("nope"), libvirt.VIR_ERR_NO_DOMAIN_SNAPSHOT,
                 libvirt.VIR_FROM_QEMU)
    expect_error(lambda: dom.snapshotCreateXML(
        "<domainsnapshot><name>ext</name><disks><disk name='vda' snapshot='external'>"
        "<source file='%s'/></disk></disks></domainsnapshot>" % serial,
        libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY),
        libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
        "external snapshot file for disk vda already exists and is not a block device")
    expect_error(lambda: dom.snapshotCreateXML("<domainsnapshot><name>q</name></domainsnapshot>",
                                               libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                 "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required by flag "
                 "'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'")
    expect_error(lambda: dom.snapshotCreateXML("<domainsnapshot><name>a/b</name></domainsnapshot>"),
                 libvirt.VIR_ERR_XML_DETAIL, libvirt.VIR_FROM_QEMU)
    expect_error(lambda: dom.snapshotCreateXML("<domainsnapshot><name>run1</name></domainsnapshot>"),
                 libvirt.VIR_ERR_OPERATION_FAILED, libvirt.VIR_FROM_DOMAIN)
    assert sorted(dom.snapshotListNames()) == ["off1", "run1"]
    assert sorted(image_snapshots(disk)) == ["off1", "run1"]
    raw = os.path.join(work, "raw.img")
    open(raw, "wb").truncate(1 << 20)
    virsh(uri, "define", write(os.path.join(work, "raw.xml"),
                               guest_xml("rw", guest, serial, raw, "raw")))
    r = virsh(uri, "snapshot-create-as", "rw", "s", check=False)
    assert r.returncode == 1 and "internal snapshot for disk vda unsupported for storage " \
        "type raw" in r.stderr, r.stderr
    virsh(uri, "undefine", "rw")

    r = virsh(uri, "domrename", "sn", "sn2", check=False)
    assert r.returncode == 1 and "cannot rename domain with snapshots" in r.stderr, r.stderr

    # the metadata survives a daemon restart
    before = virsh(uri, "snapshot-list", "sn", "--tree").stdout
    assert before.split() == ["off1", "|", "+-", "run1"], before
    # ... and a metadata file that does not parse is skipped, kept, and
    # its reason logged as a warning; the others load
    broken = os.path.join(d.root, "state", "qemu", "snapshot", "sn", "broken.xml")
    assert os.path.isdir(os.path.dirname(broken)), os.path.dirname(broken)
    write(broken, "<domainsnapshot><name>broken</name>")
    d.stop()
    d.start()
    conn = libvirt.open(uri)
    dom = conn.lookupByName("sn")
    assert virsh(uri, "snapshot-list", "sn", "--tree").stdout == before
    assert os.path.exists(broken)
    assert "skipping snapshot metadata '%s' of domain 'sn'" % broken in d.log(), d.log()
    os.unlink(broken)
    assert dom.snapshotCurrent().getName() == "off1"
    assert dom.listAllSnapshots(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE)[0].getName() == "run1"

    # delete: the image's snapshot and the metadata go
    dom.snapshotLookupByName("run1").delete()
    assert sorted(image_snapshots(disk)) == ["off1"]
    assert dom.snapshotListNames() == ["off1"]
    # undefine refused while a snapshot exists, allowed with the flag
    r = virsh(uri, "undefine", "sn", check=False)
    assert r.returncode == 1 and "cannot delete inactive domain with 1 snapshots" in r.stderr, \
        r.stderr
    virsh(uri, "undefine", "sn", "--snapshots-metadata")
    meta = os.path.join(d.root, "state")
    leftovers = [os.path.join(dp, f) for dp, _, fs in os.walk(d.root) for f in fs
                 if f.endswith(".xml") and "snapshot" in dp]
    assert not leftovers, (meta, leftovers)
    ev.close()
    conn.close()


if __name__ == "__main__":
    run_tests([
        ("snapshots of a qcow2 guest: shut off and running, revert, delete, restart, errors",
         test_snapshots),
    ])
