#!/usr/bin/env python3
"""virtkitd restarts: the seed scenario (QEMU killed while the daemon was down),
guests kept running across SIGTERM and SIGKILL of the daemon, transient guests,
autostart once per boot."""
import os
import re
import shutil
import signal

from vkdtest import (Daemon, VirshEvents, diskless_xml, domstate, kill_pid, pid_alive,
                     qemu_pids, run_tests, virsh, wait_for, write)


def qemu_of(root, name):
    """Pid of the QEMU running guest @name of the daemon rooted at @root."""
    pids = []
    for pid in qemu_pids(root):
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
        for i, a in enumerate(argv):
            if a == b"-name" and i + 1 < len(argv) and \
               re.match(rb"(guest=)?%s(,|$)" % re.escape(name.encode()), argv[i + 1]):
                pids.append(pid)
    assert len(pids) <= 1, "several QEMUs for %s: %r" % (name, pids)
    return pids[0] if pids else None


def define_start(d, uri, name, start=True):
    f = write(os.path.join(d.root, name + ".xml"), diskless_xml(name))
    virsh(uri, "define", f)
    if start:
        virsh(uri, "start", name)
        assert domstate(uri, name) == "running (booted)"


def test_seed_scenario():
    d = Daemon().start()
    uri = d.uri()
    define_start(d, uri, "seed")
    pid = qemu_of(d.root, "seed")
    assert pid
    assert d.stop() == 0
    assert pid_alive(pid), "stopping the daemon killed the guest"
    kill_pid(pid)
    wait_for(lambda: not pid_alive(pid), "QEMU %d to die" % pid)

    d.start()
    ev = VirshEvents(uri, "--all")
    try:
        # the STOPPED/FAILED raised while the daemon reconnected reaches a
        # client that registers after the restart (replayed, see daemon_startup.c)
        ev.wait_line(r"for domain '?seed'?: Stopped Failed")
        out = virsh(uri, "list", "--all").stdout
        assert re.search(r"^\s*-\s+seed\s+shut off\s*$", out, re.M), out
        assert domstate(uri, "seed") == "shut off (crashed)", domstate(uri, "seed")
        # a python3-libvirt listener registered now gets it too (one
        # registration and no further call: the replay timer path)
        got = python_lifecycle_events(uri, lambda evs: ("seed", 5, 5) in evs)
        assert ("seed", 5, 5) in got, got
        # once per listener, not twice
        assert len([l for l in ev.lines() if "Stopped Failed" in l]) == 1, ev.lines()
        # and it is usable again
        virsh(uri, "start", "seed")
        assert domstate(uri, "seed") == "running (booted)"
        virsh(uri, "destroy", "seed")
    finally:
        ev.close()


def python_lifecycle_events(uri, done, timeout=30):
    """Lifecycle events (name, event, detail) a python3-libvirt client
    registered now receives, until done(events) or the deadline."""
    import threading
    import libvirt
    libvirt.virEventRegisterDefaultImpl()
    evs = []
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()
    conn = libvirt.open(uri)
    t = threading.Thread(target=loop, daemon=True)
    t.start()
    cb = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                     lambda c, d, e, det, o: evs.append((d.name(), e, det)),
                                     None)
    try:
        wait_for(lambda: done(evs), "python listener events (have %r)" % evs, timeout)
    finally:
        conn.domainEventDeregisterAny(cb)
        conn.close()
        stop.set()
    return list(evs)


def check_reconnect(sig):
    d = Daemon().start()
    uri = d.uri()
    define_start(d, uri, "r1")
    define_start(d, uri, "r2")
    virsh(uri, "suspend", "r2")
    ids = {n: virsh(uri, "domid", n).stdout.strip() for n in ("r1", "r2")}
    pids = {n: qemu_of(d.root, n) for n in ("r1", "r2")}
    d.stop(sig)
    assert all(pid_alive(p) for p in pids.values()), "a guest died with the daemon"
    d.start()
    assert domstate(uri, "r1") == "running (booted)", domstate(uri, "r1")
    assert domstate(uri, "r2") == "paused (user)", domstate(uri, "r2")
    assert {n: qemu_of(d.root, n) for n in ("r1", "r2")} == pids, "QEMU pids changed"
    assert {n: virsh(uri, "domid", n).stdout.strip() for n in ("r1", "r2")} == ids
    # usable: the monitor was reconnected
    virsh(uri, "resume", "r2")
    assert domstate(uri, "r2") == "running (unpaused)"
    virsh(uri, "suspend", "r1")
    assert domstate(uri, "r1") == "paused (user)"
    virsh(uri, "destroy", "r1")
    virsh(uri, "destroy", "r2")
    wait_for(lambda: not pid_alive(pids["r1"]) and not pid_alive(pids["r2"]),
             "destroyed guests to exit")
    # new ids continue after the old ones
    virsh(uri, "start", "r1")
    assert int(virsh(uri, "domid", "r1").stdout) > max(int(i) for i in ids.values())
    virsh(uri, "destroy", "r1")


