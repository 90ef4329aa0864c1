#!/usr/bin/env python3
"""The fs storage backend for real: a filesystem virtkitd mounts (issue 11).

The test makes a 64 MiB sparse file, attaches it to a loop device
(losetup --find --show, device recorded), and drives an fs pool on it with
Debian's virsh and python3-libvirt against virtkitd:
- pool-build --no-overwrite runs mkfs.ext4 on the empty device (blkid then
  says ext4); a second one is refused (STORAGE_POOL_BUILT) and changes
  nothing; --overwrite makes a new filesystem;
- pool-start mounts the device on the target (mountinfo), pool-info shows
  the filesystem's own figures (statvfs), volumes made, uploaded and
  downloaded live on that filesystem (st_dev);
- pool-destroy unmounts (the volumes are gone from the folder, the pool
  forgets them), pool-start mounts again and refresh finds them back;
- a daemon restart keeps a mounted pool running; a pool unmounted behind
  the daemon's back is stopped at the next start;
- pool-delete of an fs pool removes its folder; an fs pool without a
  source device is refused with libvirt's error;
- iscsi pools: no backend here, libvirt's error, nothing defined
  (logical pools: test_storagedisk.py).
Every mount, loop device and file made is removed at the end (by the
device and path recorded), whatever happened.
"""
import os

import libvirt

from vkdtest import Daemon, LoopDevices, Skip, expect_error, run_argv, run_tests, virsh

libvirt.registerErrorHandler(lambda ctx, err: None, None)

TOOLS = ("/usr/sbin/losetup", "/usr/sbin/mkfs.ext4", "/usr/sbin/blkid", "/usr/bin/mount",
         "/usr/bin/umount")
loops = LoopDevices()  # the loop devices this test attached
mounts = []  # mount points the daemon may have left mounted


def need_root_tools():
    if os.geteuid() != 0:
        raise Skip("needs root (loop devices, mount)")
    for t in TOOLS:
        if not os.access(t, os.X_OK):
            raise Skip("needs " + t)
    if not os.path.exists("/dev/loop-control"):
        raise Skip("no /dev/loop-control")


run = run_argv


def attach_loop(backing, mib=64):
    return loops.attach(backing, mib)


def mounted_at(target):
    """The source of the mount on @target, or None (this namespace's view,
    which the daemon shares)."""
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            if fields[4] == target:
                return fields[fields.index("-") + 2]
    return None


def cleanup():
    for m in mounts:
        while mounted_at(m):
            run("umount", m, check=False)
            if mounted_at(m):
                run("umount", "-l", m, check=False)
    mounts.clear()
    loops.detach_all()


def fs_pool_xml(name, dev, target):
    return ("<pool type='fs'><name>%s</name><source><device path='%s'/>"
            "<format type='ext4'/></source><target><path>%s</path></target></pool>"
            % (name, dev, target))


def test_fs_pool():
    need_root_tools()
    d = Daemon().start()
    try:
        fs_pool_case(d)
    finally:
        cleanup()


