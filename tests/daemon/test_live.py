#!/usr/bin/env python3
"""Live changes of a running guest through virtkitd (issue 15), with the real clients.

The test guest's balloon variant (scripts/build-test-guest.sh with
VIRTKIT_TEST_GUEST_VARIANT=balloon: virtio_balloon loaded, GUEST-BALLOON on
its console) runs under TCG with 256 MiB. Debian's virsh and python3-libvirt
then change it, and the effect is checked in the guest and in QEMU:
- setmem --live 128 MiB: the guest's balloon driver gives the memory back,
  QEMU's query-balloon "actual" reaches 128 MiB (the guest really did it),
  dommemstat and dominfo show it; back to 256 MiB the same way;
- setmem --config changes the persistent definition only (dumpxml
  --inactive), setmaxmem on the running guest is refused with libvirt's
  error, setmaxmem --config lowers the next boot's maximum (and current);
- inject-nmi reaches the guest kernel (its console logs the NMI);
- python3-libvirt setMemoryFlags / setMemory / injectNMI, a read-only
  connection refused, bad sizes refused.
"""
import json
import os
import re
import sys

from vkdtest import Daemon, Skip, run_tests, virsh, wait_for, write
from vkdtest import test_guest_dir

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def balloon_guest_dir():
    return test_guest_dir("balloon")


def guest_xml(name, guest, serial):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='virtio'/>
  </devices>
</domain>
""" % (name, guest, guest, serial)


def qmp(uri, name, cmd):
    out = virsh(uri, "qemu-monitor-command", name, json.dumps({"execute": cmd})).stdout
    return json.loads(out)["return"]


def actual_kib(uri, name):
    return qmp(uri, name, "query-balloon")["actual"] // 1024


def memstat(uri, name):
    out = virsh(uri, "dommemstat", name).stdout
    return {k: int(v) for k, v in (line.split() for line in out.splitlines() if line.strip())}


def test_balloon_and_nmi():
    guest = balloon_guest_dir()
    if not guest:
        raise Skip("balloon test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    serial = os.path.join(d.root, "vm.serial")
    virsh(uri, "define", write(os.path.join(d.root, "vm.xml"), guest_xml("vm", guest, serial)))
    virsh(uri, "start", "vm")
    wait_for(lambda: os.path.exists(serial) and "GUEST-READY" in open(serial).read(),
             "GUEST-READY on the console", 120)
    assert "GUEST-BALLOON" in open(serial).read(), open(serial).read()
    assert actual_kib(uri, "vm") == 262144

    # the guest gives 128 MiB back: QEMU sees the balloon reach the target
    virsh(uri, "setmem", "vm", "128M", "--live")
    wait_for(lambda: actual_kib(uri, "vm") == 131072, "the guest's balloon at 128 MiB", 90)
    assert memstat(uri, "vm")["actual"] == 131072
    # dominfo follows QEMU's BALLOON_CHANGE events (as libvirt's does), which
    # QEMU sends at most once a second: the last one may come a second later
    wait_for(lambda: re.search(r"^Used memory:\s+131072 KiB$",
                               virsh(uri, "dominfo", "vm").stdout, re.M),
             "dominfo to show the balloon at 128 MiB", 30)
    info = virsh(uri, "dominfo", "vm").stdout
    assert re.search(r"^Max memory:\s+262144 KiB$", info, re.M), info
    # the persistent definition is untouched by a live change
    inactive = virsh(uri, "dumpxml", "--inactive", "vm").stdout
    assert "<currentMemory unit='KiB'>262144</currentMemory>" in inactive, inactive
    # and back up (python3-libvirt, the call without flags)
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("vm")
        dom.setMemory(262144)
        wait_for(lambda: actual_kib(uri, "vm") == 262144, "the guest's balloon back at 256 MiB", 90)
        wait_for(lambda: dom.info()[2] == 262144, "info() to follow the balloon", 30)
        # above the maximum: libvirt's error, nothing changed
        try:
            dom.setMemoryFlags(300000, libvirt.VIR_DOMAIN_AFFECT_LIVE)
            raise AssertionError("setmem above the maximum succeeded")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_INVALID_ARG, e
            assert "cannot set memory higher than max memory" in str(e), e
        # the maximum of a running guest cannot change
        try:
            dom.setMemoryFlags(200000, libvirt.VIR_DOMAIN_MEM_MAXIMUM)
            raise AssertionError("setmaxmem of a running guest succeeded")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID, e
        # NMI: the guest kernel sees it
        dom.injectNMI()
        wait_for(lambda: "NMI" in open(serial).read(), "the NMI in the guest's log", 30)
    finally:
        conn.close()
    err = virsh(uri, "inject-nmi", "vm", readonly=True, check=False)
    assert err.returncode == 1 and "read only access prevents virDomainInjectNMI" in err.stderr, \
        err.stderr

    # next boot: --config changes the definition, not the running guest
    virsh(uri, "setmem", "vm", "200000", "--config")
    inactive = virsh(uri, "dumpxml", "--inactive", "vm").stdout
    assert "<currentMemory unit='KiB'>200000</currentMemory>" in inactive, inactive
    assert actual_kib(uri, "vm") == 262144
    virsh(uri, "setmaxmem", "vm", "180000", "--config")
    inactive = virsh(uri, "dumpxml", "--inactive", "vm").stdout
    assert "<memory unit='KiB'>180000</memory>" in inactive, inactive
    assert "<currentMemory unit='KiB'>180000</currentMemory>" in inactive, inactive
    err = virsh(uri, "setmaxmem", "vm", "180000", check=False)
    assert err.returncode == 1 and "cannot resize the maximum memory on an active domain" \
        in err.stderr, err.stderr
    err = virsh(uri, "setmem", "vm", "12x", check=False)
    assert err.returncode == 1 and "malformed" in err.stderr, err.stderr
    # the definition on disk survives a daemon restart
    virsh(uri, "destroy", "vm")
    d.stop()
    d.start()
    info = virsh(uri, "dominfo", "vm").stdout
    assert re.search(r"^Max memory:\s+180000 KiB$", info, re.M), info
    assert re.search(r"^Used memory:\s+180000 KiB$", info, re.M), info


if __name__ == "__main__":
    run_tests([
        ("setmem/setmaxmem reach the guest's balloon and the definition; inject-nmi",
         test_balloon_and_nmi),
    ])
