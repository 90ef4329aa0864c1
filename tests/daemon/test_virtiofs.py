#!/usr/bin/env python3
"""virtiofs shares through virtkitd, with Debian's virsh and python3-libvirt:
the virtiofsd the daemon starts for each <filesystem><driver type='virtiofs'/>
(libvirt's arguments, its socket handed over as --fd, QEMU's vhost-user-fs
device on it), a TCG test guest (variant virtiofs: fuse and virtiofs from the
same kernel package) that reads a file the host wrote and writes one the host
then reads; the virtiofsd adopted (same pid) across a daemon restart, gone with
the guest (by its pid), its socket and pid file removed; libvirt's errors for
what cannot start (no shared memory, a missing source directory, a binary that
is not one), each leaving no process, socket or pid file behind."""

import glob
import os

import libvirt

from vkdtest import expect_error_exact
from vkdtest import Daemon, Skip, VirshEvents, pid_alive, run_tests, test_guest_dir, virsh, wait_for, \
    wait_guest, write
from vkdtest import console_whole_lines, quiet

VFS_GUEST = None
VIRTIOFSD = "/usr/lib/qemu/virtiofsd"
VIR_FROM_QEMU = 10

GUEST_XML = """<domain type='qemu'>
  <name>%(name)s</name>
  <memory unit='MiB'>256</memory>
  %(backing)s
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%(guest)s/vmlinuz</kernel><initrd>%(guest)s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.vfstag=hostshare</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    %(fs)s
    <serial type='file'><source path='%(log)s'/><target port='0'/></serial>
  </devices>
</domain>
"""

SHARED = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"


def fs_xml(src, binary=""):
    return ("<filesystem type='mount' accessmode='passthrough'>"
            "<driver type='virtiofs' queue='1024'/>%s"
            "<source dir='%s'/><target dir='hostshare'/></filesystem>" % (binary, src))


def console_lines(log, prefix):
    return [l.split(None, 1)[1].strip() if " " in l.strip() else ""
            for l in console_whole_lines(log) if l.startswith(prefix)]


def proc_cmdline(pid):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            return f.read()
    except OSError:
        return b""


def is_virtiofsd(d, pid):
    return proc_cmdline(pid).startswith(VIRTIOFSD.encode() + b"\0") and \
        ("source=" + d.root + "/").encode() in proc_cmdline(pid)


def ppid(pid):
    try:
        with open("/proc/%s/stat" % pid) as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def virtiofsd_pids(d):
    """The virtiofsd processes the daemon started for shares under its root
    (by their command line: the shares are all under d.root), without the
    sandbox child each one forks (it dies with its parent)."""
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and is_virtiofsd(d, p) and
            not is_virtiofsd(d, ppid(p)) and pid_alive(int(p))]


def leftovers(d, name):
    """What a virtiofsd of @name would leave: pid files (in the daemon's
    runtime directory, as libvirt's in /run/libvirt/qemu), sockets."""
    return (glob.glob(os.path.join(d.dirs["run"], "qemu", "*-%s-fs*-fs.pid" % name)) +
            glob.glob(os.path.join(d.dirs["state"], "qemu", "domain-*-%s" % name, "*-fs.sock")))


