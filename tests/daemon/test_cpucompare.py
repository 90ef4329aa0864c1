#!/usr/bin/env python3
"""CPU compare and baseline through virtkitd, side by side with Debian's libvirtd.

Debian's virsh runs the same cpu-compare / cpu-baseline commands on the
same XML files against virtkitd and against Debian's libvirtd (in a mount
namespace of its own, test_storageparity.Libvirtd), and their verdicts
must agree where both read this host the same way:
- guest CPUs of models this host has (Penryn, Nehalem, Haswell: superset),
  host-passthrough, a model this host lacks (Opteron_G5: AMD; an Intel one
  needing vmx), forbidden and required features, match='strict', another
  vendor, another architecture: the same exit status and, with --error, the
  same message when it names at most one feature;
- bad input: malformed XML, no <cpu>, unknown model, unknown feature: the
  same errors; a baseline of two host CPUs: the same model, vendor and
  fallback.
virtkit's own capabilities describe the host CPU (a model and features
from /proc/cpuinfo): cpu-compare of them says identical. libvirtd's
capabilities are read from CPUID and the arch-capabilities MSR, which show
bits /proc/cpuinfo does not (la57, mds-no, ...): virtkitd finds those
missing, a difference this test records rather than hides.
The real effect: python3-libvirt's hypervisor baseline of two CPUs is
given to a guest, which QEMU starts (paused) with that model (qom-get).
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

from vkdtest import Daemon, diskless_xml, run_tests, virsh, write
from test_storageparity import Libvirtd

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def host_cpu(model, vendor="Intel", features=(), arch="x86_64"):
    feats = "".join("<feature name='%s'/>" % f for f in features)
    return "<cpu><arch>%s</arch><model>%s</model><vendor>%s</vendor>%s</cpu>" % (
        arch, model, vendor, feats)


# name -> (file content, extra virsh options); each run with and without --error
COMPARE_CASES = {
    "penryn.xml": "<cpu mode='custom' match='exact'><model>Penryn</model></cpu>",
    "nehalem-host.xml": host_cpu("Nehalem"),
    "haswell.xml": "<cpu><model fallback='forbid'>Haswell</model></cpu>",
    "passthrough.xml": "<cpu mode='host-passthrough'/>",
    "opteron-g5.xml": "<cpu><model>Opteron_G5</model></cpu>",
    "vmx.xml": "<cpu><model>Penryn</model><feature policy='require' name='vmx'/></cpu>",
    "forbid-sse2.xml": "<cpu><model>Penryn</model><feature policy='forbid' name='sse2'/></cpu>",
    "disable-sse2.xml": "<cpu><model>Penryn</model><feature policy='disable' name='sse2'/></cpu>",
    "strict.xml": "<cpu match='strict'><model>Penryn</model></cpu>",
    "amd-vendor.xml": "<cpu><model>Opteron_G1</model><vendor>AMD</vendor></cpu>",
    "ppc64.xml": host_cpu("POWER9", vendor="IBM", arch="ppc64").replace(
        "<vendor>IBM</vendor>", ""),
    "domain.xml": "<domain type='qemu'><name>x</name><cpu><model>Westmere</model></cpu></domain>",
    "unknown-model.xml": "<cpu><model>Skylake-Foo</model></cpu>",
    "unknown-feature.xml": "<cpu><model>Penryn</model><feature name='no-such'/></cpu>",
    "malformed.xml": "<cpu><model>Penryn</model>",
    "no-cpu.xml": "<domain/>",
}

BASELINE_CASES = {
    "two.xml": host_cpu("Nehalem", features=["aes"]) + host_cpu("Penryn", features=["aes"]),
    "vendors.xml": host_cpu("Haswell") + host_cpu("EPYC", vendor="AMD"),
    "unknown.xml": host_cpu("Penryn", features=["no-such"]),
    "guest.xml": "<cpu mode='custom'><model>Penryn</model></cpu>",
}


def run(uri, *args):
    p = virsh(uri, *args, check=False)
    return (p.returncode, p.stdout.strip(), p.stderr.strip())


def one_feature_or_less(msg):
    m = re.search(r"features: (.*)$", msg, re.M)
    return not m or "," not in m.group(1)


def collect(uri, folder):
    out = {}
    for name in COMPARE_CASES:
        path = os.path.join(folder, name)
        out["cpu-compare " + name] = run(uri, "cpu-compare", path)
        out["cpu-compare --error " + name] = run(uri, "cpu-compare", "--error", path)
    for name in BASELINE_CASES:
        out["cpu-baseline " + name] = run(uri, "cpu-baseline", os.path.join(folder, name))
    return out


def test_parity_with_libvirtd():
    d = Daemon().start()
    folder = os.path.join(d.root, "cpus")
    os.makedirs(folder)
    for name, text in list(COMPARE_CASES.items()) + list(BASELINE_CASES.items()):
        write(os.path.join(folder, name), text + "\n")
    ours = collect(d.uri(), folder)
    # virtkit's capabilities name the host CPU: identical to itself
    caps = os.path.join(folder, "vk-caps.xml")
    write(caps, virsh(d.uri(), "capabilities").stdout)
    rc, out, err = run(d.uri(), "cpu-compare", "--error", caps)
    assert rc == 0 and "is identical to host CPU" in out, (rc, out, err)
    host = ET.parse(caps).getroot().find("host/cpu")
    assert host.findtext("model") and host.findall("feature"), ET.tostring(host)
    d.stop()

    lv = Libvirtd()
    try:
        ref = collect(lv.uri(), folder)
        lvcaps = os.path.join(folder, "lv-caps.xml")
        write(lvcaps, virsh(lv.uri(), "capabilities").stdout)
        assert "identical" in run(lv.uri(), "cpu-compare", lvcaps)[1]
    finally:
        lv.stop()

    diffs = []
    for key, (rrc, rout, rerr) in ref.items():
        orc, oout, oerr = ours[key]
        if key.startswith("cpu-baseline") and rrc == 0:
            # the model, vendor and fallback (feature lists: the maps differ)
            def head(x):
                return [line for line in x.splitlines() if "<feature" not in line]
            same = orc == 0 and head(rout) == head(oout)
        elif "--error" in key and rrc != 0 and one_feature_or_less(rerr):
            same = (orc, oout, oerr) == (rrc, rout, rerr)
        else:
            same = orc == rrc and oout.splitlines()[:1] == rout.splitlines()[:1]
        if not same:
            diffs.append("%s\n  libvirtd: %r\n  virtkitd: %r" % (key, (rrc, rout, rerr),
                                                                 (orc, oout, oerr)))
    assert not diffs, "%d of %d differ:\n%s" % (len(diffs), len(ref), "\n".join(diffs))
    # what both say, so that agreement is not agreement on nothing
    assert ref["cpu-compare penryn.xml"][0] == 0
    assert "superset" in ours["cpu-compare penryn.xml"][1]
    assert ours["cpu-compare --error vmx.xml"][2].endswith(
        "Host CPU does not provide required features: vmx"), ours["cpu-compare --error vmx.xml"]
    assert ours["cpu-compare opteron-g5.xml"][0] == 1
    assert "<model fallback='allow'>Penryn</model>" in ours["cpu-baseline two.xml"][1]


def test_baseline_runs():
    """python3-libvirt's hypervisor baseline of two CPUs, given to a guest:
    QEMU starts it with that model; the compare with what QEMU gives a TCG
    guest says its model and features fit (not its vendor)."""
    d = Daemon().start()
    conn = libvirt.open(d.uri())
    try:
        cpu = conn.baselineHypervisorCPU(None, "x86_64", None, "qemu",
                                         [host_cpu("Westmere", features=["avx"]),
                                          host_cpu("SandyBridge")], 0)
        root = ET.fromstring(cpu)
        assert root.findtext("model") == "Westmere", cpu
        # QEMU's TCG CPU ("max") says AuthenticAMD: the Intel vendor does not
        # fit, the model and its features do
        assert conn.compareHypervisorCPU(None, None, None, "qemu", cpu, 0) == \
            libvirt.VIR_CPU_COMPARE_INCOMPATIBLE, cpu
        assert conn.compareHypervisorCPU(
            None, None, None, "qemu", cpu.replace("<vendor>Intel</vendor>", ""), 0) == \
            libvirt.VIR_CPU_COMPARE_SUPERSET, cpu
        expanded = conn.baselineCPU([host_cpu("Westmere")],
                                    libvirt.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES)
        assert "<feature policy='require' name='aes'/>" in expanded, expanded
        # bad input changes nothing and says why, in libvirt's words
        try:
            conn.baselineCPU([host_cpu("Westmere"), host_cpu("EPYC", vendor="AMD")], 0)
            raise AssertionError("vendors that differ were baselined")
        except libvirt.libvirtError as e:
            assert (e.get_error_code(), e.get_error_domain()) == (
                libvirt.VIR_ERR_OPERATION_FAILED, libvirt.VIR_FROM_CPU), e
            assert e.get_error_message() == "operation failed: CPU vendors do not match"
        xml = diskless_xml("cpuvm").replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu>\n  " + cpu.strip())
        dom = conn.defineXML(xml)
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        def qmp(cmd, **args):
            out = virsh(d.uri(), "qemu-monitor-command", "cpuvm",
                        json.dumps({"execute": cmd, "arguments": args}))
            return json.loads(out.stdout)["return"]
        path = qmp("query-cpus-fast")[0]["qom-path"]
        model_id = qmp("qom-get", path=path, property="model-id")
        assert "Westmere" in model_id, model_id
        dom.destroy()
        dom.undefine()
    finally:
        conn.close()
    d.stop()


if __name__ == "__main__":
    run_tests([
        ("cpu-compare / cpu-baseline: Debian's virsh gets libvirtd's verdicts from virtkitd",
         test_parity_with_libvirtd),
        ("hypervisor baseline from python3-libvirt runs in QEMU", test_baseline_runs),
    ])
