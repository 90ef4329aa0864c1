#!/usr/bin/env python3
"""A disk's I/O throttling (<iotune>) on a running TCG guest through virtkitd,
with Debian's virsh and python3-libvirt; QEMU's own answer (query-block's
"inserted" bps, iops, ... read with qemu-monitor-command) is the check:
- at start, a disk's <iotune> is in QEMU before the guest runs (libvirt's
  block_set_io_throttle on the device's backend); the live XML shows it;
- blkdeviotune --live changes QEMU's limits (a family named replaces the
  disk's, the others stay: python3-libvirt setBlockIoTune), the live XML
  follows, the persistent one does not; virsh blkdeviotune prints what
  python3-libvirt's blockIoTune reads, which is what QEMU has;
- --config lands in dumpxml --inactive only, and is QEMU's after the guest
  is restarted; the live limits survive a daemon restart;
- a hotplugged disk with an <iotune> is throttled; two disks of one group
  share their limits; a CD-ROM's limits come with its medium, and
  update-device may not change them;
- bad values (a burst below or without its limit, total with read/write,
  over 10^15, a burst length QEMU refuses, an unknown disk, a group alone)
  get libvirt's error and change nothing, in QEMU or in the XML.
"""
import json
import os
import re
import subprocess
import sys

from vkdtest import Daemon, Skip, run_tests, test_guest_dir, virsh, write

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

LIVE = libvirt.VIR_DOMAIN_AFFECT_LIVE
CONFIG = libvirt.VIR_DOMAIN_AFFECT_CONFIG
# query-block's names of the 20 numbers, in libvirt's parameter order
QMP = {"total_bytes_sec": "bps", "read_bytes_sec": "bps_rd", "write_bytes_sec": "bps_wr",
       "total_iops_sec": "iops", "read_iops_sec": "iops_rd", "write_iops_sec": "iops_wr",
       "size_iops_sec": "iops_size"}
for _k, _v in list(QMP.items())[:6]:
    QMP[_k + "_max"] = _v + "_max"
    QMP[_k + "_max_length"] = _v + "_max_length"


def disk(dst, path, iotune=""):
    return """<disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='%s' bus='virtio'/>%s</disk>""" % (path, dst, iotune)


# an empty CD-ROM drive with limits: QEMU gets them with a medium
CDROM = """<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>%s
      <target dev='sda' bus='sata'/><readonly/>%s</disk>"""
CDROM_TUNE = "<iotune><total_bytes_sec>%d</total_bytes_sec></iotune>"


def guest_xml(guest, serial, disks):
    return """<domain type='qemu'>
  <name>iot</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    %s
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (guest, guest, "\n    ".join(disks), serial)


def qemu_limits(uri, alias):
    """What QEMU has for device @alias: query-block's "inserted" numbers
    (0 for those it leaves out) and its group."""
    out = virsh(uri, "qemu-monitor-command", "iot",
                json.dumps({"execute": "query-block"})).stdout
    for e in json.loads(out)["return"]:
        if e.get("qdev") == alias or \
                e.get("qdev", "").startswith("/machine/peripheral/%s/" % alias):
            ins = e["inserted"]
            return dict({k: ins.get(v, 0) for k, v in QMP.items()}, group=ins.get("group", ""))
    raise AssertionError("no query-block entry for %s: %s" % (alias, out))


def api_limits(dom, dst, flags=0):
    got = dom.blockIoTune(dst, flags)
    group = got.pop("group_name")
    return dict(got, group=group)


def virsh_limits(uri, dst, *flags):
    """virsh blkdeviotune's answer as a dict (numbers as ints)."""
    out = virsh(uri, "blkdeviotune", "iot", dst, *flags).stdout
    res = {}
    for line in out.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            res[k.strip()] = v.strip()
    group = res.pop("group_name")
    return dict({k: int(v) for k, v in res.items()}, group=group)


def expect(uri, dom, dst, alias, **want):
    """QEMU, python3-libvirt and virsh agree on disk @dst's live limits,
    which are @want's (the numbers not named: 0; a burst's unset length:
    QEMU's 1)."""
    q = qemu_limits(uri, alias)
    full = {k: want.get(k, 0) for k in QMP}
    for k in QMP:
        if k.endswith("_max_length") and full[k[:-len("_length")]] and not full[k]:
            full[k] = 1
    assert {k: q[k] for k in QMP} == full, (q, full)
    if "group" in want:
        assert q["group"] == want["group"], q
    a = api_limits(dom, dst, LIVE)
    assert a == q, (a, q)
    assert virsh_limits(uri, dst, "--live") == q
    return q


