#!/usr/bin/env python3
"""Screens of a running guest through virtkitd (issue 10): virDomainScreenshot with
Debian's virsh, python3-libvirt and vksh against a private daemon.

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
- virsh without --file names the file DOMAIN-DATE.png in its working directory.
"""
import glob
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

from vkdtest import (Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for, write,
                     diskless_xml, qemu_pids)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VKSH = os.environ.get("VKSH")


def guest_xml(name, guest, serial):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
    <video><model type='virtio' heads='2'/></video>
  </devices>
</domain>
""" % (name, guest, guest, serial)


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


def expect_error(fn, code, domain, message):
    try:
        fn()
    except libvirt.libvirtError as e:
        got = (e.get_error_code(), e.get_error_domain(), e.get_error_message())
        assert got == (code, domain, message), "got %r, want %r" % (got, (code, domain, message))
        return
    raise AssertionError("no error; want %r" % message)


def leftovers(root):
    return glob.glob(os.path.join(root, "**", "qemu.screendump.*"), recursive=True)


def qemu_fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def test_screenshot():
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
    expect_error(lambda: shot(conn, dom, 0), libvirt.VIR_ERR_OPERATION_INVALID,
                 libvirt.VIR_FROM_DOMAIN, "Requested operation is not valid: domain is not running")
    virsh(uri, "start", "shot")
    virsh(uri, "start", "novid")
    pids = qemu_pids(d.root)
    assert len(pids) == 2, pids
    qpid = [p for p in pids if "guest=shot" in open("/proc/%d/cmdline" % p).read()
            .replace("\0", " ")][0]
    # the guest's console is up once its kernel printed on the serial port
    wait_for(lambda: os.path.exists(os.path.join(d.root, "shot.log")) and
             os.path.getsize(os.path.join(d.root, "shot.log")) > 0, "the guest's serial", 60)

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
    expect_error(lambda: shot(conn, dom, 3), libvirt.VIR_ERR_OPERATION_INVALID,
                 libvirt.VIR_FROM_QEMU, "Requested operation is not valid: no such screen ID")
    expect_error(lambda: shot(conn, dom, 0, 1), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_QEMU,
                 "unsupported flags (0x1) in function qemuDomainScreenshot")
    expect_error(lambda: shot(conn, conn.lookupByName("novid"), 0),
                 libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_QEMU,
                 "Requested operation is not valid: no screens to take screenshot from")
    ro = libvirt.openReadOnly("qemu+unix:///system?socket=" + d.sock_ro)
    expect_error(lambda: shot(ro, ro.lookupByName("shot"), 0),
                 libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_FROM_DOMAIN,
                 "operation forbidden: read only access prevents virDomainScreenshot")
    other = libvirt.open(uri)
    expect_error(lambda: dom.screenshot(other.newStream(0), 0, 0),
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

    virsh(uri, "destroy", "novid")
    expect_error(lambda: shot(conn, conn.lookupByName("novid"), 0),
                 libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_DOMAIN,
                 "Requested operation is not valid: domain is not running")
    assert not leftovers(d.root), leftovers(d.root)
    other.close()
    ro.close()
    conn.close()
    virsh(uri, "destroy", "shot")
    d.stop()


if __name__ == "__main__":
    run_tests([
        ("screenshot: every screen a valid PNG of QEMU's size; libvirt's errors; "
         "virsh, python3-libvirt and vksh", test_screenshot),
    ])
