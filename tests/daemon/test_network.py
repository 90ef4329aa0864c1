#!/usr/bin/env python3
"""virtkitd's network driver through Debian's virsh and python3-libvirt, inside a
network namespace of the test's own: NAT network lifecycle, a DHCP lease given
by dnsmasq to a client behind a veth, events, adoption after a restart and
after SIGKILL, libvirt's errors for bad input with nothing left behind, the
default network on a first start (moved off a subnet that is taken).

The test process enters a new network namespace first (unshare(CLONE_NEWNET):
root only, else skipped), so every daemon, bridge, nftables table and dnsmasq
it makes lives and dies there. The DHCP client's namespace is a child
`unshare -n sleep` killed by pid at the end."""

import difflib
import glob
import os
import shlex
import signal
import subprocess
import time

import libvirt

from vkdtest import (Daemon, Skip, make_tmpdir, qemu_pids, run_tests, test_guest_dir, virsh,
                     wait_for)
from vkdtest import NETNS_TOOLS, console_whole_lines, quiet, sh, unshare_netns

peer = None  # the DHCP client's namespace holder (subprocess.Popen)
GUEST = None  # the test guest's folder, found (or built) before leaving the host's network
NET_GUEST = None  # the same, variant net (pings, nc; scripts/build-test-guest.sh)


NAT_XML = """<network>
  <name>vknat</name>
  <forward mode='nat'/>
  <bridge name='vkbr0'/>
  <ip address='10.90.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.90.0.10' end='10.90.0.50'/>
    </dhcp>
  </ip>
</network>
"""


def new_daemon(env=None):
    d = Daemon()
    os.chmod(d.root, 0o755)  # dnsmasq re-reads its host files as 'nobody'
    if env:
        os.environ.update(env)
    try:
        d.start()
    finally:
        for k in (env or {}):
            os.environ.pop(k, None)
    return d


def dnsmasq_pid(d, name):
    try:
        with open(os.path.join(d.dirs["run"], "network", name + ".pid")) as f:
            pid = int(f.read())
        with open("/proc/%d/comm" % pid) as f:
            return pid if f.read().strip() == "dnsmasq" else 0
    except (OSError, ValueError):
        return 0


def is_dnsmasq(pid):
    """Is @pid (still) a dnsmasq? It may exit between any two reads."""
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip() == "dnsmasq"
    except OSError:
        return False


def clean_host(d):
    """What a failed case may leave in the namespace: dnsmasqs (by their pid
    files), the bridges and tables of the names the cases use."""
    kill_dnsmasqs(d)
    for br in ("vkbr0", "vkbr9", "virbr0", "vkc0", "vktaken", "vkext0"):
        sh("ip link del %s 2>/dev/null; nft delete table inet virtkit_%s 2>/dev/null" % (br, br),
           check=False)


def kill_dnsmasqs(d):
    for path in glob.glob(os.path.join(d.dirs["run"], "network", "*.pid")):
        name = os.path.basename(path)[:-4]
        pid = dnsmasq_pid(d, name)
        if pid:
            os.kill(pid, signal.SIGTERM)


def test_network_lifecycle():
    """define, start, list, dumpxml, autostart, a real DHCP lease in
    net-dhcp-leases and DHCPLeases(), events, restart and SIGKILL adoption,
    destroy and undefine leaving nothing."""
    global peer
    libvirt.registerErrorHandler(quiet, None)
    libvirt.virEventRegisterDefaultImpl()
    d = new_daemon()
    uri = d.uri()
    xml = os.path.join(d.root, "nat.xml")
    with open(xml, "w") as f:
        f.write(NAT_XML)
    try:
        c = libvirt.open(uri)
        events = []
        cid = c.networkEventRegisterAny(
            None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
            lambda conn, net, ev, detail, opaque: events.append((net.name(), ev)), None)

        def pump_until(want):
            deadline = time.monotonic() + 30
            while want not in events and time.monotonic() < deadline:
                libvirt.virEventRunDefaultImpl()
            assert want in events, (want, events)

        virsh(uri, "net-define", xml)
        pump_until(("vknat", libvirt.VIR_NETWORK_EVENT_DEFINED))
        virsh(uri, "net-start", "vknat")
        pump_until(("vknat", libvirt.VIR_NETWORK_EVENT_STARTED))
        out = virsh(uri, "net-list", "--all").stdout
        assert out.split() == ["vknat", "active", "no", "yes"], out
        live = virsh(uri, "net-dumpxml", "vknat").stdout
        assert "<port start='1024' end='65535'/>" in live, live
        assert "<mac address='52:54:00:" in live, live
        inactive = virsh(uri, "net-dumpxml", "--inactive", "vknat").stdout
        assert "<port" not in inactive, inactive
        virsh(uri, "net-autostart", "vknat")
        assert "10.90.0.1/24" in sh("ip -4 -o addr show dev vkbr0")
        assert "masquerade" in sh("nft list table inet virtkit_vkbr0")
        pid = dnsmasq_pid(d, "vknat")
        assert pid > 0

        # a DHCP client behind a veth in a namespace of its own
        peer = subprocess.Popen(["unshare", "-n", "sleep", "600"])
        wait_for(lambda: os.readlink("/proc/%d/ns/net" % peer.pid)
                 != os.readlink("/proc/self/ns/net"), "the client namespace")
        sh("ip link add vkc0 type veth peer name vkc1 netns %d && "
           "ip link set vkc0 master vkbr0 up" % peer.pid)
        sh("nsenter -t %d -n sh -c 'ip link set vkc1 address 52:54:00:90:00:01 up && "
           "busybox udhcpc -i vkc1 -n -q -f -s /bin/true -t 10 -T 3 -x hostname:peer1'"
           % peer.pid)
        net = c.networkLookupByName("vknat")
        wait_for(lambda: net.DHCPLeases(), "the lease in dnsmasq's file", 10)
        leases = net.DHCPLeases()
        assert len(leases) == 1, leases
        lease = leases[0]
        assert lease["mac"] == "52:54:00:90:00:01" and lease["hostname"] == "peer1", lease
        assert lease["ipaddr"].startswith("10.90.0.") and lease["prefix"] == 24, lease
        assert lease["iface"] == "vkbr0" and lease["type"] == libvirt.VIR_IP_ADDR_TYPE_IPV4
        out = virsh(uri, "net-dhcp-leases", "vknat").stdout
        assert out.split()[2:] == ["52:54:00:90:00:01", "ipv4", lease["ipaddr"] + "/24",
                                   "peer1", "01:52:54:00:90:00:01"], out
        out = virsh(uri, "net-dhcp-leases", "vknat", "--mac", "52:54:00:90:00:02").stdout
        assert out.strip() == "", out

        # a live update reaches dnsmasq's host file
        virsh(uri, "net-update", "vknat", "add", "ip-dhcp-host",
              "<host mac='52:54:00:90:00:05' name='fixed' ip='10.90.0.5'/>", "--live",
              "--config")
        with open(os.path.join(d.dirs["run"], "network", "vknat.hostsfile")) as f:
            assert "52:54:00:90:00:05,10.90.0.5,fixed" in f.read()
        assert "10.90.0.5" in virsh(uri, "net-dumpxml", "--inactive", "vknat").stdout

        # the daemon restarts: the network is adopted, dnsmasq kept
        c.networkEventDeregisterAny(cid)
        c.close()
        assert d.stop() == 0
        d.start()
        out = virsh(uri, "net-list", "--all").stdout
        assert out.split() == ["vknat", "active", "yes", "yes"], out
        assert dnsmasq_pid(d, "vknat") == pid
        # and after SIGKILL too
        d.kill()
        d.start()
        assert virsh(uri, "net-info", "vknat").stdout.split()[5] == "yes"
        assert dnsmasq_pid(d, "vknat") == pid
        c = libvirt.open(uri)
        assert len(c.networkLookupByName("vknat").DHCPLeases()) == 1
        c.close()

        virsh(uri, "net-destroy", "vknat")
        wait_for(lambda: not is_dnsmasq(pid), "dnsmasq to exit")
        assert "vkbr0" not in sh("ip -o link")
        assert "virtkit_vkbr0" not in sh("nft list tables")
        virsh(uri, "net-undefine", "vknat")
        assert virsh(uri, "net-list", "--all").stdout.strip() == ""
        assert os.listdir(os.path.join(d.dirs["config"], "networks", "autostart")) == []
    finally:
        clean_host(d)
        if peer:
            peer.kill()
            peer.wait()
            peer = None
    assert d.stop() == 0


