#!/usr/bin/env python3
"""An interface's <driver> through virtkitd (issue 10), with the real clients,
inside a network namespace of the test's own.

The test process enters a new network namespace first (root only, else
skipped): the taps virtkitd makes live and die there. The guest is the
hotplug variant of the test guest: its console prints a GUEST-HW line with
each NIC's queues as its kernel uses them (queues=eth0:RX/TX,).
- definitions (python3-libvirt): <driver> of a virtio NIC kept as libvirt
  9.0 writes it, dropped for another model; libvirt's errors, code and
  domain numbers for a bad value, a queue size that is not a power of two
  (at define) and several queues on a type 'user' NIC (at start: libvirt
  accepts the definition); nothing is left defined by a refusal;
- a real boot with two vCPUs: an ethernet NIC with <driver queues='2'>
  is a multiqueue tap (ip -d link: multi_queue) whose two queues the guest's
  virtio-net driver uses (queues=eth0:2/2; QEMU attaches the tap's second
  queue once the guest asks for it: numqueues 2), QEMU's device has
  mq on and 2N+2 vectors; a user NIC's txmode, ioeventfd, queue sizes and
  offloads are the device's properties (qom-get);
- hotplug on the same guest: an ethernet NIC with queues='2' plugged in
  (Debian's virsh attach-device --live) is a second multiqueue tap with
  both queues in the guest; unplugged, its tap is gone.
- <mtu size>: the tap the daemon makes has that MTU (ip link, in this
  namespace), QEMU's virtio-net its host_mtu, which the guest's driver
  takes (mtu=eth0:1400 on its console), at start and hotplug; a tap on a
  bridge of the test's own without <mtu> has the bridge's MTU.
- <port isolated='yes'> and <coalesce><rx><frames max>: that tap is an
  isolated bridge port with its rx-frames set (as the tap takes them: 64
  for 100, shown so in the live XML, as libvirtd does), and update-device
  changes both on the running tap.
- <script>/<downscript> of an ethernet NIC: the script runs once the tap
  is up, with its name (at start and attach), the downscript once it is
  gone (at detach and destroy); a failing script gets libvirtd 9.0's
  "Child process (...) unexpected exit status 3: ..." and plugs nothing;
  update-device cannot change the script; a script on a user NIC is
  refused at start as by libvirtd.
- <backend tap='PATH' vhost='...'>: both NICs' tap queues are opened on a
  tun device node the test made (QEMU holds its descriptors on that path,
  none on /dev/net/tun), the live XML keeps it; an attach naming a missing
  one gets libvirtd 9.0's "Unable to open PATH, is tun module loaded?"
  and plugs nothing. (vhost-net is opened for KVM guests only: never here,
  as under libvirtd.)
"""
import ctypes
import fcntl
import os
import re
import socket
import struct
import stat
import subprocess
import sys

from vkdtest import (Daemon, Skip, qemu_pids, qom_get, run_tests, sh, unshare_netns, virsh,
                     wait_for, write)
from vkdtest import test_guest_dir

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

GUEST = None  # found (or built) before leaving the host's network


def enter_netns():
    global GUEST
    if os.geteuid() != 0:
        raise Skip("needs root (a network namespace of its own)")
    GUEST = test_guest_dir("hotplug")
    unshare_netns()


def guest():
    if not GUEST:
        raise Skip("hotplug test guest not available (scripts/build-test-guest.sh)")
    return GUEST


def hw(serial):
    """The guest's last GUEST-HW line as a dict (net, queues, ...)."""
    lines = [ln for ln in open(serial, errors="replace").read().splitlines()
             if "GUEST-HW " in ln]
    if not lines:
        return {}
    return {m.group(1): m.group(2)
            for m in re.finditer(r"\b(cpus|online|net|queues|mtu|link)=(\S*)", lines[-1])}


def tap_queues(tap):
    """The queues multiqueue tap @tap has, as (attached, detached): QEMU
    holds a descriptor per queue and detaches those the guest does not use
    (TUNSETQUEUE); (0, 0) for a tap that is not multiqueue, None when it
    does not exist (this namespace's view: sysfs shows the host's)."""
    p = subprocess.run(["ip", "-d", "link", "show", "dev", tap], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    m = re.search(r" multi_queue numqueues (\d+) numdisabled (\d+)", p.stdout)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def domain(name, devices, vcpus=1, serial=None):
    g = guest()
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>%d</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    %s
    %s
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, vcpus, g, g, devices,
       "<serial type='file'><source path='%s'/><target port='0'/></serial>" % serial
       if serial else "")


