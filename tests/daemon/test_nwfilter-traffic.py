#!/usr/bin/env python3
"""Network filters applied to traffic (issue 12), inside a network namespace
of the test's own: bindings made with Debian's virsh and python3-libvirt on
a veth in a bridge (the peer, in a namespace of its own, plays the guest and
spoofs at will): clean-traffic drops a spoofed source IP and MAC, a custom
filter's layer-3 rules apply and follow a redefinition, rules survive a
daemon restart without duplication and vanish at delete; then one TCG guest
on a NAT network with <filterref filter='clean-traffic'> gets its DHCP
address and talks, its spoofed address is dropped, its binding follows its
life (start, daemon restart, destroy).

The test process enters a new network namespace first (unshare(CLONE_NEWNET):
root only, else skipped), so every daemon, bridge, nftables table and dnsmasq
it makes lives and dies there. The peer's namespace is a child
`unshare -n sleep` killed by pid at the end."""

import os
import re
import subprocess

import libvirt

from vkdtest import console_text
from vkdtest import Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for
from vkdtest import NETNS_TOOLS, quiet, sh, unshare_netns

NET_GUEST = None  # the test guest, variant net (scripts/build-test-guest.sh)
PEERS = []  # namespace holders (subprocess.Popen), killed by pid at the end


def new_daemon(root=None):
    os.environ.update({"VIRTKIT_NWFILTER_DEFAULTS": "1", "VIRTKIT_NETWORK_DEFAULT": "0"})
    try:
        d = Daemon(root=root)
        if root is None:
            os.chmod(d.root, 0o755)  # dnsmasq re-reads its host files as 'nobody'
        return d.start()
    finally:
        os.environ.pop("VIRTKIT_NWFILTER_DEFAULTS")
        os.environ.pop("VIRTKIT_NETWORK_DEFAULT")


def shell(prog, uri, *args):
    """@prog (Debian's virsh, or vksh) without -q: what a user sees."""
    env = dict(os.environ, LC_ALL="C", LANG="C")
    env.pop("LIBVIRT_DEFAULT_URI", None)
    p = subprocess.run([prog, "-c", uri] + list(args), capture_output=True, text=True,
                       timeout=120, env=env)
    return p.returncode, p.stdout, p.stderr


def both(uri, *args):
    """Debian's virsh's output, checked against vksh's (when built) for the
    same read-only command."""
    got = shell("virsh", uri, *args)
    if os.environ.get("VKSH"):
        mine = shell(os.environ["VKSH"], uri, *args)
        assert mine == got, (args, got, mine)
    return got


def pings(addr, tries=1):
    """Does @addr answer one of @tries pings (1 s each)?"""
    for _ in range(tries):
        if subprocess.run(["busybox", "ping", "-c", "1", "-W", "1", addr],
                          capture_output=True).returncode == 0:
            return True
    return False


def tables():
    return sorted(l.split()[2] for l in sh("nft list tables bridge").splitlines()
                  if l.startswith("table bridge virtkit_nwf_"))


def rules(portdev):
    """The table of @portdev without its counters' figures."""
    text = sh("nft list table bridge virtkit_nwf_%s" % portdev)
    return re.sub(r"counter packets \d+ bytes \d+", "counter", text)


def expect_error(fn, code, message=None):
    try:
        fn()
    except libvirt.libvirtError as e:
        assert e.get_error_code() == code, (code, e.get_error_code(), str(e))
        if message is not None:
            assert e.get_error_message() == message, (message, e.get_error_message())
        return
    raise AssertionError("no error, expected code %d" % code)


BINDING = """<filterbinding>
  <owner>
    <name>peer</name>
    <uuid>6b1a0c55-0c7a-4b7e-9a59-7a0d2c6e0f01</uuid>
  </owner>
  <portdev name='%(dev)s'/>
  <mac address='52:54:00:77:00:02'/>
  <filterref filter='%(filter)s'>
    <parameter name='IP' value='10.77.0.2'/>
  </filterref>
</filterbinding>
"""