def test_bad_input():
    """libvirt's errors for a subnet in use, a bridge another network has, a
    range outside its subnet; nothing half-made."""
    d = new_daemon()
    uri = d.uri()
    try:
        path = os.path.join(d.root, "n.xml")
        with open(path, "w") as f:
            f.write(NAT_XML)
        virsh(uri, "net-create", path)
        with open(path, "w") as f:
            f.write("<network><name>clash</name><bridge name='vkbr9'/>"
                    "<ip address='10.90.0.200' prefix='16'/></network>")
        p = virsh(uri, "net-create", path, check=False)
        assert p.returncode == 1
        assert "error: internal error: Network is already in use by interface vkbr0" \
            in p.stderr, p.stderr
        assert "vkbr9" not in sh("ip -o link")
        assert sh("nft list tables").split() == ["table", "inet", "virtkit_vkbr0"]
        with open(path, "w") as f:
            f.write("<network><name>other</name><bridge name='vkbr0'/></network>")
        p = virsh(uri, "net-define", path, check=False)
        assert "error: internal error: bridge name 'vkbr0' already in use." in p.stderr, \
            p.stderr
        with open(path, "w") as f:
            f.write("<network><name>r</name><ip address='10.91.0.1' prefix='24'><dhcp>"
                    "<range start='10.92.0.2' end='10.92.0.9'/></dhcp></ip></network>")
        p = virsh(uri, "net-define", path, check=False)
        assert ("error: internal error: range 10.92.0.2 - 10.92.0.9 is not entirely "
                "within network 10.91.0.1/24") in p.stderr, p.stderr
        assert virsh(uri, "net-list", "--all", "--name").stdout.split() == ["vknat"]
        # a transient network is gone once destroyed
        virsh(uri, "net-destroy", "vknat")
        assert virsh(uri, "net-list", "--all").stdout.strip() == ""
        assert sh("nft list tables").strip() == ""
    finally:
        clean_host(d)
    assert d.stop() == 0


def test_default_network():
    """A first start with VIRTKIT_NETWORK_DEFAULT=1 defines and autostarts
    'default' (virbr0): on 192.168.122.0/24, or the next free /24 when a
    route to it exists."""
    sh("ip link add vktaken type bridge && ip addr add 192.168.122.1/24 dev vktaken && "
       "ip link set vktaken up")
    d = new_daemon({"VIRTKIT_NETWORK_DEFAULT": "1"})
    try:
        uri = d.uri()
        out = virsh(uri, "net-list", "--all").stdout
        assert out.split() == ["default", "active", "yes", "yes"], out
        xml = virsh(uri, "net-dumpxml", "default").stdout
        assert "<ip address='192.168.123.1' netmask='255.255.255.0'>" in xml, xml
        assert "<bridge name='virbr0' stp='on' delay='0'/>" in xml, xml
        virsh(uri, "net-destroy", "default")
        # a later start does not define it again
        virsh(uri, "net-undefine", "default")
        assert d.stop() == 0
        os.environ["VIRTKIT_NETWORK_DEFAULT"] = "1"
        try:
            d.start()
        finally:
            os.environ.pop("VIRTKIT_NETWORK_DEFAULT")
        assert virsh(uri, "net-list", "--all").stdout.strip() == ""
    finally:
        clean_host(d)
    assert d.stop() == 0


