#!/usr/bin/env python3
"""A running guest's background jobs and block controls through virtkitd, with the real clients.

One test guest (scripts/build-test-guest.sh, TCG, 256 MiB, a raw virtio
disk) serves every case:
- virDomainAbortJob / AbortJobFlags (virsh domjobabort): a save, a managed
  save and a core dump are held by QEMU before their switch-over (the
  migration capability pause-before-switchover, set behind the driver's
  back with qemu-monitor-command, so the job cannot end before the abort
  reaches it), then aborted from Debian's virsh, python3-libvirt and vksh;
  each fails with libvirt's "operation aborted: job '...' canceled by
  client", leaves no file, and the guest runs on (QEMU's own run state);
  with no job, a post-copy abort, flags, a shut-off domain, a read-only
  connection: libvirt 9.0's errors, code and domain.
- virDomainGetDiskErrors (virsh/vksh domblkerror): the guest's disk is a
  sparse image on a 2 MiB tmpfs and its init writes 4 MiB to it at boot
  (virtkit.writedisk=1): QEMU stops the guest on ENOSPC and the disk reads
  "vda: no space" through virsh, vksh and python3-libvirt; once the tmpfs
  grows and the guest is resumed its write completes (the pattern is in
  the image) and the status stays, as on libvirtd 9.0. Not as root: a
  plain image, "No errors found".
- vksh domblkthreshold: the threshold lands on the disk's node in QEMU
  (query-named-block-nodes), and a disk the guest lacks is refused.
- vksh qemu-monitor-command prints what Debian's virsh prints against the
  same daemon (QMP as JSON or wrapped from words, --pretty, --return-value,
  --hmp, QEMU's error replies), and its command reaches QEMU (a "stop"
  sent through vksh pauses the guest: QEMU's query-status, the domain's
  state paused/user as libvirt reports a pause behind its back).
"""
import glob
import json
import os
import re
import subprocess
import sys
import threading

from vkdtest import (Daemon, Skip, run_tests, test_guest_dir, virsh, wait_for, wait_guest,
                     write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VIR_FROM_QEMU = 10
VIR_FROM_DOMAIN = 20


def guest_xml(name, guest, serial, disk, cmdline=""):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet %s</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='%s'/><target dev='vda' bus='virtio'/></disk>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, cmdline, disk, serial)


def console(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def vksh(uri, *args, check=True):
    env = dict(os.environ, LC_ALL="C", LANG="C")
    p = subprocess.run([os.environ["VKSH"], "-q", "-c", uri] + list(args),
                       capture_output=True, text=True, timeout=120, env=env)
    if check and p.returncode != 0:
        raise AssertionError("vksh %s failed (%d): %s" % (args, p.returncode, p.stderr))
    return p


def qmp(uri, name, cmd, **arguments):
    text = json.dumps({"execute": cmd, "arguments": arguments} if arguments
                      else {"execute": cmd})
    out = virsh(uri, "qemu-monitor-command", name, text).stdout
    return json.loads(out)["return"]


def py_error(fn):
    try:
        fn()
    except libvirt.libvirtError as e:
        return (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    raise AssertionError("no error from %r" % fn)


class Guest:
    """The one guest of the suite: defined, its console and disk. As root its
    disk is on a 2 MiB tmpfs the guest overfills at boot (see above)."""

    def __init__(self, d):
        guest = test_guest_dir()
        if not guest:
            raise Skip("test guest not available (scripts/build-test-guest.sh)")
        self.d = d
        self.uri = d.uri()
        self.name = "jobs"
        self.serial = os.path.join(d.root, "jobs.serial")
        self.mnt = None
        os.chmod(d.root, 0o755)
        if os.geteuid() == 0:
            self.mnt = os.path.join(d.root, "tiny")
            os.mkdir(self.mnt)
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0777", "tmpfs",
                            self.mnt], check=True)
        self.disk = os.path.join(self.mnt or d.root, "jobs-disk.img")
        with open(self.disk, "wb") as f:
            f.truncate(16 * 1024 * 1024)
        os.chmod(self.disk, 0o666)
        cmdline = "virtkit.writedisk=1" if self.mnt else ""
        virsh(self.uri, "define", write(os.path.join(d.root, "jobs.xml"),
                                        guest_xml(self.name, guest, self.serial, self.disk,
                                                  cmdline)))

    def close(self):
        if self.mnt:
            subprocess.run(["umount", "-l", self.mnt], check=False)
            self.mnt = None

    def wait_ready(self):
        wait_guest(lambda: "GUEST-READY" in console(self.serial), "GUEST-READY", 120,
                   self.uri, self.name, self.serial, self.d, cpu_budget=20)

    def qemu_running(self):
        return qmp(self.uri, self.name, "query-status")["status"] == "running"


