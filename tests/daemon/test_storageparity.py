#!/usr/bin/env python3
"""The same storage calls, with python3-libvirt, against libvirt's test driver
(Debian's, in-process: the reference) and against virtkit's test driver
through virtkitd (test+unix://), transcripts compared line by line (issue 11:
"the test driver and virtkitd pass the same storage tests").

The calls are those of libvirt-python's own storage test (the test driver's
"default-pool", a raw volume of 10M/1000M), a Terraform-style volume life
(lookup that must fail, create, info, XML, path, key, lookups, delete) and
an Ansible virt_pool-style pool life (define, build, create, autostart,
refresh, destroy, delete, undefine), with the errors of each wrong call
(code, domain, message) in the transcript.
"""
import re

import libvirt

from vkdtest import Daemon, run_tests

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VOL_XML = """<volume type="file">
  <name>raw.img</name>
  <allocation unit="M">10</allocation>
  <capacity unit="M">1000</capacity>
</volume>"""


def record(out, what, fn):
    try:
        r = fn()
    except libvirt.libvirtError as e:
        out.append("%s -> error %d/%d %s" % (what, e.get_error_code(), e.get_error_domain(),
                                              e.get_error_message()))
        return None
    if isinstance(r, (libvirt.virStoragePool, libvirt.virStorageVol)):
        out.append("%s -> %s %s" % (what, type(r).__name__, r.name()))
    else:
        out.append("%s -> %r" % (what, r))
    return r


def scrub_xml(xml):
    """A volume/pool XML without what differs by nature between two test
    drivers: UUIDs and timestamps."""
    xml = re.sub(r"<uuid>[^<]*</uuid>", "<uuid/>", xml)
    xml = re.sub(r"<timestamps>.*?</timestamps>", "<timestamps/>", xml, flags=re.S)
    return xml


