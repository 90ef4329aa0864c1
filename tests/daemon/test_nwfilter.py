#!/usr/bin/env python3
"""Network filters through virtkitd with real clients (issue 12): Debian's
virsh and vksh print what virsh printed against libvirtd 9.0; python3-libvirt
defines, lists, reads back what libvirtd made of the same XML, gets
libvirt's errors, and finds the definitions again after a restart; the
standard filter set of a first start; bindings that cannot be made fail
with libvirt's errors and leave nothing (the bindings that make rules are
daemon-nwfilter-traffic's, in a network namespace of its own); a guest
whose interface type cannot be filtered is refused at start (so no guest
is booted here)."""
import os
import stat
import subprocess

import libvirt

from vkdtest import expect_error_exact
from vkdtest import Daemon, Skip, make_tmpdir, run_tests, virsh

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "data", "daemon")
DATA = os.path.join(HERE, "..", "data", "nwfilterxml")

# The standard set (libvirt's names; Debian's libvirt-daemon-config-nwfilter).
STANDARD = {
    "allow-arp", "allow-dhcp", "allow-dhcp-server", "allow-dhcpv6", "allow-dhcpv6-server",
    "allow-incoming-ipv4", "allow-incoming-ipv6", "allow-ipv4", "allow-ipv6",
    "clean-traffic", "clean-traffic-gateway", "no-arp-ip-spoofing", "no-arp-mac-spoofing",
    "no-arp-spoofing", "no-ip-multicast", "no-ip-spoofing", "no-ipv6-multicast",
    "no-ipv6-spoofing", "no-mac-broadcast", "no-mac-spoofing", "no-other-l2-traffic",
    "no-other-rarp-traffic", "qemu-announce-self", "qemu-announce-self-rarp",
}


def quiet(*a):
    pass


def daemon(defaults, root=None):
    """A system daemon, with or without the standard set on first start."""
    os.environ["VIRTKIT_NWFILTER_DEFAULTS"] = "1" if defaults else "0"
    try:
        return Daemon(root=root).start()
    finally:
        del os.environ["VIRTKIT_NWFILTER_DEFAULTS"]


def read(path):
    with open(path) as f:
        return f.read()


def scenario_golden(shell):
    d = daemon(defaults=False)
    work = make_tmpdir()
    p = subprocess.run([os.path.join(HERE, "nwfilter-scenario.sh"), d.uri(), work, DATA],
                       capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, VIRSH=shell))
    want = read(os.path.join(GOLDEN, "nwfilter-virsh.golden"))
    if p.stdout != want:
        import difflib
        raise AssertionError("output differs from virsh against libvirtd:\n" + "".join(
            difflib.unified_diff(want.splitlines(True), p.stdout.splitlines(True),
                                 "libvirtd", "virtkitd")))
    assert d.stop() == 0


def test_virsh_golden():
    scenario_golden("virsh")


def test_vksh_golden():
    if not os.environ.get("VKSH"):
        raise Skip("vksh not built")
    scenario_golden(os.environ["VKSH"])


