#!/usr/bin/env python3
"""virt-install --import end to end against virtkitd (issues 10 and 11).

Debian's virt-install (virtinst) defines and starts the tiny test guest
(scripts/build-test-guest.sh: kernel and initrd given with --boot, a raw
scratch disk on virtio, the serial console to a file) on a test virtkitd,
and the effect is checked:
- the guest really booted: its console shows GUEST-DISK-WRITTEN and
  GUEST-READY, and its disk holds the pattern the guest wrote;
- generic OS (--osinfo detect=on,require=off) with --machine q35:
  virt-install picks the USB2 set (ich9-ehci1 + ich9-uhci1/2/3 companions);
  the definition carries libvirt's addresses (00:1d.x for the USB set,
  00:1f.2 SATA, root ports on 00:01.x/00:02.x, devices on the root ports);
- --osinfo debian11: virt-install's <metadata> (libosinfo) is kept
  verbatim;
- dumpxml --inactive defines again to the very same text, and the
  addresses stay put across a guest restart and a daemon restart;
- --disk size=1: virt-install creates the volume in the default pool
  through the storage API, and the guest starts on it;
- <disk type='volume'>: resolved through the storage driver at start, the
  guest writes to the volume; an inactive pool and a missing volume give
  libvirt's errors and start nothing.
"""
import json
import os
import re
import shutil
import subprocess
import sys

from vkdtest import console_text
from vkdtest import Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VIRT_INSTALL = shutil.which("virt-install") or "/usr/bin/virt-install"
PATTERN = b"VIRTKIT-TEST-PATTERN"


def need_tools():
    if not os.path.exists(VIRT_INSTALL):
        raise Skip("virt-install (Debian's virtinst) not installed")
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available")
    return guest


def start_daemon():
    d = Daemon()
    # the QEMU user must reach the images under the daemon's root
    os.chmod(d.root, 0o711)
    d.start()
    return d


def raw_disk(d, name, mib=16):
    path = os.path.join(d.root, name)
    with open(path, "wb") as f:
        f.truncate(mib << 20)
    return path


def virt_install(d, guest, name, serial, disk_arg, osinfo, extra=()):
    argv = [VIRT_INSTALL, "--connect", d.uri(), "--import", "--name", name,
            "--memory", "256", "--vcpus", "1", "--disk", disk_arg,
            "--osinfo", osinfo, "--virt-type", "qemu", "--network", "none",
            "--graphics", "none", "--noautoconsole",
            "--serial", "file,path=%s" % serial,
            "--boot", "kernel=%s/vmlinuz,initrd=%s/initrd.gz,"
                      "kernel_args=console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.writedisk=1" % (guest, guest)]
    argv += list(extra)
    p = subprocess.run(argv, capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, LC_ALL="C", HOME=d.root))
    if p.returncode != 0:
        raise AssertionError("virt-install failed (%d):\n%s\n%s\ndaemon log:\n%s"
                             % (p.returncode, p.stdout, p.stderr, d.log()[-3000:]))
    return p


def wait_booted(serial, what):
    wait_for(lambda: "GUEST-READY" in console_text(serial), "%s: GUEST-READY on its console" % what,
             timeout=180)
    text = console_text(serial)
    assert "GUEST-DISK-WRITTEN" in text, "%s: the guest did not write its disk:\n%s" % (
        what, text[-2000:])


def image_has_pattern(path):
    if path.endswith(".qcow2"):
        head = path + ".head"
        try:
            subprocess.run(["qemu-img", "dd", "-f", "qcow2", "-O", "raw", "bs=4096", "count=1",
                            "if=" + path, "of=" + head], capture_output=True, check=True)
            with open(head, "rb") as f:
                return f.read(len(PATTERN)) == PATTERN
        finally:
            if os.path.exists(head):
                os.unlink(head)
    with open(path, "rb") as f:
        return f.read(len(PATTERN)) == PATTERN


def pci_addresses(xml):
    """{device line: address} for the devices of a domain XML that have one."""
    out = {}
    cur = None
    for line in xml.splitlines():
        s = line.strip()
        if re.match(r"<(disk|controller|interface|memballoon|rng|video|input|channel) ", s):
            cur = s + " #%d" % len(out)
        m = re.match(r"<address type='pci' (.*)/>", s)
        if m and cur:
            out[cur] = m.group(1)
    return out


