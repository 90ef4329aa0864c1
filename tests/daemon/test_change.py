#!/usr/bin/env python3
"""Changing a guest's definition through virtkitd (issue 15), with the real clients.

- change-scenario.sh (desc/title, metadata namespaces, live/config/current,
  errors, read-only, domrename) run with Debian's virsh, then with vksh,
  against virtkitd's QEMU driver (the test guest under TCG) prints byte for
  byte what Debian's virsh printed against libvirt 9.0's libvirtd
  (tests/data/daemon/change-virsh.golden, recorded with the same script);
- domrename moves the definition and the autostart link (old files gone,
  the new ones hold the new name), a rename refused changes no file, and
  the renamed domain and its metadata survive a daemon restart; metadata set
  on the running guest survives a restart in its live XML (status file);
- python3-libvirt: setMetadata / metadata / rename with libvirt's error
  codes (transient domains, bad key, read-only).
"""
import os
import sys

from vkdtest import Daemon, Skip, run_scenario, run_tests, virsh, wait_for, write
from vkdtest import test_guest_dir

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "data", "daemon", "change-virsh.golden")
VKSH = os.environ.get("VKSH")


def guest_dir():
    return test_guest_dir()


def guest_xml(name, guest, serial, uuid=None):
    return """<domain type='qemu'>
  <name>%s</name>%s
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, "\n  <uuid>%s</uuid>" % uuid if uuid else "", guest, guest, serial)


def scenario(shell):
    guest = guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    run_scenario("change-scenario.sh", GOLDEN, guest, shell, timeout=600)


def test_scenario_virsh():
    scenario("virsh")


def test_scenario_vksh():
    if not VKSH:
        raise Skip("vksh not built")
    scenario(VKSH)


def test_rename_files_restart():
    guest = guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    cfg = d.dirs["config"]
    serial = os.path.join(d.root, "vm.serial")
    virsh(uri, "define", write(os.path.join(d.root, "vm.xml"), guest_xml("vm", guest, serial)))
    virsh(uri, "autostart", "vm")
    virsh(uri, "desc", "vm", "kept across the rename")
    virsh(uri, "metadata", "vm", "http://example.org/a", "--key", "a", "--set", "<x n='1'/>")
    files = sorted(os.listdir(cfg))
    autostart = os.path.join(cfg, "autostart")
    assert "vm.xml" in files and os.path.islink(os.path.join(autostart, "vm.xml")), files

    # refused: nothing on disk changes
    write(os.path.join(d.root, "o.xml"), guest_xml("other", guest, serial + "2"))
    virsh(uri, "define", os.path.join(d.root, "o.xml"))
    before = {f: open(os.path.join(cfg, f)).read() for f in os.listdir(cfg) if f.endswith(".xml")}
    for bad, msg in (("other", "domain with name 'other' already exists"),
                     ("a/b", "name a/b cannot contain '/'"),
                     ("vm", "Can't rename domain to itself")):
        p = virsh(uri, "domrename", "vm", bad, check=False)
        assert p.returncode == 1 and msg in p.stderr, (bad, p.stderr)
    after = {f: open(os.path.join(cfg, f)).read() for f in os.listdir(cfg) if f.endswith(".xml")}
    assert before == after, (sorted(before), sorted(after))
    assert sorted(os.listdir(autostart)) == ["vm.xml"], os.listdir(autostart)

    # renamed: the definition and the link follow
    virsh(uri, "domrename", "vm", "renamed")
    assert not os.path.exists(os.path.join(cfg, "vm.xml")), os.listdir(cfg)
    text = open(os.path.join(cfg, "renamed.xml")).read()
    assert "<name>renamed</name>" in text and "kept across the rename" in text, text
    assert sorted(os.listdir(autostart)) == ["renamed.xml"], os.listdir(autostart)
    assert os.readlink(os.path.join(autostart, "renamed.xml")) == \
        os.path.join(cfg, "renamed.xml")
    names = virsh(uri, "list", "--all", "--name").stdout.split()
    assert sorted(names) == ["other", "renamed"], names

    # a restart finds it under its new name, autostart kept
    d.stop()
    d.start()
    names = virsh(uri, "list", "--all", "--name").stdout.split()
    assert sorted(names) == ["other", "renamed"], names
    assert virsh(uri, "desc", "renamed").stdout.strip() == "kept across the rename"
    out = virsh(uri, "metadata", "renamed", "http://example.org/a").stdout
    assert out.strip() == '<x n="1"/>', out
    info = virsh(uri, "dominfo", "renamed").stdout
    assert "Autostart:      enable" in info, info
    if virsh(uri, "domstate", "renamed").stdout.strip() != "running":
        virsh(uri, "start", "renamed")

    # live metadata of a running guest survives a restart (status file)
    virsh(uri, "metadata", "renamed", "http://example.org/live", "--key", "l", "--set", "<y/>",
          "--live")
    virsh(uri, "desc", "renamed", "--live", "--title", "live title")
    d.stop()
    d.start()
    xml = virsh(uri, "dumpxml", "renamed").stdout
    assert '<l:y xmlns:l="http://example.org/live"/>' in xml, xml
    assert "<title>live title</title>" in xml, xml
    inactive = virsh(uri, "dumpxml", "--inactive", "renamed").stdout
    assert "live title" not in inactive and "http://example.org/live" not in inactive, inactive
    virsh(uri, "destroy", "renamed")
    assert d.stop() == 0


_EVENT_LOOP = []


def event_loop():
    """libvirt's default event loop in a thread (once per process)."""
    import threading
    if not _EVENT_LOOP:
        libvirt.virEventRegisterDefaultImpl()

        def run():
            while True:
                libvirt.virEventRunDefaultImpl()
        t = threading.Thread(target=run, daemon=True)
        t.start()
        _EVENT_LOOP.append(t)


