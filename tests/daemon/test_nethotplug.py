#!/usr/bin/env python3
"""Interfaces and CD-ROM media of a running guest through virtkitd (issue 15),
with the real clients, inside a network namespace of the test's own.

The test process enters a new network namespace first (unshare(CLONE_NEWNET):
root only, else skipped), so every daemon, bridge and tap it makes lives and
dies there. The guest is the hotplug variant of the test guest: its console
prints a GUEST-HW line with its network interfaces and each one's carrier
(link=eth0:1,) whenever they change.
- netdev-scenario.sh (attach/detach of interfaces, domif-setlink/getlink,
  update-device, change-media, their errors) run with Debian's virsh and
  with vksh prints byte for byte what virsh printed against libvirt 9.0's
  libvirtd (tests/data/daemon/netdev-virsh.golden);
- one guest, many cases: interfaces of type network and bridge plugged live
  (python3-libvirt and virsh) appear in the guest, in QEMU (qom-list of
  /machine/peripheral) and as taps on their bridge; the network gets a
  port; DEVICE_ADDED/DEVICE_REMOVED reach virsh event; the link goes down
  and up in the guest; update-device moves a tap to another bridge and
  from a network to a bridge; everything survives a daemon restart; an
  unplug removes the device, the tap and the port; destroy removes the
  last tap; CD-ROM media changed by python3-libvirt updateDeviceFlags is
  what QEMU's query-block shows.
"""
import os
import re
import subprocess
import sys

from vkdtest import Daemon, Skip, VirshEvents, run_scenario, run_tests, virsh, wait_for, write
from vkdtest import test_guest_dir
from vkdtest import qmp, sh, unshare_netns

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "data", "daemon", "netdev-virsh.golden")
VKSH = os.environ.get("VKSH")
GUEST = None  # found (or built) before leaving the host's network


def hotplug_guest_dir():
    return test_guest_dir("hotplug")


def enter_netns():
    global GUEST
    if os.geteuid() != 0:
        raise Skip("needs root (a network namespace of its own)")
    GUEST = hotplug_guest_dir()
    unshare_netns()


def guest():
    if not GUEST:
        raise Skip("hotplug test guest not available (scripts/build-test-guest.sh)")
    return GUEST


def scenario(shell):
    run_scenario("netdev-scenario.sh", GOLDEN, guest(), shell)


def test_scenario_virsh():
    scenario("virsh")


def test_scenario_vksh():
    if not VKSH:
        raise Skip("vksh not built")
    scenario(VKSH)


def hw(serial):
    """The guest's last GUEST-HW line as a dict (net, link, block, ...)."""
    lines = [ln for ln in open(serial, errors="replace").read().splitlines()
             if "GUEST-HW " in ln]
    if not lines:
        return {}
    return {m.group(1): m.group(2)
            for m in re.finditer(r"\b(cpus|online|block|net|link|rng)=(\S*)", lines[-1])}


def objects(uri, name):
    return sorted(p["name"] for p in qmp(uri, name, "qom-list", {"path": "/objects"}))


def peripherals(uri, name):
    return sorted(p["name"] for p in qmp(uri, name, "qom-list", {"path": "/machine/peripheral"})
                  if p["type"].startswith("child<"))