def test_python_define_errors_restart():
    """python3-libvirt: every recorded case defines to what libvirtd printed
    (or fails with its code, domain and message) and changes nothing when
    it fails; files are 0600 NAME.xml; the definitions, UUIDs included,
    are there again after a restart; undefine removes the file."""
    libvirt.registerErrorHandler(quiet, None)
    d = daemon(defaults=False)
    fdir = os.path.join(d.dirs["config"], "nwfilter")
    c = libvirt.open(d.uri())
    defined = {}
    for name in sorted(os.listdir(DATA)):
        if not (name.startswith("case-") and name.endswith(".xml")):
            continue
        base = os.path.join(DATA, name[:-4])
        xml = read(base + ".xml")
        if os.path.exists(base + ".err"):
            code, domain, message = read(base + ".err").rstrip("\n").split(" ", 2)
            before = sorted(os.listdir(fdir))
            expect_error_exact(lambda: c.nwfilterDefineXML(xml), int(code), int(domain), message)
            assert sorted(os.listdir(fdir)) == before, name
            continue
        f = c.nwfilterDefineXML(xml)
        assert f.XMLDesc(0) == read(base + ".out"), name
        defined[f.name()] = (f.UUIDString(), f.XMLDesc(0))
    assert len(defined) >= 15, defined.keys()
    assert sorted(c.listNWFilters()) == sorted(defined)
    assert c.numOfNWFilters() == len(defined)
    assert sorted(f.name() for f in c.listAllNWFilters(0)) == sorted(defined)
    for name, (uuid, xml) in defined.items():
        assert c.nwfilterLookupByUUIDString(uuid).name() == name
        path = os.path.join(fdir, name + ".xml")
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    expect_error_exact(lambda: c.nwfilterLookupByName("nosuch"), libvirt.VIR_ERR_NO_NWFILTER,
                 libvirt.VIR_FROM_NWFILTER,
                 "Network filter not found: no nwfilter with matching name 'nosuch'")
    # a loop through references, and a name of another filter's UUID
    c.nwfilterDefineXML("<filter name='la'><filterref filter='lb'/></filter>")
    expect_error_exact(lambda: c.nwfilterDefineXML("<filter name='lb'><filterref filter='la'/>"
                                             "</filter>"),
                 libvirt.VIR_ERR_OPERATION_FAILED, libvirt.VIR_FROM_NWFILTER,
                 "operation failed: filter would introduce a loop")
    assert not os.path.exists(os.path.join(fdir, "lb.xml"))
    # libvirt 9.0 undefines a filter other filters reference
    c.nwfilterDefineXML("<filter name='lb'/>")
    c.nwfilterLookupByName("lb").undefine()
    assert not os.path.exists(os.path.join(fdir, "lb.xml"))
    c.nwfilterLookupByName("la").undefine()
    # VALIDATE refuses what the parser skips; flags it does not know
    expect_error_exact(lambda: c.nwfilterDefineXMLFlags("<filter name='v'><foo/></filter>",
                                                  libvirt.VIR_NWFILTER_DEFINE_VALIDATE),
                 libvirt.VIR_ERR_XML_INVALID_SCHEMA, libvirt.VIR_FROM_XML)
    expect_error_exact(lambda: c.nwfilterDefineXMLFlags("<filter name='v'/>", 2),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_NWFILTER)
    assert c.nwfilterDefineXMLFlags("<filter name='v'/>",
                                    libvirt.VIR_NWFILTER_DEFINE_VALIDATE).name() == "v"
    c.nwfilterLookupByName("v").undefine()
    # the read-only socket reads, never writes
    ro = libvirt.openReadOnly(d.uri())
    assert sorted(ro.listNWFilters()) == sorted(defined)
    expect_error_exact(lambda: ro.nwfilterDefineXML("<filter name='r'/>"),
                 libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_FROM_NWFILTER)
    ro.close()
    c.close()
    assert d.stop() == 0

    d2 = daemon(defaults=True, root=d.root)   # not a first start: no standard set
    c = libvirt.open(d2.uri())
    assert sorted(c.listNWFilters()) == sorted(defined)
    for name, (uuid, xml) in defined.items():
        f = c.nwfilterLookupByName(name)
        assert f.UUIDString() == uuid, name
        # libvirt's format is not always a fixed point (case-*.reparse)
        reparse = os.path.join(DATA, "case-%s.reparse" % name)
        want = read(reparse) if os.path.exists(reparse) else xml
        assert f.XMLDesc(0) == want, name
    c.nwfilterLookupByName("tcp").undefine()
    assert not os.path.exists(os.path.join(fdir, "tcp.xml"))
    c.close()
    assert d2.stop() == 0