GUEST_XML = """<domain type='qemu'>
  <name>%(name)s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%(guest)s/vmlinuz</kernel><initrd>%(guest)s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.dhcp=1 virtkit.hostname=%(name)s</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    %(iface)s
    <serial type='file'><source path='%(log)s'/><target port='0'/></serial>
  </devices>
</domain>
"""


def guest_ip(log):
    try:
        with open(log) as f:
            for line in f:
                # a whole line only: the guest may be writing this one
                if not line.endswith("\n"):
                    break
                if line.startswith("GUEST-IP "):
                    return line.split()[1]
                if line.startswith("GUEST-DHCP-FAILED"):
                    raise AssertionError("DHCP failed in %s" % log)
    except FileNotFoundError:
        pass
    return None


def test_guests_dhcp():
    """Two TCG test guests on a NAT network (interface type='network'): each
    gets a tap vnetN in the bridge (its name in the live XML), a DHCP lease
    from dnsmasq seen in net-dhcp-leases under its host name, and answers a
    ping from the host side; a third on type='bridge'; taps gone at stop;
    a missing or inactive network fails the start with libvirt's errors."""
    guest = GUEST
    if not guest:
        raise Skip("no test guest (scripts/build-test-guest.sh)")
    d = new_daemon()
    uri = d.uri()
    try:
        path = os.path.join(d.root, "n.xml")
        with open(path, "w") as f:
            f.write(NAT_XML)
        virsh(uri, "net-create", path)
        logs = {}
        for name, iface in (("g1", "<interface type='network'><source network='vknat'/>"
                                   "<model type='virtio'/></interface>"),
                            # g2 also has a guest agent channel (no agent runs)
                            ("g2", "<interface type='network'><source network='vknat'/>"
                                   "<model type='virtio'/></interface><channel type='unix'>"
                                   "<target type='virtio' name='org.qemu.guest_agent.0'/>"
                                   "</channel>"),
                            ("g3", "<interface type='bridge'><source bridge='vkbr0'/>"
                                   "<model type='virtio'/></interface>")):
            logs[name] = os.path.join(d.root, name + ".log")
            x = os.path.join(d.root, name + ".xml")
            with open(x, "w") as f:
                f.write(GUEST_XML % {"name": name, "guest": guest, "iface": iface,
                                     "log": logs[name]})
            virsh(uri, "define", x)
            virsh(uri, "start", name)
        taps = {}
        for name in logs:
            live = virsh(uri, "dumpxml", name).stdout
            m = [l for l in live.splitlines() if "<target dev='vnet" in l]
            assert len(m) == 1, live
            taps[name] = m[0].split("'")[1]
            assert "master vkbr0" in sh("ip -o link show dev " + taps[name])
            assert "<target dev='vnet" not in virsh(uri, "dumpxml", "--inactive", name).stdout
        # each type='network' interface has a port on its network (as
        # libvirt 9.0), named in the live XML; the bridge guest has none
        ports = virsh(uri, "net-port-list", "vknat", "--uuid").stdout.split()
        assert len(ports) == 2, ports
        owners = {}
        for u in ports:
            pxml = virsh(uri, "net-port-dumpxml", "vknat", u).stdout
            owners[pxml.split("<name>")[1].split("<")[0]] = (u, pxml)
        assert sorted(owners) == ["g1", "g2"], owners
        for name in ("g1", "g2"):
            u, pxml = owners[name]
            live = virsh(uri, "dumpxml", name).stdout
            assert "<source network='vknat' portid='%s' bridge='vkbr0'/>" % u in live, live
            mac = live.split("<mac address='")[1].split("'")[0]
            assert "<mac address='%s'/>" % mac in pxml and \
                "<plug type='network' bridge='vkbr0'/>" in pxml, pxml
            assert "portid" not in virsh(uri, "dumpxml", "--inactive", name).stdout
        assert "connections='2'" in virsh(uri, "net-dumpxml", "vknat").stdout
        # kept across a restart of the daemon (the guests keep running)
        assert d.stop() == 0
        d.start()
        assert sorted(virsh(uri, "net-port-list", "vknat", "--uuid").stdout.split()) == \
            sorted(ports)
        ips = {}
        for name, log in logs.items():
            wait_for(lambda: guest_ip(log), "a DHCP address in %s" % name, 180, 0.2)
            ips[name] = guest_ip(log)
        assert len(set(ips.values())) == 3, ips
        out = virsh(uri, "net-dhcp-leases", "vknat").stdout
        for name, ip in ips.items():
            assert any(l.split()[4:6] == [ip + "/24", name] for l in out.splitlines()), \
                (name, ip, out)
            sh("busybox ping -c 1 -W 5 %s" % ip)

        # domifaddr: the lease (type='network' only), the neighbour table
        # (the ping above filled it), the agent (none configured)
        c = libvirt.open(uri)
        for name, ip in ips.items():
            dom = c.lookupByName(name)
            live = dom.XMLDesc()
            mac = live.split("<mac address='")[1].split("'")[0]
            lease = dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE)
            arp = dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP)
            assert arp == {taps[name]: {"hwaddr": mac, "addrs": [
                {"addr": ip, "prefix": 0, "type": libvirt.VIR_IP_ADDR_TYPE_IPV4}]}}, arp
            out = virsh(uri, "domifaddr", name, "--source", "arp").stdout
            assert out.splitlines()[0].split() == [taps[name], mac, "ipv4", ip + "/0"], out
            # domhostname --source lease: the host name the guest's DHCP client sent
            p = virsh(uri, "domhostname", name, "--source", "lease", check=False)
            assert (p.returncode, p.stdout.strip(), p.stderr) == (
                (1, "", "error: failed to get hostname\nerror: no hostname found: no "
                 "hostname found for domain g3\n") if name == "g3" else (0, name, "")), p
            if name == "g3":
                # type='bridge': no network, so no lease to read
                assert lease == {}, lease
                continue
            assert lease == {taps[name]: {"hwaddr": mac, "addrs": [
                {"addr": ip, "prefix": 24, "type": libvirt.VIR_IP_ADDR_TYPE_IPV4}]}}, lease
            out = virsh(uri, "domifaddr", name).stdout
            assert out.splitlines()[0].split() == [taps[name], mac, "ipv4", ip + "/24"], out
            # libvirtd 9.0's answers (seen with the test guest under it)
            p = virsh(uri, "domifaddr", name, "--source", "agent", check=False)
            assert p.returncode == 1 and p.stderr == (
                "error: Failed to query for interfaces addresses\nerror: " +
                ("Guest agent is not responding: QEMU guest agent is not connected\n"
                 if name == "g2" else
                 "argument unsupported: QEMU guest agent is not configured\n")), p.stderr
        p = virsh(uri, "domifaddr", "g1", "--source", "agent", check=False, readonly=True)
        assert "error: operation forbidden: read only access prevents " \
            "virDomainInterfaceAddresses" in p.stderr, p.stderr
        c.close()
        for name in logs:
            virsh(uri, "destroy", name)
            assert taps[name] not in sh("ip -o link")
        p = virsh(uri, "domifaddr", "g1", check=False)
        assert "error: Requested operation is not valid: domain is not running" in p.stderr
        assert virsh(uri, "net-port-list", "vknat", "--uuid").stdout == ""

        # a network that does not exist, one that is not running
        x = os.path.join(d.root, "bad.xml")
        with open(x, "w") as f:
            f.write(GUEST_XML % {"name": "bad", "guest": guest, "log": x + ".log",
                                 "iface": "<interface type='network'><source "
                                          "network='nosuch'/></interface>"})
        virsh(uri, "define", x)
        p = virsh(uri, "start", "bad", check=False)
        assert "error: Network not found: no network with matching name 'nosuch'" \
            in p.stderr, p.stderr
        virsh(uri, "undefine", "bad")
        with open(path, "w") as f:
            f.write("<network><name>idle</name><bridge name='vkbr9'/></network>")
        virsh(uri, "net-define", path)
        with open(x, "w") as f:
            f.write(GUEST_XML % {"name": "bad", "guest": guest, "log": x + ".log",
                                 "iface": "<interface type='network'><source "
                                          "network='idle'/></interface>"})
        virsh(uri, "define", x)
        p = virsh(uri, "start", "bad", check=False)
        assert "error: Requested operation is not valid: network 'idle' is not active" \
            in p.stderr, p.stderr
        assert "vnet" not in sh("ip -o link")
        assert virsh(uri, "domstate", "bad").stdout.strip() == "shut off"

        # type='ethernet' managed='no': a tap someone else made, left alone
        sh("ip tuntap add dev vkext0 mode tap")
        virsh(uri, "undefine", "bad")
        with open(x, "w") as f:
            f.write(GUEST_XML % {"name": "ext", "guest": guest, "log": x + ".log",
                                 "iface": "<interface type='ethernet'><target dev='vkext0' "
                                          "managed='no'/><model type='virtio'/></interface>"})
        virsh(uri, "define", x)
        virsh(uri, "start", "ext")
        assert "<target dev='vkext0' managed='no'/>" in virsh(uri, "dumpxml", "ext").stdout
        virsh(uri, "destroy", "ext")
        assert "vkext0" in sh("ip -o link")
    finally:
        clean_host(d)
    assert d.stop() == 0


