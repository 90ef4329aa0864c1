#!/usr/bin/env python3
"""SCSI disks and controllers of real guests through virtkitd (issue 10), with the real clients.

The scsi variant of the test guest (scripts/build-test-guest.sh with
VIRTKIT_TEST_GUEST_VARIANT=scsi) loads virtio_scsi, sd_mod and sr_mod,
prints a GUEST-HW line with its block devices (size in sectors) whenever
they change, and reads then writes its first SCSI disk (GUEST-SDA-READ
<marker>, GUEST-SDA-WRITTEN), so each step is checked inside the guest:
- a virtio-scsi controller and a scsi-hd disk, defined with python3-libvirt:
  the guest reads the marker the host wrote at the start of the image and
  the host finds the one the guest wrote at byte 4096; QEMU has the disk
  under libvirt's alias (scsi0-0-0-0) with the serial and vendor asked for;
- Debian's virsh attach-disk --targetbus scsi on the running guest: the
  guest sees a new sd disk, the live XML has it at libvirt's drive address,
  detach-disk removes it from the guest, QEMU and the XML;
- a cdrom on the SCSI bus: change-media --insert gives the guest's sr0 a
  medium (its size), --eject takes it out of QEMU and the XML, another
  --insert shows the guest the new medium's size;
- the implicit controller at attach, as libvirtd does it: a pc guest
  without one gets an lsilogic controller plugged in first (it stays after
  the disk goes); a q35 guest, whose lsilogic would need a conventional PCI
  bus, gets libvirtd's "No more available PCI slots" and nothing changes;
- virt-install --disk bus=scsi --controller type=scsi,model=virtio-scsi:
  its XML (virt-install --print-xml) defines and the guest boots on it,
  reading and writing the SCSI disk.
"""
import os
import re
import shutil
import subprocess
import sys

from vkdtest import console_text
from vkdtest import Daemon, Skip, qmp, run_tests, test_guest_dir, virsh, wait_for, write

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

HOST_MARK = b"VIRTKIT-HOST-MARK"
GUEST_MARK = b"VIRTKIT-GUEST-WROTE-SDA"
CMDLINE = "console=ttyS0 no_timer_check cryptomgr.notests quiet"
VIRT_INSTALL = shutil.which("virt-install") or "/usr/bin/virt-install"


def scsi_guest():
    guest = test_guest_dir("scsi")
    if not guest:
        raise Skip("scsi test guest not available (scripts/build-test-guest.sh)")
    return guest


def start_daemon():
    d = Daemon()
    os.chmod(d.root, 0o755)  # the images are opened by QEMU's own user
    d.start()
    return d


def image(d, name, mib, mark=None):
    path = os.path.join(d.root, name)
    with open(path, "wb") as f:
        f.truncate(mib << 20)
        if mark:
            f.write(mark)
    return path


def block(serial):
    """The block devices of the guest's last GUEST-HW line: {name: sectors}."""
    # complete lines only: the last one may be half written (seen under
    # ASan at load ~20: a block list ending in "sdb:")
    text = console_text(serial)
    lines = [ln for ln in text[:text.rfind("\n") + 1].splitlines() if "GUEST-HW " in ln]
    m = re.search(r"\bblock=(\S*)", lines[-1]) if lines else None
    if not m:
        return {}
    return {k: int(v) for k, v in (e.split(":") for e in m.group(1).split(",") if ":" in e)}


def qdevs(uri, name):
    return {b.get("qdev", "") for b in qmp(uri, name, "query-block")}


def domain_xml(name, guest, serial, devices, machine="q35"):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='%s'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>%s</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    %s
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, machine, guest, guest, CMDLINE, devices, serial)


