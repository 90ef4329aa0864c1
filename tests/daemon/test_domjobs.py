#!/usr/bin/env python3
"""A running guest's background jobs and block controls through virtkitd, with the real clients.

One test guest (scripts/build-test-guest.sh, TCG, 256 MiB, a raw virtio
disk) serves every case:
- virDomainAbortJob / AbortJobFlags (virsh domjobabort): a save, a managed
  save and a core dump are held (WriteHold: QEMU's first write of the
  job's file waits for the test's answer, a fanotify watch set before the
  job begins, so the job cannot end before the abort reaches it), then
  aborted from Debian's virsh, python3-libvirt and vksh; each fails with
  libvirt's "operation aborted: job '...' canceled by client", leaves no
  file, and the guest runs on (QEMU's own run state); with no job, a
  post-copy abort, flags, a shut-off domain, a read-only connection:
  libvirt 9.0's errors, code and domain. Where the hold cannot be made
  (not root, a kernel before 6.14, a file system without pre-content
  events) the aborts are not tried and the test ends in SKIP after the
  other cases.
- virDomainGetDiskErrors (virsh/vksh domblkerror): the guest's disk is a
  sparse image on a 2 MiB tmpfs and its init writes 4 MiB to it at boot
  (virtkit.writedisk=1): QEMU stops the guest on ENOSPC and the disk reads
  "vda: no space" through virsh, vksh and python3-libvirt; once the tmpfs
  grows and the guest is resumed its write completes (the pattern is in
  the image) and the status stays, as on libvirtd 9.0. Not as root: a
  plain image, "No errors found".
- vksh domblkthreshold: the threshold lands on the disk's node in QEMU
  (query-named-block-nodes), and a disk the guest lacks is refused.
- vksh qemu-monitor-command prints what Debian's virsh prints against the
  same daemon (QMP as JSON or wrapped from words, --pretty, --return-value,
  --hmp, QEMU's error replies), and its command reaches QEMU (a "stop"
  sent through vksh pauses the guest: QEMU's query-status, the domain's
  state paused/user as libvirt reports a pause behind its back).
- libvirt-qemu's monitor events (virConnectDomainQemuMonitorEventRegister):
  python3-libvirt callbacks filtered by exact name, case-insensitive name,
  regular expression and domain see the STOP/RESUME of suspend/resume and
  the SHUTDOWN (with its data) of the final power-off, each exactly once;
  Debian's virsh and vksh qemu-monitor-event (--regex --no-case --loop
  --pretty) print the same SHUTDOWN lines; bad regex, flags, IDs and a
  read-only connection get libvirt 9.0's errors (checked against libvirtd).
"""
import ctypes
import fnmatch
import glob
import json
import select
import signal
import os
import re
import struct
import subprocess
import sys
import threading
import time

from vkdtest import console_text
from vkdtest import (Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for, wait_guest,
                     write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402
import libvirt_qemu  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VIR_FROM_QEMU = 10
VIR_FROM_DOMAIN = 20


def guest_xml(name, guest, serial, disk, cmdline=""):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet %s</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, cmdline, disk, serial)


def vksh(uri, *args, check=True):
    env = dict(os.environ, LC_ALL="C", LANG="C")
    p = subprocess.run([os.environ["VKSH"], "-q", "-c", uri] + list(args),
                       capture_output=True, text=True, timeout=120, env=env)
    if check and p.returncode != 0:
        raise AssertionError("vksh %s failed (%d): %s" % (args, p.returncode, p.stderr))
    return p


def qmp(uri, name, cmd, **arguments):
    text = json.dumps({"execute": cmd, "arguments": arguments} if arguments
                      else {"execute": cmd})
    out = virsh(uri, "qemu-monitor-command", name, text).stdout
    return json.loads(out)["return"]