VIRT_INSTALL = "/usr/bin/virt-install"


def console_lines(log, prefix):
    return [l.split()[1:] for l in console_whole_lines(log) if l.startswith(prefix + " ")]


def virt_install(d, name, network, log, kargs):
    """Debian's virt-install --import of the net test guest (no disk: the
    kernel and initrd are given with --boot), its NIC as --network says."""
    argv = [VIRT_INSTALL, "--connect", d.uri(), "--import", "--name", name,
            "--memory", "256", "--vcpus", "1", "--disk", "none",
            "--osinfo", "detect=on,require=off", "--virt-type", "qemu", "--machine", "q35",
            "--network", network, "--graphics", "none", "--noautoconsole",
            "--serial", "file,path=%s" % log,
            "--boot", "kernel=%s/vmlinuz,initrd=%s/initrd.gz,kernel_args=console=ttyS0 no_timer_check cryptomgr.notests "
                      "quiet %s" % (NET_GUEST, NET_GUEST, kargs)]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, LC_ALL="C", HOME=d.root))
    if p.returncode != 0:
        raise AssertionError("virt-install failed (%d):\n%s\n%s\ndaemon log:\n%s"
                             % (p.returncode, p.stdout, p.stderr, d.log()[-3000:]))


def wait_console(log, prefix, want, what, timeout=240):
    """The fields after @prefix on the first console line whose first field
    is @want (any line when @want is None)."""
    def seen():
        for f in console_lines(log, prefix):
            if want is None or (f and f[0] == want):
                return f
        return None
    wait_for(seen, what, timeout, 0.2)
    return seen()