def test_guest_disk_hotplug_cdrom():
    guest = scsi_guest()
    d = start_daemon()
    uri = d.uri()
    serial = os.path.join(d.root, "sg.serial")
    disk = image(d, "sda.img", 8, HOST_MARK)
    extra = image(d, "extra.img", 16)
    iso = image(d, "media.iso", 4, b"VIRTKIT-ISO")
    iso2 = image(d, "media2.iso", 2, b"VIRTKIT-ISO2")
    devices = """<controller type='scsi' index='0' model='virtio-scsi'/>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='sda' bus='scsi'/>
      <serial>VKSERIAL1</serial><vendor>VIRTKIT</vendor><product>SCSI TEST</product></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>
      <target dev='sdb' bus='scsi'/><readonly/></disk>""" % disk
    conn = libvirt.open(uri)
    dom = conn.defineXML(domain_xml("sg", guest, serial, devices))
    inactive = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert "<address type='drive' controller='0' bus='0' target='0' unit='0'/>" in inactive, \
        inactive
    assert "<serial>VKSERIAL1</serial>" in inactive and "<vendor>VIRTKIT</vendor>" in inactive
    dom.create()

    # the guest reads what the host wrote, the host what the guest wrote
    wait_for(lambda: "GUEST-SDA-WRITTEN" in console_text(serial) or
             "GUEST-SDA-MISSING" in console_text(serial), "the guest's SCSI disk I/O", 180)
    out = console_text(serial)
    assert "GUEST-SDA-READ %s" % HOST_MARK.decode() in out, out[-2000:]
    assert "GUEST-SDA-WRITTEN" in out, out[-2000:]
    with open(disk, "rb") as f:
        f.seek(4096)
        assert f.read(len(GUEST_MARK)) == GUEST_MARK
    wait_for(lambda: block(serial).get("sda") == 16384 and "sr0" in block(serial),
             "sda and sr0 in the guest", 60)
    empty = block(serial)["sr0"]  # (no medium: the kernel's placeholder size)
    assert empty != 8192, block(serial)
    # QEMU: libvirt's aliases, the identity asked for
    assert {"scsi0-0-0-0", "scsi0-0-0-1"} <= qdevs(uri, "sg"), qdevs(uri, "sg")
    for prop, want in (("serial", "VKSERIAL1"), ("vendor", "VIRTKIT"),
                       ("product", "SCSI TEST")):
        got = qmp(uri, "sg", "qom-get", {"path": "/machine/peripheral/scsi0-0-0-0",
                                         "property": prop})
        assert got == want, (prop, got)

    # hotplug with Debian's virsh: the next free unit of controller 0
    before = virsh(uri, "dumpxml", "sg").stdout
    p = virsh(uri, "attach-disk", "sg", disk, "sda", "--targetbus", "scsi", check=False)
    assert p.returncode == 1 and "target 'sda' duplicated" in p.stderr, p.stderr
    p = virsh(uri, "attach-disk", "sg", extra, "sdc", "--targetbus", "scsi",
              "--address", "scsi:0.0.1", check=False)
    assert p.returncode == 1 and "Domain already contains a disk with that address" in \
        p.stderr, p.stderr
    assert virsh(uri, "dumpxml", "sg").stdout == before
    virsh(uri, "attach-disk", "sg", extra, "sdc", "--targetbus", "scsi")
    wait_for(lambda: block(serial).get("sdb") == 32768, "the new disk in the guest", 60)
    live = virsh(uri, "dumpxml", "sg").stdout
    m = re.search(r"<target dev='sdc' bus='scsi'/>\s*<address type='drive' controller='0' "
                  r"bus='0' target='0' unit='2'/>", live)
    assert m, live
    assert "scsi0-0-0-2" in qdevs(uri, "sg")
    assert "sdc" not in virsh(uri, "dumpxml", "--inactive", "sg").stdout
    virsh(uri, "detach-disk", "sg", "sdc")
    wait_for(lambda: "sdb" not in block(serial), "the disk gone from the guest", 60)
    assert "scsi0-0-0-2" not in qdevs(uri, "sg")
    assert "sdc" not in virsh(uri, "dumpxml", "sg").stdout

    # the SCSI cdrom's medium, in and out
    def medium():
        return [b.get("inserted", {}).get("file") for b in qmp(uri, "sg", "query-block")
                if b.get("qdev") == "scsi0-0-0-1"]

    assert medium() == [None], medium()
    virsh(uri, "change-media", "sg", "sdb", iso, "--insert")
    assert medium() == [iso], medium()
    wait_for(lambda: block(serial).get("sr0") == 8192, "the medium in the guest's sr0", 60)
    assert iso in virsh(uri, "dumpxml", "sg").stdout
    virsh(uri, "change-media", "sg", "sdb", "--eject")
    assert medium() == [None], medium()
    assert iso not in virsh(uri, "dumpxml", "sg").stdout
    # (the guest keeps an ejected medium's size: another one shows the change)
    virsh(uri, "change-media", "sg", "sdb", iso2, "--insert")
    assert medium() == [iso2], medium()
    wait_for(lambda: block(serial).get("sr0") == 4096, "the second medium in sr0", 60)
    dom.destroy()
    conn.close()
    d.stop()


