#!/usr/bin/env python3
"""Host and CPU facts through virtkitd, with Debian's virsh and python3-libvirt.

- <cpu> in the domain XML: a guest defined with a custom model, a
  topology and feature policies boots (GUEST-READY) and QEMU really runs
  that model (qom-get model-id), with that topology (query-cpus-fast
  socket/die/core/thread ids) and with a disabled feature really off
  (qom-get aes); the definition is formatted back as libvirt 9.0 formats
  it; a guest without <cpu> gets the machine's default model written in,
  as libvirt does; host-passthrough under TCG and an unknown model are
  refused at start with libvirt's errors (define accepts them, as libvirt).
"""
import json
import os
import shlex
import socket
import subprocess
import sys

from vkdtest import console_text
from vkdtest import (Daemon, Skip, kill_pid, run_tests, sh, test_guest_dir, virsh, wait_for,
                     wait_guest,
                     write)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def guest_xml(name, guest, serial, cpu, vcpus=4):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>%d</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  %s
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, vcpus, guest, guest, cpu, serial)


def qmp(uri, name, cmd, **args):
    msg = {"execute": cmd}
    if args:
        msg["arguments"] = args
    out = virsh(uri, "qemu-monitor-command", name, json.dumps(msg)).stdout
    return json.loads(out)["return"]


def cpu_block(xml):
    start = xml.index("  <cpu")
    end = xml.index("\n  <clock")
    return xml[start:end + 1]


