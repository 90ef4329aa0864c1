#!/usr/bin/env python3
"""The watchdog of a running guest through virtkitd (issues 10 and 15), with the real clients.

- definitions: Debian's virsh defines <watchdog> as libvirt 9.0 does
  (action 'reset' by default, a PCI address behind the pcie-to-pci-bridge
  for i6300esb on q35) and gets libvirt's errors, code and domain numbers
  through python3-libvirt ('itco' is unknown to libvirt 9.0; diag288 is
  s390 only; ib700 takes no address; one watchdog at most); a refused
  definition changes nothing;
- a real boot: the "events" test guest (scripts/build-test-guest.sh) arms
  the i6300esb from userspace (its cloud kernel has no driver for it:
  CONFIG_I6300ESB_WDT is not set) and never feeds it; with action='pause'
  QEMU pauses the guest: python3-libvirt sees the WATCHDOG event (action
  pause) and the SUSPENDED/WATCHDOG lifecycle event through virtkitd, and
  virsh says "paused (watchdog)"; QEMU runs the device as libvirt starts it
  (-watchdog-action pause, qom-list child<i6300esb> 'watchdog0');
- hotplug on the same guest, with libvirt 9.0's answers: a second one,
  ib700 or diag288, a detach that does not name the domain's own (model,
  action, address) are refused and change nothing; detach --live unplugs
  it (the guest's ACPI hotplug lets it go: DEVICE_REMOVED, QEMU has no
  watchdog0, the definition keeps it); one with action 'dump' plugged in
  and fired: QEMU pauses, the guest's memory is dumped (ELF) into the
  driver's dump folder and the guest resumed (RESUMED event), as
  libvirt's auto_dump_path; unplugged by alias; attach --live with Debian's virsh
  (action 'shutdown') plugs one in at the same slot (DEVICE_ADDED), the
  guest arms it, and when it fires QEMU presses the power button (WATCHDOG
  action shutdown) and the guest powers off; --config detach takes the
  definition's watchdog whichever it is, as libvirt 9.0.
"""
import os
import re
import sys
import threading

from vkdtest import console_text
from vkdtest import (Daemon, Skip, make_tmpdir, qemu_pids, qmp, run_tests, virsh, wait_for,
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


def guest_xml(name, guest, serial, cmdline, devices):
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
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, guest, guest, cmdline, serial, devices)


def small_xml(name, machine, devices):
    return ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64' machine='%s'>hvm</type></os>"
            "<devices>%s</devices></domain>" % (name, machine, devices))


def watchdog_lines(xml):
    lines = xml.splitlines()
    for i, l in enumerate(lines):
        if l.strip().startswith("<watchdog"):
            j = i
            while not (lines[j].strip().endswith("/>") and j == i) and \
                    lines[j].strip() != "</watchdog>":
                j += 1
            return "\n".join(x.strip() for x in lines[i:j + 1])
    return None


# libvirt 9.0's answers (recorded from Debian's libvirtd, qemu:///session):
# (code, domain, message) of each refused <watchdog>
REFUSED = [
    ("q35", "<watchdog action='dump'/>",
     (1, 20, "internal error: watchdog must contain model name")),
    ("q35", "<watchdog model='itco'/>",
     (67, 20, "unsupported configuration: unknown watchdog model 'itco'")),
    ("q35", "<watchdog model='i6300esb' action='bar'/>",
     (67, 20, "unsupported configuration: unknown watchdog action 'bar'")),
    ("q35", "<watchdog model='i6300esb'/><watchdog model='ib700'/>",
     (1, 20, "internal error: only a single watchdog device is supported")),
    ("q35", "<watchdog model='diag288'/>",
     (67, 10, "unsupported configuration: diag288 model of watchdog is allowed for "
              "s390 and s390x only")),
    ("pc", "<watchdog model='ib700'><address type='pci' domain='0x0000' bus='0x00' "
           "slot='0x05' function='0x0'/></watchdog>",
     (67, 10, "unsupported configuration: ib700 model of watchdog does not support "
              "configuring the address")),
    ("q35", "<watchdog model='i6300esb'><address type='isa' iobase='0x505'/></watchdog>",
     (67, 10, "unsupported configuration: i6300esb model of watchdog can go only on "
              "PCI bus")),
]


