#!/usr/bin/env python3
"""vkDomainStop through virtkitd, over virtkit's own RPC program: vksh stop (progress
lines, report), the python module (python/virtkit.py, ctypes over libvirtkit), an
error that carries its report across the wire, the read-only rule, and libvirt's own
clients (virsh) unaffected beside it."""
import glob
import os
import re
import signal
import struct
import subprocess
import sys
import time

from vkdtest import (Daemon, RawClient, Skip, booting_xml, diskless_xml, domstate,
                     kill_pid, make_tmpdir, parse_error, pid_alive, qemu_pids, run_tests,
                     test_guest_dir, virsh, wait_for, write, xdr_string)

VKSH = os.environ.get("VKSH")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
VIRTKIT_PROGRAM = 0x766b6974
OPEN = 1


def vksh(uri, *args, check=True):
    if not VKSH:
        raise Skip("vksh not built")
    p = subprocess.run([VKSH, "-c", uri] + list(args), capture_output=True, text=True,
                       timeout=300)
    if check and p.returncode != 0:
        raise AssertionError("vksh %s: %d\n%s%s" % (args, p.returncode, p.stdout, p.stderr))
    return p


def virtkit_module():
    lib = os.environ.get("VIRTKIT_LIB")
    if not lib or not os.path.exists(lib):
        raise Skip("libvirtkit.so not found (VIRTKIT_LIB)")
    if os.environ.get("VKD_SANITIZED") == "1":
        # an ASan libvirtkit cannot be loaded into an uninstrumented python
        raise Skip("python module: not with the ASan build's libvirtkit")
    import virtkit
    return virtkit


def test_vksh_stop_acpi_guest():
    """A guest that honours ACPI: ended at the ACPI step, well inside the
    deadline, a progress line per press, flushed; libvirt's virsh sees it
    shut off (shutdown)."""
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri("qemu")
    serial = os.path.join(d.root, "s1.serial")
    virsh(uri, "define", write(os.path.join(d.root, "s1.xml"),
                               booting_xml("s1", guest, serial)))
    virsh(uri, "start", "s1")
    wait_for(lambda: os.path.exists(serial) and "GUEST-READY" in open(serial).read(),
             "the guest to boot", 120)
    p = vksh(uri, "stop", "s1", "--timeout", "60")
    print("# " + p.stdout.replace("\n", "\n# "))
    assert re.search(r"\] s1: acpi: ACPI power button pressed \(1\)", p.stdout), p.stdout
    m = re.search(r"Domain 's1' stopped by acpi in ([0-9.]+)s \(deadline 60s\), "
                  r"flushed: yes", p.stdout)
    assert m, p.stdout
    assert float(m.group(1)) < 30, m.group(1)
    assert re.search(r"agent +skipped +0\.00s +no guest agent channel", p.stdout), p.stdout
    assert domstate(uri, "s1") == "shut off (shutdown)"
    assert qemu_pids(d.root) == []