def test_implicit_controller_at_attach():
    """Firmware-only guests (no kernel: nothing to wait for in them)."""
    d = start_daemon()
    uri = d.uri()
    boot = image(d, "boot.img", 8)
    extra = image(d, "extra.img", 8)
    for machine in ("pc", "q35"):
        name = "ic-" + machine
        xml = """<domain type='qemu'><name>%s</name><memory unit='MiB'>128</memory>
  <os><type arch='x86_64' machine='%s'>hvm</type></os><features><acpi/></features>
  <devices><disk type='file' device='disk'><driver name='qemu' type='raw'/>
    <source file='%s'/><target dev='vda' bus='virtio'/></disk>
    <memballoon model='none'/></devices></domain>""" % (name, machine, boot)
        virsh(uri, "define", write(os.path.join(d.root, name + ".xml"), xml))
        virsh(uri, "start", name)
        before = virsh(uri, "dumpxml", name).stdout
        p = virsh(uri, "attach-disk", name, extra, "sda", "--targetbus", "scsi", check=False)
        if machine == "q35":
            # libvirtd 9.0 on the same guest: the lsilogic controller it
            # would add needs a conventional PCI slot q35 has none of
            assert p.returncode == 1 and "No more available PCI slots" in p.stderr, p.stderr
            assert virsh(uri, "dumpxml", name).stdout == before
            assert not any(q.startswith("scsi") for q in qdevs(uri, name))
        else:
            assert p.returncode == 0, p.stderr
            live = virsh(uri, "dumpxml", name).stdout
            assert re.search(r"<controller type='scsi' index='0' model='lsilogic'>\s*"
                             r"<address type='pci' ", live), live
            assert "scsi0-0-0" in qdevs(uri, name), qdevs(uri, name)
            peripherals = {x["name"] for x in qmp(uri, name, "qom-list",
                                                  {"path": "/machine/peripheral"})}
            assert "scsi0" in peripherals, peripherals
            virsh(uri, "detach-disk", name, "sda")
            wait_for(lambda: "scsi0-0-0" not in qdevs(uri, name), "the disk gone", 30)
            # the controller stays, as with libvirtd
            assert "<controller type='scsi' index='0' model='lsilogic'>" in \
                virsh(uri, "dumpxml", name).stdout
            assert "scsi" not in virsh(uri, "dumpxml", "--inactive", name).stdout
        virsh(uri, "destroy", name)
    d.stop()


def test_virt_install_scsi():
    if not os.path.exists(VIRT_INSTALL):
        raise Skip("virt-install (Debian's virtinst) not installed")
    guest = scsi_guest()
    d = start_daemon()
    uri = d.uri()
    serial = os.path.join(d.root, "vi.serial")
    disk = image(d, "vi.img", 8, HOST_MARK)
    argv = [VIRT_INSTALL, "--connect", uri, "--import", "--name", "vi", "--memory", "256",
            "--vcpus", "1", "--disk", "path=%s,bus=scsi,format=raw" % disk,
            "--controller", "type=scsi,model=virtio-scsi",
            "--osinfo", "detect=on,require=off", "--virt-type", "qemu", "--machine", "q35",
            "--network", "none", "--graphics", "none", "--noautoconsole",
            "--serial", "file,path=%s" % serial,
            "--boot", "kernel=%s/vmlinuz,initrd=%s/initrd.gz,kernel_args=%s" %
            (guest, guest, CMDLINE), "--print-xml"]
    env = dict(os.environ, LC_ALL="C", HOME=d.root)
    p = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stderr
    xml = p.stdout
    assert "bus=\"scsi\"" in xml and "<controller type=\"scsi\"" in xml, xml
    virsh(uri, "define", write(os.path.join(d.root, "vi.xml"), xml))
    virsh(uri, "start", "vi")
    wait_for(lambda: "GUEST-SDA-WRITTEN" in console_text(serial) or
             "GUEST-SDA-MISSING" in console_text(serial), "the guest's SCSI disk I/O", 180)
    text = console_text(serial)
    assert "GUEST-SDA-READ %s" % HOST_MARK.decode() in text, text[-2000:]
    with open(disk, "rb") as f:
        f.seek(4096)
        assert f.read(len(GUEST_MARK)) == GUEST_MARK
    inactive = virsh(uri, "dumpxml", "--inactive", "vi").stdout
    assert "<controller type='scsi' index='0' model='virtio-scsi'>" in inactive, inactive
    virsh(uri, "destroy", "vi")
    d.stop()


if __name__ == "__main__":
    run_tests([
        ("a virtio-scsi disk the guest reads and writes; attach-disk/detach-disk "
         "--targetbus scsi seen in the guest; a SCSI cdrom's change-media "
         "(python3-libvirt, Debian's virsh)", test_guest_disk_hotplug_cdrom),
        ("attach-disk --targetbus scsi without a controller: lsilogic plugged in first on "
         "pc, libvirtd's error on q35", test_implicit_controller_at_attach),
        ("virt-install --disk bus=scsi: its XML defines and the guest reads and writes "
         "the disk", test_virt_install_scsi),
    ])