def py_error(fn):
    try:
        fn()
    except libvirt.libvirtError as e:
        return (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    raise AssertionError("no error from %r" % fn)


class Guest:
    """The one guest of the suite: defined, its console and disk. As root its
    disk is on a 2 MiB tmpfs the guest overfills at boot (see above)."""

    def __init__(self, d):
        guest = test_guest_dir()
        if not guest:
            raise Skip("test guest not available (scripts/build-test-guest.sh)")
        self.d = d
        self.uri = d.uri()
        self.name = "jobs"
        self.serial = os.path.join(d.root, "jobs.serial")
        self.mnt = None
        os.chmod(d.root, 0o755)
        if os.geteuid() == 0:
            self.mnt = os.path.join(d.root, "tiny")
            os.mkdir(self.mnt)
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0777", "tmpfs",
                            self.mnt], check=True)
        self.disk = os.path.join(self.mnt or d.root, "jobs-disk.img")
        with open(self.disk, "wb") as f:
            f.truncate(16 * 1024 * 1024)
        os.chmod(self.disk, 0o666)
        cmdline = "virtkit.writedisk=1" if self.mnt else ""
        virsh(self.uri, "define", write(os.path.join(d.root, "jobs.xml"),
                                        guest_xml(self.name, guest, self.serial, self.disk,
                                                  cmdline)))

    def close(self):
        if self.mnt:
            subprocess.run(["umount", "-l", self.mnt], check=False)
            self.mnt = None

    def wait_ready(self):
        wait_guest(lambda: "GUEST-READY" in console_text(self.serial), "GUEST-READY", 120,
                   self.uri, self.name, self.serial, self.d, cpu_budget=20)

    def qemu_running(self):
        return qmp(self.uri, self.name, "query-status")["status"] == "running"


def disk_errors(g, dom):
    """The disk full at boot: QEMU stops the guest, every client reads it."""
    uri = g.uri
    wait_guest(lambda: virsh(uri, "domstate", "--reason", g.name).stdout.strip() ==
               "paused (I/O error)", "the guest to pause on ENOSPC", 120,
               uri, g.name, g.serial, g.d, cpu_budget=20)
    out = virsh(uri, "domblkerror", g.name).stdout
    assert out.strip() == "vda: no space", out
    assert dom.diskErrors() == {"vda": libvirt.VIR_DOMAIN_DISK_ERROR_NO_SPACE}
    if os.environ.get("VKSH"):
        assert vksh(uri, "domblkerror", g.name).stdout == out
    # room for the write: resumed, the guest's request is retried and done
    subprocess.run(["mount", "-o", "remount,size=64m", g.mnt], check=True)
    virsh(uri, "resume", g.name)
    wait_guest(lambda: "GUEST-DISK-WRITTEN" in console_text(g.serial), "GUEST-DISK-WRITTEN",
               120, uri, g.name, g.serial, g.d, cpu_budget=20)
    # QEMU keeps a device's I/O status after "cont" (-blockdev devices are
    # not reset), and so libvirtd 9.0 still reports the error (checked)
    out = virsh(uri, "domblkerror", g.name).stdout
    assert out.strip() == "vda: no space", out
    with open(g.disk, "rb") as f:
        assert f.read(21) == b"VIRTKIT-TEST-PATTERN\n"


class NoHold(Exception):
    """This host cannot hold a write (WriteHold); the reason."""


