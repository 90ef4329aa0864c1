#!/usr/bin/env python3
"""virDomainGetMessages and virDomainGetSecurityLabelList through virtkitd (issue 15).

python3-libvirt's dom.messages() / dom.securityLabelList() and Debian's
virsh dominfo against virtkitd, each checked against what the same calls
gave against Debian's libvirtd 9.0 on the same guest (its isolated
system daemon of scripts/virsh-survey.py, qemu.conf user and group root;
recorded once, the values below):
- a running guest whose QEMU runs as root is tainted high-privileges;
  qemu-monitor-command adds custom-monitor (messages in libvirt's order of
  taint reasons; the flags pick taints, deprecations or both; an unknown
  flag is INVALID_ARG, domain QEMU); virsh dominfo prints them as
  "Messages:" lines, and vksh prints the same; each taint is one line
  "<timestamp>: Domain id=N is tainted: NAME" in the domain's log, once;
  they survive a daemon restart (the status file) and go when the guest
  stops;
- QEMU 7.2 marks machine pc-i440fx-1.4 deprecated (query-machines): a
  guest of that machine is tainted deprecated-config and has the message
  "deprecated configuration: machine type 'pc-i440fx-1.4'";
- the security labels: none (the "none" driver's empty label, libvirt's
  first) then the DAC one, "+UID:+GID" of the QEMU process, neither
  enforcing; an inactive guest has none; a domain that is gone fails the
  list with libvirtd's unknown-cause error (its daemon answers ret -1
  with no error), and the messages with NO_DOMAIN;
- with the default QEMU user (virtkit-qemu) nothing is tainted and the DAC
  label is that user's;
- the test driver through the daemon as libvirtd serves it: no messages
  for its built-in domain, the label list call it lacks fails as above.
"""
import os
import pwd
import re
import subprocess
import sys

from vkdtest import Daemon, diskless_xml, qemu_pids, run_tests, virsh

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

HIGH = "tainted: running with undesirable elevated privileges"
MONITOR = "tainted: custom monitor control commands issued"
DEPRECATED = "tainted: use of deprecated configuration settings"

# libvirtd 9.0, qemu.conf user/group root (see the docstring)
LIBVIRTD_STARTED = [HIGH]
LIBVIRTD_AFTER_MONITOR = {0: [MONITOR, HIGH], 1: [], 2: [MONITOR, HIGH], 3: [MONITOR, HIGH]}
LIBVIRTD_FLAG4 = (libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                  "unsupported flags (0x4) in function qemuDomainGetMessages")
LIBVIRTD_DOMINFO_TAIL = """Security model: none
Security DOI:   0
Messages:       tainted: custom monitor control commands issued
                tainted: running with undesirable elevated privileges
"""
LIBVIRTD_LABELS_ROOT = [["", False], ["+0:+0", False]]
LIBVIRTD_OLD = [HIGH, DEPRECATED, "deprecated configuration: machine type 'pc-i440fx-1.4'"]
LIBVIRTD_OLD_LOG = "deprecated-config (machine type 'pc-i440fx-1.4')"
LIBVIRTD_GONE_LABELS = (libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_NONE,
                        "An error occurred, but the cause is unknown")


def root_daemon():
    """A system daemon whose QEMU runs as root (as the reference libvirtd)."""
    d = Daemon()
    os.makedirs(d.dirs["config"], exist_ok=True)
    with open(os.path.join(d.dirs["config"], "qemu.conf"), "w") as f:
        f.write('cgroup_controllers = [ ]\nuser = "root"\ngroup = "root"\n')
    return d.start()


def xml(name, machine="pc"):
    return diskless_xml(name).replace("machine='pc'", "machine='%s'" % machine)


