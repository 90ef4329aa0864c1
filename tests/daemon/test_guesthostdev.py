#!/usr/bin/env python3
"""<hostdev> through virtkitd (issue 10) on a host that has none of the devices, with python3-libvirt.

This machine has no VFIO (no IOMMU group, no /dev/vfio), no USB bus in
sysfs, no SCSI host, no /dev/vhost-scsi and no mediated devices (and no
kernel modules to load scsi_debug), so no host device can reach a guest.
What is checked is what libvirtd 9.0 answers here (each code, domain and
message below was recorded from Debian's libvirtd on this machine, as
scripts/bench.sh runs it):
- a definition with each kind of hostdev defines, keeps it as libvirt
  writes it, and its start fails with libvirt's error for the first host
  device missing; the domain stays shut off, no QEMU is left, the
  definition is unchanged;
- on a running guest, attach-device --live of each kind fails with
  libvirt's error and the guest gains nothing (live XML, QEMU's
  peripherals); --config adds the device as libvirt does (a SCSI one its
  drive address and controller), a second one is refused, detach
  --config takes it back, detach --live names the device libvirt cannot
  find;
- domain capabilities list the hostdev modes and types as libvirtd does
  here (no PCI backend without VFIO).
"""
import json
import sys

from vkdtest import Daemon, qemu_pids, run_tests, virsh, wait_for

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

PCI = ("<hostdev mode='subsystem' type='pci' managed='yes'><source>"
       "<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>")
PCI_VFIO = ("<hostdev mode='subsystem' type='pci'><driver name='vfio'/><source>"
            "<address domain='0x0000' bus='0x06' slot='0x12' function='0x6'/></source></hostdev>")
PCI_KVM = ("<hostdev mode='subsystem' type='pci'><driver name='kvm'/><source>"
           "<address domain='0x0000' bus='0x06' slot='0x12' function='0x7'/></source></hostdev>")
PCI_XEN = ("<hostdev mode='subsystem' type='pci'><driver name='xen'/><source>"
           "<address domain='0x0000' bus='0x07' slot='0x12' function='0x7'/></source></hostdev>")
USB_ID = ("<hostdev mode='subsystem' type='usb'><source startupPolicy='optional'>"
          "<vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>")
USB_BUS = ("<hostdev mode='subsystem' type='usb'><source><address bus='1' device='2'/>"
           "</source></hostdev>")
SCSI = ("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host3'/>"
        "<address bus='0' target='1' unit='2'/></source></hostdev>")
VHOST = ("<hostdev mode='subsystem' type='scsi_host'>"
         "<source protocol='vhost' wwpn='naa.5123456789abcde0'/></hostdev>")
MDEV = ("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>"
        "<address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source></hostdev>")

NO_PCI = (67, 10, "unsupported configuration: host doesn't support passthrough of host PCI "
          "devices")
NO_USB = (38, 0, "cannot open directory '/sys/bus/usb/devices': No such file or directory")
NO_SCSI = (38, 0, "cannot open directory '/sys/bus/scsi/devices/3:0:1:2/scsi_generic': "
           "No such file or directory")
NO_MDEV = (67, 10, "unsupported configuration: Mediated host device assignment requires VFIO "
           "support")

# (hostdevs, libvirtd's error at start): the first missing device in
# libvirt's order (PCI, USB, SCSI, mdev, then vhost-scsi and PCI backends)
STARTS = [
    ([PCI], NO_PCI),
    ([PCI_VFIO], (67, 10, "unsupported configuration: host doesn't support VFIO PCI "
                  "passthrough")),
    ([PCI_KVM], (67, 10, "unsupported configuration: host doesn't support legacy PCI "
                 "passthrough")),
    ([PCI_XEN], (1, 10, "internal error: invalid PCI passthrough type 'xen'")),
    ([USB_ID], NO_USB),
    ([USB_BUS], NO_USB),
    ([SCSI], NO_SCSI),
    ([VHOST], (67, 0, "unsupported configuration: vhost-scsi device file '/dev/vhost-scsi' "
               "cannot be found")),
    (["<graphics type='vnc'/>", MDEV], NO_MDEV),
    ([SCSI, USB_BUS, PCI], NO_PCI),
    ([SCSI, USB_BUS], NO_USB),
    ([VHOST, SCSI], NO_SCSI),
    ([VHOST, "<graphics type='vnc'/>", MDEV], NO_MDEV),
]

# (device, libvirtd's error for attach-device --live)
LIVE = [
    (PCI, NO_PCI),
    (PCI_KVM, (67, 10, "unsupported configuration: host doesn't support legacy PCI "
               "passthrough")),
    (PCI_XEN, (67, 10, "unsupported configuration: QEMU does not support device assignment "
               "mode 'xen'")),
    (USB_ID, NO_USB),
    (SCSI, NO_SCSI),
    (MDEV, NO_MDEV),
    (VHOST, (38, 54, "Path '/sys/kernel/config/target/vhost//naa.5123456789abcde0' is not "
             "accessible: No such file or directory")),
    ("<hostdev mode='capabilities' type='storage'><source><block>/dev/sdf1</block></source>"
     "</hostdev>",
     (67, 10, "unsupported configuration: hostdev mode 'capabilities' is not supported in "
      "qemu")),
]


