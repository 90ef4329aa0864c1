#!/usr/bin/env python3
"""Disk backing chains, automatic placement, pcihole64, eoi/pvspinlock through
virtkitd (issue 10), with python3-libvirt and Debian's virsh, against real
QEMUs (each guest started paused: what is checked is what QEMU opened).

- a qcow2 overlay on a qcow2 on a raw image, named only by the headers: the
  live XML has libvirt's detected chain (<source index>, <backingStore
  type index> down to the terminator) and the inactive XML none of it; a
  chain given in the definition (other images than the headers name) is
  the one QEMU opened: each node's backing in QEMU's block graph
  (x-debug-query-block-graph) and each storage node's file
  (query-named-block-nodes); a given layer that is missing fails the start
  with libvirtd 9.0's error, a raw image with a backing layer with its
  "does not support backing store"; external snapshots and block jobs of
  a disk with a given chain are refused (virtkit does not rewrite it);
- <vcpu placement='auto'> / <numatune><memory placement='auto'>: defined
  and written back as libvirt 9.0 does, and the start fails as Debian's
  libvirtd (no numad) fails it, nothing left running;
- <pcihole64> on pc and q35: the host bridge's pci-hole64-size (qom-get);
- <apic eoi> / <pvspinlock>: kvm-pv-eoi / kvm-pv-unhalt on QEMU's -cpu, taken
  under TCG (which has no KVM leaf to read them back from);
- <clock><timer name='kvmclock'> and <features><kvm>: kvmclock= and the kvm
  properties on QEMU's -cpu, the hidden signature (the CPU's "kvm") and the
  hint TCG filters read back from QEMU; kvmclock as a <cpu> feature and
  host-passthrough fail the start with libvirtd 9.0's errors;
- <features><ioapic driver='qemu'> and <iommu model='intel'>: the split
  irqchip on -machine, the vIOMMU's properties read from QEMU, libvirt's
  errors (intel off q35, remapping without the split I/O APIC, QEMU's
  refusal of eim under TCG at start);
- <cpu><cache level mode>: l3-cache / host-cache-info read from the vCPU,
  libvirt's level and mode rules at define;
- <loader stateless='yes'>: OVMF's code alone, no NVRAM file made or pflash1
  given to QEMU; firmware='efi' with a stateless loader fails the start as
  libvirtd does here (no stateless descriptor).
"""
import os
import re
import subprocess
import sys

from vkdtest import Daemon, Skip, make_tmpdir, qemu_pids, qmp, run_tests

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def domain(name, devices="", machine="pc", vcpu="<vcpu>1</vcpu>", extra=""):
    return ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>%s%s"
            "<os><type arch='x86_64' machine='%s'>hvm</type></os>"
            "<devices>%s<memballoon model='none'/></devices></domain>"
            % (name, vcpu, extra, machine, devices))


def img(path, fmt, backing=None, bfmt=None):
    argv = ["qemu-img", "create", "-q", "-f", fmt]
    if backing:
        argv += ["-b", backing, "-F", bfmt]
    subprocess.run(argv + [path] + ([] if backing else ["16M"]), check=True)


def expect_error(fn, code, dom, pattern):
    try:
        fn()
    except libvirt.libvirtError as e:
        got = (e.get_error_code(), e.get_error_domain(), str(e))
        assert got[:2] == (code, dom) and re.fullmatch(pattern, got[2]), got
        return
    raise AssertionError("no error, expected " + pattern)


def backing_edges(uri, name):
    """{format node: the node-name of its backing child}"""
    graph = qmp(uri, name, "x-debug-query-block-graph")
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    return {names[e["parent"]]: names[e["child"]] for e in graph["edges"]
            if e["name"] == "backing"}