class WriteHold:
    """QEMU's writes into @directory wait until release(), however fast the
    machine: a fanotify pre-content watch (FAN_PRE_ACCESS, Linux 6.14 and
    later; ext4, xfs and btrfs allow it) on a bind mount of the directory
    over itself, set before the job begins. Every read or write of a file
    opened there then waits for this test's answer: the first write of a
    QEMU process (through the fd the daemon handed it) is left unanswered,
    so its migration stream stops there while its monitor stays free;
    everything else (the daemon's own writes) is allowed at once by a
    thread. release() answers the held write, drops the watch and
    unmounts."""

    FAN_CLOEXEC = 0x1
    FAN_NONBLOCK = 0x2
    FAN_CLASS_PRE_CONTENT = 0x8
    FAN_MARK_ADD = 0x1
    FAN_MARK_MOUNT = 0x10
    FAN_PRE_ACCESS = 0x00100000
    FAN_ALLOW = 0x1
    META = struct.Struct("IBBHQii")  # struct fanotify_event_metadata

    def __init__(self, directory, pattern):
        self.dir = directory
        self.pattern = pattern
        self.held = None  # (pid, path, event fd)
        self.cond = threading.Condition()
        self.done = False
        self.fd = -1
        if os.geteuid() != 0:
            raise NoHold("fanotify needs root")
        libc = ctypes.CDLL(None, use_errno=True)
        libc.fanotify_mark.argtypes = [ctypes.c_int, ctypes.c_uint, ctypes.c_uint64,
                                       ctypes.c_int, ctypes.c_char_p]
        subprocess.run(["mount", "--bind", directory, directory], check=True)
        try:
            self.fd = libc.fanotify_init(
                self.FAN_CLASS_PRE_CONTENT | self.FAN_CLOEXEC | self.FAN_NONBLOCK,
                os.O_RDONLY | os.O_LARGEFILE)
            if self.fd < 0:
                raise NoHold("fanotify_init(FAN_CLASS_PRE_CONTENT): " +
                             os.strerror(ctypes.get_errno()))
            if libc.fanotify_mark(self.fd, self.FAN_MARK_ADD | self.FAN_MARK_MOUNT,
                                  self.FAN_PRE_ACCESS, -1, directory.encode()) < 0:
                raise NoHold("fanotify_mark(FAN_PRE_ACCESS) on %s: %s" % (
                    directory, os.strerror(ctypes.get_errno())))
        except BaseException:
            self._unmount()
            raise
        self.thread = threading.Thread(target=self._answer, daemon=True)
        self.thread.start()

    def _is_qemu(self, pid):
        try:
            return os.path.basename(os.readlink("/proc/%d/exe" % pid)).startswith(
                "qemu-system-")
        except OSError:
            return False

    def _answer(self):
        while not self.done:
            if not select.select([self.fd], [], [], 0.2)[0]:
                continue
            try:
                buf = os.read(self.fd, 65536)
            except (BlockingIOError, OSError):
                continue
            off = 0
            while off + self.META.size <= len(buf):
                ln, _, _, _, _, efd, pid = self.META.unpack_from(buf, off)
                off += ln
                if efd < 0:
                    continue
                path = os.readlink("/proc/self/fd/%d" % efd)
                with self.cond:
                    if self.held is None and not self.done and self._is_qemu(pid) and \
                            fnmatch.fnmatch(os.path.basename(path), self.pattern):
                        self.held = (pid, path, efd)
                        self.cond.notify_all()
                        continue
                self._allow(efd)

    def _allow(self, efd):
        os.write(self.fd, struct.pack("iI", efd, self.FAN_ALLOW))
        os.close(efd)

    def wait_held(self):
        """(pid, path) of the held QEMU write."""
        with self.cond:
            if not self.cond.wait_for(lambda: self.held is not None, 120):
                raise AssertionError("no write of QEMU to %s/%s within 120 s" % (
                    self.dir, self.pattern))
            return self.held[:2]

    def release(self):
        with self.cond:
            self.done = True
            if self.held:
                self._allow(self.held[2])
        if self.fd >= 0:
            self.thread.join(10)
            # closing the group allows whatever is still pending
            os.close(self.fd)
            self.fd = -1
        self._unmount()

    def _unmount(self):
        # lazily: the job's file may still be open through the mount
        subprocess.run(["umount", "-l", self.dir], check=True)


