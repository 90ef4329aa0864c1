#!/usr/bin/env python3
"""The other object kinds through virtkitd with real clients: what each connection
serves (test driver tables, the daemon's own drivers), NO_SUPPORT for the rest,
the event programs of networks, storage pools, node devices and secrets."""
import os
import stat
import subprocess
import threading
import time

import libvirt

from vkdtest import expect_error_exact
from vkdtest import Daemon, Skip, make_tmpdir, run_tests, virsh, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "data", "daemon")

KINDS = [
    # (python call, eventID, deregister, error domain)
    ("networkEventRegisterAny", 0, "networkEventDeregisterAny", libvirt.VIR_FROM_NETWORK),
    ("storagePoolEventRegisterAny", 1, "storagePoolEventDeregisterAny",
     libvirt.VIR_FROM_STORAGE),
    ("nodeDeviceEventRegisterAny", 0, "nodeDeviceEventDeregisterAny",
     libvirt.VIR_FROM_NODEDEV),
    ("secretEventRegisterAny", 0, "secretEventDeregisterAny", libvirt.VIR_FROM_SECRET),
]


def quiet(*a):
    pass


def test_event_programs_test_driver():
    """test:///default behind the daemon: libvirt's test driver has
    network, pool and node device events, no secret driver."""
    libvirt.registerErrorHandler(quiet, None)
    libvirt.virEventRegisterDefaultImpl()
    d = Daemon(mode="session").start()
    c = libvirt.open(d.uri("test"))
    ids = []
    for reg, ev, dereg, dom in KINDS[:3]:
        cid = getattr(c, reg)(None, ev, lambda *a: 0, None)
        assert cid >= 0, (reg, cid)
        ids.append((dereg, cid))
    for dereg, cid in ids:
        getattr(c, dereg)(cid)
    try:
        c.secretEventRegisterAny(None, 0, lambda *a: 0, None)
        raise AssertionError("secret events registered on the test driver")
    except libvirt.libvirtError as e:
        assert e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT, e
        assert e.get_error_domain() == libvirt.VIR_FROM_SECRET, e
        assert str(e) == ("this function is not supported by the connection driver: "
                          "virConnectSecretEventRegisterAny"), str(e)
    c.close()
    assert d.stop() == 0


def test_kinds_without_driver_no_support():
    """qemu:///session: a kind no driver of the daemon serves answers
    NO_SUPPORT with libvirt's message and the kind's error domain."""
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon(mode="session").start()
    c = libvirt.open(d.uri())
    missing = {
        "listAllNetworks": ("virConnectListAllNetworks", libvirt.VIR_FROM_NETWORK),
        "listAllStoragePools": ("virConnectListAllStoragePools", libvirt.VIR_FROM_STORAGE),
        "listAllInterfaces": ("virConnectListAllInterfaces", libvirt.VIR_FROM_INTERFACE),
        "listAllNWFilters": ("virConnectListAllNWFilters", libvirt.VIR_FROM_NWFILTER),
    }
    for call, (api, dom) in missing.items():
        try:
            getattr(c, call)(0)
            continue  # served by a driver: not this test's business
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT, (call, str(e))
            assert e.get_error_domain() == dom, (call, e.get_error_domain())
            assert str(e) == ("this function is not supported by the connection driver: "
                              + api), str(e)
    c.close()
    p = virsh(d.uri(), "nwfilter-list", check=False)
    assert p.returncode == 1 and "virConnectNumOfNWFilters" in p.stderr, p.stderr
    assert d.stop() == 0


def secrets_golden(shell):
    """@shell (virsh, vksh) through virtkitd's secret driver prints what
    Debian's virsh printed against libvirt 9.0's libvirtd
    (tests/data/daemon/secret-virsh.golden)."""
    d = Daemon(mode="session").start()
    work = make_tmpdir()
    p = subprocess.run([os.path.join(HERE, "secret-scenario.sh"), d.uri(), work],
                       capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, VIRSH=shell))
    with open(os.path.join(GOLDEN, "secret-virsh.golden")) as f:
        want = f.read()
    if p.stdout != want:
        import difflib
        raise AssertionError("virsh output differs from libvirtd's:\n" + "".join(
            difflib.unified_diff(want.splitlines(True), p.stdout.splitlines(True),
                                 "libvirtd", "virtkitd")))
    assert d.stop() == 0


