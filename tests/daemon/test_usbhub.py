#!/usr/bin/env python3
"""USB hubs and USB disks through virtkitd, as libvirt 9.0 makes them (issue 10).

A guest with more USB devices than its controller has ports, defined with
Debian's virsh: the definition gains a <hub type='usb'> at port 1 and the
devices the ports libvirtd gives them (seen on libvirtd: tablet at 2, mouse
1.1, keyboard 1.2); started (paused: no boot needed), QEMU's own USB tree
("info usb") has the hub at port 1 and each device where the XML says.
An address behind a port without a hub is refused with libvirt's error and
nothing is defined.

USB disks (usb-storage), run against virtkitd and, the same steps with the
same expectations, against Debian's libvirtd (in a mount namespace of its
own): a disk with <target removable='on'> and a cdrom on a qemu-xhci
controller get ports 1 and 2 at define; started paused, QEMU's USB tree
has a "QEMU USB MSD" at each, the devices' "removable" properties (qom-get)
are on and off, and query-block shows each image behind its device, the
cdrom read-only. attach-device --live of a third USB disk gives it port 3
in the live XML and QEMU; detach-device --live takes it out of both, its
block nodes too. (The test guest's kernel has no USB support at all, so
what the guest would see is not checked: QEMU's side is.) USB2 companions: a q35 guest with two ICH9 EHCI sets given without indexes
(libvirt's grouping: index 0 and 1) starts, and QEMU's PCI bus has each set
in one slot, the UHCIs at functions 0-2 (1d and 1a), the EHCI at 7; a
companion whose index has no master is defined, and its start fails with
libvirt's INTERNAL_ERROR "masterbus not found" (nothing left running). The libvirtd run
is a developer's check (`test_usbhub.py --libvirtd`), not part of make check.
"""
import json
import os
import re
import sys

from vkdtest import Daemon, run_tests, virsh, wait_for, write

GUEST = """<domain type='qemu'>
  <name>hubvm</name>
  <memory unit='KiB'>65536</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='piix3-uhci'/>
    <input type='tablet' bus='usb'/>
    <input type='mouse' bus='usb'/>
    <input type='keyboard' bus='usb'/>
  </devices>
</domain>
"""


def test_hub_added_and_in_qemu():
    d = Daemon().start()
    uri = d.uri()
    virsh(uri, "define", write(os.path.join(d.root, "hubvm.xml"), GUEST))
    x = virsh(uri, "dumpxml", "--inactive", "hubvm").stdout
    want = [("tablet", "2"), ("mouse", "1.1"), ("keyboard", "1.2")]
    for kind, port in want:
        assert re.search(r"<input type='%s' bus='usb'>\s*<address type='usb' bus='0' "
                         r"port='%s'/>" % (kind, port), x), (kind, port, x)
    assert re.search(r"<hub type='usb'>\s*<address type='usb' bus='0' port='1'/>\s*</hub>",
                     x), x
    assert x.count("<hub ") == 1, x
    virsh(uri, "start", "--paused", "hubvm")
    usb = json.loads(virsh(uri, "qemu-monitor-command", "hubvm",
                           json.dumps({"execute": "human-monitor-command",
                                       "arguments": {"command-line": "info usb"}})).stdout)
    usb = usb["return"]
    for port, product in (("1", "QEMU USB Hub"), ("2", "QEMU USB Tablet"),
                          ("1.1", "QEMU USB Mouse"), ("1.2", "QEMU USB Keyboard")):
        assert re.search(r"Port %s, Speed [^,]+, Product %s" % (re.escape(port), product),
                         usb), (port, product, usb)
    virsh(uri, "destroy", "hubvm")

    bad = GUEST.replace("<name>hubvm</name>", "<name>badhub</name>").replace(
        "<input type='tablet' bus='usb'/>",
        "<input type='tablet' bus='usb'><address type='usb' bus='0' port='2.1'/></input>")
    p = virsh(uri, "define", write(os.path.join(d.root, "bad.xml"), bad), check=False)
    assert p.returncode == 1 and p.stderr.strip().endswith(
        "XML error: there is no hub at port 2 in USB address bus: 0 port: 2.1"), p.stderr
    assert "badhub" not in virsh(uri, "list", "--all", "--name").stdout
    d.stop()


