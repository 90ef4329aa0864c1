#!/usr/bin/env python3
"""PCI Express topology of a real guest through virtkitd (issue 10), with the real clients.

The pci variant of the test guest (scripts/build-test-guest.sh with
VIRTKIT_TEST_GUEST_VARIANT=pci) is the hotplug guest (GUEST-HW lines with
its block devices) that, once booted, lists what it sees on PCI as lspci
would (GUEST-LSPCI <address> <vendor>:<device> <class>) and the sysfs path
of each virtio disk (GUEST-BLOCKPATH), so each step is checked inside the
guest:
- a q35 guest defined with python3-libvirt with a pcie-root-port holding a
  PCIe switch (pcie-switch-upstream-port, three
  pcie-switch-downstream-ports, one with its own chassis and port): its
  virtio disk, given no address, goes behind the first downstream port as
  libvirt assigns it, the controllers get libvirt's model names, chassis
  and ports; QEMU runs x3130-upstream and xio3130-downstream, and the
  guest sees the switch (TI 104c:8232 upstream, 104c:8233 downstream) and
  its disk behind root port, upstream port and downstream port;
- Debian's virsh attach-disk of a virtio disk into that running guest: it
  is plugged into the next free downstream port (the live XML says
  which), the guest sees the new disk behind it, detach-disk takes it
  away again.
"""
import os
import re
import sys

from vkdtest import console_text
from vkdtest import Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

CMDLINE = "console=ttyS0 no_timer_check cryptomgr.notests quiet"
UPSTREAM = "104c:8232"    # TI X3130 upstream port (QEMU's x3130-upstream)
DOWNSTREAM = "104c:8233"  # TI XIO3130 downstream port (xio3130-downstream)
VIRTIO_BLK = "1af4:1042"  # a modern virtio block device


def pci_guest():
    guest = test_guest_dir("pci")
    if not guest:
        raise Skip("pci test guest not available (scripts/build-test-guest.sh)")
    return guest


def lspci(serial):
    """{address: vendor:device} of the guest's GUEST-LSPCI lines."""
    return dict(re.findall(r"GUEST-LSPCI (\S+) (\S+) \S+", console_text(serial)))


def block(serial):
    """The block devices of the guest's last GUEST-HW line: {name: sectors}."""
    lines = [ln for ln in console_text(serial).splitlines() if "GUEST-HW " in ln]
    m = re.search(r"\bblock=(\S*)", lines[-1]) if lines else None
    if not m:
        return {}
    return {k: int(v) for k, v in (e.split(":") for e in m.group(1).split(",") if ":" in e)}


def image(d, name, mib):
    path = os.path.join(d.root, name)
    with open(path, "wb") as f:
        f.truncate(mib << 20)
    return path


def controller(xml, index):
    m = re.search(r"<controller type='pci' index='%d'.*?</controller>" % index, xml, re.S)
    assert m, xml
    return m.group(0)


def test_switch_guest_and_hotplug():
    guest = pci_guest()
    d = Daemon()
    os.chmod(d.root, 0o755)  # the images are opened by QEMU's own user
    d.start()
    uri = d.uri()
    serial = os.path.join(d.root, "sw.serial")
    disk = image(d, "vda.img", 16)
    extra = image(d, "vdb.img", 8)
    xml = """<domain type='qemu'>
  <name>sw</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>%s</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>
    <controller type='usb' model='none'/>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='pci' index='1' model='pcie-root-port'/>
    <controller type='pci' index='2' model='pcie-switch-upstream-port'/>
    <controller type='pci' index='3' model='pcie-switch-downstream-port'/>
    <controller type='pci' index='4' model='pcie-switch-downstream-port'/>
    <controller type='pci' index='5' model='pcie-switch-downstream-port'>
      <target chassis='30' port='0x7'/>
    </controller>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (guest, guest, CMDLINE, disk, serial)
    conn = libvirt.open(uri)
    dom = conn.defineXML(xml)
    inactive = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    # libvirt's assignment: the switch in the root port, the downstream
    # ports in the upstream one, the disk in the first downstream port
    assert "<model name='x3130-upstream'/>" in controller(inactive, 2), inactive
    assert "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>" \
        in controller(inactive, 2), inactive
    for idx, slot, chassis, port in ((3, 0, 3, 0), (4, 1, 4, 1), (5, 2, 30, 7)):
        c = controller(inactive, idx)
        assert "<model name='xio3130-downstream'/>" in c, c
        assert "<target chassis='%d' port='0x%x'/>" % (chassis, port) in c, c
        assert "bus='0x02' slot='0x%02x'" % slot in c, c
    m = re.search(r"<target dev='vda' bus='virtio'/>\s*<address type='pci' domain='0x0000' "
                  r"bus='0x03' slot='0x00' function='0x0'/>", inactive)
    assert m, inactive
    dom.create()

    wait_for(lambda: "GUEST-LSPCI-DONE" in console_text(serial), "the guest's PCI listing", 180)
    seen = lspci(serial)
    assert list(seen.values()).count(UPSTREAM) == 1, seen
    assert list(seen.values()).count(DOWNSTREAM) == 3, seen
    assert VIRTIO_BLK in seen.values(), seen
    m = re.search(r"GUEST-BLOCKPATH vda (\S+)", console_text(serial))
    assert m, console_text(serial)[-2000:]
    # root port 00:01.0, the upstream port behind it, the first downstream
    # port behind that, the disk behind the downstream port
    chain = re.findall(r"/(0000:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])(?=/)", m.group(1))
    assert len(chain) == 4 and chain[0] == "0000:00:01.0", m.group(1)
    assert [seen.get(a) for a in chain[1:]] == [UPSTREAM, DOWNSTREAM, VIRTIO_BLK], \
        (chain, seen)
    assert block(serial).get("vda") == 32768, block(serial)

    # hotplug with Debian's virsh: the next free downstream port
    virsh(uri, "attach-disk", "sw", extra, "vdb", "--targetbus", "virtio")
    wait_for(lambda: block(serial).get("vdb") == 16384, "the new disk in the guest", 60)
    live = virsh(uri, "dumpxml", "sw").stdout
    m = re.search(r"<target dev='vdb' bus='virtio'/>.*?<address type='pci' domain='0x0000' "
                  r"bus='0x04' slot='0x00' function='0x0'/>", live, re.S)
    assert m and "</disk>" not in m.group(0), live
    assert "vdb" not in virsh(uri, "dumpxml", "--inactive", "sw").stdout
    virsh(uri, "detach-disk", "sw", "vdb")
    wait_for(lambda: "vdb" not in block(serial), "the disk gone from the guest", 60)
    assert "vdb" not in virsh(uri, "dumpxml", "sw").stdout
    # QEMU has the switch under libvirt's ids
    qtree = virsh(uri, "qemu-monitor-command", "sw", "--hmp", "info qtree").stdout
    for dev, ident in (("x3130-upstream", "pci.2"), ("xio3130-downstream", "pci.5")):
        assert re.search(r'dev: %s, id "%s"' % (dev, ident), qtree), qtree[:3000]
    virsh(uri, "destroy", "sw")
    d.stop()


if __name__ == "__main__":
    run_tests([
        ("a disk behind a PCIe switch's downstream port seen by the guest; attach-disk "
         "into the next free downstream port and detach-disk (python3-libvirt, Debian's "
         "virsh)", test_switch_guest_and_hotplug),
    ])
