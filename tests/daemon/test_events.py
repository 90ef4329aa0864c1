#!/usr/bin/env python3
"""Every domain event of libvirt 9.0 through virtkitd, caused for real (issue 9, issue 13).

Debian's `virsh event --all --loop` and python3-libvirt (one callback per
event ID, domainEventRegisterAny) listen through the wire while the test
guest's "events" variant (scripts/build-test-guest.sh) causes events from
inside and the test causes others from outside:
- registration: every ID 0..26 registers from python3-libvirt and virsh;
- the guest reboots itself (reboot -f): REBOOT, and never a STOPPED/STARTED
  pair; it sets its RTC to 2030-01-01 (RTC_CHANGE with that offset); it
  opens and closes the guest agent's virtio-serial port (AGENT_LIFECYCLE
  connected/disconnected, reason channel); setmem moves its balloon
  (BALLOON_CHANGE in KiB); a VNC client connects, completes the RFB
  handshake and leaves (GRAPHICS connect/initialize/disconnect);
- a disk on a 2 MiB tmpfs that the guest writes 4 MiB to: the write past
  the threshold armed with virDomainSetBlockThreshold (BLOCK_THRESHOLD),
  then ENOSPC (IO_ERROR and IO_ERROR_REASON 'enospc', action pause, and
  the lifecycle SUSPENDED I/O Error: the domain is paused for an I/O error);
  a block-stream job run through qemu-monitor-command (BLOCK_JOB and
  BLOCK_JOB_2 completed); an empty CD-ROM's tray opened (TRAY_CHANGE).
Each line is checked as virsh prints it, and the same events reach python.
"""
import calendar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

from vkdtest import console_text
from vkdtest import (Daemon, Skip, VirshEvents, diskless_xml, run_tests, virsh, wait_for,
                     wait_guest, write)
from vkdtest import test_guest_dir

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

NIDS = 27  # libvirt 9.0: VIR_DOMAIN_EVENT_ID_LIFECYCLE .. MEMORY_DEVICE_SIZE_CHANGE


def events_guest_dir():
    return test_guest_dir("events")


def guest_xml(name, guest, serial, cmdline, devices=""):
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
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    %s
  </devices>
