#!/usr/bin/env python3
"""<interface type='user'><backend type='passt'/> through virtkitd, with Debian's
virsh and python3-libvirt, inside a network namespace of the test's own: the
XML (ip, portForward, source dev, logFile) round trip and libvirt's errors;
one TCG test guest whose DHCP client gets its address from passt, reaches a
TCP listener of the namespace, and is reached through a portForward'ed port;
passt kept (same pid) across a daemon restart, started for a hotplugged
interface, gone with the guest.

The test process enters a new network namespace first (unshare(CLONE_NEWNET):
root only, else skipped) with a veth and a default route, which passt takes
as its template interface: nothing of the host's network is touched."""

import glob
import os
import socket
import threading
import time

import libvirt

from vkdtest import expect_error_exact
from vkdtest import Daemon, Skip, pid_alive, run_tests, test_guest_dir, virsh, wait_for, \
    wait_guest
from vkdtest import console_whole_lines, quiet, sh, unshare_netns

NET_GUEST = None
PASST = "/usr/bin/passt"


def enter_netns():
    unshare_netns((PASST,))
    # passt copies the addresses and the gateway of the interface with
    # the default route
    sh("ip link add vkp0 type veth peer name vkp1 && "
       "ip link set vkp1 up && ip addr add 10.77.0.2/24 dev vkp0 && ip link set vkp0 up && "
       "ip route add default via 10.77.0.1")


def proc_cmdline(pid):
    """The command line of @pid; b"" once it is gone (any process may exit
    between the listing of /proc and the read)."""
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            return f.read()
    except OSError:
        return b""


IFACE = """<interface type='user'>
      <mac address='52:54:00:77:00:09'/>
      <source dev='vkp0'/>
      <ip address='10.77.0.9' family='ipv4' prefix='24'/>
      <portForward proto='tcp'>
        <range start='5001'/>
      </portForward>
      <portForward proto='udp' address='10.77.0.2' dev='vkp0'>
        <range start='7000' end='7010' to='8000'/>
        <range start='7005' exclude='yes'/>
      </portForward>
      <model type='virtio'/>
      <backend type='passt'/>
    </interface>"""

GUEST_XML = """<domain type='qemu'>
  <name>%(name)s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%(guest)s/vmlinuz</kernel><initrd>%(guest)s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.dhcp=1 %(args)s</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    %(iface)s
    <serial type='file'><source path='%(log)s'/><target port='0'/></serial>
  </devices>
</domain>
"""


def interface_block(xml):
    start = xml.index("    <interface")
    return xml[start:xml.index("</interface>", start) + len("</interface>")]


def test_xml_and_errors():
    """The passt interface's XML round trip through Debian's virsh (every
    element kept in libvirt's order), python3-libvirt's errors for what
    libvirt 9.0 refuses, nothing defined by a refused definition."""
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon()
    d.start()
    try:
        uri = d.uri()
        guest = NET_GUEST or "/nonexistent"
        path = os.path.join(d.root, "x.xml")
        with open(path, "w") as f:
            f.write(GUEST_XML % {"name": "px", "guest": guest, "args": "", "iface": IFACE,
                                 "log": os.path.join(d.root, "px.log")})
        virsh(uri, "define", path)
        got = interface_block(virsh(uri, "dumpxml", "--inactive", "px").stdout)
        want = IFACE.replace("      <model", "      <model").replace(
            "    </interface>", "      <address type='pci' domain='0x0000' bus='0x01' "
            "slot='0x00' function='0x0'/>\n    </interface>")
        assert got == "    " + want, got

        c = libvirt.open(uri)
        base = GUEST_XML % {"name": "bad", "guest": guest, "args": "", "log": "/dev/null",
                            "iface": "%s"}
        VIR_FROM_QEMU, VIR_FROM_DOMAIN, VIR_FROM_XML = 10, 20, 5
        # libvirt 9.0 takes passt only on type='user' (Debian's libvirt
        # 9.0 refuses it everywhere with these words)
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='network'><source network='default'/>"
            "<backend type='passt'/></interface>")),
            libvirt.VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
            "XML error: Invalid value for attribute 'type' in element 'backend': 'passt'.")
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='user'><backend type='slirp'/></interface>")),
            libvirt.VIR_ERR_XML_ERROR, VIR_FROM_XML,
            "XML error: Invalid value for attribute 'type' in element 'backend': 'slirp'.")
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='user'><portForward proto='tcp'><range start='80'/>"
            "</portForward></interface>")),
            libvirt.VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
            "unsupported configuration: The <portForward> element can only be used with "
            "<interface type='user'> and its 'passt' backend")
        # libvirtd 9.0's answers (its QEMU driver, seen here)
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='user'><backend type='passt'/><ip address='10.1.1.1'/>"
            "<ip address='10.1.1.2'/></interface>")),
            libvirt.VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
            "unsupported configuration: Only one IPv4 address per interface is allowed")
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='user'><ip address='10.1.1.1' prefix='30'/></interface>")),
            libvirt.VIR_ERR_XML_ERROR, VIR_FROM_QEMU,
            "XML error: invalid prefix, must be in range of 4-27")
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='user'><ip address='300.1.1.1'/></interface>")),
            libvirt.VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
            "XML error: Invalid address '300.1.1.1' in <ip>")
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='user'><ip address='fd00::1' prefix='48'/></interface>")),
            libvirt.VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
            "unsupported configuration: unsupported IPv6 address prefix='48' - must be 64")
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='user'><backend type='passt'/><portForward><range start='80'/>"
            "</portForward></interface>")),
            libvirt.VIR_ERR_XML_ERROR, VIR_FROM_XML,
            "XML error: Missing required attribute 'proto' in element 'portForward'")
        expect_error_exact(lambda: c.defineXML(base % (
            "<interface type='network'><source network='default'/>"
            "<ip address='10.1.1.1'/></interface>")),
            libvirt.VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
            "unsupported configuration: Invalid attempt to set network interface guest-side "
            "IP route and/or address info, not supported by QEMU")
        assert [x.name() for x in c.listAllDomains()] == ["px"]

        # passt refuses to start (no such interface): libvirt's error with
        # passt's words, the domain off, nothing left running or on disk
        if NET_GUEST:
            dom = c.defineXML(GUEST_XML % {
                "name": "pf", "guest": guest, "args": "", "log": "/dev/null",
                "iface": "<interface type='user'><source dev='nosuchdev'/>"
                         "<model type='virtio'/><backend type='passt'/></interface>"})
            try:
                dom.create()
                raise AssertionError("started with a passt that cannot run")
            except libvirt.libvirtError as e:
                msg = e.get_error_message()
                assert (e.get_error_code(), e.get_error_domain()) == \
                    (libvirt.VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU), msg
                assert msg.startswith("internal error: Could not start 'passt'. "
                                      "exitstatus: 1: ") and "nosuchdev" in msg, msg
                assert "syslog" not in msg, msg
            assert dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
            assert not glob.glob(os.path.join(d.dirs["state"], "qemu", "domain-*-pf"))
            assert not [p for p in os.listdir("/proc") if p.isdigit() and
                        d.root.encode() in proc_cmdline(p) and b"passt" in proc_cmdline(p)]
            dom.undefine()
        c.close()
        virsh(uri, "undefine", "px")
    finally:
        assert d.stop() == 0


