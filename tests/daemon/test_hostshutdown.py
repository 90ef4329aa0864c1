#!/usr/bin/env python3
"""Host shutdown (issue 13): each guest's <virtkit:host-shutdown action priority/>.

virtkitd, told that its stop is a host shutdown (--guests-on-stop host-shutdown,
what auto does when systemd is stopping the system), is stopped with four
running guests, one per action; the shutdown guest's policy asks its priority
level for one guest at once (parallel='1', the daemon's default is 2):
- save (priority 10, the test guest, booted): a managed save image is left,
  its QEMU is gone; at the next start it is restored before clients are
  served and goes on from where it was (no new boot, it answers the power
  button);
- shutdown (priority 5, the test guest, booted): its stop ladder ends it at
  the ACPI step (the guest printed GUEST-POWERBUTTON);
- destroy (priority 5 too, a firmware guest): ended after it;
- none (a firmware guest): left running, the same QEMU adopted at the next
  start.
The journal tells it in priority order, each event with requestor "host":
save before shutdown before destroy, then the restore's STARTED/RESTORED.
"""
import glob
import os
import re
import signal
import sys
import threading
import time

from vkdtest import console_text
from vkdtest import (Daemon, Skip, booting_xml, diskless_xml, domstate, kill_pid,
                     pid_alive, qemu_pids, run_tests, test_guest_dir, virsh, wait_for, write)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

NS = "http://virtkit.invalid/xmlns/lifecycle/1"
STARTED, SUSPENDED, STOPPED, SHUTDOWN = 2, 3, 5, 6
STOPPED_SHUTDOWN, STOPPED_DESTROYED, STOPPED_SAVED = 0, 1, 4
STARTED_RESTORED = 2


def with_policy(xml, action, priority=None, stop="", parallel=None):
    prio = " priority='%d'" % priority if priority is not None else ""
    if parallel:
        prio += " parallel='%d'" % parallel
    md = ("<metadata><virtkit:lifecycle xmlns:virtkit='%s'>%s"
          "<virtkit:host-shutdown action='%s'%s/></virtkit:lifecycle></metadata>"
          % (NS, stop, action, prio))
    return xml.replace("<memory", md + "\n  <memory", 1)


def qemu_of(root, name):
    for pid in qemu_pids(root):
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
        for i, a in enumerate(argv):
            if a == b"-name" and i + 1 < len(argv) and \
               re.match(rb"(guest=)?%s(,|$)" % re.escape(name.encode()), argv[i + 1]):
                return pid
    return None


class Follower:
    def __init__(self):
        self.events = []
        self.lock = threading.Lock()

    def __call__(self, ev):
        with self.lock:
            self.events.append(ev)

    def get(self):
        with self.lock:
            return list(self.events)


def virtkit_module():
    lib = os.environ.get("VIRTKIT_LIB")
    if not lib or not os.path.exists(lib) or os.environ.get("VKD_SANITIZED") == "1":
        return None
    import virtkit
    virtkit.event_loop_start()
    return virtkit