def test_definitions():
    d = Daemon().start()
    uri = d.uri()
    conn = libvirt.open(uri)
    try:
        # a refused definition leaves nothing behind (not even a domain
        # defined before it under the same name changes)
        conn.defineXML(small_xml("wd", "q35", "<watchdog model='ib700' action='none'/>"))
        before = conn.lookupByName("wd").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        for machine, dev, want in REFUSED:
            try:
                conn.defineXML(small_xml("wd", machine, dev))
            except libvirt.libvirtError as e:
                got = (e.get_error_code(), e.get_error_domain(), e.get_error_message())
                assert got == want, "%s: %r, want %r" % (dev, got, want)
            else:
                raise AssertionError("%s was accepted" % dev)
            now = conn.lookupByName("wd").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
            assert now == before, "a refused definition changed the domain:\n" + now
        # libvirt's defaults and addresses, as Debian's virsh shows them
        cases = [
            ("q35", "<watchdog model='i6300esb'/>",
             "<watchdog model='i6300esb' action='reset'>\n<address type='pci' "
             "domain='0x0000' bus='0x03' slot='0x01' function='0x0'/>\n</watchdog>"),
            ("pc", "<watchdog model='i6300esb' action='dump'/>",
             "<watchdog model='i6300esb' action='dump'>\n<address type='pci' "
             "domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n</watchdog>"),
            ("q35", "<watchdog model='ib700' action='inject-nmi'/>",
             "<watchdog model='ib700' action='inject-nmi'/>"),
        ]
        tmp = make_tmpdir()
        for i, (machine, dev, want) in enumerate(cases):
            path = write(os.path.join(tmp, "wd.xml"),
                         small_xml("wd%d" % i, machine, dev + "<memballoon model='none'/>"))
            virsh(uri, "define", path)
            got = watchdog_lines(virsh(uri, "dumpxml", "--inactive", "wd%d" % i).stdout)
            assert got == want, "%s: got\n%s\nwant\n%s" % (dev, got, want)
    finally:
        conn.close()
        d.stop()


