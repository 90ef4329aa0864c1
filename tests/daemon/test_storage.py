#!/usr/bin/env python3
"""Storage pools and volumes through virtkitd: Debian's virsh and python3-libvirt,
effects checked on disk (files, modes, qemu-img info), bad input refused with
libvirt's errors and nothing changed, definitions kept across a restart."""
import json
import os
import stat
import subprocess
import threading
import time

import libvirt

from vkdtest import expect_error
from vkdtest import Daemon, kill_pid, run_tests, virsh, wait_for

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def qemu_img_info(path):
    p = subprocess.run(["qemu-img", "info", "--output=json", "-U", path],
                       capture_output=True, text=True, timeout=60, check=True)
    return json.loads(p.stdout)


def listing(path):
    return sorted(os.listdir(path))


def test_default_pool():
    d = Daemon().start()
    images = os.path.join(d.dirs["state"], "images")
    out = virsh(d.uri(), "pool-list", "--all", "--details").stdout
    assert out.split()[:4] == ["default", "running", "yes", "yes"], out
    assert os.path.isdir(images)
    assert stat.S_IMODE(os.stat(images).st_mode) == 0o711
    xml = virsh(d.uri(), "pool-dumpxml", "default").stdout
    assert "<path>%s</path>" % images in xml, xml
    # undefined by the user, it does not come back at the next start
    virsh(d.uri(), "pool-destroy", "default")
    virsh(d.uri(), "pool-undefine", "default")
    d.stop()
    d2 = Daemon(root=d.root).start()
    out = virsh(d2.uri(), "pool-list", "--all").stdout
    assert "default" not in out, out


def test_virsh_lifecycle():
    d = Daemon().start()
    u = d.uri()
    target = os.path.join(d.root, "pool1")
    virsh(u, "pool-define-as", "p1", "dir", "--target", target)
    assert os.path.exists(os.path.join(d.dirs["config"], "storage", "p1.xml"))
    virsh(u, "pool-build", "p1")
    assert os.path.isdir(target)
    virsh(u, "pool-start", "p1")
    virsh(u, "vol-create-as", "p1", "raw1", "10M")
    virsh(u, "vol-create-as", "p1", "sparse1", "1G", "--allocation", "0")
    virsh(u, "vol-create-as", "p1", "q1", "64M", "--format", "qcow2")
    st = os.stat(os.path.join(target, "raw1"))
    assert st.st_size == 10 << 20 and st.st_blocks * 512 >= 10 << 20, st
    assert stat.S_IMODE(st.st_mode) == 0o600
    st = os.stat(os.path.join(target, "sparse1"))
    assert st.st_size == 1 << 30 and st.st_blocks == 0, st
    info = qemu_img_info(os.path.join(target, "q1"))
    assert info["format"] == "qcow2" and info["virtual-size"] == 64 << 20, info

    out = virsh(u, "vol-list", "p1", "--details").stdout
    rows = [line.split() for line in out.strip().splitlines()]
    assert [r[0] for r in rows] == ["q1", "raw1", "sparse1"], out
    assert rows[1][3:5] == ["10.00", "MiB"], out
    out = virsh(u, "vol-info", "q1", "--pool", "p1", "--bytes").stdout
    assert "Capacity:       67108864 bytes" in out, out

    virsh(u, "vol-resize", "q1", "128M", "--pool", "p1")
    assert qemu_img_info(os.path.join(target, "q1"))["virtual-size"] == 128 << 20
    p = virsh(u, "vol-resize", "q1", "1M", "--pool", "p1", check=False)
    assert p.returncode == 1 and "shrink" in p.stderr, p.stderr
    virsh(u, "vol-clone", "raw1", "raw1-copy", "--pool", "p1")
    assert os.path.getsize(os.path.join(target, "raw1-copy")) == 10 << 20

    virsh(u, "vol-delete", "raw1-copy", "--pool", "p1")
    assert not os.path.exists(os.path.join(target, "raw1-copy"))
    path = virsh(u, "vol-path", "q1", "--pool", "p1").stdout.strip()
    assert path == os.path.join(target, "q1"), path
    assert virsh(u, "vol-pool", path).stdout.strip() == "p1"

    # a file dropped into the folder appears at refresh
    with open(os.path.join(target, "dropped.img"), "wb") as f:
        f.truncate(4096)
    virsh(u, "pool-refresh", "p1")
    assert "dropped.img" in virsh(u, "vol-list", "p1").stdout

    virsh(u, "pool-destroy", "p1")
    p = virsh(u, "vol-list", "p1", check=False)
    assert p.returncode == 1 and "is not active" in p.stderr, p.stderr
    virsh(u, "pool-undefine", "p1")
    assert not os.path.exists(os.path.join(d.dirs["config"], "storage", "p1.xml"))
    # the data stays (libvirt's undefine never deletes volumes)
    assert "q1" in listing(target)


