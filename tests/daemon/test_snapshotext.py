#!/usr/bin/env python3
"""External snapshots through virtkitd (issue 15), with Debian's virsh and python3-libvirt.

One test guest (scripts/build-test-guest.sh, TCG, 256 MiB) on a qcow2 disk,
booted once. The effects are checked in the images:
 - shut off, --disk-only: a new qcow2 overlay backed by the old image, the
   definition's disk source moved to it;
 - running, --disk-only (blockdev-snapshot): a write through QEMU's block
   layer (HMP qemu-io on the guest's virtio backend) lands in the new
   overlay, the image below keeps the old bytes (qemu-io "read -P" through
   each layer);
 - running, with --memspec: the memory file is a whole save image
   (libvirt's magic), the guest runs on, and `virsh restore` of that file
   brings the guest back where it was (it answers the power button without
   booting again);
 - --reuse-external with an overlay made beforehand, --no-metadata;
 - snapshot-delete of a running guest's leaf, as libvirt 9.0: its overlay
   committed (active commit and pivot when it is the top, an inactive
   commit below it) and removed, the data in the image below, BLOCK_JOB
   events; refused while another block job runs or when the overlay left
   the chain;
 - libvirt 9.0's errors (code and domain numbers), each changing nothing:
   an existing file without --reuse-external, a missing one with it, a raw
   overlay, QUIESCE without an agent, revert to an external snapshot.
"""
import os
import re
import sys