def test_backing():
    d = Daemon().start()
    uri = d.uri()
    c = libvirt.open(uri)
    work = make_tmpdir()
    os.chmod(work, 0o755)  # QEMU's user reaches the images
    p = {k: os.path.join(work, k) for k in ("base.raw", "mid.qcow2", "top.qcow2", "u1.qcow2",
                                            "u2.qcow2", "plain.raw")}
    img(p["base.raw"], "raw")
    img(p["mid.qcow2"], "qcow2", p["base.raw"], "raw")
    img(p["top.qcow2"], "qcow2", p["mid.qcow2"], "qcow2")
    img(p["u1.qcow2"], "qcow2")
    img(p["u2.qcow2"], "qcow2")
    img(p["plain.raw"], "raw")
    try:
        # detected: the chain the headers name, in the live XML only
        dom = c.createXML(domain("bk1", "<disk type='file' device='disk'><driver name='qemu' "
                                 "type='qcow2'/><source file='%s'/><target dev='vda' "
                                 "bus='virtio'/></disk>" % p["top.qcow2"]),
                          libvirt.VIR_DOMAIN_START_PAUSED)
        live = dom.XMLDesc(0)
        want = """<source file='{top}' index='1'/>
      <backingStore type='file' index='2'>
        <format type='qcow2'/>
        <source file='{mid}'/>
        <backingStore type='file' index='3'>
          <format type='raw'/>
          <source file='{base}'/>
          <backingStore/>
        </backingStore>
      </backingStore>""".format(top=p["top.qcow2"], mid=p["mid.qcow2"], base=p["base.raw"])
        assert want in live, live
        assert "backingStore" not in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert backing_edges(uri, "bk1") == {"libvirt-1-format": "libvirt-2-format",
                                             "libvirt-2-format": "libvirt-3-format"}
        dom.destroy()

        # given: other images than the headers name (none), opened as given
        given = ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                 "<source file='%s'/><backingStore type='file'><format type='qcow2'/>"
                 "<source file='%s'/><backingStore type='file'><format type='raw'/>"
                 "<source file='%s'/><backingStore/></backingStore></backingStore>"
                 "<target dev='vda' bus='virtio'/></disk>"
                 % (p["u1.qcow2"], p["u2.qcow2"], p["base.raw"]))
        dom = c.defineXML(domain("bk2", given))
        inactive = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert "<backingStore type='file'>\n        <format type='qcow2'/>" in inactive, \
            inactive
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        assert backing_edges(uri, "bk2") == {"libvirt-1-format": "libvirt-2-format",
                                             "libvirt-2-format": "libvirt-3-format"}
        files = {n["node-name"]: n["file"]
                 for n in qmp(uri, "bk2", "query-named-block-nodes", {"flat": True})}
        assert (files["libvirt-1-storage"], files["libvirt-2-storage"],
                files["libvirt-3-storage"]) == (p["u1.qcow2"], p["u2.qcow2"], p["base.raw"])
        live = dom.XMLDesc(0)
        assert "<backingStore type='file' index='3'>" in live, live
        # what virtkit does not rewrite is refused, not left wrong
        expect_error(lambda: dom.snapshotCreateXML(
            "<domainsnapshot><disks><disk name='vda' snapshot='external'><source file='%s'/>"
            "</disk></disks></domainsnapshot>" % os.path.join(work, "ov.qcow2"),
            libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY), 67, 10,
            r"unsupported configuration: external snapshot of disk 'vda' with a given "
            r"backing chain is not supported by virtkit")
        expect_error(lambda: dom.blockPull("vda", 0, 0), 67, 10,
                     r"unsupported configuration: block jobs on disk 'vda' with a given "
                     r"backing chain are not supported by virtkit")
        dom.destroy()
        assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == inactive
        dom.undefine()

        # libvirtd 9.0's start errors (compared with Debian's libvirtd)
        dom = c.defineXML(domain("bk3", "<disk type='file' device='disk'><driver name='qemu' "
                                 "type='qcow2'/><source file='%s'/><backingStore "
                                 "type='file'><format type='qcow2'/><source file='%s/no."
                                 "qcow2'/></backingStore><target dev='vda' bus='virtio'/>"
                                 "</disk>" % (p["u1.qcow2"], work)))
        expect_error(dom.create, 38, 18, r"Cannot access storage file '%s/no\.qcow2' "
                     r"\(as uid:\d+, gid:\d+\): No such file or directory" % work)
        assert not dom.isActive()
        dom.undefine()
        dom = c.defineXML(domain("bk4", "<disk type='file' device='disk'><driver name='qemu' "
                                 "type='raw'/><source file='%s'/><backingStore type='file'>"
                                 "<format type='qcow2'/><source file='%s'/></backingStore>"
                                 "<target dev='vda' bus='virtio'/></disk>"
                                 % (p["plain.raw"], p["u2.qcow2"])))
        expect_error(dom.create, 67, 10, r"unsupported configuration: storage format 'raw' "
                     r"does not support backing store")
        dom.undefine()
    finally:
        c.close()
    assert d.stop() == 0