def test_python_api():
    d = Daemon().start()
    c = libvirt.open(d.uri())
    target = os.path.join(d.root, "pypool")
    pool = c.storagePoolDefineXML(
        "<pool type='dir'><name>py</name><target><path>%s</path></target></pool>" % target, 0)
    pool.build(0)
    pool.create(0)
    assert pool.isActive() == 1 and pool.isPersistent() == 1
    state, cap, alloc, avail = pool.info()
    assert state == libvirt.VIR_STORAGE_POOL_RUNNING and cap > 0 and cap == alloc + avail

    vol = pool.createXML("<volume><name>base.raw</name><capacity unit='MiB'>8</capacity>"
                         "<allocation>0</allocation></volume>", 0)
    assert vol.path() == os.path.join(target, "base.raw") and vol.key() == vol.path()
    with open(vol.path(), "r+b") as f:
        f.seek(1 << 20)
        f.write(b"VIRTKIT-STORAGE-PATTERN")
    # clone with conversion to qcow2: the data survives
    q = pool.createXMLFrom("<volume><name>copy.qcow2</name><capacity>0</capacity>"
                           "<target><format type='qcow2'/></target></volume>", vol, 0)
    assert qemu_img_info(q.path())["format"] == "qcow2"
    back = os.path.join(d.root, "back.raw")
    subprocess.run(["qemu-img", "convert", "-f", "qcow2", "-O", "raw", q.path(), back],
                   check=True, timeout=60)
    with open(back, "rb") as f:
        f.seek(1 << 20)
        assert f.read(23) == b"VIRTKIT-STORAGE-PATTERN"
    t, cap, alloc = q.info()
    assert t == libvirt.VIR_STORAGE_VOL_FILE and cap == 8 << 20, (t, cap, alloc)
    assert "<format type='qcow2'/>" in q.XMLDesc(0)

    # lookups
    assert c.storageVolLookupByPath(q.path()).name() == "copy.qcow2"
    assert c.storageVolLookupByKey(vol.key()).name() == "base.raw"
    assert pool.storageVolLookupByName("base.raw").key() == vol.key()
    assert c.storageVolLookupByPath(q.path()).storagePoolLookupByVolume().name() == "py"
    assert sorted(pool.listVolumes()) == ["base.raw", "copy.qcow2"]
    assert sorted(v.name() for v in pool.listAllVolumes(0)) == ["base.raw", "copy.qcow2"]
    expect_error(lambda: c.storageVolLookupByPath("/nonexistent/x"),
                 libvirt.VIR_ERR_NO_STORAGE_VOL, libvirt.VIR_FROM_STORAGE)

    # wipe: the pattern is gone, the size stays
    vol.wipe(0)
    with open(vol.path(), "rb") as f:
        f.seek(1 << 20)
        assert f.read(23) == bytes(23)
    assert os.path.getsize(vol.path()) == 8 << 20
    # resize by delta, shrink needs the flag
    vol.resize(4 << 20, libvirt.VIR_STORAGE_VOL_RESIZE_DELTA)
    assert os.path.getsize(vol.path()) == 12 << 20
    expect_error(lambda: vol.resize(1 << 20, 0), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_STORAGE, "shrink")
    vol.resize(2 << 20, libvirt.VIR_STORAGE_VOL_RESIZE_SHRINK)
    assert os.path.getsize(vol.path()) == 2 << 20

    q.delete(0)
    vol.delete(0)
    assert listing(target) == []
    pool.destroy()
    pool.delete(0)
    assert not os.path.exists(target)
    pool.undefine()