def disk_of(xml, dst):
    """The <disk> element of target @dst in domain XML @xml."""
    m = re.search(r"<disk (?:(?!</disk>).)*<target dev='%s'.*?</disk>" % dst, xml, re.S)
    assert m, xml
    return m.group(0)


def refused(fn, code, text):
    try:
        fn()
    except libvirt.libvirtError as e:
        assert e.get_error_code() == code and text in str(e), (e.get_error_code(), str(e))
        return
    raise AssertionError("not refused: %s" % text)


def test_throttling():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    os.chmod(d.root, 0o755)  # the images are opened by QEMU's own user
    imgs = {}
    for n in ("a", "b", "c"):
        imgs[n] = os.path.join(d.root, n + ".img")
        subprocess.run(["qemu-img", "create", "-q", "-f", "raw", imgs[n], "16M"], check=True)
    serial = os.path.join(d.root, "iot.serial")
    start_tune = ("<iotune><total_bytes_sec>1048576</total_bytes_sec>"
                  "<total_iops_sec>100</total_iops_sec></iotune>")
    virsh(uri, "define", write(os.path.join(d.root, "iot.xml"), guest_xml(
        guest, serial, [disk("vda", imgs["a"], start_tune), disk("vdb", imgs["b"]),
                        CDROM % ("", CDROM_TUNE % 3000000)])))

    # a group name alone is refused at define, as libvirt's QEMU driver does
    bad = guest_xml(guest, serial, [disk("vda", imgs["a"],
                                         "<iotune><group_name>g</group_name></iotune>")])
    r = virsh(uri, "define", write(os.path.join(d.root, "bad.xml"), bad), check=False)
    assert r.returncode == 1 and "group_name can be configured only together with settings" \
        in r.stderr, r.stderr

    virsh(uri, "start", "iot")
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("iot")
        # at start: QEMU has vda's limits; vdb none; a disk outside a group
        # is in one QEMU names after the device (what libvirt reads back)
        expect(uri, dom, "vda", "virtio-disk0", total_bytes_sec=1048576, total_iops_sec=100,
               group="/machine/peripheral/virtio-disk0/virtio-backend")
        expect(uri, dom, "vdb", "virtio-disk1")
        assert "<total_iops_sec>100</total_iops_sec>" in virsh(uri, "dumpxml", "iot").stdout

        # virsh --live: QEMU changes, the live XML follows, the config does not
        virsh(uri, "blkdeviotune", "iot", "vdb", "--live", "--total-bytes-sec", "2M",
              "--total-bytes-sec-max", "4M", "--read-iops-sec", "50")
        expect(uri, dom, "vdb", "virtio-disk1", total_bytes_sec=2097152,
               total_bytes_sec_max=4194304, read_iops_sec=50)
        live = virsh(uri, "dumpxml", "iot").stdout
        assert "<total_bytes_sec_max>4194304</total_bytes_sec_max>" in live, live
        assert "4194304" not in virsh(uri, "dumpxml", "--inactive", "iot").stdout

        # python3-libvirt: the iops family named is replaced, bytes stay
        dom.setBlockIoTune("vdb", {"total_iops_sec": 7, "size_iops_sec": 8192}, LIVE)
        before = expect(uri, dom, "vdb", "virtio-disk1", total_bytes_sec=2097152,
                        total_bytes_sec_max=4194304, total_iops_sec=7, size_iops_sec=8192)
        xml_before = virsh(uri, "dumpxml", "iot").stdout

        # bad values: libvirt's errors, nothing changes in QEMU or the XML
        for params, code, text in [
                ({"total_bytes_sec_max": 10}, libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
                 "value 'total_bytes_sec_max' cannot be smaller than 'total_bytes_sec'"),
                ({"read_bytes_sec_max": 5}, libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
                 "cannot reset 'read_bytes_sec' when 'read_bytes_sec_max' is set"),
                ({"total_iops_sec": 1, "write_iops_sec": 2}, libvirt.VIR_ERR_INVALID_ARG,
                 "total and read/write of iops_sec cannot be set at the same time"),
                ({"total_iops_sec": 10 ** 15 + 1}, libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED,
                 "block I/O throttle limit value must be no more than 1000000000000000"),
                ({"total_iops_sec_max_length": 3}, libvirt.VIR_ERR_INTERNAL_ERROR,
                 "unable to execute QEMU command 'block_set_io_throttle'")]:
            refused(lambda: dom.setBlockIoTune("vdb", params, LIVE), code, text)
            assert qemu_limits(uri, "virtio-disk1") == before, params
            assert virsh(uri, "dumpxml", "iot").stdout == xml_before, params
        refused(lambda: dom.setBlockIoTune("vdz", {"total_iops_sec": 1}, LIVE),
                libvirt.VIR_ERR_INVALID_ARG, "disk 'vdz' not found in domain")
        r = virsh(uri, "blkdeviotune", "iot", "vdb", "--total-bytes-sec", "-1", check=False)
        assert r.returncode == 1 and "malformed" in r.stderr, r.stderr
        assert qemu_limits(uri, "virtio-disk1") == before

        # --config: the next boot's definition only
        virsh(uri, "blkdeviotune", "iot", "vdb", "--config", "--write-bytes-sec", "1000")
        inactive = virsh(uri, "dumpxml", "--inactive", "iot").stdout
        assert "<write_bytes_sec>1000</write_bytes_sec>" in inactive, inactive
        assert qemu_limits(uri, "virtio-disk1") == before
        assert api_limits(dom, "vdb", CONFIG)["write_bytes_sec"] == 1000
        assert virsh_limits(uri, "vdb", "--config")["write_bytes_sec"] == 1000

        # a CD-ROM's limits come with its medium; update-device may not
        # change them (libvirt's OPERATION_UNSUPPORTED), nothing changes
        virsh(uri, "change-media", "iot", "sda", imgs["c"], "--insert", "--live")
        expect(uri, dom, "sda", "sata0-0-0", total_bytes_sec=3000000)
        other = CDROM % ("<source file='%s'/>" % imgs["c"], CDROM_TUNE % 5)
        refused(lambda: dom.updateDeviceFlags(other, LIVE),
                libvirt.VIR_ERR_OPERATION_UNSUPPORTED,
                "cannot modify field 'blkdeviotune total_bytes_sec' of the disk")
        expect(uri, dom, "sda", "sata0-0-0", total_bytes_sec=3000000)
        virsh(uri, "change-media", "iot", "sda", "--eject", "--live")

        # a hotplugged disk gets its limits; a group shares them
        virsh(uri, "attach-device", "iot", write(os.path.join(d.root, "c.xml"), disk(
            "vdc", imgs["c"], "<iotune><total_iops_sec>33</total_iops_sec>"
            "<group_name>shared</group_name></iotune>")), "--live")
        expect(uri, dom, "vdc", "virtio-disk2", total_iops_sec=33, group="shared")
        dom.setBlockIoTune("vda", {"group_name": "shared"}, LIVE)
        expect(uri, dom, "vda", "virtio-disk0", total_iops_sec=33, group="shared")
        dom.setBlockIoTune("vdc", {"total_iops_sec": 44}, LIVE)
        for dst, alias in (("vda", "virtio-disk0"), ("vdc", "virtio-disk2")):
            expect(uri, dom, dst, alias, total_iops_sec=44, group="shared")
        # all 0: out of the group, unthrottled
        dom.setBlockIoTune("vda", {"total_iops_sec": 0}, LIVE)
        q = qemu_limits(uri, "virtio-disk0")
        assert not any(q[k] for k in QMP) and q["group"] == "", q
        assert "<iotune>" not in disk_of(virsh(uri, "dumpxml", "iot").stdout, "vda")
        assert "<total_iops_sec>44<" in disk_of(virsh(uri, "dumpxml", "iot").stdout, "vdc")

        # the live limits survive a daemon restart (status file), and QEMU
        # is asked again after it
        conn.close()
        d.stop()
        d.start()
        conn = libvirt.open(uri)
        dom = conn.lookupByName("iot")
        assert virsh(uri, "dumpxml", "iot").stdout.count("<total_iops_sec>44<") == 1
        expect(uri, dom, "vdb", "virtio-disk1", total_bytes_sec=2097152,
               total_bytes_sec_max=4194304, total_iops_sec=7, size_iops_sec=8192)

        # a new boot: the definition's limits are QEMU's
        virsh(uri, "destroy", "iot")
        virsh(uri, "start", "iot")
        expect(uri, dom, "vdb", "virtio-disk1", write_bytes_sec=1000)
        expect(uri, dom, "vda", "virtio-disk0", total_bytes_sec=1048576, total_iops_sec=100)
    finally:
        conn.close()
    virsh(uri, "destroy", "iot")
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("<iotune> at start, blkdeviotune live/config with virsh and python3-libvirt read "
         "back from QEMU, hotplug, groups, errors change nothing, daemon and guest restart",
         test_throttling),
    ])
