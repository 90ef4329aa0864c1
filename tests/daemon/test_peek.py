#!/usr/bin/env python3
"""Peeks and channel streams through virtkitd (issue 15), with python3-libvirt
(virsh has no command for them): dom.blockPeek, dom.memoryPeek and
dom.openChannel on one real TCG guest (the test guest's 'events' variant),
booted once for all three.

- blockPeek reads the raw image of a disk, by target or by path, running or
  not: the guest writes VIRTKIT-TEST-PATTERN lines at the start of vda
  (virtkit.writedisk=1), the peek reads them back and matches the file;
  libvirt 9.0's errors for a qcow2 disk, an unknown disk, a range past the
  end, a zero size, flags, the 4 MiB limit of the wire.
- memoryPeek reads guest memory through QMP memsave / pmemsave: the kernel's
  version banner ("Linux version ...", in .rodata of the vmlinuz ELF the
  guest boots through PVH, which loads it at its physical addresses and
  runs it at its linked virtual ones) read at its physical and at its
  virtual address equals the bytes in the ELF file; QEMU's refusal of an
  unmapped virtual address, libvirt's flag and state errors; no temporary
  file left behind.
- openChannel connects a stream to the guest agent channel
  (org.qemu.guest_agent.0, the guest's minimal agent virtkit.agentd=1) and
  exchanges guest-sync through it; a second stream is refused unless it
  forces (then the first one ends); a pty channel and an unknown one are
  refused with libvirt's errors.
"""
import ctypes
import glob
import json
import os
import struct
import subprocess
import sys

from vkdtest import console_text
from vkdtest import (Daemon, RawClient, Skip, make_tmpdir, parse_error, run_tests,
                     test_guest_dir, wait_for, xdr_string)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

PATTERN = b"VIRTKIT-TEST-PATTERN\n"
DISK_SIZE = 16 << 20
MAX = 4 << 20  # REMOTE_DOMAIN_{BLOCK,MEMORY}_PEEK_BUFFER_MAX


def guest_xml(name, guest, serial, vda, vdb):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet nopti virtkit.writedisk=1 virtkit.agentd=1</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='%s'/><target dev='vdb' bus='virtio'/></disk>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <channel type='pty'><target type='virtio' name='org.example.pty'/></channel>
  </devices>