def link_mtu(dev):
    """The MTU of host interface @dev in this namespace (ip, not sysfs:
    sysfs shows the host's), None when it does not exist."""
    p = subprocess.run(["ip", "-o", "link", "show", "dev", dev], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    return int(re.search(r" mtu (\d+) ", p.stdout).group(1))


def port_isolated(dev):
    """Whether bridge port @dev is isolated (BR_ISOLATED), from ip -d."""
    out = sh("ip -d link show dev %s" % dev)
    return re.search(r" isolated (on|off) ", out).group(1) == "on"


def rx_frames(dev):
    """@dev's rx-frames coalescing (ETHTOOL_GCOALESCE, in this namespace)."""
    data = ctypes.create_string_buffer(struct.pack("=I", 0x0e) + b"\0" * 88)
    ifr = struct.pack("16sP", dev.encode(), ctypes.addressof(data))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, 0x8946, ifr)  # SIOCETHTOOL
    return struct.unpack("=23I", data.raw[:92])[2]


def fds_on(d, path):
    """How many descriptors the one QEMU of daemon @d holds open on @path."""
    pids = qemu_pids(d.root)
    assert len(pids) == 1, pids
    fddir = "/proc/%d/fd" % pids[0]
    n = 0
    for fd in os.listdir(fddir):
        try:
            n += os.readlink(os.path.join(fddir, fd)) == path
        except OSError:
            pass
    return n


def interfaces(xml):
    return re.findall(r"<interface .*?</interface>", xml, re.S)


