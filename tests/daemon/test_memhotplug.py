#!/usr/bin/env python3
"""Memory devices plugged into and out of a running guest through virtkitd (issues 10, 15).

A real TCG guest (the hotplug test guest) with <maxMemory slots='2'> and
one NUMA cell, driven with Debian's virsh and python3-libvirt:
- refusals (beyond maxMemory, a NUMA node the guest lacks, a virtio-mem
  request that is not a multiple of its block, no slot left, a device
  that is not there) give libvirt 9.0's codes and texts and change
  nothing: QEMU's query-memory-devices and the live and persistent XML
  stay as they were;
- a dimm attached live: QEMU has it (pc-dimm, its slot, node, size, the
  backend memdimm0), the live <memory> grows by its size, DEVICE_ADDED
  names the backend as libvirt 9.0 does, the live XML has QEMU's base
  address; a virtio-mem device beside it (virtio-mem-pci on a PCI slot,
  requested-size as given): the guest's virtio_mem driver plugs what was
  requested, QEMU's MEMORY_DEVICE_SIZE_CHANGE becomes libvirt's event
  (alias, KiB) as virsh prints it and <target><current> in the live XML;
- detached live: the dimm is gone from QEMU (the guest's ACPI eject) and
  from the XML, DEVICE_REMOVED; slot 0 is free for the next one; QEMU 7.2
  refuses to unplug virtio-mem, and its refusal comes back as libvirt's;
- the persistent definition: attach --config / detach --config change it
  and leave the running guest alone.
The test guest's kernel does not online hotplugged memory by itself (no
auto-online, and its init has no udev rule), so the guest's MemTotal does
not grow: QEMU's query-memory-devices is what shows the device.
"""
import json
import os
import re
import sys

from vkdtest import Daemon, Skip, VirshEvents, diskless_xml, run_tests, virsh, wait_for, write
from vkdtest import test_guest_dir

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

ROOT_PORTS = "".join("<controller type='pci' model='pcie-root-port'/>" for _ in range(3))