def test_python_module_clean_exit_and_hung():
    """python's virtkit module: a guest without <acpi/> skips the press and ends at
    the clean exit, flushed; a SIGSTOPped QEMU without SIGKILL allowed raises
    OPERATION_TIMEOUT with the report attached, and keeps running."""
    vk = virtkit_module()
    d = Daemon().start()
    uri = d.uri("qemu")
    virsh(uri, "define", write(os.path.join(d.root, "p1.xml"), diskless_xml("p1")))
    virsh(uri, "start", "p1")
    conn = vk.open(uri)
    try:
        seen = []
        rep = conn.lookup("p1").stop(timeout=20, progress=lambda *a: seen.append(a))
        assert rep.ended_by == "clean-exit", rep
        assert rep.flushed is True, rep
        assert rep.deadline_ms == 20000, rep
        assert rep.steps["acpi"].outcome == "skipped", rep
        assert "no <acpi/>" in rep.steps["acpi"].reason, rep
        assert rep.steps["acpi"].elapsed_ms == 0, rep
        assert rep.steps["kill"].outcome == "not reached", rep
        assert [s[0] for s in seen] == ["agent", "clean-exit"], seen
        assert domstate(uri, "p1") == "shut off (destroyed)"

        virsh(uri, "define", write(os.path.join(d.root, "p2.xml"), diskless_xml("p2")))
        virsh(uri, "start", "p2")
        pids = qemu_pids(d.root)
        assert len(pids) == 1, pids
        os.kill(pids[0], signal.SIGSTOP)
        wait_for(lambda: open("/proc/%d/stat" % pids[0]).read().split(") ")[1][0] == "T",
                 "QEMU to stop")
        try:
            conn.lookup("p2").stop(timeout=3)
            raise AssertionError("stop of a hung QEMU without SIGKILL succeeded")
        except vk.Error as e:
            assert e.code == 68 and e.domain == 10, (e.code, e.domain, e.message)
            assert "SIGKILL not allowed by the policy" in e.message, e.message
            assert e.report is not None
            assert e.report.ended_by == "none", e.report
            assert "withheld" in e.report.steps["clean-exit"].reason, e.report
            assert e.report.steps["kill"].outcome == "skipped", e.report
        st = domstate(uri, "p2")
        assert st.startswith("running"), st
        os.kill(pids[0], signal.SIGCONT)
        # no signal was left pending: it still runs once continued
        virsh(uri, "suspend", "p2")
        virsh(uri, "resume", "p2")
        st = domstate(uri, "p2")
        assert st.startswith("running"), st
        rep = conn.lookup("p2").stop(timeout=20, kill=True)
        assert rep.ended_by == "clean-exit" and rep.flushed is True, rep
    finally:
        conn.close()


def events_guest_dir():
    """The events variant of the test guest (virtio_console, the minimal agent)."""
    return test_guest_dir("events")