def test_virtinstall_network():
    """Debian's virt-install against virtkitd in this namespace (system mode,
    the default network defined on first start): two guests with --network
    network=default (one at a fixed address given with virsh net-update
    add ip-dhcp-host) and one with --network bridge=vkhost0, a host bridge
    the test made. The guests get their addresses (dnsmasq's leases, seen in
    domifaddr and net-dhcp-leases; a static one on the host bridge), ping
    the host side of their bridge and each other, 1 MiB goes from one guest
    to the other over TCP (busybox nc), and the host pings them all."""
    if not NET_GUEST:
        raise Skip("no test guest (scripts/build-test-guest.sh, variant net)")
    if not os.access(VIRT_INSTALL, os.X_OK):
        raise Skip("virt-install (Debian's virtinst) not installed")
    sh("ip link add vkhost0 type bridge && ip addr add 10.91.0.1/24 dev vkhost0 && "
       "ip link set vkhost0 up")
    d = new_daemon({"VIRTKIT_NETWORK_DEFAULT": "1"})
    uri = d.uri()
    try:
        assert virsh(uri, "net-list").stdout.split() == ["default", "active", "yes", "yes"]
        gw = "192.168.122.1"
        assert "<ip address='%s' netmask='255.255.255.0'>" % gw in \
            virsh(uri, "net-dumpxml", "default").stdout
        # n1 at a fixed address: a DHCP host entry added to the running network
        virsh(uri, "net-update", "default", "add", "ip-dhcp-host",
              "<host mac='52:54:00:5a:00:01' ip='192.168.122.201'/>", "--live", "--config")
        logs = {n: os.path.join(d.root, n + ".log") for n in ("n1", "n2", "b1")}
        size = 1 << 20
        virt_install(d, "n1", "network=default,model=virtio,mac=52:54:00:5a:00:01", logs["n1"],
                     "virtkit.dhcp=1 virtkit.hostname=n1 virtkit.nclisten=5001 "
                     "virtkit.ping=%s" % gw)
        virt_install(d, "n2", "network=default,model=virtio", logs["n2"],
                     "virtkit.dhcp=1 virtkit.hostname=n2 virtkit.ping=%s,192.168.122.201 "
                     "virtkit.ncsend=192.168.122.201:5001:%d" % (gw, size))
        virt_install(d, "b1", "bridge=vkhost0,model=virtio", logs["b1"],
                     "virtkit.ip=10.91.0.10/24 virtkit.ping=10.91.0.1")
        out = virsh(uri, "list", "--name").stdout.split()
        assert sorted(out) == ["b1", "n1", "n2"], out
        # what virt-install defined: interface types and sources as asked
        for name, kind, src in (("n1", "network", "network='default'"),
                                ("n2", "network", "network='default'"),
                                ("b1", "bridge", "bridge='vkhost0'")):
            live = virsh(uri, "dumpxml", name).stdout
            assert "<interface type='%s'>" % kind in live and "<source %s" % src in live, live
            tap = [l for l in live.splitlines() if "<target dev='vnet" in l][0].split("'")[1]
            br = "vkhost0" if name == "b1" else "virbr0"
            assert "master %s" % br in sh("ip -o link show dev " + tap)
        ips = {}
        for name in ("n1", "n2", "b1"):
            ips[name] = wait_console(logs[name], "GUEST-IP", None,
                                     "%s: an address on its console" % name)[0]
        assert ips["n1"] == "192.168.122.201" and ips["b1"] == "10.91.0.10", ips
        assert ips["n2"].startswith("192.168.122."), ips
        # the guests reach the host side of their bridge and each other
        for name, host in (("n1", gw), ("n2", gw), ("n2", ips["n1"]), ("b1", "10.91.0.1")):
            got = wait_console(logs[name], "GUEST-PING", host, "%s pings %s" % (name, host))
            assert got == [host, "ok"], (name, got)
        sent = wait_console(logs["n2"], "GUEST-NC-SENT", None, "n2 sends to n1")
        assert int(sent[0]) == size, sent
        got = wait_console(logs["n1"], "GUEST-NC-RECEIVED", None, "n1 receives from n2")
        assert got == [str(size)], got
        # and the host reaches them
        for name, ip in ips.items():
            sh("busybox ping -c 1 -W 5 %s" % ip)
        # their leases, as virsh shows them
        out = virsh(uri, "net-dhcp-leases", "default").stdout
        for name in ("n1", "n2"):
            assert any(l.split()[4:6] == [ips[name] + "/24", name] for l in out.splitlines()), \
                (name, out)
            o = virsh(uri, "domifaddr", name).stdout.split()
            assert o[2:4] == ["ipv4", ips[name] + "/24"], o
        for name in logs:
            virsh(uri, "destroy", name)
            virsh(uri, "undefine", name)
        assert "vnet" not in sh("ip -o link")
    finally:
        clean_host(d)
        sh("ip link del vkhost0 2>/dev/null", check=False)
    assert d.stop() == 0


HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "data", "daemon")


def transcript_calls(text):
    """[(call, answer lines)] of a sysvirt-objects.pl transcript."""
    calls = []
    for line in text.splitlines():
        if ": " in line and not line.startswith(" ") and not line.startswith("<"):
            name, _, rest = line.partition(": ")
            calls.append((name, [rest]))
        elif calls:
            calls[-1][1].append(line)
    return calls


def test_sysvirt_and_python_objects():
    """Sys::Virt (Debian's libsys-virt-perl) through virtkitd's test driver:
    the calls of its own t/300-networks.t and t/600-interfaces.t (which
    Debian does not ship) and the node-device ones (sysvirt-objects.pl)
    answer, call by call, what they answered through libvirtd's test driver
    (tests/data/daemon/sysvirt-objects.golden, record-sysvirt.sh); the same
    for python3-libvirt's interface definitions and their errors
    (python-ifaces.py)."""
    if not os.access("/usr/bin/perl", os.X_OK) or subprocess.run(
            ["perl", "-MSys::Virt", "-e", "1"], capture_output=True).returncode != 0:
        raise Skip("Sys::Virt (libsys-virt-perl) not installed")
    d = new_daemon()
    try:
        uri = d.uri("test")
        p = subprocess.run(["perl", os.path.join(HERE, "sysvirt-objects.pl"), uri],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and p.stdout.endswith("END\n"), (p.returncode, p.stderr)
        with open(os.path.join(GOLDEN, "sysvirt-objects.golden")) as f:
            want = transcript_calls(f.read())
        got = transcript_calls(p.stdout)
        # virNodeDeviceCreateXML / Destroy included (a vHBA on the test
        # driver, its bad XML, its parent found by vport capability)
        assert any(c[0] == "create_node_device(vHBA)" for c in got), got[-8:]
        assert len(got) > 100, len(got)
        diffs = [(w, g) for w, g in zip(want, got) if w != g]
        assert not diffs and len(want) == len(got), \
            "Sys::Virt through virtkitd differs from libvirtd:\n" + "\n".join(
                "libvirtd: %s\nvirtkitd: %s" % (w, g) for w, g in diffs[:10])
        # Debian's virsh through virtkitd prints what virsh printed on
        # test:///default for the vksh goldens of iface-define & co
        for case in ("iface-define-lifecycle", "iface-transaction", "iface-define-bad"):
            cdir = os.path.join(HERE, "..", "data", "vksh", case)
            with open(os.path.join(cdir, "cmd")) as f:
                cmd = f.read().strip()
            assert cmd.startswith("-c test:///default '") and cmd.endswith("'"), cmd
            p = subprocess.run(["/usr/bin/virsh", "-c", uri, cmd[len("-c test:///default '"):-1]],
                               capture_output=True, text=True, cwd=cdir, timeout=120,
                               env=dict(os.environ, LC_ALL="C"))
            for stream, got_text in (("stdout", p.stdout), ("stderr", p.stderr)):
                with open(os.path.join(cdir, stream)) as f:
                    assert got_text == f.read(), (case, stream, got_text)
            # each case starts from the default state: a fresh connection
            # resets the shared test driver once the last one closes
        p = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "python-ifaces.py"), uri],
                           capture_output=True, text=True, timeout=120)
        with open(os.path.join(GOLDEN, "python-ifaces.golden")) as f:
            want = f.read()
        assert p.returncode == 0 and p.stdout == want, \
            "python3-libvirt through virtkitd differs from libvirtd:\n" + "".join(
                difflib.unified_diff(want.splitlines(True), p.stdout.splitlines(True),
                                     "libvirtd", "virtkitd"))
    finally:
        clean_host(d)
    assert d.stop() == 0


