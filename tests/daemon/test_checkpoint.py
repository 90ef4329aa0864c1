#!/usr/bin/env python3
"""Domain checkpoints through virtkitd (issue 15), with Debian's virsh and python3-libvirt.

One test guest (TCG, 256 MiB) with a qcow2 vda and a raw vdb, booted once
with virtkit.writedisk=1 (its init writes 4 MiB at the start of vda on
each boot). Every case runs against it and checks the effect in QEMU
(query-block's dirty bitmaps of vda) and in the image (qemu-img info on
the stopped disk):
 - virsh checkpoint-create-as on the running guest adds a persistent
   bitmap named after it; the guest's own writes after a reset (4 MiB)
   are counted in it, and checkpoint-dumpxml --size shows that count;
 - a second checkpoint (python3-libvirt) adds its own bitmap, the first
   one's stays and keeps counting; listAllCheckpoints / getXMLDesc show
   the tree;
 - the metadata survives a daemon restart (the guest keeps running);
 - delete removes the checkpoint's bitmap only (libvirt 9.0: the parent's
   bitmap already counts every write since the parent), metadata-only
   delete keeps it, REDEFINE (with VALIDATE) brings the metadata back;
 - an external disk-only snapshot adds the checkpoint's bitmap to the
   new overlay, which then counts the guest's writes;
 - a blockcopy --pivot takes the bitmap along into the copy, merged from
   every image of the chain (the base's holds the writes from before the
   overlay);
 - an active commit (--pivot) of a new overlay leaves the base's bitmap
   counting the overlay's write;
 - an inactive commit merges the bitmaps of the middle image into the
   base (a checkpoint taken on the middle image reaches the base); a pull
   merges the bitmaps of the images below into the top (isolated: the
   top's c1 cleared, the top covering the base's counted region);
 - a raw copy pivots all the same without the bitmaps (libvirt 9.0):
   the daemon warns, the checkpoint shows no size, its deletion fails;
 - the bitmap is in the images after the guest stops; a rename keeps the
   checkpoints; undefine is refused
   while checkpoints exist, and accepted with --checkpoints-metadata;
 - libvirt 9.0's errors (code, domain), each changing nothing: inactive
   domain, raw disk, bitmap name, duplicate, unknown name, missing bitmap.

A second guest (never waited for: every step is QEMU's) checks a backing
chain as libvirt 9.0 leaves it, the same steps recorded against Debian's
libvirtd: checkpoint c1, external snapshot, checkpoint c2, delete c1 ->
c1 gone from the overlay and from the read-only base (reopened writable
for the removal, read-only again); started again on that chain, every
image is a named node, numbered as libvirtd numbers a disk's chain (the
top's N, then N+1 for the read-only image below it; libvirtd counts the
disks from the last, virtkit from the first), c3 taken, another snapshot, delete c2 ->
only c3 left, in both overlays; c3's --size is the union of its bitmaps
in both; REDEFINE_VALIDATE accepts c3 spread over the chain; qemu-img
info of each file at the end shows what libvirtd left (base none, both
overlays c3).
"""
import json
import os
import sys

from vkdtest import Daemon, Skip, make_tmpdir, run_tests, test_guest_dir, virsh, wait_for, write

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vkdtest import console_text  # noqa: E402
from test_snapshot import (LiveDisk, disks_xml, expect_error, qmp,  # noqa: E402
                           run, vda_block)


def guest_xml(name, guest, serial, disk, raw):
    return disks_xml(name, guest, serial, [(disk, "qcow2"), (raw, "raw")],
                     "virtkit.writedisk=1")


def bitmaps(dom):
    """{name: (count, persistent)} of vda's dirty bitmaps in QEMU."""
    return {m["name"]: (m["count"], m["persistent"])
            for m in vda_block(dom)["inserted"].get("dirty-bitmaps", [])}


def node_bitmaps(dom, image):
    """{name: (count, persistent)} of the format node of @image in QEMU."""
    for n in qmp(dom, "query-named-block-nodes", flat=True):
        if n.get("file") == image and n.get("drv") != "file":
            return {m["name"]: (m["count"], m["persistent"])
                    for m in n.get("dirty-bitmaps", [])}
    raise AssertionError("no node of %s in QEMU" % image)