def test_agent_step():
    """The guest agent step for real: a guest running the test guest's minimal
    agent (no <acpi/>, so nothing else could end it gently) is ended by its
    agent's guest-shutdown, flushed; a guest with the agent channel but no
    agent (a firmware guest: the port is never opened) skips the step, the
    report says why, and the next step ends it. One guest boots."""
    guest = events_guest_dir()
    if not guest:
        raise Skip("events test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri("qemu")
    chan = ("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>"
            "</channel>")
    serial = {"ag": os.path.join(d.root, "ag.serial")}
    xml_ag = booting_xml("ag", guest, serial["ag"]).replace(
        "console=ttyS0 no_timer_check cryptomgr.notests quiet", "console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.agentd=1").replace(
        "<features><acpi/></features>", "").replace("</devices>", chan + "</devices>")
    xml_na = diskless_xml("na").replace("</devices>", chan + "</devices>")
    assert "virtkit.agentd=1" in xml_ag and "<acpi/>" not in xml_ag
    for n, x in (("ag", xml_ag), ("na", xml_na)):
        virsh(uri, "define", write(os.path.join(d.root, n + ".xml"), x))
        virsh(uri, "start", n)
    wait_for(lambda: "GUEST-AGENTD-READY" in open(serial["ag"]).read(), "the agent", 180)

    p = vksh(uri, "stop", "ag", "--timeout", "60")
    print("# " + p.stdout.replace("\n", "\n# "))
    assert re.search(r"\] ag: agent: guest agent: guest-shutdown sent", p.stdout), p.stdout
    assert re.search(r"Domain 'ag' stopped by agent in [0-9.]+s \(deadline 60s\), "
                     r"flushed: yes", p.stdout), p.stdout
    assert re.search(r"acpi +not reached", p.stdout), p.stdout
    assert "GUEST-AGENT-SHUTDOWN" in open(serial["ag"]).read()
    assert domstate(uri, "ag") == "shut off (shutdown)"

    p = vksh(uri, "stop", "na", "--timeout", "60")
    print("# " + p.stdout.replace("\n", "\n# "))
    m = re.search(r"agent +skipped +([0-9.]+)s +no guest agent: the guest has not opened "
                  r"its port", p.stdout)
    assert m, p.stdout
    # an absent agent costs one monitor round trip, not libvirt's 60 s
    assert float(m.group(1)) < 0.1, p.stdout
    assert re.search(r"Domain 'na' stopped by clean-exit in [0-9.]+s", p.stdout), p.stdout
    assert qemu_pids(d.root) == []


FREEZER = "/sys/fs/cgroup/freezer"


def test_unkillable_qemu():
    """Fault injection: the guest's QEMU frozen in a cgroup v1 freezer (the
    kernel then keeps it in state D, SIGKILL pending) is unkillable. destroy
    fails after its SIGKILL wait with an error naming the pid and the D state;
    the domain is stuck (still running, domcontrol: error internal), a second
    destroy and vkDomainStop fail at once with the same error; once thawed
    the process dies of the SIGKILL sent again meanwhile and the domain is
    cleaned up: shut off (destroyed), its QEMU gone."""
    if not os.path.isdir(FREEZER) or not os.access(FREEZER, os.W_OK):
        raise Skip("no writable cgroup v1 freezer (%s)" % FREEZER)
    import libvirt
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    d = Daemon().start()
    uri = d.uri("qemu")
    xml = diskless_xml("uk").replace(
        "<memory", "<metadata><virtkit:lifecycle xmlns:virtkit='http://virtkit.invalid/"
        "xmlns/lifecycle/1' destroy-grace-period='0'/></metadata>\n  <memory", 1)
    virsh(uri, "define", write(os.path.join(d.root, "uk.xml"), xml))
    virsh(uri, "start", "uk")
    pids = qemu_pids(d.root)
    assert len(pids) == 1, pids
    pid = pids[0]
    cg = os.path.join(FREEZER, "vkd-stuck-%d" % pid)
    os.mkdir(cg)
    try:
        with open(os.path.join(cg, "cgroup.procs"), "w") as f:
            f.write("%d\n" % pid)
        with open(os.path.join(cg, "freezer.state"), "w") as f:
            f.write("FROZEN\n")
        wait_for(lambda: open(os.path.join(cg, "freezer.state")).read().strip() == "FROZEN",
                 "the freezer to freeze QEMU")

        p = virsh(uri, "destroy", "uk", check=False)
        assert p.returncode == 1, (p.stdout, p.stderr)
        print("# " + p.stderr.strip().replace("\n", "\n# "))
        assert re.search(r"error: Failed to terminate process %d with SIGKILL: the process "
                         r"of domain 'uk' is stuck in the kernel \(state D, waiting in "
                         r"\S+\) for \d+ s" % pid, p.stderr), p.stderr
        assert domstate(uri, "uk").startswith("running"), domstate(uri, "uk")
        assert pid_alive(pid)
        conn = libvirt.open(uri)
        try:
            dom = conn.lookupByName("uk")
            info = dom.controlInfo()
            assert info[:2] == [libvirt.VIR_DOMAIN_CONTROL_ERROR,
                                libvirt.VIR_DOMAIN_CONTROL_ERROR_REASON_INTERNAL], info
            t0 = time.monotonic()
            try:
                dom.destroy()
                raise AssertionError("destroy of a stuck QEMU succeeded")
            except libvirt.libvirtError as e:
                assert e.get_error_code() == libvirt.VIR_ERR_SYSTEM_ERROR, e
                assert "is stuck in the kernel" in str(e), e
            assert time.monotonic() - t0 < 3, "the second destroy waited again"
        finally:
            conn.close()
        p = vksh(uri, "stop", "uk", "--timeout", "30", "--kill", check=False)
        assert p.returncode == 1 and "is stuck in the kernel" in p.stderr, p.stderr
        assert "did not exit after SIGKILL" in d.log() and str(pid) in d.log()

        with open(os.path.join(cg, "freezer.state"), "w") as f:
            f.write("THAWED\n")
        wait_for(lambda: not pid_alive(pid), "the thawed QEMU to die", 30)
        wait_for(lambda: domstate(uri, "uk") == "shut off (destroyed)",
                 "the domain to be cleaned up", 30)
        assert qemu_pids(d.root) == []
        assert not glob.glob(os.path.join(d.dirs["state"], "qemu", "uk.xml")) and \
            not glob.glob(os.path.join(d.dirs["run"], "qemu", "uk.xml"))
    finally:
        try:
            with open(os.path.join(cg, "freezer.state"), "w") as f:
                f.write("THAWED\n")
        except OSError:
            pass
        kill_pid(pid)
        wait_for(lambda: not pid_alive(pid), "QEMU to go", 30)
        os.rmdir(cg)


def test_read_only_refused():
    """Read-only: refused by the library, and by the daemon for a raw call on
    the read-only socket; nothing changes."""
    vk = virtkit_module()
    d = Daemon().start()
    uri = d.uri("test")
    ro = vk.open(uri, readonly=True)
    try:
        ro.lookup("test").stop(timeout=1)
        raise AssertionError("read-only stop succeeded")
    except vk.Error as e:
        assert e.code == 29, (e.code, e.message)
    finally:
        ro.close()
    c = RawClient(d.sock_ro)
    (hdr, pl) = c.call(OPEN, struct.pack(">I", 1) + xdr_string("test:///default") +
                       struct.pack(">I", 0))
    assert hdr[5] == 0, parse_error(pl)
    dom = xdr_string("test") + bytes(16) + struct.pack(">i", 1)
    (hdr, pl) = c.call(1, dom + struct.pack(">III", 1000, 0, 0), prog=VIRTKIT_PROGRAM)
    assert hdr[5] == 1
    code, _, msg = parse_error(pl)
    assert code == 29 and "vkDomainStopWithProgress" in msg, (code, msg)
    c.close()
    assert domstate(uri, "test").startswith("running")


def test_test_driver_over_the_wire():
    """The test driver's ladder through the daemon: vksh's report, and the
    timeout error with its report."""
    d = Daemon().start()
    uri = d.uri("test")
    p = vksh(uri, "stop", "test", "--no-acpi", "--no-clean-exit", check=False)
    assert p.returncode == 1, p
    assert "SIGKILL not allowed by the policy" in p.stderr, p.stderr
    assert re.search(r"kill +skipped", p.stdout), p.stdout
    p = vksh(uri, "stop", "test", "--timeout", "5")
    assert "Domain 'test' stopped by clean-exit" in p.stdout, p.stdout


LIBVIRT_DIRS = ("/etc/libvirt", "/var/lib/libvirt", "/run/libvirt", "/var/log/libvirt",
                "/var/cache/libvirt")


class Libvirtd:
    """Debian's libvirtd 9.0 isolated as scripts/bench.sh runs it: in a mount
    namespace of its own (unshare -m) where temporary folders are bound over
    its directories (and copies of /etc/passwd and /etc/group that know the
    libvirt-qemu user its QEMU driver wants); stopped by its recorded pid."""

    def __init__(self):
        if os.geteuid() != 0 or not os.access("/usr/sbin/libvirtd", os.X_OK):
            raise Skip("needs root and Debian's libvirtd")
        if not all(os.path.isdir(d) for d in LIBVIRT_DIRS):
            raise Skip("libvirt's directories are not there to bind over")
        self.root = make_tmpdir()
        sub = {d: os.path.join(self.root, d.strip("/").replace("/", "_")) for d in LIBVIRT_DIRS}
        for d in sub.values():
            os.mkdir(d)
        write(os.path.join(sub["/etc/libvirt"], "libvirtd.conf"), "")
        write(os.path.join(sub["/etc/libvirt"], "qemu.conf"), 'user = "root"\ngroup = "root"\n')
        passwd, group = os.path.join(self.root, "passwd"), os.path.join(self.root, "group")
        with open("/etc/passwd") as f:
            pw = f.read()
        with open("/etc/group") as f:
            gr = f.read()
        if "\nlibvirt-qemu:" not in "\n" + pw:
            pw += "libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin\n"
        if "\nlibvirt-qemu:" not in "\n" + gr:
            gr += "libvirt-qemu:x:64055:\n"
        write(passwd, pw)
        write(group, gr)
        self.pidfile = os.path.join(self.root, "libvirtd.pid")
        binds = "".join("mount --bind %s %s\n" % (sub[d], d) for d in LIBVIRT_DIRS)
        wrap = write(os.path.join(self.root, "wrap.sh"),
                     "set -e\nmount --make-rprivate /\n%smount --bind %s /etc/passwd\n"
                     "mount --bind %s /etc/group\nexec /usr/sbin/libvirtd -p %s\n"
                     % (binds, passwd, group, self.pidfile))
        self.log = open(os.path.join(self.root, "libvirtd.log"), "wb")
        self.wrap = subprocess.Popen(["unshare", "-m", "sh", wrap], stdout=self.log,
                                     stderr=self.log, stdin=subprocess.DEVNULL)
        self.sock = os.path.join(sub["/run/libvirt"], "libvirt-sock")
        try:
            wait_for(lambda: os.path.exists(self.sock) and os.path.exists(self.pidfile) and
                     self.wrap.poll() is None, "libvirtd's socket", 60)
        except AssertionError:
            self.stop()
            raise

    def uri(self, driver):
        return "%s+unix:///%s?socket=%s" % (driver, "default" if driver == "test" else "system",
                                            self.sock)

    def stop(self):
        """SIGTERM to the recorded pid (the wrapper's exec is libvirtd itself)."""
        if self.wrap.poll() is None:
            self.wrap.send_signal(signal.SIGTERM)
            try:
                self.wrap.wait(60)
            except subprocess.TimeoutExpired:
                kill_pid(self.wrap.pid)
                self.wrap.wait()
        self.log.close()


def test_libvirtd_answers_no_support():
    """libvirtkit against Debian's libvirtd, which has no virtkit program: every
    call of virtkit's API answers NO_SUPPORT (code 3) naming the API, nothing
    happens to the guest, and libvirt's own calls go on working on the same
    connection."""
    lv = Libvirtd()
    try:
        uri = lv.uri("test")
        p = vksh(uri, "stop", "test", "--timeout", "5", "--kill", check=False)
        assert p.returncode == 1, (p.stdout, p.stderr)
        assert "this function is not supported by the connection driver: " \
            "vkDomainStopWithProgress" in p.stderr, p.stderr
        p = vksh(uri, "event-journal", "--since", "0", check=False)
        assert p.returncode == 1, (p.stdout, p.stderr)
        assert "this function is not supported by the connection driver: " \
            "vkConnectEventSubscribe" in p.stderr, p.stderr
        p = vksh(uri, "domstate", "test")
        assert p.stdout.strip() == "running", p.stdout
        # the same connection still answers libvirt's calls after the refusal
        p = vksh(uri, "stop test --timeout 1; domstate test", check=False)
        assert "vkDomainStopWithProgress" in p.stderr and p.stdout.strip() == "running", \
            (p.stdout, p.stderr)
    finally:
        lv.stop()


# The cases of python's virtkit module run in daemon-vkpython (test_vkpython.py)
# against the plain daemon: make check runs this suite against the ASan daemon
# only, where python cannot load the ASan build's libvirtkit.
PYTHON_CASES = ("test_python_module_clean_exit_and_hung", "test_read_only_refused")

if __name__ == "__main__":
    run_tests([(n, f) for n, f in sorted(globals().items())
               if n.startswith("test_") and n not in ("test_guest_dir",) + PYTHON_CASES])
