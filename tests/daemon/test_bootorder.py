#!/usr/bin/env python3
"""Per-device boot order (<boot order='N'/>) on a real guest through virtkitd (issue 10).

One firmware-only guest (no kernel: SeaBIOS boots from a disk) with two
virtio disks, each a raw image holding nothing but a boot sector that
writes its own marker to the first serial port and halts: vda ("VK-BOOT-A")
has <boot order='2'/>, vdb ("VK-BOOT-B") <boot order='1'/>, and a user
interface <boot order='3'/>. Defined and started with Debian's virsh:
- the definition keeps the orders (dumpxml --inactive);
- QEMU's devices have bootindex 2, 1 and 3 (qom-get), and the guest's
  console shows that the firmware booted vdb, the second disk: without
  the orders it boots the first one (a second guest, with <boot dev='hd'/>,
  shows VK-BOOT-A);
- libvirt's hotplug rules (virDomainDefCompatibleDevice): a disk attached
  with an order another device has gets "boot order 1 is already used by
  another device"; one with a free order is plugged with it as bootindex
  (live and in the definition); update-device of vda with another order
  gets "cannot modify field 'boot order' of the disk"; a defined guest with
  <os><boot dev='hd'/> refuses a device with an order ("per-device boot
  elements cannot be used together with os/boot elements").
Debian's libvirtd 9.0 passes this test as it is (its errors, bootindexes
and boots are the same).
"""
import os

import libvirt

from vkdtest import Daemon, expect_error, qom_get, run_tests, virsh, wait_guest, write

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VIR_ERR_OPERATION_UNSUPPORTED = 84
VIR_ERR_CONFIG_UNSUPPORTED = 67
VIR_FROM_QEMU = 10
VIR_FROM_DOMAIN = 20


def boot_sector(marker):
    """512 bytes a BIOS boots: DS=0, writes @marker and CR LF to COM1 (port
    0x3f8, QEMU's 16550 needs no setup), then halts for good."""
    code = bytes([
        0x31, 0xC0,              # xor ax, ax
        0x8E, 0xD8,              # mov ds, ax
        0xBA, 0xF8, 0x03,        # mov dx, 0x3f8
        0xBE, 0x16, 0x7C,        # mov si, 0x7c16 (the message, offset 22)
        0xAC,                    # loop: lodsb
        0x84, 0xC0,              # test al, al
        0x74, 0x03,              # jz done
        0xEE,                    # out dx, al
        0xEB, 0xF8,              # jmp loop
        0xFA,                    # done: cli
        0xF4,                    # hlt
        0xEB, 0xFD,              # jmp hlt
    ])
    assert len(code) == 22
    sector = code + marker.encode() + b"\r\n\0"
    return sector + bytes(510 - len(sector)) + b"\x55\xAA"


def disk_image(path, marker):
    with open(path, "wb") as f:
        f.write(boot_sector(marker))
        f.truncate(1024 * 1024)
    os.chmod(path, 0o666)
    return path


def guest_xml(name, vda, vdb, serial, orders=True):
    def boot(n):
        return "<boot order='%d'/>" % n if orders else ""
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>%s</os>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='vda' bus='virtio'/>%s</disk>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='vdb' bus='virtio'/>%s</disk>
    <interface type='user'><model type='virtio'/>%s</interface>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, "" if orders else "<boot dev='hd'/>", vda, boot(2), vdb, boot(1), boot(3),
       serial)


def disk_xml(path, dev, order):
    return ("<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
            "<source file='%s'/><target dev='%s' bus='virtio'/><boot order='%d'/></disk>"
            % (path, dev, order))