# layer 3: no ICMP echo towards the guest, and what libvirt's iptables
# rules of a tcp accept with statematch='false' make
L3_FILTER = """<filter name='vk-l3' chain='root'>
  <uuid>0f3c2b1a-5d4e-4f60-8a7b-9c0d1e2f3a4b</uuid>
  <rule action='drop' direction='in' priority='100'>
    <icmp type='8'/>
  </rule>
  <rule action='accept' direction='out' priority='200' statematch='false'>
    <tcp dstportstart='22' dstportend='23'/>
  </rule>
  <filterref filter='clean-traffic'/>
</filter>
"""


def test_bindings_on_a_veth():
    """Bindings on a veth in a bridge: clean-traffic with IP lets the peer's
    own traffic through and drops what it sends from another IP address or
    another MAC; a filter's layer-3 rule applies and goes when the filter
    is redefined; libvirt's errors for a second binding of a port and for
    undefining a filter in use; a restart keeps every rule once; delete
    takes the table away and the spoofed address answers again."""
    libvirt.registerErrorHandler(quiet, None)
    d = new_daemon()
    uri = d.uri()
    peer = subprocess.Popen(["unshare", "-n", "sleep", "600"])
    PEERS.append(peer)
    wait_for(lambda: os.readlink("/proc/%d/ns/net" % peer.pid)
             != os.readlink("/proc/self/ns/net"), "the peer's namespace")
    sh("ip link add vkfbr0 type bridge && ip link set vkfbr0 up && "
       "ip addr add 10.77.0.1/24 dev vkfbr0 && "
       "ip link add vkp0 type veth peer name vkp1 netns %d && "
       "ip link set vkp0 master vkfbr0 up" % peer.pid)
    psh = "nsenter -t %d -n sh -c " % peer.pid
    sh(psh + "'ip link set lo up && ip link set vkp1 address 52:54:00:77:00:02 up && "
       "ip addr add 10.77.0.2/24 dev vkp1 && ip addr add 10.77.0.9/24 dev vkp1'")
    # the host reaches the spoofed address without asking ARP for it
    sh("ip neigh replace 10.77.0.9 lladdr 52:54:00:77:00:02 dev vkfbr0")
    assert pings("10.77.0.2", 10) and pings("10.77.0.9", 3), "no traffic before any filter"

    path = os.path.join(d.root, "b.xml")
    with open(path, "w") as f:
        f.write(BINDING % {"dev": "vkp0", "filter": "clean-traffic"})
    got = shell("virsh", uri, "nwfilter-binding-create", path)
    assert got == (0, "Network filter binding on vkp0 created from %s\n\n" % path, ""), got
    assert tables() == ["virtkit_nwf_vkp0"], tables()
    rc, out, err = both(uri, "nwfilter-binding-list")
    assert rc == 0 and out.splitlines()[0].split() == ["Port", "Dev", "Filter"] and \
        out.splitlines()[2].split() == ["vkp0", "clean-traffic"], out
    # as libvirtd's: the binding records the MAC variable it was made with
    assert both(uri, "nwfilter-binding-dumpxml", "vkp0") == \
        (0, (BINDING % {"dev": "vkp0", "filter": "clean-traffic"}).replace(
            "</filterref>", "  <parameter name='MAC' value='52:54:00:77:00:02'/>\n"
            "  </filterref>") + "\n", ""), both(uri, "nwfilter-binding-dumpxml", "vkp0")
    c = libvirt.open(uri)
    b = c.nwfilterBindingLookupByPortDev("vkp0")
    assert (b.portDev(), b.filterName()) == ("vkp0", "clean-traffic")
    assert [x.portDev() for x in c.listAllNWFilterBindings(0)] == ["vkp0"]
    with open(os.path.join(d.dirs["run"], "nwfilter-binding", "vkp0.xml")) as f:
        assert "<portdev name='vkp0'/>" in f.read()

    # its own address passes (ARP both ways, IPv4 both ways); the other
    # address's replies are dropped (no-ip-spoofing)
    sh("ip neigh flush dev vkfbr0 to 10.77.0.2", check=False)
    assert pings("10.77.0.2", 5), "the peer's own address does not answer"
    assert not pings("10.77.0.9", 2), "a spoofed source address got through"
    drops = rules("vkp0")
    assert "ip saddr 10.77.0.2 counter return" in drops, drops
    # a spoofed MAC: nothing the peer sends from it gets through
    sh(psh + "'ip link set vkp1 address 52:54:00:77:00:99'")
    sh("ip neigh flush dev vkfbr0 to 10.77.0.2", check=False)
    assert not pings("10.77.0.2", 2), "a spoofed MAC address got through"
    sh(psh + "'ip link set vkp1 address 52:54:00:77:00:02'")
    sh("ip neigh flush dev vkfbr0 to 10.77.0.2", check=False)
    assert pings("10.77.0.2", 5)

    # libvirt's errors: one binding per port, a filter in use stays
    expect_error(lambda: c.nwfilterBindingCreateXML(
        BINDING % {"dev": "vkp0", "filter": "allow-arp"}, 0),
        libvirt.VIR_ERR_OPERATION_FAILED, "operation failed: binding 'vkp0' already exists")
    expect_error(lambda: c.nwfilterLookupByName("no-ip-spoofing").undefine(),
                 libvirt.VIR_ERR_OPERATION_INVALID,
                 "Requested operation is not valid: nwfilter is in use")
    assert c.nwfilterLookupByName("no-ip-spoofing")

    # layer 3 rules: a filter of the user's, rebuilt when it changes
    c.nwfilterDefineXML(L3_FILTER)
    # the second port: a veth pair of its own in the bridge
    peer2 = subprocess.Popen(["unshare", "-n", "sleep", "600"])
    PEERS.append(peer2)
    wait_for(lambda: os.readlink("/proc/%d/ns/net" % peer2.pid)
             != os.readlink("/proc/self/ns/net"), "the second peer's namespace")
    sh("ip link add vkp2 type veth peer name vkp3 netns %d && "
       "ip link set vkp2 master vkfbr0 up" % peer2.pid)
    sh("nsenter -t %d -n sh -c 'ip link set lo up && ip link set vkp3 address "
       "52:54:00:77:00:03 up && ip addr add 10.77.0.3/24 dev vkp3'" % peer2.pid)
    assert pings("10.77.0.3", 10)
    l3 = (BINDING % {"dev": "vkp2", "filter": "vk-l3"}).replace(
        "52:54:00:77:00:02", "52:54:00:77:00:03").replace("10.77.0.2", "10.77.0.3")
    c.nwfilterBindingCreateXML(l3, 0)
    text = rules("vkp2")
    assert "icmp type echo-request counter drop" in text, text
    assert "tcp dport 22-23 counter accept" in text, text
    assert not pings("10.77.0.3", 2), "an echo request reached the guest"
    c.nwfilterDefineXML(L3_FILTER.replace("<icmp type='8'/>", "<icmp type='13'/>"))
    assert "icmp type timestamp-request counter drop" in rules("vkp2"), rules("vkp2")
    assert pings("10.77.0.3", 5), "the redefined filter still drops echo requests"
    # as libvirt: a redefinition its bindings cannot be made with is refused
    before = rules("vkp2")
    expect_error(lambda: c.nwfilterDefineXML(L3_FILTER.replace(
        "<filterref", "<rule action='drop' direction='out'><vlan vlanid='4'/></rule>"
        "<filterref")), libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
        "unsupported configuration: network filter rules with vlan are not supported by "
        "virtkit")
    assert "vlan" not in c.nwfilterLookupByName("vk-l3").XMLDesc(0)
    assert rules("vkp2") == before

    # a restart: the bindings are there again, each table once, the same rules
    before = {p: rules(p) for p in ("vkp0", "vkp2")}
    # a binding table with no binding (what a daemon killed between the
    # two would leave) goes at the restart; a table of someone else stays
    sh("nft add table bridge virtkit_nwf_stray && nft add table bridge vkforeign && "
       "nft add chain bridge vkforeign c && nft add rule bridge vkforeign c counter")
    c.close()
    assert d.stop() == 0
    d.start()
    assert "counter" in sh("nft list table bridge vkforeign")
    sh("nft delete table bridge vkforeign")
    c = libvirt.open(uri)
    assert sorted(x.portDev() for x in c.listAllNWFilterBindings(0)) == ["vkp0", "vkp2"]
    assert tables() == ["virtkit_nwf_vkp0", "virtkit_nwf_vkp2"], tables()
    for p, text in before.items():
        assert rules(p) == text, (p, text, rules(p))
    assert not pings("10.77.0.9", 2) and pings("10.77.0.2", 5)

    # delete: the table goes, the spoofed address answers again
    got = shell(os.environ.get("VKSH") or "virsh", uri, "nwfilter-binding-delete", "vkp0")
    assert got == (0, "Network filter binding on vkp0 deleted\n\n", ""), got
    assert tables() == ["virtkit_nwf_vkp2"], tables()
    assert pings("10.77.0.9", 5), "the spoofed address is still dropped after delete"
    assert not os.path.exists(os.path.join(d.dirs["run"], "nwfilter-binding", "vkp0.xml"))
    expect_error(lambda: c.nwfilterBindingLookupByPortDev("vkp0"),
                 libvirt.VIR_ERR_NO_NWFILTER_BINDING)
    c.nwfilterBindingLookupByPortDev("vkp2").delete()
    assert tables() == [] and c.listAllNWFilterBindings(0) == []
    c.nwfilterLookupByName("no-ip-spoofing")  # still defined
    c.close()
    assert d.stop() == 0
    for p in (peer, peer2):
        p.kill()
        p.wait()
    sh("ip link del vkfbr0")