class Listener:
    """A TCP listener of the namespace: the byte count of each connection."""

    def __init__(self, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("0.0.0.0", port))
        self.sock.listen(4)
        self.counts = []
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            n = 0
            with conn:
                while True:
                    b = conn.recv(65536)
                    if not b:
                        break
                    n += len(b)
            self.counts.append(n)


def console_lines(log, prefix):
    return [l.split(None, 1)[1].strip() if " " in l.strip() else ""
            for l in console_whole_lines(log) if l.startswith(prefix)]


def passt_pid(d, name, alias):
    for path in glob.glob(os.path.join(d.dirs["state"], "qemu", "domain-*-%s" % name,
                                       "passt-%s.pid" % alias)):
        try:
            with open(path) as f:
                return int(f.read())
        except (OSError, ValueError):
            pass
    return 0


def send_forwarded(uri, name, log, nbytes, d):
    """@nbytes to the guest's listener through passt's forwarded port 5001
    of the namespace; the guest's count of them on its console."""
    before = len(console_lines(log, "GUEST-NC-RECEIVED"))
    deadline = time.monotonic() + 120
    while True:
        try:
            with socket.create_connection(("127.0.0.1", 5001), timeout=10) as s:
                s.sendall(b"\0" * nbytes)
        except OSError:
            pass
        try:
            wait_for(lambda: len(console_lines(log, "GUEST-NC-RECEIVED")) > before,
                     "the guest's count", 15)
        except AssertionError:
            pass
        got = console_lines(log, "GUEST-NC-RECEIVED")[before:]
        if str(nbytes) in got:
            return
        # a connection before the guest listened: passt resets it (count 0)
        before = len(console_lines(log, "GUEST-NC-RECEIVED"))
        assert time.monotonic() < deadline, (got, open(log, errors="replace").read()[-2000:])
        time.sleep(0.5)


