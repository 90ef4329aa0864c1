#!/usr/bin/env python3
"""A guest's power through virtkitd, with Debian's virsh and python3-libvirt
against one running test guest (the 'agent' variant: Debian's qemu-ga) with
<pm><suspend-to-disk enabled='no'/></pm>, the effect checked in QEMU:
- set-lifecycle-action poweroff restart --live: the guest's ACPI power-off
  becomes a reset (reboot event), the domain keeps running;
- dompmsuspend mem: the agent's guest-suspend-ram puts the guest in S3
  (QEMU's run state 'suspended', the domain pmsuspended, pm-suspend and
  lifecycle PMSuspended events); dompmwakeup: QEMU's system_wakeup runs
  it again (running (event wakeup), pm-wakeup and Started events);
  libvirtd 9.0's errors: S4 disabled by <pm>, a duration, an unknown
  target, suspending a suspended guest, waking a running one, a guest with
  no agent channel; nodesuspend: this host's answer (no pm-utils:
  Suspend-to-RAM unsupported; never a real suspend: the duration is
  under libvirt's minimum); send-process-signal: NO_SUPPORT, as libvirtd's;
- on_reboot restart / destroy (live): QEMU's reboot action follows
  (set-action reboot=reset / shutdown): a reset resets the guest, then
  ends the domain (shut off);
- --config changes only the definition (and its file: kept by a restarted
  daemon); libvirt 9.0's errors (codes and domains, texts checked against
  libvirtd 9.0's QEMU driver), none of which changes anything.
"""
import json
import os
import sys

from vkdtest import console_text
from vkdtest import expect_error
from vkdtest import (Daemon, Skip, VirshEvents, booting_xml, diskless_xml, domstate, run_tests,
                     virsh, wait_for, wait_guest, write)
from vkdtest import test_guest_dir

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


HERE = os.path.dirname(os.path.abspath(__file__))
CHAN = ("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>"
        "</channel>")


def agent_guest_dir():
    return test_guest_dir("agent")


def qemu_status(uri, name):
    out = virsh(uri, "qemu-monitor-command", name, '{"execute":"query-status"}').stdout
    return json.loads(out)["return"]["status"]


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