# connection states, as libvirtd 9.0 makes them (docs/networks.md): the
# guest may open TCP connections to port 7000 and gets their replies; the
# host may ping the guest (the default NEW,ESTABLISHED / ESTABLISHED-reply
# pair of an accept rule), not the other way round; nothing else
CT_FILTER = """<filter name='vk-ct' chain='root'>
  <uuid>5b0f7a3e-9a9e-4c1b-8f77-1d2c3b4a5e6f</uuid>
  <rule action='accept' direction='out' priority='100'>
    <tcp dstportstart='7000' state='NEW,ESTABLISHED'/>
  </rule>
  <rule action='accept' direction='in' priority='110'>
    <tcp srcportstart='7000' state='ESTABLISHED'/>
  </rule>
  <rule action='accept' direction='in' priority='120'>
    <icmp/>
  </rule>
  <rule action='drop' direction='inout' priority='500'>
    <all/>
  </rule>
</filter>
"""

ETH_GUEST = """<domain type='qemu'>
  <name>nwfe</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <interface type='ethernet'>
      <mac address='52:54:00:79:00:20'/>
      <target dev='vkfe0'/>
      <model type='virtio'/>
      <filterref filter='vk-ct'/>
    </interface>
  </devices>
</domain>
"""


def listening(pid, port):
    """Is there a TCP listener on @port in the network namespace of @pid?"""
    lines = []
    for name in ("tcp", "tcp6"):  # busybox nc listens on an IPv6 socket
        try:
            with open("/proc/%d/net/%s" % (pid, name)) as f:
                lines += f.readlines()[1:]
        except OSError:
            pass
    return any(l.split()[1].endswith(":%04X" % port) and l.split()[3] == "0A"
               for l in lines)


