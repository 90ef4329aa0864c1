#!/usr/bin/env python3
"""A guest kernel panic through virtkitd (issue 10's <panic> and <on_crash>), with the real clients.

- the "events" test guest (scripts/build-test-guest.sh) with virtkit.panic=1
  loads the kernel's pvpanic driver (pvpanic-mmio binds the ISA pvpanic
  device through ACPI QEMU0001) and panics through sysrq c; the kernel's
  panic notifier tells QEMU (GUEST_PANICKED): nothing is injected over QMP;
- <panic model='isa'/> with <on_crash>preserve</on_crash>: QEMU runs
  -device pvpanic (as libvirt 9.0 starts it), python3-libvirt sees the
  CRASHED/PANICKED lifecycle event through virtkitd, virsh says
  "crashed (panicked)", the QEMU process stays (QMP status guest-panicked)
  until virsh destroy;
- the same guest with <panic/> (the QEMU driver makes it model 'isa') and
  <on_crash>destroy</on_crash>: CRASHED/PANICKED, then STOPPED/CRASHED,
  "shut off (crashed)" and QEMU gone.
Two boots of the events guest, each waited for on its console and events
with deadlines.
"""
import json
import os
import sys
import threading

from vkdtest import console_text
from vkdtest import (Daemon, Skip, make_tmpdir, qemu_pids, run_tests, virsh, wait_for,
                     wait_guest, write)
from vkdtest import test_guest_dir

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

HERE = os.path.dirname(os.path.abspath(__file__))


def events_guest_dir():
    return test_guest_dir("events")


def guest_xml(name, guest, serial, panic, on_crash):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.panic=1</cmdline></os>
  <features><acpi/></features>
  <on_crash>%s</on_crash>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    %s
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, guest, guest, on_crash, serial, panic)


def qmp(uri, name, cmd):
    out = virsh(uri, "qemu-monitor-command", name, json.dumps({"execute": cmd})).stdout
    return json.loads(out)["return"]


class Events:
    """python3-libvirt's lifecycle events of one connection, in order."""

    def __init__(self, uri):
        libvirt.virEventRegisterDefaultImpl()
        self.conn = libvirt.open(uri)
        self.seen = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.id = self.conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self._on, None)
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _on(self, conn, dom, event, detail, opaque):
        with self.lock:
            self.seen.append((dom.name(), event, detail))

    def _loop(self):
        while not self.stop.is_set():
            libvirt.virEventRunDefaultImpl()

    def has(self, *ev):
        with self.lock:
            return ev in self.seen

    def close(self):
        self.conn.domainEventDeregisterAny(self.id)
        self.stop.set()
        # one more event wakes the loop: the deregistration's own timer
        self.thread.join(5)
        self.conn.close()


def boot_and_panic(d, guest, tmp, name, panic, on_crash):
    uri = d.uri()
    serial = os.path.join(tmp, name + ".log")
    path = write(os.path.join(tmp, name + ".xml"), guest_xml(name, guest, serial, panic,
                                                             on_crash))
    virsh(uri, "define", path)
    events = Events(uri)

    try:
        virsh(uri, "start", name)
        pids = qemu_pids(d.root)
        assert len(pids) == 1, pids
        argv = open("/proc/%d/cmdline" % pids[0], "rb").read().split(b"\0")
        i = argv.index(b"pvpanic")
        assert argv[i - 1] == b"-device", argv[i - 1:i + 1]
        wait_guest(lambda: "GUEST-PANICKING" in console_text(serial) or
                   "GUEST-PVPANIC-MISSING" in console_text(serial), "the guest loading pvpanic",
                   120, uri, name, serial, daemon=d, cpu_budget=15)
        assert "GUEST-PANICKING" in console_text(serial), console_text(serial)[-800:]
        wait_guest(lambda: events.has(name, libvirt.VIR_DOMAIN_EVENT_CRASHED,
                                      libvirt.VIR_DOMAIN_EVENT_CRASHED_PANICKED),
                   "the CRASHED/PANICKED event", 60, uri, name, serial, daemon=d)
        assert "Kernel panic" in console_text(serial), console_text(serial)[-800:]
        return uri, pids[0], events
    except BaseException:
        events.close()
        raise


def test_panic_preserve():
    guest = events_guest_dir()
    if not guest:
        raise Skip("the events test guest cannot be built here")
    d = Daemon().start()
    tmp = make_tmpdir()
    name = "panicpreserve"
    uri, pid, events = boot_and_panic(d, guest, tmp, name, "<panic model='isa'/>", "preserve")
    try:
        st = virsh(uri, "domstate", "--reason", name).stdout.strip()
        assert st == "crashed (panicked)", (st, qmp(uri, name, "query-status"), events.seen)
        assert qmp(uri, name, "query-status")["status"] == "guest-panicked"
        assert os.path.exists("/proc/%d" % pid)
        assert not events.has(name, libvirt.VIR_DOMAIN_EVENT_STOPPED,
                              libvirt.VIR_DOMAIN_EVENT_STOPPED_CRASHED)
        # the definition as libvirt 9.0 keeps it
        assert "<panic model='isa'/>" in virsh(uri, "dumpxml", "--inactive", name).stdout
        virsh(uri, "destroy", name)
        wait_for(lambda: not os.path.exists("/proc/%d" % pid), "QEMU to be gone", 30)
        assert virsh(uri, "domstate", "--reason", name).stdout.strip() == \
            "shut off (destroyed)"
    finally:
        events.close()
        virsh(uri, "destroy", name, check=False)
        virsh(uri, "undefine", name, check=False)
        d.stop()


def test_panic_destroy():
    guest = events_guest_dir()
    if not guest:
        raise Skip("the events test guest cannot be built here")
    d = Daemon().start()
    tmp = make_tmpdir()
    name = "panicdestroy"
    uri, pid, events = boot_and_panic(d, guest, tmp, name, "<panic/>", "destroy")
    try:
        wait_for(lambda: events.has(name, libvirt.VIR_DOMAIN_EVENT_STOPPED,
                                    libvirt.VIR_DOMAIN_EVENT_STOPPED_CRASHED),
                 "the STOPPED/CRASHED event", 60)
        wait_for(lambda: not os.path.exists("/proc/%d" % pid), "QEMU to be gone", 30)
        assert virsh(uri, "domstate", "--reason", name).stdout.strip() == "shut off (crashed)"
    finally:
        events.close()
        virsh(uri, "destroy", name, check=False)
        virsh(uri, "undefine", name, check=False)
        d.stop()


if __name__ == "__main__":
    run_tests([("panic_preserve", test_panic_preserve),
               ("panic_destroy", test_panic_destroy)])