DISKVM = """<domain type='qemu'>
  <name>usbdiskvm</name>
  <memory unit='KiB'>65536</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='qemu-xhci'/>
    <disk type='file' device='disk'>
      <source file='{root}/stick.img'/>
      <target dev='sda' bus='usb' removable='on'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='{root}/cd.iso'/>
      <target dev='sdb' bus='usb'/>
      <readonly/>
    </disk>
  </devices>
</domain>
"""

HOTDISK = """<disk type='file' device='disk'>
  <driver name='qemu' type='raw'/>
  <source file='{root}/hot.img'/>
  <target dev='sdc' bus='usb'/>
</disk>
"""


def hmp(uri, dom, line):
    out = virsh(uri, "qemu-monitor-command", dom,
                json.dumps({"execute": "human-monitor-command",
                            "arguments": {"command-line": line}})).stdout
    return json.loads(out)["return"]


def qmp(uri, dom, cmd, **args):
    msg = {"execute": cmd}
    if args:
        msg["arguments"] = args
    return json.loads(virsh(uri, "qemu-monitor-command", dom, json.dumps(msg)).stdout)["return"]


def msd_ports(uri, dom):
    return sorted(re.findall(r"Port (\S+), Speed [^,]+, Product QEMU USB MSD", hmp(uri, dom, "info usb")))


def usb_disk_steps(uri, root):
    for name in ("stick.img", "cd.iso", "hot.img"):
        with open(os.path.join(root, name), "wb") as f:
            f.truncate(1 << 20)
    virsh(uri, "define", write(os.path.join(root, "usbdiskvm.xml"), DISKVM.format(root=root)))
    x = virsh(uri, "dumpxml", "--inactive", "usbdiskvm").stdout
    assert re.search(r"<target dev='sda' bus='usb' removable='on'/>\s*"
                     r"<address type='usb' bus='0' port='1'/>", x), x
    assert re.search(r"<target dev='sdb' bus='usb'/>\s*<readonly/>\s*"
                     r"<address type='usb' bus='0' port='2'/>", x), x
    virsh(uri, "start", "--paused", "usbdiskvm")
    try:
        assert msd_ports(uri, "usbdiskvm") == ["1", "2"], hmp(uri, "usbdiskvm", "info usb")
        for alias, want in (("usb-disk0", True), ("usb-disk1", False)):
            got = qmp(uri, "usbdiskvm", "qom-get", path="/machine/peripheral/" + alias,
                      property="removable")
            assert got is want, (alias, got)
        blocks = {b.get("qdev", ""): b for b in qmp(uri, "usbdiskvm", "query-block")}
        for alias, image, ro in (("usb-disk0", "stick.img", False),
                                 ("usb-disk1", "cd.iso", True)):
            b = [v for k, v in blocks.items() if k.startswith("/machine/peripheral/%s/" % alias)]
            assert len(b) == 1, (alias, blocks)
            ins = b[0]["inserted"]
            assert ins["file"] == os.path.join(root, image) and ins["ro"] is ro, (alias, ins)

        hot = write(os.path.join(root, "hot.xml"), HOTDISK.format(root=root))
        virsh(uri, "attach-device", "usbdiskvm", hot, "--live")
        live = virsh(uri, "dumpxml", "usbdiskvm").stdout
        assert re.search(r"<target dev='sdc' bus='usb'/>\s*(<alias name='usb-disk2'/>\s*)?"
                         r"<address type='usb' bus='0' port='3'/>", live), live
        assert msd_ports(uri, "usbdiskvm") == ["1", "2", "3"], hmp(uri, "usbdiskvm", "info usb")
        assert "sdc" not in virsh(uri, "dumpxml", "--inactive", "usbdiskvm").stdout

        virsh(uri, "detach-device", "usbdiskvm", hot, "--live")
        wait_for(lambda: "sdc" not in virsh(uri, "dumpxml", "usbdiskvm").stdout,
                 "sdc gone from the live XML", 10)
        assert msd_ports(uri, "usbdiskvm") == ["1", "2"], hmp(uri, "usbdiskvm", "info usb")
        files = [n.get("file") for n in qmp(uri, "usbdiskvm", "query-named-block-nodes")]
        assert os.path.join(root, "hot.img") not in files, files
    finally:
        virsh(uri, "destroy", "usbdiskvm", check=False)
        virsh(uri, "undefine", "usbdiskvm", check=False)