from vkdtest import (Daemon, Skip, VirshEvents, diskless_xml, make_tmpdir, run_tests,
                     test_guest_dir, virsh, wait_for, write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vkdtest import console_text  # noqa: E402
from test_snapshot import LiveDisk, expect_error, guest_xml, hmp, run  # noqa: E402


def flush(dom):
    """QEMU's caches of the guest's disk written out (HMP qemu-io is
    synchronous: the image is up to date when it answers)."""
    assert hmp(dom, 'qemu-io -d %s "flush"' % LiveDisk.DEV) == ""


def pattern(image, byte, force_share=True):
    """True when the first 64 KiB read through @image (and its backing
    chain) are all @byte."""
    argv = ["qemu-io"] + (["-U"] if force_share else []) + \
        ["-f", "qcow2", "-r", "-c", "read -P 0x%02x 0 64k" % byte, image]
    p = run(*argv)
    return p.returncode == 0 and "Pattern verification failed" not in p.stdout


def backing(image):
    p = run("qemu-img", "info", "-U", "--output=json", image)
    assert p.returncode == 0, p.stderr
    import json
    return json.loads(p.stdout).get("backing-filename")


def source_of(uri, name, *extra):
    x = virsh(uri, "dumpxml", name, *extra).stdout
    import re
    return re.findall(r"<source file='([^']*)'", x)


def test_external():
    guest = test_guest_dir()
    if not guest:
        raise Skip("no test guest (scripts/build-test-guest.sh failed)")
    d = Daemon().start()
    uri = d.uri()
    work = make_tmpdir()
    os.chmod(work, 0o755)  # QEMU runs as the qemu user
    base = os.path.join(work, "ex.qcow2")
    serial = os.path.join(work, "ex.log")
    p = run("qemu-img", "create", "-q", "-f", "qcow2", base, "32M")
    assert p.returncode == 0, p.stderr
    p = run("qemu-io", "-f", "qcow2", "-c", "write -P 0x41 0 64k", base)
    assert p.returncode == 0, p.stderr
    virsh(uri, "define", write(os.path.join(work, "ex.xml"),
                               guest_xml("ex", guest, serial, base)))
    conn = libvirt.open(uri)
    dom = conn.lookupByName("ex")
    vda = LiveDisk(d, "ex")
    ev = VirshEvents(uri, "--all")
    ev.sync(uri, diskless_xml("evsync"), work)

    # shut off, --disk-only: qemu-img overlay with libvirt's default name
    ov0 = os.path.join(work, "ex.off0")
    virsh(uri, "snapshot-create-as", "ex", "off0", "--disk-only")
    assert os.path.exists(ov0) and backing(ov0) == base, backing(ov0)
    assert source_of(uri, "ex", "--inactive") == [ov0], source_of(uri, "ex", "--inactive")
    x = dom.snapshotLookupByName("off0").getXMLDesc()
    assert "<state>disk-snapshot</state>" in x and \
        "<disk name='vda' snapshot='external' type='file'>" in x and \
        "<source file='%s'/>" % ov0 in x and "<memory snapshot='no'/>" in x, x
    # its definition is the one before: the old image
    assert "<source file='%s'/>" % base in x, x

    # errors, each changing nothing
    existing = os.path.join(work, "exists.qcow2")
    open(existing, "w").close()
    r = virsh(uri, "snapshot-create-as", "ex", "e1", "--disk-only", "--diskspec",
              "vda,file=" + existing, check=False)
    assert r.returncode == 1 and "external snapshot file for disk vda already exists and " \
        "is not a block device: " + existing in r.stderr, r.stderr
    r = virsh(uri, "snapshot-create-as", "ex", "e2", "--disk-only", "--reuse-external",
              "--diskspec", "vda,file=" + os.path.join(work, "missing.qcow2"), check=False)
    assert r.returncode == 1 and "missing existing file for disk vda" in r.stderr, r.stderr
    expect_error(lambda: dom.snapshotCreateXML(
        "<domainsnapshot><name>e3</name><disks><disk name='vda' snapshot='external'>"
        "<driver type='raw'/><source file='%s'/></disk></disks></domainsnapshot>"
        % os.path.join(work, "raw.img"), libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY),
        libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
        "external snapshot format for disk vda is unsupported: raw")
    assert dom.snapshotListNames() == ["off0"]
    assert source_of(uri, "ex", "--inactive") == [ov0]

    # running, --disk-only: blockdev-snapshot; the write goes to the overlay
    virsh(uri, "start", "ex")
    wait_for(lambda: "GUEST-READY" in console_text(serial), "GUEST-READY", 120)
    vda.write(dom, 0x42)
    ov1 = os.path.join(work, "ov1.qcow2")
    virsh(uri, "snapshot-create-as", "ex", "run1", "--disk-only", "--atomic",
          "--diskspec", "vda,file=" + ov1)
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING, dom.state()
    assert source_of(uri, "ex") == [ov1] and source_of(uri, "ex", "--inactive") == [ov1]
    assert backing(ov1) == ov0, backing(ov1)
    vda.write(dom, 0x43)
    assert vda.has(dom, 0x43)
    flush(dom)
    assert pattern(ov1, 0x43), "the overlay does not have the guest's write"
    assert pattern(ov0, 0x42) and not pattern(ov0, 0x43), "the write went below the overlay"
    assert pattern(base, 0x41)
    expect_error(lambda: dom.snapshotCreateXML(
        "<domainsnapshot><name>q</name></domainsnapshot>",
        libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE),
        libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
        "QEMU guest agent is not configured")

    # running, with memory: the state in a save image, the guest runs on
    mem = os.path.join(work, "mem2.save")
    ov2 = os.path.join(work, "ov2.qcow2")
    virsh(uri, "snapshot-create-as", "ex", "mem2", "--memspec", "file=" + mem,
          "--diskspec", "vda,snapshot=external,file=" + ov2)
    assert dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_UNPAUSED], \
        dom.state()
    with open(mem, "rb") as f:
        assert f.read(16) == b"LibvirtQemudSave"
    x = dom.snapshotLookupByName("mem2").getXMLDesc()
    assert "<state>running</state>" in x and \
        "<memory snapshot='external' file='%s'/>" % mem in x and \
        "<source file='%s'/>" % ov2 in x, x
    assert source_of(uri, "ex") == [ov2] and backing(ov2) == ov1
    vda.write(dom, 0x44)
    flush(dom)
    assert pattern(ov2, 0x44) and pattern(ov1, 0x43)

    info = virsh(uri, "snapshot-info", "ex", "--current").stdout
    assert "Name:           mem2" in info and "Location:       external" in info and \
        "Parent:         run1" in info, info

    # --reuse-external with an overlay made beforehand, --no-metadata
    ov3 = os.path.join(work, "ov3.qcow2")
    p = run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", ov2, "-u", ov3,
            "32M")
    assert p.returncode == 0, p.stderr
    virsh(uri, "snapshot-create-as", "ex", "nometa", "--disk-only", "--reuse-external",
          "--no-metadata", "--diskspec", "vda,file=" + ov3)
    assert source_of(uri, "ex") == [ov3]
    assert sorted(dom.snapshotListNames()) == ["mem2", "off0", "run1"]
    vda.write(dom, 0x45)
    flush(dom)
    assert pattern(ov3, 0x45) and pattern(ov2, 0x44)

    # libvirt 9.0 cannot revert to an external snapshot
    expect_error(lambda: dom.revertToSnapshot(dom.snapshotLookupByName("run1")),
                 libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
                 "revert to external snapshot not supported yet")
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING

    # delete while running, as libvirt 9.0: a leaf's overlay, the disk's
    # top, is committed into the image below (active commit, pivot) and
    # removed; the parent is current again
    def count(pattern):
        return len([line for line in ev.lines() if re.search(pattern, line)])

    active_done = r"'block-job-2' for domain 'ex': Active Block Commit for vda completed"
    lf = os.path.join(work, "lf.qcow2")
    virsh(uri, "snapshot-create-as", "ex", "lf", "--disk-only", "--diskspec", "vda,file=" + lf)
    assert source_of(uri, "ex") == [lf] and backing(lf) == ov3
    vda.write(dom, 0x47)
    n = count(active_done)
    virsh(uri, "snapshot-delete", "ex", "lf")
    ev.wait_line(r"'block-job-2' for domain 'ex': Active Block Commit for vda ready")
    wait_for(lambda: count(active_done) > n, "the active commit's COMPLETED event", 30)
    assert not os.path.exists(lf)
    assert source_of(uri, "ex") == [ov3] and source_of(uri, "ex", "--inactive") == [ov3]
    assert vda.has(dom, 0x47)
    flush(dom)
    assert pattern(ov3, 0x47), "the overlay's data was not committed"
    assert sorted(dom.snapshotListNames()) == ["mem2", "off0", "run1"]
    assert dom.snapshotCurrent().getName() == "mem2"

    # errors, each changing nothing: another block job runs; the overlay
    # is no longer in the disk's chain (committed by hand)
    lf3 = os.path.join(work, "lf3.qcow2")
    virsh(uri, "snapshot-create-as", "ex", "lf3", "--disk-only", "--diskspec",
          "vda,file=" + lf3)
    virsh(uri, "blockcopy", "ex", "vda", os.path.join(work, "slow.qcow2"), "--bandwidth", "1",
          "--transient-job")
    expect_error(lambda: dom.snapshotLookupByName("lf3").delete(0),
                 libvirt.VIR_ERR_OPERATION_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
                 "cannot delete external snapshots when there is another active block job")
    virsh(uri, "blockjob", "ex", "vda", "--abort")
    assert source_of(uri, "ex") == [lf3] and os.path.exists(lf3)
    virsh(uri, "blockcommit", "ex", "vda", "--active", "--shallow", "--pivot", "--wait")
    assert source_of(uri, "ex") == [ov3] and source_of(uri, "ex", "--inactive") == [ov3]
    expect_error(lambda: dom.snapshotLookupByName("lf3").delete(0),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                 "could not find base disk source in disk source chain")
    assert "lf3" in dom.snapshotListNames()
    virsh(uri, "snapshot-delete", "ex", "lf3", "--metadata")

    # a leaf whose overlay is below the disk's top: an inactive commit
    lf2 = os.path.join(work, "lf2.qcow2")
    top2 = os.path.join(work, "top2.qcow2")
    virsh(uri, "snapshot-create-as", "ex", "lf2", "--disk-only", "--diskspec",
          "vda,file=" + lf2)
    vda.write(dom, 0x48)
    virsh(uri, "snapshot-create-as", "ex", "top2", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + top2)
    virsh(uri, "snapshot-delete", "ex", "lf2")
    ev.wait_line(r"'block-job-2' for domain 'ex': Block Commit for vda completed")
    assert not os.path.exists(lf2)
    assert backing(top2) == ov3 and source_of(uri, "ex") == [top2]
    assert pattern(ov3, 0x48), "the middle overlay's data was not committed"
    assert vda.has(dom, 0x48)
    assert sorted(dom.snapshotListNames()) == ["mem2", "off0", "run1"]
    # back on ov3 for what follows
    virsh(uri, "blockcommit", "ex", "vda", "--active", "--shallow", "--pivot", "--wait")
    assert source_of(uri, "ex") == [ov3] and source_of(uri, "ex", "--inactive") == [ov3]

    # the memory state restores: the guest goes on from it, no new boot
    virsh(uri, "destroy", "ex")
    virsh(uri, "restore", mem)
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING, dom.state()
    n = console_text(serial).count("GUEST-POWERBUTTON")
    virsh(uri, "shutdown", "ex")
    wait_for(lambda: console_text(serial).count("GUEST-POWERBUTTON") > n,
             "the restored guest to answer the power button", 120)
    wait_for(lambda: dom.isActive() == 0, "the guest to power off", 60)
    # (the new QEMU starts a new console file)
    assert "GUEST-READY" not in console_text(serial), console_text(serial)

    # the metadata survives a daemon restart
    before = virsh(uri, "snapshot-list", "ex", "--tree").stdout
    d.stop()
    d.start()
    conn = libvirt.open(uri)
    dom = conn.lookupByName("ex")
    assert virsh(uri, "snapshot-list", "ex", "--tree").stdout == before
    assert [s.getName() for s in
            dom.listAllSnapshots(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)] != []

    # delete, as libvirt 9.0: not with children; a leaf's overlay is
    # committed into the image below and removed (shut off guest)
    r = virsh(uri, "snapshot-delete", "ex", "run1", check=False)
    assert r.returncode == 1 and "unsupported configuration: deletion of external disk " \
        "snapshots with children not supported" in r.stderr, r.stderr
    expect_error(lambda: dom.snapshotLookupByName("off0").delete(
        libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN), libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
        libvirt.VIR_FROM_QEMU, "deletion of external children disk snapshots not supported")
    assert sorted(dom.snapshotListNames()) == ["mem2", "off0", "run1"]
    ov4 = ov3[:-len(".qcow2")] + ".leaf4"
    virsh(uri, "snapshot-create-as", "ex", "leaf4", "--disk-only")
    assert source_of(uri, "ex", "--inactive") == [ov4] and backing(ov4) == ov3
    p = run("qemu-io", "-f", "qcow2", "-c", "write -P 0x46 0 64k", ov4)
    assert p.returncode == 0, p.stderr
    virsh(uri, "snapshot-delete", "ex", "leaf4")
    assert not os.path.exists(ov4)
    assert source_of(uri, "ex", "--inactive") == [ov3]
    assert pattern(ov3, 0x46, False), "the overlay's data was not committed"
    assert sorted(dom.snapshotListNames()) == ["mem2", "off0", "run1"]
    # metadata only: always
    virsh(uri, "snapshot-delete", "ex", "mem2", "--metadata")
    assert os.path.exists(ov2) and os.path.exists(mem)
    virsh(uri, "undefine", "ex", "--snapshots-metadata")
    ev.close()
    conn.close()


if __name__ == "__main__":
    run_tests([
        ("external snapshots: disk-only shut off and running, memspec, reuse, errors",
         test_external),
    ])
