#!/usr/bin/env python3
"""The same storage calls, with python3-libvirt, against libvirt and virtkit,
transcripts compared line by line (issue 11: "the test driver and virtkitd
pass the same storage tests with python3-libvirt as Debian's libvirtd
does"):
- libvirt's test driver (Debian's, in-process: the reference) and
  virtkit's test driver through virtkitd (test+unix://);
- Debian's libvirtd (in a mount namespace of its own, its directories in
  a temporary folder, as scripts/bench.sh runs it) and virtkitd, each with
  a dir pool on the host: volumes raw, sparse, qcow2, qcow2 on a backing
  store (info, path, XML), lookups, bad names, overflow, bad format,
  the pool capabilities document (libvirtd's backends marked supported
  where ours say no: virtkit has dir, fs and disk), pool lookups by target path (exact, trailing and doubled slashes, none,
  inactive), resizes (grow, shrink below the allocation, delta), wipe with every
  algorithm (scrub(1) for the patterns, as libvirt), conversion raw -> qcow2, refresh, deletes, the pool's
  life and wrong calls.
  Left out on purpose: wiping a qcow2 volume. libvirt zeroes the file (the
  image is gone: a pool refresh then shows a 196 KiB volume of zeros where
  the 128 MiB image was); virtkit makes a fresh empty image of the same
  format and size instead, which reads back as zeros just the same.

The calls are those of libvirt-python's own storage test (the test driver's
"default-pool", a raw volume of 10M/1000M), a Terraform-style volume life
(lookup that must fail, create, info, XML, path, key, lookups, delete) and
an Ansible virt_pool-style pool life (define, build, create, autostart,
refresh, destroy, delete, undefine), with the errors of each wrong call
(code, domain, message) in the transcript.
"""
import os
import re
import signal
import subprocess

import libvirt

import vkdtest
from vkdtest import Daemon, Skip, make_tmpdir, run_tests, wait_for

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
        msg = e.get_error_message()
        for d in POOLDIRS:
            msg = msg.replace(d.replace("/", "//"), "POOL//").replace(d, "POOL")
        out.append("%s -> error %d/%d %s" % (what, e.get_error_code(), e.get_error_domain(),
                                              msg))
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
    record(out, "storagePoolLookupByTargetPath", lambda: conn.storagePoolLookupByTargetPath(
        "/default-pool"))
    record(out, "getStoragePoolCapabilities", lambda: conn.getStoragePoolCapabilities(0))
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


POOLDIRS = []  # pool folders, masked in error messages


