#!/usr/bin/env python3
"""Screens of a running guest through virtkitd (issue 10): virDomainScreenshot with
Debian's virsh, python3-libvirt and vksh, and virDomainOpenGraphics(FD) with
python3-libvirt and libvirtkit, against a private daemon.

One booting test guest with VNC and two video devices (a VGA, then a virtio GPU with
two heads: screens 0, 1 and 2), and one diskless guest without video. Checked:
- each screen arrives as a valid PNG (chunk CRCs, IHDR, the inflated pixel data of the
  size IHDR announces) whose size is the one QEMU itself gives for that console and
  head (a PPM screendump asked directly over QMP);
- libvirt's errors, codes and domains: a screen past the last head, a guest without
  video, a stopped guest, unknown flags, a read-only connection, a stream of another
  connection; and none of them leaves anything behind;
- the temporary file is gone once the image is sent (nothing left in the daemon's
  directories), and QEMU holds no extra descriptor afterwards;
- virsh without --file names the file DOMAIN-DATE.png in its working directory;
- openGraphicsFD / openGraphics: QEMU's VNC server greets (RFB 003.008) on the
  descriptor the daemon passes back (or on the caller's own socket), asks for
  the definition's password (a DES handshake with it succeeds, with another
  fails) and for none with SKIPAUTH; libvirt's errors; NO_SUPPORT from the
  test driver;
- VNC as libvirt 9.0 runs it: the port and websocket port chosen at start (QEMU
  listens on both), the default <audio id='1' type='none'/>, the password only
  in the secure XML, virsh domdisplay --include-password.
"""
import glob
import json
import os
import re
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from vkdtest import expect_error_exact
from vkdtest import (Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for, write,
                     diskless_xml, qemu_pids)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VKSH = os.environ.get("VKSH")
PASSWD = "s3cret"


def guest_xml(name, guest, serial):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1' passwd='%s' websocket='-1'/>
    <video><model type='vga'/></video>
    <video><model type='virtio' heads='2'/></video>
  </devices>