USB2VM = """<domain type='qemu'>
  <name>usb2vm</name>
  <memory unit='KiB'>65536</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='ich9-ehci1'/>
    <controller type='usb' model='ich9-uhci1'/>
    <controller type='usb' model='ich9-uhci2'/>
    <controller type='usb' model='ich9-uhci3'/>
    <controller type='usb' model='ich9-ehci1'/>
    <controller type='usb' model='ich9-uhci1'/>
    <controller type='usb' model='ich9-uhci2'/>
    <controller type='usb' model='ich9-uhci3'/>
    <input type='tablet' bus='usb'/>
  </devices>
</domain>
"""

NOMASTER = """<domain type='qemu'>
  <name>nomaster</name>
  <memory unit='KiB'>65536</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' index='0' model='piix3-uhci'/>
    <controller type='usb' index='1' model='ich9-uhci1'/>
  </devices>
</domain>
"""

# PCI device ids of QEMU's ICH9 USB functions (vendor 8086)
ICH9_USB = {0x2934: "uhci1", 0x2935: "uhci2", 0x2936: "uhci3", 0x293a: "ehci1"}


def usb2_steps(uri, root):
    virsh(uri, "define", write(os.path.join(root, "usb2vm.xml"), USB2VM))
    x = virsh(uri, "dumpxml", "--inactive", "usb2vm").stdout
    got = re.findall(r"<controller type='usb' index='(\d)' model='ich9-(\w+)'", x)
    assert sorted(got) == sorted([(i, m) for i in "01"
                                  for m in ("ehci1", "uhci1", "uhci2", "uhci3")]), got
    virsh(uri, "start", "--paused", "usb2vm")
    try:
        funcs = {}
        for bus in qmp(uri, "usb2vm", "query-pci"):
            for dev in bus["devices"]:
                if dev["id"]["vendor"] == 0x8086 and dev["id"]["device"] in ICH9_USB:
                    funcs.setdefault(dev["slot"], {})[dev["function"]] = \
                        ICH9_USB[dev["id"]["device"]]
        want = {0: "uhci1", 1: "uhci2", 2: "uhci3", 7: "ehci1"}
        assert funcs == {0x1d: want, 0x1a: want}, funcs
        assert re.search(r"Port 1, Speed [^,]+, Product QEMU USB Tablet",
                         hmp(uri, "usb2vm", "info usb")), hmp(uri, "usb2vm", "info usb")
    finally:
        virsh(uri, "destroy", "usb2vm", check=False)
        virsh(uri, "undefine", "usb2vm", check=False)

    virsh(uri, "define", write(os.path.join(root, "nomaster.xml"), NOMASTER))
    p = virsh(uri, "start", "nomaster", check=False)
    assert p.returncode == 1 and "internal error: masterbus not found" in p.stderr, p.stderr
    assert virsh(uri, "domstate", "nomaster").stdout.strip() == "shut off"
    virsh(uri, "undefine", "nomaster")


def test_usb2_companions():
    d = Daemon().start()
    usb2_steps(d.uri(), d.root)
    d.stop()


def test_usb2_companions_libvirtd():
    from test_storageparity import Libvirtd

    lv = Libvirtd(qemu_conf='stdio_handler = "file"\n')
    try:
        usb2_steps(lv.uri(), lv.root)
    finally:
        lv.stop()


def test_usb_disks():
    d = Daemon()
    os.chmod(d.root, 0o755)  # the images are opened by QEMU's own user
    d.start()
    usb_disk_steps(d.uri(), d.root)
    d.stop()


def test_usb_disks_libvirtd():
    from test_storageparity import Libvirtd

    lv = Libvirtd(qemu_conf='stdio_handler = "file"\n')
    try:
        os.chmod(lv.root, 0o755)
        usb_disk_steps(lv.uri(), lv.root)
    finally:
        lv.stop()


if __name__ == "__main__":
    REFERENCE = "--libvirtd" in sys.argv
    if REFERENCE:
        sys.argv.remove("--libvirtd")
    run_tests([
        ("a hub where the ports run out, as libvirtd adds it; QEMU has it and the devices "
         "behind it", test_hub_added_and_in_qemu),
        ("USB disks and a USB cdrom: ports, usb-storage, removable; hotplug and unplug",
         test_usb_disks),
        ("USB2 companions without indexes grouped and laid out as libvirt does; a "
         "companion without its master bus fails at start", test_usb2_companions),
    ] + ([("the USB disk steps against Debian's libvirtd", test_usb_disks_libvirtd),
          ("the USB2 steps against Debian's libvirtd", test_usb2_companions_libvirtd)]
         if REFERENCE else []))