def disk_errors(g, dom):
    """The disk full at boot: QEMU stops the guest, every client reads it."""
    uri = g.uri
    wait_guest(lambda: virsh(uri, "domstate", "--reason", g.name).stdout.strip() ==
               "paused (I/O error)", "the guest to pause on ENOSPC", 120,
               uri, g.name, g.serial, g.d, cpu_budget=20)
    out = virsh(uri, "domblkerror", g.name).stdout
    assert out.strip() == "vda: no space", out
    assert dom.diskErrors() == {"vda": libvirt.VIR_DOMAIN_DISK_ERROR_NO_SPACE}
    if os.environ.get("VKSH"):
        assert vksh(uri, "domblkerror", g.name).stdout == out
    # room for the write: resumed, the guest's request is retried and done
    subprocess.run(["mount", "-o", "remount,size=64m", g.mnt], check=True)
    virsh(uri, "resume", g.name)
    wait_guest(lambda: "GUEST-DISK-WRITTEN" in console(g.serial), "GUEST-DISK-WRITTEN",
               120, uri, g.name, g.serial, g.d, cpu_budget=20)
    # QEMU keeps a device's I/O status after "cont" (-blockdev devices are
    # not reset), and so libvirtd 9.0 still reports the error (checked)
    out = virsh(uri, "domblkerror", g.name).stdout
    assert out.strip() == "vda: no space", out
    with open(g.disk, "rb") as f:
        assert f.read(21) == b"VIRTKIT-TEST-PATTERN\n"


def held_job(g, start, tmp_glob):
    """Run @start (a blocking call ending in a libvirtError) in a thread
    while QEMU holds the migration before its switch-over; returns
    (thread, outcome dict) once the job's temporary file has data, i.e.
    the job is marked and QEMU writes."""
    qmp(g.uri, g.name, "migrate-set-capabilities",
        capabilities=[{"capability": "pause-before-switchover", "state": True}])
    out = {}

    def run():
        try:
            start()
            out["ok"] = True
        except libvirt.libvirtError as e:
            out["err"] = (e.get_error_code(), e.get_error_domain(), e.get_error_message())

    t = threading.Thread(target=run, daemon=True)
    t.start()
    wait_for(lambda: any(os.path.getsize(p) > 1024 * 1024 for p in glob.glob(tmp_glob, recursive=True)),
             "the job's temporary file %s to fill" % tmp_glob, 120)
    return t, out


def check_aborted(g, t, out, job, leftovers):
    t.join(120)
    assert not t.is_alive(), "the aborted job did not return"
    assert out.get("err") == (libvirt.VIR_ERR_OPERATION_ABORTED, VIR_FROM_QEMU,
                              "operation aborted: job '%s' canceled by client" % job), out
    assert not glob.glob(leftovers, recursive=True), leftovers
    st = virsh(g.uri, "domstate", "--reason", g.name).stdout.strip()
    assert st.startswith("running"), st
    assert g.qemu_running()


def test_guest():
    d = Daemon().start()
    g = Guest(d)
    try:
        guest_cases(d, g)
    finally:
        g.close()


MONITOR_CASES = [
    ["query-status"],
    ["--pretty", "query-status"],
    ["--return-value", "query-name"],
    ["--return-value", "--pretty", '{"execute":"query-status"}'],
    ["--pretty", '{"execute":"query-migrate"}'],
    ["--pretty", "query-block"],
    ["--pretty", "--return-value", "query-hotpluggable-cpus"],
    ["qom-get", '"path":"/machine","property":"type"'],
    ["qom-get", '{"path":"/machine","property":"type"}'],
    ['{"execute":"query-name"}', ""],
    ['{"execute":"nosuchcmd"}'],
    ["not json"],
    ["--return-value", '{"execute":"nosuch"}'],
    ["--hmp", "info", "status"],
    ["--hmp", "--pretty", "info"],
    ["query-name", "extra"],
]


def monitor_command(g):
    env = dict(os.environ, LC_ALL="C", LANG="C")
    for case in MONITOR_CASES:
        got = []
        for prog in ("virsh", os.environ["VKSH"]):
            p = subprocess.run([prog, "-c", g.uri, "qemu-monitor-command", g.name] + case,
                               capture_output=True, text=True, timeout=120, env=env)
            # QEMU's command ids differ from one call to the next
            got.append((p.returncode, re.sub(r'"id": ?"[^"]*"', '"id"', p.stdout),
                        p.stderr.splitlines()[:1]))
        assert got[0] == got[1], (case, got)
    # the command reaches QEMU: a stop pauses the guest
    vksh(g.uri, "qemu-monitor-command", g.name, "stop")
    assert qmp(g.uri, g.name, "query-status")["status"] == "paused"
    wait_for(lambda: virsh(g.uri, "domstate", "--reason", g.name).stdout.strip() ==
             "paused (user)", "the domain's paused state", 30)
    vksh(g.uri, "qemu-monitor-command", g.name, "--hmp", "cont")
    assert g.qemu_running()