def test_errors():
    """libvirt 9.0's errors (libvirtd 9.0 gives the same codes and words):
    no shared memory at define; at start a missing source directory and a
    binary that is not executable; each start refused with no virtiofsd,
    socket or pid file left and the guest shut off."""
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon()
    d.start()
    try:
        c = libvirt.open(d.uri())
        share = os.path.join(d.root, "share")
        os.mkdir(share)
        base = {"guest": "/nonexistent", "log": "/dev/null"}
        # no kernel: the start fails on the share, not on a missing kernel
        base_xml = GUEST_XML.replace(
            "<kernel>%(guest)s/vmlinuz</kernel><initrd>%(guest)s/initrd.gz</initrd>", "")
        base_xml = base_xml[:base_xml.index("<cmdline>")] + \
            base_xml[base_xml.index("</cmdline>") + len("</cmdline>"):]
        expect_error_exact(lambda: c.defineXML(base_xml % dict(base, name="nomem", backing="",
                                                          fs=fs_xml(share))),
                     libvirt.VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
                     "unsupported configuration: 'virtiofs' requires shared memory")
        assert "nomem" not in [x.name() for x in c.listAllDomains()]

        dom = c.defineXML(base_xml % dict(base, name="nosrc", backing=SHARED,
                                           fs=fs_xml(share + "/missing")))
        expect_error_exact(dom.create, libvirt.VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU,
                     "internal error: the virtiofs export directory '%s/missing' does not "
                     "exist" % share)
        assert dom.info()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        bad = write(os.path.join(d.root, "notabinary"), "not a program\n")
        dom2 = c.defineXML(base_xml % dict(base, name="nobin", backing=SHARED,
                                            fs=fs_xml(share, "<binary path='%s'/>" % bad)))
        expect_error_exact(dom2.create, libvirt.VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU,
                     "internal error: virtiofsd binary '%s' is not executable" % bad)
        assert dom2.info()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        # a virtiofsd that exits at once: libvirt's own words for it (libvirtd
        # 9.0 says them when its check after the start sees the exit, else
        # QEMU's "Failed to connect ... Connection refused"); virtkit waits
        # for virtiofsd to say it is ready, so always the former
        dies = write(os.path.join(d.root, "dies.sh"), "#!/bin/sh\necho dying >&2\nexit 3\n")
        os.chmod(dies, 0o755)
        dom3 = c.defineXML(base_xml % dict(base, name="dies", backing=SHARED,
                                           fs=fs_xml(share, "<binary path='%s'/>" % dies)))
        expect_error_exact(dom3.create, libvirt.VIR_ERR_SYSTEM_ERROR, VIR_FROM_QEMU,
                     "virtiofsd died unexpectedly: No such process")
        assert dom3.info()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        assert virtiofsd_pids(d) == []
        assert leftovers(d, "nosrc") == [] and leftovers(d, "nobin") == []
        assert leftovers(d, "dies") == [] and not glob.glob(
            os.path.join(d.dirs["state"], "qemu", "domain-*-dies")), leftovers(d, "dies")
        with open(glob.glob(os.path.join(d.dirs["log"], "**", "dies-fs0-virtiofsd.log"),
                            recursive=True)[0]) as f:
            assert "dying" in f.read()
        dom.undefine()
        dom2.undefine()
        dom3.undefine()
    finally:
        assert d.stop() == 0


