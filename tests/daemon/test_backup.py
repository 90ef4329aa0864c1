#!/usr/bin/env python3
"""Disk backups of a running guest through virtkitd (issue 15), with Debian's virsh and python3-libvirt.

One test guest (TCG, 256 MiB) with a qcow2 vda (its init writes 4 MiB of
VIRTKIT-TEST-PATTERN at its start on boot), a raw vdb holding 0x42 at
8 MiB and a raw vdc of 64 MiB of data (its copy is held, see ReadHold),
booted once; each case checks the effect in the images (qemu-img,
the bytes read back) and in QEMU (its block nodes and bitmaps):
 - virsh backup-begin (push, vda to a qcow2 file, vdb to a raw one) with a
   checkpoint: "Backup started"; backup-dumpxml shows libvirt's document
   (every disk, mode, index, driver, target); the job ends by itself:
   JOB_COMPLETED (operation backup, success, disk figures), then BLOCK_JOB
   and BLOCK_JOB_2 (Backup ... completed) for each disk; domjobinfo
   --completed shows it; backup-dumpxml then fails (NO_DOMAIN_BACKUP); the
   targets hold what the disks held (the marker, vdb's bytes), are not
   open in QEMU any more, and the checkpoint's bitmap is on vda;
 - after writes through QEMU (HMP qemu-io on vda) an incremental backup
   from that checkpoint (python3-libvirt) holds only the written clusters
   (qemu-img map), names vda's image as its backing file, and rebased onto
   the full backup restores vda's content byte for byte;
 - a backup of vdc held in QEMU (ReadHold: vdc's reads wait in a throttle
   filter put below its format node before the backup begins, so the copy
   cannot end before the test releases it, however fast the machine) is
   shown by domjobinfo (Unbounded, Backup) and aborted with virsh
   domjobabort: JOB_COMPLETED without success, BLOCK_JOB_2 canceled, its
   target file removed, no node of it left in QEMU, no backup job;
 - bad backup XML and libvirt 9.0's errors (code, domain), each changing
   nothing: schema, unknown disk, a target that exists, an unknown
   checkpoint, a second backup while one runs, pull mode, read-only, a
   shut-off domain.
"""
import json
import os
import re
import sys
import threading

