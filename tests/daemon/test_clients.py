#!/usr/bin/env python3
"""Real clients against a real virtkitd: Debian's virsh 9.0 and python3-libvirt,
on test+unix:///default and on qemu+unix:///system with QEMU TCG guests."""
import os
import re
import threading

from vkdtest import (Daemon, Skip, VirshEvents, booting_xml, diskless_xml, domstate,
                     run_tests, test_guest_dir, virsh, wait_for, write, qemu_pids)


# ---- test driver through the daemon ------------------------------------------

TEST_XML = """<domain type='test'>
  <name>%s</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type arch='i686'>hvm</type></os>
</domain>
"""


def test_virsh_test_driver():
    d = Daemon().start()
    uri = d.uri("test")
    out = virsh(uri, "list", "--all").stdout
    assert re.search(r"^\s*1\s+test\s+running\s*$", out, re.M), out
    # state lives while some connection is open: keep one open with an event loop
    ev = VirshEvents(uri, "--all")
    try:
        ev.sync(uri, TEST_XML % "evsync", d.root)
        f = write(os.path.join(d.root, "t1.xml"), TEST_XML % "t1")
        virsh(uri, "define", f)
        ev.wait_line(r"event 'lifecycle' for domain '?t1'?: Defined Added")
        assert domstate(uri, "t1") == "shut off (unknown)", domstate(uri, "t1")
        virsh(uri, "start", "t1")
        ev.wait_line(r"for domain '?t1'?: Started Booted")
        assert domstate(uri, "t1") == "running (booted)"
        info = virsh(uri, "dominfo", "t1").stdout
        assert re.search(r"^State:\s+running$", info, re.M), info
        assert re.search(r"^Persistent:\s+yes$", info, re.M), info
        xml = virsh(uri, "dumpxml", "t1").stdout
        assert "<name>t1</name>" in xml and re.search(r"<domain type='test' id='\d+'", xml), xml
        virsh(uri, "suspend", "t1")
        assert domstate(uri, "t1") == "paused (user)"
        virsh(uri, "resume", "t1")
        assert domstate(uri, "t1") == "running (unpaused)"
        virsh(uri, "destroy", "t1")
        ev.wait_line(r"for domain '?t1'?: Stopped Destroyed")
        assert domstate(uri, "t1") == "shut off (destroyed)"
        virsh(uri, "undefine", "t1")
        ev.wait_line(r"for domain '?t1'?: Undefined Removed")
        assert "t1" not in virsh(uri, "list", "--all").stdout
        p = virsh(uri, "domstate", "t1", check=False)
        assert p.returncode != 0 and "failed to get domain" in p.stderr, p.stderr
    finally:
        ev.close()


def test_virsh_host_commands():
    d = Daemon().start()
    uri = d.uri("test")
    out = virsh(uri, "version", "--daemon").stdout
    # the numbers come from the test driver through the daemon
    assert re.search(r"^Running hypervisor: TEST 0\.0\.2$", out, re.M), out
    assert re.search(r"^Running against daemon: 9\.0\.0$", out, re.M), out
    assert virsh(uri, "hostname").stdout.strip() == os.uname().nodename
    info = virsh(uri, "nodeinfo").stdout
    assert re.search(r"^CPU model:\s+i686$", info, re.M), info
    assert re.search(r"^CPU\(s\):\s+16$", info, re.M), info
    assert "<capabilities>" in virsh(uri, "capabilities").stdout
    assert virsh(uri, "domid", "test").stdout.strip() == "1"
    # the QEMU driver says the API version too (clients compare it)
    out = virsh(d.uri(), "version", "--daemon").stdout
    assert re.search(r"^Running against daemon: 9\.0\.0$", out, re.M), out


def test_virsh_read_only():
    d = Daemon().start()
    uri = "test+unix:///default?socket=%s" % d.sock_ro
    assert "test" in virsh(uri, "list", readonly=True).stdout
    p = virsh(uri, "destroy", "test", check=False, readonly=True)
    assert p.returncode != 0 and "read only" in p.stderr, p.stderr
    assert domstate(uri, "test") == "running (unknown)"


