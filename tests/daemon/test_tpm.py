#!/usr/bin/env python3
"""Emulated TPMs through virtkitd (issue 10), with the real clients and Debian's swtpm.

1. One test guest (TCG, variant "shell": a shell on its pty console) with
   <tpm model='tpm-crb'><backend type='emulator' version='2.0'> and active
   PCR banks sha256 + sha384:
   - domcapabilities lists the TPM as Debian's libvirtd 9.0 does here;
   - the daemon manufactures the state (swtpm_setup, once) under its state
     dir, swtpm runs as the QEMU user on it before QEMU; QEMU's query-tpm
     shows the tpm-crb on the emulator backend;
   - in the guest the kernel's tpm_crb finds a TPM 2.0 (/sys/class/tpm/tpm0)
     with the sha256 and sha384 banks only; a TPM2_PCR_Extend of PCR 16
     written to /dev/tpm0 changes pcr-sha256/16 to the value the TPM spec
     gives; the state files are there, owned by the QEMU user;
   - a daemon restart adopts the running swtpm; destroy ends it (no swtpm
     left, socket gone), the state stays; a second start runs swtpm on the
     same state without manufacturing it again; undefine removes it.
2. Firmware-only guests (no boot): the default model (tpm-tis, 1.2) with
   an encrypted state (a vtpm secret, swtpm gets --key/--migration-key);
   persistent_state='yes' keeps the state at undefine, VIR_DOMAIN_UNDEFINE_TPM
   removes it; VIR_DOMAIN_UNDEFINE_KEEP_TPM keeps a plain one; both flags:
   libvirt's error; a passthrough TPM defines and fails to start with
   libvirtd's error here (no /dev/tpm0).
"""
import glob
import hashlib
import json
import os
import pwd
import re
import select
import sys

from vkdtest import Daemon, Skip, pid_alive, run_tests, test_guest_dir, virsh, wait_for

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402
import libvirt_qemu  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vkdtest import expect_error  # noqa: E402

VIR_FROM_QEMU = 10
UUID1 = "6f6a1a8e-54c4-4d2b-9a52-7d0c2a1e7a01"
UUID2 = "6f6a1a8e-54c4-4d2b-9a52-7d0c2a1e7a02"
SECRET = "b4a117f1-8af2-44a4-91b8-7f0d2d4d68a3"

# what Debian's libvirtd 9.0 lists with swtpm installed (virsh domcapabilities)
DOMCAPS_TPM = """    <tpm supported='yes'>
      <enum name='model'>
        <value>tpm-tis</value>
        <value>tpm-crb</value>
      </enum>
      <enum name='backendModel'>
        <value>passthrough</value>
        <value>emulator</value>
        <value>external</value>
      </enum>
      <enum name='backendVersion'>
        <value>1.2</value>
        <value>2.0</value>
      </enum>
    </tpm>
"""


def guest_xml(name, uuid, tpm, guest=None):
    # Debian's bzImage, not the PVH ELF the other suites boot: with a TPM
    # (tis or crb) the PVH path hands the kernel ACPI tables it cannot
    # read (an RSDT of garbage, "ACPI: Interpreter disabled", no TPM),
    # the same QEMU command line as libvirtd's; through the bzImage's own
    # entry the tables are whole
    boot = ("<kernel>%s/bzImage</kernel><initrd>%s/initrd.gz</initrd>"
            "<cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline>"
            % (guest, guest)) if guest else ""
    return """<domain type='qemu'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>%s</os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='pty'><target port='0'/></serial>
    %s
  </devices>
</domain>
""" % (name, uuid, boot, tpm)


class Console:
    """The guest's pty serial console: what it printed, and lines to type."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        self.text = ""

    def read(self):
        while select.select([self.fd], [], [], 0)[0]:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.text += chunk.decode(errors="replace")
        return self.text

    def run(self, cmd, tag, timeout=60):
        """Type @cmd between two echoes of @tag; what it printed (the
        echoed command line, which the shell may wrap, is not part of it)."""
        start = len(self.read())
        os.write(self.fd, ("echo %s-BEGIN; %s; echo %s-END\n" % (tag, cmd, tag)).encode())
        pat = re.compile(r"\n%s-BEGIN\r?\n(.*?)\r?\n?%s-END\r?\n" % (tag, tag), re.S)
        wait_for(lambda: pat.search(self.read(), start), "the guest's answer to %r" % cmd,
                 timeout=timeout)
        return pat.search(self.text, start).group(1).replace("\r", "")

    def close(self):
        os.close(self.fd)


def swtpm_pids(tag):
    """Live swtpm processes whose command line names @tag."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if argv and argv[0].endswith("swtpm") and any(tag + "/" in a for a in argv) \
                and pid_alive(int(d)):
            out.append((int(d), argv))
    return out