def test_secrets_virsh_golden():
    secrets_golden("virsh")


def test_secrets_vksh_golden():
    if not os.environ.get("VKSH"):
        raise Skip("vksh not built")
    secrets_golden(os.environ["VKSH"])


SECRET = """<secret ephemeral='no' private='no'>
  <uuid>6b0d7c1e-1d0c-4a57-9d8f-2f0a3c1e9b10</uuid>
  <usage type='ceph'>
    <name>client.vk secret</name>
  </usage>
</secret>
"""
SECRET_UUID = "6b0d7c1e-1d0c-4a57-9d8f-2f0a3c1e9b10"


def test_secrets_storage_and_restart():
    """Values on disk mode 0600 in a 0700 directory, base64 as libvirt's,
    written atomically; both survive a restart; ephemeral ones never touch
    the disk; bad XML changes nothing; the read-only socket never reads a
    value; the secret event program delivers define/value/undefine."""
    libvirt.registerErrorHandler(quiet, None)
    libvirt.virEventRegisterDefaultImpl()
    d = Daemon(mode="session").start()
    sdir = os.path.join(d.dirs["config"], "secrets")
    c = libvirt.open(d.uri())
    seen = []
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()
    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        c.secretEventRegisterAny(None, libvirt.VIR_SECRET_EVENT_ID_LIFECYCLE,
                                 lambda conn, sec, ev, det, op: seen.append(("life", ev)), None)
        c.secretEventRegisterAny(None, libvirt.VIR_SECRET_EVENT_ID_VALUE_CHANGED,
                                 lambda conn, sec, op: seen.append(("value", sec.UUIDString())),
                                 None)
        sec = c.secretDefineXML(SECRET)
        assert sec.UUIDString() == SECRET_UUID
        assert sec.usageType() == libvirt.VIR_SECRET_USAGE_TYPE_CEPH
        assert sec.usageID() == "client.vk secret"
        sec.setValue(b"s3cr\x00t")
        assert stat.S_IMODE(os.stat(sdir).st_mode) == 0o700
        for suffix in (".xml", ".base64"):
            path = os.path.join(sdir, SECRET_UUID + suffix)
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, (path, oct(os.stat(path).st_mode))
        with open(os.path.join(sdir, SECRET_UUID + ".base64")) as f:
            assert f.read() == "czNjcgB0", "value file is not the base64 of the value"
        assert c.secretLookupByUsage(libvirt.VIR_SECRET_USAGE_TYPE_CEPH,
                                     "client.vk secret").UUIDString() == SECRET_UUID
        # an ephemeral one never reaches the disk
        eph = c.secretDefineXML("<secret ephemeral='yes'><usage type='tls'><name>t</name>"
                                "</usage></secret>")
        eph.setValue(b"x")
        assert sorted(os.listdir(sdir)) == [SECRET_UUID + ".base64", SECRET_UUID + ".xml"]
        # bad XML and clashes change nothing
        before = {n: open(os.path.join(sdir, n), "rb").read() for n in os.listdir(sdir)}
        for bad in ("<secret><usage type='volume'/></secret>", "<secret",
                    "<secret><uuid>%s</uuid><usage type='volume'><volume>/x</volume></usage>"
                    "</secret>" % SECRET_UUID,
                    "<secret private='yes'><usage type='ceph'><name>client.vk secret</name>"
                    "</usage></secret>"):
            try:
                c.secretDefineXML(bad)
                raise AssertionError("accepted: " + bad)
            except libvirt.libvirtError as e:
                assert e.get_error_domain() == libvirt.VIR_FROM_SECRET, (bad, str(e))
        after = {n: open(os.path.join(sdir, n), "rb").read() for n in os.listdir(sdir)}
        assert before == after
        assert len(c.listAllSecrets(0)) == 2
        wait_for(lambda: ("value", SECRET_UUID) in seen and seen.count(("life", 0)) == 2,
                 "secret events", 30)
        # the read-only socket lists but never reads a value
        ro = libvirt.openReadOnly(d.uri())
        rsec = ro.secretLookupByUUIDString(SECRET_UUID)
        try:
            rsec.value()
            raise AssertionError("value read on a read-only connection")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_OPERATION_DENIED, str(e)
        ro.close()
        eph.undefine()
        wait_for(lambda: ("life", 1) in seen, "undefine event", 30)
    finally:
        c.close()
        stop.set()
    assert d.stop() == 0
    # a new daemon on the same directories has the persistent one, value included
    d2 = Daemon(root=d.root, mode="session").start()
    c = libvirt.open(d2.uri())
    sec = c.secretLookupByUUIDString(SECRET_UUID)
    assert sec.value() == b"s3cr\x00t"
    assert [s.UUIDString() for s in c.listAllSecrets(0)] == [SECRET_UUID]
    sec.undefine()
    assert os.listdir(sdir) == []
    c.close()
    assert d2.stop() == 0