def test_reconnect_after_sigterm():
    check_reconnect(signal.SIGTERM)


def test_reconnect_after_sigkill():
    check_reconnect(signal.SIGKILL)


def test_transient_guest_gone():
    d = Daemon().start()
    uri = d.uri()
    f = write(os.path.join(d.root, "tr.xml"), diskless_xml("tr"))
    virsh(uri, "create", f)
    pid = qemu_of(d.root, "tr")
    assert pid
    d.stop()
    assert pid_alive(pid)
    kill_pid(pid)
    wait_for(lambda: not pid_alive(pid), "QEMU to die")
    d.start()
    assert "tr" not in virsh(uri, "list", "--all").stdout
    p = virsh(uri, "domstate", "tr", check=False)
    assert p.returncode != 0 and "failed to get domain" in p.stderr, p.stderr


def test_transient_guest_reconnected():
    d = Daemon().start()
    uri = d.uri()
    f = write(os.path.join(d.root, "tr2.xml"), diskless_xml("tr2"))
    virsh(uri, "create", f)
    pid = qemu_of(d.root, "tr2")
    d.stop(signal.SIGKILL)
    d.start()
    # the reconnect runs on a worker: until it has asked QEMU, the state is
    # the one recorded at spawn ("paused (starting up)") when the daemon was
    # killed before the start's final record reached the disk
    wait_for(lambda: domstate(uri, "tr2") == "running (booted)", "tr2 reconnected", 30)
    info = virsh(uri, "dominfo", "tr2").stdout
    assert re.search(r"^Persistent:\s+no$", info, re.M), info
    assert qemu_of(d.root, "tr2") == pid
    virsh(uri, "destroy", "tr2")
    assert "tr2" not in virsh(uri, "list", "--all").stdout


def test_autostart_once_per_boot():
    d = Daemon().start()
    uri = d.uri()
    define_start(d, uri, "auto", start=False)
    virsh(uri, "autostart", "auto")
    d.stop()
    # a "boot": the runtime directory (tmpfs on a real host) starts empty
    shutil.rmtree(d.dirs["run"])
    d.start()
    assert domstate(uri, "auto") == "running (booted)", domstate(uri, "auto")
    virsh(uri, "destroy", "auto")
    d.stop()
    # same boot: the marker in the runtime dir prevents a second autostart
    d.start()
    assert domstate(uri, "auto").startswith("shut off"), domstate(uri, "auto")
    assert qemu_of(d.root, "auto") is None
    d.stop()
    shutil.rmtree(d.dirs["run"])
    d.start()
    assert domstate(uri, "auto") == "running (booted)"
    virsh(uri, "destroy", "auto")


def test_reconnect_failure_keeps_guest():
    d = Daemon().start()
    uri = d.uri()
    define_start(d, uri, "nomon")
    pid = qemu_of(d.root, "nomon")
    assert d.stop() == 0
    # the monitor cannot be reached any more
    mons = [os.path.join(r, "monitor.sock") for r, _, fs in os.walk(d.dirs["state"])
            if "monitor.sock" in fs]
    assert len(mons) == 1, mons
    os.unlink(mons[0])
    d.start()
    st = domstate(uri, "nomon")
    assert pid_alive(pid), "a guest whose monitor could not be reached was killed"
    assert not st.startswith("shut off"), "reported %r while its QEMU runs" % st
    # still manageable without a monitor: destroy signals the process
    virsh(uri, "destroy", "nomon")
    wait_for(lambda: not pid_alive(pid), "QEMU to exit")
    assert domstate(uri, "nomon") == "shut off (destroyed)"