from vkdtest import (Daemon, Skip, VirshEvents, diskless_xml, make_tmpdir, run_tests,
                     test_guest_dir, virsh, wait_for, write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vkdtest import console_text  # noqa: E402
from test_snapshot import (LiveDisk, disks_xml, expect_error, hmp, qmp,  # noqa: E402
                           run, vda_block)

MARKER = b"VIRTKIT-TEST-PATTERN\n"
VIR_FROM_QEMU = 10
VIR_FROM_DOMAIN = 20
VIR_FROM_XML = 5


def guest_xml(name, guest, serial, vda, vdb, vdc):
    return disks_xml(name, guest, serial, [(vda, "qcow2"), (vdb, "raw"), (vdc, "raw")],
                     "virtkit.writedisk=1")


def node_files(dom):
    return [n.get("file") for n in qmp(dom, "query-named-block-nodes", flat=True)]


def vda_bitmaps(dom):
    return sorted(m["name"] for m in vda_block(dom)["inserted"].get("dirty-bitmaps", []))


def raw_of(image, out, fmt=None):
    """@image's content as a raw file @out (-U: it may be open in QEMU)."""
    argv = ["qemu-img", "convert", "-U", "-O", "raw"]
    if fmt:
        argv += ["-f", fmt]
    p = run(*(argv + [image, out]))
    assert p.returncode == 0, p.stderr
    with open(out, "rb") as f:
        return f.read()


def img_info(image):
    p = run("qemu-img", "info", "-U", "--output=json", image)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


class JobEvents:
    """python3-libvirt's JOB_COMPLETED callbacks of one domain."""

    def __init__(self, conn, dom):
        self.got = []
        self.cond = threading.Condition()
        self.id = conn.domainEventRegisterAny(
            dom, libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, self._cb, None)

    def _cb(self, conn, dom, params, opaque):
        with self.cond:
            self.got.append(params)
            self.cond.notify_all()

    def wait(self, n):
        wait_for(lambda: len(self.got) >= n, "JOB_COMPLETED #%d" % n, 120)
        return self.got[n - 1]


class ReadHold:
    """Every read of a raw disk's image waits in QEMU until release(), set up
    behind the driver's back before the job that reads it begins (so the
    job cannot end first, whatever the machine's speed): a throttle filter
    node whose group allows reads of 1 byte/s (the first request passes,
    the next waits for weeks) is put between the disk's format node and
    its storage node with blockdev-reopen. release() lifts the limit and
    reopens the filter, whose drain restarts the waiting requests; remove()
    puts back the chain the driver made. The guest does not read the disk
    meanwhile."""

    GROUP = "vktest-hold"
    NODE = "vktest-hold-node"

    def __init__(self, dom, image):
        self.dom = dom
        self.fmt = [b["inserted"]["node-name"] for b in qmp(dom, "query-block")
                    if b.get("inserted", {}).get("file") == image]
        self.storage = [n["node-name"] for n in qmp(dom, "query-named-block-nodes", flat=True)
                        if n["drv"] == "file" and n["file"] == image]
        assert len(self.fmt) == 1 and len(self.storage) == 1, (self.fmt, self.storage)
        self.fmt, self.storage = self.fmt[0], self.storage[0]
        qmp(dom, "object-add", **{"qom-type": "throttle-group", "id": self.GROUP,
                                  "limits": {"bps-read": 1}})
        qmp(dom, "blockdev-add", **{"driver": "throttle", "node-name": self.NODE,
                                    "throttle-group": self.GROUP, "file": self.storage})
        self._reopen_format(self.NODE)

    def _reopen_format(self, child):
        # the format node's options as the driver gave them (raw, writable)
        qmp(self.dom, "blockdev-reopen", options=[{
            "driver": "raw", "node-name": self.fmt, "read-only": False, "file": child}])

    def release(self):
        qmp(self.dom, "qom-set", path="/objects/" + self.GROUP, property="limits",
            value={"bps-read": 0})
        qmp(self.dom, "blockdev-reopen", options=[{
            "driver": "throttle", "node-name": self.NODE, "throttle-group": self.GROUP,
            "file": self.storage}])

    def remove(self):
        self._reopen_format(self.storage)
        qmp(self.dom, "blockdev-del", **{"node-name": self.NODE})
        qmp(self.dom, "object-del", id=self.GROUP)


def event_loop():
    libvirt.virEventRegisterDefaultImpl()

    def loop():
        while True:
            libvirt.virEventRunDefaultImpl()
    t = threading.Thread(target=loop, daemon=True)
    t.start()


def test_backup():
    guest = test_guest_dir()
    if not guest:
        raise Skip("no test guest (scripts/build-test-guest.sh failed)")
    event_loop()
    d = Daemon().start()
    uri = d.uri()
    work = make_tmpdir()
    os.chmod(work, 0o755)  # QEMU runs as the qemu user
    vda = os.path.join(work, "vda.qcow2")
    vdb = os.path.join(work, "vdb.raw")
    vdc = os.path.join(work, "vdc.raw")
    serial = os.path.join(work, "bk.log")
    assert run("qemu-img", "create", "-q", "-f", "qcow2", vda, "32M").returncode == 0
    assert run("qemu-img", "create", "-q", "-f", "raw", vdb, "16M").returncode == 0
    assert run("qemu-io", "-f", "raw", "-c", "write -P 0x42 8M 64k", vdb).returncode == 0
    # vdc: 64 MiB of data, more than the one request ReadHold lets through
    assert run("qemu-img", "create", "-q", "-f", "raw", vdc, "64M").returncode == 0
    assert run("qemu-io", "-f", "raw", "-c", "write -P 0x55 0 64M", vdc).returncode == 0
    virsh(uri, "define", write(os.path.join(work, "bk.xml"),
                               guest_xml("bk", guest, serial, vda, vdb, vdc)))
    conn = libvirt.open(uri)
    ro = libvirt.openReadOnly(uri)
    dom = conn.lookupByName("bk")
    ev = VirshEvents(uri, "--all")
    ev.sync(uri, diskless_xml("evsync"), work)
    jobs = JobEvents(conn, dom)
    try:
        full = os.path.join(work, "full.qcow2")
        fullxml = write(os.path.join(work, "full.xml"), """<domainbackup>
  <disks>
    <disk name='vda' type='file'><driver type='qcow2'/><target file='%s'/></disk>
    <disk name='vdb' type='file'><driver type='raw'/><target file='%s/vdb.bak'/></disk>
  </disks>
</domainbackup>
""" % (full, work))
        cpxml = write(os.path.join(work, "c1.xml"), """<domaincheckpoint><name>c1</name>
  <disks><disk name='vda'/><disk name='vdb' checkpoint='no'/></disks>
</domaincheckpoint>
""")

        # shut off: libvirt's error, nothing created
        expect_error(lambda: dom.backupBegin(open(fullxml).read(), None, 0),
                     libvirt.VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                     "cannot perform disk backup for inactive domain")
        virsh(uri, "start", "bk")
        wait_for(lambda: "GUEST-DISK-WRITTEN" in console_text(serial), "GUEST-DISK-WRITTEN", 180)
        live = LiveDisk(d, "bk")


        # errors, each changing nothing
        for bad, code, dom_ in (
                ("<domainbackup><bogus/></domainbackup>", libvirt.VIR_ERR_XML_INVALID_SCHEMA,
                 VIR_FROM_XML),
                ("<domainbackup mode='sideways'/>", libvirt.VIR_ERR_XML_INVALID_SCHEMA,
                 VIR_FROM_XML),
                ("<domainbackup><disks><disk name='vda' type='file'>"
                 "<target file='relative.qcow2'/></disk></disks></domainbackup>",
                 libvirt.VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML),
                ("<domainbackup><disks><disk name='vdz' type='file'/></disks></domainbackup>",
                 libvirt.VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN),
                ("<domainbackup><disks><disk name='vda' type='file'/>"
                 "<disk name='vda' type='file'/></disks></domainbackup>",
                 libvirt.VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN),
                ("<domainbackup><incremental>nosuch</incremental><disks>"
                 "<disk name='vda' type='file'><target file='%s/x.qcow2'/></disk>"
                 "<disk name='vdb' backup='no'/></disks></domainbackup>" % work,
                 libvirt.VIR_ERR_NO_DOMAIN_CHECKPOINT, VIR_FROM_QEMU),
                ("<domainbackup><disks><disk name='vda' type='file'><target file='%s'/>"
                 "</disk><disk name='vdb' backup='no'/></disks></domainbackup>" % vdb,
                 libvirt.VIR_ERR_INVALID_ARG, VIR_FROM_QEMU),
                ("<domainbackup mode='pull'><server transport='unix' socket='%s/nbd'/>"
                 "</domainbackup>" % work, libvirt.VIR_ERR_OPERATION_UNSUPPORTED,
                 VIR_FROM_QEMU),
                ("<domainbackup", libvirt.VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN)):
            expect_error(lambda: dom.backupBegin(bad, None, 0), code, dom_)
        expect_error(lambda: ro.lookupByName("bk").backupBegin(open(fullxml).read(), None, 0),
                     libvirt.VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN)
        expect_error(lambda: dom.backupBegin(open(fullxml).read(), None, 1 << 4),
                     libvirt.VIR_ERR_INVALID_ARG, VIR_FROM_QEMU)
        expect_error(lambda: dom.backupGetXMLDesc(0), libvirt.VIR_ERR_NO_DOMAIN_BACKUP,
                     VIR_FROM_QEMU, "no domain backup job present")
        assert sorted(os.listdir(work)) == sorted(
            ["vda.qcow2", "vdb.raw", "vdc.raw", "bk.log", "bk.xml", "full.xml", "c1.xml",
             "evsync.xml"]), os.listdir(work)
        assert dom.listAllCheckpoints() == [] and vda_bitmaps(dom) == []
        assert work + "/x.qcow2" not in node_files(dom)

        # a full backup with a checkpoint, from Debian's virsh
        r = virsh(uri, "backup-begin", "bk", "--backupxml", fullxml, "--checkpointxml", cpxml)
        assert r.stdout == "Backup started\n\n" or r.stdout.strip() == "Backup started", r.stdout
        params = jobs.wait(1)
        assert params[libvirt.VIR_DOMAIN_JOB_OPERATION] == \
            libvirt.VIR_DOMAIN_JOB_OPERATION_BACKUP, params
        assert params[libvirt.VIR_DOMAIN_JOB_SUCCESS] in (True, 1), params
        assert params[libvirt.VIR_DOMAIN_JOB_DISK_TOTAL] == 32 * 2**20 + 16 * 2**20, params
        assert params[libvirt.VIR_DOMAIN_JOB_DISK_PROCESSED] == \
            params[libvirt.VIR_DOMAIN_JOB_DISK_TOTAL], params
        ev.wait_line(r"'block-job-2' for domain 'bk': Backup for vda completed")
        ev.wait_line(r"'block-job-2' for domain 'bk': Backup for vdb completed")
        ev.wait_line(r"'block-job' for domain 'bk': Backup for %s completed" % re.escape(vda))
        r = virsh(uri, "domjobinfo", "bk", "--completed")
        assert re.search(r"^Job type:\s+Completed", r.stdout, re.M) and \
            re.search(r"^Operation:\s+Backup", r.stdout, re.M) and \
            re.search(r"^File total:\s+48\.000 MiB", r.stdout, re.M), r.stdout
        r = virsh(uri, "backup-dumpxml", "bk", check=False)
        assert r.returncode == 1 and "no domain backup job present" in r.stderr, r.stderr
        assert [c.getName() for c in dom.listAllCheckpoints()] == ["c1"]
        assert vda_bitmaps(dom) == ["c1"], vda_bitmaps(dom)
        files = node_files(dom)
        assert full not in files and work + "/vdb.bak" not in files, files
        info = img_info(full)
        assert info["format"] == "qcow2" and "backing-filename" not in info, info
        live_now = raw_of(vda, os.path.join(work, "vda.now"))
        backup = raw_of(full, os.path.join(work, "full.raw"))
        assert backup.startswith(MARKER * 8) and backup == live_now, \
            "the full backup differs from vda"
        with open(os.path.join(work, "vdb.bak"), "rb") as f:
            data = f.read()
        assert len(data) == 16 * 2**20 and data[8 * 2**20:8 * 2**20 + 65536] == b"B" * 65536

        # writes after the checkpoint, then an incremental backup (python)
        live._run(dom, "write -P 0x43 8M 64k", "wrote 65536/65536")
        live._run(dom, "write -P 0x44 20M 128k", "wrote 131072/131072")
        assert hmp(dom, 'qemu-io -d %s "flush"' % LiveDisk.DEV) == ""
        inc = os.path.join(work, "inc.qcow2")
        dom.backupBegin("""<domainbackup><incremental>c1</incremental><disks>
  <disk name='vda' type='file'><target file='%s'/></disk>
  <disk name='vdb' backup='no'/></disks></domainbackup>""" % inc,
                        "<domaincheckpoint><name>c2</name><disks><disk name='vda'/>"
                        "<disk name='vdb' checkpoint='no'/></disks></domaincheckpoint>", 0)
        params = jobs.wait(2)
        assert params[libvirt.VIR_DOMAIN_JOB_SUCCESS] in (True, 1), params
        ev.wait_line(r"'block-job-2' for domain 'bk': Backup for vda completed")
        assert vda_bitmaps(dom) == ["c1", "c2"], vda_bitmaps(dom)
        info = img_info(inc)
        assert info["format"] == "qcow2" and info.get("backing-filename") == vda, info
        p = run("qemu-img", "map", "-U", "--output=json", inc)
        assert p.returncode == 0, p.stderr
        own = [(m["start"], m["length"]) for m in json.loads(p.stdout)
               if m["depth"] == 0 and m["data"]]
        assert own == [(8 * 2**20, 65536), (20 * 2**20, 131072)], own
        # restore: the increment on top of the full backup is vda now
        assert run("qemu-img", "rebase", "-u", "-F", "qcow2", "-b", full, inc).returncode == 0
        restored = raw_of(inc, os.path.join(work, "restored.raw"))
        live_now = raw_of(vda, os.path.join(work, "vda.now"))
        assert restored == live_now, "full + incremental differs from vda"
        assert restored[8 * 2**20:8 * 2**20 + 65536] == b"C" * 65536

        # a backup held in QEMU: domjobinfo, then domjobabort
        slow = os.path.join(work, "slow.qcow2")
        slowxml = ("<domainbackup><disks><disk name='vdc' type='file'><target file='%s'/>"
                   "</disk></disks></domainbackup>" % slow)
        hold = ReadHold(dom, vdc)
        dom.backupBegin(slowxml, None, 0)
        job = [j for j in qmp(dom, "query-jobs") if j["id"].startswith("backup-vdc-")]
        assert len(job) == 1 and job[0]["status"] == "running" and \
            job[0]["current-progress"] < job[0]["total-progress"] == 64 * 2**20, job
        x = virsh(uri, "backup-dumpxml", "bk").stdout
        assert re.search(r"<disk name='vdc' backup='yes' type='file' backupmode='full' "
                         r"index='\d+'>\n      <driver type='qcow2'/>\n      <target file='%s'/>"
                         % re.escape(slow), x), x
        assert "<disk name='vda' backup='no'/>" in x and "<disk name='vdb' backup='no'/>" in x, x
        expect_error(lambda: dom.backupBegin(slowxml.replace("slow", "second"), None, 0),
                     libvirt.VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
                     "another backup job is already running")
        r = virsh(uri, "domjobinfo", "bk")
        assert re.search(r"^Job type:\s+Unbounded", r.stdout, re.M) and \
            re.search(r"^Operation:\s+Backup", r.stdout, re.M), r.stdout
        assert slow in node_files(dom)
        job = [j for j in qmp(dom, "query-jobs") if j["id"].startswith("backup-vdc-")]
        assert len(job) == 1 and job[0]["status"] == "running" and \
            job[0]["current-progress"] < 64 * 2**20, job
        virsh(uri, "domjobabort", "bk")
        # the copy may go on now: it is cancelled already
        hold.release()
        params = jobs.wait(3)
        assert params[libvirt.VIR_DOMAIN_JOB_SUCCESS] in (False, 0), params
        ev.wait_line(r"'block-job-2' for domain 'bk': Backup for vdc canceled")
        assert not os.path.exists(slow), "the aborted backup's target is left"
        assert slow not in node_files(dom)
        expect_error(lambda: dom.backupGetXMLDesc(0), libvirt.VIR_ERR_NO_DOMAIN_BACKUP,
                     VIR_FROM_QEMU)
        assert virsh(uri, "domjobinfo", "bk").stdout.startswith("Job type:         None")
        assert [j for j in qmp(dom, "query-jobs") if j["id"].startswith("backup-")] == []
        assert vda_bitmaps(dom) == ["c1", "c2"], vda_bitmaps(dom)
        assert os.path.exists(inc) and os.path.exists(full)
        hold.remove()
        assert ReadHold.NODE not in [n["node-name"] for n in
                                     qmp(dom, "query-named-block-nodes", flat=True)]

        virsh(uri, "destroy", "bk")
        virsh(uri, "undefine", "bk", "--checkpoints-metadata")
    finally:
        ev.close()
        ro.close()
        conn.close()
        d.stop()


if __name__ == "__main__":
    run_tests([("backup", test_backup)])
