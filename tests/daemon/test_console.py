#!/usr/bin/env python3
"""Consoles through virtkitd (issue 9): Debian's virsh console and python3-libvirt's
openConsole + stream against a private daemon with the real test guest on a pty serial.

What is checked, each with the real clients:
- virsh console under a pty: the guest's boot reaches it (GUEST-READY), a line typed
  comes back (the guest's tty echoes it), Ctrl-] detaches and virsh exits 0;
- python3-libvirt: openConsole + blocking stream.recv reads GUEST-READY; a second
  console without FORCE fails with libvirt's error; with FORCE it takes over (the first
  stream ends with an error); the live XML shows the pty;
- a console that is never read costs bounded daemon memory (the guest is made to write
  megabytes through its echo), and the daemon still answers;
- a client killed mid-console leaves nothing behind (the next console opens without
  FORCE; the ASan daemon's leak check at exit, in build-asan);
- the test driver answers NO_SUPPORT, as libvirt's test driver does.
- a virtio console (console1, the events guest answering on its hvc0): its own pty in the
  live XML; python openConsole("console1") and virsh console --devname console1 carry a
  line to the guest and its answer back.
"""
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

from vkdtest import (Daemon, RawClient, Skip, run_tests, test_guest_dir, virsh, wait_for,
                     write, qemu_pids, parse_error, xdr_string, VIRSH, domstate)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)


def pty_xml(name, guest):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
  </devices>