def held_job(g, start, directory, pattern):
    """Run @start (a blocking call ending in a libvirtError) in a thread
    while QEMU's writes into @directory are held (WriteHold); returns
    (thread, outcome dict, hold) once QEMU waits on its first write of the
    job's temporary file (@pattern), i.e. the job is marked and its
    migration runs. The caller aborts, then releases the hold."""
    hold = WriteHold(directory, pattern)
    out = {}

    def run():
        try:
            start()
            out["ok"] = True
        except libvirt.libvirtError as e:
            out["err"] = (e.get_error_code(), e.get_error_domain(), e.get_error_message())

    t = threading.Thread(target=run, daemon=True)
    t.start()
    try:
        pid, path = hold.wait_held()
        assert os.path.dirname(path) == directory, path
        # the job goes on, QEMU's migration waiting on that write
        info = virsh(g.uri, "domjobinfo", g.name).stdout
        assert re.search(r"^Job type:\s+Unbounded", info, re.M), info
        assert "ok" not in out and "err" not in out, out
    except BaseException:
        hold.release()
        raise
    return t, out, hold


def aborted_by(hold, abort):
    """@abort() while @hold holds the job's write, then the hold released."""
    try:
        abort()
    finally:
        hold.release()


def check_aborted(g, t, out, job, leftovers):
    t.join(120)
    assert not t.is_alive(), "the aborted job did not return"
    assert out.get("err") == (libvirt.VIR_ERR_OPERATION_ABORTED, VIR_FROM_QEMU,
                              "operation aborted: job '%s' canceled by client" % job), out
    assert not glob.glob(leftovers, recursive=True), leftovers
    st = virsh(g.uri, "domstate", "--reason", g.name).stdout.strip()
    assert st.startswith("running"), st
    assert g.qemu_running()


def test_guest():
    libvirt.virEventRegisterDefaultImpl()
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()
    threading.Thread(target=loop, daemon=True).start()
    d = Daemon().start()
    g = Guest(d)
    try:
        guest_cases(d, g)
    finally:
        g.close()


MONITOR_CASES = [
    ["query-status"],
    ["--pretty", "query-status"],
    ["--return-value", "query-name"],
    ["--return-value", "--pretty", '{"execute":"query-status"}'],
    ["--pretty", '{"execute":"query-migrate"}'],
    ["--pretty", "query-block"],
    ["--pretty", "--return-value", "query-hotpluggable-cpus"],
    ["qom-get", '"path":"/machine","property":"type"'],
    ["qom-get", '{"path":"/machine","property":"type"}'],
    ['{"execute":"query-name"}', ""],
    ['{"execute":"nosuchcmd"}'],
    ["not json"],
    ["--return-value", '{"execute":"nosuch"}'],
    ["--hmp", "info", "status"],
    ["--hmp", "--pretty", "info"],
    ["query-name", "extra"],
]


def monitor_command(g):
    env = dict(os.environ, LC_ALL="C", LANG="C")
    for case in MONITOR_CASES:
        got = []
        for prog in ("virsh", os.environ["VKSH"]):
            p = subprocess.run([prog, "-c", g.uri, "qemu-monitor-command", g.name] + case,
                               capture_output=True, text=True, timeout=120, env=env)
            # QEMU's command ids differ from one call to the next
            got.append((p.returncode, re.sub(r'"id": ?"[^"]*"', '"id"', p.stdout),
                        p.stderr.splitlines()[:1]))
        assert got[0] == got[1], (case, got)
    # the command reaches QEMU: a stop pauses the guest
    vksh(g.uri, "qemu-monitor-command", g.name, "stop")
    assert qmp(g.uri, g.name, "query-status")["status"] == "paused"
    wait_for(lambda: virsh(g.uri, "domstate", "--reason", g.name).stdout.strip() ==
             "paused (user)", "the domain's paused state", 30)
    vksh(g.uri, "qemu-monitor-command", g.name, "--hmp", "cont")
    assert g.qemu_running()