def test_guest_cpu():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    serial = os.path.join(d.root, "vm.serial")
    cpu = ("<cpu><model fallback='forbid'>Westmere</model><vendor>Intel</vendor>"
           "<feature policy='disable' name='aes'/><feature policy='require' name='ssse3'/>"
           "<topology sockets='1' dies='1' cores='2' threads='2'/></cpu>")
    virsh(uri, "define", write(os.path.join(d.root, "vm.xml"),
                               guest_xml("vm", guest, serial, cpu)))
    # formatted back as libvirt 9.0's QEMU driver formats it (seen on libvirtd)
    want = """  <cpu mode='custom' match='exact' check='none'>
    <model fallback='forbid'>Westmere</model>
    <vendor>Intel</vendor>
    <topology sockets='1' dies='1' cores='2' threads='2'/>
    <feature policy='disable' name='aes'/>
    <feature policy='require' name='ssse3'/>
  </cpu>
"""
    got = cpu_block(virsh(uri, "dumpxml", "--inactive", "vm").stdout)
    assert got == want, got
    # send-key to a stopped guest: libvirt's errors
    p = virsh(uri, "send-key", "vm", "KEY_A", check=False)
    assert p.returncode == 1 and "domain is not running" in p.stderr, p.stderr
    virsh(uri, "start", "vm")
    # four TCG vCPUs on a busy 2-CPU host boot slowly: bounded by the CPU
    # QEMU got, not by wall time alone (make check runs ~8 suites at once)
    wait_guest(lambda: os.path.exists(serial) and "GUEST-READY" in open(serial).read(),
               "GUEST-READY on the console", 120, uri, "vm", serial, daemon=d,
               cpu_budget=60)
    cpus = qmp(uri, "vm", "query-cpus-fast")
    assert len(cpus) == 4, cpus
    ids = sorted((c["props"]["socket-id"], c["props"].get("die-id", 0),
                  c["props"]["core-id"], c["props"]["thread-id"]) for c in cpus)
    assert ids == [(0, 0, 0, 0), (0, 0, 0, 1), (0, 0, 1, 0), (0, 0, 1, 1)], ids
    path = cpus[0]["qom-path"]
    model_id = qmp(uri, "vm", "qom-get", path=path, property="model-id")
    assert "Westmere" in model_id, model_id
    assert qmp(uri, "vm", "qom-get", path=path, property="aes") is False
    assert qmp(uri, "vm", "qom-get", path=path, property="ssse3") is True
    # the same running guest takes the keys (send-key needs no guest of its
    # own: one boot fewer, ~2-5 CPU s under TCG); destroyed there
    send_keys(uri, "vm", serial)

    # no <cpu>: the machine's default model is written in (libvirt 9.0)
    virsh(uri, "define", write(os.path.join(d.root, "plain.xml"),
                               guest_xml("plain", guest, serial, "", vcpus=1)))
    got = cpu_block(virsh(uri, "dumpxml", "--inactive", "plain").stdout)
    assert got == ("  <cpu mode='custom' match='exact' check='none'>\n"
                   "    <model fallback='forbid'>qemu64</model>\n  </cpu>\n"), got

    conn = libvirt.open(uri)
    try:
        # host-passthrough: defined (as libvirt), refused at start under TCG
        dom = conn.defineXML(guest_xml("hp", guest, serial, "<cpu mode='host-passthrough'/>"))
        got = cpu_block(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        assert got == "  <cpu mode='host-passthrough' check='none' migratable='on'/>\n", got
        try:
            dom.create()
            raise AssertionError("host-passthrough started under TCG")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_CONFIG_UNSUPPORTED, e
            assert e.get_error_domain() == libvirt.VIR_FROM_QEMU, e
            assert str(e) == ("unsupported configuration: CPU mode 'host-passthrough' for "
                              "x86_64 qemu domain on x86_64 host is not supported by "
                              "hypervisor"), e
        assert dom.isActive() == 0
        dom = conn.defineXML(guest_xml("unk", guest, serial,
                                       "<cpu><model>Nonexistent</model></cpu>"))
        try:
            dom.create()
            raise AssertionError("an unknown CPU model started")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_INTERNAL_ERROR, e
            assert e.get_error_domain() == libvirt.VIR_FROM_CPU, e
            assert str(e) == "internal error: Unknown CPU model Nonexistent", e
        # a topology that does not give <vcpu>: refused at define
        try:
            conn.defineXML(guest_xml("topo", guest, serial,
                                     "<cpu><topology sockets='3' cores='1' threads='1'/></cpu>"))
            raise AssertionError("a wrong topology was defined")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_CONFIG_UNSUPPORTED, e
            assert "CPU topology doesn't match maximum vcpu count" in str(e), e
        assert "topo" not in [x.name() for x in conn.listAllDomains()]
    finally:
        conn.close()
    d.stop()


def test_host_model():
    """host-model: domcapabilities names QEMU's expansion of max as the
    closest model plus features; a started guest's live XML is that custom
    CPU (check='full'), its QEMU vCPU has exactly max's features, and the
    persistent definition stays host-model."""
    import xml.etree.ElementTree as ET
    import libvirt_qemu

    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    conn = libvirt.open(uri)
    try:
        caps = ET.fromstring(conn.getDomainCapabilities(None, None, "q35", "qemu", 0))
        hm = caps.find("cpu/mode[@name='host-model']")
        assert hm.get("supported") == "yes", ET.tostring(hm)
        model = hm.find("model")
        assert model is not None and model.get("fallback") == "forbid", ET.tostring(hm)
        custom = {m.text for m in caps.findall("cpu/mode[@name='custom']/model")}
        assert model.text in custom, (model.text, custom)
        feats = [(f.get("policy"), f.get("name")) for f in hm.findall("feature")]
        assert feats and {p for p, _ in feats} <= {"require", "disable"}, feats
        serial = os.path.join(d.root, "hm.serial")
        dom = conn.defineXML(guest_xml("hm", guest, serial, "<cpu mode='host-model'/>", 1))
        assert cpu_block(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)) == \
            "  <cpu mode='host-model' check='partial'/>\n"
        dom.create()
        live = ET.fromstring(dom.XMLDesc(0)).find("cpu")
        assert (live.get("mode"), live.get("match"), live.get("check")) == \
            ("custom", "exact", "full"), ET.tostring(live)
        assert live.findtext("model") == model.text
        assert live.findtext("vendor") == hm.findtext("vendor")
        assert [(f.get("policy"), f.get("name")) for f in live.findall("feature")] == feats

        def mon(cmd, **args):
            msg = {"execute": cmd}
            if args:
                msg["arguments"] = args
            return json.loads(libvirt_qemu.qemuMonitorCommand(dom, json.dumps(msg), 0))["return"]

        # the guest's vCPU has max's features, every one, and nothing more
        want = mon("query-cpu-model-expansion", type="static", model={"name": "max"})
        path = mon("query-cpus-fast")[0]["qom-path"]
        props = {k: v for k, v in want["model"]["props"].items() if isinstance(v, bool)}
        assert len(props) > 100, len(props)
        wrong = [k for k, v in props.items()
                 if mon("qom-get", path=path, property=k) is not v]
        assert not wrong, wrong
        assert "EPYC" in mon("qom-get", path=path, property="model-id") or \
            model.text != "EPYC"
        dom.destroy()
        assert cpu_block(dom.XMLDesc(0)) == "  <cpu mode='host-model' check='partial'/>\n"
        dom.undefine()
        # a feature QEMU does not know: libvirt 9.0's error at start
        dom = conn.defineXML(guest_xml("hmf", guest, serial, "<cpu mode='host-model'>"
                                       "<feature policy='require' name='nosuchfeat'/></cpu>", 1))
        try:
            dom.create()
            raise AssertionError("an unknown CPU feature started")
        except libvirt.libvirtError as e:
            assert (e.get_error_code(), e.get_error_domain()) == \
                (libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_CPU), e
            assert str(e) == "unsupported configuration: unknown CPU feature: nosuchfeat", e
        assert dom.isActive() == 0
        dom.undefine()
    finally:
        conn.close()
    d.stop()