def tcp_ok(root, listen_ns, addr, port, client_ns=None, src_port=None):
    """One TCP connection to @addr:@port (busybox nc; its listener in the
    namespace of pid @listen_ns, or here), carrying a line: did it connect
    and did the line arrive? (A dropped SYN: nc gives up after 3 s.)"""
    out = os.path.join(root, "nc-%d.out" % port)
    lcmd = ["busybox", "nc", "-l", "-p", str(port)]
    if listen_ns:
        lcmd = ["nsenter", "-t", str(listen_ns), "-n"] + lcmd
    with open(out, "wb") as f:
        # its input stays open (nc ends at the end of its input)
        lst = subprocess.Popen(lcmd, stdout=f, stdin=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: listening(lst.pid, port), "a listener on port %d" % port, 30, 0.05)
        ccmd = ["busybox", "nc", "-w", "3"] + (["-p", str(src_port)] if src_port else []) + \
            [addr, str(port)]
        if client_ns:
            ccmd = ["nsenter", "-t", str(client_ns), "-n"] + ccmd
        rc = subprocess.run(ccmd, input=b"vk-state-line\n", capture_output=True,
                            timeout=60).returncode
        if rc != 0:
            return False

        def arrived():
            with open(out, "rb") as f:
                return b"vk-state-line" in f.read()
        wait_for(arrived, "the line over TCP port %d" % port, 30, 0.05)
        return True
    finally:
        if lst.poll() is None:
            lst.kill()
        lst.wait()