def error_of(fn, *args):
    try:
        fn(*args)
    except libvirt.libvirtError as e:
        return (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    raise AssertionError("%s%r did not fail" % (fn.__name__, args))


def dominfo_tail(text):
    """dominfo's lines from the security model on."""
    return text[text.index("Security model:"):]


def log_path(d, name):
    for cand in (os.path.join(d.dirs["log"], "qemu", name + ".log"),
                 os.path.join(d.dirs["log"], name + ".log")):
        if os.path.exists(cand):
            return cand
    raise AssertionError("no log of %s under %s" % (name, d.dirs["log"]))


def taints_logged(d, name):
    with open(log_path(d, name)) as f:
        log = f.read()
    return re.findall(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000: "
                      r"Domain id=(\d+) is tainted: (.*)$", log, re.M)


def test_taints_and_labels():
    d = root_daemon()
    uri = d.uri()
    conn = libvirt.open(uri)
    try:
        dom = conn.defineXML(xml("msg"))
        assert dom.messages(0) == [] and dom.securityLabelList() == []
        dom.create()
        assert dom.messages(0) == LIBVIRTD_STARTED, dom.messages(0)
        assert dom.securityLabelList() == LIBVIRTD_LABELS_ROOT, dom.securityLabelList()
        assert dom.securityLabel() == ["", False], dom.securityLabel()
        assert conn.getSecurityModel() == ["none", "0"], conn.getSecurityModel()
        virsh(uri, "qemu-monitor-command", "msg", '{"execute":"query-status"}')
        for flags, want in LIBVIRTD_AFTER_MONITOR.items():
            assert dom.messages(flags) == want, (flags, dom.messages(flags))
        assert error_of(dom.messages, 4) == LIBVIRTD_FLAG4, error_of(dom.messages, 4)
        # virsh prints them as libvirtd's virsh did; vksh prints the same
        out = virsh(uri, "dominfo", "msg").stdout
        assert dominfo_tail(out) == LIBVIRTD_DOMINFO_TAIL, out
        env = dict(os.environ, LC_ALL="C")
        vk = subprocess.run([os.environ["VKSH"], "-q", "-c", uri, "dominfo", "msg"],
                            capture_output=True, text=True, env=env, timeout=60)
        # the guest runs between the two calls: its CPU time may differ
        def cpu_masked(text):
            return re.sub(r"(?m)^CPU time:.*$", "CPU time:", text)

        assert vk.returncode == 0 and cpu_masked(vk.stdout) == cpu_masked(out), \
            (vk.stdout, vk.stderr, out)
        # a second monitor command: no second log line
        virsh(uri, "qemu-monitor-command", "msg", '{"execute":"query-status"}')
        domid = str(dom.ID())
        assert taints_logged(d, "msg") == [(domid, "high-privileges"),
                                           (domid, "custom-monitor")], taints_logged(d, "msg")
        # the daemon restarts: the status file kept them
        conn.close()
        assert d.stop() == 0
        d.start()
        conn = libvirt.open(uri)
        dom = conn.lookupByName("msg")
        assert dom.messages(0) == LIBVIRTD_AFTER_MONITOR[0], dom.messages(0)
        dom.destroy()
        assert dom.messages(0) == [] and dom.securityLabelList() == []

        # a machine type QEMU deprecates
        old = conn.defineXML(xml("old", "pc-i440fx-1.4"))
        old.create()
        assert old.messages(0) == LIBVIRTD_OLD, old.messages(0)
        assert old.messages(libvirt.VIR_DOMAIN_MESSAGE_DEPRECATION) == LIBVIRTD_OLD[2:]
        oid = str(old.ID())
        assert taints_logged(d, "old") == [(oid, "high-privileges"),
                                           (oid, LIBVIRTD_OLD_LOG)], taints_logged(d, "old")
        old.destroy()
        old.undefine()
        dom.undefine()

        # a handle whose domain is gone
        gone = conn.defineXML(xml("gone"))
        gone.undefine()
        assert error_of(gone.securityLabelList) == LIBVIRTD_GONE_LABELS, \
            error_of(gone.securityLabelList)
        err = error_of(gone.messages, 0)
        assert err == (libvirt.VIR_ERR_NO_DOMAIN, libvirt.VIR_FROM_QEMU,
                       "Domain not found: no domain with matching uuid '%s' (gone)"
                       % gone.UUIDString()), err
    finally:
        conn.close()


def test_default_user():
    """QEMU as virtkit-qemu: not tainted; the DAC label is that user's."""
    d = Daemon().start()
    uri = d.uri()
    conn = libvirt.open(uri)
    try:
        dom = conn.defineXML(xml("plain"))
        dom.create()
        assert dom.messages(0) == [], dom.messages(0)
        pw = pwd.getpwnam("virtkit-qemu")
        pids = qemu_pids(d.root)
        assert len(pids) == 1, pids
        st = os.stat("/proc/%d" % pids[0])
        assert (st.st_uid, st.st_gid) == (pw.pw_uid, pw.pw_gid), (st, pw)
        assert dom.securityLabelList() == [["", False], ["+%d:+%d" % (pw.pw_uid, pw.pw_gid),
                                                         False]], dom.securityLabelList()
        out = virsh(uri, "dominfo", "plain").stdout
        assert dominfo_tail(out) == "Security model: none\nSecurity DOI:   0\n", out
        assert taints_logged(d, "plain") == [], taints_logged(d, "plain")
        dom.destroy()
        dom.undefine()
    finally:
        conn.close()


def test_test_driver():
    """libvirt's test driver through the daemon, as libvirtd serves it: no
    messages for the built-in domain (it taints only what a node file
    loads: tests/data/vksh/dominfo-messages), and no label list call, so
    libvirtd's unknown-cause failure; virsh dominfo has no Messages."""
    d = Daemon().start()
    uri = d.uri("test")
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName("test")
        assert dom.messages(0) == [], dom.messages(0)
        assert error_of(dom.messages, 4)[:2] == (libvirt.VIR_ERR_INVALID_ARG,
                                                 libvirt.VIR_FROM_TEST), error_of(dom.messages, 4)
        assert error_of(dom.securityLabelList) == LIBVIRTD_GONE_LABELS, \
            error_of(dom.securityLabelList)
        out = virsh(uri, "dominfo", "test").stdout
        assert "Messages:" not in out and "Security label: libvirt-test (enforcing)" in out, out
    finally:
        conn.close()


if __name__ == "__main__":
    run_tests([
        ("taints, deprecations and labels as libvirtd's", test_taints_and_labels),
        ("the default QEMU user: no taint, its DAC label", test_default_user),
        ("the test driver's answers", test_test_driver),
    ])
