#!/usr/bin/env python3
"""Linux perf events of a running guest through virtkitd (issue 15), with the real clients.

A private daemon runs the test guest (TCG), one for the whole suite. Debian's
virsh and python3-libvirt:
- `virsh perf GUEST --enable task_clock,page_faults` opens the counters on the
  guest's QEMU (the daemon then holds perf_event descriptors, one per QEMU
  thread per event); `virsh perf` shows them enabled; `domstats --perf` and
  getAllDomainStats(PERF) show perf.task_clock and perf.page_faults and no
  other event, and task_clock grows between two reads while the guest runs;
  `--disable` closes them (the record loses the event, the descriptors go);
- an event the host cannot count gets libvirt 9.0's error (what Debian's
  libvirtd answers here: a hardware event SYSTEM_ERROR in VIR_FROM_PERF
  "unable to open host cpu perf event for cpu_cycles: No such file or
  directory", the resctrl cmt ARGUMENT_UNSUPPORTED "unable to enable host cpu
  perf event for cmt") and changes nothing, also when it comes with an event
  that works; unknown names, read-only connections, --live on a shut-off
  guest get libvirt's errors;
- `--config` goes to the definition only (dumpxml --inactive <perf>), survives
  a daemon restart, and the next start counts the event from the guest's
  first instruction; counters enabled live are open again after the restart;
- a definition enabling an event the host cannot count does not start
  (libvirtd's error) and leaves the guest shut off.
"""
import ctypes
import glob
import os
import re
import subprocess
import sys

from vkdtest import expect_error_exact
from vkdtest import VIRSH, Daemon, Skip, booting_xml, run_tests, test_guest_dir, virsh, wait_for, write

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VIR_FROM_PERF = 65
EVENTS = ["cmt", "mbmt", "mbml", "cpu_cycles", "instructions", "cache_references",
          "cache_misses", "branch_instructions", "branch_misses", "bus_cycles",
          "stalled_cycles_frontend", "stalled_cycles_backend", "ref_cpu_cycles",
          "cpu_clock", "task_clock", "page_faults", "context_switches", "cpu_migrations",
          "page_faults_min", "page_faults_maj", "alignment_faults", "emulation_faults"]


def host_counts_cycles():
    """Whether this host's kernel opens a hardware cycles counter (a VM's
    usually does not): perf_event_open(2) on ourselves."""
    class Attr(ctypes.Structure):
        _fields_ = [("type", ctypes.c_uint32), ("size", ctypes.c_uint32),
                    ("config", ctypes.c_uint64), ("rest", ctypes.c_uint8 * 104)]
    libc = ctypes.CDLL(None, use_errno=True)
    attr = Attr(0, ctypes.sizeof(Attr), 0)
    fd = libc.syscall(298, ctypes.byref(attr), 0, -1, -1, 0)  # x86_64 perf_event_open
    if fd >= 0:
        os.close(fd)
    return fd >= 0


def perf_states(uri, name, *flags, readonly=False):
    """virsh perf NAME [FLAGS]: {event: True/False}, every event listed
    (virsh -q would print none of them)."""
    argv = [VIRSH] + (["-r"] if readonly else []) + ["-c", uri, "perf", name] + list(flags)
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, LC_ALL="C", LANG="C"))
    assert p.returncode == 0, p
    out = p.stdout.rstrip("\n")
    states = {}
    for line in out.splitlines():
        m = re.match(r"^(\w+)\s*: (enabled|disabled)$", line)
        assert m, "unexpected line %r in:\n%s" % (line, out)
        states[m.group(1)] = m.group(2) == "enabled"
    assert list(states) == EVENTS, out
    return states


def enabled(states):
    return sorted(e for e, on in states.items() if on)


def domstats_perf(uri, name):
    out = virsh(uri, "domstats", "--perf", name).stdout
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^\s+perf\.(\w+)=(\d+)$", out, re.M)}


def perf_fds(pid):
    """How many perf_event descriptors process @pid holds."""
    n = 0
    for f in glob.glob("/proc/%d/fd/*" % pid):
        try:
            n += "perf_event" in os.readlink(f)
        except OSError:
            pass
    return n


def setup():
    """A daemon of the test's own (run_tests ends it with the test) running
    guest 'g' (the test guest)."""
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    os.chmod(d.root, 0o711)  # QEMU runs as the qemu user
    uri = d.uri()
    xml = write(os.path.join(d.root, "g.xml"),
                booting_xml("g", guest, os.path.join(d.root, "g.serial")))
    virsh(uri, "define", xml)
    virsh(uri, "start", "g")
    return d, uri, guest