def test_nodedev_test_driver():
    """test:///default behind the daemon: libvirt's default node devices
    and answers (recorded from python3-libvirt on libvirt's test driver)."""
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon(mode="session").start()
    c = libvirt.open(d.uri("test"))
    assert c.numOfDevices(None, 0) == 4
    assert c.numOfDevices("fc_host", 0) == 3 and c.numOfDevices("vports", 0) == 2
    assert sorted(c.listDevices(None, 0)) == ["computer", "scsi_host1", "scsi_host11",
                                              "scsi_host2"]
    assert sorted(x.name() for x in c.listAllDevices(
        libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS)) == ["scsi_host1", "scsi_host2"]
    try:
        c.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE)
        raise AssertionError("ACTIVE accepted by the test driver")
    except libvirt.libvirtError as e:
        assert str(e) == ("unsupported flags (0x80000000) in function "
                          "testConnectListAllNodeDevices"), str(e)
        assert e.get_error_domain() == libvirt.VIR_FROM_TEST
    dev = c.nodeDeviceLookupByName("scsi_host11")
    assert dev.parent() == "scsi_host1" and dev.listCaps() == ["scsi_host"]
    assert "<wwnn>2000000034563456</wwnn>" in dev.XMLDesc(0)
    try:
        c.nodeDeviceLookupByName("nosuch")
        raise AssertionError("found nosuch")
    except libvirt.libvirtError as e:
        assert e.get_error_code() == libvirt.VIR_ERR_NO_NODE_DEVICE
        assert str(e) == "Node device not found: no node device with matching name 'nosuch'"
    c.close()
    assert d.stop() == 0


def sysfs(path):
    with open(path) as f:
        return f.read().strip()


def test_nodedev_host():
    """qemu:///session: the host's devices as libvirt's udev driver names
    them, checked against sysfs (PCI addresses and ids, net names with
    their MAC, parents by sysfs ancestry, virtio disks); with
    VKD_LIBVIRTD_URI (a libvirtd on the same host) every XML is compared
    byte for byte."""
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon(mode="session").start()
    c = libvirt.open(d.uri())
    devs = {x.name(): x for x in c.listAllDevices(0)}
    assert "computer" in devs and devs["computer"].listCaps() == ["system"]
    pci = sorted(os.listdir("/sys/bus/pci/devices")) if os.path.isdir("/sys/bus/pci/devices") \
        else []
    for addr in pci:
        name = "pci_" + addr.replace(":", "_").replace(".", "_")
        assert name in devs, (name, sorted(devs))
        xml = devs[name].XMLDesc(0)
        base = "/sys/bus/pci/devices/" + addr
        assert "<class>0x%06x</class>" % int(sysfs(base + "/class"), 16) in xml, xml
        assert "<product id='0x%04x'" % int(sysfs(base + "/device"), 16) in xml, xml
        assert "<vendor id='0x%04x'" % int(sysfs(base + "/vendor"), 16) in xml, xml
        assert "<path>%s</path>" % os.path.realpath(base) in xml, xml
    for ifname in os.listdir("/sys/class/net"):
        mac = sysfs("/sys/class/net/%s/address" % ifname)
        name = "net_%s_%s" % (ifname, mac)
        name = "".join(ch if ch.isalnum() else "_" for ch in name)
        if name not in devs:
            continue  # came or went between the two reads (taps of other tests)
        xml = devs[name].XMLDesc(0)
        assert "<interface>%s</interface>" % ifname in xml and "<address>%s</address>" % mac \
            in xml, xml
        parent = devs[name].parent()
        real = os.path.realpath("/sys/class/net/" + ifname)
        if parent != "computer":
            assert parent in devs and ("<path>%s</path>" % os.path.dirname(real)) != "", parent
            ppath = devs[parent].XMLDesc(0).split("<path>")[1].split("</path>")[0]
            assert real.startswith(ppath + "/"), (real, ppath)
    if os.path.exists("/sys/class/block/vda"):
        xml = devs["block_vda"].XMLDesc(0)
        assert "<block>/dev/vda</block>" in xml and "<drive_type>disk</drive_type>" in xml
    ref = os.environ.get("VKD_LIBVIRTD_URI")
    if ref:
        lc = libvirt.open(ref)
        for x in lc.listAllDevices(0):
            if x.name() in devs:
                assert x.XMLDesc(0) == devs[x.name()].XMLDesc(0), x.name()
        lc.close()
    c.close()
    assert d.stop() == 0