def test_guest_share():
    """The virtiofs test guest: virtiofsd started with libvirt's arguments
    (socket as --fd, -o source=...,cache=always,xattr, --thread-pool-size),
    QEMU's vhost-user-fs-pci on that socket; the guest mounts the tag, reads
    what the host wrote, writes what the host then reads; the live XML names
    the binary found (Debian's vhost-user descriptor); the virtiofsd adopted
    across a daemon restart (same pid); gone with the guest by its pid, its
    socket and pid file removed."""
    if not VFS_GUEST:
        raise Skip("no virtiofs test guest (scripts/build-test-guest.sh)")
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon()
    os.chmod(d.root, 0o755)
    d.start()
    uri = d.uri()
    log = os.path.join(d.root, "vg.log")
    share = os.path.join(d.root, "share")
    os.mkdir(share)
    write(os.path.join(share, "host.txt"), "VIRTKIT-HOST-WROTE-VFS\n")
    try:
        fs = ("<filesystem type='mount' accessmode='passthrough'>"
              "<driver type='virtiofs' queue='1024'/>"
              "<binary xattr='on'><cache mode='always'/><thread_pool size='2'/></binary>"
              "<source dir='%s'/><target dir='hostshare'/></filesystem>" % share)
        path = write(os.path.join(d.root, "vg.xml"),
                     GUEST_XML % {"name": "vg", "guest": VFS_GUEST, "backing": SHARED,
                                  "fs": fs, "log": log})
        virsh(uri, "define", path)
        virsh(uri, "start", "vg")
        pids = virtiofsd_pids(d)
        assert len(pids) == 1, pids
        pid = pids[0]
        argv = proc_cmdline(pid).decode().split("\0")[:-1]
        assert argv[0] == VIRTIOFSD and argv[1].startswith("--fd="), argv
        assert argv[2:] == ["-o", "source=%s,cache=always,xattr" % share,
                            "--thread-pool-size=2"], argv
        pidfile = glob.glob(os.path.join(d.dirs["run"], "qemu", "1-vg-fs0-fs.pid"))
        assert len(pidfile) == 1 and open(pidfile[0]).read().strip() == str(pid), pidfile
        sock = glob.glob(os.path.join(d.dirs["state"], "qemu", "domain-*-vg", "fs0-fs.sock"))
        assert len(sock) == 1, sock
        live = virsh(uri, "dumpxml", "vg").stdout
        assert "<binary path='%s' xattr='on'>" % VIRTIOFSD in live, live
        assert "<alias name='fs0'/>" in live, live
        qemu = [p for p in os.listdir("/proc") if p.isdigit() and
                proc_cmdline(p).startswith(b"/usr/bin/qemu-system-x86_64") and
                b"guest=vg" in proc_cmdline(p) and d.root.encode() in proc_cmdline(p)]
        assert len(qemu) == 1, qemu
        qargv = proc_cmdline(qemu[0]).decode().split("\0")
        assert "socket,id=chr-vu-fs0,path=%s" % sock[0] in qargv, qargv
        assert any(a.startswith("vhost-user-fs-pci,id=fs0,chardev=chr-vu-fs0,queue-size=1024,"
                                "tag=hostshare") for a in qargv), qargv

        wait_guest(lambda: console_lines(log, "GUEST-VFS-WRITTEN") or
                   console_lines(log, "GUEST-VFS-WRITE-FAILED") or
                   console_lines(log, "GUEST-VFS-MOUNT-FAILED"), "the guest's share", 180,
                   uri, "vg", log, d, cpu_budget=20)
        assert console_lines(log, "GUEST-VFS-MOUNTED") == ["hostshare"], open(log).read()
        assert console_lines(log, "GUEST-VFS-READ") == ["VIRTKIT-HOST-WROTE-VFS"], \
            open(log).read()
        with open(os.path.join(share, "guest.txt")) as f:
            assert f.read() == "VIRTKIT-GUEST-WROTE-VFS"

        # the daemon restarts: the virtiofsd is adopted, not restarted
        assert d.stop() == 0
        assert pid_alive(pid)
        d.start()
        assert virsh(uri, "domstate", "vg").stdout.strip() == "running"
        assert virtiofsd_pids(d) == [pid]

        virsh(uri, "destroy", "vg")
        wait_for(lambda: not pid_alive(pid), "virtiofsd gone", 15)
        assert leftovers(d, "vg") == [], leftovers(d, "vg")
        assert not os.path.exists(sock[0])
        virsh(uri, "undefine", "vg")
    finally:
        assert d.stop() == 0


def test_started_and_stopped():
    """Without a guest OS (no kernel): each start has its own virtiofsd,
    which ends with the guest (destroy, then a second start and its
    destroy), never two at once; nothing left after."""
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon()
    os.chmod(d.root, 0o755)
    d.start()
    try:
        c = libvirt.open(d.uri())
        share = os.path.join(d.root, "share2")
        os.mkdir(share)
        xml = """<domain type='qemu'><name>vs</name><memory unit='MiB'>64</memory>
  %s<os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>%s%s</devices></domain>""" % (
            SHARED, fs_xml(share),
            fs_xml(share).replace("hostshare", "second"))
        dom = c.defineXML(xml)
        seen = []
        for _ in range(2):
            dom.create()
            pids = virtiofsd_pids(d)
            assert len(pids) == 2 and not set(pids) & set(seen), (pids, seen)
            seen += pids
            assert len(leftovers(d, "vs")) == 4, leftovers(d, "vs")
            dom.destroy()
            for p in pids:
                wait_for(lambda: not pid_alive(p), "virtiofsd %d gone" % p, 15)
            assert leftovers(d, "vs") == [], leftovers(d, "vs")
        dom.undefine()
    finally:
        assert d.stop() == 0


