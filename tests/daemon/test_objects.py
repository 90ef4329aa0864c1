#!/usr/bin/env python3
"""The other object kinds through virtkitd with real clients: what each connection
serves (test driver tables, the daemon's own drivers), NO_SUPPORT for the rest,
the event programs of networks, storage pools, node devices and secrets."""
import libvirt

from vkdtest import Daemon, run_tests, virsh

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


if __name__ == "__main__":
    run_tests([
        ("event programs on test:///default: network, pool, node device accepted; "
         "secret NO_SUPPORT", test_event_programs_test_driver),
        ("kinds without a driver answer NO_SUPPORT in their error domain",
         test_kinds_without_driver_no_support),
    ])
