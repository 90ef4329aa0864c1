#!/usr/bin/env python3
"""QEMU under its own user in system mode: a private virtkitd as root runs QEMU
as virtkit-qemu with no capabilities and the seccomp filter on; a qcow2 disk
(with a backing file) is handed to that user for the run and given back after
destroy, after a daemon SIGKILL + restart, and when the guest died while the
daemon was down; an unreachable path is a clear error that changes nothing; a
configured user that does not exist stops the daemon at start."""
import glob
import json
import os
import pwd
import re
import shutil
import subprocess

from vkdtest import (Daemon, Skip, domstate, kill_pid, pid_alive, qemu_pids, run_tests,
                     test_guest_dir, virsh, wait_for, write)

QEMU_USER = "virtkit-qemu"


def qemu_ids():
    try:
        pw = pwd.getpwnam(QEMU_USER)
    except KeyError:
        raise AssertionError("user %s is missing: `make deps` creates it" % QEMU_USER)
    return pw.pw_uid, pw.pw_gid


def status_of(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


def owner(path):
    st = os.stat(path)
    return st.st_uid, st.st_gid, st.st_mode & 0o7777


def qemu_img(*args):
    subprocess.run(["qemu-img"] + list(args), check=True, capture_output=True)


def make_disks(d):
    """base.qcow2 (unreadable to others) <- disk.qcow2, both root-owned 0600,
    in the daemon's root made searchable (0711) for the QEMU user."""
    os.chmod(d.root, 0o711)
    base = os.path.join(d.root, "base.qcow2")
    disk = os.path.join(d.root, "disk.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", base, "16M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", disk)
    for p in (base, disk):
        os.chown(p, 0, 0)
        os.chmod(p, 0o600)
    return disk, base


def guest_xml(name, guest, serial, disks, cmdline="console=ttyS0 no_timer_check cryptomgr.notests quiet", initrd=None,
              top="<memory unit='MiB'>256</memory><vcpu>1</vcpu>"):
    dxml = "".join("""
    <disk type='file' device='disk'><driver name='qemu' type='%s'/>
      <source file='%s'/><target dev='vd%s' bus='virtio'/></disk>""" % (fmt, p, chr(ord('a') + i))
                   for i, (p, fmt) in enumerate(disks))
    return """<domain type='qemu'>
  <name>%s</name>
  %s
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s</initrd>
    <cmdline>%s</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>%s
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, top, guest, initrd or (guest + "/initrd.gz"), cmdline, dxml, serial)


def qemu_of(root, name):
    pids = []
    for pid in qemu_pids(root):
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
        if any(a.startswith(b"guest=%s," % name.encode()) for a in argv):
            pids.append(pid)
    assert len(pids) <= 1, pids
    return pids[0] if pids else None


def records(d):
    return glob.glob(os.path.join(d.dirs["state"], "qemu", "owners", "*"))


def boot(d, uri, name, disks, cmdline="console=ttyS0 no_timer_check cryptomgr.notests quiet", initrd=None,
         ready=True, **kw):
    """@name started as QEMU's user; with @ready, once its guest has booted
    (GUEST-READY: ~1.5 CPU s under TCG, for the cases that need the guest);
    @kw goes to guest_xml (top: the memory, vCPU, NUMA part)."""
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available")
    serial = os.path.join(d.root, name + ".serial")
    f = write(os.path.join(d.root, name + ".xml"),
              guest_xml(name, guest, serial, [(p, "qcow2") for p in disks], cmdline, initrd,
                        **kw))
    virsh(uri, "define", f)
    virsh(uri, "start", name)
    if ready:
        wait_for(lambda: os.path.exists(serial) and "GUEST-READY" in open(serial).read(),
                 "GUEST-READY on the serial console of %s" % name, 90)
    pid = qemu_of(d.root, name)
    assert pid, "no QEMU found for %s" % name
    return pid, guest


# vm1's RAM: two guest NUMA cells of 128 MiB, one vCPU each, from files
# (shared in cell 0, private in cell 1) bound to host node 0
NUMA_TOP = """<memory unit='MiB'>256</memory>
  <memoryBacking><source type='file'/><access mode='shared'/></memoryBacking>
  <vcpu>2</vcpu>
  <numatune><memory mode='strict' nodeset='0'/></numatune>
  <cpu><numa><cell id='0' cpus='0' memory='128' unit='MiB'/>
    <cell id='1' cpus='1' memory='131072' unit='KiB' memAccess='private'/></numa></cpu>"""


def check_numa_guest(uri, pid, serial):
    """vm1 runs with two NUMA cells: the guest kernel saw node 1 with vCPU 1
    and its memory; QEMU has the two file backends libvirt would give it,
    mapped from files (deleted: made and unlinked by the daemon) owned by
    the QEMU user; the live XML and python3-libvirt say the same."""
    import libvirt
    import xml.etree.ElementTree as ET

    assert "SRAT: PXM 1 -> APIC 0x01 -> Node 1" in serial, serial[:6000]
    assert re.search(r"Initmem setup node 1 \[mem 0x0*8000000-", serial), serial[:6000]
    mem = json.loads(virsh(uri, "qemu-monitor-command", "vm1",
                           '{"execute":"query-memdev"}').stdout)["return"]
    mem = {m["id"]: m for m in mem}
    assert sorted(mem) == ["ram-node0", "ram-node1"], mem
    for i, share in ((0, True), (1, False)):
        m = mem["ram-node%d" % i]
        assert m["size"] == 128 << 20 and m["share"] is share, m
        assert m["policy"] == "bind" and m["host-nodes"] == [0], m
    files = set()
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            if re.search(r"/ram-node[01] \(deleted\)$", line.strip()):
                files.add(line.split()[-2])
    assert len(files) == 2, files
    uid, gid = qemu_ids()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target in files:
            st = os.stat("/proc/%d/fd/%s" % (pid, fd))
            assert (st.st_uid, st.st_gid) == (uid, gid), (target, st)
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("vm1")
        cells = ET.fromstring(dom.XMLDesc(0)).findall("cpu/numa/cell")
        assert [(c.get("id"), c.get("cpus"), c.get("memory")) for c in cells] == \
            [("0", "0", "131072"), ("1", "1", "131072")], [c.attrib for c in cells]
        params = dom.numaParameters(libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert params == {"numa_mode": 0, "numa_nodeset": "0"}, params
    finally:
        conn.close()


def check_memory_start_rules(d, uri):
    """<locked/>: QEMU (the QEMU user, no capabilities) may lock all of its
    memory and does (where the daemon may raise its limit); hugepages without hugetlbfs and a host node this
    machine lacks: libvirt's errors at start, nothing left running."""
    guest = test_guest_dir()
    nodes = sorted(int(n[4:]) for n in os.listdir("/sys/devices/system/node")
                   if re.match(r"node\d+$", n))
    missing = next(n for n in range(len(nodes) + 1) if n not in nodes)
    # raising QEMU's locked-memory limit needs CAP_SYS_RESOURCE (the daemon
    # runs as this test's root): without it, libvirt's error at start
    cap_eff = int(status_of(os.getpid())["CapEff"], 16)
    lock_err = None if cap_eff & (1 << 24) else "cannot limit locked memory of process"
    cases = [("vmlock", "<memoryBacking><locked/></memoryBacking>", lock_err),
             ("vmnode", "<numatune><memory nodeset='%d'/></numatune>" % missing,
              "NUMA node %d is unavailable" % missing)]
    with open("/proc/mounts") as f:
        if not any(line.split()[2] == "hugetlbfs" for line in f):
            cases.append(("vmhuge", "<memoryBacking><hugepages/></memoryBacking>",
                          "hugetlbfs filesystem is not mounted or disabled by "
                          "administrator config"))
    for name, extra, err in cases:
        serial = os.path.join(d.root, name + ".serial")
        f = write(os.path.join(d.root, name + ".xml"),
                  guest_xml(name, guest, serial, [], top="<memory unit='MiB'>128</memory>"
                            "<vcpu>1</vcpu>" + extra))
        virsh(uri, "define", f)
        p = virsh(uri, "start", name, check=False)
        if err:
            assert p.returncode == 1 and err in p.stderr, (name, p.stderr)
            assert domstate(uri, name) == "shut off (failed)" or \
                domstate(uri, name).startswith("shut off"), domstate(uri, name)
        else:
            assert p.returncode == 0, (name, p.stderr)
            pid = qemu_of(d.root, name)
            st = status_of(pid)
            assert int(st["VmLck"].split()[0]) >= 128 << 10, st["VmLck"]
            with open("/proc/%d/limits" % pid) as lim:
                assert re.search(r"Max locked memory\s+unlimited\s+unlimited", lim.read())
            virsh(uri, "destroy", name)
            wait_for(lambda: not pid_alive(pid), "QEMU of %s to exit" % name)
        virsh(uri, "undefine", name)


def test_runs_as_qemu_user():
    uid, gid = qemu_ids()
    d = Daemon().start()
    uri = d.uri()
    disk, base = make_disks(d)
    # a private initrd only root can read: handed over too, and back
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available")
    initrd = os.path.join(d.root, "initrd.gz")
    shutil.copyfile(os.path.join(guest, "initrd.gz"), initrd)
    os.chmod(initrd, 0o400)
    before = {p: owner(p) for p in (disk, base, initrd)}
    # the guest writes a pattern to its disk before GUEST-READY: QEMU, as
    # the QEMU user, really writes the image handed to it. Its RAM is two
    # guest NUMA cells backed by files the daemon made for QEMU's user
    # (issue 10: <cpu><numa>, <memoryBacking>); no 'quiet': the guest
    # kernel's own account of its NUMA nodes goes to the console.
    pid, guest = boot(d, uri, "vm1", [disk], "console=ttyS0 no_timer_check cryptomgr.notests virtkit.writedisk=1", initrd,
                      top=NUMA_TOP)
    serial = open(os.path.join(d.root, "vm1.serial")).read()
    assert "GUEST-DISK-WRITTEN" in serial, serial[-2000:]
    check_numa_guest(uri, pid, serial)
    kernel_before = owner(os.path.join(guest, "vmlinuz"))

    st = status_of(pid)
    assert st["Uid"].split() == [str(uid)] * 4, st["Uid"]
    assert st["Gid"].split() == [str(gid)] * 4, st["Gid"]
    assert "0" not in st["Groups"].split(), st["Groups"]
    for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(st[cap], 16) == 0, "%s = %s" % (cap, st[cap])
    assert st["NoNewPrivs"] == "1", st["NoNewPrivs"]
    assert st["Seccomp"] == "2", "seccomp mode %s" % st["Seccomp"]
    ps = subprocess.run(["ps", "-o", "user=", "-p", str(pid)], capture_output=True, text=True)
    assert ps.stdout.strip() == QEMU_USER, ps.stdout
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        argv = f.read().split(b"\0")
    assert b"on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny" in argv

    # handed over for the run: the disk, the backing file and initrd it cannot read
    for p in (disk, base, initrd):
        assert owner(p)[:2] == (uid, gid), (p, owner(p))
    # a kernel the QEMU user can read already is left alone
    assert owner(os.path.join(guest, "vmlinuz")) == kernel_before
    assert len(records(d)) == 1, records(d)
    # the daemon (root) still talks to it: monitor, state
    assert domstate(uri, "vm1") == "running (booted)"
    virsh(uri, "suspend", "vm1")
    virsh(uri, "resume", "vm1")

    # the capabilities probe ran as the QEMU user too, and saw -sandbox
    cache = glob.glob(os.path.join(d.dirs["cache"], "capabilities", "*.json"))
    assert cache, "no capabilities cache"
    caps = json.load(open(cache[0]))
    assert caps.get("runUid") == uid and caps.get("sandbox") is True, caps.get("runUid")

    virsh(uri, "destroy", "vm1")
    wait_for(lambda: not pid_alive(pid), "QEMU to exit")
    # nothing of the memory files is left in the per-run directory
    assert not glob.glob(os.path.join(d.root, "**", "ram-node*"), recursive=True)
    check_memory_start_rules(d, uri)
    for p in (disk, base, initrd):
        assert owner(p) == before[p], (p, owner(p), before[p])
    assert records(d) == [], records(d)
    raw = os.path.join(d.root, "head.raw")
    qemu_img("dd", "-f", "qcow2", "-O", "raw", "bs=65536", "count=1", "if=" + disk, "of=" + raw)
    with open(raw, "rb") as f:
        assert f.read(21) == b"VIRTKIT-TEST-PATTERN\n"
    assert d.stop() == 0


def test_guest_died_while_daemon_down():
    d = Daemon().start()
    uri = d.uri()
    disk, base = make_disks(d)
    before = {p: owner(p) for p in (disk, base)}
    # killed with the daemon down: its guest need not boot
    pid, _ = boot(d, uri, "vm3", [disk], ready=False)
    d.kill()
    kill_pid(pid)
    wait_for(lambda: not pid_alive(pid), "QEMU %d to die" % pid)
    d.start()
    # Usually found gone by the reconnect itself; but a QEMU whose leader is
    # a zombie while its other threads still exit is not "exited" for its
    # pidfd yet, and then its exit is seen right after: wait for that.
    wait_for(lambda: domstate(uri, "vm3") == "shut off (crashed)", "vm3 to be shut off", 60)
    for p in (disk, base):
        assert owner(p) == before[p], (p, owner(p), before[p])
    assert records(d) == []
    assert d.stop() == 0


def test_shared_backing_file():
    uid, gid = qemu_ids()
    d = Daemon().start()
    uri = d.uri()
    disk1, base = make_disks(d)
    disk2 = os.path.join(d.root, "disk2.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", disk2)
    os.chmod(disk2, 0o600)
    before = {p: owner(p) for p in (disk1, disk2, base)}
    pid1, _ = boot(d, uri, "sh1", [disk1])
    pid2, _ = boot(d, uri, "sh2", [disk2])
    assert len(records(d)) == 2
    # daemon SIGKILL + restart: the guests still run, their files stay
    # handed over (and the destroy below, by the restarted daemon, gives
    # them back)
    d.kill()
    assert pid_alive(pid1) and pid_alive(pid2)
    d.start()
    for name in ("sh1", "sh2"):
        assert domstate(uri, name) == "running (booted)", (name, domstate(uri, name))
    for p in (disk1, disk2, base):
        assert owner(p)[:2] == (uid, gid), (p, owner(p))
    assert len(records(d)) == 2
    virsh(uri, "destroy", "sh1")
    wait_for(lambda: not pid_alive(pid1), "QEMU to exit")
    # sh2 still reads the shared base: it stays handed over
    assert owner(disk1) == before[disk1]
    assert owner(base)[:2] == (uid, gid), owner(base)
    assert owner(disk2)[:2] == (uid, gid), owner(disk2)
    # the last one powers itself off (ACPI): its exit gives everything back
    virsh(uri, "shutdown", "sh2")
    wait_for(lambda: domstate(uri, "sh2") == "shut off (shutdown)", "sh2 to power off", 90)
    for p in (disk1, disk2, base):
        assert owner(p) == before[p], (p, owner(p), before[p])
    assert records(d) == []
    assert d.stop() == 0


def record_lines(d):
    """The entry lines of the only ownership record (comments left out)."""
    recs = records(d)
    assert len(recs) == 1, recs
    with open(recs[0]) as f:
        return [line for line in f.read().split("\n") if line and not line.startswith("#")]


def test_hotplug_handover():
    """A disk attached live is handed over (its line appended to the record,
    on disk before the chown), given back on detach (the record kept, empty),
    handed over again on a re-attach; after a daemon SIGKILL with the guest
    gone, the restart gives it back, and ignores a last line cut short by a
    crash (it never led to a chown)."""
    uid, gid = qemu_ids()
    d = Daemon().start()
    uri = d.uri()
    os.chmod(d.root, 0o711)
    img = os.path.join(d.root, "hot.img")
    with open(img, "wb") as f:
        f.truncate(1 << 20)
    os.chown(img, 0, 0)
    os.chmod(img, 0o600)
    before = owner(img)
    pid, _ = boot(d, uri, "vmh", [])
    dev = write(os.path.join(d.root, "hot.xml"),
                "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                "<source file='%s'/><target dev='vdb' bus='virtio'/></disk>" % img)
    line = "0 0 600 %d %d %s" % (uid, gid, os.path.realpath(img))
    kept = None
    for _ in range(2):
        virsh(uri, "attach-device", "vmh", dev, "--live")
        assert owner(img)[:2] == (uid, gid), owner(img)
        assert record_lines(d) == [line], record_lines(d)
        if kept is not None:
            # appended to the record the detach kept, not rewritten
            assert os.stat(records(d)[0]).st_ino == kept, "record rewritten"
        virsh(uri, "detach-device", "vmh", dev, "--live")
        wait_for(lambda: "vdb" not in virsh(uri, "domblklist", "vmh").stdout,
                 "vdb to leave vmh", 30)
        assert owner(img) == before, owner(img)
        assert record_lines(d) == [], record_lines(d)
        kept = os.stat(records(d)[0]).st_ino
    virsh(uri, "attach-device", "vmh", dev, "--live")
    assert owner(img)[:2] == (uid, gid), owner(img)
    # a crash in the middle of a later append: a last line without its
    # newline, naming a file the QEMU user owns for another reason
    decoy = os.path.join(d.root, "decoy.img")
    write(decoy, "x")
    os.chown(decoy, uid, gid)
    with open(records(d)[0], "a") as f:
        f.write("4242 4343 600 %d %d %s" % (uid, gid, decoy))
    d.kill()
    kill_pid(pid)
    wait_for(lambda: not pid_alive(pid), "QEMU %d to die" % pid)
    d.start()
    wait_for(lambda: domstate(uri, "vmh").startswith("shut off"), "vmh to be shut off", 60)
    assert owner(img) == before, owner(img)
    assert owner(decoy)[:2] == (uid, gid), owner(decoy)
    assert records(d) == [], records(d)
    assert d.stop() == 0


def test_stale_record_replayed_at_start():
    """A daemon killed after handing a file over but before the guest's status
    was written leaves a record and no running guest: the next start gives
    the file back (set-id bits cleared by chown come back too)."""
    uid, gid = qemu_ids()
    d = Daemon()
    os.makedirs(d.root, exist_ok=True)
    img = os.path.join(d.root, "lost.img")
    write(img, "x")
    os.chown(img, 4242, 4343)
    os.chmod(img, 0o2640)
    real = os.path.realpath(img)
    odir = os.path.join(d.dirs["state"], "qemu", "owners")
    os.makedirs(odir)
    write(os.path.join(odir, "f3b7e8a4-1c2d-4e5f-8a9b-0c1d2e3f4a5b"),
          "# virtkit ownership record: uid gid mode run-uid run-gid path\n"
          "4242 4343 2640 %d %d %s\n" % (uid, gid, real))
    write(os.path.join(odir, ".f3b7e8a4-1c2d-4e5f-8a9b-0c1d2e3f4a5b.Ab12Cd"), "torn")
    os.chown(img, uid, gid)
    os.chmod(img, 0o640)
    d.start()
    assert owner(img) == (4242, 4343, 0o2640), owner(img)
    assert os.listdir(odir) == [], os.listdir(odir)
    assert d.stop() == 0


def test_failed_start_gives_back():
    """QEMU dies while starting (a kernel it cannot load): the start fails and
    the disk handed over for it is given back."""
    d = Daemon().start()
    uri = d.uri()
    disk, base = make_disks(d)
    before = {p: owner(p) for p in (disk, base)}
    kdir = os.path.join(d.root, "junk")
    os.mkdir(kdir, 0o755)
    write(os.path.join(kdir, "vmlinuz"), "not a kernel\n")
    write(os.path.join(kdir, "initrd.gz"), "not an initrd\n")
    f = write(os.path.join(d.root, "bad.xml"),
              guest_xml("bad", kdir, os.path.join(d.root, "bad.serial"), [(disk, "qcow2")]))
    virsh(uri, "define", f)
    p = virsh(uri, "start", "bad", check=False)
    assert p.returncode != 0, p.stdout
    assert domstate(uri, "bad").startswith("shut off"), domstate(uri, "bad")
    # QEMU really was started (as the QEMU user, with the disk) and died
    log = open(os.path.join(d.dirs["log"], "bad.log")).read()
    assert "-sandbox" in log and "reason=failed" in log, log[-2000:]
    for q in (disk, base):
        assert owner(q) == before[q], (q, owner(q), before[q])
    assert records(d) == []
    assert d.stop() == 0


def test_unreachable_path_changes_nothing():
    uid, gid = qemu_ids()
    d = Daemon().start()
    uri = d.uri()
    disk, base = make_disks(d)
    hidden = os.path.join(d.root, "private")
    os.mkdir(hidden, 0o700)
    other = os.path.join(hidden, "other.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", other, "16M")
    os.chmod(other, 0o600)
    before = {p: owner(p) for p in (disk, base, other)}
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available")
    f = write(os.path.join(d.root, "vm4.xml"),
              guest_xml("vm4", guest, os.path.join(d.root, "vm4.serial"),
                        [(disk, "qcow2"), (other, "qcow2")]))
    virsh(uri, "define", f)
    p = virsh(uri, "start", "vm4", check=False)
    assert p.returncode != 0
    want = ("Cannot access storage file '%s' (as uid:%d, gid:%d): directory '%s' cannot "
            "be searched: Permission denied" % (other, uid, gid, hidden))
    assert want in p.stderr, p.stderr
    # libvirt's code and domain: SYSTEM_ERROR (38), from STORAGE (18)
    import libvirt
    conn = libvirt.open(uri)
    try:
        conn.lookupByName("vm4").create()
        raise AssertionError("vm4 started")
    except libvirt.libvirtError as e:
        assert (e.get_error_code(), e.get_error_domain()) == (38, 18), \
            (e.get_error_code(), e.get_error_domain(), str(e))
    finally:
        conn.close()
    assert domstate(uri, "vm4") == "shut off (failed)" or \
        domstate(uri, "vm4").startswith("shut off"), domstate(uri, "vm4")
    assert qemu_of(d.root, "vm4") is None
    for q in (disk, base, other):
        assert owner(q) == before[q], (q, owner(q), before[q])
    assert records(d) == []
    # a missing image (in a reachable directory now): the same kind of
    # error, and nothing changed either
    os.chmod(hidden, 0o711)
    os.unlink(other)
    p = virsh(uri, "start", "vm4", check=False)
    assert p.returncode != 0
    assert "Cannot access storage file '%s' (as uid:%d, gid:%d): No such file or directory" \
        % (other, uid, gid) in p.stderr, p.stderr
    for q in (disk, base):
        assert owner(q) == before[q], (q, owner(q), before[q])
    assert d.stop() == 0


def test_dynamic_ownership_off():
    d = Daemon()
    os.makedirs(d.dirs["config"], exist_ok=True)
    write(os.path.join(d.dirs["config"], "qemu.conf"), "dynamic_ownership = 0\n")
    d.start()
    uri = d.uri()
    disk, base = make_disks(d)
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available")
    f = write(os.path.join(d.root, "vm5.xml"),
              guest_xml("vm5", guest, os.path.join(d.root, "vm5.serial"), [(disk, "qcow2")]))
    virsh(uri, "define", f)
    p = virsh(uri, "start", "vm5", check=False)
    assert p.returncode != 0
    assert re.search(r"Cannot access storage file '%s' \(as uid:\d+, gid:\d+\): "
                     r"Permission denied" % re.escape(disk), p.stderr), p.stderr
    assert owner(disk) == (0, 0, 0o600)
    assert d.stop() == 0


VKSH = os.environ.get("VKSH")


def vksh(uri, cmds):
    p = subprocess.run([VKSH, "-c", uri, cmds], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, (cmds, p.stdout, p.stderr)
    return p.stdout


def test_embed_mode():
    """qemu:///embed runs QEMU as its caller (root here) by default, and as
    the user its qemu.conf names otherwise, with the same handing over."""
    if not VKSH or not os.path.exists(VKSH):
        raise Skip("vksh not built")
    uid, gid = qemu_ids()
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available")
    for configured in (False, True):
        d = Daemon()        # only its private directory: no daemon is started
        os.chmod(d.root, 0o711)
        os.makedirs(os.path.join(d.root, "etc"))
        if configured:
            write(os.path.join(d.root, "etc", "qemu.conf"), 'user = "%s"\n' % QEMU_USER)
        uri = "qemu:///embed?root=%s" % d.root
        disk, base = make_disks(d)
        before = {p: owner(p) for p in (disk, base)}
        serial = os.path.join(d.root, "em.serial")
        f = write(os.path.join(d.root, "em.xml"),
                  guest_xml("em", guest, serial, [(disk, "qcow2")]))
        # what is checked (QEMU's ids, seccomp, the files handed over) is
        # set up before the guest runs: its boot is not waited for
        vksh(uri, "define %s; start em" % f)
        pid = qemu_of(d.root, "em")
        assert pid
        st = status_of(pid)
        want = (uid, gid) if configured else (0, 0)
        assert st["Uid"].split()[0] == str(want[0]) and st["Gid"].split()[0] == str(want[1]), \
            (configured, st["Uid"], st["Gid"])
        assert st["Seccomp"] == "2"
        assert owner(disk)[:2] == (want if configured else before[disk][:2]), owner(disk)
        # another process (a later vksh) reconnects and destroys it
        vksh(uri, "destroy em")
        wait_for(lambda: not pid_alive(pid), "QEMU to exit")
        for p in (disk, base):
            assert owner(p) == before[p], (p, owner(p), before[p])


def test_missing_user_stops_the_daemon():
    d = Daemon()
    os.makedirs(d.dirs["config"], exist_ok=True)
    write(os.path.join(d.dirs["config"], "qemu.conf"),
          "# comment\nuser = \"vk-no-such-user\"\n")
    d.start(wait=False)
    rc = d.wait_exit(60)
    assert rc != 0
    assert "Failed to parse user 'vk-no-such-user' (set in %s)" \
        % os.path.join(d.dirs["config"], "qemu.conf") in d.log(), d.log()
    # a numeric user needs no passwd entry
    write(os.path.join(d.dirs["config"], "qemu.conf"), "user = \"+54321\"\ngroup = \"+54321\"\n")
    d.start()
    assert d.stop() == 0


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("1..0 # SKIP system mode needs root")
        raise SystemExit(0)
    run_tests([
        ("QEMU runs as virtkit-qemu, no capabilities, seccomp; qcow2 chain handed over and back",
         test_runs_as_qemu_user),
        ("guest died while the daemon was down: files given back at restart",
         test_guest_died_while_daemon_down),
        ("daemon SIGKILL + restart keeps running guests' files, destroy gives them back; two "
         "guests sharing a backing file: given back when the last one stops (ACPI)",
         test_shared_backing_file),
        ("a record of a guest that is not running is replayed at daemon start",
         test_stale_record_replayed_at_start),
        ("QEMU dying at start: the start fails and the disk is given back",
         test_failed_start_gives_back),
        ("an unreachable or missing image is a clear error and changes nothing",
         test_unreachable_path_changes_nothing),
        ("dynamic_ownership = 0 chowns nothing: an unreadable image is an error",
         test_dynamic_ownership_off),
        ("qemu:///embed: QEMU as the caller by default, as qemu.conf's user if set",
         test_embed_mode),
        ("a configured user that does not exist stops the daemon at start",
         test_missing_user_stops_the_daemon),
        ("a disk attached live is handed over (appended to the record) and back on "
         "detach; a daemon crash gives it back, a torn last line is ignored",
         test_hotplug_handover),
    ])
