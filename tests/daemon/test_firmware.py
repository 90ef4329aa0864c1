#!/usr/bin/env python3
"""UEFI guests through virtkitd, with Debian's virsh and python3-libvirt.

One guest with <os firmware='efi'> (secure boot off: Debian's OVMF_CODE_4M.fd
picked from the firmware descriptors) boots the test guest's kernel under
OVMF, then starts again (until OVMF has written its variables):
- the live XML names the loader and the per-domain NVRAM copied from the
  descriptor's template, as libvirt 9.0 writes it; the persistent one stays
  firmware='efi';
- after the first boot the NVRAM is no longer the template (OVMF wrote its
  variables into the guest's own copy); the second start keeps that copy:
  OVMF's boot-time writes (its monotonic counter) append to it, so it holds
  more variable data than after the first boot, and the first boot's data
  is still there;
- undefine refuses to drop a domain with NVRAM, --keep-nvram keeps the file,
  --nvram removes it, as libvirt 9.0.
"""
import os
import sys

from vkdtest import Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for, wait_guest, write

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


def efi_xml(name, guest, serial):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type>
    <firmware><feature enabled='no' name='secure-boot'/></firmware>
    <kernel>%s/bzImage</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, guest, guest, serial)


def used(data):
    """Bytes of a flash image that are not erased (0xff)."""
    return len(data) - data.count(b"\xff")


def test_uefi_nvram():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    if not (os.path.exists(CODE) and os.path.exists(VARS)):
        raise Skip("Debian's ovmf not installed (scripts/deps.sh)")
    import xml.etree.ElementTree as ET

    d = Daemon()
    # QEMU runs as the QEMU user and opens its NVRAM by path (the loader
    # and template are world-readable): the test's root must be searchable
    # as /var/lib is for a system daemon
    os.chmod(d.root, 0o711)
    d.start()
    uri = d.uri()
    serial = os.path.join(d.root, "efi.serial")
    virsh(uri, "define", write(os.path.join(d.root, "efi.xml"), efi_xml("efi", guest, serial)))
    inactive = ET.fromstring(virsh(uri, "dumpxml", "--inactive", "efi").stdout)
    assert inactive.find("os").get("firmware") == "efi"
    assert inactive.find("os/loader") is None and inactive.find("os/nvram") is None

    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("efi")
        if os.path.exists(serial):
            os.unlink(serial)
        dom.create()
        live = ET.fromstring(dom.XMLDesc(0)).find("os")
        loader, nvram = live.find("loader"), live.find("nvram")
        assert loader is not None and loader.text == CODE, ET.tostring(live)
        # as libvirt 9.0 writes it for this descriptor (no secure=)
        assert (loader.get("readonly"), loader.get("secure"), loader.get("type")) == \
            ("yes", None, "pflash"), ET.tostring(loader)
        assert nvram is not None and nvram.get("template") == VARS, ET.tostring(live)
        path = nvram.text
        assert path.endswith("/efi_VARS.fd") and os.path.exists(path), path
        template = open(VARS, "rb").read()
        wait_guest(lambda: os.path.exists(serial) and
                   "GUEST-READY" in open(serial, errors="replace").read(),
                   "GUEST-READY under OVMF", 120, uri, "efi", serial, daemon=d, cpu_budget=90)
        dom.destroy()
        first = open(path, "rb").read()
        assert len(first) == len(template)
        assert first != template, "OVMF wrote nothing into the guest's NVRAM"
        assert used(first) > used(template), (used(first), used(template))
    finally:
        conn.close()

    # the second boot runs on the same NVRAM: the first boot's variables
    # stay and OVMF's boot-time writes are appended (the variable store is
    # a log: a reset copy would end as the first boot did). OVMF makes them
    # about half-way (~2.6 of ~5.3 CPU s to GUEST-READY under TCG), so the
    # guest is destroyed once the store has grown past the first boot's, or
    # at GUEST-READY (a reset copy never grows past it: the check below
    # fails then)
    if os.path.exists(serial):
        os.unlink(serial)
    virsh(uri, "start", "efi")
    wait_guest(lambda: used(open(path, "rb").read()) > used(first) or
               (os.path.exists(serial) and "GUEST-READY" in open(serial, errors="replace").read()),
               "OVMF's writes to the NVRAM on the second start", 120, uri, "efi", serial,
               daemon=d, cpu_budget=90)
    virsh(uri, "destroy", "efi")
    second = open(path, "rb").read()
    assert used(second) > used(first), (used(second), used(first))
    ET.fromstring(virsh(uri, "dumpxml", "--inactive", "efi").stdout)

    # undefine: refused with NVRAM, --keep-nvram keeps it, --nvram drops it
    p = virsh(uri, "undefine", "efi", check=False)
    assert p.returncode != 0 and "cannot undefine domain with nvram" in p.stderr, p.stderr
    assert os.path.exists(path)
    virsh(uri, "undefine", "--keep-nvram", "efi")
    assert os.path.exists(path) and open(path, "rb").read() == second
    virsh(uri, "define", os.path.join(d.root, "efi.xml"))
    virsh(uri, "undefine", "--nvram", "efi")
    assert not os.path.exists(path), path
    wait_for(lambda: "efi" not in virsh(uri, "list", "--all", "--name").stdout, "undefined")
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("UEFI: OVMF boots the guest, its own NVRAM from the template persists across "
         "restarts; undefine --nvram / --keep-nvram", test_uefi_nvram),
    ])
