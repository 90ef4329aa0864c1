#!/usr/bin/env python3
"""The disk storage backend for real, and the logical one's refusal (issue 11).

The test makes a 256 MiB sparse file, attaches it to a loop device with
partition scanning (losetup --find --show --partscan, device recorded) and
drives a disk pool on it with Debian's virsh and python3-libvirt against
virtkitd, checking the partition table with parted(8):
- gpt: pool-start before any table is refused (STORAGE_PROBE_FAILED);
  pool-build writes the table; --no-overwrite then refuses
  (STORAGE_POOL_BUILT); the pool's figures and free extent are libvirt
  9.0's for that device (recorded from Debian's libvirtd on the same
  256 MiB loop device);
- volumes are partitions: a name other than the next partition's is
  refused with libvirt's error and writes nothing (libvirt 9.0 writes the
  partition, then fails); vol-create makes loopNp1, loopNp2 (device nodes,
  extents, free extents after), vol-upload / vol-download round-trip the
  bytes, vol-wipe zeroes, vol-resize is NO_SUPPORT, vol-delete removes the
  partition and its node;
- a daemon restart keeps the pool running with its volumes;
- dos: a table of another label is refused without --overwrite; with it,
  the figures are libvirt's cylinder-aligned ones; an extended partition
  and logical ones inside it; pool-delete erases the table;
- find-storage-pool-sources disk: libvirt's NO_SUPPORT;
- logical pools: defined and listed, but build, start, delete and source
  discovery answer INTERNAL_ERROR naming the missing device-mapper (this
  kernel has none), and change nothing.
Every loop device and file made is removed at the end, whatever happened.
"""
import os

import libvirt

from vkdtest import Daemon, LoopDevices, Skip, expect_error, run_argv, run_tests, virsh

libvirt.registerErrorHandler(lambda ctx, err: None, None)

TOOLS = ("/usr/sbin/losetup", "/usr/sbin/parted")
loops = LoopDevices()  # the loop devices this test attached


def need_root_tools():
    if os.geteuid() != 0:
        raise Skip("needs root (loop devices)")
    for t in TOOLS:
        if not os.access(t, os.X_OK):
            raise Skip("needs " + t)
    if not os.path.exists("/dev/loop-control"):
        raise Skip("no /dev/loop-control")
    # partition nodes (loop0p1) appear by themselves only on a devtmpfs /dev
    # (there is no udev here to make them)
    with open("/proc/self/mounts") as f:
        if not any(l.split()[1:3] == ["/dev", "devtmpfs"] for l in f):
            raise Skip("/dev is not a devtmpfs: partition nodes would not appear")


def run(*argv, check=True):
    return run_argv(*argv, check=check, env={"LC_ALL": "C"})


def attach_loop(backing, mib=256):
    return loops.attach(backing, mib, partscan=True)


def cleanup():
    loops.detach_all()


def partitions(dev):
    """parted's view: (number, start, end) of each partition, or None
    without a table."""
    p = run("parted", "-s", "-m", dev, "unit", "B", "print", check=False)
    if p.returncode != 0:
        assert "unrecognised disk label" in p.stderr, p.stderr
        return None
    out = []
    for line in p.stdout.splitlines()[2:]:
        f = line.rstrip(";").split(":")
        out.append((int(f[0]), int(f[1][:-1]), int(f[2][:-1]) + 1))
    return out


def label(dev):
    p = run("parted", "-s", "-m", dev, "print", check=False)
    return p.stdout.splitlines()[1].split(":")[5] if p.returncode == 0 else None


def disk_pool_xml(name, dev, fmt):
    return ("<pool type='disk'><name>%s</name><source><device path='%s'/>"
            "<format type='%s'/></source><target><path>/dev</path></target></pool>"
            % (name, dev, fmt))


def vol_xml(name, mib, fmt=None):
    return ("<volume><name>%s</name><capacity unit='M'>%d</capacity>%s</volume>"
            % (name, mib, "<target><format type='%s'/></target>" % fmt if fmt else ""))


def pool_figures(pool):
    xml = pool.XMLDesc(0)
    info = pool.info()
    free = []
    for part in xml.split("<freeExtent ")[1:]:
        a = dict(kv.split("=") for kv in part.split("/>")[0].split())
        free.append((int(a["start"].strip("'")), int(a["end"].strip("'"))))
    return info[1], info[2], info[3], free