def proc_uid(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    return -1


def qemu_user_uid():
    try:
        return pwd.getpwnam("virtkit-qemu").pw_uid
    except KeyError:
        return 0


def pcr_extend_cmd(pcr, digest):
    """A TPM2_PCR_Extend of @pcr with one sha256 @digest, password session."""
    body = (pcr.to_bytes(4, "big") + (9).to_bytes(4, "big") +
            bytes.fromhex("40000009") + b"\0\0" + b"\0" + b"\0\0" +
            (1).to_bytes(4, "big") + bytes.fromhex("000b") + digest)
    hdr = bytes.fromhex("8002") + (10 + len(body)).to_bytes(4, "big") + bytes.fromhex("00000182")
    return hdr + body


def test_guest():
    guest = test_guest_dir("shell")
    if not guest:
        raise Skip("the shell test guest cannot be built here")
    d = Daemon().start()
    os.chmod(d.root, 0o711)  # swtpm runs as the QEMU user on paths below
    tag = d.root
    uri = d.uri()
    conn = libvirt.open(uri)
    con = None
    state = os.path.join(d.dirs["state"], "swtpm", UUID1)
    log = os.path.join(d.dirs["log"], "tg-swtpm.log")
    tpm = ("<tpm model='tpm-crb'><backend type='emulator' version='2.0'>"
           "<active_pcr_banks><sha256/><sha384/></active_pcr_banks></backend></tpm>")
    try:
        caps = conn.getDomainCapabilities(None, "x86_64", "q35", "qemu", 0)
        assert DOMCAPS_TPM in caps, caps
        dom = conn.defineXML(guest_xml("tg", UUID1, tpm, guest))
        assert not os.path.exists(state)
        dom.create()
        # the state was manufactured once, swtpm runs on it as QEMU's user
        procs = swtpm_pids(tag)
        assert len(procs) == 1, procs
        pid, argv = procs[0]
        assert "dir=%s/tpm2,mode=0600" % state in argv and "--tpm2" in argv, argv
        assert proc_uid(pid) == qemu_user_uid(), (proc_uid(pid), argv)
        with open(log) as f:
            assert f.read().count("Starting vTPM manufacturing") == 1
        live = dom.XMLDesc(0)
        assert re.search(r"<tpm model='tpm-crb'>\s*<backend type='emulator' version='2.0'>"
                         r"\s*<active_pcr_banks>\s*<sha256/>\s*<sha384/>\s*</active_pcr_banks>"
                         r"\s*</backend>\s*<alias name='tpm0'/>\s*</tpm>", live), live
        q = json.loads(libvirt_qemu.qemuMonitorCommand(dom, '{"execute":"query-tpm"}', 0))
        assert q["return"] == [{"model": "tpm-crb", "id": "tpm-tpm0",
                                "options": {"type": "emulator",
                                            "data": {"chardev": "chrtpm"}}}], q

        # the guest's kernel finds it
        m = re.search(r"<serial type='pty'>\s*<source path='(/dev/pts/\d+)'/>", live)
        assert m, live
        con = Console(m.group(1))
        wait_for(lambda: "vkguest# " in con.read(), "the guest's shell prompt", timeout=180)
        out = con.run("cat /sys/class/tpm/tpm0/tpm_version_major; "
                      "ls -d /sys/class/tpm/tpm0/pcr-*", "T1")
        assert out.split() == ["2", "/sys/class/tpm/tpm0/pcr-sha256",
                               "/sys/class/tpm/tpm0/pcr-sha384"], out
        out = con.run("cat /sys/class/tpm/tpm0/pcr-sha256/16", "T2")
        assert out.strip() == "0" * 64, out
        digest = hashlib.sha256(b"virtkit").digest()
        octal = "".join("\\%03o" % b for b in pcr_extend_cmd(16, digest))
        con.run("printf '%s' > /dev/tpm0" % octal, "T3")
        out = con.run("cat /sys/class/tpm/tpm0/pcr-sha256/16", "T4")
        want = hashlib.sha256(b"\0" * 32 + digest).hexdigest().upper()
        assert out.strip().upper() == want, (out, want)
        files = os.listdir(os.path.join(state, "tpm2"))
        assert "tpm2-00.permall" in files, files
        assert os.stat(os.path.join(state, "tpm2", "tpm2-00.permall")).st_uid == \
            qemu_user_uid()

        # a restarted daemon adopts it, then ends it with the guest
        d.stop()
        assert [p for p, _ in swtpm_pids(tag)] == [pid]
        d.start()
        conn.close()
        conn = libvirt.open(uri)
        dom = conn.lookupByName("tg")
        assert dom.isActive()
        con.close()
        con = None
        dom.destroy()
        wait_for(lambda: not swtpm_pids(tag), "swtpm to end with its guest", timeout=30)
        assert not glob.glob(os.path.join(tag, "**", "*swtpm.sock"), recursive=True)
        assert not glob.glob(os.path.join(tag, "**", "*swtpm.pid"), recursive=True)
        assert os.path.exists(os.path.join(state, "tpm2", "tpm2-00.permall"))

        # the same state again, not manufactured twice
        dom.create()
        procs = swtpm_pids(tag)
        assert len(procs) == 1 and procs[0][0] != pid, procs
        with open(log) as f:
            assert f.read().count("Starting vTPM manufacturing") == 1
        q = json.loads(libvirt_qemu.qemuMonitorCommand(dom, '{"execute":"query-tpm"}', 0))
        assert q["return"][0]["model"] == "tpm-crb", q
        dom.destroy()
        wait_for(lambda: not swtpm_pids(tag), "swtpm to end with its guest", timeout=30)
        assert os.path.isdir(state)
        dom.undefine()
        assert not os.path.exists(state)
        assert not swtpm_pids(tag)
    finally:
        if con:
            con.close()
        conn.close()
        d.stop()


def test_flags():
    d = Daemon().start()
    os.chmod(d.root, 0o711)  # swtpm runs as the QEMU user on paths below
    tag = d.root
    uri = d.uri()
    conn = libvirt.open(uri)
    state = os.path.join(d.dirs["state"], "swtpm", UUID2)
    try:
        # the default model and version, an encrypted state
        sec = conn.secretDefineXML("<secret ephemeral='no' private='yes'><uuid>%s</uuid>"
                                   "<usage type='vtpm'><name>vtpm-tf</name></usage></secret>"
                                   % SECRET)
        sec.setValue(b"a passphrase of the TPM state")
        dom = conn.defineXML(guest_xml("tf", UUID2, "<tpm><backend type='emulator'>"
                                       "<encryption secret='%s'/></backend></tpm>" % SECRET))
        assert "<tpm model='tpm-tis'>\n      <backend type='emulator' version='1.2'>" in \
            dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        dom.create()
        procs = swtpm_pids(tag)
        assert len(procs) == 1, procs
        argv = procs[0][1]
        assert "--tpm2" not in argv and "dir=%s/tpm1.2,mode=0600" % state in argv, argv
        assert "--key" in argv and "--migration-key" in argv, argv
        q = json.loads(libvirt_qemu.qemuMonitorCommand(dom, '{"execute":"query-tpm"}', 0))
        assert q["return"][0]["model"] == "tpm-tis", q
        dom.destroy()
        wait_for(lambda: not swtpm_pids(tag), "swtpm to end with its guest", timeout=30)
        # undefine keeps the state on request, and the next define finds it
        expect_error(lambda: dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_TPM |
                                               libvirt.VIR_DOMAIN_UNDEFINE_KEEP_TPM),
                     libvirt.VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
                     "cannot both keep and delete TPM")
        dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_KEEP_TPM)
        assert os.path.exists(os.path.join(state, "tpm1.2"))
        # persistent_state: kept by a plain undefine, removed with --tpm
        dom = conn.defineXML(guest_xml("tf", UUID2, "<tpm><backend type='emulator' "
                                       "persistent_state='yes'><encryption secret='%s'/>"
                                       "</backend></tpm>" % SECRET))
        p = virsh(uri, "undefine", "tf")
        assert os.path.exists(os.path.join(state, "tpm1.2")), p
        dom = conn.defineXML(guest_xml("tf", UUID2, "<tpm><backend type='emulator' "
                                       "persistent_state='yes'/></tpm>"))
        virsh(uri, "undefine", "tf", "--tpm")
        assert not os.path.exists(state)
        sec.undefine()

        # a passthrough TPM: defined, refused at start as libvirtd here
        dom = conn.defineXML(guest_xml("tp", UUID2, "<tpm model='tpm-tis'>"
                                       "<backend type='passthrough'>"
                                       "<device path='/dev/tpm0'/></backend></tpm>"))
        if not os.path.exists("/dev/tpm0"):
            expect_error(dom.create, libvirt.VIR_ERR_SYSTEM_ERROR, VIR_FROM_QEMU,
                         "Could not open TPM device /dev/tpm0: No such file or directory",
                         exact=True)
        dom.undefine()
        assert not swtpm_pids(tag)
    finally:
        conn.close()
        d.stop()


if __name__ == "__main__":
    run_tests([("guest", test_guest), ("flags", test_flags)])