def test_interfaces():
    """test:///default: libvirt's eth1 and its errors; qemu:///session:
    the kernel's interfaces as libvirt's udev backend shows them (active
    when operstate is up, lo only in ListAll, type, mtu, link, MAC)."""
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon(mode="session").start()
    c = libvirt.open(d.uri("test"))
    assert [(i.name(), i.MACString(), i.isActive()) for i in c.listAllInterfaces(0)] == \
        [("eth1", "aa:bb:cc:dd:ee:ff", 1)]
    assert c.interfaceLookupByMACString("AA:BB:CC:DD:EE:FF").name() == "eth1"
    try:
        c.interfaceLookupByName("nosuch")
        raise AssertionError("found nosuch")
    except libvirt.libvirtError as e:
        assert str(e) == "Interface not found: no interface with matching name 'nosuch'"
        assert e.get_error_domain() == libvirt.VIR_FROM_TEST
    c.close()
    c = libvirt.open(d.uri())
    names = sorted(os.listdir("/sys/class/net"))
    got = {i.name(): i for i in c.listAllInterfaces(0)}
    for n in names:
        if n not in got:
            continue  # a tap of another test came or went
        state = sysfs("/sys/class/net/%s/operstate" % n)
        assert got[n].isActive() == (state == "up"), n
        assert got[n].MACString() == sysfs("/sys/class/net/%s/address" % n)
        xml = got[n].XMLDesc(0)
        assert "<mtu size='%s'/>" % sysfs("/sys/class/net/%s/mtu" % n) in xml, xml
    assert "lo" not in c.listInterfaces() + c.listDefinedInterfaces()
    try:
        c.interfaceLookupByName("nosuch0")
        raise AssertionError("found nosuch0")
    except libvirt.libvirtError as e:
        assert str(e) == "Interface not found: couldn't find interface named 'nosuch0'"
        assert e.get_error_domain() == libvirt.VIR_FROM_INTERFACE
    ref = os.environ.get("VKD_LIBVIRTD_URI")
    if ref:
        lc = libvirt.open(ref)
        for i in lc.listAllInterfaces(0):
            if i.name() in got:
                assert i.XMLDesc(0) == got[i.name()].XMLDesc(0), i.name()
        lc.close()
    c.close()
    assert d.stop() == 0


VHBA = ("<device><parent>%s</parent><capability type='scsi_host'>"
        "<capability type='fc_host'><wwnn>2000000012341299</wwnn><wwpn>1000000012341299</wwpn>"
        "</capability></capability></device>")
MDEV = ("<device><parent>%s</parent><capability type='mdev'><type id='i915-GVTg_V5_8'/>"
        "</capability></device>")


