#!/usr/bin/env python3
"""Device options libvirt 9.0 accepts, through virtkitd on real guests (issue 10).

- <memballoon autodeflate freePageReporting><stats period/>: a real start
  gives QEMU's balloon deflate-on-oom, free-page-reporting and
  guest-stats-polling-interval (each read back with qom-get);
  virDomainSetMemoryStatsPeriod changes the running guest's period (QEMU's
  property and the live <stats>) and the persistent definition's, both at
  once too, with libvirtd 9.0's errors (a transient domain's config, a
  balloon of model none, LIVE on a shut-off domain, a negative period),
  each compared with Debian's libvirtd on the same calls.
- virtiofs <driver ats packed page_per_vq>: vhost-user-fs-pci gets them at
  start and on attach-device, as libvirtd 9.0 passes them (ats and
  page-per-vq read back with qom-get; QEMU reads packed back as false
  under libvirtd too: Debian's virtiofsd does not offer the feature, and
  the xml2argv goldens hold the property).
- <input type='passthrough'> and <input type='evdev'>: kept as libvirtd
  keeps them; this machine has no /dev/input, so a start and an attach get
  libvirtd 9.0's errors for a missing evdev (cgroup's SYSTEM_ERROR "Path
  ... is not accessible", its quirks for an input without a path), an
  evdev attach its "bus 'none' cannot be hot plugged", a transitional
  model its refusal, each leaving the domain as it was (compared with
  Debian's libvirtd on the same calls).
- <video><driver name='vhostuser'> and <model><acceleration>: kept as
  libvirtd keeps them; a vhostuser start gets libvirtd's "Unable to find a
  satisfying vhost-user-gpu" (Debian ships no vhost-user-gpu descriptor),
  an accel3d='yes' start QEMU's own refusal of virtio-vga-gl (its OpenGL
  module is not installed), as under libvirtd; both leave the domain
  shut off.
- attach-device of a device whose <address> is on a root port with
  <target hotplug='off'> gets libvirtd 9.0's "requires hotplug capability"
  error (RNG, input, interface), and a device without an address skips
  that port, as libvirtd does with the same calls.
- interface <rom bar file enabled>: QEMU's rombar and romfile (qom-get) at
  start and on attach-device as under libvirtd 9.0 (romfile= when
  disabled); update-device that changes a running interface's ROM gets
  libvirtd's "cannot modify network ..." and the ROM stays.
- <interface type='vdpa'><source dev>: kept as libvirtd keeps it (model
  virtio added); this machine has no vhost-vdpa device, so a start and an
  attach get libvirtd 9.0's "Unable to open '/dev/vhost-vdpa-0' for vdpa
  device" (SYSTEM_ERROR, domain QEMU, the same calls compared) and leave
  the domain as it was.
"""
import os
import re
import sys

from vkdtest import Daemon, qom_get, run_tests

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

LIVE = libvirt.VIR_DOMAIN_AFFECT_LIVE
CONFIG = libvirt.VIR_DOMAIN_AFFECT_CONFIG


def domain(name, devices, machine="q35"):
    return ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64' machine='%s'>hvm</type></os>"
            "<devices>%s</devices></domain>" % (name, machine, devices))


def balloon_prop(uri, name, prop):
    return qom_get(uri, name, "/machine/peripheral/balloon0", prop)


def expect_error(call, code, domain_, msg):
    try:
        call()
    except libvirt.libvirtError as e:
        got = (e.get_error_code(), e.get_error_domain(), str(e))
        assert got == (code, domain_, msg), got
        return
    raise AssertionError("no error, expected: " + msg)


def stats_lines(dom, flags=0):
    return re.findall(r"<stats period='(-?\d+)'/>", dom.XMLDesc(flags))