def qmp(path, *commands):
    """Run QMP @commands on the monitor socket at @path; returns the
    replies and events seen."""
    import json
    import socket as so
    s = so.socket(so.AF_UNIX, so.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    f = s.makefile("rw")
    seen = [json.loads(f.readline())]       # greeting
    for cmd in ("qmp_capabilities",) + commands:
        f.write(json.dumps({"execute": cmd}) + "\n")
        f.flush()
        while True:
            msg = json.loads(f.readline())
            seen.append(msg)
            if "return" in msg or "error" in msg:
                break
    s.close()
    return seen


def test_powered_off_while_down():
    from vkdtest import Skip, booting_xml, test_guest_dir
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    serial = os.path.join(d.root, "off.serial")
    virsh(uri, "define", write(os.path.join(d.root, "off.xml"),
                               booting_xml("off", guest, serial)))
    virsh(uri, "start", "off")
    wait_for(lambda: os.path.exists(serial) and "GUEST-READY" in open(serial).read(),
             "the guest to boot", 120)
    pid = qemu_of(d.root, "off")
    assert d.stop() == 0
    # the guest powers off while nobody watches: QEMU (-no-shutdown) waits
    mons = [os.path.join(r, "monitor.sock") for r, _, fs in os.walk(d.dirs["state"])
            if "monitor.sock" in fs]
    assert len(mons) == 1, mons
    qmp(mons[0], "system_powerdown")
    wait_for(lambda: qmp(mons[0], "query-status")[-1].get("return", {}).get("status")
             == "shutdown",
             "QEMU to report status 'shutdown'")
    assert pid_alive(pid)
    d.start()
    # the daemon finishes it off: shut off (shutdown), never 'running'
    st = domstate(uri, "off")
    assert not st.startswith("running"), st
    wait_for(lambda: domstate(uri, "off") == "shut off (shutdown)",
             "the guest to end shut off (shutdown)")
    wait_for(lambda: not pid_alive(pid), "QEMU to exit")


def test_deferred_definitions():
    """At start, inactive definitions are indexed by name and UUID and
    validated in the background (parsed, then left in their files); any
    call that needs one parses it first, before or after that validation.
    A file that passes the quick scan but does not parse is dropped like a
    bad file at load, by the validation even if no call needs it; a
    hand-written one is parsed at once."""
    import libvirt
    d = Daemon().start()
    uri = d.uri()
    conn = libvirt.open(uri)
    before = {}
    for i in range(150):
        dom = conn.defineXML(diskless_xml("lazy%03d" % i, memory_kib=65536 + i * 1024))
        before[dom.name()] = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    conn.close()
    assert d.stop() == 0
    cfg = d.dirs["config"]
    # UUID before name: not our formatter's order, so parsed at once
    write(os.path.join(cfg, "hand.xml"), """<domain type='qemu'>
  <uuid>0e5b9c7e-1f43-4bd6-9a57-4c1b1d4c0b7a</uuid>
  <name>hand</name>
  <memory unit='KiB'>65536</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
</domain>
""")
    # scans as "broken" with a UUID, but is not well-formed further on
    write(os.path.join(cfg, "broken.xml"), """<domain type='qemu'>
  <name>broken</name>
  <uuid>5d8f3a0e-27b4-4c55-8f0a-2b6e9d3c1a44</uuid>
  <memory unit='KiB'>65536</memory
</domain>
""")
    d.start()
    conn = libvirt.open(uri)
    try:
        # every call that needs a full definition gets the real one
        for name in ("lazy149", "lazy000", "lazy075"):
            dom = conn.lookupByName(name)
            assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before[name], name
            assert dom.maxMemory() == 65536 + int(name[4:]) * 1024
        assert conn.lookupByName("hand").maxMemory() == 65536
        # and one starts straight away
        dom = conn.lookupByName("lazy001")
        dom.create()
        assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING
        dom.destroy()
        # the background validation finds the broken file though no call
        # needs it, and drops it
        wait_for(lambda: "Failed to load config for domain 'broken'" in d.log(),
                 "the background validation to drop 'broken'")
        assert "broken" not in [x.name() for x in conn.listAllDomains()]
        # definitions validated and left in their files: parsed on first use
        for name in ("lazy148", "lazy010"):
            dom = conn.lookupByName(name)
            assert dom.info()[1] == 65536 + int(name[4:]) * 1024, name
            assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before[name], name
        try:
            conn.lookupByName("broken").XMLDesc(0)
            raise AssertionError("a definition that does not parse was used")
        except libvirt.libvirtError as e:
            assert e.get_error_code() in (libvirt.VIR_ERR_NO_DOMAIN,
                                          libvirt.VIR_ERR_XML_ERROR), e
        assert "broken" not in [x.name() for x in conn.listAllDomains()]
        names = set(x.name() for x in conn.listAllDomains())
        assert names == set(before) | {"hand"}, sorted(names ^ (set(before) | {"hand"}))
        for name, xml in before.items():
            assert conn.lookupByName(name).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == xml
        assert "Failed to load config for domain 'broken'" in d.log(), d.log()
    finally:
        conn.close()


if __name__ == "__main__":
    run_tests([
        ("seed: QEMU killed while down -> shut off (crashed), event delivered",
         test_seed_scenario),
        ("running and paused guests reconnected after SIGTERM", test_reconnect_after_sigterm),
        ("running and paused guests reconnected after SIGKILL", test_reconnect_after_sigkill),
        ("transient guest whose QEMU died is removed", test_transient_guest_gone),
        ("live transient guest reconnected, still transient", test_transient_guest_reconnected),
        ("autostart once per boot (marker in the runtime dir)", test_autostart_once_per_boot),
        ("reconnect failure (monitor gone) leaves the guest running, destroy works",
         test_reconnect_failure_keeps_guest),
        ("guest powered off while the daemon was down ends shut off (shutdown)",
         test_powered_off_while_down),
        ("inactive definitions parsed in the background, or on first use",
         test_deferred_definitions),
    ])