def test_nodedev_create_test_driver():
    """virNodeDeviceCreateXML / Destroy on test:///default behind the
    daemon, as libvirt's test driver: a vHBA appears as scsi_host12 with
    the wwnn/wwpn asked for, lifecycle events CREATED and DELETED arrive,
    define/undefine/start answer NO_SUPPORT; Debian's virsh through
    virtkitd prints what it printed on libvirt's test:///default (the vksh
    goldens nodedev-*)."""
    libvirt.registerErrorHandler(quiet, None)
    libvirt.virEventRegisterDefaultImpl()
    d = Daemon(mode="session").start()
    try:
        c = libvirt.open(d.uri("test"))
        events = []
        cid = c.nodeDeviceEventRegisterAny(
            None, libvirt.VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
            lambda conn, dev, ev, detail, opaque: events.append((dev.name(), ev)), None)

        def wait_event(want):
            deadline = time.monotonic() + 30
            while want not in events and time.monotonic() < deadline:
                libvirt.virEventRunDefaultImpl()
            assert want in events, events

        dev = c.nodeDeviceCreateXML(VHBA % "scsi_host1", 0)
        assert dev.name() == "scsi_host12" and dev.parent() == "scsi_host1"
        xml = dev.XMLDesc(0)
        assert "<wwnn>2000000012341299</wwnn>" in xml and "<host>11</host>" in xml, xml
        wait_event(("scsi_host12", libvirt.VIR_NODE_DEVICE_EVENT_CREATED))
        assert "scsi_host12" in c.listDevices("fc_host", 0)
        dev.destroy()
        wait_event(("scsi_host12", libvirt.VIR_NODE_DEVICE_EVENT_DELETED))
        expect_error_exact(lambda: c.nodeDeviceLookupByName("scsi_host12"),
                     libvirt.VIR_ERR_NO_NODE_DEVICE, libvirt.VIR_FROM_TEST,
                     "Node device not found: no node device with matching name 'scsi_host12'")
        expect_error_exact(lambda: c.nodeDeviceCreateXML(VHBA % "scsi_host11", 0),
                     libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_NODEDEV,
                     "internal error: Parent device scsi_host11 is not capable of vport "
                     "operations")
        expect_error_exact(lambda: c.nodeDeviceCreateXML(VHBA % "scsi_host1", 2),
                     libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_TEST,
                     "unsupported flags (0x2) in function testNodeDeviceCreateXML")
        for call, name in ((lambda: c.nodeDeviceDefineXML(VHBA % "scsi_host1", 0),
                            "virNodeDeviceDefineXML"),
                           (lambda: c.nodeDeviceLookupByName("scsi_host1").undefine(0),
                            "virNodeDeviceUndefine"),
                           (lambda: c.nodeDeviceLookupByName("scsi_host1").create(0),
                            "virNodeDeviceCreate"),
                           (lambda: c.nodeDeviceLookupByName("scsi_host1").setAutostart(1),
                            "virNodeDeviceSetAutostart")):
            expect_error_exact(call, libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_FROM_NODEDEV,
                         "this function is not supported by the connection driver: " + name)
        assert sorted(c.listDevices(None, 0)) == ["computer", "scsi_host1", "scsi_host11",
                                                  "scsi_host2"]
        # read-only: refused before the driver
        ro = libvirt.openReadOnly(d.uri("test"))
        expect_error_exact(lambda: ro.nodeDeviceCreateXML(VHBA % "scsi_host1", 0),
                     libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_FROM_NODEDEV,
                     "operation forbidden: read only access prevents virNodeDeviceCreateXML")
        ro.close()
        c.nodeDeviceEventDeregisterAny(cid)
        c.close()
    finally:
        d.stop()
    # each case on a daemon of its own: the test driver's state is shared
    # until the daemon has seen the last client go, which a new client
    # could overtake
    for case in ("nodedev-create-vhba", "nodedev-create-errors", "nodedev-create-byparent",
                 "nodedev-destroy-parents", "nodedev-define-unsupported",
                 "nodedev-autostart-unsupported"):
        cdir = os.path.join(HERE, "..", "data", "vksh", case)
        with open(os.path.join(cdir, "cmd")) as f:
            cmd = f.read().strip()
        assert cmd.startswith("-c test:///default '") and cmd.endswith("'"), cmd
        d = Daemon(mode="session").start()
        try:
            p = subprocess.run(["/usr/bin/virsh", "-c", d.uri("test"),
                                cmd[len("-c test:///default '"):-1]],
                               capture_output=True, text=True, cwd=cdir, timeout=120,
                               env=dict(os.environ, LC_ALL="C"))
        finally:
            d.stop()
        for stream, got_text in (("stdout", p.stdout), ("stderr", p.stderr)):
            with open(os.path.join(cdir, stream)) as f:
                assert got_text == f.read(), (case, stream, got_text)