class MonitorListeners:
    """python3-libvirt callbacks and virsh/vksh qemu-monitor-event on the
    running guest; registered, proven to listen (suspend/resume), then left
    for the guest's SHUTDOWN."""

    def __init__(self, g):
        self.g = g
        self.conn = libvirt.open(g.uri)
        dom = self.conn.lookupByName(g.name)
        self.got = []
        self.lock = threading.Lock()

        def cb(conn, d, event, seconds, micros, details, opaque):
            with self.lock:
                self.got.append((opaque, d.name(), event, seconds, micros, details))
        reg = libvirt_qemu.qemuMonitorEventRegister
        # the unfiltered one first: libvirt refuses one without a name
        # filter beside another of the same function and domain
        self.ids = [reg(self.conn, dom, None, cb, "all", 0),
                    reg(self.conn, None, "STOP", cb, "exact", 0),
                    reg(self.conn, None, "resume", cb, "nocase",
                        libvirt_qemu.VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE),
                    reg(self.conn, None, "resume", cb, "case", 0),
                    reg(self.conn, dom, "^(STOP|SHUT)", cb, "regex",
                        libvirt_qemu.VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX)]
        # libvirt 9.0's errors (libvirtd's, through python3-libvirt)
        assert py_error(lambda: reg(self.conn, dom, "(", cb, "x", 1))[:2] == \
            (libvirt.VIR_ERR_INVALID_ARG, 0)
        assert py_error(lambda: reg(self.conn, dom, "(", cb, "x", 1))[2].startswith(
            "invalid argument: failed to compile regex '(': ")
        assert py_error(lambda: reg(self.conn, dom, "STOP", cb, "x", 4)) == (
            libvirt.VIR_ERR_INVALID_ARG, 0,
            "unsupported flags (0x4) in function virDomainQemuMonitorEventStateRegisterID")
        assert py_error(lambda: reg(self.conn, dom, None, cb, "x", 0)) == (
            libvirt.VIR_ERR_INVALID_ARG, 0, "invalid argument: event callback already tracked")
        assert py_error(lambda: libvirt_qemu.qemuMonitorEventDeregister(self.conn, 999)) == (
            libvirt.VIR_ERR_INVALID_ARG, 0,
            "invalid argument: event callback id 999 not registered")
        ro = libvirt.openReadOnly(g.uri)
        assert py_error(lambda: reg(ro, None, "STOP", cb, "x", 0)) == (
            libvirt.VIR_ERR_OPERATION_DENIED, 0,
            "operation forbidden: read only access prevents "
            "virConnectDomainQemuMonitorEventRegister")
        ro.close()

        env = dict(os.environ, LC_ALL="C", LANG="C")
        args = ["qemu-monitor-event", "--domain", g.name, "--event", "stop|shut",
                "--regex", "--no-case", "--loop", "--pretty", "--timeout", "300"]
        self.procs = [subprocess.Popen([prog, "-c", g.uri] + args, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, env=env)
                      for prog in ("virsh", os.environ["VKSH"])]
        for p in self.procs:
            os.set_blocking(p.stdout.fileno(), False)
        self.out = ["", ""]
        # every listener hears a STOP: suspend/resume until they do
        t0 = time.monotonic()
        while True:
            virsh(g.uri, "suspend", g.name)
            virsh(g.uri, "resume", g.name)
            self.read()
            with self.lock:
                names = [(o, e) for o, _, e, _, _, _ in self.got]
            if ("exact", "STOP") in names and ("nocase", "RESUME") in names and \
                    all("event STOP at " in o for o in self.out):
                break
            assert time.monotonic() - t0 < 120, (names, self.out)
        self.read()
        self.out = ["", ""]
        # one more pair, counted exactly: by QEMU's timestamps, since the
        # warm-up's last events may still be on their way
        t_pair = time.time()
        virsh(g.uri, "suspend", g.name)
        virsh(g.uri, "resume", g.name)
        wait_for(lambda: self.count("all", t_pair) >= 2, "STOP and RESUME of the pair", 30)
        with self.lock:
            self.got[:] = [x for x in self.got if x[3] + x[4] / 1e6 >= t_pair]
            got = sorted((o, n, e) for o, n, e, _, _, _ in self.got)
            assert got == [("all", g.name, "RESUME"), ("all", g.name, "STOP"),
                           ("exact", g.name, "STOP"), ("nocase", g.name, "RESUME"),
                           ("regex", g.name, "STOP")], got
            assert all(det is None and sec > 1600000000 and 0 <= us < 1000000
                       for _, _, _, sec, us, det in self.got), self.got
            self.got.clear()

    def count(self, opaque, since=0):
        """The events of listener @opaque, those QEMU stamped at @since
        (seconds since the epoch) or later."""
        with self.lock:
            return len([x for x in self.got if x[0] == opaque and x[3] + x[4] / 1e6 >= since])

    def read(self):
        for i, p in enumerate(self.procs):
            try:
                data = p.stdout.read()
            except (BlockingIOError, TypeError):
                data = None
            if data:
                self.out[i] += data

    def check_shutdown(self):
        # QEMU says SHUTDOWN for the guest's power-off, and may again for
        # the daemon's SIGTERM that follows: python, virsh and vksh hear
        # the same ones (QEMU is gone, so they come to a stop)
        def shutdowns():
            self.read()
            with self.lock:
                py = [x for x in self.got if x[2] == "SHUTDOWN" and x[0] == "regex"]
            counts = [o.count("event SHUTDOWN at ") for o in self.out]
            return py if py and counts == [len(py), len(py)] else None
        py = wait_for(shutdowns, "the SHUTDOWN events of every listener", 60)
        with self.lock:
            every = [x for x in self.got if x[2] == "SHUTDOWN" and x[0] == "all"]
        assert [x[3:] for x in every] == [x[3:] for x in py], (every, py)
        assert json.loads(py[0][5]) == {"guest": True, "reason": "guest-shutdown"}, py
        for p in self.procs:
            p.send_signal(signal.SIGINT)
        for i, p in enumerate(self.procs):
            rest, err = p.communicate(timeout=60)
            self.out[i] += rest
            assert p.returncode == 0, (p.returncode, err)
        # the same lines but QEMU's timestamps (virsh and vksh heard the
        # same events from the moment both listened)
        norm = [re.sub(r" at \d+\.\d{6} ", " at T ", o) for o in self.out]
        tails = [o[o.index("event SHUTDOWN at "):o.index("event loop interrupted\n")]
                 for o in norm]
        assert tails[0] == tails[1], norm
        assert tails[0].startswith("event SHUTDOWN at T for domain 'jobs': {\n"), tails
        for o in norm:
            assert re.search(r"event loop interrupted\nevents received: \d+\n", o), o
        for i in self.ids:
            libvirt_qemu.qemuMonitorEventDeregister(self.conn, i)
        self.conn.close()