def test_memballoon():
    d = Daemon().start()
    uri = d.uri()
    c = libvirt.open(uri)
    try:
        dom = c.createXML(domain("mbt", "<memballoon model='virtio' autodeflate='on' "
                                        "freePageReporting='on'><stats period='7'/>"
                                        "</memballoon>"), 0)
        assert balloon_prop(uri, "mbt", "deflate-on-oom") is True
        assert balloon_prop(uri, "mbt", "free-page-reporting") is True
        assert balloon_prop(uri, "mbt", "guest-stats-polling-interval") == 7
        expect_error(lambda: dom.setMemoryStatsPeriod(3, CONFIG), 55, 20,
                     "Requested operation is not valid: transient domains do not have "
                     "any persistent config")
        dom.setMemoryStatsPeriod(3, LIVE)
        assert balloon_prop(uri, "mbt", "guest-stats-polling-interval") == 3
        assert stats_lines(dom) == ["3"]
        dom.destroy()

        dom = c.defineXML(domain("mbn", "<memballoon model='none'/>"))
        msg = ("internal error: No memory balloon device configured, can not set the "
               "collection period")
        expect_error(lambda: dom.setMemoryStatsPeriod(3, CONFIG), 1, 10, msg)
        expect_error(lambda: dom.setMemoryStatsPeriod(3, LIVE), 55, 20,
                     "Requested operation is not valid: domain is not running")
        dom.create()
        expect_error(lambda: dom.setMemoryStatsPeriod(3, 0), 1, 10, msg)
        dom.destroy()
        dom.undefine()

        dom = c.defineXML(domain("mbv", ""))
        expect_error(lambda: dom.setMemoryStatsPeriod(4, LIVE | CONFIG), 55, 20,
                     "Requested operation is not valid: domain is not running")
        dom.setMemoryStatsPeriod(4, CONFIG)
        assert stats_lines(dom, libvirt.VIR_DOMAIN_XML_INACTIVE) == ["4"]
        dom.create()
        assert balloon_prop(uri, "mbv", "guest-stats-polling-interval") == 4
        dom.setMemoryStatsPeriod(0, LIVE | CONFIG)
        assert balloon_prop(uri, "mbv", "guest-stats-polling-interval") == 0
        assert stats_lines(dom) == []
        assert stats_lines(dom, libvirt.VIR_DOMAIN_XML_INACTIVE) == []
        expect_error(lambda: dom.setMemoryStatsPeriod(-1, 0), 8, 20,
                     "period in virDomainSetMemoryStatsPeriod must be zero or greater")
        dom.destroy()
        dom.undefine()
        assert c.listAllDomains() == []
    finally:
        c.close()
    assert d.stop() == 0


MAC0 = "52:54:00:00:00:01"
VDPA = ("<interface type='vdpa'><mac address='52:54:00:95:db:c0'/>"
        "<source dev='/dev/vhost-vdpa-0'/></interface>")
VDPA_ERR = "Unable to open '/dev/vhost-vdpa-0' for vdpa device: No such file or directory"
E1000_ROM = "/usr/lib/ipxe/qemu/pxe-e1000.rom"

SHARED = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"


def virtiofs_xml(share, tag, options):
    return ("<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs' %s/>"
            "<source dir='%s'/><target dir='%s'/></filesystem>" % (options, share, tag))


def test_virtiofs_options():
    d = Daemon()
    os.chmod(d.root, 0o755)
    d.start()
    uri = d.uri()
    c = libvirt.open(uri)
    share = os.path.join(d.root, "share")
    os.mkdir(share)
    try:
        xml = ("<domain type='qemu'><name>vfo</name><memory unit='MiB'>64</memory>%s"
               "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>%s"
               "<controller type='pci' index='8' model='pcie-root-port'/></devices></domain>"
               % (SHARED, virtiofs_xml(share, "one", "ats='on' packed='on'")))
        dom = c.createXML(xml, 0)
        fs0 = "/machine/peripheral/fs0"
        assert qom_get(uri, "vfo", fs0, "ats") is True
        assert qom_get(uri, "vfo", fs0, "page-per-vq") is False
        dom.attachDeviceFlags(virtiofs_xml(share, "two", "packed='on' page_per_vq='on'"),
                              LIVE)
        fs1 = "/machine/peripheral/fs1"
        assert qom_get(uri, "vfo", fs1, "page-per-vq") is True
        assert qom_get(uri, "vfo", fs1, "ats") is False
        assert "page_per_vq='on'" in dom.XMLDesc(0)
        dom.destroy()
        assert c.listAllDomains() == []
    finally:
        c.close()
    assert d.stop() == 0


