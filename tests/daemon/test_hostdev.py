#!/usr/bin/env python3
"""Host PCI device assignment calls through virtkitd, with Debian's virsh
and python3-libvirt: virNodeDeviceDettach / DetachFlags / ReAttach / Reset.

The answers were recorded from Debian's libvirtd 9.0 (qemu:///session of
an unprivileged user on this host, which has no /dev/vfio): detaching is
refused first (code 74, VIR_FROM_QEMU "VFIO device assignment is currently
not supported on this system"; --driver kvm and an unknown driver have
their own errors), re-attach and reset of a device that is not PCI get
code 8, VIR_FROM_DOMAIN "device computer is not a PCI device", a read-only
connection is refused (code 29, VIR_FROM_NODEDEV). No call may change a
device: the PCI devices' host drivers are the same afterwards.
"""
import os
import sys

from vkdtest import Daemon, Skip, run_tests, virsh

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

PCI = "/sys/bus/pci/devices"
VFIO_ERR = "argument unsupported: VFIO device assignment is currently not supported on this system"
NOT_PCI = "invalid argument: device computer is not a PCI device"


def host_drivers():
    out = {}
    for dev in sorted(os.listdir(PCI)) if os.path.isdir(PCI) else []:
        link = os.path.join(PCI, dev, "driver")
        out[dev] = os.readlink(link) if os.path.islink(link) else None
    return out


def fails(uri, want_err, *args, readonly=False):
    p = virsh(uri, *args, check=False, readonly=readonly)
    assert p.returncode == 1, (args, p.returncode, p.stdout, p.stderr)
    assert p.stdout == "", (args, p.stdout)
    assert p.stderr == want_err, (args, p.stderr)


def err_of(call):
    try:
        call()
    except libvirt.libvirtError as e:
        return (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    raise AssertionError("the call succeeded")


def test_hostdev_refusals():
    if os.path.exists("/dev/vfio/vfio"):
        raise Skip("this host has VFIO: libvirt's answers here are for a host without it")
    before = host_drivers()
    d = Daemon().start()
    uri = d.uri()

    # Debian's virsh, as it printed against Debian's libvirtd
    fails(uri, "error: Failed to detach device computer\nerror: %s\n" % VFIO_ERR,
          "nodedev-detach", "computer")
    fails(uri, "error: Failed to detach device computer\nerror: %s\n" % VFIO_ERR,
          "nodedev-detach", "computer", "--driver", "vfio")
    fails(uri, "error: Failed to detach device computer\nerror: argument unsupported: KVM "
          "device assignment is no longer supported on this system\n",
          "nodedev-detach", "computer", "--driver", "kvm")
    fails(uri, "error: Failed to detach device computer\nerror: invalid argument: unknown "
          "driver name 'foo'\n", "nodedev-detach", "computer", "--driver", "foo")
    fails(uri, "error: Failed to re-attach device computer\nerror: %s\n" % NOT_PCI,
          "nodedev-reattach", "computer")
    fails(uri, "error: Failed to reset device computer\nerror: %s\n" % NOT_PCI,
          "nodedev-reset", "computer")
    fails(uri, "error: Could not find matching device 'nosuchdev'\nerror: Node device not "
          "found: no node device with matching name 'nosuchdev'\n",
          "nodedev-detach", "nosuchdev")
    pci = sorted(n for n in virsh(uri, "nodedev-list", "--cap", "pci").stdout.split() if n)
    if pci:
        fails(uri, "error: Failed to detach device %s\nerror: %s\n" % (pci[0], VFIO_ERR),
              "nodedev-detach", pci[0])

    # python3-libvirt: codes and domains as libvirtd's
    conn = libvirt.open(uri)
    try:
        dev = conn.nodeDeviceLookupByName("computer")
        vfio = (libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, libvirt.VIR_FROM_QEMU, VFIO_ERR)
        assert err_of(dev.dettach) == vfio, err_of(dev.dettach)
        assert err_of(lambda: dev.detachFlags(None, 0)) == vfio
        got = err_of(lambda: dev.detachFlags(None, 1))
        assert got == (libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                       "unsupported flags (0x1) in function qemuNodeDeviceDetachFlags"), got
        not_pci = (libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_DOMAIN, NOT_PCI)
        assert err_of(dev.reAttach) == not_pci, err_of(dev.reAttach)
        assert err_of(dev.reset) == not_pci, err_of(dev.reset)
    finally:
        conn.close()
    # read-only: refused by name, whatever the device
    ro = libvirt.openReadOnly(uri)
    try:
        dev = ro.nodeDeviceLookupByName("computer")
        for call, api in ((dev.dettach, "virNodeDeviceDettach"),
                          (lambda: dev.detachFlags(None, 0), "virNodeDeviceDetachFlags"),
                          (dev.reAttach, "virNodeDeviceReAttach"),
                          (dev.reset, "virNodeDeviceReset")):
            got = err_of(call)
            assert got == (libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_FROM_NODEDEV,
                           "operation forbidden: read only access prevents %s" % api), got
    finally:
        ro.close()
    d.stop()
    assert host_drivers() == before


if __name__ == "__main__":
    run_tests([
        ("detach, re-attach and reset refused as libvirtd refuses them on a host "
         "without VFIO; nothing changed", test_hostdev_refusals),
    ])