def test_bad_input():
    d = Daemon().start()
    c = libvirt.open(d.uri())
    pool = c.storagePoolLookupByName("default")
    images = os.path.join(d.dirs["state"], "images")
    pool.createXML("<volume><name>keep</name><capacity>4096</capacity></volume>", 0)
    before = listing(images)
    outside = listing(d.dirs["state"])
    S, X = libvirt.VIR_FROM_STORAGE, libvirt.VIR_FROM_XML
    cases = [
        ("<volume><name>../escape</name><capacity>1</capacity></volume>",
         libvirt.VIR_ERR_OPERATION_INVALID, S, "cannot contain '/'"),
        ("<volume><name>a/b</name><capacity>1</capacity></volume>",
         libvirt.VIR_ERR_OPERATION_INVALID, S, "cannot contain '/'"),
        ("<volume><name>..</name><capacity>1</capacity></volume>",
         libvirt.VIR_ERR_OPERATION_INVALID, S, "already exists"),
        ("<volume><name>keep</name><capacity>1</capacity></volume>",
         libvirt.VIR_ERR_STORAGE_VOL_EXIST, S, None),
        ("<volume><name>big</name><capacity>9223372036854775808</capacity></volume>",
         libvirt.VIR_ERR_OVERFLOW, libvirt.VIR_FROM_NONE, "value too large"),
        ("<volume><name>big</name><capacity unit='EiB'>100</capacity></volume>",
         libvirt.VIR_ERR_OVERFLOW, libvirt.VIR_FROM_NONE, "value too large"),
        ("<volume><name>f</name><capacity>1</capacity><target><format type='bogus'/>"
         "</target></volume>", libvirt.VIR_ERR_CONFIG_UNSUPPORTED, S, "bogus"),
        ("<volume type='weird'><name>t</name><capacity>1</capacity></volume>",
         libvirt.VIR_ERR_CONFIG_UNSUPPORTED, S, "weird"),
        ("<volume><name>nocap</name></volume>", libvirt.VIR_ERR_XML_ERROR, S, "capacity"),
        ("<volume><name>x</name><capacity>1</capacity>", libvirt.VIR_ERR_XML_DETAIL, S, None),
    ]
    for xml, code, dom, frag in cases:
        expect_error(lambda: pool.createXML(xml, 0), code, dom, frag)
    expect_error(lambda: c.storagePoolDefineXML(
        "<pool type='dir'><name>a/b</name><target><path>/tmp/x</path></target></pool>", 0),
        libvirt.VIR_ERR_XML_ERROR, S, "cannot contain '/'")
    expect_error(lambda: c.storagePoolDefineXML(
        "<pool type='bogus'><name>b</name><target><path>/tmp/x</path></target></pool>", 0),
        libvirt.VIR_ERR_XML_ERROR, X, "bogus")
    # a type without a backend (logical and disk have theirs: daemon-storagedisk)
    expect_error(lambda: c.storagePoolDefineXML(
        "<pool type='iscsi'><name>sc</name><source><host name='localhost'/>"
        "<device path='iqn.2013-06.com.example:iscsi-pool'/></source>"
        "<target><path>/dev/disk/by-path</path></target></pool>", 0),
        libvirt.VIR_ERR_INTERNAL_ERROR, S, "missing backend for pool type 5 (iscsi)")
    expect_error(lambda: c.storagePoolDefineXML(
        "<pool type='dir'><name>dup</name><target><path>%s</path></target></pool>" % images,
        0), libvirt.VIR_ERR_OPERATION_FAILED, S, "Storage source conflict")
    expect_error(lambda: c.storagePoolCreateXML(
        "<pool type='dir'><name>rel</name><target><path>rel/x</path></target></pool>",
        libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD),
        libvirt.VIR_ERR_OPERATION_INVALID, S, "not absolute")
    assert "rel" not in [p.name() for p in c.listAllStoragePools(0)]
    assert listing(images) == before, listing(images)
    assert listing(d.dirs["state"]) == outside
    assert sorted(os.listdir(os.path.join(d.dirs["config"], "storage"))) == \
        [".default-pool-created", "autostart", "default.xml"]
    # read-only connections change nothing
    ro = libvirt.openReadOnly(d.uri())
    rpool = ro.storagePoolLookupByName("default")
    expect_error(lambda: rpool.createXML("<volume><name>r</name><capacity>1</capacity>"
                                         "</volume>", 0),
                 libvirt.VIR_ERR_OPERATION_DENIED, S)
    assert rpool.info()[0] == libvirt.VIR_STORAGE_POOL_RUNNING


