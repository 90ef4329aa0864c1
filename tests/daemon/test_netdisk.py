#!/usr/bin/env python3
"""Network disks on a real guest (issue 10): one TCG test guest whose vda is
an NBD export served by qemu-nbd (started and stopped here by pid) and whose
SATA cdrom is an http URL served by a small range-capable HTTP server in this
process, which wants a user, a password (a private secret of the daemon's
secret driver) and cookies. The guest writes its pattern through NBD into
qemu-nbd's image and reads the disk at boot (its read statistics); QEMU
reads a block of the http file through curl (a range request for it, with
the credentials and cookies, reaches the server) while neither is on its
command line (they reach it encrypted under a master key whose file is
removed once QEMU is up); an http disk is hotplugged and unplugged; its
floppy (an isa-fdc on q35) changes its medium; Debian's
virsh defines and starts it, python3-libvirt reads the definition back; a
protocol this QEMU lacks (vxhs) fails at start with libvirt's error and
leaves the domain shut off."""
import base64
import http.server
import glob
import json
import os
import re
import socket
import subprocess
import threading

import libvirt
from vkdtest import (Daemon, Skip, guest_report, kill_pid, pid_alive, qemu_pids, run_tests,
                     test_guest_dir, virsh, wait_for, write)

libvirt.registerErrorHandler(lambda ctx, err: None, None)

HTTP_MARK = b"VIRTKIT-HTTP-CDROM-BLOCK"
PATTERN = b"VIRTKIT-TEST-PATTERN\n"
# the http cdrom's user and password (a private secret of the daemon's
# secret driver) and cookies: QEMU gets them encrypted under the domain's
# master key, never on its command line in clear
HTTP_USER = "vkuser"
HTTP_PASS = "s3cret-Passw0rd"
AUTH_HEADER = "Basic " + base64.b64encode(("%s:%s" % (HTTP_USER, HTTP_PASS)).encode()).decode()
COOKIES = "sid=abc123; lang=en"


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


class RangeHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD of one file with byte ranges (QEMU's curl driver needs them)."""
    path_served = None
    requests = []
    headers = []

    def log_message(self, *args):
        pass

    def _send(self, body):
        data = open(self.path_served, "rb").read()
        rng = self.headers.get("Range")
        RangeHandler.requests.append((self.command, self.path, rng))
        RangeHandler.headers.append((self.headers.get("Authorization"),
                                     self.headers.get("Cookie")))
        if self.path not in ("/cd.iso", "/pub.iso"):
            self.send_error(404)
            return
        if self.path == "/cd.iso" and self.headers.get("Authorization") != AUTH_HEADER:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="cd"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start, end = 0, len(data) - 1
        if rng and rng.startswith("bytes="):
            a, _, b = rng[6:].partition("-")
            start = int(a)
            end = min(int(b) if b else end, end)
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, len(data)))
        else:
            self.send_response(200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        if body:
            self.wfile.write(data[start:end + 1])

    def do_HEAD(self):
        self._send(False)

    def do_GET(self):
        self._send(True)


def guest_xml(name, guest, serial, nbd_port, http_port, floppy):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.writedisk=1</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='network' device='disk'>
      <driver name='qemu' type='raw' cache='none'/>
      <source protocol='nbd' name='exp'><host name='127.0.0.1' port='%d'/></source>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='network' device='cdrom'>
      <source protocol='http' name='/cd.iso'><host name='127.0.0.1' port='%d'/>
        <cookies><cookie name='sid'>abc123</cookie><cookie name='lang'>en</cookie></cookies>
        <timeout seconds='30'/>
        <auth username='%s'><secret type='iscsi' usage='vk-cdrom'/></auth></source>
      <target dev='sda' bus='sata'/>
    </disk>
    <disk type='file' device='floppy'><source file='%s'/><target dev='fda'/></disk>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, nbd_port, http_port, HTTP_USER, floppy, serial)


def qemu_io(uri, name, node, cmd):
    """HMP qemu-io on the block node @node: what QEMU reads there."""
    return virsh(uri, "qemu-monitor-command", "--hmp", name,
                 'qemu-io %s "%s"' % (node, cmd)).stdout