def test_placement():
    d = Daemon().start()
    c = libvirt.open(d.uri())
    try:
        dom = c.defineXML(domain("pl", vcpu="<vcpu placement='auto' cpuset='0'>2</vcpu>"))
        x = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert "<vcpu placement='auto'>2</vcpu>\n  <numatune>\n    <memory mode='strict' " \
            "placement='auto'/>\n  </numatune>" in x, x
        # Debian's libvirtd asks numad, which is not installed: so does not start
        expect_error(dom.create, 9, 0, r"operation failed: Failed to query numad for the "
                     r"advisory nodeset")
        assert not dom.isActive()
        dom.undefine()
        dom = c.defineXML(domain("pl2", vcpu="<vcpu cpuset='0'>2</vcpu>",
                                 extra="<numatune><memory mode='interleave' "
                                 "placement='auto'/></numatune>"))
        assert "<vcpu placement='static' cpuset='0'>2</vcpu>" in \
            dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        expect_error(dom.create, 9, 0, r"operation failed: Failed to query numad for the "
                     r"advisory nodeset")
        dom.undefine()
    finally:
        c.close()
    assert d.stop() == 0


def test_pcihole_features():
    d = Daemon().start()
    uri = d.uri()
    c = libvirt.open(uri)
    try:
        for name, machine, model, xml, path, size in (
                ("hpc", "pc", "pci-root", "<pcihole64 unit='GiB'>1</pcihole64>",
                 "/machine/i440fx", 1 << 30),
                ("hq35", "q35", "pcie-root", "<pcihole64>2097152</pcihole64>",
                 "/machine/q35", 2 << 30)):
            c.createXML(domain(name, "<controller type='pci' model='%s'>%s</controller>"
                               % (model, xml), machine=machine),
                        libvirt.VIR_DOMAIN_START_PAUSED)
            got = qmp(uri, name, "qom-get", {"path": path, "property": "pci-hole64-size"})
            assert got == size, (name, got)
            c.lookupByName(name).destroy()
        # QEMU takes the two KVM paravirt bits on its -cpu under TCG too (as
        # under libvirtd), and TCG has no KVM leaf to show them in: its
        # command line is what says they were asked
        dom = c.createXML(domain("pv", extra="<features><apic eoi='on'/>"
                                 "<pvspinlock state='off'/></features>"),
                          libvirt.VIR_DOMAIN_START_PAUSED)
        pids = qemu_pids(d.root)
        assert len(pids) == 1, pids
        with open("/proc/%d/cmdline" % pids[0], "rb") as f:
            argv = f.read().decode().split("\0")
        assert argv[argv.index("-cpu") + 1] == "qemu64,kvm-pv-eoi=on,kvm-pv-unhalt=off", argv
        assert qmp(uri, "pv", "query-status")["status"] in ("paused", "prelaunch")
        dom.destroy()
        # <clock><timer name='kvmclock'> and <features><kvm>: TCG keeps no
        # kvmclock bit to read back (its -cpu says it was asked); hidden
        # is the CPU's "kvm" property (the KVM signature hidden), and the
        # dedicated-CPU hint, which TCG lacks, is in its filtered-features
        dom = c.createXML(domain("kv", extra="<features><kvm><hidden state='on'/>"
                                 "<hint-dedicated state='on'/></kvm></features>"
                                 "<clock offset='utc'><timer name='kvmclock' present='no'/>"
                                 "</clock>"),
                          libvirt.VIR_DOMAIN_START_PAUSED)
        pids = qemu_pids(d.root)
        assert len(pids) == 1, pids
        with open("/proc/%d/cmdline" % pids[0], "rb") as f:
            argv = f.read().decode().split("\0")
        assert argv[argv.index("-cpu") + 1] == \
            "qemu64,kvmclock=off,kvm=off,kvm-hint-dedicated=on", argv
        cpu = qmp(uri, "kv", "query-cpus-fast")[0]["qom-path"]
        assert qmp(uri, "kv", "qom-get", {"path": cpu, "property": "kvm"}) is False
        words = qmp(uri, "kv", "qom-get", {"path": cpu, "property": "filtered-features"})
        assert {"cpuid-register": "EDX", "cpuid-input-eax": 0x40000001, "features": 1} \
            in words, words
        assert "<kvm>\n      <hidden state='on'/>\n      <hint-dedicated state='on'/>\n" \
            "    </kvm>" in dom.XMLDesc(0)
        dom.destroy()
        # the KVM bits as <cpu> features: libvirt 9.0's map has none of
        # them, and its start fails so (as libvirtd's on this machine);
        # host-passthrough has no host CPU under TCG
        for name, cpu in (("kf", "<cpu mode='custom' match='exact' check='none'>"
                                 "<model>qemu64</model><feature policy='disable' "
                                 "name='kvmclock'/></cpu>"),
                          ("kh", "<cpu mode='host-passthrough'/>")):
            dom = c.defineXML(domain(name, extra=cpu + "<clock offset='utc'><timer "
                                     "name='kvmclock' present='yes'/></clock>"))
            if name == "kf":
                expect_error(dom.create, 67, 31,
                             "unsupported configuration: unknown CPU feature: kvmclock")
            else:
                expect_error(dom.create, 67, 10,
                             "unsupported configuration: CPU mode 'host-passthrough' for "
                             "x86_64 qemu domain on x86_64 host is not supported by "
                             "hypervisor")
            assert qemu_pids(d.root) == [] and not dom.isActive()
            dom.undefine()
        # <features><ioapic driver='qemu'> and an intel <iommu>: the split
        # irqchip on -machine, the vIOMMU's options read from QEMU
        dom = c.createXML(domain("io", machine="q35",
                                 extra="<features><acpi/><ioapic driver='qemu'/></features>",
                                 devices="<iommu model='intel'><driver intremap='on' "
                                 "caching_mode='on' iotlb='on' aw_bits='48'/></iommu>"),
                          libvirt.VIR_DOMAIN_START_PAUSED)
        pids = qemu_pids(d.root)
        assert len(pids) == 1, pids
        with open("/proc/%d/cmdline" % pids[0], "rb") as f:
            argv = f.read().decode().split("\0")
        assert ",kernel_irqchip=split," in argv[argv.index("-machine") + 1], argv
        for prop, want in (("intremap", "on"), ("caching-mode", True),
                           ("device-iotlb", True), ("aw-bits", 48), ("eim", "off")):
            got = qmp(uri, "io", "qom-get", {"path": "/machine/peripheral/iommu0",
                                             "property": prop})
            assert got == want, (prop, got)
        dom.destroy()
        # libvirt's rules: intel only on q35 (at define), interrupt
        # remapping only with the split I/O APIC; QEMU refuses eim under
        # TCG, and the start fails with its words as under libvirtd
        expect_error(lambda: c.defineXML(domain("ip", devices="<iommu model='intel'/>")),
                     67, 10, "unsupported configuration: IOMMU device: 'intel' is only "
                     "supported with Q35 machines")
        expect_error(lambda: c.defineXML(domain(
            "ir", machine="q35", devices="<iommu model='intel'><driver intremap='on'/>"
            "</iommu>")), 67, 20, "unsupported configuration: IOMMU interrupt remapping "
            r"requires split I/O APIC \(ioapic driver='qemu'\)")
        dom = c.defineXML(domain("ie", machine="q35",
                                 extra="<features><acpi/><ioapic driver='qemu'/></features>",
                                 devices="<iommu model='intel'><driver intremap='on' "
                                 "eim='on'/></iommu>"))
        expect_error(dom.create, 1, 10, "internal error: .*eim=on requires "
                     "accel=kvm,kernel-irqchip=split.*")
        assert qemu_pids(d.root) == [] and not dom.isActive()
        dom.undefine()
        # <cpu><cache>: QEMU's own L3 (emulate) or the host's description
        # (passthrough, on a maximum CPU: TCG has no host-passthrough),
        # read back from the vCPU; libvirt's level and mode rules at define
        for name, cpu, l3, host in (
                ("ce", "<cpu mode='custom' match='exact' check='none'><model>qemu64</model>"
                       "<cache level='3' mode='emulate'/></cpu>", True, None),
                ("cp", "<cpu mode='maximum'><cache mode='passthrough'/></cpu>", False, True),
                ("cd", "<cpu mode='maximum'><cache mode='disable'/></cpu>", False, False)):
            dom = c.createXML(domain(name, extra=cpu), libvirt.VIR_DOMAIN_START_PAUSED)
            path = qmp(uri, name, "query-cpus-fast")[0]["qom-path"]
            assert qmp(uri, name, "qom-get", {"path": path, "property": "l3-cache"}) is l3
            # (only the host and max CPUs have host-cache-info)
            if host is not None:
                assert qmp(uri, name, "qom-get",
                           {"path": path, "property": "host-cache-info"}) is host
            dom.destroy()
        for cpu, msg in (
                ("<cpu mode='maximum'><cache level='2' mode='emulate'/></cpu>",
                 "CPU cache mode 'emulate' can only be used with level='3'"),
                ("<cpu mode='custom'><model>qemu64</model><cache mode='passthrough'/></cpu>",
                 "CPU cache mode 'passthrough' can only be used with 'host-passthrough' / "
                 "'maximum' CPUs"),
                ("<cpu mode='maximum'><cache level='1' mode='disable'/></cpu>",
                 "unsupported CPU cache level for mode 'disable'")):
            expect_error(lambda: c.defineXML(domain("cx", extra=cpu)), 67, 10,
                         "unsupported configuration: " + re.escape(msg))
    finally:
        c.close()
    assert d.stop() == 0


