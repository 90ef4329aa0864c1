#!/usr/bin/env python3
"""Block jobs through virtkitd (issue 15), with Debian's virsh and python3-libvirt.

One test guest (TCG, 256 MiB) on a qcow2 overlay of a qcow2 base, booted
once; every case runs against it and checks the effect in the images
(qemu-io "read -P" through each image) and in the guest's disk as QEMU
sees it (HMP qemu-io on the virtio backend):
 - blockcopy --wait --verbose --pivot: the guest moves to the copy (live
   and persistent <source>), a write after the pivot lands in the copy,
   which also holds the data written before; BLOCK_JOB(_2) READY then
   COMPLETED (virsh event);
 - a slow copy (1 MiB/s): <mirror> in the live XML, GetBlockJobInfo
   (type, bandwidth in MiB/s and bytes/s), BlockJobSetSpeed, an early
   pivot refused (BLOCK_COPY_ACTIVE), blockjob --abort: the guest stays on
   its image, the mirror is gone, a CANCELED event;
 - an active commit (--active --pivot) of an external snapshot's overlay
   into its base: the base then holds the guest's write, the guest uses it;
 - an inactive commit (--top/--base) of a middle image; blockpull: the top
   has no backing file afterwards and still reads the data;
 - a restarted daemon (kill -9) adopts the jobs QEMU kept running: a
   copy (info, speed, READY, pivot), an inactive commit with DELETE (it
   ends, the image goes), an active commit (abort), events arriving;
 - blockcopy --blockdev onto a loop device: <mirror type='block'>, after
   the pivot a <disk type='block'> (live and persistent) the guest writes to;
 - libvirt's errors (code, domain), each changing nothing.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

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
    assert hmp(dom, 'qemu-io -d %s "flush"' % LiveDisk.DEV) == ""


def pattern(image, byte):
    """True when the first 64 KiB read through @image (and its chain) are
    all @byte (-U: the image may be open in QEMU)."""
    p = run("qemu-io", "-U", "-r", "-c", "read -P 0x%02x 0 64k" % byte, image)
    return p.returncode == 0 and "Pattern verification failed" not in p.stdout


def backing(image):
    import json
    p = run("qemu-img", "info", "-U", "--output=json", image)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout).get("backing-filename")


def sources(uri, name, *extra):
    """The file sources of the domain's XML, in order, but those of the
    backing chain a live XML shows below each disk (libvirt's)."""
    out = []

    def walk(el):
        for child in el:
            if child.tag == "backingStore":
                continue
            if child.tag == "source" and "file" in child.attrib:
                out.append(child.attrib["file"])
            walk(child)
    walk(ET.fromstring(virsh(uri, "dumpxml", name, *extra).stdout))
    return out


def test_blockjobs():
    guest = test_guest_dir()
    if not guest:
        raise Skip("no test guest (scripts/build-test-guest.sh failed)")
    d = Daemon().start()
    uri = d.uri()
    work = make_tmpdir()
    os.chmod(work, 0o755)  # QEMU runs as the qemu user
    base = os.path.join(work, "base.qcow2")
    top = os.path.join(work, "top.qcow2")
    serial = os.path.join(work, "bj.log")
    assert run("qemu-img", "create", "-q", "-f", "qcow2", base, "32M").returncode == 0
    assert run("qemu-io", "-f", "qcow2", "-c", "write -P 0x41 0 64k", base).returncode == 0
    assert run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base,
               top).returncode == 0
    virsh(uri, "define", write(os.path.join(work, "bj.xml"),
                               guest_xml("bj", guest, serial, top)))
    conn = libvirt.open(uri)
    dom = conn.lookupByName("bj")
    vda = LiveDisk(d, "bj")
    ev = VirshEvents(uri, "--all")
    ev.sync(uri, diskless_xml("evsync"), work)

    # shut off: every call of the family needs a running guest
    expect_error(lambda: dom.blockJobInfo("vda", 0), libvirt.VIR_ERR_OPERATION_INVALID,
                 libvirt.VIR_FROM_DOMAIN, "domain is not running")
    virsh(uri, "start", "bj")
    wait_for(lambda: "GUEST-READY" in console_text(serial), "GUEST-READY", 180)
    vda.write(dom, 0x42)
    r = virsh(uri, "blockjob", "bj", "vda")  # virsh -q: no "No current block job" line
    assert r.returncode == 0 and r.stdout.strip() == "", (r.stdout, r.stderr)
    assert dom.blockJobInfo("vda", 0) == {}

    # errors, each changing nothing
    expect_error(lambda: dom.blockJobAbort("vda", 0), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_QEMU, "disk vda does not have an active block job")
    expect_error(lambda: dom.blockJobSetSpeed("vdz", 1, 0), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_QEMU, "disk 'vdz' not found in domain")
    expect_error(lambda: dom.blockCommit("vda", None, None, 0, 0), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_QEMU, "commit of 'vda' active layer requires active flag")
    expect_error(lambda: dom.blockCopy("vda", "<disk type='file'><source/></disk>"),
                 libvirt.VIR_ERR_XML_ERROR, libvirt.VIR_FROM_DOMAIN)
    expect_error(lambda: dom.blockCopy("vda", "<disk type='file'><source file='/x'/></disk>",
                                       {"granularity": 1000}),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU, "granularity")
    expect_error(lambda: dom.blockRebase("vda", None, 0, libvirt.VIR_DOMAIN_BLOCK_REBASE_SHALLOW),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_DOMAIN,
                 "use of flags requires a copy job")
    existing = os.path.join(work, "exists.img")
    with open(existing, "w") as f:
        f.write("x")
    r = virsh(uri, "blockcopy", "bj", "vda", existing, check=False)
    assert r.returncode == 1 and \
        "error: Requested operation is not valid: domain is not transient" in r.stderr, r.stderr
    expect_error(lambda: dom.blockRebase("vda", existing, 0,
                                         libvirt.VIR_DOMAIN_BLOCK_REBASE_COPY),
                 libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_QEMU,
                 "domain is not transient")
    r = virsh(uri, "blockcopy", "bj", "vda", existing, "--transient-job", check=False)
    assert r.returncode == 1 and "error: unsupported configuration: external destination " \
        "file for disk vda already exists and is not a block device: " + existing in r.stderr, \
        r.stderr
    transient = libvirt.VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB
    nodev = os.path.join(work, "nodev")
    expect_error(lambda: dom.blockCopy("vda", "<disk type='block'><source dev='%s'/></disk>"
                                       % nodev, None, transient),
                 libvirt.VIR_ERR_SYSTEM_ERROR, libvirt.VIR_FROM_QEMU,
                 "missing destination file for disk vda: %s" % nodev)
    empty = os.path.join(work, "empty.img")
    open(empty, "w").close()
    expect_error(lambda: dom.blockCopy("vda", "<disk type='block'><source dev='%s'/></disk>"
                                       % empty, None, transient),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                 "blockdev flag requested for disk vda, but file '%s' is not a block device"
                 % empty)
    assert not os.path.exists(nodev) and os.path.getsize(empty) == 0
    assert sources(uri, "bj") == [top] and "<mirror" not in virsh(uri, "dumpxml", "bj").stdout

    # copy with pivot: the guest moves to the copy
    copy = os.path.join(work, "copy.qcow2")
    r = virsh(uri, "blockcopy", "bj", "vda", copy, "--wait", "--verbose", "--pivot",
              "--transient-job")
    assert "Block Copy: [100 %]" in r.stderr, (r.stdout, r.stderr)
    ev.wait_line(r"'block-job-2' for domain 'bj': Block Copy for vda ready")
    ev.wait_line(r"'block-job-2' for domain 'bj': Block Copy for vda completed")
    ev.wait_line(r"'block-job' for domain 'bj': Block Copy for %s completed" % re.escape(copy))
    assert sources(uri, "bj") == [copy], sources(uri, "bj")
    assert sources(uri, "bj", "--inactive") == [copy], sources(uri, "bj", "--inactive")
    assert backing(copy) is None, backing(copy)
    vda.write(dom, 0x43)
    assert vda.has(dom, 0x43)
    flush(dom)
    assert pattern(copy, 0x43), "the guest's write after the pivot is not in the copy"
    assert pattern(top, 0x42) and pattern(base, 0x41), "the old images changed"
    assert dom.blockJobInfo("vda", 0) == {}

    # a slow copy: <mirror>, info, speed, early pivot refused, abort
    slow = os.path.join(work, "slow.qcow2")
    virsh(uri, "blockcopy", "bj", "vda", slow, "--bandwidth", "1", "--transient-job")
    x = virsh(uri, "dumpxml", "bj").stdout
    assert "<mirror type='file' file='%s' format='qcow2' job='copy'>" % slow in x, x
    assert "<mirror" not in virsh(uri, "dumpxml", "bj", "--inactive").stdout
    info = dom.blockJobInfo("vda", 0)
    assert info["type"] == libvirt.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY and info["bandwidth"] == 1 \
        and info["cur"] < info["end"], info
    info = dom.blockJobInfo(copy, libvirt.VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES)
    assert info["bandwidth"] == 1 << 20, info
    dom.blockJobSetSpeed("vda", 2, 0)
    assert dom.blockJobInfo("vda", 0)["bandwidth"] == 2
    r = virsh(uri, "blockjob", "bj", "vda", "--raw")
    assert r.stdout.startswith(" type=Block Copy\n bandwidth=2\n"), r.stdout
    expect_error(lambda: dom.blockJobAbort("vda", libvirt.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT),
                 libvirt.VIR_ERR_BLOCK_COPY_ACTIVE, libvirt.VIR_FROM_QEMU,
                 "not ready for pivot yet")
    expect_error(lambda: dom.blockCommit("vda", None, None, 0,
                                         libvirt.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE),
                 libvirt.VIR_ERR_BLOCK_COPY_ACTIVE, libvirt.VIR_FROM_QEMU,
                 "disk 'vda' already in active block job")
    virsh(uri, "blockjob", "bj", "vda", "--abort")
    ev.wait_line(r"'block-job-2' for domain 'bj': Block Copy for vda canceled")
    assert sources(uri, "bj") == [copy] and "<mirror" not in virsh(uri, "dumpxml", "bj").stdout
    assert dom.blockJobInfo("vda", 0) == {}

    # active commit of an overlay (an external snapshot) into its base
    ov = os.path.join(work, "ov.qcow2")
    virsh(uri, "snapshot-create-as", "bj", "s1", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + ov)
    assert sources(uri, "bj") == [ov] and backing(ov) == copy
    vda.write(dom, 0x44)
    flush(dom)  # the overlay's own metadata on disk, to read it after
    r = virsh(uri, "blockcommit", "bj", "vda", "--active", "--pivot", "--wait", "--verbose")
    assert "Block commit: [100 %]" in r.stderr, (r.stdout, r.stderr)
    ev.wait_line(r"'block-job-2' for domain 'bj': Active Block Commit for vda completed")
    assert sources(uri, "bj") == [copy], sources(uri, "bj")
    flush(dom)
    assert pattern(copy, 0x44), "the base lacks the committed write"
    vda.write(dom, 0x45)
    flush(dom)
    assert pattern(copy, 0x45), "the guest does not write to the base"
    assert pattern(ov, 0x44), "the committed overlay changed"

    # inactive commit: mid (0x46) between copy and the top overlay
    mid = os.path.join(work, "mid.qcow2")
    upper = os.path.join(work, "upper.qcow2")
    virsh(uri, "snapshot-create-as", "bj", "s2", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + mid)
    vda.write(dom, 0x46)
    virsh(uri, "snapshot-create-as", "bj", "s3", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + upper)
    expect_error(lambda: dom.blockCommit("vda", None, mid, 0,
                                         libvirt.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                 "active commit requested but '%s' is not active" % mid)
    virsh(uri, "blockcommit", "bj", "vda", "--top", mid, "--base", copy, "--wait")
    ev.wait_line(r"'block-job-2' for domain 'bj': Block Commit for vda completed")
    assert pattern(copy, 0x46), "the base lacks the middle image's data"
    assert backing(upper) == copy, backing(upper)
    assert sources(uri, "bj") == [upper]

    # pull: the top gets everything, no backing file
    virsh(uri, "blockpull", "bj", "vda", "--wait")
    ev.wait_line(r"'block-job-2' for domain 'bj': Block Pull for vda completed")
    flush(dom)
    assert backing(upper) is None, backing(upper)
    assert pattern(upper, 0x46)
    assert vda.has(dom, 0x46)
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING

    # a restarted daemon (kill -9) adopts the jobs QEMU kept running: a
    # copy (info, speed, READY then pivot), an inactive commit with DELETE
    # (finished, its image removed), an active commit (abort); 4 MiB of
    # data at 64 KiB/s keep each one running across the restart
    ev.close()
    conn.close()

    def restart():
        d.kill()
        d.start()
        c = libvirt.open(uri)
        e = VirshEvents(uri, "--all")
        e.sync(uri, diskless_xml("evsync"), work)
        dm = c.lookupByName("bj")
        assert dm.state()[0] == libvirt.VIR_DOMAIN_RUNNING
        return c, dm, e

    slow = {"bandwidth": 65536}
    vda._run(dom, "write -P 0x49 0 4M", "wrote 4194304/4194304")
    adopt = os.path.join(work, "adopt.qcow2")
    conn = libvirt.open(uri)
    dom = conn.lookupByName("bj")
    dom.blockCopy("vda", "<disk type='file'><source file='%s'/></disk>" % adopt, slow,
                  libvirt.VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB)
    conn, dom, ev = restart()
    info = dom.blockJobInfo("vda", libvirt.VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES)
    assert info["type"] == libvirt.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY and \
        info["bandwidth"] == 65536 and 0 < info["end"] and info["cur"] < info["end"], info
    assert "<mirror type='file' file='%s' format='qcow2' job='copy'>" % adopt in \
        virsh(uri, "dumpxml", "bj").stdout
    dom.blockJobSetSpeed("vda", 0, 0)
    ev.wait_line(r"'block-job-2' for domain 'bj': Block Copy for vda ready")
    virsh(uri, "blockjob", "bj", "vda", "--pivot")
    ev.wait_line(r"'block-job-2' for domain 'bj': Block Copy for vda completed")
    assert sources(uri, "bj") == [adopt] and sources(uri, "bj", "--inactive") == [adopt]
    vda.write(dom, 0x4a)
    flush(dom)
    assert pattern(adopt, 0x4a), "the guest's write after the pivot is not in the copy"

    # inactive commit of a middle image, DELETE: finished after the restart
    amid = os.path.join(work, "amid.qcow2")
    atop = os.path.join(work, "atop.qcow2")
    virsh(uri, "snapshot-create-as", "bj", "a1", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + amid)
    vda._run(dom, "write -P 0x4b 0 4M", "wrote 4194304/4194304")
    virsh(uri, "snapshot-create-as", "bj", "a2", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + atop)
    dom.blockCommit("vda", adopt, amid, 65536,
                    libvirt.VIR_DOMAIN_BLOCK_COMMIT_DELETE |
                    libvirt.VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES)
    ev.close()
    conn.close()
    conn, dom, ev = restart()
    info = dom.blockJobInfo("vda", 0)
    assert info["type"] == libvirt.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT and \
        info["cur"] < info["end"], info
    dom.blockJobSetSpeed("vda", 0, 0)
    ev.wait_line(r"'block-job-2' for domain 'bj': Block Commit for vda completed")
    wait_for(lambda: not os.path.exists(amid), "the committed image's removal", 30)
    assert backing(atop) == adopt, backing(atop)
    assert pattern(adopt, 0x4b), "the base lacks the middle image's data"
    assert dom.blockJobInfo("vda", 0) == {}

    # active commit, aborted after the restart: the guest stays on the top
    vda._run(dom, "write -P 0x4c 0 4M", "wrote 4194304/4194304")
    dom.blockCommit("vda", None, None, 65536,
                    libvirt.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE |
                    libvirt.VIR_DOMAIN_BLOCK_COMMIT_SHALLOW |
                    libvirt.VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES)
    ev.close()
    conn.close()
    conn, dom, ev = restart()
    info = dom.blockJobInfo("vda", 0)
    assert info["type"] == libvirt.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT and \
        info["cur"] < info["end"], info
    assert "job='active-commit'" in virsh(uri, "dumpxml", "bj").stdout
    virsh(uri, "blockjob", "bj", "vda", "--abort")
    ev.wait_line(r"'block-job-2' for domain 'bj': Active Block Commit for vda canceled")
    assert sources(uri, "bj") == [atop] and "<mirror" not in virsh(uri, "dumpxml", "bj").stdout
    assert dom.blockJobInfo("vda", 0) == {}
    assert vda.has(dom, 0x4c)

    # blockcopy --blockdev onto a host block device (a loop device made
    # here, detached by its recorded name), as libvirt 9.0: formatted with
    # the disk's format, <mirror type='block'>, then <disk type='block'>
    # live and persistent; the device handed to QEMU's user and back
    loopimg = os.path.join(work, "loop.img")
    with open(loopimg, "wb") as f:
        f.truncate(64 << 20)
    p = run("losetup", "-f", "--show", loopimg)
    assert p.returncode == 0, p.stderr
    loopdev = p.stdout.strip()
    try:
        owner = os.stat(loopdev).st_uid
        done = r"'block-job-2' for domain 'bj': Block Copy for vda completed"
        n = len([line for line in ev.lines() if re.search(done, line)])
        virsh(uri, "blockcopy", "bj", "vda", loopdev, "--blockdev", "--wait",
              "--transient-job")
        x = virsh(uri, "dumpxml", "bj").stdout
        assert "<mirror type='block' job='copy' ready='yes'>" in x and \
            "<format type='qcow2'/>" in x and "<source dev='%s'/>" % loopdev in x, x
        virsh(uri, "blockjob", "bj", "vda", "--pivot")
        wait_for(lambda: len([line for line in ev.lines() if re.search(done, line)]) > n,
                 "the block device copy's COMPLETED event", 30)
        for extra in ((), ("--inactive",)):
            x = virsh(uri, "dumpxml", "bj", *extra).stdout
            assert "<disk type='block' device='disk'>" in x and \
                "<source dev='%s'/>" % loopdev in x and "<driver name='qemu' type='qcow2'/>" in x, x
        vda.write(dom, 0x4d)
        flush(dom)
        assert pattern(loopdev, 0x4d), "the guest's write is not on the block device"
        # capacity: the qcow2's 32 MiB; physical: the device's 64 MiB
        cap, alloc, phys = dom.blockInfo("vda")
        assert cap == 32 << 20 and phys == 64 << 20 and 0 < alloc <= phys, (cap, alloc, phys)
        ev.close()
        conn.close()
        virsh(uri, "destroy", "bj")
        assert os.stat(loopdev).st_uid == owner
    finally:
        run("losetup", "-d", loopdev)
    d.stop()


if __name__ == "__main__":
    run_tests([("blockjobs", test_blockjobs)])