def test_nbd_and_http_guest():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available")
    d = Daemon().start()
    uri = d.uri()
    # QEMU's user reaches the domain's directory (its master key) below the
    # daemon's root, as below /var/lib on a real install
    os.chmod(d.root, 0o711)
    img = os.path.join(d.root, "nbd.img")
    iso = os.path.join(d.root, "cd.iso")
    with open(img, "wb") as f:
        f.truncate(16 << 20)
    with open(iso, "wb") as f:
        f.write(b"\0" * (1 << 20))
        f.write(HTTP_MARK)
        f.write(b"\0" * ((1 << 20) - len(HTTP_MARK)))
    nbd_port, http_port = free_port(), free_port()
    nbd = subprocess.Popen(["qemu-nbd", "-f", "raw", "-x", "exp", "-b", "127.0.0.1",
                            "-p", str(nbd_port), "-t", img],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    RangeHandler.path_served = iso
    RangeHandler.requests = []
    RangeHandler.headers = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", http_port), RangeHandler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    serial = os.path.join(d.root, "nd.serial")
    try:
        wait_for(lambda: listening(nbd_port) or nbd.poll() is not None,
                 "qemu-nbd listening on %d" % nbd_port, 30)
        assert nbd.poll() is None, nbd.stderr.read()
        suuid = "6dd3e4a5-1d76-44ce-961f-f119f5aad4fa"
        sx = write(os.path.join(d.root, "sec.xml"),
                   "<secret ephemeral='no' private='yes'><uuid>%s</uuid><usage type='iscsi'>"
                   "<target>vk-cdrom</target></usage></secret>" % suuid)
        virsh(uri, "secret-define", sx)
        virsh(uri, "secret-set-value", suuid, "--base64",
              base64.b64encode(HTTP_PASS.encode()).decode())
        fd1, fd2 = os.path.join(d.root, "fd1.img"), os.path.join(d.root, "fd2.img")
        for p in (fd1, fd2):
            with open(p, "wb") as fh:
                fh.truncate(1474560)
        f = write(os.path.join(d.root, "nd.xml"), guest_xml("nd", guest, serial, nbd_port,
                                                               http_port, fd1))
        virsh(uri, "define", f)
        virsh(uri, "start", "nd")
        # the password is nowhere on QEMU's command line; the key file is gone
        pid = [p for p in qemu_pids(d.root)][0]
        with open("/proc/%d/cmdline" % pid, "rb") as fh:
            cmdline = fh.read()
        assert HTTP_PASS.encode() not in cmdline and b"abc123" not in cmdline, cmdline
        assert b"masterKey0" in cmdline and b"password-secret" in cmdline, cmdline
        assert not glob.glob(os.path.join(d.root, "**", "master-key.aes"), recursive=True)
        try:
            wait_for(lambda: os.path.exists(serial) and
                     "GUEST-DISK-WRITTEN" in open(serial, errors="replace").read(),
                     "GUEST-DISK-WRITTEN on the console", 120)
        except AssertionError:
            raise AssertionError(guest_report(uri, "nd", serial, d))
        # the guest's writes went through NBD into qemu-nbd's image
        with open(img, "rb") as f:
            head = f.read(len(PATTERN) * 4)
        assert head == PATTERN * 4, head
        # the guest read through NBD too (its kernel reads the disk at boot)
        stats = virsh(uri, "domblkstat", "nd", "vda").stdout
        rd = [int(l.split()[-1]) for l in stats.splitlines() if " rd_bytes " in l]
        assert rd and rd[0] > 0, stats
        # QEMU reads a block of the http file through curl: a range request
        # for that offset reaches the server (qemu-io prints to QEMU's stdout)
        before = len(RangeHandler.requests)
        qemu_io(uri, "nd", "libvirt-2-format", "read %d %d" % (1 << 20, len(HTTP_MARK)))

        def ranged(req):
            m, _, r = req
            if m != "GET" or not r or not r.startswith("bytes="):
                return False
            a, _, b = r[6:].partition("-")
            return int(a) <= (1 << 20) and (not b or int(b) >= (1 << 20))

        wait_for(lambda: any(ranged(q) for q in RangeHandler.requests[before:]),
                 "a range GET of offset 1 MiB", 30)
        # ... with the user, password and cookies the definition names
        assert (AUTH_HEADER, COOKIES) in RangeHandler.headers, RangeHandler.headers
        # QEMU's block nodes are the ones the definition names
        nodes = json.loads(virsh(uri, "qemu-monitor-command", "nd",
                                 '{"execute":"query-named-block-nodes"}').stdout)["return"]
        drivers = {n["drv"]: n["file"] for n in nodes}
        assert "nbd" in drivers and "127.0.0.1:%d" % nbd_port in drivers["nbd"], drivers
        assert '"url": "http://127.0.0.1:%d/cd.iso"' % http_port in drivers.get("http", ""), \
            drivers
        assert HTTP_PASS not in drivers["http"], drivers
        # virsh and python3-libvirt read the network sources back
        blk = virsh(uri, "domblklist", "nd").stdout
        assert "vda" in blk and "exp" in blk and "/cd.iso" in blk, blk
        conn = libvirt.open(uri)
        try:
            xml = conn.lookupByName("nd").XMLDesc(0)
        finally:
            conn.close()
        # the live XML numbers each source as libvirtd's does (index='N')
        assert re.search(r"<source protocol='nbd' name='exp'( index='\d+')?>", xml), xml
        assert "<host name='127.0.0.1' port='%d'/>" % nbd_port in xml, xml
        assert "<timeout seconds='30'/>" in xml, xml
        # a network disk hotplugged and unplugged: its node comes and goes
        px = write(os.path.join(d.root, "pub.xml"),
                   "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
                   "<source protocol='http' name='/pub.iso'><host name='127.0.0.1' port='%d'/>"
                   "</source><target dev='vdb' bus='virtio'/><readonly/></disk>" % http_port)
        virsh(uri, "attach-device", "nd", px, "--live")

        def http_nodes():
            nodes = json.loads(virsh(uri, "qemu-monitor-command", "nd",
                                     '{"execute":"query-named-block-nodes"}').stdout)["return"]
            return [n["file"] for n in nodes if n["drv"] == "http"]

        assert any("/pub.iso" in f for f in http_nodes()), http_nodes()
        assert re.search(r"<source protocol='http' name='/pub.iso'( index='\d+')?>",
                         virsh(uri, "dumpxml", "nd").stdout)
        virsh(uri, "detach-device", "nd", px, "--live")
        wait_for(lambda: not any("/pub.iso" in f for f in http_nodes()),
                 "the hotplugged http node removed", 60)
        # the floppy (an isa-fdc on q35) changes its medium
        virsh(uri, "change-media", "nd", "fda", fd2, "--update", "--live")
        blk = json.loads(virsh(uri, "qemu-monitor-command", "nd",
                               '{"execute":"query-block"}').stdout)["return"]
        fdc = [b for b in blk if b.get("qdev", "").endswith("fdc0-0-0")]
        assert fdc and fdc[0]["inserted"]["image"]["filename"] == fd2, blk
        # a floppy is no hotplug device (libvirt's answer), nothing changes
        fx = write(os.path.join(d.root, "fd.xml"),
                   "<disk type='file' device='floppy'><source file='%s'/>"
                   "<target dev='fdb'/></disk>" % iso)
        r = virsh(uri, "attach-device", "nd", fx, "--live", check=False)
        assert r.returncode == 1 and \
            "cdrom/floppy device hotplug isn't supported" in r.stderr, r.stderr
        assert "fdb" not in virsh(uri, "domblklist", "nd").stdout
        virsh(uri, "destroy", "nd")
    finally:
        srv.shutdown()
        srv.server_close()
        if pid_alive(nbd.pid):
            kill_pid(nbd.pid)
        nbd.wait(timeout=30)
        if nbd.stderr:
            nbd.stderr.close()
    d.stop()


def test_protocol_qemu_lacks():
    d = Daemon().start()
    conn = libvirt.open(d.uri())
    try:
        dom = conn.defineXML("""<domain type='qemu'><name>vx</name>
  <memory unit='MiB'>64</memory><os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices><disk type='network' device='disk'>
    <source protocol='vxhs' name='eb90327c-8302-4725-9e1b-4e85ed4dc251'>
      <host name='127.0.0.1'/></source><target dev='vda' bus='virtio'/></disk></devices>
</domain>""")
        try:
            dom.create()
            raise AssertionError("a vxhs disk started")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_CONFIG_UNSUPPORTED, str(e)
            assert "VxHS protocol is not supported with this QEMU binary" in str(e), str(e)
        assert dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        # the definition is unchanged, port default filled in as libvirt does
        assert "<host name='127.0.0.1' port='9999'/>" in dom.XMLDesc(0)
        dom.undefine()
    finally:
        conn.close()
    d.stop()


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("1..0 # SKIP system mode needs root")
        raise SystemExit(0)
    run_tests([
        ("a guest on an NBD disk (qemu-nbd) and an http cdrom: writes and reads go over "
         "the network", test_nbd_and_http_guest),
        ("a protocol this QEMU lacks fails at start with libvirt's error, nothing changes",
         test_protocol_qemu_lacks),
    ])