def scenario(conn, out):
    # libvirt-python's tests/test_storage.py
    pool = record(out, "storagePoolLookupByName default-pool",
                  lambda: conn.storagePoolLookupByName("default-pool"))
    record(out, "pool.name", pool.name)
    record(out, "pool.isActive", pool.isActive)
    record(out, "pool.isPersistent", pool.isPersistent)
    record(out, "pool.autostart", pool.autostart)
    record(out, "pool.info", pool.info)
    record(out, "pool.numOfVolumes", pool.numOfVolumes)
    vol = record(out, "pool.createXML raw.img", lambda: pool.createXML(VOL_XML, 0))
    record(out, "vol.name", vol.name)
    record(out, "vol.key", vol.key)
    record(out, "vol.path", vol.path)
    record(out, "vol.info", vol.info)
    record(out, "vol.XMLDesc", lambda: scrub_xml(vol.XMLDesc(0)))
    record(out, "pool.listVolumes", lambda: sorted(pool.listVolumes()))
    record(out, "pool.listAllVolumes", lambda: sorted(v.name() for v in pool.listAllVolumes()))
    record(out, "pool.createXML raw.img again", lambda: pool.createXML(VOL_XML, 0))

    # Terraform's volume resource: lookup (absent), create, read, delete
    record(out, "storageVolLookupByName tf.qcow2 (absent)",
           lambda: pool.storageVolLookupByName("tf.qcow2"))
    tf = record(out, "pool.createXML tf.qcow2", lambda: pool.createXML(
        "<volume><name>tf.qcow2</name><capacity unit='bytes'>1073741824</capacity>"
        "<target><format type='qcow2'/></target></volume>", 0))
    record(out, "tf.info", tf.info)
    path = record(out, "tf.path", tf.path)
    key = record(out, "tf.key", tf.key)
    record(out, "storageVolLookupByPath", lambda: conn.storageVolLookupByPath(path))
    record(out, "storageVolLookupByKey", lambda: conn.storageVolLookupByKey(key))
    record(out, "storagePoolLookupByVolume",
           lambda: tf.storagePoolLookupByVolume())
    record(out, "storageVolLookupByPath /nonexistent",
           lambda: conn.storageVolLookupByPath("/nonexistent/x.img"))
    record(out, "storageVolLookupByKey nokey", lambda: conn.storageVolLookupByKey("nokey"))
    record(out, "tf.resize grow", lambda: tf.resize(2 << 30, 0))
    record(out, "tf.info after grow", tf.info)
    record(out, "tf.resize shrink (no flag)", lambda: tf.resize(1 << 20, 0))
    record(out, "tf.resize delta", lambda: tf.resize(1 << 30, libvirt.VIR_STORAGE_VOL_RESIZE_DELTA))
    record(out, "tf.info after delta", tf.info)
    record(out, "tf.wipe", lambda: tf.wipe(0))
    clone = record(out, "createXMLFrom clone", lambda: pool.createXMLFrom(
        "<volume><name>clone.img</name><capacity>0</capacity></volume>", vol, 0))
    record(out, "clone.info", clone.info)
    record(out, "tf.delete", lambda: tf.delete(0))
    record(out, "tf.delete again", lambda: tf.delete(0))
    record(out, "storageVolLookupByName tf.qcow2 after delete",
           lambda: pool.storageVolLookupByName("tf.qcow2"))
    record(out, "clone.delete", lambda: clone.delete(0))
    record(out, "vol.delete", lambda: vol.delete(0))
    record(out, "pool.numOfVolumes after", pool.numOfVolumes)
    record(out, "pool.createXML bad name", lambda: pool.createXML(
        "<volume><name>a/b</name><capacity>1024</capacity></volume>", 0))
    record(out, "pool.createXML no capacity", lambda: pool.createXML(
        "<volume><name>nocap</name></volume>", 0))

    # Ansible virt_pool: a dir pool's life
    xml = ("<pool type='dir'><name>ans</name><target><path>/ansible-pool</path>"
           "</target></pool>")
    p = record(out, "storagePoolDefineXML ans", lambda: conn.storagePoolDefineXML(xml, 0))
    record(out, "ans.isActive", p.isActive)
    record(out, "ans.build", lambda: p.build(0))
    record(out, "ans.create", lambda: p.create(0))
    record(out, "ans.create again", lambda: p.create(0))
    record(out, "ans.setAutostart 1", lambda: p.setAutostart(1))
    record(out, "ans.autostart", p.autostart)
    record(out, "ans.refresh", lambda: p.refresh(0))
    record(out, "ans.undefine while active", p.undefine)
    record(out, "ans.destroy", p.destroy)
    record(out, "ans.destroy again", p.destroy)
    record(out, "ans.refresh inactive", lambda: p.refresh(0))
    record(out, "ans.delete", lambda: p.delete(0))
    record(out, "ans.undefine", p.undefine)
    record(out, "storagePoolLookupByName ans after",
           lambda: conn.storagePoolLookupByName("ans"))
    record(out, "storagePoolDefineXML bad type", lambda: conn.storagePoolDefineXML(
        "<pool type='bogus'><name>x</name></pool>", 0))
    record(out, "storagePoolDefineXML no name", lambda: conn.storagePoolDefineXML(
        "<pool type='dir'><target><path>/x</path></target></pool>", 0))
    record(out, "storagePoolCreateXML transient", lambda: conn.storagePoolCreateXML(
        xml.replace("ans", "tr"), 0))
    tr = conn.storagePoolLookupByName("tr")
    record(out, "tr.isPersistent", tr.isPersistent)
    record(out, "tr.setAutostart", lambda: tr.setAutostart(1))
    record(out, "tr.destroy", tr.destroy)
    record(out, "storagePoolLookupByName tr after destroy",
           lambda: conn.storagePoolLookupByName("tr"))
    record(out, "listAllStoragePools", lambda: sorted(
        p.name() for p in conn.listAllStoragePools(0)))


def transcript(uri):
    conn = libvirt.open(uri)
    out = []
    try:
        scenario(conn, out)
    finally:
        conn.close()
    return out


def test_test_driver_parity():
    ref = transcript("test:///default")          # Debian's libvirt, in-process
    d = Daemon().start()
    ours = transcript(d.uri(driver="test"))        # virtkit's, through virtkitd
    diffs = ["  ref:  %s\n  ours: %s" % (a, b) for a, b in zip(ref, ours) if a != b]
    assert len(ref) == len(ours) and not diffs, \
        "%d of %d calls differ:\n%s" % (len(diffs), len(ref), "\n".join(diffs))
    assert len(ref) > 60, len(ref)
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([
        ("storage through the test driver: libvirt-python's test, Terraform and Ansible "
         "sequences, as Debian's libvirt answers", test_test_driver_parity),
    ])