def guest_cases(d, g):
    uri = g.uri
    py = libvirt.open(uri)
    dom = py.lookupByName(g.name)

    # shut off: libvirt's "domain is not running" (domain error domain)
    not_running = (libvirt.VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                   "Requested operation is not valid: domain is not running")
    assert py_error(dom.abortJob) == not_running
    assert py_error(dom.diskErrors) == not_running
    virsh(uri, "start", g.name)
    if g.mnt:
        disk_errors(g, dom)
    g.wait_ready()
    if not g.mnt:
        assert dom.diskErrors() == {}
        assert virsh(uri, "domblkerror", g.name).stdout.strip() == "No errors found"
    # no job runs
    assert py_error(dom.abortJob) == (
        libvirt.VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
        "Requested operation is not valid: no job is active on the domain")
    p = virsh(uri, "domjobabort", g.name, check=False)
    assert p.returncode == 1 and \
        "error: Requested operation is not valid: no job is active on the domain" in p.stderr, \
        p.stderr
    p = virsh(uri, "domjobabort", g.name, "--postcopy", check=False)
    assert p.returncode == 1 and "current job is not outgoing migration in post-copy mode" \
        in p.stderr, p.stderr
    assert py_error(lambda: dom.abortJobFlags(2)) == (
        libvirt.VIR_ERR_INVALID_ARG, VIR_FROM_QEMU,
        "unsupported flags (0x2) in function qemuDomainAbortJobFlags")
    p = virsh(uri, "domjobabort", g.name, readonly=True, check=False)
    assert p.returncode == 1 and \
        "operation forbidden: read only access prevents virDomainAbortJob" in p.stderr, p.stderr

    # a save aborted by Debian's virsh
    target = os.path.join(d.root, "jobs.save")
    t, out = held_job(g, lambda: dom.save(target), target + ".vksave-*")
    virsh(uri, "domjobabort", g.name)
    check_aborted(g, t, out, "domain save", target + "*")
    assert virsh(uri, "domstate", "--reason", g.name).stdout.strip() == \
        "running (save canceled)"

    # a managed save aborted by python3-libvirt: no image is kept
    t, out = held_job(g, lambda: dom.managedSave(0),
                      os.path.join(d.root, "**", "save", "jobs.save.vksave-*"))
    dom.abortJob()
    check_aborted(g, t, out, "domain save",
                  os.path.join(d.root, "**", "save", "jobs.save*"))
    assert dom.hasManagedSaveImage() == 0

    # a core dump aborted by vksh
    if os.environ.get("VKSH"):
        target = os.path.join(d.root, "jobs.core")
        t, out = held_job(g, lambda: dom.coreDumpWithFormat(target, 0, 0),
                          target + ".vkdump-*")
        vksh(uri, "domjobabort", g.name)
        check_aborted(g, t, out, "domain core dump", target + "*")
    # vksh domblkthreshold: the threshold lands on the disk's node in QEMU
    if os.environ.get("VKSH"):
        vksh(uri, "domblkthreshold", g.name, "vda", "3M")
        nodes = qmp(uri, g.name, "query-named-block-nodes")
        got = {n["node-name"]: n.get("write_threshold") for n in nodes}
        assert 3 * 1024 * 1024 in got.values(), got
        p = vksh(uri, "domblkthreshold", g.name, "vdz", "1", check=False)
        assert p.returncode == 1 and "error: invalid argument: failed to find disk 'vdz'" \
            in p.stderr, p.stderr
        p = vksh(uri, "domblkthreshold", g.name, "vda", "1x", check=False)
        assert p.returncode == 1 and "unknown suffix 'x'" in p.stderr, p.stderr

    if os.environ.get("VKSH"):
        monitor_command(g)

    # the guest still answers: its console prints on the power button
    qmp(uri, g.name, "migrate-set-capabilities",
        capabilities=[{"capability": "pause-before-switchover", "state": False}])
    virsh(uri, "shutdown", g.name)
    wait_guest(lambda: "GUEST-POWERBUTTON" in console(g.serial), "GUEST-POWERBUTTON", 60,
               uri, g.name, g.serial, d, cpu_budget=10)
    wait_for(lambda: virsh(uri, "domstate", g.name).stdout.strip() == "shut off",
             "the guest to power off", 60)
    py.close()
    d.stop()


if __name__ == "__main__":
    run_tests([("abort_job_disk_errors_threshold", test_guest)])