def real_scenario(conn, out, pooldir):
    """A dir pool on the host: what virt-install, Terraform and Ansible do
    to real storage, with the errors of wrong calls."""
    POOLDIRS.append(pooldir)
    xml = ("<pool type='dir'><name>real</name><target><path>%s</path></target></pool>"
           % pooldir)
    p = record(out, "storagePoolDefineXML real", lambda: conn.storagePoolDefineXML(xml, 0))
    record(out, "real.build", lambda: p.build(0))
    record(out, "real.create", lambda: p.create(0))
    record(out, "real.info state", lambda: p.info()[0])
    # the same document; which types are supported differs by design (the
    # test checks virtkit's own list)
    record(out, "getStoragePoolCapabilities", lambda: re.sub(
        r"supported='(yes|no)'", "supported='?'", conn.getStoragePoolCapabilities(0)))
    for label, path in (("exact", pooldir), ("trailing slash", pooldir + "/"),
                        ("doubled slashes", pooldir.replace("/", "//")),
                        ("none", pooldir + "-nope")):
        record(out, "storagePoolLookupByTargetPath " + label,
               lambda: conn.storagePoolLookupByTargetPath(path))
    record(out, "real.XMLDesc", lambda: pool_xml_scrubbed(p.XMLDesc(0)).replace(pooldir,
                                                                                  "POOL"))
    vols = [
        ("raw", "<volume><name>raw.img</name><capacity unit='MiB'>8</capacity>"
                "<allocation unit='MiB'>8</allocation><target><format type='raw'/></target>"
                "</volume>"),
        ("sparse", "<volume><name>sparse.img</name><capacity unit='GiB'>1</capacity>"
                   "<allocation>0</allocation><target><format type='raw'/></target>"
                   "</volume>"),
        ("qcow2", "<volume><name>q.qcow2</name><capacity unit='MiB'>64</capacity>"
                  "<target><format type='qcow2'/></target></volume>"),
        ("backed", "<volume><name>b.qcow2</name><capacity unit='MiB'>8</capacity>"
                   "<target><format type='qcow2'/></target><backingStore><path>%s/raw.img"
                   "</path><format type='raw'/></backingStore></volume>" % pooldir),
    ]
    made = {}
    for label, vx in vols:
        v = record(out, "createXML " + label, lambda: p.createXML(vx, 0))
        made[label] = v
        if v:
            record(out, label + ".info type,capacity", lambda: v.info()[:2])
            record(out, label + ".path", lambda: v.path().replace(pooldir, "POOL"))
            record(out, label + ".XMLDesc", lambda: vol_xml_scrubbed(v.XMLDesc(0), pooldir))
    raw, qcow = made["raw"], made["qcow2"]
    record(out, "storageVolLookupByPath raw",
           lambda: conn.storageVolLookupByPath(os.path.join(pooldir, "raw.img")))
    record(out, "storageVolLookupByKey raw",
           lambda: conn.storageVolLookupByKey(os.path.join(pooldir, "raw.img")))
    record(out, "createXML duplicate", lambda: p.createXML(vols[0][1], 0))
    record(out, "createXML ../escape", lambda: p.createXML(
        "<volume><name>../escape</name><capacity>1024</capacity></volume>", 0))
    record(out, "createXML a/b", lambda: p.createXML(
        "<volume><name>a/b</name><capacity>1024</capacity></volume>", 0))
    record(out, "createXML capacity overflow", lambda: p.createXML(
        "<volume><name>big</name><capacity unit='EiB'>99999</capacity></volume>", 0))
    record(out, "createXML bad format", lambda: p.createXML(
        "<volume><name>bf</name><capacity>1024</capacity><target><format type='nope'/>"
        "</target></volume>", 0))
    record(out, "raw.resize grow", lambda: raw.resize(16 << 20, 0))
    record(out, "raw.info after grow", lambda: raw.info()[:2])
    record(out, "raw.resize shrink (no flag)", lambda: raw.resize(4 << 20, 0))
    record(out, "raw.resize shrink", lambda: raw.resize(
        4 << 20, libvirt.VIR_STORAGE_VOL_RESIZE_SHRINK))
    record(out, "raw.resize delta", lambda: raw.resize(
        4 << 20, libvirt.VIR_STORAGE_VOL_RESIZE_DELTA))
    record(out, "raw.info after delta", lambda: raw.info()[:2])
    record(out, "qcow2.resize grow", lambda: qcow.resize(128 << 20, 0))
    record(out, "qcow2.info after grow", lambda: qcow.info()[:2])
    def upload(data, offset):
        st = conn.newStream(0)
        raw.upload(st, offset, len(data), 0)
        st.send(data)
        st.finish()
        return 0

    def download(offset, length):
        st = conn.newStream(0)
        raw.download(st, offset, length, 0)
        got = b""
        while len(got) < length:
            chunk = st.recv(length - len(got))
            if not chunk:
                break
            got += chunk
        st.finish()
        return got

    record(out, "raw.upload 64 KiB at 1 MiB", lambda: upload(b"PARITY" * 10923, 1 << 20))
    record(out, "raw.download it back", lambda: download(1 << 20, 65538) == b"PARITY" * 10923)
    record(out, "raw.upload past the end", lambda: upload(b"x", 1 << 40))
    record(out, "raw.wipe", lambda: raw.wipe(0))
    record(out, "raw.download after wipe", lambda: download(1 << 20, 16) == bytes(16))
    record(out, "raw.wipePattern bogus", lambda: raw.wipePattern(99, 0))
    # every algorithm on a small volume (the pattern ones run scrub(1))
    small = record(out, "createXML small", lambda: p.createXML(
        "<volume><name>small.img</name><capacity unit='KiB'>64</capacity>"
        "<target><format type='raw'/></target></volume>", 0))
    for alg in ("ZERO", "NNSA", "DOD", "BSI", "GUTMANN", "SCHNEIER", "PFITZNER7",
                "PFITZNER33", "RANDOM", "TRIM"):
        n = getattr(libvirt, "VIR_STORAGE_VOL_WIPE_ALG_" + alg)
        record(out, "small.wipePattern " + alg, lambda: small.wipePattern(n, 0))
        record(out, "small.info", lambda: small.info()[:2])
    record(out, "small.delete", lambda: small.delete(0))
    clone = record(out, "createXMLFrom raw -> qcow2", lambda: p.createXMLFrom(
        "<volume><name>conv.qcow2</name><capacity>0</capacity><target>"
        "<format type='qcow2'/></target></volume>", raw, 0))
    record(out, "conv.info type,capacity", lambda: clone.info()[:2])
    record(out, "real.refresh", lambda: p.refresh(0))
    record(out, "real.listVolumes", lambda: sorted(p.listVolumes()))
    record(out, "qcow2.XMLDesc after refresh", lambda: vol_xml_scrubbed(
        p.storageVolLookupByName("q.qcow2").XMLDesc(0), pooldir))
    record(out, "backed.XMLDesc after refresh", lambda: vol_xml_scrubbed(
        p.storageVolLookupByName("b.qcow2").XMLDesc(0), pooldir))
    record(out, "real.delete while active", lambda: p.delete(0))
    record(out, "real.undefine while active", p.undefine)
    for label in ("backed", "raw", "sparse", "qcow2"):
        record(out, label + ".delete", lambda: made[label].delete(0))
    record(out, "conv.delete", lambda: clone.delete(0))
    record(out, "raw.delete again", lambda: raw.delete(0))
    record(out, "real.numOfVolumes", p.numOfVolumes)
    record(out, "real.destroy", p.destroy)
    record(out, "storagePoolLookupByTargetPath inactive",
           lambda: conn.storagePoolLookupByTargetPath(pooldir))
    record(out, "real.delete", lambda: p.delete(0))
    record(out, "pool dir gone", lambda: os.path.exists(pooldir))
    record(out, "real.undefine", p.undefine)


