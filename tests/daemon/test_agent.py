#!/usr/bin/env python3
"""The QEMU guest agent through virtkitd (issue 15): Debian's virsh and
python3-libvirt against one guest running Debian's own qemu-ga (the test
guest's 'agent' variant): its host name, its clock read and set (and set
back from its RTC), freezing and thawing its mounted ext2, fstrim, the errors of a guest whose agent is absent or not
configured, and how long they take (no timeout wait: QEMU says the port is
closed)."""
import base64
import json
import os
import shutil
import subprocess
import time

from vkdtest import (Daemon, Skip, booting_xml, diskless_xml, domstate, make_tmpdir, run_tests,
                     virsh, wait_for, write)
from vkdtest import test_guest_dir

HERE = os.path.dirname(os.path.abspath(__file__))
CHAN = ("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>"
        "</channel>")

PY_CLIENT = r"""
import sys, libvirt
conn = libvirt.open(sys.argv[1])
dom = conn.lookupByName(sys.argv[2])
print("hostname", dom.hostname())
import libvirt_qemu
print("agentcmd", libvirt_qemu.qemuAgentCommand(dom, '{"execute":"guest-get-host-name"}',
      libvirt_qemu.VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT, 0))
dom.setUserPassword("vkuser", "pw2")
dom.agentSetResponseTimeout(5)
print("fsinfo", dom.fsInfo())
gi = dom.guestInfo(libvirt.VIR_DOMAIN_GUEST_INFO_OS | libvirt.VIR_DOMAIN_GUEST_INFO_FILESYSTEM)
print("guestinfo", gi["os.id"], gi["fs.count"], gi["fs.0.mountpoint"], gi["fs.0.disk.0.alias"],
      "hostname" in gi)
print("froze", dom.fsFreeze())
print("thawed", dom.fsThaw())
t = dom.getTime()
print("time", t["seconds"], t["nseconds"])
dom.setTime({"seconds": 1900000000, "nseconds": 0})
print("after", dom.getTime()["seconds"])
dom.setTime(flags=libvirt.VIR_DOMAIN_TIME_SYNC)
print("synced", dom.getTime()["seconds"])
try:
    conn.lookupByName(sys.argv[3]).getTime()
except libvirt.libvirtError as e:
    print("absent", e.get_error_code(), e.get_error_domain(), e.get_error_message())
"""


def agent_guest_dir():
    return test_guest_dir("agent")