def test_test_driver_state_shared_then_reset():
    d = Daemon().start()
    uri = d.uri("test")
    holder = VirshEvents(uri, "--all")
    try:
        holder.sync(uri, TEST_XML % "evsync", d.root)
        f = write(os.path.join(d.root, "s.xml"), TEST_XML % "shared")
        virsh(uri, "define", f)
        holder.wait_line(r"'?shared'?: Defined Added")
        # another connection sees it while the holder keeps the state alive
        assert "shared" in virsh(uri, "list", "--all").stdout
    finally:
        holder.close()
    # last connection gone: fresh default state
    wait_for(lambda: "shared" not in virsh(uri, "list", "--all").stdout,
             "test driver state to reset after the last connection closed")


# ---- QEMU through the daemon -----------------------------------------------------

def qemu_daemon():
    d = Daemon().start()
    return d, d.uri("qemu")


def test_virsh_qemu_lifecycle():
    d, uri = qemu_daemon()
    ev = VirshEvents(uri, "--all")
    try:
        ev.sync(uri, diskless_xml("evsync"), d.root)
        f = write(os.path.join(d.root, "g1.xml"), diskless_xml("g1"))
        virsh(uri, "define", f)
        ev.wait_line(r"'?g1'?: Defined Added")
        out = virsh(uri, "list", "--all").stdout
        assert re.search(r"^\s*-\s+g1\s+shut off\s*$", out, re.M), out
        virsh(uri, "start", "g1")
        ev.wait_line(r"'?g1'?: Started Booted")
        assert domstate(uri, "g1") == "running (booted)"
        assert len(qemu_pids(d.root)) == 1
        out = virsh(uri, "list").stdout
        m = re.search(r"^\s*(\d+)\s+g1\s+running\s*$", out, re.M)
        assert m, out
        assert virsh(uri, "domid", "g1").stdout.strip() == m.group(1)
        info = virsh(uri, "dominfo", "g1").stdout
        for rx in (r"^State:\s+running$", r"^Persistent:\s+yes$", r"^Autostart:\s+disable$",
                   r"^OS Type:\s+hvm$", r"^Max memory:\s+65536 KiB$",
                   # as libvirt 9.0's QEMU driver without a confinement driver
                   r"^Security model: none$", r"^Security DOI:   0$"):
            assert re.search(rx, info, re.M), (rx, info)
        xml = virsh(uri, "dumpxml", "g1").stdout
        assert "<name>g1</name>" in xml and "id='%s'" % m.group(1) in xml, xml
        virsh(uri, "suspend", "g1")
        ev.wait_line(r"'?g1'?: Suspended Paused")
        assert domstate(uri, "g1") == "paused (user)"
        virsh(uri, "resume", "g1")
        ev.wait_line(r"'?g1'?: Resumed Unpaused")
        assert domstate(uri, "g1") == "running (unpaused)"
        virsh(uri, "destroy", "--graceful", "g1")
        ev.wait_line(r"'?g1'?: Stopped Destroyed")
        assert domstate(uri, "g1") == "shut off (destroyed)"
        assert qemu_pids(d.root) == []
        virsh(uri, "start", "g1")
        virsh(uri, "destroy", "g1")
        assert domstate(uri, "g1") == "shut off (destroyed)"
        virsh(uri, "autostart", "g1")
        assert re.search(r"^Autostart:\s+enable$", virsh(uri, "dominfo", "g1").stdout, re.M)
        virsh(uri, "autostart", "--disable", "g1")
        assert re.search(r"^Autostart:\s+disable$", virsh(uri, "dominfo", "g1").stdout, re.M)
        virsh(uri, "undefine", "g1")
        ev.wait_line(r"'?g1'?: Undefined Removed")
        assert "g1" not in virsh(uri, "list", "--all").stdout
        assert not os.path.exists(os.path.join(d.dirs["config"], "g1.xml"))
    finally:
        ev.close()