def test_nodedev_create_host():
    """The daemon's own node devices: create, define, undefine, start and
    destroy answer what Debian's libvirtd 9.0 answered on this machine (no
    FC HBA, no mdevctl: recorded with python3-libvirt), and change nothing."""
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon(mode="session").start()
    try:
        c = libvirt.open(d.uri())
        before = sorted(c.listDevices(None, 0))
        pci = [n for n in before if n.startswith("pci_")]
        nd = libvirt.VIR_FROM_NODEDEV
        cases = [
            (lambda: c.nodeDeviceCreateXML(VHBA % "nosuch", 4), 8, nd,
             "unsupported flags (0x4) in function nodeDeviceCreateXML"),
            (lambda: c.nodeDeviceDefineXML(VHBA % "nosuch", 2), 8, nd,
             "unsupported flags (0x2) in function nodeDeviceDefineXML"),
            (lambda: c.nodeDeviceCreateXML(VHBA % "scsi_host1", 0), 1, nd,
             "internal error: Could not find parent device for 'new device'"),
            (lambda: c.nodeDeviceCreateXML(VHBA % "computer", 0), 1, nd,
             "internal error: Parent device computer is not capable of vport operations"),
            (lambda: c.nodeDeviceCreateXML(VHBA.replace("<parent>%s</parent>", ""), 0), 1, nd,
             "internal error: Could not find any vport capable device"),
            (lambda: c.nodeDeviceCreateXML(
                "<device><parent>computer</parent><capability type='scsi_host'/></device>", 0),
             1, nd, "internal error: Device is not a fibre channel HBA"),
            (lambda: c.nodeDeviceDefineXML(VHBA % "scsi_host1", 0), 67, nd,
             "unsupported configuration: Unsupported device type"),
            (lambda: c.nodeDeviceCreateXML(
                "<device><parent>computer</parent><capability type='net'>"
                "<interface>foo</interface></capability></device>", 0), 67, nd,
             "unsupported configuration: Unsupported device type"),
            (lambda: c.nodeDeviceCreateXML(MDEV % "computer", 0), 32, nd,
             "failed to parse configuration file Unable to find address for parent "
             "device 'computer'"),
            (lambda: c.nodeDeviceDefineXML(MDEV % "nosuch", 0), 67, nd,
             "unsupported configuration: invalid parent device 'nosuch'"),
            (lambda: c.nodeDeviceCreateXML(MDEV.replace("<parent>%s</parent>", ""), 0), 67, nd,
             "unsupported configuration: missing parent device"),
            (lambda: c.nodeDeviceCreateXML("<device/>", 0), 1, nd,
             "internal error: no device capabilities for 'new device'"),
            (lambda: c.nodeDeviceCreateXML("<device><parent>", 0), 35, nd,
             "(node_device_definition):1: Premature end of data in tag parent line 1\n"
             "<device><parent>\n----------------^"),
            (lambda: c.nodeDeviceLookupByName("computer").destroy(), 67, nd,
             "unsupported configuration: Unsupported device type"),
            (lambda: c.nodeDeviceLookupByName("computer").undefine(0), 67, nd,
             "unsupported configuration: Unsupported device type"),
            (lambda: c.nodeDeviceLookupByName("computer").undefine(1), 8, nd,
             "unsupported flags (0x1) in function nodeDeviceUndefine"),
            (lambda: c.nodeDeviceLookupByName("computer").create(0), 55, nd,
             "Requested operation is not valid: Device is already active"),
            (lambda: c.nodeDeviceLookupByName("computer").create(1), 8, nd,
             "unsupported flags (0x1) in function nodeDeviceCreate"),
            (lambda: c.nodeDeviceLookupByName("computer").setAutostart(1), 84, nd,
             "Operation not supported: Unsupported device type"),
        ]
        if pci:
            cases += [
                (lambda: c.nodeDeviceLookupByName(pci[0]).destroy(), 67, nd,
                 "unsupported configuration: Unsupported device type"),
                (lambda: c.nodeDeviceLookupByName(pci[0]).undefine(0), 55, nd,
                 "Requested operation is not valid: Node device '%s' is not defined" % pci[0]),
            ]
            if not any(os.access(os.path.join(p, "mdevctl"), os.X_OK)
                       for p in os.environ.get("PATH", "").split(":")):
                for call in (c.nodeDeviceCreateXML, c.nodeDeviceDefineXML):
                    cases.append((lambda call=call: call(MDEV % pci[0], 0), 38,
                                  libvirt.VIR_FROM_NONE,
                                  "Cannot find 'mdevctl' in path: No such file or directory"))
        for fn, code, dom, msg in cases:
            expect_error_exact(fn, code, dom, msg)
        assert sorted(c.listDevices(None, 0)) == before or \
            set(c.listDevices(None, 0)) ^ set(before) <= {n for n in set(before) | set(
                c.listDevices(None, 0)) if n.startswith("net_")}  # taps of other tests
        c.close()
        # Debian's virsh prints libvirtd's words for the same calls
        p = subprocess.run(["/usr/bin/virsh", "-c", d.uri(), "nodedev-destroy computer"],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, LC_ALL="C"))
        assert (p.returncode, p.stderr) == (1, (
            "error: Failed to destroy node device 'computer'\n"
            "error: unsupported configuration: Unsupported device type\n")), (p.returncode,
                                                                                p.stderr)
    finally:
        d.stop()