def held_jobs(d, g, dom):
    uri = g.uri
    held = os.path.join(d.root, "held")
    os.mkdir(held)

    # a save aborted by Debian's virsh
    target = os.path.join(held, "jobs.save")
    t, out, hold = held_job(g, lambda: dom.save(target), held, "jobs.save.vksave-*")
    aborted_by(hold, lambda: virsh(uri, "domjobabort", g.name))
    check_aborted(g, t, out, "domain save", target + "*")
    assert virsh(uri, "domstate", "--reason", g.name).stdout.strip() == \
        "running (save canceled)"

    # a managed save aborted by python3-libvirt: no image is kept
    saves = os.path.join(d.dirs["state"], "qemu", "save")
    os.makedirs(saves, mode=0o700, exist_ok=True)
    t, out, hold = held_job(g, lambda: dom.managedSave(0), saves, "jobs.save.vksave-*")
    aborted_by(hold, dom.abortJob)
    check_aborted(g, t, out, "domain save", os.path.join(saves, "jobs.save*"))
    assert dom.hasManagedSaveImage() == 0

    # a core dump aborted by vksh
    if os.environ.get("VKSH"):
        target = os.path.join(held, "jobs.core")
        t, out, hold = held_job(g, lambda: dom.coreDumpWithFormat(target, 0, 0), held,
                                "jobs.core.vkdump-*")
        aborted_by(hold, lambda: vksh(uri, "domjobabort", g.name))
        check_aborted(g, t, out, "domain core dump", target + "*")