def test_disk_pool():
    need_root_tools()
    d = Daemon().start()
    try:
        disk_pool_case(d)
    finally:
        cleanup()


def disk_pool_case(d):
    u = d.uri()
    dev = attach_loop(os.path.join(d.root, "disk.img"))
    base = os.path.basename(dev)
    p1, p2 = base + "p1", base + "p2"
    conn = libvirt.open(u)
    pool = conn.storagePoolDefineXML(disk_pool_xml("dp", dev, "gpt"), 0)

    # gpt: no table yet
    expect_error(pool.create, libvirt.VIR_ERR_STORAGE_PROBE_FAILED, libvirt.VIR_FROM_STORAGE,
                 "Device '%s' is unrecognized, requires build" % dev)
    assert label(dev) is None
    virsh(u, "pool-build", "dp")
    assert label(dev) == "gpt"
    expect_error(lambda: pool.build(libvirt.VIR_STORAGE_POOL_BUILD_NO_OVERWRITE),
                 libvirt.VIR_ERR_STORAGE_POOL_BUILT, libvirt.VIR_FROM_STORAGE,
                 "Device '%s' already formatted using 'gpt'" % dev)
    virsh(u, "pool-start", "dp")
    # libvirtd 9.0's figures for this device (first usable byte 17408, the
    # backup table's 16896 bytes at the end are not the pool's)
    assert pool_figures(pool) == (268418560, 0, 268401152, [(17408, 268418560)]), \
        pool_figures(pool)

    # a name that is not the next partition's: refused, nothing written
    expect_error(lambda: pool.createXML(vol_xml("data", 16), 0), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_STORAGE,
                 "invalid partition name 'data', expected '%s'" % p1)
    assert partitions(dev) == []
    virsh(u, "vol-create-as", "dp", p1, "16M")
    v2 = pool.createXML(vol_xml(p2, 16, "linux"), 0)
    assert partitions(dev) == [(1, 17408, 16794624), (2, 16794624, 33571840)], partitions(dev)
    for name in (p1, p2):
        assert os.path.exists("/dev/" + name)
    assert sorted(pool.listVolumes()) == [p1, p2]
    assert v2.info() == [libvirt.VIR_STORAGE_VOL_BLOCK, 16 << 20, 16 << 20]
    assert v2.path() == "/dev/" + p2 and v2.key() == "/dev/" + p2
    xml = v2.XMLDesc(0)
    assert "<device path='%s'>" % dev in xml and \
        "<extent start='16794624' end='33571840'/>" in xml, xml
    assert conn.storageVolLookupByPath("/dev/" + p2).name() == p2
    assert pool_figures(pool) == (268418560, 32 << 20, 234846720, [(33571840, 268418560)])

    # the bytes of a partition: upload, download, wipe
    src = os.path.join(d.root, "payload")
    back = os.path.join(d.root, "back")
    with open(src, "wb") as f:
        f.write(os.urandom(1 << 20))
    virsh(u, "vol-upload", "--pool", "dp", p1, src)
    virsh(u, "vol-download", "--pool", "dp", p1, back)
    with open(back, "rb") as f, open(src, "rb") as g:
        got = f.read()
        assert len(got) == 16 << 20 and got[:1 << 20] == g.read()
    with open("/dev/" + p1, "rb") as f:
        assert f.read(1 << 20) != bytes(1 << 20)
    virsh(u, "vol-wipe", "--pool", "dp", p1)
    with open("/dev/" + p1, "rb") as f:
        assert f.read() == bytes(16 << 20)
    expect_error(lambda: v2.resize(32 << 20, 0), libvirt.VIR_ERR_NO_SUPPORT,
                 libvirt.VIR_FROM_STORAGE, "does not support changing of volume capacity")

    # delete: the partition and its node go, the space is free again
    v2.delete(0)
    assert partitions(dev) == [(1, 17408, 16794624)]
    assert not os.path.exists("/dev/" + p2)
    assert pool.listVolumes() == [p1]
    assert pool_figures(pool) == (268418560, 16 << 20, 251623936, [(16794624, 268418560)])

    # a restarted daemon finds the pool running, with its volume
    conn.close()
    d.stop()
    d.start()
    conn = libvirt.open(u)
    pool = conn.storagePoolLookupByName("dp")
    assert pool.isActive() and pool.listVolumes() == [p1]
    conn.storageVolLookupByPath("/dev/" + p1)

    # dos: another label needs --overwrite
    pool.destroy()
    pool.undefine()
    pool = conn.storagePoolDefineXML(disk_pool_xml("dp", dev, "dos"), 0)
    expect_error(lambda: pool.build(0), libvirt.VIR_ERR_STORAGE_POOL_BUILT,
                 libvirt.VIR_FROM_STORAGE,
                 "Format of device '%s' does not match the expected format 'dos', "
                 "forced overwrite is necessary" % dev)
    expect_error(pool.create, libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_STORAGE,
                 "Format of device '%s' does not match the expected format 'dos'" % dev)
    assert label(dev) == "gpt"
    virsh(u, "pool-build", "dp", "--overwrite")
    assert label(dev) == "msdos" and partitions(dev) == []
    pool.create(0)
    # libvirt's: whole cylinders of the BIOS geometry (255 heads, 2 sectors)
    assert pool_figures(pool) == (268431360, 0, 268430336, [(1024, 268431360)])
    pool.createXML(vol_xml(p1, 16), 0)
    assert partitions(dev) == [(1, 1024, 16972800)]
    ext = pool.createXML(vol_xml(p2, 40, "extended"), 0)
    assert ext.XMLDesc(0).count("<format type='extended'/>") == 1
    expect_error(lambda: pool.createXML(vol_xml(base + "p3", 4, "extended"), 0),
                 libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_STORAGE,
                 "extended partition already exists")
    pool.createXML(vol_xml(base + "p3", 4), 0)
    pool.createXML(vol_xml(base + "p4", 4), 0)
    # four primary/extended: the next one is logical, numbered 5
    expect_error(lambda: pool.createXML(vol_xml(base + "p6", 4), 0),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_STORAGE,
                 "expected '%sp5'" % base)
    log = pool.createXML(vol_xml(base + "p5", 4), 0)
    parts = dict((n, (s, e)) for n, s, e in partitions(dev))
    assert sorted(parts) == [1, 2, 3, 4, 5], parts
    assert parts[2][0] < parts[5][0] and parts[5][1] <= parts[2][1], parts
    assert ext.info()[2] == log.info()[2], (ext.info(), log.info())
    log.delete(0)
    assert sorted(n for n, s, e in partitions(dev)) == [1, 2, 3, 4]

    expect_error(lambda: conn.findStoragePoolSources("disk", None, 0),
                 libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_FROM_STORAGE,
                 "pool type 'disk' does not support source discovery")

    # pool-delete: the table is gone
    pool.destroy()
    virsh(u, "pool-delete", "dp")
    assert label(dev) is None
    pool.undefine()
    conn.close()
    assert d.stop() == 0