DOMCAPS_HOSTDEV = """<hostdev supported='yes'>
      <enum name='mode'>
        <value>subsystem</value>
      </enum>
      <enum name='startupPolicy'>
        <value>default</value>
        <value>mandatory</value>
        <value>requisite</value>
        <value>optional</value>
      </enum>
      <enum name='subsysType'>
        <value>usb</value>
        <value>pci</value>
        <value>scsi</value>
      </enum>
      <enum name='capsType'/>
      <enum name='pciBackend'/>
    """


def domain_xml(name, devices, extra=""):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>%s%s
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, extra, "".join(devices))


def err(e):
    return (e.get_error_code(), e.get_error_domain(), e.get_error_message())


def expect_error(what, fn, want):
    try:
        fn()
    except libvirt.libvirtError as e:
        assert err(e) == want, "%s: %r, not libvirtd's %r" % (what, err(e), want)
        return
    raise AssertionError("%s succeeded; libvirtd fails with %r" % (what, want))


def test_start_refused():
    d = Daemon().start()
    try:
        conn = libvirt.open(d.uri())
        for i, (devs, want) in enumerate(STARTS):
            name = "hd%d" % i
            dom = conn.defineXML(domain_xml(name, devs))
            before = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
            assert before.count("<hostdev ") == sum(x.count("<hostdev ") for x in devs), before
            expect_error("start of %s" % name, dom.create, want)
            assert dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF, dom.state()
            assert not dom.isActive()
            assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before
            assert qemu_pids(d.root) == [], qemu_pids(d.root)
            dom.undefine()
        # the defaults libvirtd writes: a PCI address after the disks, no
        # <driver> unless given, a SCSI hostdev's drive address and the
        # lsilogic controller it needs
        dom = conn.defineXML(domain_xml("hddefaults", [PCI, SCSI]))
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert "<controller type='scsi' index='0' model='lsilogic'>" in xml, xml
        assert "<address type='drive' controller='0' bus='0' target='0' unit='0'/>" in xml, xml
        assert "<driver name='vfio'/>" not in xml, xml
        assert "<address type='pci' domain='0x0000' bus='0x00' slot='0x03' " \
               "function='0x0'/>\n    </hostdev>" in xml, xml
        dom.undefine()
        # domain capabilities: libvirtd's hostdev section on this host (no
        # VFIO: no PCI backend)
        caps = conn.getDomainCapabilities(None, None, "pc", None, 0)
        section = caps[caps.index("<hostdev "):caps.index("</hostdev>")]
        assert section == DOMCAPS_HOSTDEV, section
        conn.close()
    finally:
        d.stop()


def peripherals(uri, name):
    out = virsh(uri, "qemu-monitor-command", name,
                json.dumps({"execute": "qom-list",
                            "arguments": {"path": "/machine/peripheral"}})).stdout
    return sorted(p["name"] for p in json.loads(out)["return"] if p["type"].startswith("child<"))


def test_hotplug():
    d = Daemon().start()
    uri = d.uri()
    name = "hdhot"
    try:
        conn = libvirt.open(uri)
        dom = conn.defineXML(domain_xml(name, [], "<controller type='scsi' model='virtio-scsi'/>"))
        dom.create()
        wait_for(lambda: dom.isActive(), "the guest to run", 30)
        live = dom.XMLDesc(0)
        devs = peripherals(uri, name)
        for dev, want in LIVE:
            expect_error("live attach of %s" % dev[:40],
                         lambda: dom.attachDeviceFlags(dev, libvirt.VIR_DOMAIN_AFFECT_LIVE),
                         want)
            assert dom.XMLDesc(0) == live
            assert peripherals(uri, name) == devs
        # the persistent definition
        config = libvirt.VIR_DOMAIN_AFFECT_CONFIG
        dom.attachDeviceFlags(SCSI, config)
        dom.attachDeviceFlags(PCI, config)
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert xml.count("<hostdev ") == 2, xml
        assert "<address type='drive' controller='0' bus='0' target='0' unit='0'/>" in xml, xml
        expect_error("a second attach", lambda: dom.attachDeviceFlags(PCI, config),
                     (55, 10, "Requested operation is not valid: device is already in the "
                      "domain configuration"))
        expect_error("live detach", lambda: dom.detachDeviceFlags(
                         PCI, libvirt.VIR_DOMAIN_AFFECT_LIVE),
                     (99, 10, "device not found: host pci device 0000:06:12.5 not found"))
        expect_error("live detach", lambda: dom.detachDeviceFlags(
                         USB_BUS, libvirt.VIR_DOMAIN_AFFECT_LIVE),
                     (99, 10, "device not found: host usb device 001.002 not found"))
        dom.detachDeviceFlags(PCI, config)
        dom.detachDeviceFlags(SCSI, config)
        assert "<hostdev" not in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        expect_error("a second detach", lambda: dom.detachDeviceFlags(PCI, config),
                     (99, 10, "device not found: device not present in domain "
                      "configuration"))
        assert dom.XMLDesc(0) == live
        dom.destroy()
        dom.undefine()
        conn.close()
    finally:
        virsh(uri, "destroy", name, check=False)
        virsh(uri, "undefine", name, check=False)
        d.stop()


if __name__ == "__main__":
    run_tests([("start_refused", test_start_refused),
               ("hotplug", test_hotplug)])