def test_inputs():
    d = Daemon().start()
    uri = d.uri()
    c = libvirt.open(uri)
    missing = "/dev/input/event-virtkit-none"
    try:
        dom = c.defineXML(domain("inp", "<input type='passthrough'><source evdev='%s'/>"
                                        "</input><input type='evdev'><source dev='%s' "
                                        "grab='all' grabToggle='ctrl-ctrl' repeat='on'/>"
                                        "</input>" % (missing, missing)))
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert "<input type='passthrough' bus='virtio'>\n      <source evdev='%s'/>\n" \
               "      <address type='pci'" % missing in xml, xml
        assert "<input type='evdev'>\n      <source dev='%s' grab='all' grabToggle='ctrl-ctrl' " \
               "repeat='on'/>\n    </input>" % missing in xml, xml
        expect_error(dom.create, 38, 54, "Path '%s' is not accessible: No such file or "
                     "directory" % missing)
        assert not dom.isActive()
        dom.undefine()
        for dev, code, dom_, msg in (
                ("<input type='evdev'><source dev='%s'/></input>" % missing, 38, 54,
                 "Path '%s' is not accessible: No such file or directory" % missing),
                ("<input type='passthrough' bus='virtio'/>", 38, 54,
                 "Path '(null)' is not accessible: Bad address"),
                ("<input type='evdev'/>", 1, 0,
                 "internal error: argument key 'evdev' must not have null value")):
            expect_error(lambda: c.createXML(domain("inp", dev), 0), code, dom_, msg)
        assert c.listAllDomains() == []

        dom = c.createXML(domain("inp", "<controller type='pci' index='8' "
                                        "model='pcie-root-port'/>"), 0)
        before = dom.XMLDesc(0)
        for dev, code, dom_, msg in (
                ("<input type='passthrough' bus='virtio'><source evdev='%s'/></input>"
                 % missing, 38, 54,
                 "Path '%s' is not accessible: No such file or directory" % missing),
                ("<input type='evdev'><source dev='%s'/></input>" % missing, 84, 10,
                 "Operation not supported: input device on bus 'none' cannot be hot plugged."),
                ("<input type='passthrough' bus='virtio' model='virtio-transitional'>"
                 "<source evdev='%s'/></input>" % missing, 67, 10,
                 "unsupported configuration: virtio (non-)transitional models are not "
                 "supported for input type=passthrough")):
            expect_error(lambda: dom.attachDevice(dev), code, dom_, msg)
        assert dom.XMLDesc(0) == before
        dom.destroy()
    finally:
        c.close()
    assert d.stop() == 0


def test_videos():
    d = Daemon().start()
    c = libvirt.open(d.uri())
    try:
        dom = c.defineXML(domain("vu", "<video><driver name='vhostuser'/><model type='virtio'>"
                                       "<acceleration accel3d='yes' rendernode='/dev/dri/x'/>"
                                       "</model></video>"))
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert "<driver name='vhostuser'/>\n      <model type='virtio' heads='1' " \
               "primary='yes'>\n        <acceleration accel3d='yes' " \
               "rendernode='/dev/dri/x'/>" in xml, xml
        expect_error(dom.create, 9, 10,
                     "operation failed: Unable to find a satisfying vhost-user-gpu")
        assert not dom.isActive()
        dom.undefine()
        dom = c.defineXML(domain("gl", "<video><model type='virtio'><acceleration "
                                       "accel3d='yes'/></model></video>"))
        try:
            dom.create()
            raise AssertionError("virtio-vga-gl started without QEMU's OpenGL module")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == 1 and e.get_error_domain() == 10, str(e)
            assert "virtio-vga-gl" in str(e) and \
                "missing object type 'virtio-gpu-gl-device'" in str(e), str(e)
        assert not dom.isActive()
        dom.undefine()
    finally:
        c.close()
    assert d.stop() == 0


