#!/usr/bin/env python3
"""<features><hyperv> through virtkitd (issue 10), with the real clients.

- definitions (python3-libvirt): the enlightenments kept as libvirt 9.0
  writes them (mode custom by default, its order, spinlocks' retries,
  vendor_id's value, stimer's direct); libvirt's errors, code and domain
  numbers, for an unknown enlightenment, a missing state, too few spinlock
  retries and a vendor_id too long; a refused definition leaves nothing;
- a real start under TCG: QEMU's vCPU has each enlightenment asked (qom-get
  of hv-relaxed, hv-spinlocks, hv-vendor-id, hv-stimer-direct, hv-crash of
  a hyperv panic device ...) and not the ones left out; passthrough mode
  starts too (hv-passthrough); vpindex, which QEMU 7.2 refuses without KVM,
  fails the start with the error libvirtd 9.0 gives here (INTERNAL_ERROR,
  domain QEMU, QEMU's own words) and leaves the domain shut off.
"""
import re
import sys

from vkdtest import Daemon, qom_get, run_tests

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def domain(name, hyperv, devices=""):
    return ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
            "<features><acpi/>%s</features>"
            "<devices>%s<memballoon model='none'/></devices></domain>" % (name, hyperv, devices))


ALL = ("<hyperv><avic state='on'/><vendor_id state='on' value='KVM Hv'/>"
       "<stimer state='on'><direct state='on'/></stimer><synic state='on'/>"
       "<vpindex state='off'/><spinlocks state='on' retries='0x2fff'/>"
       "<relaxed state='on'/><vapic state='off'/></hyperv>")


def cpu_prop(uri, name, prop):
    return qom_get(uri, name, "/machine/unattached/device[0]", prop)


def test_definitions():
    d = Daemon().start()
    c = libvirt.open(d.uri())
    try:
        dom = c.defineXML(domain("hv", ALL))
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        got = re.search(r"<hyperv.*</hyperv>", xml, re.S).group(0)
        assert got == """<hyperv mode='custom'>
      <relaxed state='on'/>
      <vapic state='off'/>
      <spinlocks state='on' retries='12287'/>
      <vpindex state='off'/>
      <synic state='on'/>
      <stimer state='on'>
        <direct state='on'/>
      </stimer>
      <vendor_id state='on' value='KVM Hv'/>
      <avic state='on'/>
    </hyperv>""", got
        dom.undefine()
        for bad, code, dom_, msg in (
                ("<hyperv><bogus state='on'/></hyperv>", 67, 20,
                 "unsupported configuration: unsupported HyperV Enlightenment feature: bogus"),
                ("<hyperv><relaxed/></hyperv>", 27, 5,
                 "XML error: Missing required attribute 'state' in element 'relaxed'"),
                ("<hyperv><spinlocks state='on' retries='4094'/></hyperv>", 27, 20,
                 "XML error: HyperV spinlock retry count must be at least 4095"),
                ("<hyperv><vendor_id state='on' value='1234567890123'/></hyperv>", 27, 20,
                 "XML error: HyperV vendor_id value must not be more than 12 characters.")):
            try:
                c.defineXML(domain("hv", bad))
                raise AssertionError("defined " + bad)
            except libvirt.libvirtError as e:
                assert (e.get_error_code(), e.get_error_domain(), str(e)) == \
                    (code, dom_, msg), (bad, e.get_error_code(), e.get_error_domain(), str(e))
            assert c.listDefinedDomains() == []
    finally:
        c.close()
    assert d.stop() == 0


def test_in_qemu():
    d = Daemon().start()
    uri = d.uri()
    c = libvirt.open(uri)
    try:
        dom = c.createXML(domain("hv", ALL, "<panic model='hyperv'/>"), 0)
        for prop, want in (("hv-relaxed", True), ("hv-vapic", False), ("hv-spinlocks", 0x2fff),
                           ("hv-vpindex", False), ("hv-synic", True), ("hv-stimer", True),
                           ("hv-stimer-direct", True), ("hv-vendor-id", "KVM Hv"),
                           ("hv-avic", True), ("hv-runtime", False), ("hv-crash", True),
                           ("hv-passthrough", False)):
            assert cpu_prop(uri, "hv", prop) == want, (prop, cpu_prop(uri, "hv", prop))
        dom.destroy()
        dom = c.createXML(domain("hvp", "<hyperv mode='passthrough'/>"), 0)
        assert cpu_prop(uri, "hvp", "hv-passthrough") is True
        dom.destroy()
        # QEMU 7.2 without KVM: libvirtd 9.0 answers with QEMU's own words
        dom = c.defineXML(domain("hvx", "<hyperv><vpindex state='on'/></hyperv>"))
        try:
            dom.create()
            raise AssertionError("started with hv-vpindex under TCG")
        except libvirt.libvirtError as e:
            assert (e.get_error_code(), e.get_error_domain()) == (1, 10), str(e)
            assert re.fullmatch(r"internal error: qemu unexpectedly closed the monitor: "
                                r"\S+ qemu-system-x86_64: kernel doesn't allow setting "
                                r"HyperV VP_INDEX", str(e)), str(e)
        assert not dom.isActive()
        dom.undefine()
    finally:
        c.close()
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("<hyperv> kept as libvirt 9.0 writes it; libvirt's parse errors", test_definitions),
        ("each enlightenment on QEMU's vCPU; passthrough; vpindex refused as libvirtd "
         "refuses it under TCG", test_in_qemu),
    ])