def test_standard_set_and_bindings():
    """A first start defines the standard set (each with a UUID of its own,
    kept across a restart; a filter the user removed stays removed);
    bindings: none listed, none found, those that cannot be made refused
    with libvirt's errors (nothing kept); a session daemon has no filters
    (NO_SUPPORT), as libvirt's."""
    libvirt.registerErrorHandler(quiet, None)
    d = daemon(defaults=True)
    c = libvirt.open(d.uri())
    names = set(c.listNWFilters())
    assert names == STANDARD, names ^ STANDARD
    uuids = {f.name(): f.UUIDString() for f in c.listAllNWFilters(0)}
    assert len(set(uuids.values())) == len(STANDARD)
    assert "<filterref filter='no-mac-spoofing'/>" in \
        c.nwfilterLookupByName("clean-traffic").XMLDesc(0)
    c.nwfilterLookupByName("no-mac-broadcast").undefine()
    assert c.listAllNWFilterBindings(0) == []
    expect_error_exact(lambda: c.nwfilterBindingLookupByPortDev("vnet0"),
                 libvirt.VIR_ERR_NO_NWFILTER_BINDING, libvirt.VIR_FROM_NWFILTER,
                 "Network filter binding not found: no nwfilter binding for port dev 'vnet0'")
    # bindings that cannot be made (no rule is made: the filter tree
    # fails before anything reaches nft)
    bdir = os.path.join(d.dirs["run"], "nwfilter-binding")

    def binding(body, filt="clean-traffic", params=""):
        return ("<filterbinding><owner><name>g</name>"
                "<uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>"
                + body + "<filterref filter='%s'>%s</filterref></filterbinding>"
                % (filt, params))
    good = "<portdev name='vnet0'/><mac address='52:54:00:11:22:33'/>"
    ip = "<parameter name='IP' value='10.0.0.2'/>"
    cases = [
        (binding("<mac address='52:54:00:11:22:33'/>"), libvirt.VIR_ERR_INTERNAL_ERROR,
         "internal error: filter binding has no port dev name"),
        (binding("<portdev name='vnet0'/>"), libvirt.VIR_ERR_INTERNAL_ERROR,
         "internal error: filter binding has no MAC address"),
        (binding("<portdev name='vnet0'/><mac address='52:54:00:11:22'/>"),
         libvirt.VIR_ERR_INTERNAL_ERROR, "internal error: Unable to parse MAC '52:54:00:11:22'"),
        (binding(good, "nosuch", ip), libvirt.VIR_ERR_INTERNAL_ERROR,
         "internal error: referenced filter 'nosuch' is missing"),
        (binding(good, "clean-traffic",
                 "<parameter name='CTRL_IP_LEARNING' value='none'/>"),
         libvirt.VIR_ERR_INTERNAL_ERROR,
         "internal error: Cannot instantiate filter due to unresolvable variables or "
         "unavailable list elements: IP"),
        (binding(good, "clean-traffic",
                 "<parameter name='CTRL_IP_LEARNING' value='maybe'/>"),
         libvirt.VIR_ERR_PARSE_FAILED,
         "failed to parse configuration file filter 'clean-traffic' learning value "
         "'maybe' invalid."),
        (binding(good, "allow-dhcp-server"), libvirt.VIR_ERR_INTERNAL_ERROR,
         "internal error: Cannot instantiate filter due to unresolvable variables or "
         "unavailable list elements: DHCPSERVER"),
        (binding(good), libvirt.VIR_ERR_CONFIG_UNSUPPORTED, None),
        ("<filterbinding>", libvirt.VIR_ERR_XML_DETAIL, None),
        ("<filter name='x'/>", libvirt.VIR_ERR_XML_ERROR,
         "XML error: unknown root element for nwfilter binding"),
    ]
    for xml, code, message in cases:
        expect_error_exact(lambda: c.nwfilterBindingCreateXML(xml, 0), code,
                     libvirt.VIR_FROM_NWFILTER, message)
        assert c.listAllNWFilterBindings(0) == [] and os.listdir(bdir) == [], xml
    expect_error_exact(lambda: c.nwfilterBindingCreateXML(binding(good + "<foo/>", params=ip),
                                                    libvirt.VIR_NWFILTER_BINDING_CREATE_VALIDATE),
                 libvirt.VIR_ERR_XML_INVALID_SCHEMA, libvirt.VIR_FROM_XML)
    expect_error_exact(lambda: c.nwfilterBindingCreateXML(binding(good, params=ip), 4),
                 libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_NWFILTER)
    ro = libvirt.openReadOnly(d.uri())
    expect_error_exact(lambda: ro.nwfilterBindingCreateXML(binding(good, params=ip), 0),
                 libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_FROM_NWFILTER)
    ro.close()
    p = virsh(d.uri(), "nwfilter-binding-create /dev/stdin", check=False)
    assert p.returncode == 1, p
    c.close()
    assert d.stop() == 0

    d2 = daemon(defaults=True, root=d.root)
    c = libvirt.open(d2.uri())
    again = {f.name(): f.UUIDString() for f in c.listAllNWFilters(0)}
    del uuids["no-mac-broadcast"]
    assert again == uuids, (again, uuids)
    c.close()
    assert d2.stop() == 0

    s = Daemon(mode="session").start()
    c = libvirt.open(s.uri())
    expect_error_exact(lambda: c.listAllNWFilters(0), libvirt.VIR_ERR_NO_SUPPORT,
                 libvirt.VIR_FROM_NWFILTER,
                 "this function is not supported by the connection driver: "
                 "virConnectListAllNWFilters")
    expect_error_exact(lambda: c.nwfilterDefineXML("<filter name='x'/>"), libvirt.VIR_ERR_NO_SUPPORT,
                 libvirt.VIR_FROM_NWFILTER)
    c.close()
    assert s.stop() == 0


GUEST = """<domain type='qemu'>
  <name>nwf-guest</name>
  <uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <interface type='user'>
      <mac address='52:54:00:11:22:33'/>
      <model type='virtio'/>
      <filterref filter='clean-traffic'>
        <parameter name='IP' value='10.0.0.2'/>
      </filterref>
    </interface>
  </devices>
</domain>
"""


def test_user_interface_filterref_dropped():
    """A type='user' interface (no tap: nothing to filter) loses its
    <filterref> at define, as with libvirtd 9.0 (its dumpxml has none);
    type 'network', 'bridge' and 'ethernet' keep theirs and get a binding
    at start (daemon-nwfilter-traffic)."""
    libvirt.registerErrorHandler(quiet, None)
    d = daemon(defaults=True)
    c = libvirt.open(d.uri())
    dom = c.defineXML(GUEST)
    assert "<interface type='user'>" in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert "filterref" not in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE), dom.XMLDesc(0)
    dom.undefine()
    c.close()
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("nwfilter: Debian's virsh through virtkitd prints what it printed against libvirtd",
         test_virsh_golden),
        ("nwfilter: vksh through virtkitd prints what virsh printed against libvirtd",
         test_vksh_golden),
        ("nwfilter: python3-libvirt define/list/errors as libvirtd, 0600 files, restart",
         test_python_define_errors_restart),
        ("nwfilter: standard set on first start, binding errors, session NO_SUPPORT",
         test_standard_set_and_bindings),
        ("nwfilter: a user interface's <filterref> is dropped at define, as libvirtd's",
         test_user_interface_filterref_dropped),
    ])