def guest_xml(name, guest, serial):
    return """<domain type='qemu'>
  <name>%s</name>
  <maxMemory slots='2' unit='MiB'>1024</maxMemory>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <cpu><numa><cell id='0' cpus='0' memory='256' unit='MiB'/></numa></cpu>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' model='pcie-root'/>%s
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, guest, guest, ROOT_PORTS, serial)


def dimm(mib, node=0):
    return ("<memory model='dimm'><target><size unit='MiB'>%d</size><node>%d</node>"
            "</target></memory>" % (mib, node))


def vmem(mib, req_mib, block_kib=2048):
    return ("<memory model='virtio-mem'><target><size unit='MiB'>%d</size><node>0</node>"
            "<block unit='KiB'>%d</block><requested unit='MiB'>%d</requested></target>"
            "</memory>" % (mib, block_kib, req_mib))


def qmp(dom, cmd):
    import libvirt_qemu
    return json.loads(libvirt_qemu.qemuMonitorCommand(
        dom, json.dumps({"execute": cmd}), 0))["return"]


def mem_kib(xml):
    return int(re.search(r"<memory unit='KiB'>(\d+)</memory>", xml).group(1))


def expect_error(fn, code, domain, text):
    try:
        fn()
    except libvirt.libvirtError as e:
        assert (e.get_error_code(), e.get_error_domain()) == (code, domain), \
            (e.get_error_code(), e.get_error_domain(), str(e))
        assert text in str(e), (text, str(e))
        return
    raise AssertionError("no error: expected %r" % text)


def test_memory_hotplug():
    guest = test_guest_dir("hotplug")
    if not guest:
        raise Skip("hotplug test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    ev = None
    try:
        uri = d.uri()
        os.chmod(d.root, 0o755)
        serial = os.path.join(d.root, "mh.serial")
        virsh(uri, "define", write(os.path.join(d.root, "mh.xml"),
                                   guest_xml("mh", guest, serial)))
        virsh(uri, "start", "mh")
        wait_for(lambda: "GUEST-READY" in open(serial, errors="replace").read(),
                 "the guest up", 120)
        ev = VirshEvents(uri, "--all")
        ev.sync(uri, diskless_xml("evsync"), d.root)
        conn = libvirt.open(uri)
        dom = conn.lookupByName("mh")
        live = libvirt.VIR_DOMAIN_AFFECT_LIVE
        config = libvirt.VIR_DOMAIN_AFFECT_CONFIG
        QEMU, CONF = libvirt.VIR_FROM_QEMU, libvirt.VIR_FROM_DOMAIN
        UNSUP = libvirt.VIR_ERR_CONFIG_UNSUPPORTED

        def state():
            return (qmp(dom, "query-memory-devices"), dom.XMLDesc(0),
                    dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))

        before = state()
        assert before[0] == [], before[0]
        base = mem_kib(before[1])
        assert base == 262144, before[1]

        # refusals: libvirt 9.0's codes and texts, nothing changed
        refusals = [
            (dimm(1024), UNSUP, CONF,
             "Attaching memory device with size '1048576' would exceed domain's "
             "maxMemory config size '1048576'"),
            (dimm(128, node=1), libvirt.VIR_ERR_XML_DETAIL, CONF,
             "can't add memory backend for guest node '1' as the guest has only '1' "
             "NUMA nodes configured"),
            (vmem(128, 3), libvirt.VIR_ERR_XML_DETAIL, CONF,
             "requested size must be an integer multiple of block size"),
        ]
        for xml, code, domain, text in refusals:
            for flags in (live, config):
                expect_error(lambda: dom.attachDeviceFlags(xml, flags), code, domain, text)
            assert state() == before, state()
        expect_error(lambda: dom.detachDeviceFlags(dimm(128), live),
                     libvirt.VIR_ERR_DEVICE_MISSING, QEMU,
                     "model 'dimm' memory device not present in the domain configuration")
        expect_error(lambda: dom.detachDeviceFlags(dimm(128), config),
                     libvirt.VIR_ERR_DEVICE_MISSING, QEMU,
                     "matching memory device was not found")

        # a dimm, live (Debian's virsh): in QEMU on slot 0 of node 0, the
        # total grows, DEVICE_ADDED names the backend
        f = write(os.path.join(d.root, "dimm.xml"), dimm(128))
        virsh(uri, "attach-device", "mh", f, "--live")
        ev.wait_line(r"event 'device-added' for domain 'mh': memdimm0$", 30)
        devs = qmp(dom, "query-memory-devices")
        assert len(devs) == 1 and devs[0]["type"] == "dimm", devs
        dd = devs[0]["data"]
        assert (dd["id"], dd["memdev"], dd["slot"], dd["node"], dd["size"],
                dd["hotplugged"]) == ("dimm0", "/objects/memdimm0", 0, 0, 128 << 20, True), dd
        x = dom.XMLDesc(0)
        assert mem_kib(x) == base + 131072, x
        assert re.search(r"<memory model='dimm'>\s*<target>\s*<size unit='KiB'>131072</size>"
                         r"\s*<node>0</node>\s*</target>\s*<alias name='dimm0'/>\s*"
                         r"<address type='dimm' slot='0' base='0x100000000'/>", x), x
        assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before[2]

        # a virtio-mem device beside it (python3-libvirt): its own PCI slot
        dom.attachDeviceFlags(vmem(256, 64), live)
        ev.wait_line(r"event 'device-added' for domain 'mh': memvirtiomem0$", 30)
        devs = {m["data"]["id"]: m for m in qmp(dom, "query-memory-devices")}
        vm = devs["virtiomem0"]
        assert vm["type"] == "virtio-mem", vm
        assert (vm["data"]["requested-size"], vm["data"]["max-size"],
                vm["data"]["block-size"], vm["data"]["node"]) == \
            (64 << 20, 256 << 20, 2 << 20, 0), vm
        # the guest's virtio_mem driver plugs what was requested: QEMU's
        # size follows, MEMORY_DEVICE_SIZE_CHANGE, <current> in the XML
        # (virsh prints the alias and the size on lines of their own)
        ev.wait_line(r"event 'memory-device-size-change' for domain 'mh':", 60)
        assert re.search(r"memory-device-size-change' for domain 'mh':\s*"
                         r"alias: virtiomem0\s*size: 65536", ev.buf), ev.buf
        vm = [m for m in qmp(dom, "query-memory-devices") if m["type"] == "virtio-mem"][0]
        assert vm["data"]["size"] == 64 << 20, vm
        x = dom.XMLDesc(0)
        assert mem_kib(x) == base + 131072 + 262144, x
        assert re.search(r"<requested unit='KiB'>65536</requested>\s*"
                         r"<current unit='KiB'>65536</current>\s*</target>\s*"
                         r"<alias name='virtiomem0'/>\s*<address type='pci'", x), x

        # no slot left: both slots are taken
        snap = state()
        expect_error(lambda: dom.attachDeviceFlags(dimm(2), live), UNSUP, QEMU,
                     "memory device count '3' exceeds slots count '2'")
        assert state() == snap

        # QEMU 7.2 cannot unplug virtio-mem: its refusal, as libvirt 9.0
        # passes it on, and nothing changed
        expect_error(lambda: dom.detachDeviceFlags(vmem(256, 64), live),
                     libvirt.VIR_ERR_INTERNAL_ERROR, QEMU,
                     "virtio based memory devices cannot be unplugged")
        assert state() == snap

        # detached live: the guest lets the dimm go (ACPI eject), gone
        # from QEMU and the XML
        virsh(uri, "detach-device", "mh", f, "--live")
        ev.wait_line(r"event 'device-removed' for domain 'mh': dimm0$", 30)
        wait_for(lambda: [m["data"]["id"] for m in qmp(dom, "query-memory-devices")] ==
                 ["virtiomem0"], "QEMU without the dimm", 30)
        x = dom.XMLDesc(0)
        assert "<memory model='dimm'" not in x and mem_kib(x) == base + 262144, x

        # plugged again after the unplug: slot 0 is free again
        virsh(uri, "attach-device", "mh", f, "--live")
        ev.wait_line(r"event 'device-added' for domain 'mh': memdimm0$", 30)
        assert [m["data"].get("slot") for m in qmp(dom, "query-memory-devices")
                if m["type"] == "dimm"] == [0]
        virsh(uri, "detach-device", "mh", f, "--live")
        wait_for(lambda: len(qmp(dom, "query-memory-devices")) == 1, "QEMU without it", 30)

        # the persistent definition: in and out, the running guest alone
        x = dom.XMLDesc(0)
        virsh(uri, "attach-device", "mh", f, "--config")
        xc = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert mem_kib(xc) == base + 131072, xc
        assert re.search(r"<memory model='dimm'>\s*<target>\s*<size unit='KiB'>131072"
                         r"</size>\s*<node>0</node>\s*</target>\s*"
                         r"<address type='dimm' slot='0'/>", xc), xc
        assert dom.XMLDesc(0) == x and len(qmp(dom, "query-memory-devices")) == 1
        virsh(uri, "detach-device", "mh", f, "--config")
        xc = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert "<memory model=" not in xc and mem_kib(xc) == base, xc
        conn.close()
    finally:
        if ev:
            ev.close()
        virsh(d.uri(), "destroy", "mh", check=False)
        d.stop()


if __name__ == "__main__":
    run_tests([
        ("memory devices: dimm and virtio-mem attached and detached live and in the "
         "definition; libvirt's refusals change nothing (QEMU's query-memory-devices, "
         "the XML, the events)", test_memory_hotplug),
    ])