def test_restart_keeps_pools():
    d = Daemon().start()
    c = libvirt.open(d.uri())
    target = os.path.join(d.root, "keep")
    pool = c.storagePoolDefineXML(
        "<pool type='dir'><name>keep</name><target><path>%s</path></target></pool>" % target,
        0)
    pool.create(libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD)
    pool.createXML("<volume><name>disk.raw</name><capacity>1048576</capacity></volume>", 0)
    # the guest writes a qcow2 header into its raw disk
    q = os.path.join(d.root, "hdr.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", "/etc/shadow", "-F", "raw",
                    q, "1G"], check=True, timeout=60)
    with open(q, "rb") as f:
        hdr = f.read(512)
    with open(os.path.join(target, "disk.raw"), "r+b") as f:
        f.write(hdr)
    c.close()
    d.kill()
    d2 = Daemon(root=d.root).start()
    c = libvirt.open(d2.uri())
    pool = c.storagePoolLookupByName("keep")
    assert pool.isActive() == 1, "a running pool is running again after a restart"
    vol = pool.storageVolLookupByName("disk.raw")
    xml = vol.XMLDesc(0)
    assert "<format type='raw'/>" in xml and "backingStore" not in xml, xml
    assert vol.info()[1] == 1048576
    # the default pool was autostarted once per boot only: a stop sticks
    c.storagePoolLookupByName("default").destroy()
    c.close()
    d2.stop()
    d3 = Daemon(root=d.root).start()
    c = libvirt.open(d3.uri())
    assert c.storagePoolLookupByName("default").isActive() == 0


def data_extents(path):
    """[(offset, length)] of @path's data (SEEK_DATA/SEEK_HOLE)."""
    out = []
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        pos = 0
        while pos < size:
            try:
                start = os.lseek(fd, pos, os.SEEK_DATA)
            except OSError:
                break
            end = os.lseek(fd, start, os.SEEK_HOLE)
            out.append((start, end - start))
            pos = end
    finally:
        os.close(fd)
    return out


def same_sparse(a, b):
    """@a and @b hold the same bytes: same size, and every data extent of
    either reads the same in both (a hole reads as zeros). Reads only the
    data, where cmp reads the whole 1 GiB (20 s on a loaded machine)."""
    if os.stat(a).st_size != os.stat(b).st_size:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        for off, length in data_extents(a) + data_extents(b):
            fa.seek(off)
            fb.seek(off)
            while length > 0:
                n = min(length, 1 << 20)
                if fa.read(n) != fb.read(n):
                    return False
                length -= n
    return True


def test_upload_download():
    """virsh vol-upload/vol-download: bytes round trip; --sparse keeps a 1 GiB
    image with 2 MiB of data sparse at both ends (issue 11's done-when); --offset/--length."""
    d = Daemon().start()
    u = d.uri()
    images = os.path.join(d.dirs["state"], "images")
    src = os.path.join(d.root, "src.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(3 << 20))
    virsh(u, "vol-create-as", "default", "full", "3M", "--allocation", "0")
    virsh(u, "vol-upload", "full", src, "--pool", "default")
    back = os.path.join(d.root, "back.bin")
    virsh(u, "vol-download", "full", back, "--pool", "default")
    with open(src, "rb") as a, open(back, "rb") as b:
        data = a.read()
        assert b.read() == data
    part = os.path.join(d.root, "part.bin")
    virsh(u, "vol-download", "full", part, "--pool", "default", "--offset", "1048576",
          "--length", "4096")
    with open(part, "rb") as f:
        assert f.read() == data[1048576:1048576 + 4096]

    sparse = os.path.join(d.root, "sparse.img")
    with open(sparse, "wb") as f:
        f.truncate(1 << 30)
        f.seek(512 << 20)
        f.write(os.urandom(2 << 20))
    virsh(u, "vol-create-as", "default", "sp", "1G", "--allocation", "0")
    virsh(u, "vol-upload", "--sparse", "sp", sparse, "--pool", "default")
    vol = os.path.join(images, "sp")
    st = os.stat(vol)
    assert st.st_size == 1 << 30 and st.st_blocks * 512 <= 4 << 20, st
    sback = os.path.join(d.root, "sback.img")
    virsh(u, "vol-download", "--sparse", "sp", sback, "--pool", "default")
    st = os.stat(sback)
    assert st.st_size == 1 << 30 and st.st_blocks * 512 <= 4 << 20, st
    assert same_sparse(sparse, sback)
    # the same with vksh (libvirtkit's own client and sparse stream helpers)
    vksh = os.environ.get("VKSH")
    if vksh:
        vback = os.path.join(d.root, "vback.img")
        for args in (["vol-upload", "--sparse", "sp", sparse, "--pool", "default"],
                     ["vol-download", "--sparse", "sp", vback, "--pool", "default"]):
            p = subprocess.run([vksh, "-c", u] + args, capture_output=True, text=True,
                               timeout=300)
            assert p.returncode == 0, p.stderr
        st = os.stat(vback)
        assert st.st_size == 1 << 30 and st.st_blocks * 512 <= 4 << 20, st
        assert same_sparse(sparse, vback)
    # the volume's figures follow the upload; its recorded format stays raw
    out = virsh(u, "vol-info", "sp", "--pool", "default", "--bytes").stdout
    assert "Allocation:     " in out and "1073741824 bytes" in out, out
    # a directory is no volume to stream
    os.mkdir(os.path.join(images, "adir"))
    virsh(u, "pool-refresh", "default")
    p = virsh(u, "vol-download", "adir", back, "--pool", "default", check=False)
    assert p.returncode == 1 and "directory" in p.stderr, p.stderr


MARK = "user.virtkit.upload"


def upload_mark(path):
    try:
        return os.getxattr(path, MARK).decode()
    except OSError:
        return None


def disk_domain_xml(name, path):
    return ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
            "<emulator>/usr/bin/qemu-system-x86_64</emulator>"
            "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
            "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
            "</devices></domain>" % (name, path))