def qemu_pci_devices(d, name):
    """{qdev id: (bus, slot, function)} as QEMU itself reports them (QMP
    query-pci through virtkitd's qemu-monitor-command)."""
    out = virsh(d.uri(), "qemu-monitor-command", name, '{"execute":"query-pci"}').stdout
    found = {}

    def walk(devices):
        for dev in devices:
            if dev.get("qdev_id"):
                found[dev["qdev_id"]] = (dev["bus"], dev["slot"], dev["function"])
            walk(dev.get("pci_bridge", {}).get("devices", []))

    for bus in json.loads(out)["return"]:
        walk(bus["devices"])
    return found


def redefine_same(conn, name):
    """dumpxml --inactive defines again to the very same text."""
    dom = conn.lookupByName(name)
    x1 = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    conn.defineXML(x1)
    x2 = conn.lookupByName(name).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert x1 == x2, "redefining dumpxml --inactive changed it:\n%s\n---\n%s" % (x1, x2)
    return x1


def test_generic_usb2_q35():
    guest = need_tools()
    d = start_daemon()
    disk = raw_disk(d, "gen.raw")
    serial = os.path.join(d.root, "gen.console")
    # a generic OS gets the first machine of the capabilities (QEMU's
    # default, pc, as from libvirtd): q35 is asked for, as users do
    p = virt_install(d, guest, "vigen", serial, "path=%s,format=raw,bus=virtio" % disk,
                     "detect=on,require=off", extra=("--machine", "q35"))
    assert "Domain creation completed" in p.stdout, p.stdout
    assert virsh(d.uri(), "domstate", "vigen").stdout.strip() == "running"
    wait_booted(serial, "vigen")
    assert image_has_pattern(disk), "the guest's writes are not in %s" % disk

    conn = libvirt.open(d.uri())
    x = redefine_same(conn, "vigen")
    assert re.search(r"machine='pc-q35-[0-9.]+'", x), x
    # virt-install's USB2 set, at libvirt's addresses
    assert re.search(r"<controller type='usb' index='0' model='ich9-ehci1'>\s*<address "
                     r"type='pci' domain='0x0000' bus='0x00' slot='0x1d' function='0x7'/>",
                     x), x
    assert re.search(r"model='ich9-uhci1'>\s*<master startport='0'/>\s*<address type='pci' "
                     r"domain='0x0000' bus='0x00' slot='0x1d' function='0x0' "
                     r"multifunction='on'/>", x), x
    assert re.search(r"<controller type='sata' index='0'>\s*<address type='pci' "
                     r"domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>", x), x
    assert re.search(r"<target chassis='1' port='0x8'/>\s*<address type='pci' domain='0x0000' "
                     r"bus='0x00' slot='0x01' function='0x0' multifunction='on'/>", x), x
    # the disk and the balloon on the first root ports
    assert re.search(r"<target dev='vda' bus='virtio'/>\s*<address type='pci' "
                     r"domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>", x), x
    assert re.search(r"<memballoon model='virtio'>\s*<address type='pci' domain='0x0000' "
                     r"bus='0x02' slot='0x00' function='0x0'/>", x), x
    before = pci_addresses(x)
    assert len(before) >= 8, before

    # QEMU really has the devices where the definition says
    live = conn.lookupByName("vigen").XMLDesc(0)
    assert pci_addresses(live) == before, (pci_addresses(live), before)
    where = qemu_pci_devices(d, "vigen")
    assert where.get("usb") == (0, 0x1d, 7), where
    assert where.get("virtio-disk0") == (1, 0, 0), where
    assert where.get("balloon0") == (2, 0, 0), where
    assert where.get("pci.1") == (0, 1, 0) and where.get("pci.14") == (0, 2, 5), where

    # stable across a guest restart and a daemon restart
    virsh(d.uri(), "destroy", "vigen")
    os.unlink(serial)
    virsh(d.uri(), "start", "vigen")
    wait_booted(serial, "vigen (restarted)")
    d.stop()
    d.start()
    conn = libvirt.open(d.uri())
    after = pci_addresses(conn.lookupByName("vigen").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    assert after == before, (after, before)
    conn.lookupByName("vigen").destroy()


def test_debian_metadata_and_size():
    guest = need_tools()
    d = start_daemon()
    disk = raw_disk(d, "deb.raw")
    serial = os.path.join(d.root, "deb.console")
    virt_install(d, guest, "videb", serial, "path=%s,format=raw,bus=virtio" % disk, "debian11")
    wait_booted(serial, "videb")
    conn = libvirt.open(d.uri())
    x = redefine_same(conn, "videb")
    assert re.search(r'<libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/'
                     r'domain/1.0">\s*<libosinfo:os id="http://debian.org/debian/11"/>', x), x
    assert "<controller type='usb' index='0' model='qemu-xhci'" in x, x
    assert image_has_pattern(disk)
    conn.lookupByName("videb").destroy()

    # --disk size=1: a new volume in the default pool, made through the
    # storage API by virt-install; --graphics spice: SPICE with its agent
    # channel, USB redirection and sound, as virt-install asks for them
    serial2 = os.path.join(d.root, "size.console")
    virt_install(d, guest, "visize", serial2, "size=1,bus=virtio", "debian11",
                 extra=("--graphics", "spice"))
    wait_booted(serial2, "visize")
    vols = virsh(d.uri(), "vol-list", "default").stdout
    assert "visize.qcow2" in vols, vols
    path = virsh(d.uri(), "vol-path", "--pool", "default", "visize.qcow2").stdout.strip()
    x = redefine_same(conn, "visize")
    assert "<source file='%s'/>" % path in x, x
    check_spice_devices(d, conn, "visize", x)
    # the status file carries them: a restarted daemon knows the same guest
    live = conn.lookupByName("visize").XMLDesc(0)
    conn.close()
    d.stop()
    d.start()
    conn = libvirt.open(d.uri())
    assert conn.lookupByName("visize").XMLDesc(0) == live
    conn.lookupByName("visize").destroy()
    assert image_has_pattern(path), "the guest's writes are not in %s" % path


# What libvirtd 9.0 makes of virt-install --osinfo debian11 --graphics spice
# (dumpxml --inactive of the same command on libvirtd here): the devices
# SPICE brings and their addresses.
LIBVIRTD_SPICE_DEVICES = [
    r"<channel type='spicevmc'>\s*<target type='virtio' name='com.redhat.spice.0'/>\s*"
    r"<address type='virtio-serial' controller='0' bus='0' port='2'/>",
    r"<input type='tablet' bus='usb'>\s*<address type='usb' bus='0' port='1'/>",
    r"<graphics type='spice' autoport='yes'>\s*<listen type='address'/>\s*"
    r"<image compression='off'/>\s*</graphics>\s*<sound model='ich9'>\s*"
    r"<address type='pci' domain='0x0000' bus='0x00' slot='0x1b' function='0x0'/>\s*"
    r"</sound>\s*<audio id='1' type='spice'/>\s*<video>\s*"
    r"<model type='virtio' heads='1' primary='yes'/>\s*<address type='pci' "
    r"domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\s*</video>\s*"
    r"<redirdev bus='usb' type='spicevmc'>\s*<address type='usb' bus='0' port='2'/>\s*"
    r"</redirdev>\s*<redirdev bus='usb' type='spicevmc'>\s*"
    r"<address type='usb' bus='0' port='3'/>\s*</redirdev>",
]


def check_spice_devices(d, conn, name, x):
    for pattern in LIBVIRTD_SPICE_DEVICES:
        assert re.search(pattern, x), "not as libvirtd: %s\n%s" % (pattern, x)
    assert x.count("<redirdev ") == 2 and x.count("<sound ") == 1, x

    def qmp(cmd, **args):
        req = {"execute": cmd}
        if args:
            req["arguments"] = args
        out = virsh(d.uri(), "qemu-monitor-command", name, json.dumps(req)).stdout
        return json.loads(out)["return"]

    spice = qmp("query-spice")
    assert spice["enabled"] and spice["port"] > 0, spice
    live = conn.lookupByName(name).XMLDesc(0)
    assert "<graphics type='spice' port='%d'" % spice["port"] in live, live
    chardevs = {c["label"]: c["filename"] for c in qmp("query-chardev")}
    for label in ("charchannel1", "charredir0", "charredir1"):
        assert chardevs.get(label) == "spicevmc", chardevs
    assert qemu_pci_devices(d, name).get("sound0") == (0, 0x1b, 0)
    assert qmp("qom-get", path="/machine/peripheral/sound0-codec0",
               property="audiodev") == "audio1"
    usb = qmp("human-monitor-command", **{"command-line": "info usb"})
    for port, what in (("1", "QEMU USB Tablet"), ("2", "USB Redirection Device"),
                       ("3", "USB Redirection Device")):
        assert re.search(r"Port %s, Speed [^,]+, Product %s" % (port, what), usb), usb


def volume_xml(name, guest, serial, pool, volume):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.writedisk=1</cmdline></os>
  <features><acpi/></features>
  <devices>
    <disk type='volume' device='disk'><driver name='qemu' type='raw'/>
      <source pool='%s' volume='%s'/><target dev='vda' bus='virtio'/></disk>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, pool, volume, serial)