def test_boot_order():
    d = Daemon().start()
    uri = d.uri()
    conn = None
    try:
        os.chmod(d.root, 0o711)  # QEMU may run as another user
        imgs = os.path.join(d.root, "images")
        os.mkdir(imgs)
        os.chmod(imgs, 0o777)
        vda = disk_image(os.path.join(imgs, "a.img"), "VK-BOOT-A")
        vdb = disk_image(os.path.join(imgs, "b.img"), "VK-BOOT-B")
        vdc = disk_image(os.path.join(imgs, "c.img"), "VK-BOOT-C")
        serial = os.path.join(imgs, "boot.log")
        virsh(uri, "define", write(os.path.join(d.root, "g.xml"),
                                   guest_xml("boot", vda, vdb, serial)))
        inactive = virsh(uri, "dumpxml", "--inactive", "boot").stdout
        assert inactive.count("<boot order=") == 3 and "<boot dev=" not in inactive, inactive
        virsh(uri, "start", "boot")

        # the firmware took vdb, the disk with the lowest order
        def console():
            return open(serial, errors="replace").read() if os.path.exists(serial) else ""
        wait_guest(lambda: "VK-BOOT-B" in console(), "the boot sector of vdb on the console",
                   120, uri, "boot", serial, daemon=d, cpu_budget=20)
        assert "VK-BOOT-A" not in console(), console()
        got = {dev: qom_get(uri, "boot", "/machine/peripheral/" + dev, "bootindex")
               for dev in ("virtio-disk0", "virtio-disk1", "net0")}
        assert got == {"virtio-disk0": 2, "virtio-disk1": 1, "net0": 3}, got

        conn = libvirt.open(uri)
        dom = conn.lookupByName("boot")
        live = libvirt.VIR_DOMAIN_AFFECT_LIVE
        both = live | libvirt.VIR_DOMAIN_AFFECT_CONFIG
        # an order another device has: refused, nothing plugged
        expect_error(lambda: dom.attachDeviceFlags(disk_xml(vdc, "vdc", 1), live),
                     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                     "boot order 1 is already used by another device", exact=False)
        assert "vdc" not in virsh(uri, "domblklist", "boot").stdout
        # a free one: QEMU's bootindex, kept live and in the definition
        dom.attachDeviceFlags(disk_xml(vdc, "vdc", 4), both)
        assert qom_get(uri, "boot", "/machine/peripheral/virtio-disk2", "bootindex") == 4
        for flags in ([], ["--inactive"]):
            xml = virsh(uri, "dumpxml", *flags, "boot").stdout
            assert xml.count("<boot order='4'/>") == 1, xml
        # a plugged disk's order does not change
        expect_error(lambda: dom.updateDeviceFlags(disk_xml(vda, "vda", 5), live),
                     VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                     "cannot modify field 'boot order' of the disk", exact=False)
        virsh(uri, "destroy", "boot")
        virsh(uri, "undefine", "boot")

        # <os><boot dev='hd'/> and no orders: the first disk boots; a
        # device with an order is refused
        serial2 = os.path.join(imgs, "hd.log")
        virsh(uri, "define", write(os.path.join(d.root, "hd.xml"),
                                   guest_xml("hd", vda, vdb, serial2, orders=False)))
        dom = conn.lookupByName("hd")
        expect_error(lambda: dom.attachDeviceFlags(disk_xml(vdc, "vdc", 1),
                                                   libvirt.VIR_DOMAIN_AFFECT_CONFIG),
                     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                     "per-device boot elements cannot be used together with os/boot elements")
        virsh(uri, "start", "hd")

        def console2():
            return open(serial2, errors="replace").read() if os.path.exists(serial2) else ""
        wait_guest(lambda: "VK-BOOT-A" in console2(), "the boot sector of vda on the console",
                   120, uri, "hd", serial2, daemon=d, cpu_budget=20)
        assert "VK-BOOT-B" not in console2(), console2()
        virsh(uri, "destroy", "hd")
        virsh(uri, "undefine", "hd")
    finally:
        if conn:
            conn.close()
        d.stop()


if __name__ == "__main__":
    run_tests([("per-device boot order on a firmware-booted guest", test_boot_order)])