def top_node(dom):
    return vda_block(dom)["inserted"]["node-name"]


def names(dom, flags=0):
    return sorted(c.getName() for c in dom.listAllCheckpoints(flags))


def test_checkpoints():
    guest = test_guest_dir()
    if not guest:
        raise Skip("no test guest (scripts/build-test-guest.sh failed)")
    d = Daemon().start()
    uri = d.uri()
    work = make_tmpdir()
    os.chmod(work, 0o755)  # QEMU runs as the qemu user
    disk = os.path.join(work, "cp.qcow2")
    raw = os.path.join(work, "cp.raw")
    serial = os.path.join(work, "cp.log")
    assert run("qemu-img", "create", "-q", "-f", "qcow2", disk, "32M").returncode == 0
    assert run("qemu-img", "create", "-q", "-f", "raw", raw, "8M").returncode == 0
    virsh(uri, "define", write(os.path.join(work, "cp.xml"),
                               guest_xml("cp", guest, serial, disk, raw)))
    conn = libvirt.open(uri)
    dom = conn.lookupByName("cp")
    vda = LiveDisk(d, "cp")

    # shut off: no checkpoint (libvirt 9.0's QEMU driver)
    r = virsh(uri, "checkpoint-create-as", "cp", "c0", check=False)
    assert r.returncode == 1 and "cannot create checkpoint for inactive domain" in r.stderr, \
        r.stderr
    expect_error(lambda: dom.checkpointCreateXML("<domaincheckpoint/>"),
                 libvirt.VIR_ERR_OPERATION_UNSUPPORTED, libvirt.VIR_FROM_QEMU)

    virsh(uri, "start", "cp")
    wait_for(lambda: "GUEST-READY" in console_text(serial), "GUEST-READY", 180)
    assert console_text(serial).count("GUEST-DISK-WRITTEN") == 1, console_text(serial)[-2000:]
    assert bitmaps(dom) == {}

    # errors, each changing nothing
    expect_error(lambda: dom.checkpointCreateXML("<domaincheckpoint><name>c1</name>"
                                                 "</domaincheckpoint>"),
                 libvirt.VIR_ERR_OPERATION_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
                 "checkpoint for disk vdb unsupported for storage type raw")
    expect_error(lambda: dom.checkpointCreateXML(
        "<domaincheckpoint><name>c1</name><disks><disk name='vda' bitmap='other'/>"
        "<disk name='vdb' checkpoint='no'/></disks></domaincheckpoint>"),
        libvirt.VIR_ERR_OPERATION_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
        "bitmap for disk 'vda' must match checkpoint name 'c1'")
    expect_error(lambda: dom.checkpointCreateXML(
        "<domaincheckpoint><disks><disk name='vdz'/></disks></domaincheckpoint>"),
        libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_DOMAIN_CHECKPOINT,
        "no disk named 'vdz'")
    expect_error(lambda: dom.checkpointLookupByName("c1"),
                 libvirt.VIR_ERR_NO_DOMAIN_CHECKPOINT, libvirt.VIR_FROM_QEMU)
    assert bitmaps(dom) == {} and names(dom) == []

    # Debian's virsh takes c1: a persistent bitmap on vda, none on vdb
    virsh(uri, "checkpoint-create-as", "cp", "c1", "--description", "first",
          "--diskspec", "vda", "--diskspec", "vdb,checkpoint=no")
    bm = bitmaps(dom)
    assert list(bm) == ["c1"] and bm["c1"][1] is True, bm
    # the guest writes 4 MiB again when it boots again
    virsh(uri, "reset", "cp")
    wait_for(lambda: console_text(serial).count("GUEST-DISK-WRITTEN") == 2,
             "the guest's second disk write", 180)
    wait_for(lambda: bitmaps(dom)["c1"][0] >= 4 << 20, "c1 counting the guest's writes", 30)
    count = bitmaps(dom)["c1"][0]
    x = virsh(uri, "checkpoint-dumpxml", "cp", "c1", "--size", "--no-domain").stdout
    assert "<disk name='vda' checkpoint='bitmap' bitmap='c1' size='%d'/>" % count in x, (x, count)
    assert "<disk name='vdb' checkpoint='no'/>" in x, x

    # python3-libvirt takes c2, child of c1; c1's bitmap stays and counts
    c2 = dom.checkpointCreateXML("<domaincheckpoint><name>c2</name><disks>"
                                 "<disk name='vda'/><disk name='vdb' checkpoint='no'/>"
                                 "</disks></domaincheckpoint>")
    expect_error(lambda: dom.checkpointCreateXML("<domaincheckpoint><name>c2</name><disks>"
                                                 "<disk name='vda'/><disk name='vdb' "
                                                 "checkpoint='no'/></disks>"
                                                 "</domaincheckpoint>"),
                 libvirt.VIR_ERR_OPERATION_FAILED, libvirt.VIR_FROM_DOMAIN)
    assert c2.getParent().getName() == "c1"
    assert names(dom) == ["c1", "c2"]
    assert names(dom, libvirt.VIR_DOMAIN_CHECKPOINT_LIST_LEAVES) == ["c2"]
    assert "<parent>\n    <name>c1</name>\n  </parent>" in c2.getXMLDesc(0)
    assert "<domain type='qemu'>" in c2.getXMLDesc(0)
    before = bitmaps(dom)
    assert set(before) == {"c1", "c2"}, before
    vda.write(dom, 0x42)
    wait_for(lambda: bitmaps(dom)["c2"][0] >= 65536, "c2 counting a write", 30)
    after = bitmaps(dom)
    assert after["c1"][0] >= before["c1"][0], (before, after)

    # the metadata survives a daemon restart; the guest keeps running
    conn.close()
    d.stop()
    d.start()
    conn = libvirt.open(uri)
    dom = conn.lookupByName("cp")
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    listed = virsh(uri, "checkpoint-list", "cp", "--name", "--topological").stdout
    assert listed.split() == ["c1", "c2"], listed
    assert virsh(uri, "checkpoint-parent", "cp", "c2").stdout.strip() == "c1"
    c2 = dom.checkpointLookupByName("c2")
    assert "<description>first</description>" in \
        dom.checkpointLookupByName("c1").getXMLDesc(0)

    # delete c2: its bitmap goes, c1's stays with every write since c1
    c1count = bitmaps(dom)["c1"][0]
    virsh(uri, "checkpoint-delete", "cp", "c2")
    bm = bitmaps(dom)
    assert list(bm) == ["c1"] and bm["c1"][0] >= c1count, bm
    assert names(dom) == ["c1"]

    # metadata-only delete keeps the bitmap; REDEFINE (VALIDATE) brings it back
    c1 = dom.checkpointLookupByName("c1")
    xml = c1.getXMLDesc(libvirt.VIR_DOMAIN_CHECKPOINT_XML_SECURE)
    c1.delete(libvirt.VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY)
    assert names(dom) == [] and "c1" in bitmaps(dom)
    c1 = dom.checkpointCreateXML(xml, libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                                 libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE)
    assert names(dom) == ["c1"]
    expect_error(lambda: dom.checkpointCreateXML(
        xml.replace("<name>c1</name>", "<name>c9</name>", 1)
           .replace("bitmap='c1'", "bitmap='c9'"),
        libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
        libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE),
        libvirt.VIR_ERR_CHECKPOINT_INCONSISTENT, libvirt.VIR_FROM_QEMU,
        "missing or broken bitmap 'c9' for disk 'vda'")
    assert names(dom) == ["c1"]

    # an external snapshot carries c1's bitmap into the new overlay, where
    # the guest's writes now go (libvirt 9.0 propagates active bitmaps)
    overlay = os.path.join(work, "cp.overlay")
    virsh(uri, "snapshot-create-as", "cp", "s1", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + overlay, "--diskspec", "vdb,snapshot=no")
    bm = bitmaps(dom)
    assert list(bm) == ["c1"] and bm["c1"] == (0, True), bm
    vda.write(dom, 0x43)
    wait_for(lambda: bitmaps(dom)["c1"][0] >= 65536, "c1 counting in the overlay", 30)

    # a block copy with pivot takes c1 along into the copy, filled from the
    # chain's c1 bitmaps (libvirt 9.0's qemuBlockBitmapsHandleBlockcopy)
    copy = os.path.join(work, "cp.copy")
    before = bitmaps(dom)["c1"][0]
    virsh(uri, "blockcopy", "cp", "vda", copy, "--wait", "--pivot", "--transient-job")
    assert "<source file='%s'" % copy in virsh(uri, "dumpxml", "cp").stdout
    bm = bitmaps(dom)
    # the overlay's c1 saw 64 KiB; the base's, the guest's 4 MiB at boot
    assert list(bm) == ["c1"] and bm["c1"][1] is True and before < (4 << 20) <= bm["c1"][0], \
        (before, bm)
    vda.write(dom, 0x44)
    assert vda.has(dom, 0x44)

    # an active commit of a new overlay back into the copy: the copy's c1
    # then holds the write made in the overlay (16 MiB in, beyond the rest)
    overlay2 = os.path.join(work, "cp.overlay2")
    virsh(uri, "snapshot-create-as", "cp", "s2", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + overlay2, "--diskspec", "vdb,snapshot=no")
    assert bitmaps(dom)["c1"][0] == 0
    vda._run(dom, "write -P 0x45 16M 64k", "wrote 65536/65536")
    virsh(uri, "blockcommit", "cp", "vda", "--active", "--pivot", "--wait")
    assert "<source file='%s'" % copy in virsh(uri, "dumpxml", "cp").stdout
    bm = bitmaps(dom)
    assert list(bm) == ["c1"] and bm["c1"][0] >= (4 << 20) + 65536, bm

    # an inactive commit merges the bitmaps of the image it drops into the
    # base (libvirt 9.0's qemuBlockBitmapsHandleCommitFinish): c2, taken
    # on the middle image, is in the base afterwards with its write
    mid = os.path.join(work, "cp.mid")
    upper = os.path.join(work, "cp.upper")
    virsh(uri, "snapshot-create-as", "cp", "s3", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + mid, "--diskspec", "vdb,snapshot=no")
    virsh(uri, "checkpoint-create-as", "cp", "c2", "--diskspec", "vda",
          "--diskspec", "vdb,checkpoint=no")
    vda._run(dom, "write -P 0x46 20M 64k", "wrote 65536/65536")
    virsh(uri, "snapshot-create-as", "cp", "s4", "--disk-only", "--no-metadata",
          "--diskspec", "vda,file=" + upper, "--diskspec", "vdb,snapshot=no")
    assert "c2" not in node_bitmaps(dom, copy), node_bitmaps(dom, copy)
    virsh(uri, "blockcommit", "cp", "vda", "--top", mid, "--base", copy, "--wait")
    got = node_bitmaps(dom, copy)
    assert got.get("c2", (0,))[0] >= 65536 and "c1" in got, got

    # a pull merges the bitmaps of the images below into the top (libvirt
    # 9.0's ...CompletedPullBitmaps). Isolated: the top covers the base's
    # first 4 MiB (the guest's boot writes, in the base's c1), so the pull
    # copies nothing there; the top's c1 is cleared first
    vda._run(dom, "write -P 0x47 0 4M", "wrote 4194304/4194304")
    base_c1 = node_bitmaps(dom, copy)["c1"][0]
    assert base_c1 >= 4 << 20, base_c1
    qmp(dom, "block-dirty-bitmap-clear", node=top_node(dom), name="c1")
    assert bitmaps(dom)["c1"][0] == 0
    virsh(uri, "blockpull", "cp", "vda", "--wait")
    bm = bitmaps(dom)
    assert bm["c1"][0] >= base_c1 and bm["c2"][0] >= 65536, (bm, base_c1)
    virsh(uri, "checkpoint-delete", "cp", "c2")
    assert names(dom) == ["c1"]

    # a raw copy cannot hold the bitmaps: libvirt 9.0 pivots all the same
    # (QEMU's refusal only logged), the checkpoint stays without a bitmap
    # on that disk: no size, and its deletion fails
    rawcopy = os.path.join(work, "cp.rawcopy")
    virsh(uri, "blockcopy", "cp", "vda", rawcopy, "--format", "raw", "--wait", "--pivot",
          "--transient-job")
    assert "<source file='%s'" % rawcopy in virsh(uri, "dumpxml", "cp").stdout
    assert bitmaps(dom) == {}
    wait_for(lambda: "checkpoint bitmaps of disk 'vda' of 'cp' are not copied" in d.log(),
             "the daemon's warning about the raw copy", 30)
    x = virsh(uri, "checkpoint-dumpxml", "cp", "c1", "--size", "--no-domain").stdout
    assert "<disk name='vda' checkpoint='bitmap' bitmap='c1'/>" in x, x
    expect_error(lambda: dom.checkpointLookupByName("c1").delete(0),
                 libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_QEMU,
                 "bitmap 'c1' not found in backing chain of 'vda'")
    assert names(dom) == ["c1"]

    # stopped: the bitmap is in every image; undefine needs the flag
    virsh(uri, "destroy", "cp")
    for image in (disk, overlay, copy, upper):
        p = run("qemu-img", "info", "--output=json", image)
        assert p.returncode == 0, p.stderr
        fmt = json.loads(p.stdout)["format-specific"]["data"]
        want = ["c1", "c2"] if image == copy else ["c1"]
        assert sorted(b["name"] for b in fmt.get("bitmaps", [])) == want, (image, fmt)
    expect_error(lambda: c1.delete(0), libvirt.VIR_ERR_OPERATION_UNSUPPORTED,
                 libvirt.VIR_FROM_QEMU, "cannot delete checkpoint for inactive domain")
    expect_error(lambda: c1.getXMLDesc(libvirt.VIR_DOMAIN_CHECKPOINT_XML_SIZE),
                 libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_QEMU)
    # a rename takes the checkpoints along (their metadata is kept by name)
    virsh(uri, "domrename", "cp", "cpr")
    dom = conn.lookupByName("cpr")
    assert names(dom) == ["c1"]
    r = virsh(uri, "undefine", "cpr", check=False)
    assert r.returncode == 1 and "cannot delete inactive domain with 1 checkpoints" in r.stderr, \
        r.stderr
    assert names(dom) == ["c1"]
    meta = [os.path.join(dp, f) for dp, _, fs in os.walk(d.root) for f in fs
            if f.endswith(".xml") and "checkpoint" in dp]
    assert len(meta) == 1 and meta[0].endswith("/checkpoint/cpr/c1.xml"), meta
    virsh(uri, "undefine", "cpr", "--checkpoints-metadata")
    leftovers = [os.path.join(dp, f) for dp, _, fs in os.walk(d.root) for f in fs
                 if "checkpoint" in dp]
    assert not leftovers, leftovers
    conn.close()
    d.stop()