def test_power():
    guest = agent_guest_dir()
    if not guest:
        raise Skip("agent test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    serial = os.path.join(d.root, "vm.serial")
    xml = booting_xml("vm", guest, serial).replace(
        "</features>", "</features><pm><suspend-to-disk enabled='no'/></pm>").replace(
        "</devices>", CHAN + "</devices>")
    virsh(uri, "define", write(os.path.join(d.root, "vm.xml"), xml))
    virsh(uri, "define", write(os.path.join(d.root, "nc.xml"), diskless_xml("nc")))
    virsh(uri, "start", "vm")
    virsh(uri, "start", "nc")
    events = VirshEvents(uri, "--all")
    try:
        wait_guest(lambda: os.path.exists(serial) and readies(serial) == 1, "GUEST-READY", 120,
                   uri, "vm", serial, d, cpu_budget=10)
        poweroff_restart(uri, d, serial, events)
        pm_suspend(uri, d, serial, events)
        lifecycle_actions(uri, d, serial, events)
    finally:
        events.close()


def reboots(events):
    return len([l for l in events.lines() if l.startswith("event 'reboot' for domain 'vm'")])


def poweroff_restart(uri, d, serial, events):
    """on_poweroff restart on the running guest only: its ACPI power-off
    becomes a reset (QEMU's RESET: a reboot event), it keeps running."""
    assert actions(uri, "vm") == ("destroy", "restart", "destroy")
    virsh(uri, "set-lifecycle-action", "vm", "poweroff", "restart", "--live")
    assert actions(uri, "vm") == ("restart", "restart", "destroy")
    assert actions(uri, "vm", "--inactive") == ("destroy", "restart", "destroy")
    n = reboots(events)
    virsh(uri, "shutdown", "vm", "--mode", "acpi")
    wait_guest(lambda: "GUEST-POWERBUTTON" in console_text(serial), "the guest's power-off", 60,
               uri, "vm", serial, d, cpu_budget=5)
    wait_for(lambda: reboots(events) > n, "the reset after the power-off", 60, step=0.1)
    assert domstate(uri, "vm").startswith("running"), domstate(uri, "vm")


def pm_suspend(uri, d, serial, events):
    VDOM, VQEMU = libvirt.VIR_FROM_DOMAIN, libvirt.VIR_FROM_QEMU
    # no agent channel: libvirt's error at once
    err = virsh(uri, "dompmsuspend", "nc", "mem", check=False)
    assert err.returncode == 1 and err.stderr.strip() == (
        "error: Domain 'nc' could not be suspended\n"
        "error: argument unsupported: QEMU guest agent is not configured"), err.stderr
    # the guest boots again after poweroff_restart's reset
    wait_guest(lambda: "GUEST-QGA-STARTED" in console_text(serial).split("GUEST-POWERBUTTON")[-1],
               "qemu-ga in the guest", 180, uri, "vm", serial, d, cpu_budget=20)
    # qemu-ga opens its port a moment after it starts
    wait_for(lambda: virsh(uri, "domtime", "vm", check=False).returncode == 0,
             "the agent answering", 60, step=0.2)

    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("vm")
        MEM, DISK = libvirt.VIR_NODE_SUSPEND_TARGET_MEM, libvirt.VIR_NODE_SUSPEND_TARGET_DISK
        # libvirtd 9.0's checks, in its order; the guest keeps running
        expect_error(lambda: dom.pMSuspendForDuration(MEM, 0, 1), libvirt.VIR_ERR_INVALID_ARG,
                     VQEMU, "unsupported flags (0x1) in function qemuDomainPMSuspendForDuration")
        expect_error(lambda: dom.pMSuspendForDuration(3, 5, 0),
                     libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, VQEMU,
                     "Duration not supported. Use 0 for now")
        expect_error(lambda: dom.pMSuspendForDuration(3, 0, 0), libvirt.VIR_ERR_INVALID_ARG,
                     VQEMU, "Unknown suspend target: 3")
        expect_error(lambda: dom.pMSuspendForDuration(DISK, 0, 0),
                     libvirt.VIR_ERR_INTERNAL_ERROR, VQEMU, "S4 state is disabled for this domain")
        expect_error(lambda: dom.pMWakeup(0), libvirt.VIR_ERR_INTERNAL_ERROR, VQEMU,
                     "unable to execute QEMU command 'system_wakeup': Unable to wake up: "
                     "guest is not in suspended state")
        expect_error(lambda: dom.pMWakeup(1), libvirt.VIR_ERR_INVALID_ARG, VQEMU,
                     "unsupported flags (0x1) in function qemuDomainPMWakeup")
        ro = libvirt.openReadOnly(uri)
        try:
            expect_error(lambda: ro.lookupByName("vm").pMSuspendForDuration(MEM, 0, 0),
                         libvirt.VIR_ERR_OPERATION_DENIED, VDOM,
                         "read only access prevents virDomainPMSuspendForDuration")
            expect_error(lambda: ro.suspendForDuration(MEM, 60, 0),
                         libvirt.VIR_ERR_OPERATION_DENIED, VDOM,
                         "read only access prevents virNodeSuspendForDuration")
        finally:
            ro.close()
        # signals to the guest's processes: libvirtd 9.0's QEMU driver has
        # none (NO_SUPPORT in the domain error domain), nor has virtkitd's
        expect_error(lambda: dom.sendProcessSignal(1, libvirt.VIR_DOMAIN_PROCESS_SIGNAL_KILL),
                     libvirt.VIR_ERR_NO_SUPPORT, VDOM, "this function is not supported by the "
                     "connection driver: virDomainSendProcessSignal")
        err = virsh(uri, "send-process-signal", "vm", "1", "term", check=False)
        assert err.returncode == 1 and err.stderr.strip() == (
            "error: this function is not supported by the connection driver: "
            "virDomainSendProcessSignal"), err.stderr
        assert qemu_status(uri, "vm") == "running"
        assert domstate(uri, "vm") == "running (booted)", domstate(uri, "vm")

        # the host: never really suspended here (10 s is under libvirt's
        # minimum of 60, checked after the host's support)
        if not any(os.access(os.path.join(p, "pm-is-supported"), os.X_OK)
                   for p in os.environ.get("PATH", "/usr/bin").split(":")):
            expect_error(lambda: conn.suspendForDuration(MEM, 10, 0),
                         libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, libvirt.VIR_FROM_NONE,
                         "Suspend-to-RAM")
            err = virsh(uri, "nodesuspend", "hybrid", "10", check=False)
            assert err.returncode == 1 and err.stderr.strip() == (
                "error: The host was not suspended\n"
                "error: argument unsupported: Hybrid-Suspend"), err.stderr
        expect_error(lambda: conn.suspendForDuration(3, 60, 0), libvirt.VIR_ERR_INVALID_ARG,
                     libvirt.VIR_FROM_NONE, "Invalid suspend target")
        expect_error(lambda: conn.suspendForDuration(MEM, 10, 1), libvirt.VIR_ERR_INVALID_ARG,
                     libvirt.VIR_FROM_NONE, "unsupported flags (0x1) in function virNodeSuspend")

        # suspend to RAM through the agent: QEMU's guest is in S3
        p = virsh(uri, "dompmsuspend", "vm", "mem")
        assert p.stdout.strip() == "", p.stdout  # -q: no "successfully suspended"
        assert domstate(uri, "vm") == "pmsuspended (unknown)", domstate(uri, "vm")
        wait_for(lambda: qemu_status(uri, "vm") == "suspended", "QEMU's run state suspended",
                 30, step=0.1)
        events.wait_line(r"^event 'pm-suspend' for domain 'vm'")
        events.wait_line(r"^event 'lifecycle' for domain 'vm': PMSuspended Memory")
        expect_error(lambda: dom.pMSuspendForDuration(MEM, 0, 0),
                     libvirt.VIR_ERR_OPERATION_INVALID, VQEMU, "domain is not running")
        # and awake again
        booted = readies(serial)
        dom.pMWakeup()
        wait_for(lambda: qemu_status(uri, "vm") == "running", "QEMU's run state running", 30,
                 step=0.1)
        assert domstate(uri, "vm") == "running (event wakeup)", domstate(uri, "vm")
        events.wait_line(r"^event 'pm-wakeup' for domain 'vm'")
        events.wait_line(r"^event 'lifecycle' for domain 'vm': Started Event wakeup")
        # this guest does not come back from S3 where it slept: QEMU's
        # wakeup resets the machine and the kernel (booted through PVH,
        # without the firmware's real-mode path) boots afresh, resetting on
        # the way; wait for that boot to end, so that no reset of it meets
        # lifecycle_actions' on_reboot changes
        wait_guest(lambda: readies(serial) > booted, "the guest's boot after the wakeup", 120,
                   uri, "vm", serial, d, cpu_budget=20)
    finally:
        conn.close()


def lifecycle_actions(uri, d, serial, events):

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
        n = reboots(events)
        booted = readies(serial)
        virsh(uri, "reset", "vm")
        try:
            wait_for(lambda: reboots(events) > n, "the reset's reboot event", 60, step=0.1)
        except AssertionError as e:
            raise AssertionError("%s; events: %r" % (e, events.buf)) from None
        assert domstate(uri, "vm").startswith("running"), domstate(uri, "vm")
        assert qemu_status(uri, "vm") == "running"
        # the kernel (booted through PVH) resets the machine once more on
        # its way up: under on_reboot destroy that reset of its own ends the
        # guest, and a reset asked for then meets a domain going away (End
        # of file from QEMU monitor, seen under ASan): its boot ends first
        wait_guest(lambda: readies(serial) > booted, "the guest's boot after the reset",
                   120, uri, "vm", serial, d, cpu_budget=20)
        virsh(uri, "set-lifecycle-action", "vm", "reboot", "destroy", "--current")
        assert actions(uri, "vm") == ("destroy", "destroy", "preserve")
        # the reset succeeds even when QEMU's SHUTDOWN for it overtakes
        # its answer to system_reset and ending QEMU fails the command
        # (the daemon knows the shutdown came from that reset); the
        # domain ends
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
        ("dompmsuspend/dompmwakeup/nodesuspend, set-lifecycle-action live and config: "
         "their effect in QEMU, libvirt's errors", test_power),
    ])
