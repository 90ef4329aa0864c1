#!/usr/bin/python3
"""virsh-survey.py: everyday virsh commands, as a new user types them, against
virtkitd and against Debian's libvirtd in the same run; prints which work.

  scripts/virsh-survey.py [--build BUILD] [--only virtkit|libvirt] [--md FILE]

A measurement of breadth, not a test: a command "works" when Debian's virsh
exits 0 (its effect is checked by the suites of make check, not here). Both
daemons run in system mode with every directory under a temporary folder,
each inside its own network namespace (networks and bridges they create
never touch the host's); libvirtd also in a private mount namespace, as
scripts/bench.sh runs it. One test guest (scripts/build-test-guest.sh, TCG)
with a qcow2 disk goes through the whole list on each side; a storage pool
and a network are made and removed. Every process started here is stopped
by the pid recorded, and the folder removed.
"""

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# (command words, with {tmp} {guest} {disk} filled in). Order matters: it is
# one session of a user. The domain is "s", the pool "sp", the network "sn".
COMMANDS = [
    # the host
    "version", "uri", "hostname", "sysinfo", "nodeinfo", "capabilities",
    "domcapabilities", "freecell", "nodecpustats", "nodememstats", "nodecpumap",
    "cpu-models x86_64", "node-memory-tune",
    # a definition
    "define {tmp}/s.xml", "list --all", "dominfo s", "domstate s", "dumpxml s",
    "dumpxml --inactive s", "domuuid s", "domblklist s", "domiflist s", "vcpucount s",
    "autostart s", "autostart --disable s", "desc s --config --new-desc hello",
    "desc s --config", "metadata s http://example.org/survey --key ex --set '<a/>' --config",
    "metadata s http://example.org/survey --config", "domrename s s2", "domrename s2 s",
    "schedinfo s --config", "memtune s --config", "blkiotune s --config",
    # running
    "start s", "domid s", "domstats s", "dommemstat s", "domblkstat s vda", "domblkinfo s vda",
    "vcpuinfo s", "vcpupin s", "emulatorpin s", "iothreadadd s 1", "iothreadinfo s",
    "iothreadpin s 1 0", "iothreadset s 1 --poll-max-ns 100", "domstats s --iothread",
    "iothreaddel s 1", "schedinfo s", "memtune s", "domjobinfo s",
    "domifaddr s", "domcontrol s", "domdisplay s", "qemu-monitor-command s --hmp 'info status'",
    "suspend s", "resume s", "send-key s KEY_A", "screenshot s {tmp}/shot.ppm",
    "setmem s 200M --live", "setvcpus s 1 --live", "blockresize s vda 80M",
    "attach-disk s {tmp}/extra.img vdb --targetbus virtio --subdriver qcow2 --live", "detach-disk s vdb --live",
    "snapshot-create-as s snap1", "snapshot-list s", "snapshot-info s snap1",
    "snapshot-revert s snap1", "snapshot-delete s snap1",
    "dump s {tmp}/core --memory-only", "save s {tmp}/s.save", "restore {tmp}/s.save",
    "managedsave s", "start s", "reboot s", "reset s", "shutdown s", "destroy s",
    # storage
    "pool-list --all", "pool-define-as sp dir --target {tmp}/pool", "pool-build sp",
    "pool-start sp", "pool-info sp", "pool-dumpxml sp", "pool-autostart sp",
    "vol-create-as sp v1.qcow2 16M --format qcow2", "vol-list sp", "vol-info v1.qcow2 --pool sp",
    "vol-dumpxml v1.qcow2 --pool sp", "vol-path v1.qcow2 --pool sp",
    "vol-resize v1.qcow2 32M --pool sp", "vol-clone v1.qcow2 v2.qcow2 --pool sp",
    "vol-delete v2.qcow2 --pool sp", "vol-delete v1.qcow2 --pool sp", "pool-refresh sp",
    "pool-destroy sp", "pool-undefine sp",
    # networks
    "net-list --all", "net-define {tmp}/sn.xml", "net-start sn", "net-info sn",
    "net-dumpxml sn", "net-dhcp-leases sn", "net-autostart sn", "net-destroy sn",
    "net-undefine sn",
    # host resources
    "nodedev-list", "iface-list --all", "secret-list", "nwfilter-list",
    # and the end of the definition
    "undefine s --snapshots-metadata --managed-save",
]