EVENT_POOL = ("<pool type='dir'><name>%s</name><target><path>/tmp/%s-unused</path>"
              "</target></pool>")


def test_event_commands_virsh_vksh():
    """net-event, pool-event (lifecycle, refresh), nodedev-event and
    secret-event (lifecycle, value-changed) of Debian's virsh and of vksh,
    side by side through virtkitd while another client changes the objects:
    each prints the same lines (the objects of libvirt's test driver and the
    daemon's own secrets). A probe object is changed until every watcher
    has seen it (their registration is done), then the real changes run."""
    if not os.environ.get("VKSH"):
        raise Skip("vksh not built")
    libvirt.registerErrorHandler(quiet, None)
    d = Daemon(mode="session").start()
    tmp = make_tmpdir()
    watchers = []
    try:
        ut, us = d.uri("test"), d.uri()
        c, cs = libvirt.open(ut), libvirt.open(us)
        specs = [  # (uri, command words, expected lines of the real changes)
            (ut, ["net-event", "--event", "lifecycle"],
             ["event 'lifecycle' for network evnet: Defined",
              "event 'lifecycle' for network evnet: Undefined"]),
            (ut, ["pool-event", "--event", "lifecycle"],
             ["event 'lifecycle' for storage pool evpool: Defined",
              "event 'lifecycle' for storage pool evpool: Started",
              "event 'lifecycle' for storage pool evpool: Stopped",
              "event 'lifecycle' for storage pool evpool: Undefined"]),
            (ut, ["pool-event", "--event", "refresh"],
             ["event 'refresh' for storage pool evpool"]),
            (ut, ["nodedev-event", "--event", "lifecycle"],
             ["event 'lifecycle' for node device scsi_host12: Created",
              "event 'lifecycle' for node device scsi_host12: Deleted"]),
            (us, ["secret-event", "--event", "lifecycle"],
             ["event 'lifecycle' for secret %s: Defined" % SECRET_UUID,
              "event 'lifecycle' for secret %s: Undefined" % SECRET_UUID]),
            (us, ["secret-event", "--event", "value-changed"],
             ["event 'value-changed' for secret %s" % SECRET_UUID]),
        ]
        for i, (uri, words, want) in enumerate(specs):
            for tool in ("/usr/bin/virsh", os.environ["VKSH"]):
                out = os.path.join(tmp, "%d-%s.out" % (i, os.path.basename(tool)))
                f = open(out, "w")
                p = subprocess.Popen([tool, "-c", uri] + words + ["--loop", "--timeout", "8"],
                                     stdout=f, stderr=subprocess.STDOUT)
                watchers.append((i, tool, p, out, f))

        def probe_seen(i, probe):
            return all(probe in open(out).read() for j, _, _, out, _ in watchers if j == i)

        # probes: each kind's object changed until every watcher saw it
        probe_secret = SECRET.replace(SECRET_UUID, "00000000-0000-4000-8000-00000000beef")
        probes = {
            0: lambda: c.networkDefineXML(
                "<network><name>probe</name></network>").undefine(),
            1: lambda: c.storagePoolDefineXML(EVENT_POOL % ("probe", "probe"), 0).undefine(),
            3: lambda: c.nodeDeviceCreateXML(VHBA % "scsi_host1", 0).destroy(),
            4: lambda: cs.secretDefineXML(probe_secret, 0).undefine(),
        }
        deadline = time.monotonic() + 30
        for i in (0, 1, 3, 4):
            name = {0: "probe", 1: "probe", 3: "scsi_host12", 4: "beef"}[i]
            while not probe_seen(i, name):
                assert time.monotonic() < deadline, [open(w[3]).read() for w in watchers]
                probes[i]()
        # refresh and value-changed: an event of another object first
        pr = c.storagePoolCreateXML(EVENT_POOL % ("prober", "prober"), 0)
        while not probe_seen(2, "prober"):
            assert time.monotonic() < deadline, [open(w[3]).read() for w in watchers]
            pr.refresh(0)
        pr.destroy()
        ps = cs.secretDefineXML(probe_secret, 0)
        while not probe_seen(5, "beef"):
            assert time.monotonic() < deadline, [open(w[3]).read() for w in watchers]
            ps.setValue(b"x", 0)
        ps.undefine()

        # the changes
        c.networkDefineXML("<network><name>evnet</name></network>").undefine()
        pool = c.storagePoolDefineXML(EVENT_POOL % ("evpool", "evpool"), 0)
        pool.create(0)
        pool.refresh(0)
        pool.destroy()
        pool.undefine()
        c.nodeDeviceCreateXML(VHBA % "scsi_host1", 0).destroy()
        sec = cs.secretDefineXML(SECRET, 0)
        sec.setValue(b"s3cret", 0)
        sec.undefine()

        for i, tool, p, out, f in watchers:
            p.wait(timeout=60)
            f.close()
        outputs = {}
        probe_names = {0: "probe", 1: "probe", 2: "prober", 3: "scsi_host12", 4: "beef",
                       5: "beef"}
        for i, tool, p, out, f in watchers:
            lines = open(out).read().splitlines()
            events = [line for line in lines if line.startswith("event '")]
            want = specs[i][2]
            real, seen = events[len(events) - len(want):], events[:len(events) - len(want)]
            assert real == want, (tool, specs[i][1], lines)
            assert seen and all(probe_names[i] in line for line in seen), (tool, lines)
            assert "events received: %d" % len(events) in lines, (tool, lines)
            assert "event loop timed out" in lines, (tool, lines)
            # the whole output but the probes and their count, for comparison
            outputs.setdefault(i, []).append(
                real + [line for line in lines
                        if not line.startswith("event '") and
                        not line.startswith("events received: ")])
        assert all(a == b for a, b in outputs.values())
        c.close()
        cs.close()
    finally:
        for _, _, p, _, f in watchers:
            if p.poll() is None:
                p.kill()
                p.wait()
            f.close()
        d.stop()