def test_guest_through_passt():
    """The net test guest behind passt: DHCP address from passt (the <ip>
    given), TCP to a listener of the namespace through passt, TCP from the
    namespace to the guest through the portForward'ed port; passt runs as
    QEMU's user with libvirt's arguments; kept (same pid) across a daemon
    restart and still forwarding; a hotplugged passt interface gets its
    own passt, ended by its unplug; every passt gone with the guest."""
    if not NET_GUEST:
        raise Skip("no net test guest (scripts/build-test-guest.sh)")
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon()
    os.chmod(d.root, 0o755)
    d.start()
    uri = d.uri()
    listener = Listener(6001)
    log = os.path.join(d.root, "pg.log")
    try:
        path = os.path.join(d.root, "pg.xml")
        with open(path, "w") as f:
            f.write(GUEST_XML % {"name": "pg", "guest": NET_GUEST, "iface": IFACE, "log": log,
                                 "args": "virtkit.nclisten=5001 "
                                         "virtkit.ncsend=10.77.0.1:6001:100000"})
        virsh(uri, "define", path)
        virsh(uri, "start", "pg")
        pid = passt_pid(d, "pg", "net0")
        assert pid and pid_alive(pid), pid
        argv = proc_cmdline(pid).decode().split("\0")[:-1]
        sock = [p for p in glob.glob(os.path.join(d.dirs["state"], "qemu", "domain-*-pg",
                                                  "passt-net0.socket"))]
        assert len(sock) == 1, sock
        assert argv[1:] == [
            "--one-off", "--socket", sock[0], "--mac-addr", "52:54:00:77:00:09", "--pid",
            sock[0][:-len(".socket")] + ".pid", "--interface", "vkp0", "--address",
            "10.77.0.9", "--netmask", "24", "--tcp-ports", "5001", "--udp-ports",
            "10.77.0.2%vkp0/7000-7010:8000-8010,~7005"], argv
        qemu = [p for p in os.listdir("/proc") if p.isdigit() and
                proc_cmdline(p).startswith(b"/usr/bin/qemu-system-x86_64") and
                b"guest=pg" in proc_cmdline(p) and d.root.encode() in proc_cmdline(p)]
        assert len(qemu) == 1, qemu
        assert os.stat("/proc/%d" % pid).st_uid == os.stat("/proc/%s" % qemu[0]).st_uid
        qargv = proc_cmdline(qemu[0]).decode().split("\0")
        assert '{"type":"stream","addr":{"type":"unix","path":"%s"},"server":false,' \
            '"id":"hostnet0"}' % sock[0] in qargv, qargv
        with open(os.path.join(d.dirs["log"], "qemu", "pg.log")
                  if os.path.isdir(os.path.join(d.dirs["log"], "qemu"))
                  else os.path.join(d.dirs["log"], "pg.log")) as f:
            assert "passt: /usr/bin/passt --one-off --socket " + sock[0] in f.read()

        # DHCP from passt: the address of <ip>
        wait_guest(lambda: console_lines(log, "GUEST-IP") or
                   console_lines(log, "GUEST-DHCP-FAILED"), "GUEST-IP", 180, uri, "pg",
                   log, d, cpu_budget=20)
        assert console_lines(log, "GUEST-IP") == ["10.77.0.9"], open(log).read()
        # the guest to the namespace's listener (the gateway is the host)
        wait_guest(lambda: 100000 in listener.counts, "100000 bytes from the guest", 120,
                   uri, "pg", log, d, cpu_budget=20)
        # the namespace to the guest through the forwarded port
        send_forwarded(uri, "pg", log, 50000, d)

        # the daemon restarts: passt is adopted, not restarted
        assert d.stop() == 0
        assert pid_alive(pid)
        d.start()
        assert virsh(uri, "domstate", "pg").stdout.strip() == "running"
        assert passt_pid(d, "pg", "net0") == pid and pid_alive(pid)
        send_forwarded(uri, "pg", log, 50001, d)

        # a hotplugged passt interface gets a passt of its own
        hp = os.path.join(d.root, "hp.xml")
        with open(hp, "w") as f:
            f.write("<interface type='user'><mac address='52:54:00:77:00:0a'/>"
                    "<model type='virtio'/><backend type='passt'/></interface>")
        virsh(uri, "attach-device", "pg", hp, "--live")
        pid1 = passt_pid(d, "pg", "net1")
        assert pid1 and pid1 != pid and pid_alive(pid1), pid1
        live = virsh(uri, "dumpxml", "pg").stdout
        assert live.count("<backend type='passt'/>") == 2, live
        # and its passt ends with the unplug (once the guest let it go)
        virsh(uri, "detach-device-alias", "pg", "net1", "--live")
        wait_for(lambda: not pid_alive(pid1), "the unplugged interface's passt gone", 60)
        wait_for(lambda: virsh(uri, "dumpxml", "pg").stdout.count(
            "<backend type='passt'/>") == 1, "the interface gone from the live XML", 30)
        assert pid_alive(pid)
        assert not glob.glob(os.path.join(d.dirs["state"], "qemu", "domain-*-pg",
                                          "passt-net1.*"))

        virsh(uri, "destroy", "pg")
        wait_for(lambda: not pid_alive(pid), "passt gone", 15)
        assert not glob.glob(os.path.join(d.dirs["state"], "qemu", "domain-*-pg")), \
            os.listdir(os.path.join(d.dirs["state"], "qemu"))
        virsh(uri, "undefine", "pg")
    finally:
        listener.sock.close()
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
        ("passt interface XML round trip, libvirt's errors", guard(test_xml_and_errors)),
        ("a guest behind passt: DHCP, TCP both ways, restart adoption, hotplug, stop",
         guard(test_guest_through_passt)),
    ])