def test_virsh_qemu_shutdown():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d, uri = qemu_daemon()
    serial = os.path.join(d.root, "g2.serial")
    f = write(os.path.join(d.root, "g2.xml"), booting_xml("g2", guest, serial))
    virsh(uri, "define", f)
    ev = VirshEvents(uri, "--all")
    try:
        ev.sync(uri, diskless_xml("evsync"), d.root)
        virsh(uri, "start", "g2")
        wait_for(lambda: os.path.exists(serial) and "GUEST-READY" in open(serial).read(),
                 "the guest to boot", 120)
        virsh(uri, "shutdown", "g2")
        ev.wait_line(r"'?g2'?: Stopped Shutdown", timeout=60)
        assert domstate(uri, "g2") == "shut off (shutdown)"
        assert qemu_pids(d.root) == []
    finally:
        ev.close()


def test_python_libvirt():
    import libvirt
    d, uri = qemu_daemon()
    write(os.path.join(d.root, "p1.xml"), diskless_xml("p1"))
    libvirt.virEventRegisterDefaultImpl()
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()
    t = threading.Thread(target=loop, daemon=True)
    t.start()
    events = []
    conn = libvirt.open(uri)
    try:
        cb = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         lambda c, dom, ev, det, op:
                                         events.append((dom.name(), ev, det)), None)
        dom = conn.defineXML(diskless_xml("p1"))
        assert [x.name() for x in conn.listAllDomains()] == ["p1"]
        assert dom.state() == [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_UNKNOWN]
        dom.create()
        assert dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED]
        assert dom.isActive() == 1 and dom.ID() > 0
        assert dom.destroyFlags(libvirt.VIR_DOMAIN_DESTROY_GRACEFUL) == 0
        assert dom.state() == [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED]
        wait_for(lambda: ("p1", libvirt.VIR_DOMAIN_EVENT_STOPPED,
                          libvirt.VIR_DOMAIN_EVENT_STOPPED_DESTROYED) in events,
                 "STOPPED/DESTROYED event (have %r)" % events)
        assert ("p1", libvirt.VIR_DOMAIN_EVENT_DEFINED, 0) in events
        assert ("p1", libvirt.VIR_DOMAIN_EVENT_STARTED, 0) in events
        # errors arrive with libvirt's codes
        try:
            conn.lookupByName("nosuch")
            raise AssertionError("lookup of a missing domain succeeded")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN, e.get_error_code()
        conn.domainEventDeregisterAny(cb)
        dom.undefine()
        assert conn.listAllDomains() == []
    finally:
        conn.close()
        stop.set()


def test_session_mode():
    d = Daemon(mode="session").start()
    uri = "qemu+unix:///session?socket=%s" % d.sock
    f = write(os.path.join(d.root, "s1.xml"), diskless_xml("s1"))
    virsh(uri, "define", f)
    virsh(uri, "start", "s1")
    assert domstate(uri, "s1") == "running (booted)"
    assert virsh(uri, "uri").stdout.strip().startswith("qemu+unix:///session")
    # a client naming the other mode reaches this daemon's driver all the same
    other = "qemu+unix:///system?socket=%s" % d.sock
    assert domstate(other, "s1") == "running (booted)"
    virsh(uri, "destroy", "s1")
    virsh(uri, "undefine", "s1")
    assert d.stop() == 0


def test_virsh_qemu_monitor_command():
    """QEMU_PROGRAM (0x20008087) DOMAIN_MONITOR_COMMAND: HMP and QMP through
    virsh, refused read-only, an error for a guest that is not running."""
    d, uri = qemu_daemon()
    f = write(os.path.join(d.root, "mon.xml"), diskless_xml("mon"))
    virsh(uri, "define", f)
    p = virsh(uri, "qemu-monitor-command", "mon", "--hmp", "info status", check=False)
    assert p.returncode == 1 and "domain is not running" in p.stderr, p.stderr
    virsh(uri, "start", "mon")
    try:
        out = virsh(uri, "qemu-monitor-command", "mon", "--hmp", "info status").stdout
        assert out.strip() == "VM status: running", out
        out = virsh(uri, "qemu-monitor-command", "mon", '{"execute":"query-status"}').stdout
        assert '"status":"running"' in out.replace(" ", ""), out
        p = virsh(uri, "qemu-monitor-command", "mon", "--hmp", "stop", check=False,
                  readonly=True)
        assert p.returncode == 1 and "read only access prevents " \
            "virDomainQemuMonitorCommand" in p.stderr, p.stderr
        assert domstate(uri, "mon") == "running (booted)"
        # virsh makes {"execute":"no-such-cmd"} of a bare word; QEMU's error comes back
        p = virsh(uri, "qemu-monitor-command", "mon", "no-such-cmd", check=False)
        assert p.returncode == 1 and "no-such-cmd has not been found" in p.stderr, p.stderr
    finally:
        virsh(uri, "destroy", "mon", check=False)
    # the test driver has no monitor: libvirt's "not supported" answer
    p = virsh(d.uri("test"), "qemu-monitor-command", "test", "--hmp", "info status",
              check=False)
    assert p.returncode == 1 and "this function is not supported by the connection " \
        "driver: virDomainQemuMonitorCommand" in p.stderr, p.stderr
    virsh(uri, "undefine", "mon")
    assert d.stop() == 0