</domain>
""" % (name, guest, guest, cmdline, serial, devices)


class VkshEvents(VirshEvents):
    """`vksh event --all --loop`: must print what virsh prints."""

    def __init__(self, uri):
        env = dict(os.environ, LC_ALL="C", LANG="C")
        # no stdbuf (its preload cannot come before ASan's): vksh flushes
        # after each event itself
        self.proc = subprocess.Popen([os.environ["VKSH"], "-c", uri, "event", "--loop",
                                      "--all"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.buf = ""


def listening(uri, workdir, *listeners):
    """Return once every listener receives events (a probe domain's)."""
    for l in listeners:
        if l:
            l.sync(uri, diskless_xml("evsync"), workdir)


def guest_lines(l):
    return [x for x in l.lines() if "'evsync'" not in x]


def same_lines(virsh_l, vksh_l):
    """vksh printed every line virsh printed, in the same order."""
    wait_for(lambda: len(guest_lines(vksh_l)) >= len(guest_lines(virsh_l)),
             "vksh's event lines", 30)
    assert guest_lines(vksh_l) == guest_lines(virsh_l), (vksh_l.lines(), virsh_l.lines())


class PyListener:
    """python3-libvirt through the wire: one callback per event ID."""

    def __init__(self, uri):
        self.got = []
        self.lock = threading.Lock()
        self.stop = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        self.conn = libvirt.open(uri)
        self.ids = []
        for i in range(NIDS):
            self.ids.append(self.conn.domainEventRegisterAny(None, i, self._cb(i), None))

    def _loop(self):
        while not self.stop:
            libvirt.virEventRunDefaultImpl()

    def _cb(self, eid):
        def cb(conn, dom, *args):
            with self.lock:
                self.got.append((eid, dom.name(), args[:-1]))
        return cb

    def events(self, eid):
        with self.lock:
            return [a for (i, n, a) in self.got if i == eid]

    def close(self):
        for cid in self.ids:
            try:
                self.conn.domainEventDeregisterAny(cid)
            except libvirt.libvirtError:
                pass
        self.stop = True
        # wake the loop with a timer that fires at once
        libvirt.virEventAddTimeout(0, lambda t, o: libvirt.virEventRemoveTimeout(t), None)
        self.thread.join(10)
        self.conn.close()


def vnc_session(port):
    """Connect, do the RFB 3.8 handshake with no authentication, leave."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        assert s.recv(12).startswith(b"RFB ")
        s.sendall(b"RFB 003.008\n")
        n = s.recv(1)[0]
        types = s.recv(n)
        assert 1 in types, types
        s.sendall(b"\x01")
        assert s.recv(4) == b"\x00\x00\x00\x00"  # SecurityResult OK
        s.sendall(b"\x01")  # ClientInit, shared
        s.recv(24)  # ServerInit (the name follows; not needed)
        return s.getsockname()[1]
    finally:
        s.close()


def test_registration():
    d = Daemon().start()
    uri = d.uri()
    libvirt.virEventRegisterDefaultImpl()
    conn = libvirt.open(uri)
    try:
        ids = [conn.domainEventRegisterAny(None, i, lambda *a: None, None)
               for i in range(NIDS)]
        assert len(set(ids)) == NIDS, ids
        for cid in ids:
            conn.domainEventDeregisterAny(cid)
    finally:
        conn.close()
    # virsh registers every ID (it stops at the first refusal) and times out
    p = virsh(uri, "event", "--all", "--loop", "--timeout", "1", check=False)
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert p.stdout.strip().splitlines() == ["event loop timed out", "events received: 0"], \
        p.stdout
    assert p.stderr.strip() == "", p.stderr


def test_guest_events():
    guest = events_guest_dir()
    if not guest:
        raise Skip("events test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    libvirt.virEventRegisterDefaultImpl()
    serial = os.path.join(d.root, "ev.serial")
    devices = """<memballoon model='virtio'/>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"""
    xml = guest_xml("ev", guest, serial, "virtkit.reboot=1 virtkit.agent=1",
                    devices)
    virsh(uri, "define", write(os.path.join(d.root, "ev.xml"), xml))
    listener = VirshEvents(uri, "--all")
    vk = VkshEvents(uri) if os.environ.get("VKSH") else None
    py = PyListener(uri)
    try:
        listening(uri, d.root, listener, vk)
        virsh(uri, "start", "ev")
        listener.wait_line(r"^event 'lifecycle' for domain 'ev': Started Booted$", 60)
        # the guest sets its clock, reboots itself once, then opens the agent port
        # (each boot costs QEMU 1-8 s of CPU under TCG: on a loaded host the
        # wait goes on while the guest has had less than its budget)
        wait_guest(lambda: "GUEST-RTC-SET" in console_text(serial), "GUEST-RTC-SET", 180,
                   uri, "ev", serial, d, cpu_budget=30)
        wait_guest(lambda: "GUEST-REBOOTED" in console_text(serial), "GUEST-REBOOTED", 240,
                   uri, "ev", serial, d, cpu_budget=30)
        listener.wait_line(r"^event 'reboot' for domain 'ev'$", 30)
        line = listener.wait_line(r"^event 'rtc-change' for domain 'ev': -?\d+$", 30)[0]
        offset = int(line.rsplit(" ", 1)[1])
        want = calendar.timegm((2030, 1, 1, 0, 0, 0)) - int(time.time())
        assert abs(offset - want) < 600, (offset, want)
        wait_guest(lambda: "GUEST-AGENT-CLOSED" in console_text(serial), "GUEST-AGENT-CLOSED", 120,
                   uri, "ev", serial, d)
        listener.wait_line(r"^event 'agent-lifecycle' for domain 'ev': state: 'connected' "
                           r"reason: 'channel event'$", 30)
        listener.wait_line(r"^event 'agent-lifecycle' for domain 'ev': state: 'disconnected' "
                           r"reason: 'channel event'$", 30)

        # the balloon (the guest loaded virtio_balloon before GUEST-READY)
        assert "GUEST-BALLOON" in console_text(serial), console_text(serial)
        virsh(uri, "setmem", "ev", "128M", "--live")
        listener.wait_line(r"^event 'balloon-change' for domain 'ev': 131072KiB$", 120)

        # a VNC client
        port = int(re.search(r"<graphics type='vnc' port='(\d+)'",
                             virsh(uri, "dumpxml", "ev").stdout).group(1))
        cport = vnc_session(port)
        for phase in ("connect", "initialize", "disconnect"):
            listener.wait_line(r"^event 'graphics' for domain 'ev': %s local\[IPv4 127\.0\.0\.1 "
                               r"%d\] remote\[IPv4 127\.0\.0\.1 %d\] none$"
                               % (phase, port, cport), 30)

        # a reboot from inside is REBOOT only: no stop and start in between
        lines = guest_lines(listener)
        life = [l for l in lines if l.startswith("event 'lifecycle' for domain 'ev'")]
        # (libvirt's start: QEMU's RESUME from 'cont' comes first, facts/lifecycle.md)
        assert life == ["event 'lifecycle' for domain 'ev': Resumed Unpaused",
                        "event 'lifecycle' for domain 'ev': Started Booted"], lines
        # (a Linux reboot may reset the machine more than once: one REBOOT
        # per QEMU RESET, as libvirt)
        assert lines.count("event 'reboot' for domain 'ev'") >= 1, lines

        # python3-libvirt got the same through its own registrations
        wait_for(lambda: len(py.events(libvirt.VIR_DOMAIN_EVENT_ID_GRAPHICS)) >= 3,
                 "python's graphics events", 30)
        assert len(py.events(libvirt.VIR_DOMAIN_EVENT_ID_REBOOT)) == \
            lines.count("event 'reboot' for domain 'ev'"), py.got
        assert py.events(libvirt.VIR_DOMAIN_EVENT_ID_RTC_CHANGE) == [(offset,)], py.got
        assert (131072,) in py.events(libvirt.VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE), py.got
        agent = py.events(libvirt.VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE)
        assert agent[:2] == [(1, 2), (2, 2)], agent
        g = py.events(libvirt.VIR_DOMAIN_EVENT_ID_GRAPHICS)
        assert [e[0] for e in g[:3]] == [0, 1, 2], g
        local, remote, auth, subject = g[0][1], g[0][2], g[0][3], g[0][4]
        assert local == {"family": 0, "node": "127.0.0.1", "service": str(port)}, local
        assert remote["service"] == str(cport) and auth == "none" and subject == [], g[0]
        assert [a for (i, n, a) in py.got if i == 0 and n == "ev"] == [(4, 0), (2, 0)], py.got
        if vk:
            same_lines(listener, vk)
    finally:
        py.close()
        listener.close()
        if vk:
            vk.close()
    virsh(uri, "destroy", "ev")
    if os.environ.get("VKSH"):
        # virtkitd's event journal (issue 13) holds the same: the reboot is its
        # own event, the guest's, never a STOPPED+STARTED pair
        out = subprocess.run([os.environ["VKSH"], "-c", uri, "event-journal", "--since", "0"],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        ev = [l for l in out.stdout.splitlines() if re.match(r"seq \d+: event '[a-z-]+' for "
                                                              r"domain 'ev'", l)]
        kinds = [re.sub(r"^seq \d+: event '([a-z-]+)' for domain 'ev'(: ([^(]*))? "
                        r"\(requestor (\S+)\)$", r"\1 \3|\4", l) for l in ev]
        life = [k for k in kinds if k.startswith("lifecycle")]
        assert [k.split("|")[0] for k in life] == [
            "lifecycle Defined Added", "lifecycle Resumed Unpaused",
            "lifecycle Started Booted", "lifecycle Stopped Destroyed"], kinds
        reboots = [k for k in kinds if k.startswith("reboot")]
        assert len(reboots) == lines.count("event 'reboot' for domain 'ev'"), (kinds, lines)
        assert all(k == "reboot |guest" for k in reboots), kinds
        assert kinds.index(reboots[0]) > kinds.index(life[2]), kinds


def test_disk_events():
    guest = events_guest_dir()
    if not guest:
        raise Skip("events test guest not available (scripts/build-test-guest.sh)")
    if os.geteuid() != 0:
        raise Skip("mounting the tiny tmpfs needs root")
    d = Daemon().start()
    uri = d.uri()
    libvirt.virEventRegisterDefaultImpl()
    # QEMU runs as the daemon's unprivileged user: a folder it can reach
    mnt = tempfile.mkdtemp(prefix="vkevtiny-")
    os.chmod(mnt, 0o755)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0777", "tmpfs", mnt],
                   check=True)
    try:
        img = os.path.join(mnt, "disk.img")
        with open(img, "wb") as f:
            f.truncate(16 * 1024 * 1024)  # sparse: the guest's 4 MiB fill the 2 MiB
        os.chmod(img, 0o666)
        serial = os.path.join(d.root, "io.serial")
        devices = """<disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>""" % img
        xml = guest_xml("io", guest, serial, "virtkit.writedisk=1", devices)
        virsh(uri, "define", write(os.path.join(d.root, "io.xml"), xml))
        listener = VirshEvents(uri, "--all")
        vk = VkshEvents(uri) if os.environ.get("VKSH") else None
        py = PyListener(uri)
        try:
            listening(uri, d.root, listener, vk)
            virsh(uri, "start", "io")
            # armed before the guest's kernel reaches its write
            virsh(uri, "domblkthreshold", "io", "vda", "524288")
            listener.wait_line(r"^event 'block-threshold' for domain 'io': dev: vda\(%s\) "
                               r"524288 \d+$" % re.escape(img), 120)
            listener.wait_line(r"^event 'io-error' for domain 'io': %s \(virtio-disk0\) pause$"
                               % re.escape(img), 120)
            listener.wait_line(r"^event 'io-error-reason' for domain 'io': %s "
                               r"\(virtio-disk0\) pause due to enospc$" % re.escape(img), 30)
            listener.wait_line(r"^event 'lifecycle' for domain 'io': Suspended I/O Error$", 30)
            st = virsh(uri, "domstate", "io", "--reason").stdout.strip()
            assert st == "paused (I/O error)", st
            # QEMU's STOP after the error is no second pause
            lines = guest_lines(listener)
            assert [l for l in lines if "Suspended" in l] == \
                ["event 'lifecycle' for domain 'io': Suspended I/O Error"], lines

            # a block job (a stream of an image without a backing file ends at once)
            virsh(uri, "qemu-monitor-command", "io",
                  '{"execute":"block-stream","arguments":{"device":"libvirt-1-format",'
                  '"job-id":"pull-vda-libvirt-1-format"}}')
            listener.wait_line(r"^event 'block-job' for domain 'io': Block Pull for %s "
                               r"completed$" % re.escape(img), 60)
            listener.wait_line(r"^event 'block-job-2' for domain 'io': Block Pull for vda "
                               r"completed$", 30)

            # the CD-ROM's tray
            virsh(uri, "qemu-monitor-command", "io",
                  '{"execute":"eject","arguments":{"id":"sata0-0-0","force":true}}')
            listener.wait_line(r"^event 'tray-change' for domain 'io' disk sata0-0-0: opened$",
                               30)

            wait_for(lambda: py.events(libvirt.VIR_DOMAIN_EVENT_ID_TRAY_CHANGE),
                     "python's tray event", 30)
            # one per failed request QEMU reports (several may be in flight)
            ioe = py.events(libvirt.VIR_DOMAIN_EVENT_ID_IO_ERROR)
            assert ioe and set(ioe) == {(img, "virtio-disk0", 1)}, ioe
            ioe2 = py.events(libvirt.VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON)
            assert len(ioe2) == len(ioe) and set(ioe2) == {(img, "virtio-disk0", 1, "enospc")}, \
                py.got
            thr = py.events(libvirt.VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD)
            assert len(thr) == 1 and thr[0][:3] == ("vda", img, 524288) and thr[0][3] > 0, thr
            assert py.events(libvirt.VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2) == [("vda", 1, 0)], py.got
            assert py.events(libvirt.VIR_DOMAIN_EVENT_ID_TRAY_CHANGE) == [("sata0-0-0", 0)]
            if vk:
                same_lines(listener, vk)
        finally:
            py.close()
            listener.close()
            if vk:
                vk.close()
        # bad input: a disk the domain does not have, a read-only connection
        err = virsh(uri, "domblkthreshold", "io", "vdz", "1", check=False)
        assert err.returncode == 1 and "failed to find disk 'vdz'" in err.stderr, err.stderr
        err = virsh(uri, "domblkthreshold", "io", "vda", "1", readonly=True, check=False)
        assert err.returncode == 1 and "read only access prevents" in err.stderr, err.stderr
        virsh(uri, "destroy", "io")
    finally:
        d.stop()
        subprocess.run(["umount", "-l", mnt], check=False)
        os.rmdir(mnt)


if __name__ == "__main__":
    run_tests([
        ("every domain event ID registers through virtkitd (python3-libvirt, virsh)",
         test_registration),
        ("a real guest's reboot, RTC change, agent channel, balloon and VNC client reach "
         "virsh and python as libvirt's events; a reboot is no stop+start",
         test_guest_events),
        ("a disk's write threshold, ENOSPC (I/O error pause), block job and CD-ROM tray "
         "reach virsh and python", test_disk_events),
    ])