def test_watchdog_fires():
    guest = events_guest_dir()
    if not guest:
        raise Skip("the events test guest cannot be built here")
    d = Daemon().start()
    uri = d.uri()
    tmp = make_tmpdir()
    serial = os.path.join(tmp, "serial.log")
    name = "wdguest"
    # also: a pty serial beside the file one, and a 9p share (on the root
    # bus: the watchdog keeps its slot), for their live XML and QEMU's view
    # (QEMU runs as the daemon's QEMU user: the share must be open to it;
    # libvirt does not relabel 9p sources either)
    share = os.path.join(tmp, "share")
    os.mkdir(share, 0o755)
    os.chmod(tmp, 0o711)
    path = write(os.path.join(tmp, "g.xml"),
                 guest_xml(name, guest, serial, "virtkit.watchdog=1",
                           "<serial type='pty'/>"
                           "<filesystem type='mount' accessmode='mapped'>"
                           "<source dir='%s'/><target dir='vkshare'/><readonly/>"
                           "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' "
                           "function='0x0'/></filesystem>"
                           "<watchdog model='i6300esb' action='pause'/>" % share))
    virsh(uri, "define", path)

    # python3-libvirt listens through the wire
    libvirt.virEventRegisterDefaultImpl()
    conn = libvirt.open(uri)
    seen = []
    lock = threading.Lock()

    def on_watchdog(c, dom, action, opaque):
        with lock:
            seen.append(("watchdog", dom.name(), action))

    def on_lifecycle(c, dom, event, detail, opaque):
        with lock:
            seen.append(("lifecycle", dom.name(), event, detail))

    def on_device(kind):
        def cb(c, dom, alias, opaque):
            with lock:
                seen.append((kind, dom.name(), alias))
        return cb

    ids = [conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_WATCHDOG,
                                       on_watchdog, None),
           conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       on_lifecycle, None),
           conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                       on_device("added"), None),
           conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                       on_device("removed"), None)]
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()

    t = threading.Thread(target=loop, daemon=True)
    t.start()

    try:
        virsh(uri, "start", name)
        live = virsh(uri, "dumpxml", name).stdout
        wd = watchdog_lines(live)
        assert wd == ("<watchdog model='i6300esb' action='pause'>\n<alias name='watchdog0'/>\n"
                      "<address type='pci' domain='0x0000' bus='0x03' slot='0x01' "
                      "function='0x0'/>\n</watchdog>"), wd
        periph = qmp(uri, name, "qom-list", {"path": "/machine/peripheral"})
        assert {"name": "watchdog0", "type": "child<i6300esb>"} in periph, periph
        # libvirt's live XML of the chardevs (as Debian's libvirtd writes it
        # for this guest): every serial and console with its alias, the
        # serial console carrying its serial's
        chrs = re.findall(r"<(serial|console) type='(\w+)'[^>]*>(.*?)</\1>", live, re.S)
        aliases = [(k, t, re.search(r"<alias name='([^']+)'/>", body).group(1))
                   for k, t, body in chrs]
        assert aliases == [("serial", "file", "serial0"), ("serial", "pty", "serial1"),
                           ("console", "file", "serial0")], (aliases, live)
        pty = re.search(r"<serial type='pty'>\s*<source path='(/dev/pts/\d+)'/>", live)
        assert pty and os.path.exists(pty.group(1)), live
        # the 9p share: libvirt's live XML, and QEMU's device with its tag
        m = re.search(r"<filesystem type='mount' accessmode='mapped'>.*?</filesystem>", live,
                      re.S)
        assert m and "<alias name='fs0'/>" in m.group(0) and "<readonly/>" in m.group(0), live
        assert {"name": "fs0", "type": "child<virtio-9p-pci>"} in periph, periph
        assert qmp(uri, name, "qom-get", {"path": "/machine/peripheral/fs0/virtio-backend",
                                          "property": "mount_tag"}) == "vkshare"
        pids = qemu_pids(d.root)
        assert len(pids) == 1, pids
        argv = open("/proc/%d/cmdline" % pids[0], "rb").read().split(b"\0")
        i = argv.index(b"-watchdog-action")
        assert argv[i + 1] == b"pause", argv[i:i + 2]

        wait_guest(lambda: "GUEST-WATCHDOG-" in console_text(serial),
                   "the guest arming its watchdog", 120, uri, name, serial, daemon=d, cpu_budget=15)
        assert "GUEST-WATCHDOG-ARMED" in console_text(serial), console_text(serial)[-500:]

        def fired():
            with lock:
                return ("watchdog", name, libvirt.VIR_DOMAIN_EVENT_WATCHDOG_PAUSE) in seen and \
                    ("lifecycle", name, libvirt.VIR_DOMAIN_EVENT_SUSPENDED,
                     libvirt.VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG) in seen

        wait_guest(fired, "the WATCHDOG and SUSPENDED/watchdog events", 60, uri, name,
                   serial, daemon=d)
        assert virsh(uri, "domstate", "--reason", name).stdout.strip() == "paused (watchdog)"
        st = qmp(uri, name, "query-status")
        assert st["status"] == "watchdog" and not st["running"], st
        dom = conn.lookupByName(name)
        assert dom.state() == [libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_PAUSED_WATCHDOG]

        # hotplug (libvirt 9.0's answers, recorded from Debian's libvirtd):
        # the refusals first, each changing nothing
        dom.resume()
        wait_for(lambda: ("lifecycle", name, libvirt.VIR_DOMAIN_EVENT_RESUMED,
                          libvirt.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED) in seen,
                 "the RESUMED event", 30)
        L, C = libvirt.VIR_DOMAIN_AFFECT_LIVE, libvirt.VIR_DOMAIN_AFFECT_CONFIG
        INACTIVE = libvirt.VIR_DOMAIN_XML_INACTIVE
        esb_pause = ("<watchdog model='i6300esb' action='pause'><address type='pci' "
                     "domain='0x0000' bus='0x03' slot='0x01' function='0x0'/></watchdog>")

        def err(fn, *args):
            try:
                fn(*args)
            except libvirt.libvirtError as e:
                return (e.get_error_code(), e.get_error_domain(), e.get_error_message())
            return None

        live_before = dom.XMLDesc(0)
        config_before = dom.XMLDesc(INACTIVE)
        for fn, xml, flags, want in (
                (dom.attachDeviceFlags, "<watchdog model='i6300esb'/>", L,
                 (55, 10, "Requested operation is not valid: domain already has a watchdog")),
                (dom.attachDeviceFlags, "<watchdog model='ib700'/>", C,
                 (55, 10, "Requested operation is not valid: domain already has a watchdog")),
                (dom.attachDeviceFlags, "<watchdog model='diag288'/>", L,
                 (67, 10, "unsupported configuration: diag288 model of watchdog is allowed "
                          "for s390 and s390x only")),
                # a live detach names the domain's own: model, action, address
                (dom.detachDeviceFlags, "<watchdog model='i6300esb' action='pause'/>", L,
                 (99, 10, "device not found: model 'i6300esb' watchdog device not present "
                          "in domain configuration")),
                (dom.detachDeviceFlags, esb_pause.replace("pause", "reset"), L | C,
                 (99, 10, "device not found: model 'i6300esb' watchdog device not present "
                          "in domain configuration"))):
            got = err(fn, xml, flags)
            assert got == want, (xml, flags, got)
        assert dom.XMLDesc(0) == live_before and dom.XMLDesc(INACTIVE) == config_before

        # detach --live: QEMU lets it go (the guest's ACPI hotplug), the
        # live definition follows, DEVICE_REMOVED; the definition keeps it
        dom.detachDeviceFlags(esb_pause, L)
        wait_for(lambda: ("removed", name, "watchdog0") in seen, "DEVICE_REMOVED watchdog0", 30)
        assert watchdog_lines(dom.XMLDesc(0)) is None, dom.XMLDesc(0)
        assert watchdog_lines(dom.XMLDesc(INACTIVE)) is not None
        assert not [p for p in qmp(uri, name, "qom-list", {"path": "/machine/peripheral"})
                    if p["name"] == "watchdog0"]
        for fn, xml, want in (
                (dom.detachDeviceFlags, esb_pause,
                 (99, 10, "device not found: watchdog device not present in domain "
                          "configuration")),
                (dom.attachDeviceFlags, "<watchdog model='ib700'/>",
                 (84, 10, "Operation not supported: hotplug of watchdog of model ib700 is "
                          "not supported"))):
            got = err(fn, xml, L)
            assert got == want, (xml, got)

        # action 'dump' (QEMU pauses; libvirt dumps the memory into its
        # auto_dump_path and resumes): plugged with python3-libvirt, armed
        # by the guest, fired: WATCHDOG pause, an ELF memory dump of the
        # guest in <libDir>/dump, RESUMED/unpaused, running again
        resumed = ("lifecycle", name, libvirt.VIR_DOMAIN_EVENT_RESUMED,
                   libvirt.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED)
        nresumed = seen.count(resumed)
        dom.attachDeviceFlags("<watchdog model='i6300esb' action='dump'/>", L)
        wait_for(lambda: seen.count(("added", name, "watchdog0")) == 1,
                 "DEVICE_ADDED watchdog0", 30)
        dumpdir = os.path.join(d.dirs["state"], "qemu", "dump")
        wait_guest(lambda: console_text(serial).count("GUEST-WATCHDOG-ARMED") >= 2,
                   "the guest arming the plugged watchdog", 60, uri, name, serial, daemon=d)
        wait_guest(lambda: seen.count(("watchdog", name, libvirt.VIR_DOMAIN_EVENT_WATCHDOG_PAUSE))
                   == 2 and seen.count(resumed) == nresumed + 1,
                   "the dump and the resume", 120, uri, name, serial, daemon=d)
        dumps = os.listdir(dumpdir)
        assert len(dumps) == 1 and dumps[0].startswith(name + "-"), dumps
        with open(os.path.join(dumpdir, dumps[0]), "rb") as f:
            assert f.read(4) == b"\x7fELF"
        size = os.path.getsize(os.path.join(dumpdir, dumps[0]))
        assert size >= 256 << 20, size
        assert dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_UNPAUSED]
        os.unlink(os.path.join(dumpdir, dumps[0]))
        dom.detachDeviceAlias("watchdog0", L)
        wait_for(lambda: seen.count(("removed", name, "watchdog0")) == 2,
                 "DEVICE_REMOVED watchdog0", 30)

        # attach --live with Debian's virsh, action 'shutdown': the guest
        # sees the new device and arms it; when it fires QEMU presses the
        # power button (WATCHDOG action shutdown) and the guest powers off
        virsh(uri, "attach-device", name, write(os.path.join(tmp, "wd.xml"),
              "<watchdog model='i6300esb' action='shutdown'/>"), "--live")
        wait_for(lambda: seen.count(("added", name, "watchdog0")) == 2,
                 "DEVICE_ADDED watchdog0", 30)
        wd = watchdog_lines(dom.XMLDesc(0))
        assert wd == ("<watchdog model='i6300esb' action='shutdown'>\n<alias name='watchdog0'/>"
                      "\n<address type='pci' domain='0x0000' bus='0x03' slot='0x01' "
                      "function='0x0'/>\n</watchdog>"), wd
        assert {"name": "watchdog0", "type": "child<i6300esb>"} in \
            qmp(uri, name, "qom-list", {"path": "/machine/peripheral"})
        wait_guest(lambda: console_text(serial).count("GUEST-WATCHDOG-ARMED") >= 3,
                   "the guest arming the plugged watchdog", 60, uri, name, serial, daemon=d)
        wait_guest(lambda: ("watchdog", name, libvirt.VIR_DOMAIN_EVENT_WATCHDOG_SHUTDOWN)
                   in seen and "GUEST-POWERBUTTON" in console_text(serial),
                   "the watchdog's shutdown reaching the guest", 60, uri, name, serial,
                   daemon=d)
        wait_for(lambda: dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF, "the guest off", 60)

        # --config: libvirt 9.0 takes the definition's watchdog whichever
        # it is; with none, "domain has no watchdog"
        virsh(uri, "detach-device", name, write(os.path.join(tmp, "ib.xml"),
              "<watchdog model='ib700'/>"), "--config")
        assert watchdog_lines(dom.XMLDesc(INACTIVE)) is None
        got = err(dom.detachDeviceFlags, "<watchdog model='ib700'/>", C)
        assert got == (99, 10, "device not found: domain has no watchdog"), got
        virsh(uri, "attach-device", name, os.path.join(tmp, "ib.xml"), "--config")
        assert watchdog_lines(dom.XMLDesc(INACTIVE)) == "<watchdog model='ib700' action='reset'/>"
    finally:
        for i in ids:
            try:
                conn.domainEventDeregisterAny(i)
            except libvirt.libvirtError:
                pass
        stop.set()
        conn.close()
        virsh(uri, "destroy", name, check=False)
        d.stop()


if __name__ == "__main__":
    run_tests([
        ("watchdog definitions and libvirt's errors", test_definitions),
        ("the guest's watchdog fires (pause); unplug, plug, fires (dump), again (shutdown)",
         test_watchdog_fires),
    ])