def master(tap):
    """The bridge a host interface is plugged into ("" for none), or None
    when it does not exist."""
    p = subprocess.run(["ip", "-o", "link", "show", "dev", tap], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    m = re.search(r" master (\S+)", p.stdout)
    return m.group(1) if m else ""


def target_dev(xml, mac):
    m = re.search(r"<interface type='\w+'>\s*<mac address='%s'/>.*?<target dev='([^']+)'/>"
                  % mac, xml, re.S)
    return m.group(1) if m else None


NET = "<interface type='network'><mac address='52:54:00:7a:00:01'/>" \
      "<source network='vkhiso'/><model type='virtio'/></interface>"
BR = "<interface type='bridge'><mac address='52:54:00:7a:00:02'/>" \
     "<source bridge='vkhbr0'/><model type='virtio'/></interface>"


def test_interfaces_in_guest():
    g = guest()
    d = Daemon().start()
    uri = d.uri()
    os.chmod(d.root, 0o755)  # the images are opened by QEMU's own user
    serial = os.path.join(d.root, "ni.serial")
    disk = os.path.join(d.root, "ni.img")
    isos = [os.path.join(d.root, n) for n in ("a.iso", "b.iso")]
    subprocess.run(["qemu-img", "create", "-q", "-f", "raw", disk, "16M"], check=True)
    for i, iso in enumerate(isos):
        subprocess.run(["qemu-img", "create", "-q", "-f", "raw", iso, "%dM" % (i + 1)],
                       check=True)
    for br in ("vkhbr0", "vkhbr1"):
        sh("ip link add %s type bridge && ip link set %s up" % (br, br))
    virsh(uri, "net-define", write(os.path.join(d.root, "iso.xml"),
                                   "<network><name>vkhiso</name>"
                                   "<bridge name='vkhiso0'/></network>"))
    virsh(uri, "net-start", "vkhiso")
    xml = """<domain type='qemu'>
  <name>ni</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='sda' bus='sata'/><readonly/></disk>
    <controller type='pci' model='pcie-root'/>%s
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (g, g, disk, isos[0], "<controller type='pci' model='pcie-root-port'/>" * 6, serial)
    virsh(uri, "define", write(os.path.join(d.root, "ni.xml"), xml))
    virsh(uri, "start", "ni")
    wait_for(lambda: hw(serial).get("net") == "lo,", "the guest up without a NIC", 120)
    events = VirshEvents(uri, "--all")
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("ni")
        # make sure the listener is in before the first hotplug
        events.sync(uri, "<domain type='qemu'><name>evsync</name><memory>131072</memory>"
                    "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>", d.root)

        # type network, live and in the definition (python3-libvirt)
        dom.attachDeviceFlags(NET, libvirt.VIR_DOMAIN_AFFECT_LIVE |
                              libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        wait_for(lambda: hw(serial).get("net") == "eth0,lo,", "the NIC in the guest", 60)
        events.wait_line(r"event 'device-added' for domain 'ni': net0")
        assert "net0" in peripherals(uri, "ni")
        live = virsh(uri, "dumpxml", "ni").stdout
        tap0 = target_dev(live, "52:54:00:7a:00:01")
        assert tap0 and master(tap0) == "vkhiso0", (tap0, live)
        assert "<alias name='net0'/>" in live, live
        assert re.search(r"<source network='vkhiso' portid='[0-9a-f-]{36}' "
                         r"bridge='vkhiso0'/>", live), live
        ports = virsh(uri, "net-port-list", "vkhiso", "--uuid").stdout.split()
        assert len(ports) == 1, ports
        assert "52:54:00:7a:00:01" in virsh(uri, "dumpxml", "--inactive", "ni").stdout

        # type bridge, live only (virsh)
        virsh(uri, "attach-device", "ni", write(os.path.join(d.root, "br.xml"), BR), "--live")
        wait_for(lambda: hw(serial).get("net") == "eth0,eth1,lo,", "the second NIC", 60)
        events.wait_line(r"event 'device-added' for domain 'ni': net1")
        live = virsh(uri, "dumpxml", "ni").stdout
        tap1 = target_dev(live, "52:54:00:7a:00:02")
        assert tap1 and tap1 != tap0 and master(tap1) == "vkhbr0", (tap1, live)
        assert "52:54:00:7a:00:02" not in virsh(uri, "dumpxml", "--inactive", "ni").stdout
        assert sorted(peripherals(uri, "ni")) == sorted(set(peripherals(uri, "ni")))

        # a bridge that does not exist: refused, nothing left
        before = peripherals(uri, "ni")
        bad = BR.replace("vkhbr0", "vkhnone").replace(":02'", ":03'")
        try:
            dom.attachDeviceFlags(bad, libvirt.VIR_DOMAIN_AFFECT_LIVE)
            raise AssertionError("attaching to a missing bridge succeeded")
        except libvirt.libvirtError as e:
            assert "vkhnone" in str(e), e
        assert peripherals(uri, "ni") == before
        assert "52:54:00:7a:00:03" not in virsh(uri, "dumpxml", "ni").stdout

        # the link: the guest sees its carrier go and come back
        virsh(uri, "domif-setlink", "ni", "52:54:00:7a:00:01", "down")
        wait_for(lambda: hw(serial).get("link") == "eth0:0,eth1:1,", "eth0 without carrier", 30)
        assert virsh(uri, "domif-getlink", "ni", "52:54:00:7a:00:01").stdout.strip() == \
            "52:54:00:7a:00:01 down"
        virsh(uri, "domif-setlink", "ni", "52:54:00:7a:00:01", "up")
        wait_for(lambda: hw(serial).get("link") == "eth0:1,eth1:1,", "eth0 with carrier", 30)

        # update-device: the bridge interface moves to another bridge, then
        # from a network to a bridge; the guest keeps its NICs
        dom.updateDeviceFlags(BR.replace("vkhbr0", "vkhbr1"), libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert master(tap1) == "vkhbr1"
        assert "<source bridge='vkhbr1'/>" in virsh(uri, "dumpxml", "ni").stdout
        dom.updateDeviceFlags(NET.replace("type='network'", "type='bridge'")
                              .replace("network='vkhiso'", "bridge='vkhbr0'"),
                              libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert master(tap0) == "vkhbr0"
        assert virsh(uri, "net-port-list", "vkhiso", "--uuid").stdout.split() == []
        # back onto the network: a new port
        dom.updateDeviceFlags(NET, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert master(tap0) == "vkhiso0"
        assert len(virsh(uri, "net-port-list", "vkhiso", "--uuid").stdout.split()) == 1
        assert hw(serial).get("net") == "eth0,eth1,lo,"

        # CD-ROM media (python3-libvirt): QEMU has what the XML says
        def medium():
            for b in qmp(uri, "ni", "query-block"):
                if b.get("qdev") == "sata0-0-0":
                    return b.get("inserted", {}).get("file")
            raise AssertionError("no sata0-0-0 in query-block")
        assert medium() == isos[0]
        cd = "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>%s" \
             "<target dev='sda' bus='sata'/><readonly/></disk>"
        dom.updateDeviceFlags(cd % "", libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert medium() is None
        dom.updateDeviceFlags(cd % ("<source file='%s'/>" % isos[1]),
                              libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert medium() == isos[1]
        assert "<source file='%s'/>" % isos[1] in virsh(uri, "dumpxml", "ni").stdout
        assert "<source file='%s'/>" % isos[0] in \
            virsh(uri, "dumpxml", "--inactive", "ni").stdout

        # a virtio RNG (python3-libvirt) on QEMU's builtin source with a
        # rate: its backend object (rng-builtin) and device in QEMU with the
        # rate as max-bytes/period, the guest's hw_random sees it
        dom.attachDeviceFlags("<rng model='virtio'><rate bytes='2048' period='500'/>"
                              "<backend model='builtin'/></rng>",
                              libvirt.VIR_DOMAIN_AFFECT_LIVE)
        wait_for(lambda: hw(serial).get("rng") == "virtio_rng.0,", "the RNG in the guest", 60)
        events.wait_line(r"event 'device-added' for domain 'ni': rng0")
        assert "objrng0" in objects(uri, "ni") and "rng0" in peripherals(uri, "ni")
        assert [p["type"] for p in qmp(uri, "ni", "qom-list", {"path": "/objects"})
                if p["name"] == "objrng0"] == ["child<rng-builtin>"]
        vdev = "/machine/peripheral/rng0/virtio-backend"
        assert qmp(uri, "ni", "qom-get", {"path": vdev, "property": "max-bytes"}) == 2048
        assert qmp(uri, "ni", "qom-get", {"path": vdev, "property": "period"}) == 500
        live = virsh(uri, "dumpxml", "ni").stdout
        assert "<alias name='rng0'/>" in live
        assert "<rate bytes='2048' period='500'/>" in live and \
            "<backend model='builtin'/>" in live, live
        assert "<rng" not in virsh(uri, "dumpxml", "--inactive", "ni").stdout
    finally:
        conn.close()

    # kept across a daemon restart: aliases, taps, ports
    events.close()
    live = virsh(uri, "dumpxml", "ni").stdout
    d.stop()
    d.start()
    assert virsh(uri, "dumpxml", "ni").stdout == live
    events = VirshEvents(uri, "--all")
    try:
        events.sync(uri, "<domain type='qemu'><name>evsync</name><memory>131072</memory>"
                    "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>", d.root)
        # unplugged after the restart: gone from the guest and QEMU, the tap
        # and the network's port removed
        virsh(uri, "detach-device", "ni", write(os.path.join(d.root, "net.xml"), NET),
              "--live")
        # (the guest keeps eth1's name)
        wait_for(lambda: hw(serial).get("net") == "eth1,lo,", "the NIC gone from the guest", 60)
        events.wait_line(r"event 'device-removed' for domain 'ni': net0")
        assert "net0" not in peripherals(uri, "ni") and "net1" in peripherals(uri, "ni")
        assert master(tap0) is None, tap0
        assert virsh(uri, "net-port-list", "vkhiso", "--uuid").stdout.split() == []
        # still in the definition (attached with --config too)
        assert "52:54:00:7a:00:01" in virsh(uri, "dumpxml", "--inactive", "ni").stdout
        # a new one takes the next alias
        virsh(uri, "attach-device", "ni", write(os.path.join(d.root, "net2.xml"),
                                                NET.replace(":01'", ":04'")), "--live")
        events.wait_line(r"event 'device-added' for domain 'ni': net2")
        wait_for(lambda: hw(serial).get("net") == "eth0,eth1,lo,", "the third NIC", 60)
        # the RNG (kept across the restart) unplugged by its alias
        virsh(uri, "detach-device-alias", "ni", "rng0", "--live")
        wait_for(lambda: hw(serial).get("rng") == "", "the RNG gone from the guest", 60)
        events.wait_line(r"event 'device-removed' for domain 'ni': rng0")
        assert "objrng0" not in objects(uri, "ni") and "rng0" not in peripherals(uri, "ni")
    finally:
        events.close()
    live = virsh(uri, "dumpxml", "ni").stdout
    taps = [target_dev(live, "52:54:00:7a:00:02"), target_dev(live, "52:54:00:7a:00:04")]
    assert all(t and master(t) is not None for t in taps), (taps, live)
    virsh(uri, "destroy", "ni")
    assert [master(t) for t in taps] == [None, None], taps
    assert virsh(uri, "net-port-list", "vkhiso", "--uuid").stdout.split() == []
    virsh(uri, "net-destroy", "vkhiso")
    for br in ("vkhbr0", "vkhbr1"):
        sh("ip link del %s" % br)
    assert d.stop() == 0


if __name__ == "__main__":
    tests = [
        ("interfaces and media: Debian's virsh through virtkitd prints what it printed "
         "against libvirtd", test_scenario_virsh),
        ("interfaces and media: vksh through virtkitd prints what virsh printed against "
         "libvirtd", test_scenario_vksh),
        ("interfaces plugged, relinked, moved and unplugged: seen in the guest, QEMU and "
         "the host; kept across a restart; media changes in QEMU", test_interfaces_in_guest),
    ]
    try:
        enter_netns()
    except Skip as e:
        reason = str(e)

        def skipped():
            raise Skip(reason)
        tests = [(n, skipped) for n, _ in tests]
    run_tests(tests)