def test_stateless():
    """<loader stateless='yes'>: OVMF's code alone, no NVRAM made, named or
    given to QEMU (started paused: what QEMU opened is what is checked);
    autoselection finds no stateless descriptor here (Debian's are all
    split) and the start fails with libvirtd's error."""
    code = "/usr/share/OVMF/OVMF_CODE_4M.fd"
    if not os.path.exists(code):
        raise Skip("Debian's ovmf not installed (scripts/deps.sh)")
    import xml.etree.ElementTree as ET

    d = Daemon()
    os.chmod(d.root, 0o711)
    d.start()
    uri = d.uri()
    c = libvirt.open(uri)
    try:
        dom = c.createXML(domain("stl", machine="q35",
                                 extra="<features><acpi/></features>").replace(
            "</type></os>", "</type><loader readonly='yes' type='pflash' "
            "stateless='yes'>%s</loader></os>" % code), libvirt.VIR_DOMAIN_START_PAUSED)
        live = ET.fromstring(dom.XMLDesc(0)).find("os")
        assert live.find("nvram") is None and \
            live.find("loader").get("stateless") == "yes", ET.tostring(live)
        nodes = [n["node-name"] for n in qmp(uri, "stl", "query-named-block-nodes")]
        assert "libvirt-pflash0-format" in nodes and \
            not [n for n in nodes if n.startswith("libvirt-pflash1")], nodes
        made = [f for _, _, fs in os.walk(d.root) for f in fs if f.endswith("_VARS.fd")]
        assert made == [], made
        dom.destroy()
        dom = c.defineXML(domain("sta", machine="q35", extra="<features><acpi/></features>")
                          .replace("<os>", "<os firmware='efi'>")
                          .replace("</type></os>", "</type><loader stateless='yes'/></os>"))
        expect_error(dom.create, 9, 10,
                     "operation failed: Unable to find any firmware to satisfy 'efi'")
        assert qemu_pids(d.root) == [] and not dom.isActive()
        dom.undefine()
    finally:
        c.close()
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("backing chains: detected in the live XML, given ones opened as given, libvirt's "
         "start errors", test_backing),
        ("automatic placement: kept as libvirt writes it, the start fails as without numad",
         test_placement),
        ("pcihole64 on QEMU's host bridges; kvm-pv-eoi, kvm-pv-unhalt, kvmclock and the "
         "<kvm> features on QEMU's -cpu; ioapic and the intel IOMMU; the CPU cache",
         test_pcihole_features),
        ("a stateless UEFI loader: no NVRAM made or given to QEMU; no stateless firmware "
         "to autoselect here", test_stateless),
    ])