def test_interrupted_upload():
    """An upload cut before its finish (stream aborted, client killed, daemon
    killed) leaves the volume marked (xattr user.virtkit.upload) and a guest
    refuses to start from it, naming the disk; a complete upload (once its
    background sync ends) or a wipe clears the mark and the guest starts; a
    guest start syncs a finished upload whose sync was not seen to end."""
    d = Daemon().start()
    os.chmod(d.root, 0o711)  # the guests' QEMU user reaches the default pool
    u = d.uri()
    c = libvirt.open(u)
    pool = c.storagePoolLookupByName("default")
    vol = pool.createXML("<volume><name>cut</name><capacity>8388608</capacity>"
                         "<allocation>0</allocation></volume>", 0)
    path = vol.path()
    assert upload_mark(path) is None
    dom = c.defineXML(disk_domain_xml("upl", path))

    def refused(state):
        e = expect_error(dom.create, libvirt.VIR_ERR_OPERATION_INVALID,
                         libvirt.VIR_FROM_QEMU, "holds an unfinished volume upload")
        msg = e.get_error_message()
        assert "'vda'" in msg and path in msg and state in msg, msg
        assert dom.isActive() == 0

    # 1. the client aborts its stream
    st = c.newStream(0)
    vol.upload(st, 0, 0, 0)
    assert upload_mark(path) == "in-progress"
    st.send(os.urandom(1 << 20))
    st.abort()
    deadline = time.monotonic() + 30
    while upload_mark(path) != "interrupted":
        assert time.monotonic() < deadline, upload_mark(path)
        time.sleep(0.02)
    refused("interrupted")
    # 2. a complete upload clears it: the guest starts (it sits in firmware)
    src = os.path.join(d.root, "img.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(8 << 20))
    virsh(u, "vol-upload", "cut", src, "--pool", "default")
    # answered with the bytes in the page cache, marked "syncing" until the
    # daemon's background sync put them on the disk
    with open("/proc/sys/kernel/random/boot_id") as f:
        boot = f.read().strip()
    mark = upload_mark(path)
    assert mark is None or mark.startswith("syncing %s " % boot), mark
    deadline = time.monotonic() + 30
    while upload_mark(path) is not None:
        assert time.monotonic() < deadline, upload_mark(path)
        time.sleep(0.02)
    with open(src, "rb") as a, open(path, "rb") as b:
        assert a.read() == b.read()
    dom.create()
    dom.destroy()
    # 3. the client is killed mid-upload (the daemon sees its connection go)
    code = ("import libvirt, os, signal\n"
            "c = libvirt.open(%r)\n"
            "v = c.storagePoolLookupByName('default').storageVolLookupByName('cut')\n"
            "st = c.newStream(0)\n"
            "v.upload(st, 0, 0, 0)\n"
            "st.send(os.urandom(2 << 20))\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n" % u)
    p = subprocess.run(["/usr/bin/python3", "-c", code], timeout=120)
    assert p.returncode == -9, p.returncode
    deadline = time.monotonic() + 30
    while upload_mark(path) != "interrupted":
        assert time.monotonic() < deadline, upload_mark(path)
        time.sleep(0.02)
    refused("interrupted")
    # 4. a wipe clears it
    vol.wipe(0)
    assert upload_mark(path) is None
    dom.create()
    dom.destroy()
    # 5. the daemon is killed mid-upload: the mark stays across the restart
    st = c.newStream(0)
    vol.upload(st, 0, 0, 0)
    st.send(os.urandom(1 << 20))
    c.close()
    d.kill()
    assert upload_mark(path) == "in-progress"
    d2 = Daemon(root=d.root).start()
    c = libvirt.open(d2.uri())
    dom = c.lookupByName("upl")
    refused("cut when its daemon stopped")
    # 6. a finished upload whose sync was not seen to end (its daemon
    # stopped first): of this boot, the start syncs it and clears the mark;
    # of another boot (the host went down before the sync), interrupted
    os.setxattr(path, MARK, ("syncing %s 7" % boot).encode())
    dom.create()
    assert upload_mark(path) is None
    dom.destroy()
    os.setxattr(path, MARK, b"syncing 00000000-0000-4000-8000-000000000000 7")
    refused("interrupted")
    c.close()


def daemon_children(pid):
    kids = []
    for t in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                kids += [int(k) for k in f.read().split()]
        except OSError:
            pass  # the thread ended meanwhile
    return kids


def proc_comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def test_killed_during_create():
    """virtkitd SIGKILLed while its qemu-img writes a clone (qemu-img killed
    with it, as stopping the service kills its group): after a restart the
    pool runs again from a whole definition, no temporary file is left in
    the configuration, and after a refresh every file in the pool's folder
    is one of its volumes (the cut clone included: it can be deleted);
    the source volume's bytes are intact."""
    d = Daemon().start()
    c = libvirt.open(d.uri())
    target = os.path.join(d.root, "kp")
    pool = c.storagePoolDefineXML(
        "<pool type='dir'><name>kp</name><target><path>%s</path></target></pool>" % target, 0)
    pool.create(libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD)
    src = os.path.join(target, "src.raw")
    chunk = bytes(range(1, 256)) * 4112  # 1 MiB and a bit, never a zero block
    with open(src, "wb") as f:
        for _ in range(192):
            f.write(chunk)
    with open(src, "rb") as f:
        src_bytes = f.read()
    pool.refresh(0)
    srcvol = pool.storageVolLookupByName("src.raw")
    result = {}

    def clone():
        try:
            result["vol"] = pool.createXMLFrom(
                "<volume><name>dst.qcow2</name><capacity>%d</capacity>"
                "<target><format type='qcow2'/></target></volume>" % len(src_bytes),
                srcvol, 0)
        except libvirt.libvirtError as e:
            result["err"] = e.get_error_code()

    th = threading.Thread(target=clone)
    th.start()
    pid = d.proc.pid
    imgs = wait_for(lambda: [k for k in daemon_children(pid) if proc_comm(k) == "qemu-img"],
                    "qemu-img writing the clone", timeout=60, step=0.002)
    d.kill()
    for k in imgs:
        kill_pid(k)
    th.join(120)
    assert not th.is_alive()
    assert "err" in result, "the clone was answered before the daemon died: %r" % result
    d2 = Daemon(root=d.root).start()
    c = libvirt.open(d2.uri())
    pool = c.storagePoolLookupByName("kp")
    assert pool.isActive() == 1
    assert "<path>%s</path>" % target in pool.XMLDesc(0)
    conf = os.path.join(d.dirs["config"], "storage")
    # virFileWriteAtomic's temporary files are .NAME.xml.XXXXXX
    left = [n for n in os.listdir(conf) if n.startswith(".") and ".xml." in n]
    assert left == [], left
    assert "kp.xml" in os.listdir(conf)
    pool.refresh(0)
    assert sorted(pool.listVolumes()) == sorted(os.listdir(target)), (
        pool.listVolumes(), os.listdir(target))
    with open(src, "rb") as f:
        assert f.read() == src_bytes
    if "dst.qcow2" in pool.listVolumes():
        pool.storageVolLookupByName("dst.qcow2").delete(0)
    assert sorted(os.listdir(target)) == ["src.raw"]
    c.close()


def test_undefine_remove_storage():
    """virsh undefine --remove-all-storage finds the domain's disk as a volume
    of the default pool (virStorageVolLookupByPath) and deletes it."""
    d = Daemon().start()
    u = d.uri()
    image = os.path.join(d.dirs["state"], "images", "rmst.qcow2")
    virsh(u, "vol-create-as", "default", "rmst.qcow2", "64M", "--format", "qcow2")
    xml = os.path.join(d.root, "dom.xml")
    with open(xml, "w") as f:
        f.write("<domain type='qemu'><name>rmst</name><memory>65536</memory>"
                "<os><type>hvm</type></os><devices><disk type='file' device='disk'>"
                "<driver name='qemu' type='qcow2'/><source file='%s'/>"
                "<target dev='vda' bus='virtio'/></disk></devices></domain>" % image)
    virsh(u, "define", xml)
    virsh(u, "undefine", "rmst", "--remove-all-storage")
    assert not os.path.exists(image)
    assert "rmst.qcow2" not in virsh(u, "vol-list", "default").stdout


def test_pool_events():
    """The lifecycle and refresh events of libvirt 9.0, in its order (the same
    sequence its test driver gives for these calls)."""
    d = Daemon().start()
    libvirt.virEventRegisterDefaultImpl()
    c = libvirt.open(d.uri())
    seen = []
    c.storagePoolEventRegisterAny(
        None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
        lambda conn, pool, event, detail, opaque: seen.append((pool.name(), event)), None)
    c.storagePoolEventRegisterAny(
        None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
        lambda conn, pool, opaque: seen.append((pool.name(), "refresh")), None)
    target = os.path.join(d.root, "evp")
    p = c.storagePoolDefineXML(
        "<pool type='dir'><name>evp</name><target><path>%s</path></target></pool>" % target, 0)
    p.build(0)
    p.create(0)
    p.refresh(0)
    p.destroy()
    p.delete(0)
    p.undefine()
    t = c.storagePoolCreateXML(
        "<pool type='dir'><name>evt</name><target><path>%s</path></target></pool>" % target,
        libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD)
    t.destroy()
    E = libvirt
    want = [("evp", E.VIR_STORAGE_POOL_EVENT_DEFINED), ("evp", E.VIR_STORAGE_POOL_EVENT_CREATED),
            ("evp", E.VIR_STORAGE_POOL_EVENT_STARTED), ("evp", "refresh"),
            ("evp", E.VIR_STORAGE_POOL_EVENT_STOPPED), ("evp", E.VIR_STORAGE_POOL_EVENT_DELETED),
            ("evp", E.VIR_STORAGE_POOL_EVENT_UNDEFINED), ("evt", E.VIR_STORAGE_POOL_EVENT_STARTED),
            ("evt", E.VIR_STORAGE_POOL_EVENT_STOPPED)]
    deadline = time.monotonic() + 60
    while len(seen) < len(want) and time.monotonic() < deadline:
        libvirt.virEventRunDefaultImpl()
    assert seen == want, seen


if __name__ == "__main__":
    run_tests([
        ("default pool at <state>/images, autostarted, gone for good once undefined",
         test_default_pool),
        ("virsh pool-define-as/build/start, vol-create-as raw/sparse/qcow2, resize, clone, "
         "delete, refresh, destroy, undefine: checked on disk", test_virsh_lifecycle),
        ("python3-libvirt: define/build/create, createXMLFrom raw->qcow2 keeps data, lookups, "
         "wipe, resize, delete", test_python_api),
        ("bad input: libvirt's errors, nothing changed on disk, read-only refused",
         test_bad_input),
        ("SIGKILL + restart: pools come back running, a raw volume with a qcow2 header "
         "stays raw, autostart once per boot", test_restart_keeps_pools),
        ("pool lifecycle and refresh events through the storage event program",
         test_pool_events),
        ("vol-upload/vol-download: bytes, offset/length, a sparse 1 GiB image stays sparse",
         test_upload_download),
        ("virsh undefine --remove-all-storage deletes the domain's volume",
         test_undefine_remove_storage),
        ("an upload cut (stream aborted, client or daemon killed) marks the volume; a guest "
         "refuses to start from it until a complete upload or a wipe", test_interrupted_upload),
        ("virtkitd and its qemu-img killed during a clone: the pool comes back whole, every "
         "file is a volume after a refresh, the source intact", test_killed_during_create),
    ])
