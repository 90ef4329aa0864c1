#!/usr/bin/env python3
"""A guest's power through virtkitd: its lifecycle actions (virsh
set-lifecycle-action, python3-libvirt setLifecycleAction) with Debian's
clients against one running test guest, the effect checked in QEMU:
- on_poweroff restart (live): the guest's ACPI power-off becomes a reboot
  (its console prints GUEST-READY again, the domain stays running);
- on_reboot destroy / restart (live): QEMU's reboot action changes with it
  (set-action reboot=shutdown / reset): a reset now ends the domain
  (shut off) or resets it (running, booted again);
- --config changes only the definition (and its file: kept by a restarted
  daemon); libvirt 9.0's errors (codes and domains, texts checked against
  libvirtd 9.0's QEMU driver), none of which changes anything.
"""
import os
import sys

from vkdtest import (Daemon, Skip, booting_xml, domstate, run_tests, test_guest_dir, virsh,
                     wait_guest, write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def actions(uri, name, *extra):
    xml = virsh(uri, "dumpxml", name, *extra).stdout
    out = []
    for ev in ("poweroff", "reboot", "crash"):
        tag = "<on_%s>" % ev
        out.append(xml.split(tag, 1)[1].split("<", 1)[0])
    return tuple(out)


def readies(serial):
    with open(serial, errors="replace") as f:
        return f.read().count("GUEST-READY")


def expect_error(fn, code, domain, text):
    try:
        fn()
    except libvirt.libvirtError as e:
        got = (e.get_error_code(), e.get_error_domain(), e.get_error_message())
        assert got[:2] == (code, domain) and text in got[2], got
        return
    raise AssertionError("no error, expected %s" % text)


def test_lifecycle_actions():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    serial = os.path.join(d.root, "vm.serial")
    virsh(uri, "define", write(os.path.join(d.root, "vm.xml"), booting_xml("vm", guest, serial)))
    virsh(uri, "start", "vm")
    wait_guest(lambda: os.path.exists(serial) and readies(serial) == 1, "GUEST-READY", 120,
               uri, "vm", serial, d, cpu_budget=10)
    assert actions(uri, "vm") == ("destroy", "restart", "destroy")

    # on_poweroff restart on the running guest only: its power-off reboots it
    virsh(uri, "set-lifecycle-action", "vm", "poweroff", "restart", "--live")
    assert actions(uri, "vm") == ("restart", "restart", "destroy")
    assert actions(uri, "vm", "--inactive") == ("destroy", "restart", "destroy")
    virsh(uri, "shutdown", "vm")
    wait_guest(lambda: readies(serial) == 2, "GUEST-READY after the power-off", 120,
               uri, "vm", serial, d, cpu_budget=10)
    assert domstate(uri, "vm").startswith("running"), domstate(uri, "vm")

    # the errors of libvirtd 9.0's QEMU driver; nothing changes
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("vm")
        VDOM, VQEMU = libvirt.VIR_FROM_DOMAIN, libvirt.VIR_FROM_QEMU
        unsup = libvirt.VIR_ERR_CONFIG_UNSUPPORTED
        # on_reboot destroy with on_poweroff restart
        expect_error(lambda: dom.setLifecycleAction(libvirt.VIR_DOMAIN_LIFECYCLE_REBOOT,
                                                    libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY),
                     unsup, VQEMU, "doesn't support 'onReboot' set to 'destroy and 'onPoweroff'"
                     " set to 'reboot'")
        expect_error(lambda: dom.setLifecycleAction(libvirt.VIR_DOMAIN_LIFECYCLE_POWEROFF,
                                                    libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE),
                     unsup, VQEMU, "the 'preserve' action for 'on_reboot'/'on_poweroff'")
        expect_error(lambda: dom.setLifecycleAction(libvirt.VIR_DOMAIN_LIFECYCLE_CRASH, 2,
                                                    libvirt.VIR_DOMAIN_AFFECT_CONFIG),
                     unsup, VQEMU, "the 'rename-restart' action for "
                     "'on_reboot'/'on_poweroff'/'on_crash'")
        expect_error(lambda: dom.setLifecycleAction(0, 4), unsup, VDOM,
                     "Lifecycle event 'poweroff' doesn't support 'coredump-destroy' action")
        expect_error(lambda: dom.setLifecycleAction(3, 0), libvirt.VIR_ERR_INVALID_ARG, VDOM,
                     "invalid lifecycle type '3'")
        expect_error(lambda: dom.setLifecycleAction(0, 6), libvirt.VIR_ERR_INVALID_ARG, VDOM,
                     "invalid lifecycle action '6'")
        expect_error(lambda: dom.setLifecycleAction(0, 0, 4), libvirt.VIR_ERR_INVALID_ARG,
                     VQEMU, "unsupported flags (0x4) in function qemuDomainSetLifecycleAction")
        assert actions(uri, "vm") == ("restart", "restart", "destroy")
        assert actions(uri, "vm", "--inactive") == ("destroy", "restart", "destroy")
        ro = libvirt.openReadOnly(uri)
        try:
            expect_error(lambda: ro.lookupByName("vm").setLifecycleAction(0, 0),
                         libvirt.VIR_ERR_OPERATION_DENIED, VDOM,
                         "read only access prevents virDomainSetLifecycleAction")
        finally:
            ro.close()

        # on_reboot destroy (python, after on_poweroff back to destroy): a
        # reset ends the guest now; first restart: a reset resets it
        dom.setLifecycleAction(libvirt.VIR_DOMAIN_LIFECYCLE_POWEROFF,
                               libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY,
                               libvirt.VIR_DOMAIN_AFFECT_LIVE)
        dom.setLifecycleAction(libvirt.VIR_DOMAIN_LIFECYCLE_REBOOT,
                               libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY)
        dom.setLifecycleAction(libvirt.VIR_DOMAIN_LIFECYCLE_CRASH,
                               libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE)
        assert actions(uri, "vm") == ("destroy", "destroy", "preserve")
        virsh(uri, "set-lifecycle-action", "vm", "reboot", "restart")
        virsh(uri, "reset", "vm")
        wait_guest(lambda: readies(serial) == 3, "GUEST-READY after the reset", 120,
                   uri, "vm", serial, d, cpu_budget=10)
        assert domstate(uri, "vm").startswith("running"), domstate(uri, "vm")
        virsh(uri, "set-lifecycle-action", "vm", "reboot", "destroy", "--current")
        assert actions(uri, "vm") == ("destroy", "destroy", "preserve")
        virsh(uri, "reset", "vm")
        wait_guest(lambda: domstate(uri, "vm").startswith("shut off"),
                   "the reset to end the guest", 60, uri, "vm", serial, d)

        # the definition: inactive, CURRENT is CONFIG; LIVE refused
        assert actions(uri, "vm") == ("destroy", "restart", "destroy")
        virsh(uri, "set-lifecycle-action", "vm", "crash", "coredump-restart")
        dom.setLifecycleAction(libvirt.VIR_DOMAIN_LIFECYCLE_POWEROFF,
                               libvirt.VIR_DOMAIN_LIFECYCLE_ACTION_RESTART,
                               libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        expect_error(lambda: dom.setLifecycleAction(0, 0, libvirt.VIR_DOMAIN_AFFECT_LIVE),
                     libvirt.VIR_ERR_OPERATION_INVALID, VDOM, "domain is not running")
    finally:
        conn.close()
    err = virsh(uri, "set-lifecycle-action", "vm", "poweroff", "coredump-restart", check=False)
    assert err.returncode == 1 and "Unable to change lifecycle action." in err.stderr, err.stderr
    d.stop()
    d.start()
    assert actions(uri, "vm") == ("restart", "restart", "coredump-restart")


if __name__ == "__main__":
    run_tests([
        ("set-lifecycle-action live and config, its effect in QEMU, libvirt's errors",
         test_lifecycle_actions),
    ])