def test_host_shutdown_actions():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    extra = ["--guests-on-stop", "host-shutdown", "--host-shutdown-timeout", "120"]
    d = Daemon(extra=extra).start()
    uri = d.uri()
    serial = {n: os.path.join(d.root, n + ".log") for n in ("hs-save", "hs-down")}
    xmls = {
        "hs-save": with_policy(booting_xml("hs-save", guest, serial["hs-save"]), "save", 10),
        "hs-down": with_policy(booting_xml("hs-down", guest, serial["hs-down"]), "shutdown",
                               5, "<virtkit:stop deadline='60' kill='yes'/>", parallel=1),
        "hs-kill": with_policy(diskless_xml("hs-kill"), "destroy", 5),
        "hs-none": with_policy(diskless_xml("hs-none"), "none", 20),
    }
    for n, x in xmls.items():
        virsh(uri, "define", write(os.path.join(d.root, n + ".xml"), x))
        virsh(uri, "start", n)
    for n in ("hs-save", "hs-down"):
        wait_for(lambda: "GUEST-READY" in console_text(serial[n]), "GUEST-READY of " + n, 180)
    pids = {n: qemu_of(d.root, n) for n in xmls}
    assert all(pids.values()), pids

    vk = virtkit_module()
    last = epoch = None
    if vk:
        conn = vk.open(uri)
        f = Follower()
        conn.subscribe(f)
        mark = write(os.path.join(d.root, "mark.xml"), diskless_xml("hs-mark"))
        virsh(uri, "define", mark)  # a marker event
        wait_for(lambda: f.get(), "the marker event")
        last, epoch = f.get()[-1].seq, f.get()[-1].epoch
        conn.close()

    assert d.stop() == 0
    log = d.log()
    print("# " + "\n# ".join(l for l in log.splitlines() if "host shutdown" in l))
    # each guest as its policy says
    assert not pid_alive(pids["hs-save"]) and not pid_alive(pids["hs-down"])
    assert not pid_alive(pids["hs-kill"])
    assert pid_alive(pids["hs-none"]), "the 'none' guest was stopped"
    images = glob.glob(os.path.join(d.root, "**", "hs-save.save"), recursive=True)
    assert len(images) == 1 and os.path.getsize(images[0]) > 1 << 20, images
    with open(images[0], "rb") as fh:
        assert fh.read(16) == b"LibvirtQemudSave"
    saved = os.path.join(d.dirs["state"], "host-shutdown-saved")
    assert open(saved).read() == "hs-save\n"
    assert "GUEST-POWERBUTTON" in console_text(serial["hs-down"]), console_text(serial["hs-down"])
    assert re.search(r"host shutdown: 'hs-save' \(save, priority 10\) done in \d+ ms: "
                     r"managed save", log), log
    assert re.search(r"host shutdown: 'hs-down' \(shutdown, priority 5\) done in \d+ ms: "
                     r"acpi", log), log
    assert re.search(r"host shutdown: 'hs-kill' \(destroy, priority 5\) done in \d+ ms: "
                     r"destroy", log), log
    # the daemon's default is 2 at once; hs-down asks its level for 1
    assert "host shutdown: priority 10, 1 guests, 1 at once" in log, log
    assert "host shutdown: priority 5, 2 guests, 1 at once" in log, log
    assert "host shutdown: 'hs-none' left running (action none)" in log, log
    order = [m.group(1) for m in re.finditer(r"host shutdown: '(hs-\w+)' \(\w+, priority",
                                             log)]
    assert order == ["hs-save", "hs-down", "hs-kill"], order

    # the next start: the saved guest restored, the 'none' one adopted
    d.start()
    assert domstate(uri, "hs-save") == "running (restored)", domstate(uri, "hs-save")
    assert domstate(uri, "hs-down").startswith("shut off"), domstate(uri, "hs-down")
    assert domstate(uri, "hs-kill").startswith("shut off"), domstate(uri, "hs-kill")
    assert domstate(uri, "hs-none") == "running (booted)", domstate(uri, "hs-none")
    assert qemu_of(d.root, "hs-none") == pids["hs-none"]
    assert not os.path.exists(images[0]) and not os.path.exists(saved)
    assert "GUEST-READY" not in console_text(serial["hs-save"]), console_text(serial["hs-save"])

    if vk:
        conn = vk.open(uri)
        g = Follower()
        conn.subscribe(g, since=last, epoch=epoch)
        want = [("hs-save", STOPPED), ("hs-down", SHUTDOWN), ("hs-down", STOPPED),
                ("hs-kill", STOPPED), ("hs-save", STARTED)]

        def life():
            return [e for e in g.get() if e.kind == "domain" and
                    e.event_id == 0 and e.num[0] in (STARTED, STOPPED, SHUTDOWN)]
        wait_for(lambda: len(life()) >= len(want), "the host shutdown's events")
        got = life()
        assert [(e.name, e.num[0]) for e in got] == want, [(e.name, e.num, e.requestor)
                                                          for e in got]
        details = {(e.name, e.num[0]): e.num[1] for e in got}
        assert details[("hs-save", STOPPED)] == STOPPED_SAVED
        assert details[("hs-kill", STOPPED)] == STOPPED_DESTROYED
        assert details[("hs-save", STARTED)] == STARTED_RESTORED
        assert all(e.requestor == "host" for e in got
                   if e.name != "hs-down" or e.num[0] != SHUTDOWN), \
            [(e.name, e.num, e.requestor) for e in got]
        conn.close()

    # it goes on from where it was: the power button, no new boot
    virsh(uri, "shutdown", "hs-save")
    wait_for(lambda: "GUEST-POWERBUTTON" in console_text(serial["hs-save"]),
             "the restored guest to answer the power button", 120)
    assert "GUEST-READY" not in console_text(serial["hs-save"])
    virsh(uri, "destroy", "hs-none")
    assert d.stop() == 0


def test_keep_and_bad_options():
    """--guests-on-stop keep leaves every guest running whatever its action;
    a bad value is refused at start."""
    d = Daemon(extra=["--guests-on-stop", "keep"]).start()
    uri = d.uri()
    virsh(uri, "define", write(os.path.join(d.root, "k.xml"),
                               with_policy(diskless_xml("k"), "destroy")))
    virsh(uri, "start", "k")
    pid = qemu_of(d.root, "k")
    assert pid
    assert d.stop() == 0
    assert pid_alive(pid) and "host shutdown" not in d.log()
    d.start()
    assert domstate(uri, "k") == "running (booted)"
    assert qemu_of(d.root, "k") == pid, (qemu_of(d.root, "k"), pid, qemu_pids(d.root))
    virsh(uri, "destroy", "k")
    assert d.stop() == 0
    # the total deadline bounds each guest's ladder: a SIGSTOPped QEMU whose
    # policy forbids SIGKILL is left running once the 2 s are spent
    d = Daemon(extra=["--guests-on-stop", "host-shutdown", "--host-shutdown-timeout",
                      "2"]).start()
    uri = d.uri()
    virsh(uri, "define", write(os.path.join(d.root, "h.xml"), with_policy(
        diskless_xml("h"), "shutdown", 0, "<virtkit:stop deadline='60' kill='no'/>")))
    virsh(uri, "start", "h")
    pid = qemu_of(d.root, "h")
    os.kill(pid, signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        assert d.stop() == 0
        took = time.monotonic() - t0
        assert pid_alive(pid)
        assert re.search(r"host shutdown: 'h' \(shutdown\) still running after \d+ ms: "
                         r".*SIGKILL not allowed by the policy", d.log()), d.log()
        assert took < 30, took
    finally:
        os.kill(pid, signal.SIGCONT)
        kill_pid(pid)
    bad = Daemon(extra=["--guests-on-stop", "sometimes"])
    bad.start(wait=False)
    assert bad.wait_exit(30) == 2
    assert "--guests-on-stop must be keep, host-shutdown or auto, not 'sometimes'" in bad.log()


if __name__ == "__main__":
    run_tests([
        ("host shutdown: save (restored at the next start), shutdown (ACPI), destroy, none "
         "(adopted), in priority order, requestor host", test_host_shutdown_actions),
        ("--guests-on-stop keep leaves guests running; the total deadline bounds a "
         "guest's ladder; a bad value is refused",
         test_keep_and_bad_options),
    ])
