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
Part 2 resizes a virtio-mem device (update-memory-device, updateDeviceFlags)
and ran against Debian's libvirtd as well (resize_scenario's @reference);
part 3 checks memory device backends QEMU was given at start (qom-get).
The test guest's kernel does not online hotplugged memory by itself (no
auto-online, and its init has no udev rule), so the guest's MemTotal does
not grow: QEMU's query-memory-devices is what shows the device.
"""
import json
import os
import re
import sys

from vkdtest import expect_error
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


def resize_guest_xml(name, guest, serial):
    """guest_xml with a virtio-mem device from the start (256 MiB, 2 MiB
    blocks, 64 MiB requested)"""
    return guest_xml(name, guest, serial).replace(
        "<memory unit='MiB'>256</memory>", "<memory unit='MiB'>512</memory>").replace(
        "<memballoon model='none'/>", "<memballoon model='none'/>" + vmem(256, 64))


def mem_device(xml, model):
    """the <memory model=...> element of a domain XML (the one of @model)"""
    m = re.search(r"(<memory model='%s'>.*?</memory>)" % re.escape(model), xml, re.S)
    assert m, xml
    return m.group(1)


def set_requested(dev, kib):
    return re.sub(r"<requested unit='KiB'>\d+</requested>",
                  "<requested unit='KiB'>%d</requested>" % kib, dev)


def vmem_info(dom):
    return [m["data"] for m in qmp(dom, "query-memory-devices")
            if m["type"] == "virtio-mem"][0]


def requested_kib(xml):
    return int(re.search(r"<requested unit='KiB'>(\d+)</requested>", xml).group(1))


def current_kib(xml):
    m = re.search(r"<current unit='KiB'>(\d+)</current>", xml)
    return int(m.group(1)) if m else None


def wait_size_event(ev, kib):
    """virsh's line of the MEMORY_DEVICE_SIZE_CHANGE that reaches @kib (the
    guest may plug in steps: one event a step)"""
    rx = re.compile(r"memory-device-size-change' for domain 'mr':\s*"
                    r"alias: virtiomem0\s*size: %d\n" % kib)
    try:
        wait_for(lambda: ev.lines() and rx.search(ev.buf), "size-change to %d" % kib, 60)
    except AssertionError:
        raise AssertionError("no size-change event to %d KiB: %r" % (kib, ev.buf))


def resize_scenario(uri, root, guest, reference=False):
    """The virtio-mem resize against the daemon at @uri: virtkitd, or
    with @reference Debian's libvirtd (isolated as scripts/virsh-survey.py
    runs it), which gives the same errors and effects but for the one
    step it fails."""
    serial = os.path.join(root, "mr.serial")
    ev = None
    try:
        virsh(uri, "define", write(os.path.join(root, "mr.xml"),
                                   resize_guest_xml("mr", guest, serial)))
        virsh(uri, "start", "mr")
        ev = VirshEvents(uri, "--all")
        ev.sync(uri, diskless_xml("evsync"), root)
        conn = libvirt.open(uri)
        dom = conn.lookupByName("mr")
        live = libvirt.VIR_DOMAIN_AFFECT_LIVE
        config = libvirt.VIR_DOMAIN_AFFECT_CONFIG
        QEMU, CONF = libvirt.VIR_FROM_QEMU, libvirt.VIR_FROM_DOMAIN
        UNSUP = libvirt.VIR_ERR_CONFIG_UNSUPPORTED
        wait_for(lambda: "GUEST-READY" in open(serial, errors="replace").read(),
                 "the guest up", 120)
        # the guest's virtio_mem driver plugs the 64 MiB asked for at start
        wait_for(lambda: vmem_info(dom)["size"] == 64 << 20, "64 MiB plugged at boot", 60)
        wait_for(lambda: current_kib(dom.XMLDesc(0)) == 65536, "<current> at boot", 30)
        # a dimm beside it, plugged live: two devices in the live XML
        f = write(os.path.join(root, "dimm.xml"), dimm(128))
        virsh(uri, "attach-device", "mr", f, "--live")
        ev.wait_line(r"event 'device-added' for domain 'mr': memdimm0$", 30)

        def state():
            return (qmp(dom, "query-memory-devices"), dom.XMLDesc(0),
                    dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))

        before = state()
        vm = vmem_info(dom)
        assert (vm["requested-size"], vm["size"], vm["max-size"], vm["block-size"]) == \
            (64 << 20, 64 << 20, 256 << 20, 2 << 20), vm
        vdev = mem_device(before[1], "virtio-mem")
        ddev = mem_device(before[1], "dimm")
        cdev = mem_device(before[2], "virtio-mem")
        assert "<alias name='virtiomem0'/>" in vdev and "<alias" not in cdev, (vdev, cdev)

        # refusals: libvirt 9.0's codes and texts, nothing changed in QEMU
        # or in either XML
        size_changed = vdev.replace("<size unit='KiB'>262144</size>",
                                    "<size unit='KiB'>524288</size>")
        refusals = [
            (set_requested(vdev, 3072), live, libvirt.VIR_ERR_XML_DETAIL, CONF,
             "requested size must be an integer multiple of block size"),
            (set_requested(vdev, 524288), live, libvirt.VIR_ERR_XML_DETAIL, CONF,
             "requested size must be smaller than or equal to @size (262144KiB)"),
            (set_requested(cdev, 3072), config, libvirt.VIR_ERR_XML_DETAIL, CONF,
             "requested size must be an integer multiple of block size"),
            (ddev, live, UNSUP, QEMU, "cannot modify memory of model 'dimm'"),
            (size_changed, live, UNSUP, QEMU,
             "cannot modify memory size from '262144' to '524288'"),
            (vdev.replace("name='virtiomem0'", "name='nosuch'"), live, UNSUP, QEMU,
             "memory 'nosuch' not found"),
            (set_requested(vdev, 131072), live | config, libvirt.VIR_ERR_INVALID_ARG, QEMU,
             "memory not found"),
            (re.sub(r"slot='0x0*(\w+)'", "slot='0x1f'", cdev), config,
             libvirt.VIR_ERR_INVALID_ARG, QEMU, "memory not found"),
        ]
        for xml, flags, code, domain, text in refusals:
            expect_error(lambda: dom.updateDeviceFlags(xml, flags), code, domain, text)
            assert state() == before, (text, state())
        # Debian's virsh: its own selection errors, nothing sent
        for args, text in (
                (["--requested-size", "256MiB"],
                 "multiple memory devices found, use --alias or --node to select one"),
                (["--alias", "nosuch", "--requested-size", "256MiB"],
                 "no memory device found"),
                (["--alias", "dimm0", "--requested-size", "64MiB"],
                 "virtio-mem device is missing <requested/>")):
            p = virsh(uri, "update-memory-device", "mr", *args, check=False)
            assert p.returncode == 1 and p.stderr.strip() == "error: " + text, p
        assert state() == before

        # grown live by Debian's virsh: QEMU's requested-size and the live
        # <requested> at once, the persistent definition alone; the guest
        # plugs, QEMU's MEMORY_DEVICE_SIZE_CHANGE, then <current>
        p = virsh(uri, "update-memory-device", "mr", "--alias", "virtiomem0",
                  "--requested-size", "128MiB")
        assert p.stdout == "" and p.stderr == "", p
        assert vmem_info(dom)["requested-size"] == 128 << 20
        assert requested_kib(mem_device(dom.XMLDesc(0), "virtio-mem")) == 131072
        assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before[2]
        wait_size_event(ev, 131072)
        assert vmem_info(dom)["size"] == 128 << 20
        wait_for(lambda: current_kib(mem_device(dom.XMLDesc(0), "virtio-mem")) == 131072,
                 "<current> 128 MiB", 30)

        # shrunk live by python3-libvirt: the guest unplugs (its blocks
        # were never onlined), QEMU's size follows
        ev.buf = ""
        dom.updateDeviceFlags(set_requested(mem_device(dom.XMLDesc(0), "virtio-mem"),
                                            32768), live)
        assert vmem_info(dom)["requested-size"] == 32 << 20
        wait_size_event(ev, 32768)
        assert vmem_info(dom)["size"] == 32 << 20
        wait_for(lambda: current_kib(mem_device(dom.XMLDesc(0), "virtio-mem")) == 32768,
                 "<current> 32 MiB", 30)

        # the persistent definition only (--config, one device there): QEMU
        # and the live XML alone
        snap = (qmp(dom, "query-memory-devices"), dom.XMLDesc(0))
        p = virsh(uri, "update-memory-device", "mr", "--config", "--requested-size", "192M")
        assert p.stdout == "" and p.stderr == "", p
        xc = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert requested_kib(xc) == 196608, xc
        assert set_requested(xc, 65536) == before[2], xc
        assert (qmp(dom, "query-memory-devices"), dom.XMLDesc(0)) == snap

        # both at once: the device found by its PCI address in each (the
        # inactive XML virsh sends has no alias). libvirtd 9.0 then asks
        # QEMU for the alias of the XML it was given, and fails with
        # nothing changed; virtkit sets the device it found
        if reference:
            snap = state()
            p = virsh(uri, "update-memory-device", "mr", "--live", "--config",
                      "--requested-size", "64MiB", check=False)
            assert p.returncode == 1 and p.stderr.strip() == (
                "error: internal error: unable to execute QEMU command 'qom-set': "
                "Device '/machine/peripheral/(null)' not found"), p
            assert state() == snap
            dom.updateDeviceFlags(set_requested(mem_device(dom.XMLDesc(0), "virtio-mem"),
                                                65536), live)
            dom.updateDeviceFlags(set_requested(mem_device(dom.XMLDesc(
                libvirt.VIR_DOMAIN_XML_INACTIVE), "virtio-mem"), 65536), config)
        else:
            p = virsh(uri, "update-memory-device", "mr", "--live", "--config",
                      "--requested-size", "64MiB")
            assert p.stdout == "" and p.stderr == "", p
        assert vmem_info(dom)["requested-size"] == 64 << 20
        assert requested_kib(mem_device(dom.XMLDesc(0), "virtio-mem")) == 65536
        assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before[2]
        wait_for(lambda: vmem_info(dom)["size"] == 64 << 20, "64 MiB plugged again", 60)

        # --print-xml: the device as virsh would send it, nothing changed
        snap = state()
        p = virsh(uri, "update-memory-device", "mr", "--alias", "virtiomem0",
                  "--requested-size", "8MiB", "--print-xml")
        assert "<requested unit=\"KiB\">8192</requested>" in p.stdout, p
        assert state()[0] == snap[0] and state()[2] == snap[2]
        conn.close()
    finally:
        if ev:
            ev.close()
        virsh(uri, "destroy", "mr", check=False)
        virsh(uri, "undefine", "mr", check=False)


def test_virtio_mem_resize():
    guest = test_guest_dir("hotplug")
    if not guest:
        raise Skip("hotplug test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    try:
        os.chmod(d.root, 0o755)
        resize_scenario(d.uri(), d.root, guest)
    finally:
        d.stop()


def qmp_args(dom, cmd, **args):
    import libvirt_qemu
    return json.loads(libvirt_qemu.qemuMonitorCommand(
        dom, json.dumps({"execute": cmd, "arguments": args}), 0))["return"]


def test_backend_options():
    guest = test_guest_dir("hotplug")
    if not guest:
        raise Skip("hotplug test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    try:
        uri = d.uri()
        os.chmod(d.root, 0o755)
        serial = os.path.join(d.root, "mb.serial")
        shared = ("<memory model='dimm' access='shared' discard='yes'><source>"
                  "<nodemask>0</nodemask></source><target><size unit='MiB'>128</size>"
                  "<node>0</node></target></memory>")
        # (immediate allocation: every backend preallocates, a bound one
        # from a thread-context on its host nodes)
        xml = guest_xml("mb", guest, serial).replace(
            "<memory unit='MiB'>256</memory>",
            "<memory unit='MiB'>384</memory><memoryBacking><allocation mode='immediate'/>"
            "</memoryBacking>").replace(
            "<memballoon model='none'/>", "<memballoon model='none'/>" + shared)
        virsh(uri, "define", write(os.path.join(d.root, "mb.xml"), xml))
        virsh(uri, "start", "mb")
        wait_for(lambda: "GUEST-READY" in open(serial, errors="replace").read(),
                 "the guest up", 120)
        conn = libvirt.open(uri)
        dom = conn.lookupByName("mb")

        def prop(obj, name):
            return qmp_args(dom, "qom-get", path="/objects/" + obj, property=name)

        # the shared dimm's backend: a file the daemon made (a descriptor
        # QEMU was given), shared, discarded on exit, bound to host node 0
        assert prop("memdimm0", "mem-path").startswith("/proc/self/fd/")
        assert (prop("memdimm0", "share"), prop("memdimm0", "discard-data"),
                prop("memdimm0", "host-nodes"), prop("memdimm0", "policy"),
                prop("memdimm0", "size"), prop("memdimm0", "prealloc")) == \
            (True, True, [0], "bind", 128 << 20, True)
        devs = qmp(dom, "query-memory-devices")
        assert [(m["type"], m["data"]["memdev"]) for m in devs] == \
            [("dimm", "/objects/memdimm0")], devs

        # hotplug: a RAM backend bound to host node 0 plugs; one in a file
        # of the daemon's is refused (virtkit passes such files only at
        # start) and nothing changes
        before = (qmp(dom, "query-memory-devices"), dom.XMLDesc(0))
        expect_error(lambda: dom.attachDeviceFlags(shared, libvirt.VIR_DOMAIN_AFFECT_LIVE),
                     libvirt.VIR_ERR_CONFIG_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
                     "hotplug of a memory device backed by a file of the driver's is not "
                     "supported by virtkit")
        assert (qmp(dom, "query-memory-devices"), dom.XMLDesc(0)) == before
        bound = ("<memory model='dimm'><source><nodemask>0</nodemask></source><target>"
                 "<size unit='MiB'>64</size><node>0</node></target></memory>")
        dom.attachDeviceFlags(bound, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        assert (prop("memdimm1", "host-nodes"), prop("memdimm1", "policy"),
                prop("memdimm1", "size"), prop("memdimm1", "prealloc")) == \
            ([0], "bind", 64 << 20, True)
        # preallocated without a thread-context: QEMU's sandbox
        # (resourcecontrol=deny) refuses its CPU affinity once running
        # ("Setting CPU affinity failed"); the one the dimm had at start
        # was deleted once QEMU was set up, as libvirt deletes it
        objs = [o["name"] for o in qmp_args(dom, "qom-list", path="/objects")]
        assert "memdimm0" in objs and "memdimm1" in objs and \
            not [o for o in objs if o.startswith("tc-")], objs
        assert re.search(r"<memory model='dimm'>\s*<source>\s*<nodemask>0</nodemask>",
                         dom.XMLDesc(0))
        conn.close()
    finally:
        virsh(d.uri(), "destroy", "mb", check=False)
        d.stop()


if __name__ == "__main__":
    run_tests([
        ("memory devices: dimm and virtio-mem attached and detached live and in the "
         "definition; libvirt's refusals change nothing (QEMU's query-memory-devices, "
         "the XML, the events)", test_memory_hotplug),
        ("virtio-mem resized (update-memory-device, updateDeviceFlags): live, --config "
         "and both; QEMU's requested-size at once, the guest's plug and unplug through "
         "MEMORY_DEVICE_SIZE_CHANGE into <current>; libvirt's refusals change nothing",
         test_virtio_mem_resize),
        ("memory device backends at start as libvirt 9.0 builds them: a shared, "
         "discarded, node-bound dimm in a file the daemon made; a bound RAM dimm "
         "plugged live, a file-backed one refused", test_backend_options),
    ])