if __name__ == "__main__":
    run_tests([
        ("event programs on test:///default: network, pool, node device accepted; "
         "secret NO_SUPPORT", test_event_programs_test_driver),
        ("kinds without a driver answer NO_SUPPORT in their error domain",
         test_kinds_without_driver_no_support),
        ("secrets: Debian's virsh through virtkitd prints what it printed against libvirtd",
         test_secrets_virsh_golden),
        ("secrets: vksh through virtkitd prints what virsh printed against libvirtd",
         test_secrets_vksh_golden),
        ("secrets: 0600 files, restart, ephemeral, bad XML, read-only, events",
         test_secrets_storage_and_restart),
        ("node devices on test:///default: libvirt's four, filters, errors",
         test_nodedev_test_driver),
        ("node devices of the host as libvirt names them, checked against sysfs",
         test_nodedev_host),
        ("host interfaces: test driver's eth1; the kernel's as libvirt's udev backend",
         test_interfaces),
        ("nodedev create/destroy on test:///default as libvirt's test driver, virsh goldens",
         test_nodedev_create_test_driver),
        ("nodedev create/define/undefine/start/destroy of the host: libvirtd's errors",
         test_nodedev_create_host),
        ("net-event, pool-event, nodedev-event, secret-event: virsh and vksh print the "
         "same through virtkitd", test_event_commands_virsh_vksh),
    ])