def test_hotplug():
    """libvirt 9.0's virtiofs hotplug: a share attached to the running
    virtiofs test guest (which had none) gets its virtiofsd, fs0 and
    DEVICE_ADDED, and the guest mounts it and reads and writes; a 9p share
    gets libvirt's refusal; the persistent definition gains the share too
    (a second one with its target is refused); detach-device unplugs it:
    DEVICE_REMOVED, the virtiofsd gone by its pid, nothing left; the
    persistent one loses it."""
    if not VFS_GUEST:
        raise Skip("no virtiofs test guest (scripts/build-test-guest.sh)")
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon()
    os.chmod(d.root, 0o755)
    d.start()
    uri = d.uri()
    log = os.path.join(d.root, "hg.log")
    share = os.path.join(d.root, "share")
    os.mkdir(share)
    write(os.path.join(share, "host.txt"), "VIRTKIT-HOST-HOTPLUG\n")
    ev = VirshEvents(uri, "--all")
    try:
        ev.sync(uri, "<domain type='qemu'><name>evsync</name><memory>65536</memory><os>"
                "<type arch='x86_64' machine='q35'>hvm</type></os></domain>", d.root)
        path = write(os.path.join(d.root, "hg.xml"),
                     GUEST_XML % {"name": "hg", "guest": VFS_GUEST, "backing": SHARED,
                                  "fs": "", "log": log})
        virsh(uri, "define", path)
        virsh(uri, "start", "hg")
        wait_guest(lambda: console_lines(log, "GUEST-READY"), "GUEST-READY", 120, uri, "hg",
                   log, d, cpu_budget=20)
        assert virtiofsd_pids(d) == []
        c = libvirt.open(uri)
        dom = c.lookupByName("hg")
        both = libvirt.VIR_DOMAIN_AFFECT_LIVE | libvirt.VIR_DOMAIN_AFFECT_CONFIG
        expect_error_exact(lambda: dom.attachDeviceFlags(
            "<filesystem type='mount'><source dir='%s'/><target dir='p9'/></filesystem>"
            % share, libvirt.VIR_DOMAIN_AFFECT_LIVE),
            libvirt.VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
            "Operation not supported: only virtiofs filesystems can be hotplugged")
        dom.attachDeviceFlags(fs_xml(share), both)
        ev.wait_line(r"event 'device-added' for domain 'hg': fs0$", 30)
        pids = virtiofsd_pids(d)
        assert len(pids) == 1, pids
        assert "<alias name='fs0'/>" in dom.XMLDesc(0)
        assert "<target dir='hostshare'/>" in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        expect_error_exact(lambda: dom.attachDeviceFlags(fs_xml(share),
                                                   libvirt.VIR_DOMAIN_AFFECT_CONFIG),
                     libvirt.VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
                     "Requested operation is not valid: Target already exists")
        wait_guest(lambda: console_lines(log, "GUEST-VFS-WRITTEN") or
                   console_lines(log, "GUEST-VFS-WRITE-FAILED") or
                   console_lines(log, "GUEST-VFS-MOUNT-FAILED"), "the guest's share", 180,
                   uri, "hg", log, d, cpu_budget=20)
        assert console_lines(log, "GUEST-VFS-READ") == ["VIRTKIT-HOST-HOTPLUG"], \
            open(log).read()
        with open(os.path.join(share, "guest.txt")) as f:
            assert f.read() == "VIRTKIT-GUEST-WROTE-VFS"

        dom.detachDeviceFlags(fs_xml(share), both)
        ev.wait_line(r"event 'device-removed' for domain 'hg': fs0$", 60)
        wait_for(lambda: not pid_alive(pids[0]), "the unplugged share's virtiofsd gone", 30)
        assert "<filesystem" not in dom.XMLDesc(0)
        assert "<filesystem" not in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert leftovers(d, "hg") == [], leftovers(d, "hg")
        virsh(uri, "destroy", "hg")
        virsh(uri, "undefine", "hg")
    finally:
        ev.close()
        assert d.stop() == 0


if __name__ == "__main__":
    if not os.access(VIRTIOFSD, os.X_OK):
        VFS_GUEST = None
    else:
        VFS_GUEST = test_guest_dir("virtiofs")

    def guard(fn):
        def run():
            if not os.access(VIRTIOFSD, os.X_OK):
                raise Skip("no %s (qemu-system-common)" % VIRTIOFSD)
            if os.geteuid() != 0:
                raise Skip("virtiofsd needs root (as under libvirt's system mode)")
            fn()
        return run

    run_tests([
        ("virtiofs errors: shared memory, source, binary; nothing left", guard(test_errors)),
        ("a guest reads and writes a host directory over virtiofs; restart, stop",
         guard(test_guest_share)),
        ("a virtiofsd per share and per run, gone with the guest",
         guard(test_started_and_stopped)),
        ("virtiofs hotplug: attach, the guest mounts it, detach; events",
         guard(test_hotplug)),
    ])