def _sched_calls(uri):
    """Scheduler calls through python3-libvirt on @uri: [(call, outcome)]."""
    import libvirt

    def call(name, f, *a):
        try:
            return (name, f(*a))
        except libvirt.libvirtError as e:
            return (name, "error %d/%d %s" % (e.get_error_code(), e.get_error_domain(),
                                              e.get_error_message()))
        except LookupError as e:    # the binding checks names against a Get first
            return (name, "LookupError %s" % e)
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("test")
        return [
            call("type", dom.schedulerType),
            call("get", dom.schedulerParameters),
            call("get flags", dom.schedulerParametersFlags, 0),
            call("get flags live|config", dom.schedulerParametersFlags, 3),
            call("set weight", dom.setSchedulerParameters, {"weight": 100}),
            call("get after set", dom.schedulerParameters),
            call("set cap", dom.setSchedulerParameters, {"cap": 1}),
        ]
    finally:
        conn.close()


def test_scheduler_typed_params():
    """Typed parameters on the wire: schedinfo through virtkitd answers what
    libvirt 9.0's own test driver answers in-process."""
    d = Daemon().start()
    uri = d.uri("test")
    for args in (["schedinfo", "test"], ["schedinfo", "test", "--set", "weight=100"],
                 ["schedinfo", "test", "--live"], ["schedinfo", "test", "--set", "cap=1"],
                 ["schedinfo", "nosuch"]):
        ours = virsh(uri, *args, check=False)
        ref = virsh("test:///default", *args, check=False)
        assert (ours.returncode, ours.stdout, ours.stderr) == \
            (ref.returncode, ref.stdout, ref.stderr), (args, ours, ref)
    ours = _sched_calls(uri)
    assert ours == _sched_calls("test:///default"), ours
    assert ("get", {"weight": 50}) in ours, ours
    # the read-only socket: reads allowed, a set refused by the daemon
    ro = "test+unix:///default?socket=%s" % d.sock_ro
    assert virsh(ro, "schedinfo", "test", readonly=True).stdout == \
        virsh("test:///default", "schedinfo", "test").stdout
    p = virsh(ro, "schedinfo", "test", "--set", "weight=1", readonly=True, check=False)
    assert p.returncode != 0 and "read only" in p.stderr, p.stderr
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("virsh on test+unix:///default: full lifecycle with events", test_virsh_test_driver),
        ("virsh version/hostname/nodeinfo/capabilities/domid", test_virsh_host_commands),
        ("virsh -r: mutations refused, nothing changed", test_virsh_read_only),
        ("schedinfo / scheduler parameters through the daemon as libvirt's test driver",
         test_scheduler_typed_params),
        ("test:///default shared while open, reset after last close",
         test_test_driver_state_shared_then_reset),
        ("virsh on qemu+unix:///system: lifecycle of a TCG guest", test_virsh_qemu_lifecycle),
        ("virsh shutdown of the booting test guest", test_virsh_qemu_shutdown),
        ("virsh qemu-monitor-command: HMP, QMP, read-only, not running",
         test_virsh_qemu_monitor_command),
        ("python3-libvirt: open, list, state, destroyFlags, events", test_python_libvirt),
        ("session mode daemon (qemu+unix:///session)", test_session_mode),
    ])