def diskless(name, extra="", devices=""):
    return """<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/></features>%s
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>%s</devices></domain>
""" % (name, extra, devices)


def test_domcapabilities():
    import xml.etree.ElementTree as ET

    d = Daemon().start()
    uri = d.uri()
    out = virsh(uri, "domcapabilities", "--virttype", "qemu", "--machine", "q35").stdout
    caps = ET.fromstring(out)
    assert caps.findtext("path") == "/usr/bin/qemu-system-x86_64", out
    assert caps.findtext("domain") == "qemu", out
    assert caps.findtext("machine").startswith("pc-q35-"), out
    assert caps.findtext("arch") == "x86_64", out
    # vksh prints what Debian's virsh prints through the same daemon
    vksh = os.environ.get("VKSH")
    if vksh:
        import subprocess
        p = subprocess.run([vksh, "-q", "-c", uri, "domcapabilities", "--virttype", "qemu",
                            "--machine", "q35"], capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and p.stdout == out, (p.stdout, p.stderr)

    conn = libvirt.open(uri)
    try:
        assert conn.getDomainCapabilities(None, None, "q35", "qemu", 0) == out.rstrip("\n") + "\n"
        # every video model listed defines, one not listed is refused
        listed = [v.text for v in caps.findall(
            "devices/video/enum[@name='modelType']/value")]
        assert "virtio" in listed and "vmvga" not in listed, listed
        for i, m in enumerate(listed):
            dom = conn.defineXML(diskless("v%d" % i, devices="<video><model type='%s'/></video>"
                                          % m))
            dom.undefine()
        try:
            conn.defineXML(diskless("vq", devices="<video><model type='vmvga'/></video>"))
            raise AssertionError("a video model domcapabilities does not list was defined")
        except libvirt.libvirtError:
            pass
        # memory backing sources: libvirt 9.0's list here, and each defines
        sources = [v.text for v in caps.findall(
            "memoryBacking[@supported='yes']/enum[@name='sourceType']/value")]
        assert sources == ["file", "anonymous", "memfd"], out
        for s in sources:
            conn.defineXML(diskless("mb", "<memoryBacking><source type='%s'/></memoryBacking>"
                                    "<vcpu>1</vcpu>" % s)).undefine()
        # the vCPU maximum defines, one more does not
        vmax = int(caps.find("vcpu").get("max"))
        conn.defineXML(diskless("vm", "<vcpu>%d</vcpu>" % vmax)).undefine()
        try:
            conn.defineXML(diskless("vm1", "<vcpu>%d</vcpu>" % (vmax + 1)))
            raise AssertionError("vcpu max + 1 was defined")
        except libvirt.libvirtError:
            pass
        # CPU models: QEMU's, usable as TCG runs them
        models = {m.text: m.get("usable") for m in caps.findall("cpu/mode[@name='custom']/model")}
        assert models.get("qemu64") == "yes" and models.get("Westmere") == "yes", models
        assert models.get("Skylake-Client") == "no", models
        assert caps.find("cpu/mode[@name='host-passthrough']").get("supported") == "no"
        # libvirt's errors for bad parameters
        for args, code, text in [
                ((None, None, None, "bogus", 0), libvirt.VIR_ERR_INVALID_ARG,
                 "invalid argument: unknown virttype: bogus"),
                ((None, "bogus", None, None, 0), libvirt.VIR_ERR_INVALID_ARG,
                 "invalid argument: unknown architecture: bogus"),
                ((None, "aarch64", None, None, 0), libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
                 "unsupported configuration: unable to find any emulator to serve 'aarch64' "
                 "architecture"),
                ((None, None, "bogus", None, 0), libvirt.VIR_ERR_INVALID_ARG,
                 "invalid argument: the machine 'bogus' is not supported by emulator "
                 "'/usr/bin/qemu-system-x86_64'"),
                ((None, None, None, None, 1), libvirt.VIR_ERR_INVALID_ARG,
                 "unsupported flags (0x1) in function qemuConnectGetDomainCapabilities")]:
            try:
                conn.getDomainCapabilities(*args)
                raise AssertionError("accepted %r" % (args,))
            except libvirt.libvirtError as e:
                assert e.get_error_code() == code and str(e) == text, (args, str(e))
    finally:
        conn.close()
    # refused on the read-only socket, as libvirt 9.0
    p = virsh(uri.replace("virtkit-sock", "virtkit-sock-ro"), "domcapabilities", check=False,
              readonly=True)
    assert p.returncode != 0 and "read only access prevents virConnectGetDomainCapabilities" \
        in p.stderr, p.stderr
    d.stop()


def test_i686():
    """An i686 guest runs on qemu-system-i386 as libvirt picks it: the
    capabilities list that guest (32-bit, PAE), domcapabilities --arch i686
    names the binary, the definition gets it as <emulator> and QEMU's target
    is i386; x86_64 on that binary is refused with libvirt's error."""
    import shutil
    import xml.etree.ElementTree as ET
    import libvirt_qemu

    bin32 = shutil.which("qemu-system-i386")
    if not bin32:
        raise Skip("qemu-system-i386 not installed")
    d = Daemon().start()
    uri = d.uri()
    conn = libvirt.open(uri)
    try:
        caps = ET.fromstring(virsh(uri, "capabilities").stdout)
        arches = [g.find("arch").get("name") for g in caps.findall("guest")]
        assert arches == ["i686", "x86_64"], arches
        g = caps.find("guest/arch[@name='i686']")
        assert g.findtext("wordsize") == "32" and g.findtext("emulator") == bin32
        assert caps.find("guest/features/pae") is not None
        dc = ET.fromstring(virsh(uri, "domcapabilities", "--arch", "i686",
                                 "--virttype", "qemu").stdout)
        assert dc.findtext("path") == bin32 and dc.findtext("arch") == "i686"
        # Debian's OVMF descriptors target x86_64 only: no UEFI for i686
        assert dc.find("os/enum[@name='firmware']/value") is None, \
            ET.tostring(dc.find("os"))
        dom = conn.defineXML(diskless("i6").replace(
            "<emulator>/usr/bin/qemu-system-x86_64</emulator>", "").replace(
            "arch='x86_64'", "arch='i686'"))
        x = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        assert x.findtext("devices/emulator") == bin32, ET.tostring(x)
        assert x.find("cpu/model").text == "qemu32", ET.tostring(x.find("cpu"))
        dom.create()
        target = json.loads(libvirt_qemu.qemuMonitorCommand(
            dom, '{"execute":"query-target"}', 0))["return"]
        assert target["arch"] == "i386", target
        dom.destroy()
        dom.undefine()
        try:
            conn.defineXML(diskless("x6").replace(
                "<emulator>/usr/bin/qemu-system-x86_64</emulator>",
                "<emulator>%s</emulator>" % bin32))
            raise AssertionError("an x86_64 guest was defined on qemu-system-i386")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_CONFIG_UNSUPPORTED, e
            assert str(e) == ("unsupported configuration: Emulator '%s' does not support "
                              "arch 'x86_64'" % bin32), str(e)
    finally:
        conn.close()
    d.stop()


def test_host_facts():
    import fcntl
    import re
    import xml.etree.ElementTree as ET

    d = Daemon().start()
    uri = d.uri()
    conn = libvirt.open(uri)
    try:
        # cpu-models: QEMU's named models, the ones domcapabilities lists
        names = conn.getCPUModelNames("x86_64", 0)
        caps = ET.fromstring(conn.getDomainCapabilities(None, None, None, "qemu", 0))
        listed = [m.text for m in caps.findall("cpu/mode[@name='custom']/model")]
        assert names == listed and "Westmere" in names and "max" not in names, names
        out = virsh(uri, "cpu-models", "x86_64").stdout.split()
        assert out == names, out
        assert conn.getCPUModelNames("aarch64", 0) == []
        for arch, code, text in [
                ("bogus", libvirt.VIR_ERR_INVALID_ARG,
                 "invalid argument: cannot find architecture bogus"),
                ("riscv64", libvirt.VIR_ERR_NO_SUPPORT,
                 "this function is not supported by the connection driver: 'riscv64' "
                 "architecture is not supported by CPU driver")]:
            try:
                conn.getCPUModelNames(arch, 0)
                raise AssertionError(arch)
            except libvirt.libvirtError as e:
                assert e.get_error_code() == code and str(e) == text, str(e)
        # maxvcpus as libvirt answers: 16 for qemu, the kernel's KVM limit
        assert conn.getMaxVcpus(None) == 16 and conn.getMaxVcpus("qemu") == 16
        if os.path.exists("/dev/kvm"):
            fd = os.open("/dev/kvm", os.O_RDONLY)
            try:
                want = fcntl.ioctl(fd, 0xAE03, 66)  # KVM_CHECK_EXTENSION, MAX_VCPUS
            finally:
                os.close(fd)
            assert conn.getMaxVcpus("kvm") == want, (conn.getMaxVcpus("kvm"), want)
        # virsh maxvcpus reads the domain capabilities first (as against libvirtd)
        assert virsh(uri, "maxvcpus").stdout.strip() == caps.find("vcpu").get("max")
        # nodeinfo: the frequency of /proc/cpuinfo
        mhz = int(float(re.search(r"^cpu MHz\s*:\s*([0-9.]+)", open("/proc/cpuinfo").read(),
                                  re.M).group(1)))
        assert conn.getInfo()[3] == mhz, (conn.getInfo(), mhz)
        # capabilities: the host CPU's vendor, signature and topology
        host = ET.fromstring(conn.getCapabilities()).find("host/cpu")
        info = open("/proc/cpuinfo").read().split("\n\n")[0]
        field = dict((k.strip(), v.strip()) for k, _, v in
                     (line.partition(":") for line in info.splitlines()))
        vendor = {"GenuineIntel": "Intel", "AuthenticAMD": "AMD"}.get(field["vendor_id"])
        assert host.findtext("vendor") == vendor, ET.tostring(host)
        sig = host.find("signature")
        assert (sig.get("family"), sig.get("model"), sig.get("stepping")) == \
            (field["cpu family"], field["model"], field["stepping"]), ET.tostring(host)
        topo = host.find("topology")
        total = 1
        for k in ("sockets", "dies", "cores", "threads"):
            total *= int(topo.get(k))
        assert total == os.cpu_count(), ET.tostring(host)
        # the host CPU has a model and features: comparing it with itself
        # says identical (more in test_cpucompare.py)
        assert host.findtext("model"), ET.tostring(host)
        assert conn.compareCPU(ET.tostring(host).decode(), 0) == \
            libvirt.VIR_CPU_COMPARE_IDENTICAL, ET.tostring(host)
    finally:
        conn.close()
    d.stop()


def send_keys(uri, name, serial):
    """send-key and domcontrol on the running guest @name (GUEST-READY on its
    console @serial), then its destroy: the keys reach its keyboard, libvirt's
    errors."""
    assert virsh(uri, "domcontrol", name).stdout == "ok\n"
    # Alt+SysRq+S on the guest's PS/2 keyboard: its kernel syncs and says so
    # on the serial console (Debian's kernel allows sysrq sync by default)
    virsh(uri, "send-key", name, "KEY_LEFTALT", "KEY_SYSRQ", "KEY_S")
    wait_for(lambda: "sysrq: Emergency Sync" in console_text(serial), "the guest's sysrq sync", 60)
    n = console_text(serial).count("sysrq: Emergency Sync")
    conn = libvirt.open(uri)
    try:
        dom = conn.lookupByName(name)
        # python3-libvirt, linux codeset by number, held 50 ms
        dom.sendKey(libvirt.VIR_KEYCODE_SET_LINUX, 50, [56, 99, 31], 3, 0)
        wait_for(lambda: console_text(serial).count("sysrq: Emergency Sync") == n + 1,
                 "a second sysrq sync", 60)
        # the same keys in QEMU's own numbers (qnum/rfb)
        dom.sendKey(libvirt.VIR_KEYCODE_SET_QNUM, 0, [0x38, 0x54, 0x1f], 3, 0)
        wait_for(lambda: console_text(serial).count("sysrq: Emergency Sync") == n + 2,
                 "a third sysrq sync", 60)
        # and as USB HID usages (left alt, print screen/sysrq, s)
        dom.sendKey(libvirt.VIR_KEYCODE_SET_USB, 0, [0xe2, 0x46, 0x16], 3, 0)
        wait_for(lambda: console_text(serial).count("sysrq: Emergency Sync") == n + 3,
                 "a fourth sysrq sync", 60)
        assert dom.controlInfo() == [libvirt.VIR_DOMAIN_CONTROL_OK, 0, 0]
        # Alt+SysRq+S in each other codeset, translated to QEMU's numbers
        # with libvirt's tables: PC set 1 (xt, atset1), sets 2 and 3, xt_kbd
        # (0xe0 prefix as bit 8), win32 virtual keys by name through virsh
        # (os_x has no SysRq key)
        count = n + 3
        for codeset, keys in ((libvirt.VIR_KEYCODE_SET_XT, [0x38, 0x54, 0x1f]),
                              (libvirt.VIR_KEYCODE_SET_ATSET1, [0x38, 0x54, 0x1f]),
                              (libvirt.VIR_KEYCODE_SET_ATSET2, [0x11, 0x7f, 0x1b]),
                              (libvirt.VIR_KEYCODE_SET_ATSET3, [0x19, 0x57, 0x1b]),
                              (libvirt.VIR_KEYCODE_SET_XT_KBD, [0x38, 0x54, 0x1f]),
                              (None, ["win32", "VK_MENU", "VK_SNAPSHOT", "0x53"])):
            if codeset is None:
                virsh(uri, "send-key", name, "--codeset", *keys)
            else:
                dom.sendKey(codeset, 0, keys, 3, 0)
            count += 1
            wait_for(lambda: console_text(serial).count("sysrq: Emergency Sync") == count,
                     "sysrq sync %d (%s)" % (count, keys), 60)
        # libvirt's errors: a key no row of the tables holds, a codeset past
        # the last, a flag; nothing pressed
        for args, code, msg in [
                ((libvirt.VIR_KEYCODE_SET_ATSET3, 0, [0x38, 0x1ff], 2, 0),
                 libvirt.VIR_ERR_INTERNAL_ERROR,
                 "internal error: cannot translate keycode 511 of atset3 codeset to qnum keycode"),
                ((libvirt.VIR_KEYCODE_SET_ATSET1, 0, [0xf2], 1, 0),
                 libvirt.VIR_ERR_INTERNAL_ERROR,
                 "internal error: cannot translate keycode 242 of atset1 codeset to qnum keycode"),
                ((99, 0, [30], 1, 0), libvirt.VIR_ERR_INVALID_ARG, None),
                ((0, 0, [30], 1, 1), libvirt.VIR_ERR_INVALID_ARG, None)]:
            try:
                dom.sendKey(*args)
                raise AssertionError("sendKey%r accepted" % (args,))
            except libvirt.libvirtError as e:
                assert e.get_error_code() == code, (args, str(e))
                assert msg is None or (str(e) == msg and
                                       e.get_error_domain() == libvirt.VIR_FROM_QEMU), str(e)
        assert console_text(serial).count("sysrq: Emergency Sync") == count
        ro = libvirt.openReadOnly(uri.replace("virtkit-sock", "virtkit-sock-ro"))
        try:
            try:
                ro.lookupByName(name).sendKey(0, 0, [30], 1, 0)
                raise AssertionError("send-key on a read-only connection")
            except libvirt.libvirtError as e:
                assert e.get_error_code() == libvirt.VIR_ERR_OPERATION_DENIED, e
            assert ro.lookupByName(name).controlInfo()[0] == libvirt.VIR_DOMAIN_CONTROL_OK
        finally:
            ro.close()
        dom.destroy()
        try:
            dom.controlInfo()
            raise AssertionError("control info of a stopped domain")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID, e
    finally:
        conn.close()


def test_node_memory_tune():
    ksm = "/sys/kernel/mm/ksm"
    if not os.path.exists(os.path.join(ksm, "sleep_millisecs")):
        raise Skip("no KSM in this kernel")

    def sysval(name):
        return int(open(os.path.join(ksm, name)).read())

    d = Daemon().start()
    uri = d.uri()
    orig = sysval("sleep_millisecs")
    conn = libvirt.open(uri)
    try:
        params = conn.getMemoryParameters(0)
        assert sorted(params) == sorted([
            "shm_pages_to_scan", "shm_sleep_millisecs", "shm_pages_shared",
            "shm_pages_sharing", "shm_pages_unshared", "shm_pages_volatile",
            "shm_full_scans", "shm_merge_across_nodes"]), params
        assert params["shm_pages_to_scan"] == sysval("pages_to_scan"), params
        assert params["shm_sleep_millisecs"] == orig, params
        out = virsh(uri, "node-memory-tune").stdout
        assert out.startswith("Shared memory:\n\tshm_pages_to_scan %d\n" %
                              sysval("pages_to_scan")), out
        assert "\tshm_full_scans  %d\n" % sysval("full_scans") in out, out
        # a change reaches the kernel; python3-libvirt puts it back
        virsh(uri, "node-memory-tune", "--shm-sleep-millisecs", str(orig + 7))
        assert sysval("sleep_millisecs") == orig + 7
        conn.setMemoryParameters({"shm_sleep_millisecs": orig}, 0)
        assert sysval("sleep_millisecs") == orig
        # a figure is not a tunable: libvirt's error, nothing written
        try:
            conn.setMemoryParameters({"shm_pages_shared": 5}, 0)
            raise AssertionError("shm_pages_shared was set")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, e
            assert str(e) == "argument unsupported: parameter 'shm_pages_shared' not " \
                "supported", e
        ro = libvirt.openReadOnly(uri.replace("virtkit-sock", "virtkit-sock-ro"))
        try:
            assert ro.getMemoryParameters(0)["shm_sleep_millisecs"] == orig
            try:
                ro.setMemoryParameters({"shm_sleep_millisecs": orig + 1}, 0)
                raise AssertionError("set on a read-only connection")
            except libvirt.libvirtError as e:
                assert e.get_error_code() == libvirt.VIR_ERR_OPERATION_DENIED, e
        finally:
            ro.close()
        assert sysval("sleep_millisecs") == orig
    finally:
        if sysval("sleep_millisecs") != orig:
            with open(os.path.join(ksm, "sleep_millisecs"), "w") as f:
                f.write(str(orig))
        conn.close()
    d.stop()


NATIVE_XML = """<domain type='qemu'>
  <name>native</name>
  <uuid>6d1c3a52-6b3e-4b7f-9a41-2f0c7e9d5a11</uuid>
  <memory unit='MiB'>96</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/><source file='%s'/><target dev='vda' bus='virtio'/>
    </disk>
    <interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/></interface>
    <serial type='pty'/>
    <graphics type='vnc' autoport='yes'/>
  </devices>
</domain>
"""


def qmp_session(path):
    """A QMP connection to @path after capabilities negotiation: a
    function running one command and returning its "return"."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    f = s.makefile("rw")
    json.loads(f.readline())

    def cmd(name, **args):
        f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        f.flush()
        while True:
            r = json.loads(f.readline())
            if "error" in r:
                raise AssertionError("%s: %s" % (name, r["error"]))
            if "return" in r:
                return r["return"]
    cmd("qmp_capabilities")
    return cmd


def test_domxml_to_native():
    """domxml-to-native with Debian's virsh through virtkitd: the command
    line it prints, run as it is, is a paused QEMU with the definition's
    machine, vCPUs, memory, disk and NIC; nothing is defined, started or
    created by the call; libvirt's errors (unknown format, flags, read-only,
    domxml-from-native not supported)."""
    d = Daemon().start()
    uri = d.uri()
    img = os.path.join(d.root, "disk.qcow2")
    sh("qemu-img create -q -f qcow2 %s 64M" % img)
    xml = write(os.path.join(d.root, "native.xml"), NATIVE_XML % img)
    argv = shlex.split(virsh(uri, "domxml-to-native", "qemu-argv", xml).stdout.strip())
    assert argv[0].endswith("/qemu-system-x86_64") and "-S" in argv, argv
    assert virsh(uri, "list", "--all", "--name").stdout.strip() == ""
    mon = [a for a in argv if a.startswith("socket,id=charmonitor,path=")][0]
    monitor = mon.split("path=")[1].split(",")[0]
    assert not os.path.exists(os.path.dirname(monitor)), monitor
    # the same through --domain (the defined domain's XML): the same line
    virsh(uri, "define", xml)
    assert shlex.split(virsh(uri, "domxml-to-native", "qemu-argv", "--domain",
                             "native").stdout.strip()) == argv
    virsh(uri, "undefine", "native")

    os.makedirs(os.path.dirname(monitor))
    log = open(os.path.join(d.root, "native-qemu.log"), "w")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        wait_for(lambda: os.path.exists(monitor) or proc.poll() is not None,
                 "the monitor socket of the printed command's QEMU")
        # QEMU creates its monitor before it binds the VNC port: a QEMU that
        # fails after that shows as the monitor closing; say why it failed.
        try:
            assert proc.poll() is None
            qmp = qmp_session(monitor)
        except (OSError, ValueError, AssertionError):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            raise AssertionError("the printed QEMU (rc %s): %s" %
                                 (proc.poll(), open(log.name).read()))
        assert qmp("query-status")["status"] == "prelaunch"
        assert qmp("qom-get", path="/machine", property="type").startswith("pc-q35-")
        assert len(qmp("query-cpus-fast")) == 2
        assert qmp("query-memory-size-summary")["base-memory"] == 96 << 20
        files = [b["inserted"]["file"] for b in qmp("query-block") if b.get("inserted")]
        assert img in files, files
        nets = [n for n in qmp("qom-list", path="/machine/peripheral") if n["name"] == "net0"]
        assert nets and qmp("qom-get", path="/machine/peripheral/net0",
                            property="mac") == "52:54:00:aa:bb:cc"
        qmp("quit")
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            kill_pid(proc.pid)
            proc.wait()
        log.close()

    conn = libvirt.open(uri)
    try:
        for args, code, dom, msg in [
                (("foo", "<domain/>", 0), libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                 "invalid argument: unsupported config type foo"),
                (("qemu-argv", open(xml).read(), 1), libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_QEMU,
                 "unsupported flags (0x1) in function qemuConnectDomainXMLToNative")]:
            try:
                conn.domainXMLToNative(*args)
                raise AssertionError("domainXMLToNative%r succeeded" % (args,))
            except libvirt.libvirtError as e:
                assert (e.get_error_code(), e.get_error_domain(), str(e)) == (code, dom, msg), e
        try:
            conn.domainXMLFromNative("qemu-argv", "x", 0)
            raise AssertionError("domainXMLFromNative succeeded")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT, e
    finally:
        conn.close()
    p = virsh(uri, "domxml-to-native", "qemu-argv", xml, check=False, readonly=True)
    assert p.returncode == 1 and "read only access prevents virConnectDomainXMLToNative" \
        in p.stderr, p.stderr
    d.stop()


if __name__ == "__main__":
    run_tests([
        ("cpu: a custom model, topology and features reach QEMU; libvirt's defaults and errors; "
         "send-key reaches that guest's keyboard (its sysrq sync on the console); domcontrol",
         test_guest_cpu),
        ("host-model: QEMU's max expanded as a model and features, in domcapabilities, "
         "the live XML and the vCPU QEMU runs", test_host_model),
        ("domcapabilities: what it lists defines, what it leaves out does not; libvirt's errors",
         test_domcapabilities),
        ("i686: qemu-system-i386 in capabilities and domcapabilities, the guest runs on it",
         test_i686),
        ("host facts: cpu-models, maxvcpus, nodeinfo MHz, host CPU in capabilities, "
         "compareCPU of it identical", test_host_facts),
        ("node-memory-tune: KSM figures from /sys, a change reaches the kernel",
         test_node_memory_tune),
        ("domxml-to-native: the printed command line runs the definition's QEMU; "
         "libvirt's errors", test_domxml_to_native),
    ])