def image_bitmaps(path):
    p = run("qemu-img", "info", "-U", "--output=json", path)
    assert p.returncode == 0, p.stderr
    fmt = json.loads(p.stdout)["format-specific"]["data"]
    return sorted(b["name"] for b in fmt.get("bitmaps", []))


def node_of(dom, image):
    """The format node entry of @image in QEMU."""
    for n in qmp(dom, "query-named-block-nodes", flat=True):
        if n.get("file") == image and n.get("drv") != "file":
            return n
    raise AssertionError("no node of %s in QEMU" % image)


def test_checkpoint_chain():
    guest = test_guest_dir()
    if not guest:
        raise Skip("no test guest (scripts/build-test-guest.sh failed)")
    d = Daemon().start()
    uri = d.uri()
    work = make_tmpdir()
    os.chmod(work, 0o755)  # QEMU runs as the qemu user
    base = os.path.join(work, "base.qcow2")
    ov1 = os.path.join(work, "ov1.qcow2")
    ov2 = os.path.join(work, "ov2.qcow2")
    raw = os.path.join(work, "ch.raw")
    serial = os.path.join(work, "ch.log")
    assert run("qemu-img", "create", "-q", "-f", "qcow2", base, "32M").returncode == 0
    assert run("qemu-img", "create", "-q", "-f", "raw", raw, "8M").returncode == 0
    virsh(uri, "define", write(os.path.join(work, "ch.xml"),
                               guest_xml("ch", guest, serial, base, raw)
                               .replace(" virtkit.writedisk=1", "")))
    conn = libvirt.open(uri)
    dom = conn.lookupByName("ch")
    vda = LiveDisk(d, "ch")

    def cp(name):
        virsh(uri, "checkpoint-create-as", "ch", name, "--diskspec", "vda",
              "--diskspec", "vdb,checkpoint=no")

    def snap(name, path):
        virsh(uri, "snapshot-create-as", "ch", name, "--disk-only", "--no-metadata",
              "--diskspec", "vda,file=" + path, "--diskspec", "vdb,snapshot=no")

    # c1 on base; the snapshot carries it into ov1, where c2 is taken
    virsh(uri, "start", "ch")
    cp("c1")
    snap("s1", ov1)
    cp("c2")
    assert sorted(node_bitmaps(dom, base)) == ["c1"] and node_of(dom, base)["ro"]
    assert sorted(node_bitmaps(dom, ov1)) == ["c1", "c2"]
    # delete c1: gone from both images, the base read-only again
    virsh(uri, "checkpoint-delete", "ch", "c1")
    assert node_bitmaps(dom, base) == {} and node_of(dom, base)["ro"] is True
    assert sorted(node_bitmaps(dom, ov1)) == ["c2"]
    virsh(uri, "destroy", "ch")
    assert image_bitmaps(base) == [] and image_bitmaps(ov1) == ["c2"]

    # started on that chain: each image a named node, the image below the
    # top numbered next (libvirtd: vda's top libvirt-2, its base libvirt-3,
    # vdb libvirt-1; virtkit counts disks from the first)
    virsh(uri, "start", "ch")
    top, below = node_of(dom, ov1), node_of(dom, base)
    assert (top["node-name"], top["ro"]) == ("libvirt-1-format", False), top
    assert (below["node-name"], below["ro"]) == ("libvirt-2-format", True), below
    nodes = {n["node-name"]: n["file"] for n in qmp(dom, "query-named-block-nodes", flat=True)}
    assert nodes.get("libvirt-1-storage") == ov1 and nodes.get("libvirt-2-storage") == base, nodes
    assert sorted(node_bitmaps(dom, ov1)) == ["c2"] and node_bitmaps(dom, base) == {}
    cp("c3")
    vda.write(dom, 0x51)
    snap("s2", ov2)
    assert node_of(dom, ov2)["node-name"] == "libvirt-4-format"  # vdb is libvirt-3
    vda._run(dom, "write -P 0x52 1M 64k", "wrote 65536/65536")
    # c2 goes from both overlays (ov1 reopened writable for it)
    virsh(uri, "checkpoint-delete", "ch", "c2")
    assert sorted(node_bitmaps(dom, ov2)) == ["c3"] and sorted(node_bitmaps(dom, ov1)) == ["c3"]
    assert node_bitmaps(dom, base) == {} and node_of(dom, ov1)["ro"] is True
    assert names(dom) == ["c3"]
    # --size counts both halves of c3: 64 KiB in ov1, 64 KiB elsewhere in ov2
    lower, upper = node_bitmaps(dom, ov1)["c3"][0], node_bitmaps(dom, ov2)["c3"][0]
    assert lower >= 65536 and upper >= 65536, (lower, upper)
    x = virsh(uri, "checkpoint-dumpxml", "ch", "c3", "--size", "--no-domain").stdout
    assert "bitmap='c3' size='%d'/>" % (lower + upper) in x, (x, lower, upper)
    assert not any(n.startswith("libvirt-tmp") for n in node_bitmaps(dom, ov2))
    # REDEFINE_VALIDATE takes c3 spread over the chain
    c3 = dom.checkpointLookupByName("c3")
    xml = c3.getXMLDesc(libvirt.VIR_DOMAIN_CHECKPOINT_XML_SECURE)
    c3.delete(libvirt.VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY)
    dom.checkpointCreateXML(xml, libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                            libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE)
    assert names(dom) == ["c3"]
    virsh(uri, "destroy", "ch")
    # what Debian's libvirtd leaves after the same steps
    assert (image_bitmaps(base), image_bitmaps(ov1), image_bitmaps(ov2)) == \
        ([], ["c3"], ["c3"])
    virsh(uri, "undefine", "ch", "--checkpoints-metadata")
    conn.close()
    d.stop()


if __name__ == "__main__":
    run_tests([("checkpoints", test_checkpoints),
               ("checkpoint-chain", test_checkpoint_chain)])