def test_hotplug_off():
    d = Daemon().start()
    c = libvirt.open(d.uri())
    try:
        dom = c.createXML(domain("hp", "<controller type='usb' model='none'/>"
                                       "<memballoon model='none'/>"
                                       "<controller type='pci' index='1' model='pcie-root-port'>"
                                       "<target hotplug='off'/></controller>"
                                       "<controller type='pci' index='2' "
                                       "model='pcie-root-port'/>"
                                       "<controller type='pci' index='3' "
                                       "model='pcie-root-port'/>"
                                       "<controller type='pci' index='4' "
                                       "model='pcie-root-port'/>"
                                       "<controller type='pci' index='5' "
                                       "model='pcie-root-port'/>"
                                       "<interface type='user'><mac address='%s'/>"
                                       "<model type='virtio'/>"
                                       "<rom bar='off'/><address type='pci' bus='0x04' "
                                       "slot='0x00'/></interface>"
                                       "<interface type='user'><model type='e1000'/>"
                                       "<rom file='%s'/><address type='pci' bus='0x00' "
                                       "slot='0x05'/></interface>" % (MAC0, E1000_ROM)), 0)
        addr = "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
        before = dom.XMLDesc(0)
        msg = ("XML error: The device at PCI address 0000:01:00.0 requires hotplug "
               "capability, but the PCI controller with index='1' doesn't support hotplug")
        for dev in ("<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
                    "%s</rng>" % addr,
                    "<input type='tablet' bus='virtio'>%s</input>" % addr,
                    "<interface type='user'><model type='virtio'/>%s</interface>" % addr):
            expect_error(lambda: dom.attachDevice(dev), 27, 20, msg)
        assert dom.XMLDesc(0) == before
        dom.attachDevice("<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
                         "</rng>")
        rng = re.search(r"<rng model='virtio'>.*?</rng>", dom.XMLDesc(0), re.S).group(0)
        assert "bus='0x02' slot='0x00'" in rng, rng

        # <rom>: QEMU's rombar / romfile at start and on attach, as under
        # libvirtd; a running interface's ROM cannot change
        assert qom_get(d.uri(), "hp", "net0", "rombar") == 0
        assert qom_get(d.uri(), "hp", "net0", "romfile") == "efi-virtio.rom"
        assert qom_get(d.uri(), "hp", "net1", "rombar") == 1
        assert qom_get(d.uri(), "hp", "net1", "romfile") == E1000_ROM
        dom.attachDevice("<interface type='user'><mac address='52:54:00:00:00:03'/>"
                         "<model type='virtio'/><rom enabled='no'/></interface>")
        assert qom_get(d.uri(), "hp", "net2", "romfile") == ""
        assert "<rom enabled='no'/>" in dom.XMLDesc(0)
        for rom, what in (("<rom bar='on'/>", "device rom bar setting"),
                          ("<rom file='/x.rom'/>", "rom file"),
                          ("<rom enabled='no'/>", "device rom enabled setting")):
            expect_error(lambda: dom.updateDeviceFlags(
                "<interface type='user'><mac address='%s'/><model type='virtio'/>%s"
                "</interface>" % (MAC0, rom), LIVE), 84, 10,
                "Operation not supported: cannot modify network " + what)
        dom.updateDeviceFlags("<interface type='user'><mac address='%s'/>"
                              "<model type='virtio'/><link state='down'/></interface>" % MAC0,
                              LIVE)
        assert "<rom bar='off'/>" in dom.XMLDesc(0)

        # vdpa: kept as libvirtd keeps it (virtio model added); this machine
        # has no vhost-vdpa device: libvirtd 9.0's error at start and on
        # attach, and nothing changes
        before = dom.XMLDesc(0)
        expect_error(lambda: dom.attachDeviceFlags(VDPA, LIVE), 38, 10, VDPA_ERR)
        assert dom.XMLDesc(0) == before
        dom.destroy()
        vd = c.defineXML(domain("vd", VDPA))
        assert ("<interface type='vdpa'>\n      <mac address='52:54:00:95:db:c0'/>\n"
                "      <source dev='/dev/vhost-vdpa-0'/>\n      <model type='virtio'/>"
                in vd.XMLDesc(0)), vd.XMLDesc(0)
        expect_error(vd.create, 38, 10, VDPA_ERR)
        assert vd.info()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        vd.undefine()
    finally:
        c.close()
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("<memballoon autodeflate freePageReporting><stats period>: QEMU's properties on "
         "a real start; virDomainSetMemoryStatsPeriod live and config, libvirtd's errors",
         test_memballoon),
        ("virtiofs <driver ats packed page_per_vq> at start and on attach-device",
         test_virtiofs_options),
        ("passthrough and evdev inputs: kept; libvirtd's errors at start and attach for "
         "a missing evdev", test_inputs),
        ("vhostuser and accelerated videos: kept; libvirtd's errors at start", test_videos),
        ("attach-device onto a root port with hotplug='off': libvirtd's error; skipped "
         "when no address is given; interface <rom> at start, attach and update; vdpa "
         "interfaces: libvirtd's errors at start and attach",
         test_hotplug_off),
    ])