def counters(portdev, chain):
    """{rule text without its counter: packets} of @chain of @portdev's table."""
    text = sh("nft list chain bridge virtkit_nwf_%s %s" % (portdev, chain))
    return {re.sub(r"counter packets \d+ bytes \d+ ", "", l.strip()):
            int(re.search(r"counter packets (\d+)", l).group(1))
            for l in text.splitlines() if "counter packets" in l}


def test_states_and_ethernet():
    """Connection states (libvirt's conntrack matches, here through the
    shared virtkit_nwf_ct table): a guest port (a veth peer) opens TCP
    connections to the host's port 7000 and gets the replies, the host's
    SYN from source port 7000 (a reply's port, but a new connection) is
    dropped, the host pings the guest and the guest cannot ping the host;
    unfiltered (binding deleted) all of it passes. The state table is
    there once per namespace, survives a restart, and goes with the last
    binding that uses it. A type='ethernet' interface with <filterref>
    gets its binding at start as with libvirtd (a paused TCG guest): the
    rules act on its tap once it is in a bridge, and go at destroy."""
    libvirt.registerErrorHandler(quiet, None)
    if not os.path.exists("/proc/sys/net/bridge/bridge-nf-call-iptables"):
        raise Skip("no br_netfilter: bridged packets carry no connection state")
    sh("echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables")
    d = new_daemon()
    uri = d.uri()
    peer = subprocess.Popen(["unshare", "-n", "sleep", "600"])
    PEERS.append(peer)
    wait_for(lambda: os.readlink("/proc/%d/ns/net" % peer.pid)
             != os.readlink("/proc/self/ns/net"), "the peer's namespace")
    sh("ip link add vkfbr2 type bridge && ip link set vkfbr2 up && "
       "ip addr add 10.79.0.1/24 dev vkfbr2 && "
       "ip link add vks0 type veth peer name vks1 netns %d && "
       "ip link set vks0 master vkfbr2 up" % peer.pid)
    sh("nsenter -t %d -n sh -c 'ip link set lo up && ip link set vks1 address "
       "52:54:00:79:00:02 up && ip addr add 10.79.0.2/24 dev vks1'" % peer.pid)
    assert pings("10.79.0.2", 10), "no traffic before any filter"

    c = libvirt.open(uri)
    c.nwfilterDefineXML(CT_FILTER)
    c.nwfilterBindingCreateXML((BINDING % {"dev": "vks0", "filter": "vk-ct"}).replace(
        "52:54:00:77:00:02", "52:54:00:79:00:02").replace("10.77.0.2", "10.79.0.2"), 0)
    text = rules("vks0")
    assert "tcp dport 7000 meta mark & 0x03000000 != 0x00000000 counter accept" in text, text
    ct = sh("nft list table inet virtkit_nwf_ct")
    assert "ct state established meta mark set meta mark | 0x02000000" in ct, ct

    # the guest's connection and its replies pass; a new connection from
    # the reply's port does not; ping one way only
    assert tcp_ok(d.root, None, "10.79.0.1", 7000, client_ns=peer.pid), \
        "the guest's TCP connection to port 7000 did not pass"
    assert not tcp_ok(d.root, peer.pid, "10.79.0.2", 8000, src_port=7000), \
        "a new connection from port 7000 reached the guest"
    assert not tcp_ok(d.root, None, "10.79.0.1", 7001, client_ns=peer.pid), \
        "the guest reached port 7001"
    assert pings("10.79.0.2", 5), "the host's ping (NEW, then its reply) did not pass"
    assert subprocess.run(["nsenter", "-t", str(peer.pid), "-n", "busybox", "ping", "-c",
                           "2", "-W", "1", "10.79.0.1"], capture_output=True).returncode != 0, \
        "the guest's ping (a new connection from it) passed"

    # a restart: the same rules, the state table once, the same effect
    before = (rules("vks0"), sh("nft list table inet virtkit_nwf_ct"))
    c.close()
    assert d.stop() == 0
    d.start()
    c = libvirt.open(uri)
    assert (rules("vks0"), sh("nft list table inet virtkit_nwf_ct")) == before
    assert sh("nft list tables inet").count("virtkit_nwf_ct") == 1
    assert not tcp_ok(d.root, peer.pid, "10.79.0.2", 8000, src_port=7000)

    # an ethernet interface: a binding at start, as libvirtd 9.0 makes
    dom = c.createXML(ETH_GUEST, libvirt.VIR_DOMAIN_START_PAUSED)
    rc, out, err = both(uri, "nwfilter-binding-list")
    assert rc == 0 and sorted(l.split() for l in out.splitlines()[2:] if l.strip()) == \
        [["vkfe0", "vk-ct"], ["vks0", "vk-ct"]], out
    assert "<name>nwfe</name>" in c.nwfilterBindingLookupByPortDev("vkfe0").XMLDesc(0)
    assert tables() == ["virtkit_nwf_vkfe0", "virtkit_nwf_vks0"], tables()
    # once its owner plugs the tap into a bridge, its frames meet the rules:
    # the host's echo request is accepted (NEW), a TCP SYN dropped
    sh("ip link set vkfe0 master vkfbr2 && "
       "ip neigh replace 10.79.0.20 lladdr 52:54:00:79:00:20 dev vkfbr2")
    was = counters("vkfe0", "l3in_rules")
    pings("10.79.0.20", 1)
    subprocess.run(["busybox", "nc", "-w", "2", "10.79.0.20", "9000"], input=b"x\n",
                   capture_output=True, timeout=30)
    now = counters("vkfe0", "l3in_rules")
    acc = [k for k in now if "icmp" in k and k.endswith("accept")]
    drop = [k for k in now if k == "ether type ip drop"]
    assert acc and drop, now
    assert now[acc[0]] > was[acc[0]] and now[drop[0]] > was[drop[0]], (was, now)
    dom.destroy()
    assert tables() == ["virtkit_nwf_vks0"], tables()
    assert [x.portDev() for x in c.listAllNWFilterBindings(0)] == ["vks0"]

    # unfiltered: everything passes; the state table goes with its last user
    c.nwfilterBindingLookupByPortDev("vks0").delete()
    assert tables() == [] and "virtkit_nwf_ct" not in sh("nft list tables inet")
    assert tcp_ok(d.root, peer.pid, "10.79.0.2", 8000, src_port=7000), \
        "unfiltered, the connection from port 7000 did not pass"
    assert subprocess.run(["nsenter", "-t", str(peer.pid), "-n", "busybox", "ping", "-c",
                           "1", "-W", "2", "10.79.0.1"], capture_output=True).returncode == 0
    c.close()
    assert d.stop() == 0
    peer.kill()
    peer.wait()
    sh("ip link del vkfbr2")


