#!/usr/bin/env python3
"""Serial host sides of type unix and udp, and parallel ports, through virtkitd (issue 10).

The test guest boots with its console (ttyS0) on:
- a unix socket in bind mode: the daemon listens at the path before QEMU
  starts (QEMU gets the descriptor, as libvirt passes it); the test connects
  and reads the guest's boot output up to GUEST-READY; the live XML keeps the
  source as defined;
- udp: QEMU sends the console to a UDP socket of the test's (connect mode,
  the port the kernel gave the test) and the test receives GUEST-READY.
Each console also has a <log> in a directory only root may enter (QEMU
runs as its own user: the daemon opens the files for it, as libvirt's
virtlogd): with append='off' (unix) the file held only this boot's output,
with append='on' (udp) the earlier content stays before it. A second
serial of type 'file' is truncated at start without append, kept with
append='on'.

Parallel ports (<parallel>, QEMU's isa-parallel), on a guest started
paused (the test guest's Debian cloud kernel has no parport driver,
CONFIG_PARPORT is not set, so only QEMU's side is checked): defined with
Debian's virsh and read back as libvirtd writes them (ports assigned); at
start each is QEMU's isa-parallel parallelN on chardev charparallelN, in
order (qom-get index); the pty one's path in the live XML is the one QEMU
reports (query-chardev), and libvirt's virDomainOpenConsole opens it by
its alias; the unix one in bind mode listens at its path (the test
connects; QEMU's peer on the other side) and the file one exists.

qemu-vdagent channels (QEMU's own SPICE agent), on a guest started paused:
defined with virsh and read back with their <source><clipboard><mouse>;
QEMU has each chardev as a qemu-vdagent one (query-chardev) behind the
virtserialport of the XML's name (qom-get), and the live XML gives them
libvirt's aliases. (What the guest's spice-vdagent would see is not
checked: the test guest has none.)
"""
import json
import os
import re
import select
import socket
import sys
import time

from vkdtest import Daemon, Skip, qemu_pids, run_tests, test_guest_dir, virsh, wait_for, write

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

BOOT_DEADLINE = 600.0


def guest_xml(name, guest, serial):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    %s
  </devices>
</domain>
""" % (name, guest, guest, serial)


def read_until(sock, marker, recv):
    """Bytes from @sock (read by @recv) until @marker is among them or the
    deadline passes; all of them returned."""
    got = b""
    end = time.monotonic() + BOOT_DEADLINE
    while marker not in got and time.monotonic() < end:
        r, _, _ = select.select([sock], [], [], 1.0)
        if r:
            data = recv(sock)
            if not data and sock.type == socket.SOCK_STREAM:
                break
            got += data
    return got


def private_dir(d):
    """A directory under @d's root only root may enter, with a log and a
    serial file already holding a line each."""
    logs = os.path.join(d.root, "logs")
    os.mkdir(logs, 0o700)
    for f in ("console.log", "ttyS1.out"):
        write(os.path.join(logs, f), "EARLIER-CONTENT\n")
    return logs


def assert_qemu_not_root(d):
    """QEMU runs as its own user: the root-only log directory is out of its
    reach, so only the daemon can have opened the files there."""
    pids = qemu_pids(d.root)
    assert len(pids) == 1, pids
    with open("/proc/%d/status" % pids[0]) as f:
        uid = [l.split()[1] for l in f if l.startswith("Uid:")][0]
    assert uid != "0", uid


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def guest_or_skip():
    g = test_guest_dir()
    if not g:
        raise Skip("test guest not available")
    return g


def test_unix_bind():
    guest = guest_or_skip()
    d = Daemon().start()
    uri = d.uri()
    path = os.path.join(d.root, "ser,ial.sock")
    logs = private_dir(d)
    log = os.path.join(logs, "console.log")
    out = os.path.join(logs, "ttyS1.out")
    serial = ("<serial type='unix'><source mode='bind' path='%s'/>"
              "<log file='%s' append='off'/><target port='0'/></serial>"
              "<serial type='file'><source path='%s'/><target port='1'/></serial>"
              % (path, log, out))
    virsh(uri, "define", write(os.path.join(d.root, "u.xml"), guest_xml("chru", guest, serial)))
    virsh(uri, "start", "chru")
    live = virsh(uri, "dumpxml", "chru").stdout
    assert re.search(r"<serial type='unix'>\s*<source mode='bind' path='%s'/>"
                     % re.escape(path), live), live
    wait_for(lambda: os.path.exists(path), "the serial socket")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    got = read_until(s, b"GUEST-READY", lambda k: k.recv(65536))
    s.close()
    assert b"GUEST-READY" in got, got[-2000:]
    # the log holds this boot's output, the earlier content truncated
    wait_for(lambda: b"GUEST-READY" in read_file(log), "GUEST-READY in the console's log")
    text = read_file(log)
    assert b"EARLIER-CONTENT" not in text and b"Linux version" in text, text[:2000]
    assert read_file(out) == b"", read_file(out)
    assert os.stat(log).st_uid == 0 and os.stat(out).st_uid == 0
    assert_qemu_not_root(d)
    live = virsh(uri, "dumpxml", "chru").stdout
    assert "<log file='%s' append='off'/>" % log in live, live
    virsh(uri, "destroy", "chru")
    d.stop()


def test_udp_connect():
    guest = guest_or_skip()
    d = Daemon().start()
    uri = d.uri()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    port = u.getsockname()[1]
    logs = private_dir(d)
    log = os.path.join(logs, "console.log")
    out = os.path.join(logs, "ttyS1.out")
    serial = ("<serial type='udp'><source mode='connect' host='127.0.0.1' service='%d'/>"
              "<log file='%s' append='on'/><target port='0'/></serial>"
              "<serial type='file'><source path='%s' append='on'/><target port='1'/></serial>"
              % (port, log, out))
    virsh(uri, "define", write(os.path.join(d.root, "d.xml"), guest_xml("chrd", guest, serial)))
    x = virsh(uri, "dumpxml", "--inactive", "chrd").stdout
    assert "<source mode='connect' host='127.0.0.1' service='%d'/>" % port in x, x
    assert "<log file='%s' append='on'/>" % log in x, x
    assert "<source path='%s' append='on'/>" % out in x, x
    virsh(uri, "start", "chrd")
    got = read_until(u, b"GUEST-READY", lambda k: k.recvfrom(65536)[0])
    u.close()
    assert b"GUEST-READY" in got, got[-2000:]
    # appended to: the earlier content first, then this boot's output
    wait_for(lambda: b"GUEST-READY" in read_file(log), "GUEST-READY in the console's log")
    assert read_file(log).startswith(b"EARLIER-CONTENT\n"), read_file(log)[:2000]
    assert read_file(out) == b"EARLIER-CONTENT\n", read_file(out)
    virsh(uri, "destroy", "chrd")
    d.stop()


PARVM = """<domain type='qemu'>
  <name>parvm</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <parallel type='pty'/>
    <parallel type='unix'><source mode='bind' path='{root}/lpt1.sock'/></parallel>
    <parallel type='file'><source path='{root}/lpt2.log'/><target port='4'/></parallel>
  </devices>