def guest_cases(d, g):
    uri = g.uri
    py = libvirt.open(uri)
    dom = py.lookupByName(g.name)

    # shut off: libvirt's "domain is not running" (domain error domain)
    not_running = (libvirt.VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                   "Requested operation is not valid: domain is not running")
    assert py_error(dom.abortJob) == not_running
    assert py_error(dom.diskErrors) == not_running
    virsh(uri, "start", g.name)
    if g.mnt:
        disk_errors(g, dom)
    g.wait_ready()
    if not g.mnt:
        assert dom.diskErrors() == {}
        assert virsh(uri, "domblkerror", g.name).stdout.strip() == "No errors found"
    # no job runs
    assert py_error(dom.abortJob) == (
        libvirt.VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
        "Requested operation is not valid: no job is active on the domain")
    p = virsh(uri, "domjobabort", g.name, check=False)
    assert p.returncode == 1 and \
        "error: Requested operation is not valid: no job is active on the domain" in p.stderr, \
        p.stderr
    p = virsh(uri, "domjobabort", g.name, "--postcopy", check=False)
    assert p.returncode == 1 and "current job is not outgoing migration in post-copy mode" \
        in p.stderr, p.stderr
    assert py_error(lambda: dom.abortJobFlags(2)) == (
        libvirt.VIR_ERR_INVALID_ARG, VIR_FROM_QEMU,
        "unsupported flags (0x2) in function qemuDomainAbortJobFlags")
    p = virsh(uri, "domjobabort", g.name, readonly=True, check=False)
    assert p.returncode == 1 and \
        "operation forbidden: read only access prevents virDomainAbortJob" in p.stderr, p.stderr

    # each job held (WriteHold) and aborted; without a hold, not tried
    try:
        held_jobs(d, g, dom)
        no_hold = None
    except NoHold as e:
        no_hold = str(e)
    # vksh domblkthreshold: the threshold lands on the disk's node in QEMU
    if os.environ.get("VKSH"):
        vksh(uri, "domblkthreshold", g.name, "vda", "3M")
        nodes = qmp(uri, g.name, "query-named-block-nodes")
        got = {n["node-name"]: n.get("write_threshold") for n in nodes}
        assert 3 * 1024 * 1024 in got.values(), got
        p = vksh(uri, "domblkthreshold", g.name, "vdz", "1", check=False)
        assert p.returncode == 1 and "error: invalid argument: failed to find disk 'vdz'" \
            in p.stderr, p.stderr
        p = vksh(uri, "domblkthreshold", g.name, "vda", "1x", check=False)
        assert p.returncode == 1 and "unknown suffix 'x'" in p.stderr, p.stderr

    if os.environ.get("VKSH"):
        monitor_command(g)

    mon = MonitorListeners(g)

    # the guest still answers: its console prints on the power button
    virsh(uri, "shutdown", g.name)
    wait_guest(lambda: "GUEST-POWERBUTTON" in console_text(g.serial), "GUEST-POWERBUTTON", 60,
               uri, g.name, g.serial, d, cpu_budget=10)
    wait_for(lambda: virsh(uri, "domstate", g.name).stdout.strip() == "shut off",
             "the guest to power off", 60)
    mon.check_shutdown()
    py.close()
    d.stop()
    if no_hold:
        raise Skip("the aborts of held jobs were not tried: " + no_hold)


if __name__ == "__main__":
    run_tests([("abort_job_disk_errors_threshold", test_guest)])