def test_logical():
    d = Daemon().start()
    u = d.uri()
    conn = libvirt.open(u)
    if os.path.exists("/dev/mapper/control"):
        try:
            os.close(os.open("/dev/mapper/control", os.O_RDWR))
            raise Skip("this kernel has device-mapper")
        except OSError:
            pass
    pool = conn.storagePoolDefineXML(
        "<pool type='logical'><name>vg0</name><source><device path='/dev/vkd-none'/>"
        "</source><target><path>/dev/vg0</path></target></pool>", 0)
    xml = pool.XMLDesc(0)
    assert "<name>vg0</name>" in xml and "<format type='lvm2'/>" in xml, xml
    assert "vg0" in conn.listDefinedStoragePools()
    for call in (pool.create, lambda: pool.build(0), lambda: pool.delete(0),
                 lambda: conn.findStoragePoolSources("logical", None, 0)):
        expect_error(call, libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_STORAGE,
                     "logical (LVM) pools need the kernel's device-mapper")
    assert not pool.isActive()
    p = virsh(u, "pool-start", "vg0", check=False)
    assert p.returncode != 0 and "device-mapper" in p.stderr, p.stderr
    pool.undefine()
    assert conn.numOfDefinedStoragePools() == 0
    conn.close()
    assert d.stop() == 0


if __name__ == "__main__":
    try:
        run_tests([
            ("disk pool on a loop device: gpt and dos tables, partitions as volumes, "
             "bytes, delete, restart, pool-delete", test_disk_pool),
            ("logical pool: defined, every host operation refused naming the missing "
             "device-mapper", test_logical),
        ])
    finally:
        cleanup()