</domain>
""" % (name, guest, guest)


_guest = None


def guest_or_skip():
    global _guest
    if _guest is None:
        _guest = test_guest_dir() or ""
    if not _guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    return _guest


def started_paused(name, mode="system"):
    """A daemon with guest @name defined and started paused (so that nothing
    it prints is lost before a console is attached)."""
    guest = guest_or_skip()
    d = Daemon(mode=mode).start()
    uri = d.uri("qemu") if mode == "system" else \
        "qemu+unix:///session?socket=%s" % d.sock
    virsh(uri, "define", write(os.path.join(d.root, name + ".xml"), pty_xml(name, guest)))
    virsh(uri, "start", "--paused", name)
    return d, uri


class PtyVirsh:
    """`virsh console` on a pseudo-terminal of its own; output collected."""

    def __init__(self, uri, *args, prog=None):
        env = dict(os.environ, LC_ALL="C", LANG="C", TERM="dumb")
        env.pop("LIBVIRT_DEFAULT_URI", None)
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([prog or VIRSH, "-c", uri, "console"] + list(args),
                                     stdin=slave, stdout=slave, stderr=slave,
                                     env=env, start_new_session=True)
        os.close(slave)
        self.buf = b""

    def pump(self, timeout=0.1):
        r, _, _ = select.select([self.master], [], [], timeout)
        if r:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            self.buf += chunk
        return self.buf

    def wait_output(self, needle, timeout=120):
        deadline = time.monotonic() + timeout
        while needle not in self.buf:
            if time.monotonic() > deadline:
                raise AssertionError("virsh console never showed %r; got %r"
                                     % (needle, self.buf[-2000:]))
            if self.proc.poll() is not None:
                self.pump(0)
                if needle in self.buf:
                    break
                raise AssertionError("virsh console exited %s before %r; got %r"
                                     % (self.proc.returncode, needle, self.buf[-2000:]))
            self.pump()
        return self.buf

    def send(self, data):
        os.write(self.master, data)

    def type_until_echo(self, word, timeout=60):
        """Type @word + CR until the guest's tty echoes it whole (a kernel
        message may land in the middle of one echo: type it again)."""
        deadline = time.monotonic() + timeout
        while word not in self.buf:
            if time.monotonic() > deadline:
                raise AssertionError("no echo of %r; got %r" % (word, self.buf[-2000:]))
            self.send(word + b"\r")
            step = time.monotonic() + 2
            while word not in self.buf and time.monotonic() < step:
                self.pump()

    def wait_raw(self, timeout=60):
        """Until virsh made its terminal raw (it prints its banner first):
        on Linux the master reports the pty's termios."""
        deadline = time.monotonic() + timeout
        while termios.tcgetattr(self.master)[3] & termios.ICANON:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError("virsh console never made its terminal raw; got %r"
                                     % self.buf[-2000:])
            self.pump(0.02)

    def wait_exit(self, timeout=30):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError("virsh console did not exit; got %r" % self.buf[-2000:])
            self.pump()
        self.pump(0)
        return self.proc.returncode

    def close(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


def test_virsh_console():
    d, uri = started_paused("c1")
    con = PtyVirsh(uri, "c1")
    try:
        con.wait_output(b"Escape character is ^]", 60)
        con.wait_raw()
        virsh(uri, "resume", "c1")
        con.wait_output(b"GUEST-READY\r\n", 120)
        # the guest's tty echoes a typed line (its init never reads)
        con.type_until_echo(b"vk-echo-probe")
        con.send(b"\x1d")                      # Ctrl-]
        rc = con.wait_exit()
        assert rc == 0, "virsh console exited %d: %r" % (rc, con.buf[-500:])
        assert domstate(uri, "c1").startswith("running")
        # the console is free again: a second virsh console gets it
        con2 = PtyVirsh(uri, "c1")
        try:
            con2.wait_output(b"Escape character is ^]", 60)
            con2.wait_raw()
            con2.type_until_echo(b"vk-second")
            con2.send(b"\x1d")
            assert con2.wait_exit() == 0
        finally:
            con2.close()
        xml = virsh(uri, "dumpxml", "c1").stdout
        assert "<source path='/dev/pts/" in xml, xml
        killed_client_then_guest_stops(uri, "c1")
    finally:
        con.close()
        virsh(uri, "destroy", "c1", check=False)
    assert d.stop() == 0
    assert qemu_pids(d.root) == []


def killed_client_then_guest_stops(uri, name):
    """On the running guest @name (a boot is ~2 CPU s under TCG, so this
    goes on test_virsh_console's guest): a client killed mid-console releases
    it (the next one gets it); the stream ends (EOF) when the guest stops,
    and virsh console exits 0."""
    con = PtyVirsh(uri, name)
    try:
        con.wait_output(b"Escape character is ^]", 60)
        con.wait_raw()
        con.type_until_echo(b"vk-before-kill")
    finally:
        con.close()                 # SIGKILL mid-console
    # the stream was closed with its client: the console is free again
    libvirt, conn = open_python(uri)
    try:
        def free():
            st = conn.newStream(0)
            try:
                conn.lookupByName(name).openConsole(None, st, 0)
            except libvirt.libvirtError as e:
                if "Active console session" in str(e):
                    return False
                raise
            st.abort()
            return True
        wait_for(free, "the killed client's console to be released", 30)
    finally:
        conn.close()
    # the guest stops under an attached console: its stream ends, virsh exits 0
    con = PtyVirsh(uri, name)
    try:
        con.wait_output(b"Escape character is ^]", 60)
        con.wait_raw()
        con.type_until_echo(b"vk-before-stop")
        virsh(uri, "destroy", name)
        rc = con.wait_exit(60)
        assert rc == 0, "virsh console exited %d: %r" % (rc, con.buf[-500:])
    finally:
        con.close()


def test_session_console():
    """The same through a session-mode daemon (qemu+unix:///session)."""
    d, uri = started_paused("s1", mode="session")
    con = PtyVirsh(uri, "s1")
    try:
        con.wait_output(b"Escape character is ^]", 60)
        con.wait_raw()
        virsh(uri, "resume", "s1")
        con.wait_output(b"GUEST-READY", 120)
        con.send(b"\x1d")
        assert con.wait_exit() == 0
    finally:
        con.close()
        virsh(uri, "destroy", "s1", check=False)


def test_libvirtkit_console():
    """libvirtkit's remote driver as the client (tests/daemon/console-client.c):
    a non-blocking stream with an event callback reads GUEST-READY, then a
    blocking one on the released console gets a typed line echoed."""
    client = os.environ.get("VK_CONSOLE_CLIENT")
    if not client:
        raise Skip("VK_CONSOLE_CLIENT not set (meson sets it)")
    d, uri = started_paused("k1")
    p = subprocess.Popen([client, uri, "k1"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    lines = []
    t = threading.Thread(target=lambda: lines.extend(p.stdout), daemon=True)
    t.start()
    try:
        def attached():
            if p.poll() is not None and not any("attached" in l for l in lines):
                t.join(5)
                raise AssertionError("console-client exited: %s" % "".join(lines))
            return any("attached" in l for l in lines)
        wait_for(attached, "console-client to attach", 60)
        virsh(uri, "resume", "k1")
        rc = p.wait(150)
        t.join(10)
        out = "".join(lines)
        assert rc == 0 and "console-client: ok" in out, (rc, out)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        virsh(uri, "destroy", "k1", check=False)


def open_python(uri):
    import libvirt
    return libvirt, libvirt.open(uri)


def recv_until(st, needle, timeout=120):
    """Blocking stream.recv (in a thread, so a deadline holds) until @needle."""
    got = bytearray()
    done = threading.Event()
    err = []

    def reader():
        try:
            while needle not in got:
                b = st.recv(4096)
                if isinstance(b, int) or not b:
                    err.append("recv returned %r" % (b,))
                    break
                got.extend(b)
        except Exception as e:      # noqa: BLE001 (reported below)
            err.append(repr(e))
        done.set()
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    if not done.wait(timeout):
        raise AssertionError("stream never carried %r; got %r" % (needle, bytes(got[-2000:])))
    if err:
        raise AssertionError("stream failed before %r: %s; got %r"
                             % (needle, err[0], bytes(got[-2000:])))
    return bytes(got)


def test_python_console_force():
    d, uri = started_paused("c2")
    libvirt, conn = open_python(uri)
    try:
        dom = conn.lookupByName("c2")
        st = conn.newStream(0)
        dom.openConsole(None, st, 0)
        virsh(uri, "resume", "c2")
        recv_until(st, b"GUEST-READY")

        # a second console without FORCE: libvirt's error
        conn2 = libvirt.open(uri)
        st2 = conn2.newStream(0)
        try:
            conn2.lookupByName("c2").openConsole(None, st2, 0)
            raise AssertionError("a second console without FORCE was allowed")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_OPERATION_FAILED, e
            assert "Active console session exists for this domain" in str(e), str(e)
        # unknown device, bad flags: libvirt's errors, nothing changes
        st3 = conn2.newStream(0)
        try:
            conn2.lookupByName("c2").openConsole("serial7", st3, 0)
            raise AssertionError("an unknown console device was accepted")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_INTERNAL_ERROR, e
            assert "cannot find character device serial7" in str(e), str(e)
        try:
            conn2.lookupByName("c2").openConsole(None, st3, 1 << 7)
            raise AssertionError("an unknown flag was accepted")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_INVALID_ARG, e

        # FORCE takes it over: the new stream carries the echo, the old one ends
        st2 = conn2.newStream(0)
        conn2.lookupByName("c2").openConsole("serial0", st2,
                                             libvirt.VIR_DOMAIN_CONSOLE_FORCE)
        try:
            while True:
                b = st.recv(4096)
                if isinstance(b, int) or not b:
                    break
            raise AssertionError("the taken-over stream ended without an error")
        except libvirt.libvirtError:
            pass
        deadline = time.monotonic() + 60
        got = b""
        while b"vk-forced" not in got:
            assert time.monotonic() < deadline, "no echo on the forced console: %r" % got
            st2.send(b"vk-forced\r")
            got += recv_until(st2, b"\n", 30)
        st2.abort()
        conn2.close()
    finally:
        conn.close()
        virsh(uri, "destroy", "c2", check=False)


FLOOD_CMDLINE = ("console=ttyS0 no_timer_check cryptomgr.notests nohz=off tp_printk trace_event="
                 "timer:hrtimer_expire_entry,timer:hrtimer_expire_exit,timer:hrtimer_start")


def raw_open_console(d, name):
    """A raw client of @d with @name's console open (CONNECT_OPEN,
    DOMAIN_LOOKUP_BY_NAME, DOMAIN_OPEN_CONSOLE); returns (client, serial)."""
    c = RawClient(d.sock)
    r = c.call(1, xdr_opt_string("qemu:///system") + struct.pack(">I", 0))
    assert r and r[0][5] == 0, r
    r = c.call(23, xdr_string(name))
    assert r and r[0][5] == 0, r
    dom = r[1]                              # remote_nonnull_domain, as sent
    serial = c.serial
    r = c.call(201, dom + struct.pack(">I", 0) + struct.pack(">I", 0))
    assert r and r[0][5] == 0, (r, r and parse_error(r[1]))
    return c, serial


def xdr_opt_string(s):
    return struct.pack(">I", 1) + xdr_string(s)


def test_unread_console_bounded():
    """A client that opens the console and never reads: the daemon stops
    reading the pty once 256 KiB of its frames are unsent (its debug log
    says so), its memory stays bounded while the guest keeps trying to
    write (a kernel tracing to its console, ~75 KB/s), other clients are
    answered; once the client reads, the output resumes."""
    guest = guest_or_skip()
    d = Daemon(extra=["--verbose"]).start()
    uri = d.uri("qemu")
    virsh(uri, "define", write(os.path.join(d.root, "c3.xml"),
                               pty_xml("c3", guest).replace("console=ttyS0 no_timer_check cryptomgr.notests", FLOOD_CMDLINE)))
    virsh(uri, "start", "--paused", "c3")
    try:
        c, serial = raw_open_console(d, "c3")
        rss0 = d.rss_kib()
        virsh(uri, "resume", "c3")
        wait_for(lambda: "stream %d: " % serial in d.log() and "source paused" in d.log(),
                 "the daemon to stop reading the console's pty", 180)
        rss1 = d.rss_kib()
        # Flat while the guest keeps trying to write for 5 s more (~375 KB
        # at its pace): nothing is read from the pty, nothing queued. In an
        # ASan build RSS also holds the allocator's quarantine of what was
        # freed before the pause, so the total is checked without ASan only.
        t_end = time.monotonic() + 5
        while time.monotonic() < t_end:
            assert d.rss_kib() - rss1 < 1024, \
                "daemon grew from %d to %d KiB after pausing" % (rss1, d.rss_kib())
            time.sleep(0.2)
        rss2 = d.rss_kib()
        if os.environ.get("VKD_SANITIZED") != "1":
            assert rss2 - rss0 < 8 * 1024, "daemon grew from %d to %d KiB" % (rss0, rss2)
        assert domstate(uri, "c3").startswith("running")
        # read now: data keeps coming, well past what was buffered (at most
        # 256 KiB of frames plus the pty's and QEMU's own small buffers:
        # three times that proves the flow resumed, in ~6 s at the guest's
        # pace; 2 MiB took ~28 s of make check, twice)
        got = 0
        deadline = time.monotonic() + 180
        c.s.settimeout(30)
        while got < 768 * 1024:
            assert time.monotonic() < deadline, "stream stalled after %d bytes" % got
            r = c.recv_frame()
            assert r is not None, "connection closed after %d bytes" % got
            (prog, vers, proc, mtype, ser, status), payload = r
            if mtype == 3 and ser == serial:
                assert status == 2, (status, payload[:200])
                got += len(payload)
        assert "output drained, source resumed" in d.log()
        print("# unread console: RSS %d KiB before, %d at pause, %d 5 s later; "
              "then %d bytes read" % (rss0, rss1, rss2, got))
        c.close()
    finally:
        virsh(uri, "destroy", "c3", check=False)


def test_vksh_console():
    """vksh console (libvirtkit's remote driver) under a pty, as virsh: the
    banner, the raw terminal, the guest's boot, a typed line echoed, Ctrl-]
    exits 0 and frees the console; the guest stopping ends it with 0."""
    vksh = os.environ.get("VKSH")
    if not vksh:
        raise Skip("VKSH not set (vksh not built)")
    d, uri = started_paused("v1")
    con = PtyVirsh(uri, "v1", prog=vksh)
    try:
        out = con.wait_output(b"Escape character is ^] (Ctrl + ])", 60)
        assert b"Connected to domain 'v1'" in out, out
        con.wait_raw()
        virsh(uri, "resume", "v1")
        con.wait_output(b"GUEST-READY\r\n", 120)
        con.type_until_echo(b"vk-vksh-probe")
        con.send(b"\x1d")                      # Ctrl-]
        rc = con.wait_exit()
        assert rc == 0, "vksh console exited %d: %r" % (rc, con.buf[-500:])
        # the terminal is given back as it was (not raw any more)
        assert termios.tcgetattr(con.master)[3] & termios.ICANON
        # the console is free again; the guest stopping ends the session
        con2 = PtyVirsh(uri, "v1", prog=vksh)
        try:
            con2.wait_output(b"Escape character is ^]", 60)
            con2.wait_raw()
            con2.type_until_echo(b"vk-vksh-second")
            virsh(uri, "destroy", "v1")
            rc = con2.wait_exit(60)
            assert rc == 0, "vksh console exited %d: %r" % (rc, con2.buf[-500:])
        finally:
            con2.close()
    finally:
        con.close()
        virsh(uri, "destroy", "v1", check=False)


def virtio_console_xml(name, guest):
    """The events guest with a pty serial and a pty virtio console
    (console1), answering lines on its hvc0 (virtkit.hvc=1)."""
    return pty_xml(name, guest).replace(
        "cryptomgr.notests", "cryptomgr.notests virtkit.hvc=1").replace(
        "</devices>", "  <console type='pty'><target type='virtio'/></console>\n  </devices>")


def test_virtio_console():
    guest = test_guest_dir("events")
    if not guest:
        raise Skip("events test guest not available (scripts/build-test-guest.sh)")
    import xml.etree.ElementTree as ET
    d = Daemon().start()
    uri = d.uri("qemu")
    virsh(uri, "define", write(os.path.join(d.root, "vc.xml"), virtio_console_xml("vc", guest)))
    virsh(uri, "start", "vc")
    libvirt, conn = open_python(uri)
    try:
        # the live XML: the virtio console has a pty of its own
        devs = ET.fromstring(virsh(uri, "dumpxml", "vc").stdout).find("devices")
        cons = devs.findall("console")
        assert len(cons) == 2, [ET.tostring(c) for c in cons]
        assert cons[1].find("target").get("type") == "virtio", ET.tostring(cons[1])
        vpath = cons[1].find("source").get("path")
        spath = devs.find("serial").find("source").get("path")
        assert vpath.startswith("/dev/pts/") and vpath != spath, (vpath, spath)
        assert os.path.exists(vpath), vpath

        # python3-libvirt: console1's stream reaches the guest's hvc0, both ways
        dom = conn.lookupByName("vc")
        st = conn.newStream(0)
        dom.openConsole("console1", st, 0)
        needle = b"GUEST-HVC-GOT vk-hvc-py"
        got = bytearray()
        done = threading.Event()

        def reader():
            try:
                while needle not in got:
                    b = st.recv(4096)
                    if isinstance(b, int) or not b:
                        break
                    got.extend(b)
            finally:
                done.set()
        threading.Thread(target=reader, daemon=True).start()
        deadline = time.monotonic() + 150
        while not done.is_set():
            assert time.monotonic() < deadline, "no answer on hvc0: %r" % bytes(got[-2000:])
            st.send(b"vk-hvc-py\r")      # until the guest's reader is up
            done.wait(2)
        assert needle in got, "console1's stream ended: %r" % bytes(got[-2000:])
        st.finish()

        # Debian's virsh console --devname console1: the same, then Ctrl-]
        con = PtyVirsh(uri, "--devname", "console1", "vc")
        try:
            con.wait_output(b"Escape character is ^]", 60)
            con.wait_raw()
            deadline = time.monotonic() + 60
            while b"GUEST-HVC-GOT vk-hvc-virsh" not in con.buf:
                assert time.monotonic() < deadline, con.buf[-2000:]
                con.send(b"vk-hvc-virsh\r")
                step = time.monotonic() + 2
                while b"GUEST-HVC-GOT vk-hvc-virsh" not in con.buf and \
                        time.monotonic() < step:
                    con.pump()
            con.send(b"\x1d")
            assert con.wait_exit() == 0, con.buf[-500:]
        finally:
            con.close()
    finally:
        conn.close()
        virsh(uri, "destroy", "vc", check=False)
    assert d.stop() == 0
    assert qemu_pids(d.root) == []


def test_test_driver_no_support():
    import libvirt
    d = Daemon().start()
    conn = libvirt.open(d.uri("test"))
    try:
        st = conn.newStream(0)
        try:
            conn.lookupByName("test").openConsole(None, st, 0)
            raise AssertionError("the test driver opened a console")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT, e
            assert "virDomainOpenConsole" in str(e), str(e)
    finally:
        conn.close()


if __name__ == "__main__":
    run_tests([
        ("test driver: NO_SUPPORT as libvirt", test_test_driver_no_support),
        ("virsh console: boot output, echo, Ctrl-] exits 0, reattach; a client killed "
         "mid-console releases it; the guest stopping ends the stream", test_virsh_console),
        ("virsh console through a session-mode daemon", test_session_console),
        ("libvirtkit's remote driver: event-driven and blocking console streams",
         test_libvirtkit_console),
        ("python openConsole: recv, second refused, FORCE takes over", test_python_console_force),
        ("a console never read: daemon memory bounded", test_unread_console_bounded),
        ("vksh console: boot output, echo, Ctrl-] exits 0, guest stop ends it",
         test_vksh_console),
        ("virtio console: its own pty in the live XML; python openConsole('console1') and "
         "virsh console --devname console1 reach the guest's hvc0 both ways",
         test_virtio_console),
    ])