PORT_XML = """<networkport>
  <uuid>aaaaaaaa-2222-3333-4444-555555555555</uuid>
  <owner>
    <name>guest1</name>
    <uuid>11111111-2222-3333-4444-555555555555</uuid>
  </owner>
  <mac address='52:54:00:AA:bb:01'/>
  <bandwidth>
    <inbound average='1000' peak='2000' burst='1024'/>
    <outbound average='500'/>
  </bandwidth>
</networkport>
"""

# what libvirtd 9.0 answers for PORT_XML on a NAT network (recorded with
# Debian's virsh net-port-dumpxml; only the bridge name differs)
PORT_LIVE = """<networkport>
  <uuid>aaaaaaaa-2222-3333-4444-555555555555</uuid>
  <owner>
    <name>guest1</name>
    <uuid>11111111-2222-3333-4444-555555555555</uuid>
  </owner>
  <mac address='52:54:00:aa:bb:01'/>
  <bandwidth>
    <inbound average='1000' peak='2000' burst='1024'/>
    <outbound average='500'/>
  </bandwidth>
  <plug type='network' bridge='vkbr0'/>
</networkport>
"""


def port_error(fn):
    try:
        fn()
    except libvirt.libvirtError as e:
        return (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    raise AssertionError("no error")


def test_network_ports():
    """virNetworkPort* through Debian's virsh and python3-libvirt: create,
    list, XML, parameters, delete with libvirt's answers and errors; kept
    across a daemon restart; gone with the network."""
    d = new_daemon()
    uri = d.uri()
    try:
        path = os.path.join(d.root, "n.xml")
        with open(path, "w") as f:
            f.write(NAT_XML)
        virsh(uri, "net-create", path)
        pxml = os.path.join(d.root, "p.xml")
        with open(pxml, "w") as f:
            f.write(PORT_XML)
        uuid = "aaaaaaaa-2222-3333-4444-555555555555"
        out = virsh(uri, "net-port-create", "vknat", pxml).stdout
        assert out == "", out  # -q
        p = virsh(uri, "net-port-create", "vknat", pxml, check=False)
        assert p.stderr == ("error: Failed to create network from %s\nerror: network port "
                            "Network port with UUID %s already exists exists already\n"
                            % (pxml, uuid)), p.stderr
        assert virsh(uri, "net-port-list", "vknat", "--uuid").stdout == uuid + "\n"
        assert virsh(uri, "net-port-dumpxml", "vknat", uuid).stdout == PORT_LIVE
        assert "connections='1'" in virsh(uri, "net-dumpxml", "vknat").stdout
        pdir = os.path.join(d.dirs["run"], "network", "vknat.ports")
        assert os.listdir(pdir) == [uuid + ".xml"]

        c = libvirt.open(uri)
        net = c.networkLookupByName("vknat")
        port = net.portLookupByUUIDString(uuid)
        assert port.parameters() == {
            "inbound.average": 1000, "inbound.peak": 2000, "inbound.floor": 0,
            "inbound.burst": 1024, "outbound.average": 500, "outbound.peak": 0,
            "outbound.burst": 0}, port.parameters()
        port.setParameters({"inbound.average": 100, "outbound.average": 200,
                            "outbound.burst": 5})
        assert port.parameters() == {
            "inbound.average": 100, "inbound.peak": 0, "inbound.floor": 0,
            "inbound.burst": 0, "outbound.average": 200, "outbound.peak": 0,
            "outbound.burst": 5}, port.parameters()
        assert "<inbound average='100'/>\n    <outbound average='200' burst='5'/>" \
            in port.XMLDesc()
        # libvirtd 9.0's errors, same codes and domains
        other = PORT_XML.replace("aaaaaaaa", "bbbbbbbb")
        plugged = other.replace("</networkport>", "<plug type='network' bridge='x'/>"
                                "</networkport>")
        assert port_error(lambda: net.portLookupByUUIDString(
            "00000000-0000-0000-0000-000000000000")) == (
            107, 19, "network port not found: Network port with UUID "
            "00000000-0000-0000-0000-000000000000 does not exist")
        assert port_error(lambda: net.portCreateXML(plugged)) == (
            8, 19, "invalid argument: Port reclaim not requested but plug type is not none")
        assert port_error(lambda: net.portCreateXML(
            other, libvirt.VIR_NETWORK_PORT_CREATE_RECLAIM)) == (
            8, 19, "invalid argument: Port reclaim requested but plug type is none")
        assert port_error(lambda: net.portCreateXML(other, 4)) == (
            8, 19, "unsupported flags (0x4) in function networkPortCreateXML")
        for bad, err in (
                ("<networkport/>", (1, 19, "internal error: network port has no uuid")),
                ("<networkport><uuid>nope</uuid></networkport>",
                 (1, 19, "internal error: Unable to parse UUID 'nope'")),
                ("<networkport><uuid>%s</uuid><owner><name>g</name></owner></networkport>"
                 % uuid, (1, 19, "internal error: network port has no owner UUID")),
                ("<bogus/>", (27, 5, "XML error: expecting root element of 'networkport', "
                              "not 'bogus'"))):
            assert port_error(lambda: net.portCreateXML(bad)) == err, (bad, err)
        reclaimed = net.portCreateXML(plugged, libvirt.VIR_NETWORK_PORT_CREATE_RECLAIM)
        assert "<plug type='network' bridge='x'/>" in reclaimed.XMLDesc()
        assert sorted(p.UUIDString() for p in net.listAllPorts()) == [
            uuid, "bbbbbbbb-2222-3333-4444-555555555555"]
        p = virsh(uri, "net-port-create", "vknat", pxml, check=False, readonly=True)
        assert "error: operation forbidden: read only access prevents " \
            "virNetworkPortCreateXML" in p.stderr, p.stderr
        reclaimed.delete()
        c.close()

        # kept across a restart of the daemon
        assert d.stop() == 0
        d.start()
        assert virsh(uri, "net-port-list", "vknat", "--uuid").stdout == uuid + "\n"
        assert "<outbound average='200' burst='5'/>" in \
            virsh(uri, "net-port-dumpxml", "vknat", uuid).stdout
        assert "connections='1'" in virsh(uri, "net-dumpxml", "vknat").stdout
        out = virsh(uri, "net-port-delete", "vknat", uuid).stdout
        assert out == "", out
        assert virsh(uri, "net-port-list", "vknat").stdout == "", "ports left"
        assert os.listdir(pdir) == []
        assert "connections=" not in virsh(uri, "net-dumpxml", "vknat").stdout
        # a network's ports go with it
        virsh(uri, "net-port-create", "vknat", pxml)
        virsh(uri, "net-destroy", "vknat")
        assert not os.path.exists(pdir)
        virsh(uri, "net-create", path)
        assert virsh(uri, "net-port-list", "vknat").stdout == ""
    finally:
        clean_host(d)
    assert d.stop() == 0


def test_domifaddr_test_driver():
    """virDomainInterfaceAddresses through virtkitd's test driver answers as
    libvirt's own test:///default (in this process, the reference) for every
    source, and with its errors."""
    d = new_daemon()
    try:
        ours = libvirt.open(d.uri("test"))
        ref = libvirt.open("test:///default")
        for c in (ours, ref):
            c.networkCreateXML("<network><name>n2</name><bridge name='br9'/>"
                               "<ip address='10.1.2.1' netmask='255.255.255.0'><dhcp>"
                               "<range start='10.1.2.100' end='10.1.2.200'/></dhcp></ip>"
                               "</network>")
            c.createXML("<domain type='test'><name>t2</name><memory>1024</memory>"
                        "<os><type>hvm</type></os><devices>"
                        "<interface type='bridge'><mac address='52:54:00:00:00:03'/>"
                        "<source bridge='virbr0'/></interface>"
                        "<interface type='network'><mac address='52:54:00:00:00:01'/>"
                        "<source network='n2'/></interface></devices></domain>")
        answers = []
        for c in (ours, ref):
            got = []
            for name in ("test", "t2"):
                dom = c.lookupByName(name)
                for src in (0, 1, 2):
                    got.append(dom.interfaceAddresses(src))
                for src, flags in ((3, 0), (0, 1)):
                    try:
                        dom.interfaceAddresses(src, flags)
                        got.append("no error")
                    except libvirt.libvirtError as e:
                        got.append((e.get_error_code(), e.get_error_domain(),
                                    e.get_error_message()))
            dom = c.lookupByName("test")
            dom.destroy()
            try:
                dom.interfaceAddresses(0)
                got.append("no error")
            except libvirt.libvirtError as e:
                got.append((e.get_error_code(), e.get_error_domain(), e.get_error_message()))
            answers.append(got)
        assert answers[0] == answers[1], answers
        assert answers[1][0] == {"testnet0": {"hwaddr": "aa:bb:cc:dd:ee:ff", "addrs": [
            {"addr": "192.168.122.3", "prefix": 24, "type": 0}]}}, answers[1][0]
        ours.close()
        ref.close()
    finally:
        clean_host(d)
    assert d.stop() == 0


class NobodyDaemon(Daemon):
    """A session virtkitd as 'nobody' (so it cannot make taps), with
    CAP_NET_ADMIN in its ambient set for the helper it runs (Debian's
    qemu-bridge-helper is not setuid), in a mount namespace of its own
    where @etcqemu is /etc/qemu."""

    def __init__(self, etcqemu):
        super().__init__(mode="session")
        self.etcqemu = etcqemu

    def argv(self):
        inner = " ".join(shlex.quote(a) for a in super().argv())
        return ["/usr/bin/unshare", "-m", "/bin/sh", "-c",
                "mount --make-rprivate / && mount --bind %s /etc/qemu && "
                # /dev/net/tun is 0666 on Debian (udev); where it is not, a
                # 0666 node of the same device in this namespace only
                "{ [ \"$(stat -c %%a /dev/net/tun)\" = 666 ] || "
                "mount --bind %s/tun /dev/net/tun; } && "
                "exec setpriv --reuid=65534 --regid=65534 --clear-groups "
                "--inh-caps=+net_admin --ambient-caps=+net_admin -- %s"
                % (shlex.quote(self.etcqemu), shlex.quote(self.etcqemu), inner)]


HELPER_GUEST_XML = """<domain type='qemu'>
  <name>%(name)s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%(guest)s/vmlinuz</kernel><initrd>%(guest)s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check quiet virtkit.ip=10.93.0.10/24 virtkit.ping=10.93.0.1</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <interface type='bridge'><source bridge='%(bridge)s'/><model type='virtio'/></interface>
    <serial type='file'><source path='%(log)s'/><target port='0'/></serial>
  </devices>
</domain>
"""


def test_session_bridge_helper():
    """Session mode reaching a host bridge as libvirt's does: a session
    virtkitd that is not root (uid nobody) cannot make a tap, so it runs
    qemu-bridge-helper, which makes one on the bridge /etc/qemu/bridge.conf
    allows (written by the test in the daemon's own mount namespace) and
    passes its descriptor back; QEMU gets it as -netdev tap,fd=N. The guest
    pings the bridge's address and the host pings the guest; a bridge the
    file does not allow gives libvirt's "failed to communicate with bridge
    helper" error with the helper's words, and no tap is left."""
    if not NET_GUEST:
        raise Skip("no test guest (scripts/build-test-guest.sh, variant net)")
    for tool in ("/usr/lib/qemu/qemu-bridge-helper", "/usr/bin/setpriv"):
        if not os.access(tool, os.X_OK):
            raise Skip("needs " + tool)
    made_etc = False
    if not os.path.isdir("/etc/qemu"):
        os.mkdir("/etc/qemu")  # an empty mount point, removed at the end
        made_etc = True
    d = None
    try:
        etc = make_tmpdir()
        os.chmod(etc, 0o755)
        with open(os.path.join(etc, "bridge.conf"), "w") as f:
            f.write("allow vkhb0\n")
        st = os.stat("/dev/net/tun")
        os.mknod(os.path.join(etc, "tun"), 0o20666, st.st_rdev)
        os.chmod(os.path.join(etc, "tun"), 0o666)
        d = NobodyDaemon(etc)
        os.chmod(d.root, 0o755)
        for sub in d.dirs.values():
            os.makedirs(sub, exist_ok=True)
        subprocess.run(["chown", "-R", "65534:65534", d.root], check=True)
        sh("ip link add vkhb0 type bridge && ip addr add 10.93.0.1/24 dev vkhb0 && "
           "ip link set vkhb0 up && ip link add vkhb1 type bridge && ip link set vkhb1 up")
        d.start()
        uri = d.uri("qemu", "/session")
        log = os.path.join(d.root, "hg.log")
        x = os.path.join(d.root, "hg.xml")
        with open(x, "w") as f:
            f.write(HELPER_GUEST_XML % {"name": "hg", "guest": NET_GUEST, "bridge": "vkhb0",
                                        "log": log})
        virsh(uri, "define", x)
        virsh(uri, "start", "hg")
        live = virsh(uri, "dumpxml", "hg").stdout
        tap = [l for l in live.splitlines() if "<target dev='" in l][0].split("'")[1]
        assert tap.startswith("tap"), live  # the helper's name, not vnetN
        assert "master vkhb0" in sh("ip -o link show dev " + tap)
        pids = qemu_pids(d.root)
        assert len(pids) == 1, pids
        with open("/proc/%d/cmdline" % pids[0], "rb") as f:
            cmd = f.read().split(b"\0")
        assert any(a.startswith(b"tap,fd=") or b'"type":"tap","fd"' in a for a in cmd), cmd
        assert os.stat("/proc/%d" % pids[0]).st_uid == 65534
        got = wait_console(log, "GUEST-PING", "10.93.0.1", "the guest pings the bridge")
        assert got == ["10.93.0.1", "ok"], got
        sh("busybox ping -c 1 -W 5 10.93.0.10")
        virsh(uri, "destroy", "hg")
        wait_for(lambda: tap not in sh("ip -o link"), "the helper's tap to go", 30)
        virsh(uri, "undefine", "hg")
        # a bridge bridge.conf does not allow: libvirt's error, nothing left
        with open(x, "w") as f:
            f.write(HELPER_GUEST_XML % {"name": "hg", "guest": NET_GUEST, "bridge": "vkhb1",
                                        "log": log})
        virsh(uri, "define", x)
        links = sh("ip -o link | grep -c tap", check=False)
        p = virsh(uri, "start", "hg", check=False)
        assert p.returncode == 1, p
        assert "failed to communicate with bridge helper" in p.stderr and \
            "--br=vkhb1" in p.stderr and "access denied by acl file" in p.stderr, p.stderr
        assert sh("ip -o link | grep -c tap", check=False) == links
        assert virsh(uri, "domstate", "hg").stdout.strip() == "shut off"
        virsh(uri, "undefine", "hg")
    finally:
        if d:
            d.stop()
        sh("ip link del vkhb0 2>/dev/null; ip link del vkhb1 2>/dev/null", check=False)
        if made_etc:
            os.rmdir("/etc/qemu")


if __name__ == "__main__":
    # building the guest downloads a kernel: done before entering the
    # namespace. A cache of this suite's own: the guest's DHCP client came
    # with a change of its init, and a tree of an older script would
    # rebuild the shared cache without it
    os.environ["VIRTKIT_TEST_GUEST_CACHE"] = "/var/cache/virtkit/test-guest-dhcp"
    GUEST = test_guest_dir()
    os.environ.pop("VIRTKIT_TEST_GUEST_CACHE")
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

    run_tests([
        ("NAT network: lifecycle, DHCP lease, events, adoption",
         guard(test_network_lifecycle)),
        ("bad input: libvirt's errors, nothing left", guard(test_bad_input)),
        ("the default network on a first start", guard(test_default_network)),
        ("guests on a NAT network: taps, DHCP leases, ping, domifaddr",
         guard(test_guests_dhcp)),
        ("domifaddr through the test driver as libvirt's", guard(test_domifaddr_test_driver)),
        ("network ports: create, list, XML, parameters, restart", guard(test_network_ports)),
        ("virt-install --network network=default and bridge=BR: addresses, pings, TCP",
         guard(test_virtinstall_network)),
        ("Sys::Virt and python3-libvirt: networks, interfaces, node devices as libvirtd",
         guard(test_sysvirt_and_python_objects)),
        ("session mode (uid nobody): a host bridge through qemu-bridge-helper, pings",
         guard(test_session_bridge_helper)),
    ])