</domain>
""" % (name, guest, guest, serial, PASSWD)


def png_size(data):
    """(width, height) of a PNG after checking it whole; AssertionError if not valid."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature: %r" % data[:16]
    pos, idat, ihdr, end = 8, b"", None, False
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(kind + body) & 0xffffffff == crc, "bad CRC in %r" % kind
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            end = True
            pos += 12 + n
            break
        pos += 12 + n
    assert ihdr and end and pos == len(data), "PNG without IHDR/IEND or with trailing bytes"
    w, h, depth, ctype = ihdr[:4]
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    assert len(raw) == h * (1 + (w * channels * depth + 7) // 8), \
        "pixel data of %d bytes for %dx%d" % (len(raw), w, h)
    return w, h


def qemu_ppm_size(uri, name, path, device=None, head=None):
    """The console's size as QEMU gives it: a PPM screendump over QMP."""
    args = {"filename": path}
    if device:
        args.update(device=device, head=head)
    virsh(uri, "qemu-monitor-command", name,
          json.dumps({"execute": "screendump", "arguments": args}))
    with open(path, "rb") as f:
        head_bytes = f.read(64)
    os.unlink(path)
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", head_bytes)
    assert m, "not a PPM: %r" % head_bytes
    return int(m.group(1)), int(m.group(2))


def shot(conn, dom, screen, flags=0):
    st = conn.newStream(0)
    mime = dom.screenshot(st, screen, flags)
    data = bytearray()
    st.recvAll(lambda s, b, o: data.extend(b), None)
    st.finish()
    return mime, bytes(data)


def leftovers(root):
    return glob.glob(os.path.join(root, "**", "qemu.screendump.*"), recursive=True)


def qemu_fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


_env = {}


def env():
    """One daemon with the guests 'shot' (running, VNC, two video devices)
    and 'novid' (running, no graphics or video), shared by the tests."""
    if _env:
        return _env["d"], _env["uri"]
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri("qemu")
    virsh(uri, "define", write(os.path.join(d.root, "shot.xml"),
                               guest_xml("shot", guest, os.path.join(d.root, "shot.log"))))
    virsh(uri, "define", write(os.path.join(d.root, "novid.xml"), diskless_xml("novid")))
    conn = libvirt.open(uri)
    dom = conn.lookupByName("shot")
    # stopped: libvirt's check comes first
    expect_error_exact(lambda: shot(conn, dom, 0), libvirt.VIR_ERR_OPERATION_INVALID,
                 libvirt.VIR_FROM_DOMAIN, "Requested operation is not valid: domain is not running")
    expect_error_exact(lambda: dom.openGraphicsFD(0, 0), libvirt.VIR_ERR_OPERATION_INVALID,
                 libvirt.VIR_FROM_DOMAIN, "Requested operation is not valid: domain is not running")
    conn.close()
    virsh(uri, "start", "shot")
    virsh(uri, "start", "novid")
    # the guest's console is up once its kernel printed on the serial port
    wait_for(lambda: os.path.exists(os.path.join(d.root, "shot.log")) and
             os.path.getsize(os.path.join(d.root, "shot.log")) > 0, "the guest's serial", 60)
    _env.update(d=d, uri=uri)
    return d, uri


def test_screenshot():
    d, uri = env()
    conn = libvirt.open(uri)
    dom = conn.lookupByName("shot")
    pids = qemu_pids(d.root)
    assert len(pids) == 2, pids
    qpid = [p for p in pids if "guest=shot" in open("/proc/%d/cmdline" % p).read()
            .replace("\0", " ")][0]
    # python3-libvirt: each screen is a whole PNG of the size QEMU gives it
    # (QEMU runs as the daemon's QEMU user: a directory it may write to)
    qdir = tempfile.mkdtemp(dir=d.root)
    os.chmod(d.root, 0o755)
    os.chmod(qdir, 0o777)
    want = [qemu_ppm_size(uri, "shot", os.path.join(qdir, "q0.ppm")),
            qemu_ppm_size(uri, "shot", os.path.join(qdir, "q1.ppm"), "video1", 0),
            qemu_ppm_size(uri, "shot", os.path.join(qdir, "q2.ppm"), "video1", 1)]
    fds = qemu_fd_count(qpid)
    for screen in range(3):
        mime, data = shot(conn, dom, screen)
        assert mime == "image/png", mime
        size = png_size(data)
        assert size == want[screen], "screen %d: %r, QEMU says %r" % (screen, size, want[screen])
    assert qemu_fd_count(qpid) == fds, "QEMU kept descriptors: %d -> %d" % (
        fds, qemu_fd_count(qpid))
    assert not leftovers(d.root), leftovers(d.root)

    # libvirt's errors (recorded against libvirtd 9.0 with QEMU 7.2)
    expect_error_exact(lambda: shot(conn, dom, 3), libvirt.VIR_ERR_OPERATION_INVALID,
                 libvirt.VIR_FROM_QEMU, "Requested operation is not valid: no such screen ID")
    expect_error_exact(lambda: shot(conn, dom, 0, 1), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_QEMU,
                 "unsupported flags (0x1) in function qemuDomainScreenshot")
    expect_error_exact(lambda: shot(conn, conn.lookupByName("novid"), 0),
                 libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_QEMU,
                 "Requested operation is not valid: no screens to take screenshot from")
    ro = libvirt.openReadOnly("qemu+unix:///system?socket=" + d.sock_ro)
    expect_error_exact(lambda: shot(ro, ro.lookupByName("shot"), 0),
                 libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_FROM_DOMAIN,
                 "operation forbidden: read only access prevents virDomainScreenshot")
    other = libvirt.open(uri)
    expect_error_exact(lambda: dom.screenshot(other.newStream(0), 0, 0),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_DOMAIN,
                 "stream must match connection of domain 'shot'")
    assert not leftovers(d.root), leftovers(d.root)

    # Debian's virsh, with and without --file
    out = os.path.join(d.root, "v.png")
    p = subprocess.run(["virsh", "-c", uri, "screenshot", "shot", "--file", out,
                        "--screen", "2"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.strip() == "Screenshot saved to %s, with type of image/png" % out, p.stdout
    with open(out, "rb") as f:
        assert png_size(f.read()) == want[2]
    work = tempfile.mkdtemp(dir=d.root)
    p = subprocess.run(["virsh", "-c", uri, "screenshot", "shot"], cwd=work,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    names = os.listdir(work)
    assert len(names) == 1 and re.fullmatch(
        r"shot-\d{4}-\d\d-\d\d-\d\d:\d\d:\d\d\.png", names[0]), names
    with open(os.path.join(work, names[0]), "rb") as f:
        assert png_size(f.read()) == want[0]
    p = virsh(uri, "screenshot", "novid", "--file", os.path.join(d.root, "n.png"), check=False)
    assert p.returncode == 1 and "no screens to take screenshot from" in p.stderr, p.stderr
    assert not os.path.exists(os.path.join(d.root, "n.png"))

    # vksh (libvirtkit's remote driver)
    if VKSH:
        out = os.path.join(d.root, "k.png")
        p = subprocess.run([VKSH, "-c", uri, "screenshot", "shot", "--file", out,
                            "--screen", "1"], capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and \
            p.stdout.strip() == "Screenshot saved to %s, with type of image/png" % out, \
            (p.returncode, p.stdout, p.stderr)
        with open(out, "rb") as f:
            assert png_size(f.read()) == want[1]

    other.close()
    ro.close()
    conn.close()


def rfb_greeting(fd, timeout=30):
    """The first 12 bytes a VNC server sends on @fd (its RFB version)."""
    buf = b""
    deadline = time.monotonic() + timeout
    while len(buf) < 12:
        left = deadline - time.monotonic()
        assert left > 0, "no RFB greeting within %ss (got %r)" % (timeout, buf)
        r, _, _ = select.select([fd], [], [], left)
        if r:
            chunk = os.read(fd, 12 - len(buf))
            assert chunk, "EOF before the RFB greeting (got %r)" % buf
            buf += chunk
    return buf


def rfb_security_types(fd):
    """After the greeting: answer RFB 3.8, return the security types offered."""
    os.write(fd, b"RFB 003.008\n")
    n = rfb_read(fd, 1)[0]
    assert n > 0, "the server refused the connection"
    return list(rfb_read(fd, n))


def rfb_read(fd, n, timeout=30):
    buf = b""
    deadline = time.monotonic() + timeout
    while len(buf) < n:
        left = deadline - time.monotonic()
        assert left > 0, "short RFB read (got %r)" % buf
        r, _, _ = select.select([fd], [], [], left)
        if r:
            chunk = os.read(fd, n - len(buf))
            assert chunk, "EOF in RFB (got %r)" % buf
            buf += chunk
    return buf


def vnc_auth(fd, password):
    """RFB 3.8 VNC authentication (type 2): the SecurityResult word (0: ok)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    os.write(fd, b"\x02")
    challenge = rfb_read(fd, 16)
    # the key is the password's first 8 bytes, each bit-mirrored (RFB's DES)
    key = bytes(int("{:08b}".format(b)[::-1], 2) for b in password.encode()[:8].ljust(8, b"\0"))
    des = Cipher(algorithms.TripleDES(key), modes.ECB()).encryptor()
    os.write(fd, des.update(challenge) + des.finalize())
    return struct.unpack(">I", rfb_read(fd, 4))[0]


# libvirtkit.so (argv[1]) opens argv[2], takes a descriptor on argv[3]'s first
# display and prints what the server greets with, then the result of a call
# for a display that does not exist
VK_OPEN_GRAPHICS_FD = r"""
import ctypes, os, sys
vk = ctypes.CDLL(sys.argv[1])
vk.virConnectOpen.restype = ctypes.c_void_p
vk.virConnectOpen.argtypes = [ctypes.c_char_p]
vk.virDomainLookupByName.restype = ctypes.c_void_p
vk.virDomainLookupByName.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
vk.virDomainOpenGraphicsFD.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint]
quiet = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(lambda a, b: None)
vk.virSetErrorFunc.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
vk.virSetErrorFunc(None, ctypes.cast(quiet, ctypes.c_void_p))
c = vk.virConnectOpen(sys.argv[2].encode())
d = vk.virDomainLookupByName(c, sys.argv[3].encode())
fd = vk.virDomainOpenGraphicsFD(d, 0, 1)
buf = b""
while fd >= 0 and len(buf) < 12:
    chunk = os.read(fd, 12 - len(buf))
    if not chunk:
        break
    buf += chunk
sys.stdout.write(buf.decode(errors="replace"))
print(vk.virDomainOpenGraphicsFD(d, 5, 0))
"""


def test_graphics_fd():
    d, uri = env()
    conn = libvirt.open(uri)
    dom = conn.lookupByName("shot")
    # python3-libvirt: the descriptor from the daemon is a client of QEMU's
    # VNC server, which asks for the definition's password (set over QMP at
    # start), unless SKIPAUTH
    for password, result in ((PASSWD, 0), ("wrong", 1)):
        fd = dom.openGraphicsFD(0, 0)
        try:
            assert rfb_greeting(fd) == b"RFB 003.008\n"
            assert rfb_security_types(fd) == [2]   # VNC authentication only
            assert vnc_auth(fd, password) == result, "password %r" % password
        finally:
            os.close(fd)
    fd = dom.openGraphicsFD(0, libvirt.VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH)
    try:
        assert rfb_greeting(fd) == b"RFB 003.008\n"
        assert rfb_security_types(fd) == [1]   # "None"
    finally:
        os.close(fd)
    # the live XML: the ports chosen at start, the default audio backend; the
    # password only with --security-info; the inactive one keeps websocket -1
    live = dom.XMLDesc(0)
    m = re.search(r"<graphics type='vnc' port='(\d+)' autoport='yes' websocket='(\d+)' "
                  r"listen='127.0.0.1'>", live)
    assert m and "<audio id='1' type='none'/>" in live and PASSWD not in live, live
    port, wsport = int(m.group(1)), int(m.group(2))
    # from the windows of the daemon's qemu.conf (vkdtest.Daemon.start)
    dmin, dmax, wmin, wmax = d.port_windows
    assert dmin <= port <= dmax and wmin <= wsport <= wmax, (port, wsport, d.port_windows)
    assert "passwd='%s'" % PASSWD in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE)
    assert "websocket='-1'" in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    # QEMU listens on both
    for p in (port, wsport):
        s = socket.create_connection(("127.0.0.1", p), timeout=30)
        s.close()
    p = subprocess.run(["virsh", "-c", uri, "domdisplay", "--include-password", "shot"],
                       capture_output=True, text=True, timeout=120)
    assert p.stdout.strip() == "vnc://:%s@127.0.0.1:%d" % (PASSWD, port - 5900), p.stdout
    # the caller's own socket
    a, b = socket.socketpair()
    try:
        assert dom.openGraphics(0, b.fileno(), libvirt.VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH) == 0
        b.close()
        assert rfb_greeting(a.fileno()) == b"RFB 003.008\n"
        assert rfb_security_types(a.fileno()) == [1]
    finally:
        a.close()
    # libvirt's errors (recorded against libvirtd 9.0)
    expect_error_exact(lambda: dom.openGraphicsFD(1, 0), libvirt.VIR_ERR_INTERNAL_ERROR,
                 libvirt.VIR_FROM_QEMU, "internal error: No graphics backend with index 1")
    expect_error_exact(lambda: dom.openGraphicsFD(0, 2), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_QEMU,
                 "unsupported flags (0x2) in function qemuDomainOpenGraphicsFD")
    expect_error_exact(lambda: conn.lookupByName("novid").openGraphicsFD(0, 0),
                 libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_QEMU,
                 "internal error: No graphics backend with index 0")
    a, b = socket.socketpair()
    r, w = os.pipe()
    try:
        expect_error_exact(lambda: dom.openGraphics(1, b.fileno(), 0), libvirt.VIR_ERR_INTERNAL_ERROR,
                     libvirt.VIR_FROM_QEMU, "internal error: No graphics backend with index 1")
        expect_error_exact(lambda: dom.openGraphics(0, b.fileno(), 4), libvirt.VIR_ERR_INVALID_ARG,
                     libvirt.VIR_FROM_QEMU,
                     "unsupported flags (0x4) in function qemuDomainOpenGraphics")
        expect_error_exact(lambda: dom.openGraphics(0, r, 0), libvirt.VIR_ERR_INVALID_ARG,
                     libvirt.VIR_FROM_DOMAIN, "fd %d must be a socket" % r)
        ro = libvirt.openReadOnly("qemu+unix:///system?socket=" + d.sock_ro)
        expect_error_exact(lambda: ro.lookupByName("shot").openGraphicsFD(0, 0),
                     libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_FROM_DOMAIN,
                     "operation forbidden: read only access prevents virDomainOpenGraphicsFD")
        expect_error_exact(lambda: ro.lookupByName("shot").openGraphics(0, b.fileno(), 0),
                     libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_FROM_DOMAIN,
                     "operation forbidden: read only access prevents virDomainOpenGraphics")
        ro.close()
        # the test driver has neither, as libvirt's
        t = libvirt.open(d.uri("test"))
        for fn, api in ((lambda: t.lookupByName("test").openGraphicsFD(0, 0),
                         "virDomainOpenGraphicsFD"),
                        (lambda: t.lookupByName("test").openGraphics(0, b.fileno(), 0),
                         "virDomainOpenGraphics")):
            expect_error_exact(fn, libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_FROM_DOMAIN,
                         "this function is not supported by the connection driver: " + api)
        t.close()
    finally:
        for x in (a, b):
            x.close()
        os.close(r)
        os.close(w)
    # libvirtkit's own remote driver receives the descriptor too
    # libvirtkit's own remote driver receives the descriptor too (in a child
    # python: with the sanitizer build's library, its runtime preloaded)
    lib = os.environ.get("VIRTKIT_LIB")
    if lib:
        child_env = dict(os.environ)
        if os.environ.get("VKD_SANITIZED") == "1":
            rt = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True,
                                text=True).stdout.strip()
            child_env.update(LD_PRELOAD=rt, ASAN_OPTIONS="detect_leaks=0")
        p = subprocess.run(["/usr/bin/python3", "-c", VK_OPEN_GRAPHICS_FD, lib, uri, "shot"],
                           capture_output=True, text=True, timeout=120, env=child_env)
        assert p.returncode == 0 and p.stdout == "RFB 003.008\n-1\n", \
            (p.returncode, p.stdout, p.stderr)
    conn.close()


def test_stopped():
    d, uri = env()
    conn = libvirt.open(uri)
    virsh(uri, "destroy", "novid")
    expect_error_exact(lambda: shot(conn, conn.lookupByName("novid"), 0),
                 libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_DOMAIN,
                 "Requested operation is not valid: domain is not running")
    assert not leftovers(d.root), leftovers(d.root)
    conn.close()
    virsh(uri, "destroy", "shot")
    d.stop()


def test_screens():
    # one daemon and guest for every part (vkdtest cleans up after each TAP
    # test): boot once, run many cases against it
    try:
        test_screenshot()
        test_graphics_fd()
        test_stopped()
    finally:
        _env.clear()


if __name__ == "__main__":
    run_tests([
        ("screens of one running guest: screenshot (every screen a valid PNG of QEMU's "
         "size; virsh, python3-libvirt, vksh), openGraphics(FD) (a client of QEMU's VNC "
         "server through a descriptor; python3-libvirt, libvirtkit), libvirt's errors",
         test_screens),
    ])