</domain>
""" % (name, guest, guest, vda, vdb, serial)


def expect_error(code, text, fn, *args):
    """@fn(*args) fails with libvirt error @code whose message holds @text."""
    try:
        fn(*args)
    except libvirt.libvirtError as e:
        assert e.get_error_code() == code and text in str(e), (code, text, str(e))
        return e
    raise AssertionError("%s%r succeeded" % (fn.__name__, args))


def kernel_banner(vmlinuz):
    """(physical address, virtual address, bytes) of the kernel's version
    banner in the .rodata section of the ELF @vmlinuz."""
    with open(vmlinuz, "rb") as f:
        elf = f.read()
    assert elf[:4] == b"\x7fELF" and elf[4] == 2, elf[:8]
    phoff, shoff = struct.unpack_from("<QQ", elf, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", elf, 0x36)
    sections = [struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab = sections[shstrndx][4]

    def name(s):
        return elf[strtab + s[0]:elf.index(b"\0", strtab + s[0])].decode()
    [rodata] = [s for s in sections if name(s) == ".rodata"]
    start, size = rodata[4], rodata[5]
    off = elf.index(b"Linux version ", start, start + size)
    want = elf[off:elf.index(b"\0", off)][:96]
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, p_paddr, p_filesz = struct.unpack_from(
            "<IIQQQQ", elf, phoff + i * phentsize)
        if p_type == 1 and p_offset <= off < p_offset + p_filesz:
            return p_paddr + off - p_offset, p_vaddr + off - p_offset, want
    raise AssertionError("no segment holds the banner at %#x" % off)


class VkClient:
    """libvirtkit's own remote driver (ctypes over $VIRTKIT_LIB), for the
    peeks and SaveParams through virtkit's client rather than Debian's;
    None when there is no such library or it is the ASan build's (an
    uninstrumented python cannot load that)."""

    def __new__(cls, uri):
        lib = os.environ.get("VIRTKIT_LIB")
        if not lib or not os.path.exists(lib) or os.environ.get("VKD_SANITIZED") == "1":
            return None
        return super().__new__(cls)

    def __init__(self, uri):
        c = ctypes
        self.lib = lib = c.CDLL(os.environ["VIRTKIT_LIB"])
        lib.virConnectOpen.restype = c.c_void_p
        lib.virConnectOpen.argtypes = [c.c_char_p]
        lib.virDomainLookupByName.restype = c.c_void_p
        lib.virDomainLookupByName.argtypes = [c.c_void_p, c.c_char_p]
        lib.virDomainBlockPeek.argtypes = [c.c_void_p, c.c_char_p, c.c_ulonglong, c.c_size_t,
                                           c.c_void_p, c.c_uint]
        lib.virDomainMemoryPeek.argtypes = [c.c_void_p, c.c_ulonglong, c.c_size_t,
                                            c.c_void_p, c.c_uint]
        lib.virDomainSaveParams.argtypes = [c.c_void_p, c.c_void_p, c.c_int, c.c_uint]
        lib.virGetLastError.restype = c.POINTER(c.c_int * 2)  # code, domain first
        lib.virDomainFree.argtypes = [c.c_void_p]
        lib.virConnectClose.argtypes = [c.c_void_p]
        self.conn = lib.virConnectOpen(uri.encode())
        assert self.conn, "libvirtkit cannot open %s" % uri

    def error(self):
        e = self.lib.virGetLastError()
        return (e.contents[0], e.contents[1]) if e else None

    def call(self, name, fn, *args):
        """fn(dom, *args) on domain @name: (rc, error or None)."""
        dom = self.lib.virDomainLookupByName(self.conn, name.encode())
        assert dom, self.error()
        rc = fn(dom, *args)
        err = self.error() if rc < 0 else None
        self.lib.virDomainFree(dom)
        return rc, err

    def block_peek(self, name, disk, offset, size):
        buf = ctypes.create_string_buffer(size)
        rc, err = self.call(name, self.lib.virDomainBlockPeek, disk.encode(), offset, size,
                            buf, 0)
        return buf.raw if rc == 0 else err

    def memory_peek(self, name, start, size, flags):
        buf = ctypes.create_string_buffer(size)
        rc, err = self.call(name, self.lib.virDomainMemoryPeek, start, size, buf, flags)
        return buf.raw if rc == 0 else err

    def save_params_file(self, name, path):
        """virDomainSaveParams with VIR_DOMAIN_SAVE_PARAM_FILE = @path."""
        class Param(ctypes.Structure):
            _fields_ = [("field", ctypes.c_char * 80), ("type", ctypes.c_int),
                        ("s", ctypes.c_char_p)]
        p = Param(b"file", libvirt.VIR_TYPED_PARAM_STRING, path.encode())
        return self.call(name, self.lib.virDomainSaveParams, ctypes.byref(p), 1, 0)

    def close(self):
        self.lib.virConnectClose(self.conn)


def boot(work, name):
    guest = test_guest_dir("events")
    if not guest:
        raise Skip("events test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri("qemu")
    os.chmod(work, 0o755)  # QEMU runs as the qemu user
    vda = os.path.join(work, "vda.img")
    with open(vda, "wb") as f:
        f.truncate(DISK_SIZE)
    vdb = os.path.join(work, "vdb.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", vdb, "16M"], check=True)
    serial = os.path.join(work, name + ".log")
    conn = libvirt.open(uri)
    dom = conn.defineXML(guest_xml(name, guest, serial, vda, vdb))
    return guest, d, conn, dom, vda, vdb, serial


def test_peeks_and_channel():
    """One guest for the peeks and the channel: they only read its disk and
    memory and talk to its agent, so neither needs a guest of its own (two
    boots before: one guest boot is ~2-5 CPU s under TCG)."""
    work = make_tmpdir()
    guest, d, conn, dom, vda, vdb, serial = boot(work, "pk")

    # a defined guest's disk can be read (libvirt needs no running domain)
    assert dom.blockPeek("vda", 0, 64, 0) == b"\0" * 64
    expect_error(libvirt.VIR_ERR_OPERATION_INVALID, "domain is not running",
                 dom.memoryPeek, 0, 16, libvirt.VIR_MEMORY_PHYSICAL)
    st = conn.newStream(0)
    expect_error(libvirt.VIR_ERR_OPERATION_INVALID, "domain is not running",
                 dom.openChannel, "org.qemu.guest_agent.0", st, 0)
    drop(st)

    dom.create()
    wait_for(lambda: "GUEST-READY" in console_text(serial), "GUEST-READY", 180)
    assert "GUEST-DISK-WRITTEN" in console_text(serial), console_text(serial)
    block_and_memory_peek(guest, d, dom, vda, serial)
    open_channel(conn, dom, serial)
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING, dom.state()
    dom.destroy()
    conn.close()


def block_and_memory_peek(guest, d, dom, vda, serial):
    """blockPeek and memoryPeek of the running guest @dom (its disk file
    @vda, written by the guest before GUEST-READY)."""

    # by target and by path: the guest's pattern, as the file holds it
    with open(vda, "rb") as f:
        image = f.read(MAX)
    assert image[:len(PATTERN) * 3] == PATTERN * 3, image[:80]
    assert dom.blockPeek("vda", 0, 64, 0) == image[:64]
    assert dom.blockPeek(vda, 21 * 1000 + 5, 100, 0) == image[21005:21105]
    whole = dom.blockPeek("vda", 0, MAX, 0)
    assert whole == image and whole.count(PATTERN) == MAX // len(PATTERN), len(whole)
    # the last bytes of the image
    assert dom.blockPeek("vda", DISK_SIZE - 10, 10, 0) == b"\0" * 10

    # libvirt 9.0's errors; nothing is read past the end
    expect_error(libvirt.VIR_ERR_INVALID_ARG,
                 "'vda' starting from %d has only 10 bytes available" % (DISK_SIZE - 10),
                 dom.blockPeek, "vda", DISK_SIZE - 10, 20, 0)
    expect_error(libvirt.VIR_ERR_INVALID_ARG,
                 "'%s' starting from %d has only 0 bytes available" % (vda, DISK_SIZE),
                 dom.blockPeek, vda, DISK_SIZE, 1, 0)
    # a zero size: libvirt's read of the image refuses it (its storage file
    # backend's error)
    e = expect_error(libvirt.VIR_ERR_SYSTEM_ERROR,
                     "cannot read header '%s': Invalid argument" % vda,
                     dom.blockPeek, "vda", 0, 0, 0)
    assert e.get_error_domain() == libvirt.VIR_FROM_STORAGE, e.get_error_domain()
    expect_error(libvirt.VIR_ERR_OPERATION_UNSUPPORTED,
                 "peeking is only supported for disk with 'raw' format not 'qcow2'",
                 dom.blockPeek, "vdb", 0, 16, 0)
    expect_error(libvirt.VIR_ERR_INVALID_ARG, "disk 'vdz' not found in domain",
                 dom.blockPeek, "vdz", 0, 16, 0)
    expect_error(libvirt.VIR_ERR_INVALID_ARG,
                 "unsupported flags (0x1) in function qemuDomainBlockPeek",
                 dom.blockPeek, "vda", 0, 16, 1)
    # the client refuses what the wire cannot carry, before sending
    expect_error(libvirt.VIR_ERR_RPC, "block peek request too large for remote protocol, "
                 "%d > %d" % (MAX + 1, MAX), dom.blockPeek, "vda", 0, MAX + 1, 0)

    # memory: the kernel's banner at its physical and at its virtual address
    paddr, vaddr, want = kernel_banner(os.path.join(guest, "vmlinuz"))
    print("# banner at %#x / %#x: %r" % (paddr, vaddr, want[:40]))
    got = dom.memoryPeek(paddr, len(want), libvirt.VIR_MEMORY_PHYSICAL)
    assert got == want, (got, want)
    got = dom.memoryPeek(vaddr, len(want), libvirt.VIR_MEMORY_VIRTUAL)
    assert got == want, (got, want)
    # the most the wire carries, starting there
    big = dom.memoryPeek(paddr, MAX, libvirt.VIR_MEMORY_PHYSICAL)
    assert len(big) == MAX and big.startswith(want)
    # the same through libvirtkit's own remote driver
    vk = VkClient(d.uri("qemu"))
    if vk:
        assert vk.block_peek("pk", "vda", 0, 64) == image[:64]
        assert vk.memory_peek("pk", vaddr, len(want), libvirt.VIR_MEMORY_VIRTUAL) == want
        assert vk.memory_peek("pk", paddr, MAX, libvirt.VIR_MEMORY_PHYSICAL) == big
        assert vk.block_peek("pk", "vdz", 0, 16) == (libvirt.VIR_ERR_INVALID_ARG,
                                                     libvirt.VIR_FROM_QEMU)
        # its own refusal of what the wire cannot carry
        assert vk.block_peek("pk", "vda", 0, MAX + 1) == (libvirt.VIR_ERR_RPC,
                                                          libvirt.VIR_FROM_REMOTE)
        vk.close()

    expect_error(libvirt.VIR_ERR_INTERNAL_ERROR,
                 "unable to execute QEMU command 'memsave': "
                 "Invalid addr 0x0000000000000000/size 16 specified",
                 dom.memoryPeek, 0, 16, libvirt.VIR_MEMORY_VIRTUAL)
    expect_error(libvirt.VIR_ERR_INVALID_ARG,
                 "flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL",
                 dom.memoryPeek, paddr, 16, 0)
    expect_error(libvirt.VIR_ERR_INVALID_ARG, "mutually exclusive", dom.memoryPeek, paddr,
                 16, libvirt.VIR_MEMORY_VIRTUAL | libvirt.VIR_MEMORY_PHYSICAL)
    expect_error(libvirt.VIR_ERR_INVALID_ARG,
                 "unsupported flags (0x4) in function qemuDomainMemoryPeek",
                 dom.memoryPeek, paddr, 16, 4)
    expect_error(libvirt.VIR_ERR_RPC, "memory peek request too large for remote protocol",
                 dom.memoryPeek, paddr, MAX + 1, libvirt.VIR_MEMORY_PHYSICAL)
    # no temporary file of QEMU's memory stays behind
    left = glob.glob(os.path.join(d.root, "**", "qemu.mem.*"), recursive=True)
    assert not left, left
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING, dom.state()


def drop(st):
    """Abort @st, which may never have been opened."""
    try:
        st.abort()
    except libvirt.libvirtError:
        pass


def recv_line(st):
    """One line of the blocking stream @st (bytes, with its newline)."""
    got = b""
    while not got.endswith(b"\n"):
        chunk = st.recv(4096)
        assert chunk, "the stream ended after %r" % got
        got += chunk
    return got


def sync_through(st, ident):
    st.send(json.dumps({"execute": "guest-sync", "arguments": {"id": ident}}).encode() +
            b"\n")
    reply = json.loads(recv_line(st))
    assert reply == {"return": ident}, reply


def open_channel(conn, dom, serial):
    """openChannel to the agent channel of the running guest @dom."""
    wait_for(lambda: "GUEST-AGENTD-READY" in console_text(serial), "the guest's agent", 180)

    # by the port's name: guest-sync through the stream
    st = conn.newStream(0)
    dom.openChannel("org.qemu.guest_agent.0", st, 0)
    sync_through(st, 4242)
    sync_through(st, 17)

    # a second stream on the same channel (by its alias): refused, the
    # first one still works; with FORCE it takes over and the first ends
    st2 = conn.newStream(0)
    expect_error(libvirt.VIR_ERR_OPERATION_FAILED,
                 "Active channel stream exists for this domain",
                 dom.openChannel, "channel0", st2, 0)
    drop(st2)
    sync_through(st, 18)
    st2 = conn.newStream(0)
    dom.openChannel("channel0", st2, libvirt.VIR_DOMAIN_CHANNEL_FORCE)
    try:
        st.send(b'{"execute":"guest-ping"}\n')
        ended = st.recv(4096) == b""
    except libvirt.libvirtError:
        ended = True
    assert ended, "the stream that lost the channel still works"
    drop(st)
    sync_through(st2, 99)
    st2.finish()
    # once finished, the channel is free again (NULL: the first channel)
    st3 = conn.newStream(0)
    dom.openChannel(None, st3, 0)
    sync_through(st3, 5)
    st3.finish()

    # libvirt's errors
    for name, code, text in (
            ("org.example.pty", libvirt.VIR_ERR_INTERNAL_ERROR,
             "channel org.example.pty is not using a UNIX socket"),
            ("nosuch", libvirt.VIR_ERR_INTERNAL_ERROR, "cannot find channel nosuch")):
        s = conn.newStream(0)
        expect_error(code, text, dom.openChannel, name, s, 0)
        drop(s)
    s = conn.newStream(0)
    expect_error(libvirt.VIR_ERR_INVALID_ARG,
                 "unsupported flags (0x2) in function qemuDomainOpenChannel",
                 dom.openChannel, "channel0", s, 2)
    drop(s)


def test_test_driver_and_wire():
    """test:///default through virtkitd, as libvirt 9.0's test driver: its
    memoryPeek (the bytes count up from the address), NO_SUPPORT for the
    calls it lacks; the daemon's own refusal of a peek larger than the
    wire carries (a raw client: libvirt's clients refuse it themselves)."""
    d = Daemon().start()
    conn = libvirt.open(d.uri("test"))
    dom = conn.lookupByName("test")
    assert dom.memoryPeek(0x1fe, 4, libvirt.VIR_MEMORY_VIRTUAL) == b"\xfe\xff\x00\x01"
    expect_error(libvirt.VIR_ERR_INVALID_ARG,
                 "flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL",
                 dom.memoryPeek, 0, 4, 0)
    nosup = "this function is not supported by the connection driver: "
    expect_error(libvirt.VIR_ERR_NO_SUPPORT, nosup + "virDomainBlockPeek",
                 dom.blockPeek, "vda", 0, 16, 0)
    expect_error(libvirt.VIR_ERR_NO_SUPPORT, nosup + "virDomainSaveParams",
                 dom.saveParams, {libvirt.VIR_DOMAIN_SAVE_PARAM_FILE: "/nonexistent"})
    expect_error(libvirt.VIR_ERR_NO_SUPPORT, nosup + "virDomainRestoreParams",
                 conn.restoreParams, {libvirt.VIR_DOMAIN_SAVE_PARAM_FILE: "/nonexistent"})
    st = conn.newStream(0)
    expect_error(libvirt.VIR_ERR_NO_SUPPORT, nosup + "virDomainOpenChannel",
                 dom.openChannel, None, st, 0)
    drop(st)
    dom.destroy()
    expect_error(libvirt.VIR_ERR_OPERATION_INVALID, "domain is not running",
                 dom.memoryPeek, 0, 4, libvirt.VIR_MEMORY_PHYSICAL)
    dom.create()
    conn.close()
    vk = VkClient(d.uri("test"))
    if vk:
        assert vk.memory_peek("test", 0xfe, 3, libvirt.VIR_MEMORY_PHYSICAL) == b"\xfe\xff\x00"
        assert vk.block_peek("test", "vda", 0, 4) == (libvirt.VIR_ERR_NO_SUPPORT,
                                                      libvirt.VIR_FROM_DOMAIN)
        assert vk.save_params_file("test", "/nonexistent") == (
            -1, (libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_FROM_DOMAIN))
        vk.close()

    c = RawClient(d.sock)
    hdr, pl = c.call(1, struct.pack(">I", 1) + xdr_string("test:///default") +
                     struct.pack(">I", 0))                              # CONNECT_OPEN
    assert hdr[5] == 0, parse_error(pl)
    hdr, test_dom = c.call(23, xdr_string("test"))                     # LOOKUP_BY_NAME
    assert hdr[5] == 0, parse_error(test_dom)
    for proc, args in ((103, xdr_string("vda") + struct.pack(">QII", 0, MAX + 1, 0)),
                       (104, struct.pack(">QII", 0, MAX + 1, 2))):
        hdr, pl = c.call(proc, test_dom + args)
        assert hdr[5] == 1 and parse_error(pl) == (
            libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_RPC,
            "internal error: size > maximum buffer size"), parse_error(pl)
    # within the limit: the reply carries exactly the bytes asked for
    hdr, pl = c.call(104, test_dom + struct.pack(">QII", 0x10, 5, 2))  # MEMORY_PEEK
    assert hdr[5] == 0 and pl == struct.pack(">I", 5) + bytes(range(0x10, 0x15)) + b"\0" * 3, pl
    c.close()


if __name__ == "__main__":
    run_tests([
        ("blockPeek and memoryPeek: the guest's disk pattern, the kernel banner at its "
         "physical and virtual address, libvirt's errors and limits; openChannel on the same "
         "guest: guest-sync through the agent channel, busy and FORCE, libvirt's errors",
         test_peeks_and_channel),
        ("test:///default through the daemon (memoryPeek's pattern, NO_SUPPORT for the "
         "others), the wire's 4 MiB limit in the daemon", test_test_driver_and_wire),
    ])