</domain>
"""


def qmp(uri, dom, cmd, **args):
    msg = {"execute": cmd}
    if args:
        msg["arguments"] = args
    return json.loads(virsh(uri, "qemu-monitor-command", dom, json.dumps(msg)).stdout)["return"]


def test_parallel_ports():
    d = Daemon()
    os.chmod(d.root, 0o755)
    d.start()
    uri = d.uri()
    virsh(uri, "define", write(os.path.join(d.root, "parvm.xml"), PARVM.format(root=d.root)))
    x = virsh(uri, "dumpxml", "--inactive", "parvm").stdout
    ports = re.findall(r"<parallel type='(\w+)'>.*?<target port='(\d+)'/>", x, re.S)
    assert ports == [("pty", "0"), ("unix", "1"), ("file", "4")], x
    virsh(uri, "start", "--paused", "parvm")
    try:
        live = virsh(uri, "dumpxml", "parvm").stdout
        pty = re.search(r"<parallel type='pty'>\s*<source path='(/dev/pts/\d+)'/>\s*"
                        r"<target port='0'/>\s*<alias name='parallel0'/>", live)
        assert pty, live
        chardevs = {c["label"]: c["filename"] for c in qmp(uri, "parvm", "query-chardev")}
        assert chardevs.get("charparallel0") == "pty:" + pty.group(1), chardevs
        for i in range(3):
            path = "/machine/peripheral/parallel%d" % i
            assert qmp(uri, "parvm", "qom-get", path=path, property="chardev") == \
                "charparallel%d" % i
            assert qmp(uri, "parvm", "qom-get", path=path, property="index") == i
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(os.path.join(d.root, "lpt1.sock"))
        assert os.path.exists(os.path.join(d.root, "lpt2.log"))
        conn = libvirt.open(uri)
        st = conn.newStream(0)
        conn.lookupByName("parvm").openConsole("parallel0", st, 0)
        st.abort()
        conn.close()
    finally:
        virsh(uri, "destroy", "parvm", check=False)
    d.stop()


VDAVM = """<domain type='qemu'>
  <name>vdavm</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <channel type='qemu-vdagent'>
      <source><clipboard copypaste='yes'/><mouse mode='client'/></source>
      <target type='virtio' name='com.redhat.spice.0'/>
    </channel>
    <channel type='qemu-vdagent'>
      <target type='virtio' name='org.example.vdagent'/>
    </channel>
  </devices>
</domain>
"""


def test_qemu_vdagent():
    d = Daemon().start()
    uri = d.uri()
    virsh(uri, "define", write(os.path.join(d.root, "vdavm.xml"), VDAVM))
    x = virsh(uri, "dumpxml", "--inactive", "vdavm").stdout
    assert re.search(r"<channel type='qemu-vdagent'>\s*<source>\s*"
                     r"<clipboard copypaste='yes'/>\s*<mouse mode='client'/>\s*</source>\s*"
                     r"<target type='virtio' name='com.redhat.spice.0'/>", x), x
    virsh(uri, "start", "--paused", "vdavm")
    try:
        live = virsh(uri, "dumpxml", "vdavm").stdout
        assert re.search(r"name='com.redhat.spice.0'/>\s*<alias name='channel0'/>", live), live
        chardevs = {c["label"]: c["filename"] for c in qmp(uri, "vdavm", "query-chardev")}
        for i, name in enumerate(("com.redhat.spice.0", "org.example.vdagent")):
            assert chardevs.get("charchannel%d" % i) == "qemu-vdagent", chardevs
            path = "/machine/peripheral/channel%d" % i
            assert qmp(uri, "vdavm", "qom-get", path=path, property="name") == name
            assert qmp(uri, "vdavm", "qom-get", path=path, property="chardev") == \
                "charchannel%d" % i
    finally:
        virsh(uri, "destroy", "vdavm", check=False)
    d.stop()


if __name__ == "__main__":
    run_tests([
        ("a unix serial in bind mode: the guest's boot output read from the socket",
         test_unix_bind),
        ("a udp serial: the guest's console received on the test's UDP socket",
         test_udp_connect),
        ("parallel ports: isa-parallel in QEMU, a pty's path, a unix one listening, a file",
         test_parallel_ports),
        ("qemu-vdagent channels: QEMU's chardevs behind the named virtio ports",
         test_qemu_vdagent),
    ])