def test_definitions():
    guest()
    d = Daemon().start()
    c = libvirt.open(d.uri())
    try:
        dom = c.defineXML(domain("nd", """
    <interface type='user'><mac address='52:54:00:7b:00:01'/><model type='virtio'/>
      <driver queues='1' name='vhost' txmode='timer' rss='on'>
        <guest tso4='off'/><host mrg_rxbuf='off' csum='on'/></driver></interface>
    <interface type='user'><mac address='52:54:00:7b:00:02'/><model type='e1000'/>
      <driver name='vhost' queues='4'/></interface>"""))
        got = interfaces(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        # libvirt's order and indentation; queues='1' is no queue count,
        # another model's <driver> is not kept (libvirt 9.0 reads none)
        assert "<model type='virtio'/>\n      <driver name='vhost' txmode='timer' rss='on'>\n" \
               "        <host csum='on' mrg_rxbuf='off'/>\n" \
               "        <guest tso4='off'/>\n      </driver>\n" in got[0], got[0]
        assert "<driver" not in got[1], got[1]
        dom.undefine()
        for bad, code, dom_, msg in (
                ("queues='-5'", 27, 5, "XML error: Invalid value for attribute 'queues' "
                 "in element 'driver': '-5'. Expected non-negative integer value"),
                ("txmode='bh'", 27, 5, "XML error: Invalid value for attribute 'txmode' "
                 "in element 'driver': 'bh'."),
                ("rx_queue_size='100'", 67, 10, "unsupported configuration: rx_queue_size "
                 "has to be a power of two")):
            try:
                c.defineXML(domain("nd", "<interface type='user'><model type='virtio'/>"
                                         "<driver %s/></interface>" % bad))
                raise AssertionError("defined with %s" % bad)
            except libvirt.libvirtError as e:
                assert (e.get_error_code(), e.get_error_domain(), str(e)) == \
                    (code, dom_, msg), (bad, e.get_error_code(), e.get_error_domain(), str(e))
            assert c.listDefinedDomains() == [], c.listDefinedDomains()
        # several queues need a tap: libvirt takes the definition and
        # refuses the start
        dom = c.defineXML(domain("nd", "<interface type='user'><mac address='52:54:00:7b:00:03'/>"
                                       "<model type='virtio'/><driver queues='2'/></interface>"))
        try:
            dom.create()
            raise AssertionError("started a multiqueue user interface")
        except libvirt.libvirtError as e:
            assert (e.get_error_code(), e.get_error_domain(), str(e)) == (
                67, 10, "unsupported configuration: interface 52:54:00:7b:00:03 - multiqueue "
                "is not supported for network interfaces of type user"), str(e)
        assert not dom.isActive()
        dom.undefine()
        # a script only on type ethernet: libvirt 9.0 refuses it at start
        dom = c.defineXML(domain("nd", "<interface type='user'><mac address='52:54:00:7b:00:04'/>"
                                       "<script path='/bin/true'/><model type='virtio'/>"
                                       "</interface>"))
        assert "<script path='/bin/true'/>" in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        try:
            dom.create()
            raise AssertionError("started a user interface with a script")
        except libvirt.libvirtError as e:
            assert (e.get_error_code(), e.get_error_domain(), str(e)) == (
                67, 10, "unsupported configuration: scripts are not supported on interfaces "
                "of type user"), str(e)
        assert not dom.isActive()
        dom.undefine()
    finally:
        c.close()
    assert d.stop() == 0


def test_queues_in_guest():
    guest()
    d = Daemon().start()
    uri = d.uri()
    serial = os.path.join(d.root, "nq.serial")
    # <backend tap>: the daemon opens the taps' queues on this tun device
    # node of the test's own instead of /dev/net/tun (QEMU holds them)
    tun = os.path.join(d.root, "tun")
    os.mknod(tun, 0o600 | stat.S_IFCHR, os.makedev(10, 200))
    # a host bridge of this namespace with an MTU of its own: a tap the
    # daemon plugs into it without <mtu> takes the bridge's (libvirt's
    # virNetDevTapAttachBridge)
    sh("ip link add vkbr0 type bridge && ip link set vkbr0 mtu 1450")
    # <script>/<downscript> of the ethernet NICs: each says when it ran,
    # for which tap, and whether that tap was there and up
    log = os.path.join(d.root, "scripts.log")
    for name in ("up", "down"):
        write(os.path.join(d.root, name + ".sh"),
              "#!/bin/sh\nif ip -o link show dev \"$1\" 2>/dev/null | grep -q '[<,]UP[,>]'; "
              "then s=up; elif ip link show dev \"$1\" >/dev/null 2>&1; then s=down; "
              "else s=gone; fi\necho \"%s $* $s\" >> %s\n" % (name, log))
        os.chmod(os.path.join(d.root, name + ".sh"), 0o755)
    write(os.path.join(d.root, "fail.sh"), "#!/bin/sh\necho \"no $1\" >&2\nexit 3\n")
    os.chmod(os.path.join(d.root, "fail.sh"), 0o755)
    scripts = ("<script path='%s/up.sh'/><downscript path='%s/down.sh'/>"
               % (d.root, d.root))
    xml = domain("nq", """
    <controller type='pci' model='pcie-root'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <interface type='ethernet'><mac address='52:54:00:7b:01:01'/>
      <target dev='vkmq0'/><model type='virtio'/><driver queues='2'/>
      <backend tap='%s' vhost='/dev/vhost-net'/><mtu size='1400'/>%s</interface>
    <interface type='user'><mac address='52:54:00:7b:01:02'/><model type='virtio'/>
      <driver txmode='iothread' ioeventfd='off' rx_queue_size='512' tx_queue_size='256'>
        <host mrg_rxbuf='off'/><guest csum='off'/></driver></interface>
    <interface type='bridge'><mac address='52:54:00:7b:01:05'/><source bridge='vkbr0'/>
      <target dev='vkbrp0'/><model type='virtio'/><backend tap='%s'/>
      <port isolated='yes'/><coalesce><rx><frames max='100'/></rx></coalesce></interface>
    """ % (tun, scripts, tun),
                 vcpus=2, serial=serial)
    virsh(uri, "define", write(os.path.join(d.root, "nq.xml"), xml))
    virsh(uri, "start", "nq")
    # the multiqueue tap the daemon made: QEMU holds both queues, opened on
    # the <backend tap> device
    assert sum(tap_queues("vkmq0")) == 2, tap_queues("vkmq0")
    assert fds_on(d, tun) == 3
    assert fds_on(d, "/dev/net/tun") == 0
    # the guest's driver uses both queue pairs of the first NIC, one of the
    # second's
    wait_for(lambda: hw(serial).get("queues") == "eth0:2/2,eth1:1/1,eth2:1/1,",
             "both queues of eth0 in the guest", 180)
    # <mtu>: the tap's MTU and virtio-net's host_mtu, which the guest's
    # driver takes as its own; the bridge's tap has the bridge's MTU (the
    # guest's NIC there the virtio default); the user NIC has none
    assert link_mtu("vkmq0") == 1400, link_mtu("vkmq0")
    # the ethernet NIC's script ran once its tap was up, with its name
    assert open(log).read() == "up vkmq0 up\n", open(log).read()
    assert link_mtu("vkbrp0") == 1450, link_mtu("vkbrp0")
    assert link_mtu("vkbr0") == 1450, link_mtu("vkbr0")
    assert hw(serial).get("mtu") == "eth0:1400,eth1:1500,eth2:1500,", hw(serial)
    assert qom_get(uri, "nq", "/machine/peripheral/net0", "host_mtu") == 1400
    assert qom_get(uri, "nq", "/machine/peripheral/net2", "host_mtu") == 0
    # <port isolated='yes'> and <coalesce> on the bridge's tap: an isolated
    # port, rx-frames as the tap takes them (at most 64), which the live
    # XML shows as libvirtd's does
    assert port_isolated("vkbrp0")
    assert rx_frames("vkbrp0") == 64, rx_frames("vkbrp0")
    # the guest asked for both (QEMU attached the second one again)
    wait_for(lambda: tap_queues("vkmq0") == (2, 0), "both tap queues in use", 30)
    assert qom_get(uri, "nq", "/machine/peripheral/net0", "mq") is True
    assert qom_get(uri, "nq", "/machine/peripheral/net0", "vectors") == 6
    assert qom_get(uri, "nq", "/machine/peripheral/net1", "mq") is False
    for prop, want in (("tx", "bh"), ("ioeventfd", False), ("rx_queue_size", 512),
                       ("tx_queue_size", 256), ("mrg_rxbuf", False), ("guest_csum", False),
                       ("csum", True)):
        assert qom_get(uri, "nq", "/machine/peripheral/net1", prop) == want, prop
    live = virsh(uri, "dumpxml", "nq").stdout
    assert "<driver queues='2'/>" in live, live
    assert "<backend tap='%s' vhost='/dev/vhost-net'/>" % tun in live, live
    assert "<mtu size='1400'/>" in live, live
    assert re.search(r"<port isolated='yes'/>\s*<target dev='vkbrp0'/>.*?"
                     r"<coalesce>\s*<rx>\s*<frames max='64'/>", live, re.S), live
    # update-device changes both on the running tap
    virsh(uri, "update-device", "nq", write(os.path.join(d.root, "br.xml"), """
      <interface type='bridge'><mac address='52:54:00:7b:01:05'/><source bridge='vkbr0'/>
        <target dev='vkbrp0'/><model type='virtio'/><backend tap='%s'/>
        <port isolated='no'/><coalesce><rx><frames max='7'/></rx></coalesce></interface>
    """ % tun), "--live")
    assert not port_isolated("vkbrp0")
    assert rx_frames("vkbrp0") == 7, rx_frames("vkbrp0")
    live = virsh(uri, "dumpxml", "nq").stdout
    assert re.search(r"<port isolated='no'/>\s*<target dev='vkbrp0'/>.*?"
                     r"<coalesce>\s*<rx>\s*<frames max='7'/>", live, re.S), live
    # a running NIC's MTU stays (libvirt's qemuDomainChangeNet)
    try:
        libvirt.open(uri).lookupByName("nq").updateDeviceFlags(
            "<interface type='ethernet'><mac address='52:54:00:7b:01:01'/>"
            "<target dev='vkmq0'/><model type='virtio'/><driver queues='2'/>"
            "<backend tap='%s'/><mtu size='1500'/>%s</interface>" % (tun, scripts),
            libvirt.VIR_DOMAIN_AFFECT_LIVE)
        raise AssertionError("changed a running NIC's MTU")
    except libvirt.libvirtError as e:
        assert (e.get_error_code(), e.get_error_domain(), str(e)) == (
            84, 10, "Operation not supported: cannot modify MTU"), str(e)
    assert link_mtu("vkmq0") == 1400, link_mtu("vkmq0")
    # nor its script (libvirt's check before the MTU's)
    try:
        libvirt.open(uri).lookupByName("nq").updateDeviceFlags(
            "<interface type='ethernet'><mac address='52:54:00:7b:01:01'/>"
            "<target dev='vkmq0'/><model type='virtio'/><mtu size='1400'/>"
            "<script path='/bin/true'/></interface>", libvirt.VIR_DOMAIN_AFFECT_LIVE)
        raise AssertionError("changed a running NIC's script")
    except libvirt.libvirtError as e:
        assert (e.get_error_code(), e.get_error_domain(), str(e)) == (
            84, 10, "Operation not supported: cannot modify network device script "
            "attribute"), str(e)

    # a tun device that is not there: libvirtd 9.0's error, nothing plugged
    bad = ("<interface type='ethernet'><mac address='52:54:00:7b:01:04'/>"
           "<target dev='vkmq2'/><model type='virtio'/><backend tap='/nonexistent/tun'/>"
           "</interface>")
    dom = libvirt.open(uri).lookupByName("nq")
    try:
        dom.attachDeviceFlags(bad, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        raise AssertionError("attached a tap on a missing tun device")
    except libvirt.libvirtError as e:
        assert (e.get_error_code(), e.get_error_domain(), str(e)) == (
            38, 0, "Unable to open /nonexistent/tun, is tun module loaded?: "
            "No such file or directory"), str(e)
    assert "52:54:00:7b:01:04" not in virsh(uri, "dumpxml", "nq").stdout
    assert tap_queues("vkmq2") is None
    # a script that fails: libvirtd 9.0's error (its environment and
    # command in it), the tap gone, nothing plugged
    try:
        dom.attachDeviceFlags("<interface type='ethernet'><mac address='52:54:00:7b:01:06'/>"
                              "<target dev='vkmq3'/><model type='virtio'/>"
                              "<script path='%s/fail.sh'/></interface>" % d.root,
                              libvirt.VIR_DOMAIN_AFFECT_LIVE)
        raise AssertionError("attached a NIC whose script failed")
    except libvirt.libvirtError as e:
        assert (e.get_error_code(), e.get_error_domain()) == (1, 0), str(e)
        # (LD_LIBRARY_PATH, USER ... too when the daemon has them)
        assert str(e).startswith("internal error: Child process (LC_ALL=C "), str(e)
        assert " PATH=" in str(e), str(e)
        assert str(e).endswith(" %s/fail.sh vkmq3) unexpected exit status 3: no vkmq3\n"
                               % d.root), str(e)
    assert "52:54:00:7b:01:06" not in virsh(uri, "dumpxml", "nq").stdout
    assert tap_queues("vkmq3") is None

    # a multiqueue NIC plugged in: a second multiqueue tap, both queues used
    mq = ("<interface type='ethernet'><mac address='52:54:00:7b:01:03'/>"
          "<target dev='vkmq1'/><model type='virtio'/><driver queues='2'/>"
          "<backend tap='%s'/><mtu size='1300'/>%s</interface>" % (tun, scripts))
    virsh(uri, "attach-device", "nq", write(os.path.join(d.root, "mq.xml"), mq), "--live")
    wait_for(lambda: hw(serial).get("queues") == "eth0:2/2,eth1:1/1,eth2:1/1,eth3:2/2,",
             "both queues of the plugged NIC in the guest", 120)
    # its <mtu> on the new tap and in the guest, as at start
    assert link_mtu("vkmq1") == 1300, link_mtu("vkmq1")
    assert open(log).read() == "up vkmq0 up\nup vkmq1 up\n", open(log).read()
    wait_for(lambda: hw(serial).get("mtu") == "eth0:1400,eth1:1500,eth2:1500,eth3:1300,",
             "the plugged NIC's MTU in the guest", 30)
    wait_for(lambda: tap_queues("vkmq1") == (2, 0), "both queues of the plugged tap in use",
             30)
    assert fds_on(d, tun) == 5
    alias = re.search(r"<mac address='52:54:00:7b:01:03'/>.*?<alias name='(\w+)'/>",
                      virsh(uri, "dumpxml", "nq").stdout, re.S).group(1)
    assert qom_get(uri, "nq", "/machine/peripheral/" + alias, "vectors") == 6
    virsh(uri, "detach-device", "nq", os.path.join(d.root, "mq.xml"), "--live")
    wait_for(lambda: tap_queues("vkmq1") is None, "the plugged tap gone", 60)
    # its downscript ran once the tap was gone
    wait_for(lambda: open(log).read().endswith("down vkmq1 gone\n"),
             "the unplugged NIC's downscript", 30)
    virsh(uri, "destroy", "nq")
    assert open(log).read() == ("up vkmq0 up\nup vkmq1 up\ndown vkmq1 gone\n"
                                "down vkmq0 gone\n"), open(log).read()
    assert tap_queues("vkmq0") is None
    assert "vkmq" not in sh("ip -o link")
    assert "vkbrp0" not in sh("ip -o link")
    sh("ip link del vkbr0")
    rc = d.stop()
    assert rc == 0, (rc, d.sanitizer_report() or d.log()[-3000:])


if __name__ == "__main__":
    tests = [
        ("<driver> kept as libvirt 9.0 writes it; libvirt's errors at define and start",
         test_definitions),
        ("queues='2': a multiqueue tap whose queues the guest uses, at start and hotplug, "
         "opened on <backend tap>; <mtu> on the tap and in the guest; an isolated bridge port "
         "with its coalescing; an ethernet NIC's scripts; the device properties in QEMU",
         test_queues_in_guest),
    ]
    try:
        enter_netns()
    except Skip as e:
        reason = str(e)

        def skipped():
            raise Skip(reason)
        tests = [(n, skipped) for n, _ in tests]
    run_tests(tests)
