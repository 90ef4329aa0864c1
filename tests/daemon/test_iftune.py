#!/usr/bin/env python3
"""An interface's <bandwidth> on a running guest through virtkitd (issue 15):
tc on its tap, virsh domiftune / python3-libvirt interfaceParameters, a
transfer that is really held to the limit.

The test process enters a network namespace of its own first
(unshare(CLONE_NEWNET): root only, else skipped): the bridge, the taps, their
tc settings and the daemon live and die there. One guest (the net variant of
the test guest: a static address, busybox nc listening) on a bridge with an
address on the host side; many cases against it:
- at start the tap carries libvirt's layout for the guest's inbound: what
  `tc qdisc/class show` prints for it is what the same commands libvirt
  runs print for a probe tap (htb root 1: default 1, class 1:1 rate/ceil/
  burst/quantum, the sfq leaf when the kernel has sch_sfq);
- 512 KiB sent from the host to the guest at 128 KiB/s takes at least
  (512 - burst) / 128 s * 0.7, and the htb class counted the bytes and its
  overlimits (the shaping acted);
- Debian's virsh domiftune changes the live limit (tc follows), prints what
  python3-libvirt reads; --config changes only the definition; average 0
  removes the limit from the tap;
- a hotplugged interface with a <bandwidth> gets its limit on its tap;
- the guest's outbound is policed on the tap's ingress as libvirt does
  where the kernel has act_police; where it does not (this kernel has no
  tc classifiers or actions), setting one fails with tc's error and
  nothing changes;
- libvirt's errors: an unknown interface (INVALID_ARG), a user interface
  with a <bandwidth> (CONFIG_UNSUPPORTED), a floor on a network without QoS
  (OPERATION_UNSUPPORTED); nothing changes.
"""
import os
import re
import socket
import sys
import time

from vkdtest import expect_error
from vkdtest import Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for, write
from vkdtest import sh_result as sh, unshare_netns

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

NET_GUEST = None
MAC = "52:54:00:7b:00:01"
MAC2 = "52:54:00:7b:00:02"
HOST_IP = "10.213.0.1"
GUEST_IP = "10.213.0.2"


def enter_netns():
    unshare_netns()
    sh("ip link add vkibr0 type bridge && ip addr add %s/24 dev vkibr0 && "
       "ip link set vkibr0 up" % HOST_IP)