DOMAIN = """<domain type='qemu'>
  <name>s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>{guest}/vmlinuz</kernel><initrd>{guest}/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check quiet</cmdline></os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='user'><model type='virtio'/></interface>
    <serial type='pty'/>
    <console type='pty'/>
  </devices>
</domain>
"""

NETWORK = """<network>
  <name>sn</name>
  <forward mode='nat'/>
  <bridge name='vksurvey0'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.150.10' end='192.168.150.50'/></dhcp>
  </ip>
</network>
"""

LIBVIRTD_WRAP = """#!/bin/sh
# Runs inside private mount and network namespaces (unshare -m -n).
set -e
ip link set lo up
mount --make-rprivate /
mount --bind "{d}/etc" /etc/libvirt
mount --bind "{d}/lib" /var/lib/libvirt
mount --bind "{d}/run" /run/libvirt
mount --bind "{d}/log" /var/log/libvirt
mount --bind "{d}/cache" /var/cache/libvirt
mount --bind "{d}/passwd" /etc/passwd
mount --bind "{d}/group" /etc/group
/usr/sbin/virtlogd -d -p "{d}/virtlogd.pid"
while [ ! -S /run/libvirt/virtlogd-sock ]; do sleep 0.01; done
exec /usr/sbin/libvirtd -p "{d}/libvirtd.pid"
"""


def log(msg):
    print("survey: " + msg, file=sys.stderr, flush=True)


def wait_socket(path, proc, what, secs=30):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if os.path.exists(path):
            return
        if proc.poll() is not None:
            raise SystemExit("survey: %s exited with %d before its socket" % (what, proc.returncode))
        time.sleep(0.02)
    raise SystemExit("survey: %s: no socket %s after %d s" % (what, path, secs))


class Side:
    def __init__(self, name, root):
        self.name = name
        self.root = root
        self.proc = None
        self.pidfiles = []
        os.makedirs(root)

    def stop(self):
        for f in self.pidfiles:
            try:
                with open(f) as fh:
                    os.kill(int(fh.read().strip()), signal.SIGTERM)
            except (OSError, ValueError):
                pass
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_virtkit(build, root):
    side = Side("virtkitd", root)
    d = {k: os.path.join(root, k) for k in ("config", "state", "run", "log", "cache")}
    for p in d.values():
        os.makedirs(p)
    vkd = os.path.join(build, "src", "daemon", "virtkitd")
    argv = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "vkd", vkd,
            "--system", "--config-dir", d["config"], "--state-dir", d["state"],
            "--runtime-dir", d["run"], "--log-dir", d["log"], "--cache-dir", d["cache"]]
    side.proc = subprocess.Popen(argv, stdout=open(os.path.join(root, "daemon.log"), "w"),
                                 stderr=subprocess.STDOUT)
    sock = os.path.join(d["run"], "virtkit-sock")
    wait_socket(sock, side.proc, "virtkitd")
    side.uri = "qemu+unix:///system?socket=" + sock
    return side


def start_libvirt(root, created_dirs):
    side = Side("libvirtd", root)
    for k in ("etc", "lib", "run", "log", "cache"):
        os.makedirs(os.path.join(root, k))
    for d in ("/etc/libvirt", "/var/lib/libvirt", "/run/libvirt", "/var/log/libvirt",
              "/var/cache/libvirt"):
        if not os.path.isdir(d):
            os.mkdir(d)
            created_dirs.append(d)
    with open(os.path.join(root, "etc", "qemu.conf"), "w") as f:
        f.write('user = "root"\ngroup = "root"\n')
    open(os.path.join(root, "etc", "libvirtd.conf"), "w").close()
    # the qemu driver of Debian's libvirtd parses its default user even when
    # qemu.conf says root: give it one in the namespace's own passwd
    for db, line in (("passwd", "libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:"
                                "/usr/sbin/nologin\n"), ("group", "libvirt-qemu:x:64055:\n")):
        shutil.copy("/etc/" + db, os.path.join(root, db))
        if subprocess.run(["getent", db, "libvirt-qemu"], capture_output=True).returncode:
            with open(os.path.join(root, db), "a") as f:
                f.write(line)
    wrap = os.path.join(root, "wrap.sh")
    with open(wrap, "w") as f:
        f.write(LIBVIRTD_WRAP.format(d=root))
    side.pidfiles = [os.path.join(root, "libvirtd.pid"), os.path.join(root, "virtlogd.pid")]
    side.proc = subprocess.Popen(["unshare", "-m", "-n", "sh", wrap],
                                 stdout=open(os.path.join(root, "daemon.log"), "w"),
                                 stderr=subprocess.STDOUT)
    sock = os.path.join(root, "run", "libvirt-sock")
    wait_socket(sock, side.proc, "libvirtd")
    side.uri = "qemu+unix:///system?socket=" + sock
    return side