NAT_XML = """<network>
  <name>vkfnat</name>
  <forward mode='nat'/>
  <bridge name='vkfbr1'/>
  <ip address='10.78.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.78.0.100' end='10.78.0.200'/>
      <host mac='52:54:00:78:00:10' ip='10.78.0.10'/>
    </dhcp>
  </ip>
</network>
"""

GUEST_XML = """<domain type='qemu'>
  <name>%(name)s</name>
  <uuid>2f0d6a4e-6a4b-4bb8-9b3e-52f3c1d0aa01</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%(guest)s/vmlinuz</kernel><initrd>%(guest)s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.dhcp=1 virtkit.ip=10.78.0.66/24 virtkit.ping=10.78.0.1</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <interface type='network'>
      <mac address='52:54:00:78:00:10'/>
      <source network='vkfnat'/>
      <model type='virtio'/>
      <filterref filter='clean-traffic'>%(params)s</filterref>
    </interface>
    <serial type='file'><source path='%(log)s'/><target port='0'/></serial>
  </devices>
</domain>
"""


def test_guest_clean_traffic():
    """A TCG guest on a NAT network with clean-traffic and IP=its DHCP
    host address: a start without IP is refused (nothing left); then it
    starts with its binding on its tap, gets its DHCP address through the
    filter and pings the host; the address it added by hand does not
    answer (and does once the binding is deleted); after a daemon restart
    the binding and rules are there once; a hotplugged interface gets its
    own binding and loses it at unplug; at destroy they vanish."""
    if not NET_GUEST:
        raise Skip("no test guest (scripts/build-test-guest.sh, variant net)")
    libvirt.registerErrorHandler(quiet, None)
    d = new_daemon()
    uri = d.uri()
    path = os.path.join(d.root, "n.xml")
    with open(path, "w") as f:
        f.write(NAT_XML)
    virsh(uri, "net-create", path)
    log = os.path.join(d.root, "g.log")
    c = libvirt.open(uri)

    # without IP (learning is libvirt's default): refused, nothing left
    dom = c.defineXML(GUEST_XML % {"name": "nwfg", "guest": NET_GUEST, "log": log,
                                   "params": ""})
    expect_error(dom.create, libvirt.VIR_ERR_CONFIG_UNSUPPORTED)
    assert dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
    assert "vnet" not in sh("ip -o link"), sh("ip -o link")
    assert tables() == [] and c.listAllNWFilterBindings(0) == []

    dom = c.defineXML(GUEST_XML % {"name": "nwfg", "guest": NET_GUEST, "log": log,
                                   "params": "<parameter name='IP' value='10.78.0.10'/>"})
    dom.create()
    live = dom.XMLDesc(0)
    tap = re.search(r"<target dev='(vnet\d+)'/>", live).group(1)
    b = c.nwfilterBindingLookupByPortDev(tap)
    bxml = b.XMLDesc(0)
    assert "<name>nwfg</name>" in bxml and "<mac address='52:54:00:78:00:10'/>" in bxml and \
        "<parameter name='IP' value='10.78.0.10'/>" in bxml, bxml
    assert tables() == ["virtkit_nwf_" + tap], tables()
    # DHCP through the filter (allowed from 0.0.0.0 and towards the guest)
    # (whole lines only: the console file is read while the guest writes it)
    wait_for(lambda: re.search(r"^(GUEST-IP 10\.78\.0\.10|GUEST-DHCP-FAILED)\r?$",
                               console_text(log), re.M), "the guest's DHCP address", 240, 0.2)
    assert re.search(r"^GUEST-IP 10\.78\.0\.10\r?$", console_text(log), re.M), \
        console_text(log)[-2000:]
    wait_for(lambda: re.search(r"^GUEST-PING 10\.78\.0\.1 (ok|fail)\r?$", console_text(log),
                               re.M), "the guest's ping", 240, 0.2)
    assert "GUEST-PING 10.78.0.1 ok" in console_text(log), console_text(log)[-2000:]
    assert pings("10.78.0.10", 10)
    # the address the guest added itself: its replies come from it, dropped
    wait_for(lambda: re.search(r"^GUEST-IP 10\.78\.0\.66\r?$", console_text(log), re.M),
             "the guest's own address", 60)
    sh("ip neigh replace 10.78.0.66 lladdr 52:54:00:78:00:10 dev vkfbr1")
    assert not pings("10.78.0.66", 2), "the guest's spoofed address answered"

    # a restart: the binding and its rules are there once, the guest talks
    before = rules(tap)
    c.close()
    assert d.stop() == 0
    d.start()
    c = libvirt.open(uri)
    dom = c.lookupByName("nwfg")
    assert [x.portDev() for x in c.listAllNWFilterBindings(0)] == [tap]
    assert tables() == ["virtkit_nwf_" + tap] and rules(tap) == before
    assert pings("10.78.0.10", 5) and not pings("10.78.0.66", 2)
    # the control: without the binding the added address answers; the
    # binding made again from its XML drops it again
    c.nwfilterBindingLookupByPortDev(tap).delete()
    assert tables() == []
    assert pings("10.78.0.66", 5), "the guest's added address does not answer unfiltered"
    c.nwfilterBindingCreateXML(bxml, 0)
    assert not pings("10.78.0.66", 2) and pings("10.78.0.10", 5)

    # hotplug: the new interface's tap gets its binding; unplug removes it
    nic = os.path.join(d.root, "nic.xml")
    with open(nic, "w") as f:
        f.write("<interface type='network'><mac address='52:54:00:78:00:11'/>"
                "<source network='vkfnat'/><model type='virtio'/>"
                "<filterref filter='clean-traffic'>"
                "<parameter name='IP' value='10.78.0.11'/></filterref></interface>")
    virsh(uri, "attach-device", "nwfg", nic, "--live")
    taps = re.findall(r"<target dev='(vnet\d+)'/>", dom.XMLDesc(0))
    assert len(taps) == 2 and taps[0] == tap, taps
    assert sorted(x.portDev() for x in c.listAllNWFilterBindings(0)) == sorted(taps)
    assert "10.78.0.11" in c.nwfilterBindingLookupByPortDev(taps[1]).XMLDesc(0)
    assert tables() == sorted("virtkit_nwf_" + t for t in taps), tables()
    virsh(uri, "detach-device", "nwfg", nic, "--live")
    wait_for(lambda: len(re.findall(r"<target dev='vnet", dom.XMLDesc(0))) == 1,
             "the unplug of the second interface", 60, 0.2)
    assert [x.portDev() for x in c.listAllNWFilterBindings(0)] == [tap]
    assert tables() == ["virtkit_nwf_" + tap], tables()

    # destroy: binding, table and tap gone
    dom.destroy()
    assert c.listAllNWFilterBindings(0) == [] and tables() == []
    assert tap not in sh("ip -o link")
    dom.undefine()
    c.close()
    virsh(uri, "net-destroy", "vkfnat")
    assert d.stop() == 0


if __name__ == "__main__":
    # the guest is found (or built) before leaving the host's network
    NET_GUEST = test_guest_dir("net")
    try:
        unshare_netns(NETNS_TOOLS)
        skip = None
    except Skip as e:
        skip = str(e)

    def guard(fn):
        def run():
            if skip:
                raise Skip(skip)
            fn()
        return run

    try:
        run_tests([
            ("nwfilter traffic: bindings on a veth: spoofing dropped, layer 3, restart, delete",
             guard(test_bindings_on_a_veth)),
            ("nwfilter traffic: connection states as libvirtd's, restart; an ethernet "
             "interface's binding", guard(test_states_and_ethernet)),
            ("nwfilter traffic: a guest with clean-traffic: DHCP, spoofing dropped, restart, "
             "destroy", guard(test_guest_clean_traffic)),
        ])
    finally:
        for p in PEERS:
            if p.poll() is None:
                p.kill()
                p.wait()