def libvirt_layout(dev, kbps, peak=0, burst=0):
    """libvirt 9.0's virNetDevBandwidthSet for a tap's egress (the guest's
    inbound), run by hand on @dev: the reference the daemon's taps are
    compared with. Returns which optional parts this kernel took."""
    quantum = max(kbps * 1024 // 8 // 1500, 1)
    cls = "tc class add dev %s parent 1: classid 1:1 htb rate %dkbps" % (dev, kbps)
    if peak:
        cls += " ceil %dkbps" % peak
    if burst:
        cls += " burst %dkb" % burst
    sh("tc qdisc add dev %s root handle 1: htb default 1 && %s quantum %d"
       % (dev, cls, quantum))
    sfq = sh("tc qdisc add dev %s parent 1:1 handle 2: sfq perturb 10" % dev, check=False)
    fw = sh("tc filter add dev %s parent 1:0 protocol all prio 1 handle 1 fw flowid 1" % dev,
            check=False)
    return sfq.returncode == 0, fw.returncode == 0


def tc_show(dev):
    """What tc says of @dev's qdiscs, classes and filters (no statistics),
    with the refcounts and the probe's name taken out."""
    out = ""
    for what in ("qdisc", "class", "filter"):
        out += sh("tc %s show dev %s" % (what, dev)).stdout
    # htb counts the packets that came between its qdisc and its class
    # (the bridge's broadcasts to a new tap): a count, not the layout
    out = re.sub(r"direct_packets_stat \d+ ", "", out)
    return re.sub(r"refcnt \d+ ", "", out).replace(dev, "DEV")


def probe(kbps, peak=0, burst=0):
    sh("ip tuntap add dev vkiprobe mode tap && ip link set vkiprobe up")
    try:
        libvirt_layout("vkiprobe", kbps, peak, burst)
        return tc_show("vkiprobe")
    finally:
        sh("ip link del vkiprobe")


def kernel_polices():
    """Whether this kernel has what libvirt's ingress policing needs (the
    ingress qdisc, the u32 classifier, the police action)."""
    sh("ip tuntap add dev vkiprobe mode tap && ip link set vkiprobe up")
    try:
        return sh("tc qdisc add dev vkiprobe ingress && tc filter add dev vkiprobe parent "
                  "ffff: protocol all u32 match u32 0 0 police rate 8kbps burst 8kb "
                  "mtu 64kb drop flowid :1", check=False).returncode == 0
    finally:
        sh("ip link del vkiprobe")


def tap_of(uri, name, mac):
    xml = virsh(uri, "dumpxml", name).stdout
    m = re.search(r"<mac address='%s'/>.*?<target dev='([^']+)'/>" % mac, xml, re.S)
    assert m, xml
    return m.group(1)


def class_stats(tap):
    out = sh("tc -s class show dev %s" % tap).stdout
    m = re.search(r"Sent (\d+) bytes \d+ pkt \(dropped \d+, overlimits (\d+)", out)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def serial_has(path, text):
    try:
        with open(path, errors="replace") as f:
            return text in f.read()
    except FileNotFoundError:
        return False


def guest_xml(root, serial, cmdline, bandwidth):
    return """<domain type='qemu'>
  <name>ift</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet %s</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' model='pcie-root'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <interface type='bridge'><mac address='%s'/><source bridge='vkibr0'/>
      %s<model type='virtio'/></interface>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (NET_GUEST, NET_GUEST, cmdline, MAC, bandwidth, serial)


def test_guest_bandwidth():
    if not NET_GUEST:
        raise Skip("net test guest not available (scripts/build-test-guest.sh)")
    polices = kernel_polices()
    d = Daemon().start()
    uri = d.uri()
    os.chmod(d.root, 0o755)
    serial = os.path.join(d.root, "ift.serial")
    rate, burst = 128, 32
    bw = "<bandwidth><inbound average='%d' burst='%d'/>%s</bandwidth>" % (
        rate, burst, "<outbound average='64' burst='16'/>" if polices else "")
    virsh(uri, "define", write(os.path.join(d.root, "ift.xml"),
                               guest_xml(d.root, serial,
                                         "virtkit.ip=%s/24 virtkit.nclisten=5001" % GUEST_IP,
                                         bw)))
    virsh(uri, "start", "ift")
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("ift")
        tap = tap_of(uri, "ift", MAC)
        # libvirt's layout, at start, before the guest sent anything
        assert tc_show(tap).split("\nfilter")[0] == probe(rate, 0, burst).split("\nfilter")[0], \
            (tc_show(tap), probe(rate, 0, burst))
        if polices:
            out = sh("tc filter show dev %s parent ffff:" % tap).stdout
            assert "police" in out and "rate 512Kbit" in out, out
        wait_for(lambda: serial_has(serial, "GUEST-IP %s" % GUEST_IP), "the guest's address", 180)

        # a transfer into the guest is held to 128 KiB/s
        size = 512 * 1024
        sent0, _ = class_stats(tap)
        t0 = time.monotonic()
        deadline = t0 + 120
        while True:
            try:
                s = socket.create_connection((GUEST_IP, 5001), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        t0 = time.monotonic()
        s.sendall(b"\0" * size)
        s.close()
        wait_for(lambda: serial_has(serial, "GUEST-NC-RECEIVED %d" % size),
                 "the guest's count of the bytes", 120)
        took = time.monotonic() - t0
        least = (size / 1024 - burst) / rate * 0.7
        sent1, over = class_stats(tap)
        print("# 512 KiB into the guest at %d KiB/s: %.2f s (at least %.2f s), "
              "%d overlimits" % (rate, took, least, over))
        assert took >= least, "512 KiB took %.2f s, under the limit's %.2f s" % (took, least)
        assert sent1 - sent0 >= size and over > 0, (sent0, sent1, over)

        # Debian's virsh changes the live limit; tc follows
        virsh(uri, "domiftune", "ift", MAC, "--inbound", "256,512,64", "--live")
        assert tc_show(tap).split("\nfilter")[0] == probe(256, 512, 64).split("\nfilter")[0]
        out = virsh(uri, "domiftune", "ift", MAC).stdout
        assert out.startswith("inbound.average: 256\ninbound.peak   : 512\n"
                              "inbound.burst  : 64\ninbound.floor  : 0\n"), out
        params = dom.interfaceParameters(MAC, 0)
        assert (params["inbound.average"], params["inbound.peak"],
                params["inbound.burst"]) == (256, 512, 64), params
        assert dom.interfaceParameters(tap, 0) == params
        # --config: the definition only
        dom.setInterfaceParameters(MAC, {"inbound.average": 77},
                                   libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        assert dom.interfaceParameters(MAC, libvirt.VIR_DOMAIN_AFFECT_CONFIG)[
            "inbound.average"] == 77
        assert "<inbound average='77'/>" in virsh(uri, "dumpxml", "--inactive", "ift").stdout
        assert "<inbound average='256' peak='512' burst='64'/>" in \
            virsh(uri, "dumpxml", "ift").stdout
        assert tc_show(tap).split("\nfilter")[0] == probe(256, 512, 64).split("\nfilter")[0]

        # the guest's outbound
        before = tc_show(tap)
        if polices:
            dom.setInterfaceParameters(MAC, {"outbound.average": 32},
                                       libvirt.VIR_DOMAIN_AFFECT_LIVE)
            out = sh("tc filter show dev %s parent ffff:" % tap).stdout
            assert "rate 256Kbit" in out, out
        else:
            # this kernel cannot police: tc's error, nothing changed
            expect_error(lambda: dom.setInterfaceParameters(
                MAC, {"outbound.average": 32}, libvirt.VIR_DOMAIN_AFFECT_LIVE),
                libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_NONE, "tc")
            assert tc_show(tap) == before, (tc_show(tap), before)
            assert "outbound" not in virsh(uri, "dumpxml", "ift").stdout

        # libvirt's errors; nothing changes
        expect_error(lambda: dom.interfaceParameters("vknope0", 0),
                     libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_DOMAIN,
                     "'vknope0' is not a known interface")
        expect_error(lambda: dom.attachDeviceFlags(
            "<interface type='user'><mac address='52:54:00:7b:00:09'/>"
            "<bandwidth><inbound average='5'/></bandwidth><model type='virtio'/>"
            "</interface>", libvirt.VIR_DOMAIN_AFFECT_LIVE),
            libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
            "setting bandwidth on interfaces of type 'user' is not implemented yet")
        expect_error(lambda: dom.setInterfaceParameters(
            MAC, {"inbound.average": 5, "inbound.floor": 2}, libvirt.VIR_DOMAIN_AFFECT_LIVE),
            libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_NONE,
            "floor attribute is not supported for this config")
        assert "52:54:00:7b:00:09" not in virsh(uri, "dumpxml", "ift").stdout
        assert tc_show(tap).split("\nfilter")[0] == probe(256, 512, 64).split("\nfilter")[0]

        # a hotplugged interface gets its limit on its tap
        virsh(uri, "attach-device", "ift", write(os.path.join(d.root, "nic2.xml"),
              "<interface type='bridge'><mac address='%s'/><source bridge='vkibr0'/>"
              "<bandwidth><inbound average='100'/></bandwidth><model type='virtio'/>"
              "</interface>" % MAC2), "--live")
        tap2 = tap_of(uri, "ift", MAC2)
        assert tc_show(tap2).split("\nfilter")[0] == probe(100).split("\nfilter")[0], \
            (tc_show(tap2), probe(100))
        assert virsh(uri, "domiftune", "ift", tap2).stdout.startswith("inbound.average: 100\n")

        # average 0: the limit leaves the tap
        virsh(uri, "domiftune", "ift", MAC, "--inbound", "0", "--live")
        assert "htb" not in tc_show(tap), tc_show(tap)
        assert "<bandwidth>" not in virsh(uri, "dumpxml", "ift").stdout.split(MAC2)[0]
    finally:
        conn.close()
    virsh(uri, "destroy", "ift")
    assert sh("ip link show dev %s" % tap, check=False).returncode != 0
    assert d.stop() == 0


def test_floor_network():
    """A floor needs a network with inbound QoS: libvirt's error at start,
    the guest stays shut off; without it the network's port carries the
    limits."""
    d = Daemon().start()
    uri = d.uri()
    virsh(uri, "net-define", write(os.path.join(d.root, "n.xml"),
                                   "<network><name>vkinet</name><bridge name='vkinet0'/>"
                                   "</network>"))
    virsh(uri, "net-start", "vkinet")
    conn = libvirt.open(uri)
    try:
        dom = conn.defineXML(
            "<domain type='qemu'><name>fl</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
            "<interface type='network'><mac address='52:54:00:7b:00:05'/>"
            "<source network='vkinet'/><bandwidth><inbound average='10' floor='5'/>"
            "</bandwidth><model type='virtio'/></interface></devices></domain>")
        expect_error(dom.create, libvirt.VIR_ERR_OPERATION_UNSUPPORTED,
                     libvirt.VIR_FROM_NETWORK,
                     "Invalid use of 'floor' on interface with MAC address 52:54:00:7b:00:05 "
                     "- network 'vkinet' has no inbound QoS set")
        assert dom.info()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        assert virsh(uri, "net-port-list", "vkinet", "--uuid").stdout.split() == []
        # the definition keeps it, as libvirt's
        assert "<inbound average='10' floor='5'/>" in dom.XMLDesc(0)
        # without the floor it starts: the network's port carries the
        # limits (net-port-dumpxml, as libvirt's), the tap has them
        dom.setInterfaceParameters("52:54:00:7b:00:05", {"inbound.average": 10},
                                   libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        dom.create()
        ports = virsh(uri, "net-port-list", "vkinet", "--uuid").stdout.split()
        assert len(ports) == 1, ports
        port = virsh(uri, "net-port-dumpxml", "vkinet", ports[0]).stdout
        assert "<bandwidth>\n    <inbound average='10'/>\n  </bandwidth>" in port, port
        tap = tap_of(uri, "fl", "52:54:00:7b:00:05")
        assert tc_show(tap).split("\nfilter")[0] == probe(10).split("\nfilter")[0]
        dom.destroy()
    finally:
        conn.close()
    virsh(uri, "net-destroy", "vkinet")
    assert d.stop() == 0


if __name__ == "__main__":
    NET_GUEST = test_guest_dir("net")
    try:
        enter_netns()
        skip = None
    except Skip as e:
        skip = str(e)

    def guard(fn):
        def run():
            if skip:
                raise Skip(skip)
            fn()
        return run

    run_tests([
        ("interface bandwidth: libvirt's tc layout on the tap at start, a transfer held "
         "to it, domiftune live/config, hotplug, clear, errors", guard(test_guest_bandwidth)),
        ("a floor on a network without QoS: libvirt's error at start; the port "
         "carries the limits",
         guard(test_floor_network)),
    ])