def virsh_counts(uri, *args):
    """virsh without -q: domfsfreeze/domfsthaw print their count as extra
    output (vshPrintExtra), which -q silences."""
    p = subprocess.run(["/usr/bin/virsh", "-c", uri] + list(args), capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, (args, p.stderr)
    return p.stdout.strip()


def timed_virsh(uri, *args):
    t0 = time.monotonic()
    p = virsh(uri, *args, check=False)
    return p, time.monotonic() - t0


def test_agent_calls():
    """One guest with qemu-ga: domhostname, domtime (get, --time, --sync,
    --pretty) with virsh, the same with python3-libvirt; beside it a
    firmware guest with the channel (port never opened) and one without."""
    guest = agent_guest_dir()
    if not guest:
        raise Skip("agent test guest not available (scripts/build-test-guest.sh)")
    if not os.path.exists("/usr/bin/python3"):
        raise Skip("no /usr/bin/python3")
    d = Daemon().start()
    uri = d.uri("qemu")
    serial = os.path.join(d.root, "ag.serial")
    work = make_tmpdir()
    os.chmod(work, 0o755)  # QEMU runs as the qemu user
    disk = os.path.join(work, "ag.img")
    with open(disk, "wb") as f:
        f.truncate(16 << 20)
    xml = booting_xml("ag", guest, serial).replace(
        "quiet</cmdline>", "quiet virtkit.hostname=vkagent</cmdline>").replace(
        "</devices>", CHAN + "<disk type='file' device='disk'><driver name='qemu' "
        "type='raw'/><source file='%s'/><target dev='vda' bus='virtio'/></disk>"
        "</devices>" % disk)
    assert "virtkit.hostname=vkagent" in xml
    write(os.path.join(d.root, "na.xml"),
          diskless_xml("na").replace("</devices>", CHAN + "</devices>"))
    write(os.path.join(d.root, "nc.xml"), diskless_xml("nc"))
    virsh(uri, "define", write(os.path.join(d.root, "ag.xml"), xml))
    for n in ("ag", "na", "nc"):
        if n != "ag":
            virsh(uri, "define", os.path.join(d.root, n + ".xml"))
        virsh(uri, "start", n)

    # agent absent (the port never opened) or not configured: libvirt's
    # errors at once, not after a timeout
    p, took = timed_virsh(uri, "domtime", "na")
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: Guest agent is not responding: QEMU guest agent is not connected"), p.stderr
    assert took < 5, took
    p, took = timed_virsh(uri, "domhostname", "nc")
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: failed to get hostname\n"
        "error: argument unsupported: QEMU guest agent is not configured"), p.stderr
    assert took < 5, took

    wait_for(lambda: os.path.exists(serial) and "GUEST-QGA-STARTED" in open(serial).read(),
             "qemu-ga in the guest", 180)
    # qemu-ga opens its port a moment after it starts
    wait_for(lambda: virsh(uri, "domhostname", "ag", check=False).returncode == 0,
             "the agent answering", 60, step=0.2)
    p = virsh(uri, "domhostname", "ag", "--source", "agent")
    assert p.stdout.strip() == "vkagent", repr(p.stdout)

    # domfsinfo: the guest's ext2 on /mnt, on the definition's disk vda
    # (matched by the PCI address the agent gives)
    p = virsh(uri, "domfsinfo", "ag")
    print("# " + p.stdout.replace("\n", "\n# "))
    rows = [line.split() for line in p.stdout.strip().splitlines()]  # -q: no header
    assert rows == [["/mnt", "vda", "ext2", "vda"]], p.stdout
    # guestinfo: what the guest says about itself
    p = virsh(uri, "guestinfo", "ag")
    print("# " + p.stdout.replace("\n", "\n# "))
    info = dict((k.strip(), v.strip()) for k, v in
                (line.split(":", 1) for line in p.stdout.strip().splitlines()))
    uname = subprocess.run(["cat", os.path.join(guest, "VERSION")], capture_output=True,
                           text=True).stdout.strip()
    assert info["hostname"] == "vkagent", info
    assert info["os.id"] == "virtkit" and info["os.pretty-name"] == "virtkit test guest 1", info
    assert info["os.kernel-release"] == uname, (info, uname)
    assert info["os.machine"] == "x86_64", info
    assert info["timezone.offset"] == "0", info
    assert info["user.count"] == "0", info
    assert info["fs.count"] == "1" and info["fs.0.mountpoint"] == "/mnt", info
    assert info["fs.0.fstype"] == "ext2" and info["fs.0.disk.0.alias"] == "vda", info
    assert int(info["fs.0.total-bytes"]) > 10 << 20, info
    assert info["disk.count"] == "1" and info["disk.0.name"] == "/dev/vda", info
    assert info["disk.0.alias"] == "vda" and info["disk.0.partition"] == "no", info
    assert info["if.count"] == "1" and info["if.0.name"] == "lo", info
    # the categories asked for, and only them, in libvirt's order
    p = virsh(uri, "guestinfo", "ag", "--hostname", "--timezone")
    assert p.stdout.strip().splitlines() == [
        "timezone.name       : UTC", "timezone.offset     : 0",
        "hostname            : vkagent"], p.stdout
    p = virsh(uri, "guestinfo", "ag", "--os", check=False, readonly=True)
    assert "read only access prevents virDomainGetGuestInfo" in p.stderr, p.stderr
    p = virsh(uri, "guestinfo", "na", check=False)
    assert "QEMU guest agent is not connected" in p.stderr, p.stderr

    # qemu-agent-command (libvirt-qemu's call, QEMU program procedure 3):
    # the agent's whole reply; --pretty reformatted by virsh itself, the
    # same bytes from vksh
    p = virsh(uri, "qemu-agent-command", "ag", '{"execute":"guest-ping"}')
    assert p.stdout == '{"return":{}}\n', repr(p.stdout)
    p = virsh(uri, "qemu-agent-command", "ag", "--pretty", "--block",
              '{"execute":"guest-get-host-name"}')
    # (libvirt's pretty JSON ends in a newline, and virsh adds one)
    assert p.stdout == '{\n  "return": {\n    "host-name": "vkagent"\n  }\n}\n\n', \
        repr(p.stdout)
    if os.environ.get("VKSH"):
        q = subprocess.run([os.environ["VKSH"], "-q", "-c", uri, "qemu-agent-command", "ag",
                            "--pretty", "--timeout", "10", '{"execute":"guest-get-host-name"}'],
                           capture_output=True, text=True, timeout=60)
        assert q.returncode == 0 and q.stdout == p.stdout, (q.stdout, q.stderr)
    p = virsh(uri, "qemu-agent-command", "ag", '{"execute":"guest-nosuch"}', check=False)
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: internal error: unable to execute QEMU agent command 'guest-nosuch': "
        "The command guest-nosuch has not been found"), p.stderr
    p = virsh(uri, "qemu-agent-command", "ag", "{nojson", check=False)
    assert p.returncode == 1 and "error: internal error: cannot parse json {nojson" in p.stderr, \
        p.stderr
    p = virsh(uri, "qemu-agent-command", "ag", '{"execute":"guest-ping"}', check=False,
              readonly=True)
    assert "read only access prevents virDomainQemuAgentCommand" in p.stderr, p.stderr

    def guest_file(path):
        """A guest file's text, read with the agent's guest-file-* commands."""
        def agent(cmd):
            return json.loads(virsh(uri, "qemu-agent-command", "ag", json.dumps(cmd))
                              .stdout)["return"]
        h = agent({"execute": "guest-file-open", "arguments": {"path": path}})
        r = agent({"execute": "guest-file-read", "arguments": {"handle": h, "count": 65536}})
        agent({"execute": "guest-file-close", "arguments": {"handle": h}})
        return base64.b64decode(r["buf-b64"]).decode()

    def shadow(user):
        return [line for line in guest_file("/etc/shadow").splitlines()
                if line.startswith(user + ":")][0].split(":")[1]

    # set-user-password: the guest's /etc/shadow changes (busybox chpasswd)
    assert shadow("vkuser") == "!", guest_file("/etc/shadow")
    p = virsh_counts(uri, "set-user-password", "ag", "vkuser", "s3cret")
    assert p == "Password set successfully for vkuser in ag", p
    hashed = shadow("vkuser")
    assert hashed.startswith("$") and len(hashed) > 20, hashed
    virsh(uri, "set-user-password", "ag", "root", "$6$vksalt$abcdef", "--encrypted")
    assert shadow("root") == "$6$vksalt$abcdef", guest_file("/etc/shadow")
    assert shadow("vkuser") == hashed
    p = virsh(uri, "set-user-password", "ag", "nosuchuser", "x", check=False)
    assert p.returncode == 1 and "unable to execute QEMU agent command " \
        "'guest-set-user-password'" in p.stderr, p.stderr

    # guest-agent-timeout: 0 (no wait) makes the next agent call give up
    # at once; back to blocking, it answers again
    p = virsh(uri, "guest-agent-timeout", "ag", "--timeout", "-3", check=False)
    assert p.stderr.strip() == ("error: invalid argument: guest agent timeout '-3' is less "
                                "than the minimum '-2'"), p.stderr
    virsh(uri, "guest-agent-timeout", "ag", "--timeout", "0")
    p = virsh(uri, "domtime", "ag", check=False)
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: Guest agent is not responding: Guest agent not available for now"), p.stderr
    # the timeout is kept in the status file (libvirt's <agentTimeout>): a
    # restarted daemon still gives up at once (a lost one would block and
    # answer); the agent itself answers a call that blocks
    d.stop()
    with open(os.path.join(d.dirs["run"], "qemu", "ag.xml")) as f:
        assert "<agentTimeout>0</agentTimeout>" in f.read()
    d.start()
    wait_for(lambda: virsh(uri, "qemu-agent-command", "ag", "--block",
                           '{"execute":"guest-ping"}', check=False).returncode == 0,
             "the agent answering after the restart", 60, step=0.2)
    p = virsh(uri, "domtime", "ag", check=False)
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: Guest agent is not responding: Guest agent not available for now"), p.stderr
    virsh(uri, "guest-agent-timeout", "ag")
    virsh(uri, "domtime", "ag")

    # the guest's clock came from its RTC, i.e. the host's time (UTC)
    p = virsh(uri, "domtime", "ag")
    guest_now = int(p.stdout.split()[1])
    assert abs(guest_now - time.time()) < 120, (guest_now, time.time())
    # --time sets the guest's clock (read back through the agent:
    # guest-get-time is the guest's own gettimeofday)
    virsh(uri, "domtime", "ag", "--time", "2000000000")
    p = virsh(uri, "domtime", "ag")
    assert 2000000000 <= int(p.stdout.split()[1]) < 2000000000 + 60, p.stdout
    p = virsh(uri, "domtime", "ag", "--pretty")
    assert p.stdout.startswith("Time: 2033-05-18 03:3"), p.stdout
    # --sync: the guest sets its clock from its RTC (hwclock -s); qemu-ga
    # wrote the time given above to the RTC too (hwclock -w), so the clock
    # stays in 2033 (a failed hwclock would be an agent error)
    virsh(uri, "domtime", "ag", "--sync")
    p = virsh(uri, "domtime", "ag")
    assert 2000000000 <= int(p.stdout.split()[1]) < 2000000000 + 60, p.stdout
    virsh(uri, "domtime", "ag", "--now")
    p = virsh(uri, "domtime", "ag")
    assert abs(int(p.stdout.split()[1]) - time.time()) < 10, p.stdout
    # read-only connections are refused, as libvirt
    p = virsh(uri, "domtime", "ag", check=False, readonly=True)
    assert "read only access prevents virDomainGetTime" in p.stderr, p.stderr

    # freeze and thaw: the guest's ext2 on /mnt (its only filesystem on a
    # block device; qemu-ga leaves the initramfs and virtual ones alone)
    assert "GUEST-MNT-READY" in open(serial).read()
    assert virsh_counts(uri, "domfsfreeze", "ag") == "Froze 1 filesystem(s)"
    assert virsh_counts(uri, "domfsthaw", "ag") == "Thawed 1 filesystem(s)"
    assert virsh_counts(uri, "domfsfreeze", "ag", "--mountpoint", "/mnt") == "Froze 1 filesystem(s)"
    # libvirt's QEMU driver thaws all or nothing
    p = virsh(uri, "domfsthaw", "ag", "/mnt", check=False)
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: Unable to thaw filesystems\nerror: argument unsupported: specifying "
        "mountpoints is not supported"), p.stderr
    assert virsh_counts(uri, "domfsthaw", "ag") == "Thawed 1 filesystem(s)"
    # a mount point the guest does not have: qemu-ga 7.2 freezes nothing
    assert virsh_counts(uri, "domfsfreeze", "ag", "/nosuch") == "Froze 0 filesystem(s)"
    assert virsh_counts(uri, "domfsthaw", "ag") == "Thawed 0 filesystem(s)"
    virsh(uri, "domfstrim", "ag", "--minimum", "4096")
    p = virsh(uri, "domfstrim", "ag", "--mountpoint", "/mnt", check=False)
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: Unable to invoke fstrim\nerror: argument unsupported: Specifying mount "
        "point is not supported for now"), p.stderr
    p = virsh(uri, "domfsfreeze", "na", check=False)
    assert "QEMU guest agent is not connected" in p.stderr, p.stderr

    # snapshot-create --quiesce (disk-only, external): the agent freezes the
    # guest's filesystems around it, and freezing syncs them: a file the
    # guest just wrote (still in its page cache; Linux writes back after
    # 30 s) is in the snapshot's base image, read with debugfs
    def agent(cmd):
        return json.loads(virsh(uri, "qemu-agent-command", "ag", json.dumps(cmd))
                          .stdout)["return"]

    p = virsh(uri, "snapshot-create-as", "ag", "sq", "--quiesce", check=False)
    assert p.returncode == 1 and "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required " \
        "by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'" in p.stderr, p.stderr
    h = agent({"execute": "guest-file-open",
               "arguments": {"path": "/mnt/quiesce.txt", "mode": "w"}})
    agent({"execute": "guest-file-write", "arguments": {
        "handle": h, "buf-b64": base64.b64encode(b"VIRTKIT-QUIESCED\n").decode()}})
    agent({"execute": "guest-file-close", "arguments": {"handle": h}})
    overlay = os.path.join(work, "ag-sq.qcow2")
    virsh(uri, "snapshot-create-as", "ag", "sq", "--disk-only", "--quiesce",
          "--diskspec", "vda,file=" + overlay)
    assert virsh(uri, "domblklist", "ag").stdout.split()[1] == overlay
    if shutil.which("debugfs"):
        p = subprocess.run(["debugfs", "-R", "cat /quiesce.txt", disk], capture_output=True,
                           text=True, timeout=30)
        assert p.stdout == "VIRTKIT-QUIESCED\n", (p.stdout, p.stderr)
    else:
        print("# no debugfs: the snapshot's base image not read")
    assert virsh_counts(uri, "domfsthaw", "ag") == "Thawed 0 filesystem(s)"
    # checkpoint-create --quiesce (vda is that qcow2 overlay now): frozen
    # around its bitmap, thawed after
    virsh(uri, "checkpoint-create-as", "ag", "cq", "--quiesce")
    assert virsh(uri, "checkpoint-list", "ag", "--name").stdout.split() == ["cq"]
    assert virsh_counts(uri, "domfsthaw", "ag") == "Thawed 0 filesystem(s)"
    assert virsh_counts(uri, "domfsfreeze", "ag") == "Froze 1 filesystem(s)"
    assert virsh_counts(uri, "domfsthaw", "ag") == "Thawed 1 filesystem(s)"

    # domifaddr --source agent: the guest's interfaces as its agent lists
    # them (no NIC here: the loopback, which the guest's init never brought
    # up, so without an address)
    p = virsh(uri, "domifaddr", "ag", "--source", "agent")
    print("# " + p.stdout.replace("\n", "\n# "))
    assert [line.split() for line in p.stdout.strip().splitlines()] == [
        ["lo", "00:00:00:00:00:00", "N/A", "N/A"]], p.stdout

    # python3-libvirt
    p = subprocess.run(["/usr/bin/python3", "-c", PY_CLIENT, uri, "ag", "na"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    lines = dict(line.split(" ", 1) for line in p.stdout.splitlines())
    assert lines["hostname"] == "vkagent", p.stdout
    assert lines["agentcmd"] == '{"return":{"host-name":"vkagent"}}', p.stdout
    # its setUserPassword reached the guest
    assert shadow("vkuser") not in ("!", hashed), guest_file("/etc/shadow")
    assert lines["fsinfo"] == "[('/mnt', 'vda', 'ext2', ['vda'])]", p.stdout
    assert lines["guestinfo"] == "virtkit 1 /mnt vda False", p.stdout
    assert (lines["froze"], lines["thawed"]) == ("1", "1"), p.stdout
    assert abs(int(lines["time"].split()[0]) - time.time()) < 60, p.stdout
    assert 1900000000 <= int(lines["after"]) < 1900000000 + 60, p.stdout
    assert 1900000000 <= int(lines["synced"]) < 1900000000 + 60, p.stdout
    # VIR_ERR_AGENT_UNRESPONSIVE (86) in VIR_FROM_QEMU (10)
    assert lines["absent"] == ("86 10 Guest agent is not responding: QEMU guest agent "
                               "is not connected"), p.stdout

    # shutdown/reboot --mode agent: refused where no agent answers (never
    # falling back to ACPI when the agent alone was asked for)
    p = virsh(uri, "shutdown", "na", "--mode", "agent", check=False)
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: Failed to shutdown domain 'na'\nerror: Guest agent is not responding: "
        "QEMU guest agent is not connected"), p.stderr
    p = virsh(uri, "reboot", "nc", "--mode", "agent", check=False)
    assert p.returncode == 1 and p.stderr.strip() == (
        "error: Failed to reboot domain 'nc'\nerror: argument unsupported: QEMU guest "
        "agent is not configured"), p.stderr
    for n in ("na", "nc"):
        assert domstate(uri, n) == "running (booted)", domstate(uri, n)
        virsh(uri, "destroy", n)
    # reboot --mode agent: the guest's agent runs /sbin/shutdown -r, the
    # guest resets and boots again (the same QEMU), its agent comes back
    console = lambda: open(serial, errors="replace").read()
    assert console().count("GUEST-READY") == 1
    virsh(uri, "reboot", "ag", "--mode", "agent")
    assert "GUEST-AGENT-SHUTDOWN-reboot" in console(), console()[-400:]
    wait_for(lambda: console().count("GUEST-QGA-STARTED") == 2, "the guest back after reboot",
             180)
    assert "GUEST-POWERBUTTON" not in console()
    wait_for(lambda: virsh(uri, "domhostname", "ag", check=False).returncode == 0,
             "the agent answering again", 60, step=0.2)
    # shutdown --mode agent: powered off by its agent, not by the ACPI
    # button (whose handler would print GUEST-POWERBUTTON)
    virsh(uri, "shutdown", "ag", "--mode", "agent")
    wait_for(lambda: domstate(uri, "ag") == "shut off (shutdown)", "ag shut off", 60,
             step=0.2)
    assert "GUEST-AGENT-SHUTDOWN-poweroff" in console(), console()[-400:]
    assert "GUEST-POWERBUTTON" not in console()


PY_VCPUS = r"""
import sys, libvirt
conn = libvirt.open(sys.argv[1])
dom = conn.lookupByName(sys.argv[2])
print("before", sorted(dom.guestVcpus().items()))
dom.setGuestVcpus("1", 1)
print("after", sorted(dom.guestVcpus().items()))
try:
    dom.setGuestVcpus("0", 0)
except libvirt.libvirtError as e:
    print("cpu0", e.get_error_code(), e.get_error_domain(), e.get_error_message())
"""


PY_SSHKEYS = r"""
import sys, libvirt
conn = libvirt.open(sys.argv[1])
dom = conn.lookupByName(sys.argv[2])
k1, k2 = sys.argv[3], sys.argv[4]
dom.authorizedSSHKeysSet("vkuser", [k1, k2], 0)
print("set", dom.authorizedSSHKeysGet("vkuser"))
dom.authorizedSSHKeysSet("vkuser", [k1], libvirt.VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE)
print("removed", dom.authorizedSSHKeysGet("vkuser"))
"""


def test_agent_vcpus():
    """A guest with two vCPUs and qemu-ga: guestvcpus reads the guest's view,
    --disable takes vCPU 1 offline inside the guest (its sysfs 'online'
    reads 0), --enable brings it back; python3-libvirt guestVcpus /
    setGuestVcpus; libvirt's refusals (vCPU 0 not offlinable, an id the
    guest lacks, a malformed list)."""
    guest = agent_guest_dir()
    if not guest:
        raise Skip("agent test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri("qemu")
    serial = os.path.join(d.root, "gv.serial")
    xml = booting_xml("gv", guest, serial).replace(
        "<vcpu>1</vcpu>", "<vcpu>2</vcpu>").replace("</devices>", CHAN + "</devices>")
    virsh(uri, "define", write(os.path.join(d.root, "gv.xml"), xml))
    virsh(uri, "start", "gv")
    wait_for(lambda: os.path.exists(serial) and "GUEST-QGA-STARTED" in open(serial).read(),
             "qemu-ga in the guest", 180)
    wait_for(lambda: virsh(uri, "guestvcpus", "gv", check=False).returncode == 0,
             "the agent answering", 60, step=0.2)

    def agent(cmd):
        return json.loads(virsh(uri, "qemu-agent-command", "gv", json.dumps(cmd))
                          .stdout)["return"]

    def cpu1_online():
        h = agent({"execute": "guest-file-open",
                   "arguments": {"path": "/sys/devices/system/cpu/cpu1/online"}})
        r = agent({"execute": "guest-file-read", "arguments": {"handle": h, "count": 64}})
        agent({"execute": "guest-file-close", "arguments": {"handle": h}})
        return base64.b64decode(r["buf-b64"]).decode().strip()

    def shown():
        return virsh(uri, "guestvcpus", "gv").stdout

    assert shown() == ("vcpus          : 0-1\nonline         : 0-1\n"
                       "offlinable     : 1\n"), repr(shown())
    assert cpu1_online() == "1"
    virsh(uri, "guestvcpus", "gv", "--cpulist", "1", "--disable")
    assert cpu1_online() == "0"
    assert shown() == ("vcpus          : 0-1\nonline         : 0\n"
                       "offlinable     : 1\n"), repr(shown())
    # the hypervisor's count does not change: the guest took it offline
    assert virsh(uri, "vcpucount", "gv", "--live", "--active").stdout.strip() == "2"
    # libvirt's refusals, the guest unchanged
    for args, err in (
            (["0", "--disable"], "error: Operation not supported: vCPU '0' is not offlinable"),
            (["1,5-6", "--enable"], "error: invalid argument: guest is missing vCPUs '5-6'"),
            (["1-x", "--enable"], "error: invalid argument: Failed to parse bitmap '1-x'")):
        p = virsh(uri, "guestvcpus", "gv", *args, check=False)
        assert p.returncode == 1 and p.stderr.strip() == err, (args, p.stderr)
    assert cpu1_online() == "0"
    p = virsh(uri, "guestvcpus", "gv", check=False, readonly=True)
    assert "read only access prevents virDomainGetGuestVcpus" in p.stderr, p.stderr

    # python3-libvirt: the typed parameters, and setting vCPU 1 online
    p = subprocess.run(["/usr/bin/python3", "-c", PY_VCPUS, uri, "gv"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    lines = dict(line.split(" ", 1) for line in p.stdout.splitlines())
    assert lines["before"] == ("[('offlinable', '1'), ('online', '0'), ('vcpus', '0-1')]"), \
        p.stdout
    assert lines["after"] == ("[('offlinable', '1'), ('online', '0-1'), ('vcpus', '0-1')]"), \
        p.stdout
    # VIR_ERR_OPERATION_UNSUPPORTED (84) in VIR_FROM_QEMU (10)
    assert lines["cpu0"] == "84 10 Operation not supported: vCPU '0' is not offlinable", \
        p.stdout
    assert cpu1_online() == "1"

    # SSH keys of the guest's vkuser (home /tmp): set-user-sshkeys appends
    # the lines of a file (virsh sends its trailing empty line too), and
    # the guest's ~/.ssh/authorized_keys has them
    k1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZrdGVzdGtleW9uZQ vk@one"
    k2 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDvktwo vk@two"

    def keyfile(name, *keys):
        return write(os.path.join(d.root, name), "".join(k + "\n" for k in keys))

    def authorized():
        return guest_text("/tmp/.ssh/authorized_keys")

    def guest_text(path):
        h = agent({"execute": "guest-file-open", "arguments": {"path": path}})
        r = agent({"execute": "guest-file-read", "arguments": {"handle": h, "count": 65536}})
        agent({"execute": "guest-file-close", "arguments": {"handle": h}})
        return base64.b64decode(r["buf-b64"]).decode()

    # no file yet: the agent's error
    p = virsh(uri, "get-user-sshkeys", "gv", "vkuser", check=False)
    assert p.returncode == 1 and p.stderr.strip().startswith(
        "error: internal error: unable to execute QEMU agent command "
        "'guest-ssh-get-authorized-keys': failed to read '/tmp/.ssh/authorized_keys'"), p.stderr
    virsh(uri, "set-user-sshkeys", "gv", "vkuser", "--file", keyfile("k1", k1))
    assert [line for line in authorized().splitlines() if line] == [k1], authorized()
    virsh(uri, "set-user-sshkeys", "gv", "vkuser", keyfile("k2", k2))
    assert [line for line in authorized().splitlines() if line] == [k1, k2], authorized()
    # virsh 9.0 prints the keys without newlines, in the agent's order
    # (qemu-ga 7.2 lists the file's lines last first)
    p = virsh(uri, "get-user-sshkeys", "gv", "vkuser")
    assert p.stdout.strip() == k2 + k1, repr(p.stdout)
    virsh(uri, "set-user-sshkeys", "gv", "vkuser", "--remove", "--file", keyfile("k1r", k1))
    assert [line for line in authorized().splitlines() if line] == [k2], authorized()
    virsh(uri, "set-user-sshkeys", "gv", "vkuser", "--reset", "--file", keyfile("k12", k1, k2))
    assert [line for line in authorized().splitlines() if line] == [k1, k2], authorized()
    virsh(uri, "set-user-sshkeys", "gv", "vkuser", "--reset")
    assert authorized().strip() == "", authorized()
    p = virsh(uri, "set-user-sshkeys", "gv", "nosuchuser", "--reset", check=False)
    assert p.returncode == 1 and "unable to execute QEMU agent command " \
        "'guest-ssh-add-authorized-keys'" in p.stderr, p.stderr
    p = virsh(uri, "get-user-sshkeys", "gv", "vkuser", check=False, readonly=True)
    assert "read only access prevents virDomainAuthorizedSSHKeysGet" in p.stderr, p.stderr
    # python3-libvirt: authorizedSSHKeysSet / Get, the flags
    p = subprocess.run(["/usr/bin/python3", "-c", PY_SSHKEYS, uri, "gv", k1, k2],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    lines = dict(line.split(" ", 1) for line in p.stdout.splitlines())
    assert lines["set"] == repr([k2, k1]), p.stdout
    assert lines["removed"] == repr([k2]), p.stdout
    assert [line for line in authorized().splitlines() if line] == [k2], authorized()
    virsh(uri, "destroy", "gv")
    p = virsh(uri, "guestvcpus", "gv", check=False)
    assert p.stderr.strip() == "error: Requested operation is not valid: domain is not running", \
        p.stderr

if __name__ == "__main__":
    run_tests([(n, f) for n, f in sorted(globals().items())
               if n.startswith("test_") and n != "test_guest_dir"])