def fs_pool_case(d):
    u = d.uri()
    dev = attach_loop(os.path.join(d.root, "fs.img"))
    target = os.path.join(d.root, "fsmnt")
    mounts.append(target)
    conn = libvirt.open(u)
    pool = conn.storagePoolDefineXML(fs_pool_xml("fsp", dev, target), 0)
    assert not pool.isActive()

    # build: the folder; with --no-overwrite on an empty device, mkfs
    assert run("blkid", "-p", dev, check=False).returncode != 0, "device not empty"
    virsh(u, "pool-build", "fsp", "--no-overwrite")
    assert os.path.isdir(target)
    probe = run("blkid", "-p", "-o", "export", dev).stdout
    assert "TYPE=ext4" in probe, probe
    uuid_before = [l for l in probe.splitlines() if l.startswith("UUID=")]
    # a second one refuses: the device holds a filesystem
    expect_error(lambda: pool.build(libvirt.VIR_STORAGE_POOL_BUILD_NO_OVERWRITE),
                 libvirt.VIR_ERR_STORAGE_POOL_BUILT, libvirt.VIR_FROM_STORAGE,
                 "already formatted")
    # a pool expecting another filesystem: libvirt's other refusal
    # (the same pool redefined: another pool on the device is refused as
    # a source conflict)
    ext4 = pool.XMLDesc(0)
    conn.storagePoolDefineXML(ext4.replace("<format type='ext4'/>", "<format type='ext3'/>"),
                              0)
    expect_error(lambda: pool.build(libvirt.VIR_STORAGE_POOL_BUILD_NO_OVERWRITE),
                 libvirt.VIR_ERR_STORAGE_POOL_BUILT, libvirt.VIR_FROM_STORAGE,
                 "does not match the expected format 'ext3', forced overwrite is necessary")
    expect_error(lambda: conn.storagePoolDefineXML(fs_pool_xml("fsp3", dev, target), 0),
                 libvirt.VIR_ERR_OPERATION_FAILED, libvirt.VIR_FROM_STORAGE,
                 "Storage source conflict with pool: 'fsp'")
    conn.storagePoolDefineXML(ext4, 0)
    probe = run("blkid", "-p", "-o", "export", dev).stdout
    assert [l for l in probe.splitlines() if l.startswith("UUID=")] == uuid_before, probe
    assert mounted_at(target) is None
    # --overwrite makes a new filesystem
    virsh(u, "pool-build", "fsp", "--overwrite")
    probe = run("blkid", "-p", "-o", "export", dev).stdout
    assert "TYPE=ext4" in probe, probe
    assert [l for l in probe.splitlines() if l.startswith("UUID=")] != uuid_before, probe

    # start mounts it; the pool's figures are the filesystem's
    virsh(u, "pool-start", "fsp")
    assert mounted_at(target) == dev, mounted_at(target)
    sv = os.statvfs(target)
    state, capacity, allocation, available = pool.info()
    assert state == libvirt.VIR_STORAGE_POOL_RUNNING
    assert capacity == sv.f_frsize * sv.f_blocks, (capacity, sv)
    assert abs(available - sv.f_bfree * sv.f_frsize) <= 1 << 20, (available, sv)
    assert 40 << 20 < capacity <= 64 << 20, capacity

    # volumes on the mounted filesystem
    virsh(u, "vol-create-as", "fsp", "r1", "8M")
    virsh(u, "vol-create-as", "fsp", "q1", "32M", "--format", "qcow2")
    rdev = os.stat(os.path.join(target, "r1")).st_dev
    assert rdev == os.stat(target).st_dev != os.stat(d.root).st_dev
    data = os.path.join(d.root, "up.bin")
    with open(data, "wb") as f:
        f.write(b"FS-POOL-BYTES" * 1000)
    virsh(u, "vol-upload", "--pool", "fsp", "r1", data)
    back = os.path.join(d.root, "down.bin")
    virsh(u, "vol-download", "--pool", "fsp", "r1", back, "--length", str(13000))
    with open(back, "rb") as f:
        assert f.read() == b"FS-POOL-BYTES" * 1000
    assert sorted(pool.listVolumes()) == ["lost+found", "q1", "r1"], pool.listVolumes()
    path = pool.storageVolLookupByName("r1").path()
    assert path == os.path.join(target, "r1"), path
    assert conn.storageVolLookupByPath(path).name() == "r1"

    # destroy unmounts: the files are no longer in the folder, the pool
    # forgets its volumes
    virsh(u, "pool-destroy", "fsp")
    assert mounted_at(target) is None
    assert os.listdir(target) == [], os.listdir(target)
    expect_error(lambda: conn.storageVolLookupByPath(path), libvirt.VIR_ERR_NO_STORAGE_VOL,
                 libvirt.VIR_FROM_STORAGE)
    # and back
    virsh(u, "pool-start", "fsp")
    assert mounted_at(target) == dev
    assert sorted(pool.listVolumes()) == ["lost+found", "q1", "r1"], pool.listVolumes()
    vol = pool.storageVolLookupByName("q1")
    assert "<format type='qcow2'/>" in vol.XMLDesc(0)
    assert vol.info()[1] == 32 << 20

    # a restart keeps the mounted pool running
    conn.close()
    d.stop()
    d.start()
    conn = libvirt.open(u)
    pool = conn.storagePoolLookupByName("fsp")
    assert pool.isActive() and mounted_at(target) == dev
    assert "r1" in pool.listVolumes()
    # unmounted behind the daemon's back: stopped at the next start
    conn.close()
    d.stop()
    run("umount", target)
    d.start()
    conn = libvirt.open(u)
    pool = conn.storagePoolLookupByName("fsp")
    assert not pool.isActive()
    assert mounted_at(target) is None

    # delete removes the (unmounted) folder, the definition stays
    pool.delete(0)
    assert not os.path.exists(target)
    pool.undefine()
    expect_error(lambda: conn.storagePoolLookupByName("fsp"), libvirt.VIR_ERR_NO_STORAGE_POOL,
                 libvirt.VIR_FROM_STORAGE)
    conn.close()
    assert d.stop() == 0


def test_bad_input():
    d = Daemon().start()
    u = d.uri()
    conn = libvirt.open(u)
    before = sorted(os.listdir(os.path.join(d.dirs["config"], "storage")))
    # an fs pool needs its device
    expect_error(lambda: conn.storagePoolDefineXML(
        "<pool type='fs'><name>nodev</name><target><path>%s/x</path></target></pool>"
        % d.root, 0), libvirt.VIR_ERR_XML_ERROR, libvirt.VIR_FROM_STORAGE,
        "missing storage pool source device name")
    # a pool type without a backend: libvirt's error
    expect_error(lambda: conn.storagePoolDefineXML(
        "<pool type='iscsi'><name>sc0</name><source><host name='localhost'/>"
        "<device path='iqn.2013-06.com.example:iscsi-pool'/></source>"
        "<target><path>/dev/disk/by-path</path></target></pool>", 0),
        libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_STORAGE,
        "missing backend for pool type 5 (iscsi)")
    assert sorted(os.listdir(os.path.join(d.dirs["config"], "storage"))) == before
    assert conn.numOfDefinedStoragePools() == 0
    conn.close()
    assert d.stop() == 0


if __name__ == "__main__":
    try:
        run_tests([
            ("fs pool on a loop device: build (mkfs), start (mount), volumes, destroy "
             "(umount), restart", test_fs_pool),
            ("fs pool without a device, iscsi pool: libvirt's errors, nothing defined",
             test_bad_input),
        ])
    finally:
        cleanup()
