#!/usr/bin/env python3
"""Save, restore, managed save and core dumps through virtkitd (issue 15), with the real clients.

The test guest (scripts/build-test-guest.sh) runs under TCG with 256 MiB.
Its memory and CPU state go to a file and come back; the effect is checked
in the guest: after a restore it answers the ACPI power button (prints
GUEST-POWERBUTTON) without having printed GUEST-READY again, i.e. it went
on from where it was instead of booting (a boot prints GUEST-READY first,
after 2-3 s). The image is checked to be libvirt's layout (header magic,
version, XML length, XML, then QEMU's stream), and what a failed save
leaves (nothing) and what a daemon restart keeps (the managed save).
python3-libvirt drives save and managedsave (Debian's virsh 9.0 sometimes
hangs in its own job watcher after a quick save, on libvirtd too); virsh
drives restore, save-image-*, managedsave-*, start, undefine, domstate.
"""
import json
import os
import re
import struct
import subprocess
import sys
import threading
import time

from vkdtest import console_text
from vkdtest import (Daemon, RawClient, Skip, VirshEvents, make_tmpdir, parse_error,
                     qemu_pids, run_tests, test_guest_dir, virsh, wait_for, wait_guest, write,
                     xdr_string)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def guest_xml(name, guest, serial, description="first"):
    return """<domain type='qemu'>
  <name>%s</name>
  <description>%s</description>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, description, guest, guest, serial)


def image_header(path):
    """(magic, version, data_len, was_running, compressed, xml) of a save image."""
    with open(path, "rb") as f:
        head = f.read(92)
        magic = head[:16].decode()
        version, data_len, was_running, compressed = struct.unpack("<4I", head[16:32])
        xml = f.read(data_len).split(b"\0")[0].decode()
    return magic, version, data_len, was_running, compressed, xml


def continues(uri, name, serial):
    """The restored guest goes on: no new boot, and it answers the power button."""
    assert "GUEST-READY" not in console_text(serial), \
        "the guest booted again after the restore: %r" % console_text(serial)
    virsh(uri, "shutdown", name)
    wait_for(lambda: "GUEST-POWERBUTTON" in console_text(serial),
             "the restored guest to answer the power button", 120)
    assert "GUEST-READY" not in console_text(serial), console_text(serial)


def qemu_argv(d):
    """The command line of the one QEMU of @d."""
    [qemu] = wait_for(lambda: len(qemu_pids(d.root)) == 1 and qemu_pids(d.root),
                      "one QEMU of the daemon")
    with open("/proc/%d/cmdline" % qemu, "rb") as f:
        return f.read().split(b"\0")


def setup():
    guest = test_guest_dir()
    if not guest:
        raise Skip("no test guest (scripts/build-test-guest.sh failed)")
    d = Daemon().start()
    uri = d.uri()
    work = make_tmpdir()
    return guest, d, uri, work


def boot(uri, name, guest, work, description="first"):
    serial = os.path.join(work, name + ".log")
    xml = write(os.path.join(work, name + ".xml"), guest_xml(name, guest, serial, description))
    virsh(uri, "define", xml)
    virsh(uri, "start", name)
    wait_guest(lambda: "GUEST-READY" in console_text(serial), "GUEST-READY of " + name, 120,
               uri, name, serial)
    return serial


def sysrq_sync(uri, name, serial):
    """The guest's kernel answers its keyboard (a sysrq sync on the console):
    it runs, without being powered off."""
    n = console_text(serial).count("sysrq: Emergency Sync")
    # the key again every 20 s, 5 times at most: a clean-clone run at load
    # ~30 (ASan daemon) once saw a restored guest print nothing for 60 s
    # after one press, which passes here in 30 s at load 19; whether the
    # press was lost or the guest starved, a guest that runs answers one
    for attempt in range(5):
        virsh(uri, "send-key", name, "KEY_LEFTALT", "KEY_SYSRQ", "KEY_S")
        try:
            wait_for(lambda: console_text(serial).count("sysrq: Emergency Sync") > n,
                     "the guest's kernel to answer a sysrq sync", 20)
            return
        except AssertionError:
            if attempt == 4:
                raise


def test_save_restore_and_dump():
    """Save/restore and core dumps on one guest (a boot is ~2 CPU s under
    TCG): the dumps first (the guest runs on), then two saves and restores
    of the same run, then a restored guest ends with dump --crash."""
    guest, d, uri, work = setup()
    serial = boot(uri, "sv", guest, work)
    ev = VirshEvents(uri, "--all")
    conn = libvirt.open(uri)
    dom = conn.lookupByName("sv")
    img = os.path.join(work, "sv.img")

    # a save that cannot write leaves the guest running and no file
    try:
        dom.save(os.path.join(work, "missing-dir", "sv.img"))
        raise AssertionError("save into a missing directory succeeded")
    except libvirt.libvirtError as e:
        assert e.get_error_code() == libvirt.VIR_ERR_SYSTEM_ERROR, e
    assert dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED], \
        dom.state()
    # a replacement XML for another guest is refused before anything happens
    other = guest_xml("sv", guest, serial).replace("<name>sv</name>",
                                                    "<name>sv</name><uuid>%s</uuid>" %
                                                    "00000000-0000-0000-0000-000000000001")
    try:
        dom.saveFlags(img, other, 0)
        raise AssertionError("save with another guest's XML succeeded")
    except libvirt.libvirtError as e:
        assert e.get_error_code() == libvirt.VIR_ERR_CONFIG_UNSUPPORTED, e
    assert dom.isActive() == 1 and not os.path.exists(img)

    # core dumps. memory-only ELF: a core file of the whole guest RAM (256
    # MiB, no paging)
    elf = os.path.join(work, "sv.elf")
    dom.coreDumpWithFormat(elf, libvirt.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW,
                           libvirt.VIR_DUMP_MEMORY_ONLY)
    with open(elf, "rb") as f:
        ident = f.read(18)
    assert ident[:4] == b"\x7fELF" and ident[4] == 2, ident          # ELF64
    assert struct.unpack("<H", ident[16:18])[0] == 4, ident           # ET_CORE
    size = os.path.getsize(elf)
    assert 256 << 20 <= size < (256 << 20) + (1 << 20), size
    assert virsh(uri, "domstate", "--reason", "sv").stdout.strip() == "running (unpaused)"
    leftovers = [f for f in os.listdir(work) if ".vkdump-" in f]
    assert not leftovers, leftovers

    # kdump-zlib (QEMU 7.2 writes it flattened), and the full dump (a migration stream)
    kd = os.path.join(work, "sv.kdump")
    dom.coreDumpWithFormat(kd, libvirt.VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB,
                           libvirt.VIR_DUMP_MEMORY_ONLY)
    with open(kd, "rb") as f:
        assert f.read(12) == b"makedumpfile"
    assert os.path.getsize(kd) < size
    # the full dump is a migration: a pause-before-switchover turned on
    # behind the daemon's back is turned off first, as for a save (libvirt
    # applies the same migration parameters), instead of the dump failing
    # in QEMU's pre-switchover state
    full = os.path.join(work, "sv.full")
    virsh(uri, "qemu-monitor-command", "sv", json.dumps(
        {"execute": "migrate-set-capabilities", "arguments": {"capabilities": [
            {"capability": "pause-before-switchover", "state": True}]}}))
    dom.coreDump(full, 0)
    with open(full, "rb") as f:
        assert f.read(4) == b"QEVM"
    # a compressed format needs --memory-only, as libvirt says
    try:
        dom.coreDumpWithFormat(os.path.join(work, "x"),
                               libvirt.VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB, 0)
        raise AssertionError("kdump without memory-only succeeded")
    except libvirt.libvirtError as e:
        assert e.get_error_code() == libvirt.VIR_ERR_OPERATION_UNSUPPORTED, e
    assert not os.path.exists(os.path.join(work, "x"))
    # the guest went on after each dump (paused meanwhile, then resumed)
    assert "GUEST-READY" in console_text(serial) and "GUEST-POWERBUTTON" not in console_text(serial)
    for f in (elf, kd, full):
        os.unlink(f)

    # --reset reboots the guest after the dump: GUEST-READY comes again
    before = console_text(serial).count("GUEST-READY")
    dom.coreDumpWithFormat(os.path.join(work, "r.elf"), 0,
                           libvirt.VIR_DUMP_MEMORY_ONLY | libvirt.VIR_DUMP_RESET)
    # (the reboot costs QEMU 1-8 s of CPU under TCG, most of it in the kernel's
    # decompressor: on a loaded host it may take minutes of wall time)
    wait_guest(lambda: console_text(serial).count("GUEST-READY") > before,
               "the guest to boot again after dump --reset", 120, uri, "sv", serial, d,
               cpu_budget=30)
    os.unlink(os.path.join(work, "r.elf"))

    # the save is a job while it runs (python3-libvirt's jobStats from a
    # second connection, as libvirtd shows it: Unbounded, operation Save,
    # QEMU's figures)
    samples, done = [], threading.Event()

    def poll():
        c2 = libvirt.open(uri)
        d2 = c2.lookupByName("sv")
        while not done.is_set():
            try:
                samples.append(d2.jobStats())
            except libvirt.libvirtError as e:
                samples.append(e.get_error_code())
        c2.close()
    poller = threading.Thread(target=poll)
    poller.start()
    try:
        dom.save(img)
    finally:
        done.set()
        poller.join()
    running = [s for s in samples if isinstance(s, dict) and
               s.get("type") == libvirt.VIR_DOMAIN_JOB_UNBOUNDED]
    assert running and all(s["operation"] == libvirt.VIR_DOMAIN_JOB_OPERATION_SAVE
                           for s in running), samples[:5]
    assert any(s.get("memory_total", 0) >= 256 << 20 and
               0 < s.get("memory_processed", 0) for s in running), running[-3:]
    # stopped: no current job (libvirt's error), the completed one's
    # figures, kept once, then read (Debian's virsh; vksh prints the same)
    r = virsh(uri, "domjobinfo", "sv", check=False)
    assert r.returncode == 1 and \
        "Requested operation is not valid: domain is not running" in r.stderr, r.stderr
    kept = virsh(uri, "domjobinfo", "sv", "--completed", "--keep-completed").stdout
    assert re.search(r"^Job type: +Completed", kept, re.M) and \
        re.search(r"^Operation: +Save", kept, re.M) and \
        re.search(r"^Total downtime: +\d+ +ms", kept, re.M) and \
        re.search(r"^Memory total: +256\.\d+ MiB", kept, re.M), kept
    if os.environ.get("VKSH"):
        p = subprocess.run([os.environ["VKSH"], "-q", "-c", uri, "domjobinfo", "sv",
                            "--completed", "--keep-completed"],
                           capture_output=True, text=True, timeout=60)
        assert p.stdout == kept, (p.stdout, kept)
    virsh(uri, "domjobinfo", "sv", "--completed")
    assert virsh(uri, "domjobinfo", "sv", "--completed").stdout.split() == \
        ["Job", "type:", "None"]
    assert virsh(uri, "domstate", "--reason", "sv").stdout.strip() == "shut off (saved)"
    leftovers = [f for f in os.listdir(work) if ".vksave-" in f]
    assert not leftovers, leftovers
    magic, version, data_len, was_running, compressed, xml = image_header(img)
    assert (magic, version, was_running, compressed) == ("LibvirtQemudSave", 2, 1, 0), \
        (magic, version, was_running, compressed)
    assert "<name>sv</name>" in xml and len(xml) + 1 <= data_len, (data_len, xml[:80])
    # the rest is QEMU's migration stream ("QEVM" magic), the guest's RAM
    with open(img, "rb") as f:
        f.seek(92 + data_len)
        assert f.read(4) == b"QEVM"
    assert os.path.getsize(img) > 16 << 20, os.path.getsize(img)
    dumped = virsh(uri, "save-image-dumpxml", img).stdout
    assert "<name>sv</name>" in dumped and "<description>first</description>" in dumped

    # restore: the guest continues where it was (no new boot; its kernel
    # answers; the power button, after the next restore of this same run)
    virsh(uri, "restore", img)
    assert virsh(uri, "domstate", "--reason", "sv").stdout.strip() == "running (restored)"
    assert os.path.exists(img), "restore must not delete the image it was given"
    assert "GUEST-READY" not in console_text(serial), \
        "the guest booted again after the restore: %r" % console_text(serial)
    sysrq_sync(uri, "sv", serial)

    # --xml on restore, save-image-define with --paused: the new definition
    # and state are used. (pause-before-switchover turned on behind the
    # daemon's back first: the save turns it off as libvirt does, instead
    # of QEMU waiting in pre-switchover until the save's 600 s deadline)
    virsh(uri, "qemu-monitor-command", "sv", json.dumps(
        {"execute": "migrate-set-capabilities", "arguments": {"capabilities": [
            {"capability": "pause-before-switchover", "state": True}]}}))
    t0 = time.monotonic()
    dom.save(img)
    assert time.monotonic() - t0 < 120, time.monotonic() - t0
    edited = write(os.path.join(work, "edited.xml"),
                   guest_xml("sv", guest, serial, "edited in the image").replace(
                       "<name>sv</name>", "<name>sv</name><uuid>%s</uuid>" % dom.UUIDString()))
    virsh(uri, "save-image-define", img, edited, "--paused")
    assert image_header(img)[3] == 0
    assert "edited in the image" in virsh(uri, "save-image-dumpxml", img).stdout
    virsh(uri, "restore", img)
    assert virsh(uri, "domstate", "--reason", "sv").stdout.strip() == "paused (migrating)"
    assert "<description>edited in the image</description>" in \
        virsh(uri, "dumpxml", "sv").stdout
    virsh(uri, "resume", "sv")
    continues(uri, "sv", serial)
    wait_for(lambda: dom.isActive() == 0, "the guest to power off", 60)

    # a damaged image is refused with libvirt's messages, nothing started
    bad = os.path.join(work, "bad.img")
    with open(img, "rb") as f, open(bad, "wb") as g:
        g.write(b"LibvirtQemudPart" + f.read()[16:4096])
    r = virsh(uri, "restore", bad, check=False)
    assert r.returncode == 1 and "save image is incomplete" in r.stderr, r.stderr
    with open(bad, "r+b") as g:
        g.write(b"NotALibvirtImage")
    r = virsh(uri, "restore", bad, check=False)
    assert r.returncode == 1 and "image magic is incorrect" in r.stderr, r.stderr
    assert dom.isActive() == 0

    wait_for(lambda: sum("Stopped Saved" in l for l in ev.lines()) >= 2 and
             sum("Started Restored" in l for l in ev.lines()) >= 2,
             "the save and restore events", 30)
    lines = ev.lines()
    assert any("Suspended Restored" in l for l in lines) or \
        any("Suspended Paused" in l for l in lines), lines

    # --crash: the guest (restored from the image once more, running) ends
    # as crashed
    virsh(uri, "restore", img)
    virsh(uri, "resume", "sv")
    assert virsh(uri, "domstate", "--reason", "sv").stdout.strip() == "running (unpaused)"
    dom.coreDumpWithFormat(os.path.join(work, "c.elf"), 0,
                           libvirt.VIR_DUMP_MEMORY_ONLY | libvirt.VIR_DUMP_CRASH)
    assert virsh(uri, "domstate", "--reason", "sv").stdout.strip() == "shut off (crashed)"
    wait_for(lambda: any("Stopped Crashed" in l for l in ev.lines()),
             "the Stopped Crashed event", 30)
    ev.proc.kill()
    ev.proc.wait()
    r = virsh(uri, "dump", "sv", os.path.join(work, "n.elf"), "--memory-only", check=False)
    assert r.returncode == 1 and "domain is not running" in r.stderr, r.stderr
    conn.close()


def test_managed_save():
    guest, d, uri, work = setup()
    serial = boot(uri, "ms", guest, work)
    conn = libvirt.open(uri)
    dom = conn.lookupByName("ms")
    assert dom.hasManagedSaveImage() == 0
    dom.managedSave()
    assert dom.hasManagedSaveImage() == 1
    assert virsh(uri, "domstate", "--reason", "ms").stdout.strip() == "shut off (saved)"
    names = [x.name() for x in
             conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE)]
    assert names == ["ms"], names
    info = virsh(uri, "dominfo", "ms").stdout
    assert re.search(r"^Managed save:\s+yes$", info, re.M), info
    assert "<name>ms</name>" in virsh(uri, "managedsave-dumpxml", "ms").stdout
    r = virsh(uri, "undefine", "ms", check=False)
    assert r.returncode == 1 and \
        "Refusing to undefine while domain managed save image exists" in r.stderr, r.stderr

    # the image survives a daemon restart
    d.stop()
    d.start()
    conn.close()
    conn = libvirt.open(uri)
    dom = conn.lookupByName("ms")
    assert dom.hasManagedSaveImage() == 1
    # start restores from it (and uses it up)
    virsh(uri, "start", "ms")
    assert virsh(uri, "domstate", "--reason", "ms").stdout.strip() == "running (restored)"
    assert b"-incoming" in qemu_argv(d), qemu_argv(d)
    assert dom.hasManagedSaveImage() == 0
    continues(uri, "ms", serial)
    wait_for(lambda: dom.isActive() == 0, "the guest to power off", 60)

    # managedsave-remove, then start boots; undefine --managed-save removes it.
    # The guests need not finish booting (a boot is ~2 CPU s under TCG):
    # an image of a guest that is still booting is one to remove, and a
    # start boots when its QEMU is not told to take a migration stream.
    virsh(uri, "start", "ms")
    dom.managedSave()
    virsh(uri, "managedsave-remove", "ms")
    assert dom.hasManagedSaveImage() == 0
    virsh(uri, "start", "ms")
    assert virsh(uri, "domstate", "--reason", "ms").stdout.strip() == "running (booted)"
    assert b"-incoming" not in qemu_argv(d), qemu_argv(d)
    dom.managedSave()
    virsh(uri, "undefine", "ms", "--managed-save")
    saves = [f for root, _, files in os.walk(d.root) for f in files if f.endswith(".save")]
    assert not saves, saves
    # a transient guest has no managed save
    virsh(uri, "create", os.path.join(work, "ms.xml"))
    try:
        conn.lookupByName("ms").managedSave()
        raise AssertionError("managed save of a transient guest succeeded")
    except libvirt.libvirtError as e:
        assert e.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID, e
        assert "cannot do managed save for transient domain" in str(e), e
    virsh(uri, "destroy", "ms")
    conn.close()


def expect_error(code, text, fn, *args):
    """@fn(*args) fails with libvirt error @code whose message holds @text."""
    try:
        fn(*args)
    except libvirt.libvirtError as e:
        assert e.get_error_code() == code and text in str(e), (code, text, e)
        return e
    raise AssertionError("%s%r succeeded" % (fn.__name__, args))


def test_save_restore_params():
    """virDomainSaveParams / virDomainRestoreParams (python3-libvirt's
    saveParams / restoreParams): libvirt 9.0's two parameters, FILE and
    DXML; a bad parameter changes nothing; no FILE on save is a managed
    save, on restore an error."""
    guest, d, uri, work = setup()
    serial = boot(uri, "sp", guest, work)
    conn = libvirt.open(uri)
    dom = conn.lookupByName("sp")
    img = os.path.join(work, "sp.img")
    FILE, DXML = libvirt.VIR_DOMAIN_SAVE_PARAM_FILE, libvirt.VIR_DOMAIN_SAVE_PARAM_DXML

    # bad parameters: libvirt's typed-parameter validation, nothing saved
    e = expect_error(libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, "parameter 'bogus' not supported",
                     dom.saveParams, {FILE: img, "bogus": "x"})
    assert e.get_error_domain() == libvirt.VIR_FROM_NONE, e.get_error_domain()
    # a parameter of the wrong type: python3-libvirt knows the types, a raw
    # client does not (libvirtd's answer: VIR_FROM_NONE, libvirt's text)
    c = RawClient(d.sock)
    hdr, pl = c.call(1, struct.pack(">I", 1) + xdr_string("qemu:///system") +
                     struct.pack(">I", 0))                              # CONNECT_OPEN
    assert hdr[5] == 0, parse_error(pl)
    hdr, wire_dom = c.call(23, xdr_string("sp"))                       # LOOKUP_BY_NAME
    assert hdr[5] == 0, parse_error(wire_dom)
    hdr, pl = c.call(440, wire_dom + struct.pack(">I", 1) + xdr_string(FILE) +
                     struct.pack(">iiI", libvirt.VIR_TYPED_PARAM_INT, 42, 0))  # SAVE_PARAMS
    assert hdr[5] == 1 and parse_error(pl) == (
        libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_NONE,
        "invalid argument: invalid type 'int' for parameter 'file', expected 'string'"), \
        parse_error(pl)
    c.close()
    expect_error(libvirt.VIR_ERR_INVALID_ARG, "unsupported flags (0x8)",
                 dom.saveParams, {FILE: img}, libvirt.VIR_DOMAIN_SAVE_RESET_NVRAM)
    expect_error(libvirt.VIR_ERR_INVALID_ARG, "mutually exclusive", dom.saveParams,
                 {FILE: img}, libvirt.VIR_DOMAIN_SAVE_RUNNING | libvirt.VIR_DOMAIN_SAVE_PAUSED)
    assert dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED], \
        dom.state()
    assert not os.path.exists(img) and dom.hasManagedSaveImage() == 0
    expect_error(libvirt.VIR_ERR_INVALID_ARG, "missing path to restore from",
                 conn.restoreParams, {})
    expect_error(libvirt.VIR_ERR_INVALID_ARG, "missing path to restore from",
                 conn.restoreParams, {DXML: "<domain/>"})
    expect_error(libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, "parameter 'path' not supported",
                 conn.restoreParams, {FILE: img, "path": img})
    ro = libvirt.openReadOnly(uri)
    expect_error(libvirt.VIR_ERR_OPERATION_DENIED, "read only access prevents",
                 ro.lookupByName("sp").saveParams, {FILE: img})
    ro.close()
    assert dom.isActive() == 1 and not os.path.exists(img)

    # FILE + DXML + PAUSED: the image holds the replacement XML and says
    # paused
    edited = guest_xml("sp", guest, serial, "saved with params").replace(
        "<name>sp</name>", "<name>sp</name><uuid>%s</uuid>" % dom.UUIDString())
    dom.saveParams({FILE: img, DXML: edited}, libvirt.VIR_DOMAIN_SAVE_PAUSED)
    assert virsh(uri, "domstate", "--reason", "sp").stdout.strip() == "shut off (saved)"
    magic, version, data_len, was_running, compressed, xml = image_header(img)
    assert (magic, was_running) == ("LibvirtQemudSave", 0), (magic, was_running)
    assert "<description>saved with params</description>" in xml, xml[:300]

    # restore with FILE + DXML + RUNNING: runs (despite the image's paused)
    # with the restore's XML, and goes on where it was
    again = edited.replace("saved with params", "restored with params")
    conn.restoreParams({FILE: img, DXML: again}, libvirt.VIR_DOMAIN_SAVE_RUNNING)
    assert virsh(uri, "domstate", "--reason", "sp").stdout.strip() == "running (restored)"
    assert "<description>restored with params</description>" in \
        virsh(uri, "dumpxml", "sp").stdout
    assert os.path.exists(img)
    assert "GUEST-READY" not in console_text(serial), console_text(serial)
    sysrq_sync(uri, "sp", serial)
    # the domain runs: restoring it again is refused, nothing changes
    r = expect_error(libvirt.VIR_ERR_OPERATION_INVALID, "already active",
                     conn.restoreParams, {FILE: img})
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING, (dom.state(), r)

    # no FILE: a managed save; start restores from it and the guest goes on
    dom.saveParams({})
    assert dom.hasManagedSaveImage() == 1
    assert virsh(uri, "domstate", "--reason", "sp").stdout.strip() == "shut off (saved)"
    dom.create()
    assert virsh(uri, "domstate", "--reason", "sp").stdout.strip() == "running (restored)"
    assert dom.hasManagedSaveImage() == 0
    continues(uri, "sp", serial)
    wait_for(lambda: dom.isActive() == 0, "the guest to power off", 60)
    conn.close()



if __name__ == "__main__":
    run_tests([
        ("save/restore: libvirt's image, the guest continues, failures leave it running; "
         "core dump: ELF / kdump / full, the guest runs on, --reset, --crash",
         test_save_restore_and_dump),
        ("managed save: start restores, survives a daemon restart, undefine rules",
         test_managed_save),
        ("save/restore with typed parameters: FILE, DXML, flags, managed save without "
         "FILE, libvirt's parameter errors", test_save_restore_params),
    ])