def run_side(side, guest, tmp):
    """Every command of COMMANDS against @side; returns [(cmd, ok, first line)]."""
    work = os.path.join(tmp, side.name + "-work")
    os.makedirs(os.path.join(work, "pool"))
    disk = os.path.join(work, "s.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"], check=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", os.path.join(work, "extra.img"),
                    "16M"], check=True)
    os.chmod(work, 0o755)
    for f in (disk, os.path.join(work, "extra.img")):
        os.chmod(f, 0o666)
    with open(os.path.join(work, "s.xml"), "w") as f:
        f.write(DOMAIN.format(guest=guest, disk=disk))
    with open(os.path.join(work, "sn.xml"), "w") as f:
        f.write(NETWORK)
    results = []
    for cmd in COMMANDS:
        words = shlex.split(cmd.format(tmp=work, guest=guest, disk=disk))
        try:
            r = subprocess.run(["virsh", "-q", "-c", side.uri] + words, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=120)
            ok = r.returncode == 0
            # virsh's last error line is the reason (the first is generic)
            msg = [l.strip() for l in (r.stdout if ok else r.stderr).splitlines()
                   if l.strip()][-1:]
        except subprocess.TimeoutExpired:
            ok, msg = False, ["timed out after 120 s"]
        results.append((cmd, ok, msg[0] if msg else ""))
        if cmd in ("start s", "restore {tmp}/s.save", "reboot s") and ok:
            time.sleep(3)   # let the guest boot: the next commands act on it
    # leave nothing running
    for c in (["destroy", "s"], ["net-destroy", "sn"], ["pool-destroy", "sp"]):
        subprocess.run(["virsh", "-q", "-c", side.uri] + c, capture_output=True, timeout=60)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--only", choices=["virtkit", "libvirt"])
    ap.add_argument("--md", help="also write the table to this file")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("survey: run as root (system-mode daemons, namespaces)")
    guest = subprocess.run([os.path.join(TOP, "scripts", "build-test-guest.sh")],
                           capture_output=True, text=True, check=True).stdout.strip()
    tmp = tempfile.mkdtemp(prefix="vksurvey-")
    os.chmod(tmp, 0o755)
    created_dirs = []
    sides = []
    table = {}
    try:
        if args.only != "libvirt":
            s = start_virtkit(os.path.abspath(args.build), os.path.join(tmp, "vk"))
            sides.append(s)
            log("virtkitd: %d commands" % len(COMMANDS))
            table["virtkitd"] = run_side(s, guest, tmp)
            s.stop()
        if args.only != "virtkit":
            s = start_libvirt(os.path.join(tmp, "lv"), created_dirs)
            sides.append(s)
            log("libvirtd: %d commands" % len(COMMANDS))
            table["libvirtd"] = run_side(s, guest, tmp)
            s.stop()
    finally:
        for s in sides:
            s.stop()
        for d in reversed(created_dirs):
            try:
                os.rmdir(d)
            except OSError:
                pass
        if os.environ.get("SURVEY_KEEP"):
            log("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    names = list(table)
    lines = ["| virsh command | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    for i, cmd in enumerate(COMMANDS):
        cells = []
        for n in names:
            _, ok, msg = table[n][i]
            cells.append("ok" if ok else "fails: " + msg.replace("|", "\\|")[:120])
        lines.append("| `%s` | %s |" % (cmd.replace("{tmp}/", ""), " | ".join(cells)))
    summary = ", ".join("%s %d of %d" % (n, sum(1 for r in table[n] if r[1]), len(COMMANDS))
                        for n in names)
    lines.append("")
    lines.append("Commands that exit 0: " + summary + ".")
    out = "\n".join(lines) + "\n"
    print(out)
    if args.md:
        with open(args.md, "w") as f:
            f.write(out)


if __name__ == "__main__":
    main()