def test_metadata_event():
    guest = guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    event_loop()
    d = Daemon().start()
    uri = d.uri()
    conn = libvirt.open(uri)
    seen = []
    try:
        dom = conn.defineXML(guest_xml("ev", guest, os.path.join(d.root, "ev.serial")))
        conn.domainEventRegisterAny(
            dom, libvirt.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
            lambda c, d_, mtype, nsuri, opaque: seen.append((d_.name(), mtype, nsuri)), None)
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "<e/>", "e", "http://example.org/e",
                        0)
        virsh(uri, "desc", "ev", "a description")
        # a refused change raises none
        try:
            dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "<e/>", "1x", "http://x/", 0)
        except libvirt.libvirtError:
            pass
        wait_for(lambda: len(seen) >= 2, "two METADATA_CHANGE events", 30)
        assert seen[:2] == [("ev", libvirt.VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/e"),
                            ("ev", libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None)], seen
        dom.undefine()
    finally:
        conn.close()
    assert len(seen) == 2, seen
    assert d.stop() == 0


def test_python():
    guest = guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    serial = os.path.join(d.root, "t.serial")
    conn = libvirt.open(uri)
    try:
        dom = conn.createXML(guest_xml("t", guest, serial), 0)

        def err(f, *args):
            try:
                f(*args)
            except libvirt.libvirtError as e:
                return e.get_error_code(), e.get_error_domain(), e.get_error_message()
            raise AssertionError("%s%r succeeded" % (f.__name__, args))

        ns = "http://example.org/p"
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "<p a='b'><q/></p>", "p", ns, 0)
        assert dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, ns, 0) == \
            '<p a="b">\n  <q/>\n</p>'
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_TITLE, "T", None, None, 0)
        assert dom.metadata(libvirt.VIR_DOMAIN_METADATA_TITLE, None, 0) == "T"
        # transient: no persistent definition
        assert err(dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_TITLE, "x", None, None,
                   libvirt.VIR_DOMAIN_AFFECT_CONFIG) == (
            libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_DOMAIN,
            "Requested operation is not valid: transient domains do not have any "
            "persistent config")
        assert err(dom.rename, "t2", 0)[0] == libvirt.VIR_ERR_OPERATION_INVALID
        assert err(dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_ELEMENT, "<a/>", "1x", ns,
                   0) == (libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_XML,
                          "internal error: failed to validate prefix for a new XML namespace")
        assert err(dom.setMetadata, libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, "x", "k", None,
                   0) == (libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_DOMAIN,
                          "key in virDomainSetMetadata must be NULL")
        assert err(dom.metadata, 7, None, 0) == (
            libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_DOMAIN,
            "invalid argument: unknown metadata type '7'")
        assert err(dom.metadata, libvirt.VIR_DOMAIN_METADATA_ELEMENT, "http://none/", 0)[0] == \
            libvirt.VIR_ERR_NO_DOMAIN_METADATA
        # nothing changed by the refused calls
        assert dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, ns, 0) == \
            '<p a="b">\n  <q/>\n</p>'
        ro = libvirt.openReadOnly(uri)
        try:
            rdom = ro.lookupByName("t")
            assert rdom.metadata(libvirt.VIR_DOMAIN_METADATA_TITLE, None, 0) == "T"
            assert err(rdom.setMetadata, libvirt.VIR_DOMAIN_METADATA_TITLE, "x", None, None,
                       0)[0] == libvirt.VIR_ERR_OPERATION_DENIED
        finally:
            ro.close()
        dom.destroy()
    finally:
        conn.close()
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("desc/metadata/domrename: Debian's virsh through virtkitd prints what it printed "
         "against libvirtd", test_scenario_virsh),
        ("desc/metadata/domrename: vksh through virtkitd prints what virsh printed against "
         "libvirtd", test_scenario_vksh),
        ("domrename moves the files (nothing on a refusal); names, metadata and live metadata "
         "survive a restart", test_rename_files_restart),
        ("python3-libvirt: setMetadata/metadata/rename and libvirt's errors", test_python),
        ("METADATA_CHANGE events through virtkitd (python3-libvirt), none for a refusal",
         test_metadata_event),
    ])