def test_live_then_config():
    """The live calls, then --config and a restart, on one daemon and one
    guest: the live part leaves every counter closed, as the --config part
    finds a fresh guest (each booted its own before: a boot is ~2-5 CPU s
    under TCG)."""
    d, uri, guest = setup()
    live_calls(d, uri)
    config_restart(d, uri, guest)


def live_calls(d, uri):
    assert enabled(perf_states(uri, "g")) == []
    assert domstats_perf(uri, "g") == {}
    fds0 = perf_fds(d.pid)
    virsh(uri, "perf", "g", "--enable", "task_clock,page_faults")
    assert enabled(perf_states(uri, "g")) == ["page_faults", "task_clock"]
    assert enabled(perf_states(uri, "g", "--live")) == ["page_faults", "task_clock"]
    # the definition is untouched
    assert enabled(perf_states(uri, "g", "--config")) == []
    # a counter on each QEMU thread, for each event
    assert perf_fds(d.pid) - fds0 >= 2, (fds0, perf_fds(d.pid))
    first = domstats_perf(uri, "g")
    assert sorted(first) == ["page_faults", "task_clock"], first
    # the guest runs: its QEMU's task clock moves on
    wait_for(lambda: domstats_perf(uri, "g")["task_clock"] > first["task_clock"],
             "perf.task_clock to grow", 30)
    second = domstats_perf(uri, "g")
    assert second["page_faults"] >= first["page_faults"], (first, second)

    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("g")
        recs = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_PERF,
                                      libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)
        assert [(r[0].name(), sorted(r[1])) for r in recs] == \
            [("g", ["perf.page_faults", "perf.task_clock"])], recs
        assert recs[0][1]["perf.task_clock"] >= second["task_clock"], (recs, second)
        recs = conn.domainListGetStats([dom], libvirt.VIR_DOMAIN_STATS_PERF)
        assert sorted(recs[0][1]) == ["perf.page_faults", "perf.task_clock"], recs
        got = dom.perfEvents(0)
        assert sorted(got) == sorted(EVENTS), got
        assert sorted(k for k, v in got.items() if v) == ["page_faults", "task_clock"], got

        # what Debian's libvirtd answers on this host, and nothing changes
        before = dom.perfEvents(0)
        fds = perf_fds(d.pid)
        if not host_counts_cycles():
            expect_error_exact(lambda: dom.setPerfEvents({"cpu_cycles": True}, 0),
                         libvirt.VIR_ERR_SYSTEM_ERROR, VIR_FROM_PERF,
                         "unable to open host cpu perf event for cpu_cycles: "
                         "No such file or directory")
            # libvirtd would keep context_switches (opened before the
            # failing one): here the call changes nothing at all
            expect_error_exact(lambda: dom.setPerfEvents({"context_switches": True,
                                                    "cpu_cycles": True}, 0),
                         libvirt.VIR_ERR_SYSTEM_ERROR, VIR_FROM_PERF,
                         "unable to open host cpu perf event for cpu_cycles: "
                         "No such file or directory")
            p = virsh(uri, "perf", "g", "--enable", "cpu_cycles", check=False)
            assert p.returncode == 1 and p.stderr.startswith(
                "error: Unable to enable/disable perf events\n"
                "error: unable to open host cpu perf event for cpu_cycles: "
                "No such file or directory\n"), p
        if not os.path.exists("/sys/devices/intel_cqm/type"):
            for ev in ("cmt", "mbmt", "mbml"):
                expect_error_exact(lambda: dom.setPerfEvents({ev: True}, 0),
                             libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_PERF,
                             "argument unsupported: unable to enable host cpu perf "
                             "event for %s" % ev)
        assert dom.perfEvents(0) == before
        assert perf_fds(d.pid) == fds, (fds, perf_fds(d.pid))
        assert sorted(domstats_perf(uri, "g")) == ["page_faults", "task_clock"]

        # libvirt's checks
        expect_error_exact(lambda: dom.perfEvents(1 << 5), libvirt.VIR_ERR_INVALID_ARG, 10,
                     "unsupported flags (0x20) in function qemuDomainGetPerfEvents")
        expect_error_exact(lambda: dom.perfEvents(libvirt.VIR_DOMAIN_AFFECT_LIVE |
                                            libvirt.VIR_DOMAIN_AFFECT_CONFIG),
                     libvirt.VIR_ERR_INVALID_ARG, 20,
                     "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                     "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive")
    finally:
        conn.close()
    p = virsh(uri, "perf", "g", "--enable", "task_clock,bogus", check=False)
    assert p.returncode == 1 and "error: argument unsupported: parameter 'bogus' not " \
        "supported" in p.stderr, p
    p = virsh(uri, "perf", "g", "--enable", "cpu_clock", readonly=True, check=False)
    assert p.returncode == 1 and "error: operation forbidden: read only access prevents " \
        "virDomainSetPerfEvents" in p.stderr, p
    # reading is allowed on the read-only socket
    assert perf_states(uri, "g", readonly=True) == perf_states(uri, "g")

    # --disable closes the counters
    fds = perf_fds(d.pid)
    virsh(uri, "perf", "g", "--disable", "page_faults")
    assert enabled(perf_states(uri, "g")) == ["task_clock"]
    assert sorted(domstats_perf(uri, "g")) == ["task_clock"]
    assert perf_fds(d.pid) < fds, (fds, perf_fds(d.pid))
    # the last one too: no counter left, none in the record, the
    # descriptors back to where they were before the first --enable
    virsh(uri, "perf", "g", "--disable", "task_clock")
    assert enabled(perf_states(uri, "g")) == []
    assert domstats_perf(uri, "g") == {}
    assert perf_fds(d.pid) == fds0, (fds0, perf_fds(d.pid))
    assert enabled(perf_states(uri, "g", "--config")) == []


def config_restart(d, uri, guest):
    virsh(uri, "perf", "g", "--enable", "page_faults_min,task_clock", "--live")
    virsh(uri, "perf", "g", "--enable", "cpu_migrations,context_switches", "--config")
    virsh(uri, "perf", "g", "--disable", "page_faults_maj", "--config")
    assert enabled(perf_states(uri, "g", "--config")) == ["context_switches", "cpu_migrations"]
    inactive = virsh(uri, "dumpxml", "--inactive", "g").stdout
    assert "  <perf>\n" \
        "    <event name='context_switches' enabled='yes'/>\n" \
        "    <event name='cpu_migrations' enabled='yes'/>\n" \
        "    <event name='page_faults_maj' enabled='no'/>\n" \
        "  </perf>\n" in inactive, inactive
    live = enabled(perf_states(uri, "g"))
    assert live == ["page_faults_min", "task_clock"], live

    # a restart of the daemon: the definition kept, the live counters open again
    assert d.stop() == 0
    d.start()
    assert enabled(perf_states(uri, "g", "--config")) == ["context_switches", "cpu_migrations"]
    assert enabled(perf_states(uri, "g")) == live
    first = domstats_perf(uri, "g")
    assert sorted(first) == ["page_faults_min", "task_clock"], first
    wait_for(lambda: domstats_perf(uri, "g")["task_clock"] > first["task_clock"],
             "perf.task_clock to grow after the restart", 30)

    # the next start counts the definition's events, and only those
    virsh(uri, "destroy", "g")
    assert domstats_perf(uri, "g") == {}
    p = virsh(uri, "perf", "g", "--live", check=False)
    assert p.returncode == 1 and "error: Requested operation is not valid: domain is " \
        "not running" in p.stderr, p
    virsh(uri, "start", "g")
    assert enabled(perf_states(uri, "g")) == ["context_switches", "cpu_migrations"]
    stats = domstats_perf(uri, "g")
    assert sorted(stats) == ["context_switches", "cpu_migrations"], stats
    wait_for(lambda: domstats_perf(uri, "g")["context_switches"] > 0,
             "perf.context_switches of the new QEMU", 30)
    virsh(uri, "destroy", "g")

    # a definition asking for an event the host cannot count does not start
    if not host_counts_cycles():
        virsh(uri, "perf", "g", "--enable", "cpu_cycles", "--config")
        p = virsh(uri, "start", "g", check=False)
        assert p.returncode == 1 and p.stderr.startswith(
            "error: Failed to start domain 'g'\n"
            "error: unable to open host cpu perf event for cpu_cycles: "
            "No such file or directory\n"), p
        assert virsh(uri, "domstate", "g").stdout.strip() == "shut off"
        virsh(uri, "perf", "g", "--disable", "cpu_cycles", "--config")
    virsh(uri, "undefine", "g")
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("perf --enable/--disable live, domstats --perf, libvirt's errors; then on the same "
         "guest --config across a daemon restart and the next start", test_live_then_config),
    ])