def pool_xml_scrubbed(xml):
    xml = scrub_xml(xml)
    return re.sub(r"<(capacity|allocation|available) unit='bytes'>\d+<",
                  r"<\1 unit='bytes'>N<", xml)


def vol_xml_scrubbed(xml, pooldir):
    return scrub_xml(xml).replace(pooldir, "POOL")


class Libvirtd:
    """Debian's libvirtd in a mount namespace of its own (as scripts/bench.sh
    runs it): /etc/libvirt, /var/lib/libvirt, /run/libvirt, /var/log/libvirt
    and /var/cache/libvirt bound to folders of a temporary directory. Its
    pid is the Popen's (unshare and sh exec into it); killed by it."""

    def __init__(self, qemu_conf=""):
        """@qemu_conf: more qemu.conf lines (e.g. stdio_handler = "file"
        for guests started without a virtlogd)."""
        if os.geteuid() != 0:
            raise Skip("needs root (libvirtd in its own mount namespace)")
        if not os.access("/usr/sbin/libvirtd", os.X_OK):
            raise Skip("Debian's libvirtd not installed")
        self.root = make_tmpdir()
        dirs = {k: os.path.join(self.root, k) for k in ("etc", "lib", "run", "log", "cache")}
        for path in dirs.values():
            os.makedirs(path)
        with open(os.path.join(dirs["etc"], "qemu.conf"), "w") as f:
            f.write('user = "root"\ngroup = "root"\n' + qemu_conf)
        open(os.path.join(dirs["etc"], "libvirtd.conf"), "w").close()
        # libvirtd resolves its default QEMU user before it reads qemu.conf
        for name, line in (("passwd", "libvirt-qemu:x:64055:64055::/var/lib/libvirt:"
                                      "/usr/sbin/nologin\n"),
                           ("group", "libvirt-qemu:x:64055:\n")):
            with open("/etc/" + name) as f:
                text = f.read()
            if not re.search(r"^libvirt-qemu:", text, re.M):
                text += line
            dirs[name] = os.path.join(self.root, name)
            with open(dirs[name], "w") as f:
                f.write(text)
        binds = [("passwd", "/etc/passwd"), ("group", "/etc/group"), ("etc", "/etc/libvirt"), ("lib", "/var/lib/libvirt"), ("run", "/run/libvirt"),
                 ("log", "/var/log/libvirt"), ("cache", "/var/cache/libvirt")]
        script = "set -e\nmount --make-rprivate /\n"
        for k, target in binds:
            if k not in ("passwd", "group"):
                script += "mkdir -p %s\n" % target
            script += "mount --bind %s %s\n" % (dirs[k], target)
        # its own pid file: the default one, /run/libvirtd.pid, is shared
        # with any other libvirtd on the host (make bench's, the survey's)
        script += "exec /usr/sbin/libvirtd -p %s\n" % os.path.join(self.root, "libvirtd.pid")
        self.sock = os.path.join(dirs["run"], "libvirt-sock")
        self.log = os.path.join(self.root, "libvirtd.log")
        with open(self.log, "w") as err:
            self.proc = subprocess.Popen(["unshare", "-m", "sh", "-c", script],
                                         stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        # killed with the test's daemons, whatever happens (vkdtest.cleanup_all)
        vkdtest._daemons.append(self)
        wait_for(lambda: os.path.exists(self.sock) or self.proc.poll() is not None,
                 "libvirtd's socket", timeout=120)
        if self.proc.poll() is not None:
            raise AssertionError("libvirtd exited: %s" % open(self.log).read()[-2000:])

        # the socket is bound before the drivers are up: a real answer
        def answers():
            if self.proc.poll() is not None:
                raise AssertionError("libvirtd exited: %s" % open(self.log).read()[-2000:])
            try:
                libvirt.open(self.uri()).close()
                return True
            except libvirt.libvirtError:
                return False
        wait_for(answers, "libvirtd to answer", timeout=120, step=0.1)

    def uri(self):
        return "qemu+unix:///system?socket=" + self.sock

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self in vkdtest._daemons:
            vkdtest._daemons.remove(self)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self in vkdtest._daemons:
            vkdtest._daemons.remove(self)


def compare(ref, ours):
    diffs = ["  ref:  %s\n  ours: %s" % (a, b) for a, b in zip(ref, ours) if a != b]
    assert len(ref) == len(ours) and not diffs, \
        "%d of %d calls differ:\n%s" % (len(diffs), len(ref), "\n".join(diffs))


def test_real_driver_parity():
    lv = Libvirtd()
    try:
        conn = libvirt.open(lv.uri())
        ref = []
        try:
            real_scenario(conn, ref, os.path.join(lv.root, "pool"))
        finally:
            conn.close()
    finally:
        lv.stop()
    d = Daemon().start()
    conn = libvirt.open(d.uri())
    ours = []
    try:
        real_scenario(conn, ours, os.path.join(d.root, "pool"))
        caps = conn.getStoragePoolCapabilities(0)
        assert re.findall(r"<pool type='([^']+)' supported='yes'>", caps) == ["dir", "fs", "disk"], caps
        assert len(re.findall(r"<pool type=", caps)) == 14, caps
    finally:
        conn.close()
    compare(ref, ours)
    assert len(ref) > 50, len(ref)
    assert d.stop() == 0


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
        ("a dir pool on the host through virtkitd, as through Debian's libvirtd",
         test_real_driver_parity),
    ])