def expect_start_error(conn, xml, code, domain, message):
    dom = conn.defineXML(xml)
    try:
        dom.create()
    except libvirt.libvirtError as e:
        got = (e.get_error_code(), e.get_error_domain(), e.get_error_message())
        assert got == (code, domain, message), got
        assert not dom.isActive()
    else:
        raise AssertionError("started a domain that should fail: %s" % message)
    finally:
        dom.undefine()


def test_volume_disk():
    guest = need_tools()
    d = start_daemon()
    conn = libvirt.open(d.uri())
    pool = conn.storagePoolLookupByName("default")
    pool.createXML("<volume><name>vt.raw</name><capacity unit='MiB'>16</capacity>"
                   "<target><format type='raw'/></target></volume>", 0)
    serial = os.path.join(d.root, "vol.console")
    dom = conn.defineXML(volume_xml("vivol", guest, serial, "default", "vt.raw"))
    x = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert "<source pool='default' volume='vt.raw'/>" in x, x
    dom.create()
    wait_booted(serial, "vivol")
    path = pool.storageVolLookupByName("vt.raw").path()
    dom.destroy()
    assert image_has_pattern(path), "the guest's writes are not in the volume %s" % path
    # the definition still names the pool and the volume
    assert "<source pool='default' volume='vt.raw'/>" in dom.XMLDesc(0)

    # libvirt's errors; nothing starts
    expect_start_error(conn, volume_xml("vimiss", guest, serial, "default", "nope.raw"),
                       libvirt.VIR_ERR_NO_STORAGE_VOL, libvirt.VIR_FROM_STORAGE,
                       "Storage volume not found: no storage vol with matching name 'nope.raw'")
    expect_start_error(conn, volume_xml("vinopool", guest, serial, "nopool", "vt.raw"),
                       libvirt.VIR_ERR_NO_STORAGE_POOL, libvirt.VIR_FROM_STORAGE,
                       "Storage pool not found: no storage pool with matching name 'nopool'")
    pdir = os.path.join(d.root, "idle")
    os.mkdir(pdir, 0o755)
    idle = conn.storagePoolDefineXML("<pool type='dir'><name>idle</name><target><path>%s</path>"
                                     "</target></pool>" % pdir, 0)
    assert not idle.isActive()
    expect_start_error(conn, volume_xml("viidle", guest, serial, "idle", "vt.raw"),
                       libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_DOMAIN,
                       "unsupported configuration: storage pool 'idle' containing volume "
                       "'vt.raw' is not active")
    # half a source is refused at define
    try:
        conn.defineXML(volume_xml("vihalf", guest, serial, "default", "vt.raw")
                       .replace(" volume='vt.raw'", ""))
    except libvirt.libvirtError as e:
        assert (e.get_error_code(), e.get_error_domain()) == (libvirt.VIR_ERR_XML_ERROR,
                                                               libvirt.VIR_FROM_DOMAIN)
        assert "'pool' and 'volume' must be specified together" in e.get_error_message()
    else:
        raise AssertionError("a volume disk without a volume was defined")
    assert "vihalf" not in virsh(d.uri(), "list", "--all", "--name").stdout


if __name__ == "__main__":
    run_tests([
        ("virt-install --import, generic OS: USB2 set on q35, addresses, boots, stable",
         test_generic_usb2_q35),
        ("virt-install --osinfo debian11: metadata kept; --disk size=1 in the default pool "
         "with --graphics spice (channel, redirdevs, sound as libvirtd)",
         test_debian_metadata_and_size),
        ("<disk type='volume'> resolved at start; libvirt's errors", test_volume_disk),
    ])
