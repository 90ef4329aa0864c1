#!/usr/bin/env python3
"""Disk encryption on a real guest (issue 10): Debian's virsh defines two
volume secrets in virtkitd's secret driver, the test guest boots with a raw
LUKS image as its vda (the secret named by usage, <encryption> inside
<source>) and writes its pattern through it; a qcow2 image with LUKS
encryption (the secret named by uuid, <encryption> under <disk>) is
made with vol-create in a dir pool (and what virtkit cannot make refused with
libvirt's errors), hotplugged and written through QEMU's qemu-io, then
unplugged (its secret
object goes with it). Neither passphrase is on QEMU's command line or in the
daemon's log; after shutdown neither image holds the data in clear, qemu-img
says both are encrypted and reads the data back with the passphrases. A
start with a wrong passphrase fails with QEMU's error, a missing secret and a
secret without a value with libvirt's, and nothing is left running. One
boot."""
import base64
import glob
import json
import os
import subprocess

import libvirt
from vkdtest import (Daemon, Skip, expect_error, qemu_pids, qmp, run_tests, test_guest_dir,
                     virsh, wait_for, wait_guest, write)

libvirt.registerErrorHandler(lambda ctx, err: None, None)

PATTERN = b"VIRTKIT-TEST-PATTERN"
HOT_BYTE = 0x5A
PASS_VDA = "vda-Passphrase-7c1e"
PASS_VDB = "vdb-Passphrase-93ab"
UUID_VDA = "6f0c2a55-0a3e-4b0d-9d5e-2f8a4c1e7b10"
UUID_VDB = "6f0c2a55-0a3e-4b0d-9d5e-2f8a4c1e7b11"


# QEMU's PBKDF benchmark (LUKS creation) fails now and then on a loaded
# host: it measured no CPU time for its first round. Not ours to fix: the
# creation is tried again.
CPU_FLAKE = "Unable to get accurate CPU usage"


def create_retrying(pool, xml):
    for i in range(3):
        try:
            return pool.createXML(xml)
        except libvirt.libvirtError as e:
            if CPU_FLAKE not in str(e) or i == 2:
                raise


def secret_xml(uuid, path):
    return ("<secret ephemeral='no' private='yes'><uuid>%s</uuid><usage type='volume'>"
            "<volume>%s</volume></usage></secret>" % (uuid, path))


def set_value(uri, uuid, value):
    virsh(uri, "secret-set-value", uuid, "--base64",
          base64.b64encode(value.encode()).decode())


def luks_create(path, fmt, passphrase, size="16M"):
    """A LUKS image of @fmt (raw: QEMU's luks driver; qcow2: its encrypt
    layer) under @passphrase, with few PBKDF iterations (each open costs
    them again)."""
    keyfile = path + ".key"
    write(keyfile, passphrase)
    opts = ("key-secret=k0,iter-time=10" if fmt == "raw" else
            "encrypt.format=luks,encrypt.key-secret=k0,encrypt.iter-time=10")
    try:
        for _ in range(3):
            p = subprocess.run(["qemu-img", "create", "-q", "--object",
                                "secret,id=k0,file=" + keyfile, "-f",
                                "luks" if fmt == "raw" else "qcow2", "-o", opts, path, size],
                               capture_output=True, text=True)
            if CPU_FLAKE not in p.stderr:
                break
        assert p.returncode == 0, p.stderr
    finally:
        os.unlink(keyfile)


def luks_read(path, fmt, passphrase, dest):
    """The guest-visible bytes of @path, decrypted with @passphrase."""
    keyfile = dest + ".key"
    write(keyfile, passphrase)
    spec = ("driver=luks,key-secret=k0,file.filename=%s" % path if fmt == "raw" else
            "driver=qcow2,encrypt.key-secret=k0,file.filename=%s" % path)
    try:
        subprocess.run(["qemu-img", "convert", "--object", "secret,id=k0,file=" + keyfile,
                        "--image-opts", spec, "-O", "raw", dest], check=True)
    finally:
        os.unlink(keyfile)
    with open(dest, "rb") as f:
        return f.read()


def guest_xml(name, guest, serial, img, with_vdb_in_disk=None):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet virtkit.writedisk=1</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw' cache='none'/>
      <source file='%s'>
        <encryption format='luks'><secret type='passphrase' usage='%s'/></encryption>
      </source>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, img, img, serial)


def hot_disk_xml(img):
    return """<disk type='file' device='disk'>
  <driver name='qemu' type='qcow2'/>
  <source file='%s'/>
  <target dev='vdb' bus='virtio'/>
  <encryption format='luks'><secret type='passphrase' uuid='%s'/></encryption>
</disk>
""" % (img, UUID_VDB)


def block_of(uri, name, dev):
    for b in qmp(uri, name, "query-block"):
        if b.get("qdev", "").startswith("/machine/peripheral/%s/" % dev):
            return b
    return None


def contains_in_clear(path, needle):
    with open(path, "rb") as f:
        return needle in f.read()


def test_encrypted_guest():
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available")
    d = Daemon().start()
    uri = d.uri()
    # QEMU's user reaches the domain's directory below the daemon's root
    os.chmod(d.root, 0o711)
    imgs = os.path.join(d.root, "images")
    os.mkdir(imgs)
    os.chmod(imgs, 0o755)
    vda = os.path.join(imgs, "secure.luks")
    vdb = os.path.join(imgs, "hot.qcow2")
    luks_create(vda, "raw", PASS_VDA)
    os.chmod(vda, 0o666)
    serial = os.path.join(d.root, "luks.serial")
    virsh(uri, "secret-define", write(os.path.join(d.root, "s1.xml"), secret_xml(UUID_VDA, vda)))
    virsh(uri, "secret-define", write(os.path.join(d.root, "s2.xml"), secret_xml(UUID_VDB, vdb)))
    set_value(uri, UUID_VDA, PASS_VDA)
    set_value(uri, UUID_VDB, PASS_VDB)

    # the hotplugged disk: a LUKS qcow2 volume of a dir pool (vol-create
    # runs qemu-img with the passphrase in a file of the pool's directory)
    virsh(uri, "pool-create-as", "imgs", "dir", "--target", imgs)
    conn = libvirt.open(uri)
    pool = conn.storagePoolLookupByName("imgs")
    enc = "<encryption format='luks'><secret type='passphrase' uuid='%s'/></encryption>" % UUID_VDB

    def vol_xml(name, fmt, encryption):
        return ("<volume><name>%s</name><capacity unit='M'>16</capacity><target>"
                "<format type='%s'/>%s</target></volume>" % (name, fmt, encryption))

    # what it cannot make is refused with libvirt's errors, nothing left
    for name, fmt, e, code, msg in (
            ("q.img", "raw", enc.replace("'luks'", "'qcow'"), libvirt.VIR_ERR_INTERNAL_ERROR,
             "internal error: Only luks encryption is supported for raw files"),
            ("q.qcow2", "qcow2", enc.replace("'luks'", "'qcow'"),
             libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
             "unsupported configuration: creation of qcow2 encrypted image is not supported"),
            ("n.img", "raw", "<encryption format='luks'/>", libvirt.VIR_ERR_INVALID_ARG,
             "invalid argument: A single <secret type='passphrase'...> element is expected "
             "in encryption description"),
            ("v.vmdk", "vmdk", enc, libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
             "unsupported configuration: volume encryption unsupported with format vmdk")):
        expect_error(lambda: pool.createXML(vol_xml(name, fmt, e)), code,
                     libvirt.VIR_FROM_STORAGE, msg, exact=True)
        assert not os.path.exists(os.path.join(imgs, name)), name
    vol = create_retrying(pool, vol_xml("hot.qcow2", "qcow2", enc))
    assert vol.path() == vdb
    x = vol.XMLDesc()
    assert ("<format type='qcow2'/>" in x and "<encryption format='luks'>\n"
            "      <secret type='passphrase' uuid='%s'/>\n    </encryption>" % UUID_VDB) in x, x
    assert sorted(os.listdir(imgs)) == ["hot.qcow2", "secure.luks"], os.listdir(imgs)
    os.chmod(vdb, 0o666)
    virsh(uri, "define", write(os.path.join(d.root, "luks.xml"),
                               guest_xml("luks", guest, serial, vda)))
    dom = conn.lookupByName("luks")
    # the definition keeps the encryption where it was given, engine filled in
    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert ("<source file='%s'>\n        <encryption format='luks' engine='qemu'>\n"
            "          <secret type='passphrase' usage='%s'/>" % (vda, vda)) in xml, xml

    virsh(uri, "start", "luks")
    pid = qemu_pids(d.root)[0]
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        cmdline = f.read()
    assert PASS_VDA.encode() not in cmdline and PASS_VDB.encode() not in cmdline, cmdline
    assert b'"driver":"luks","key-secret":"libvirt-1-format-encryption-secret0"' in cmdline, \
        cmdline
    assert b'"id":"libvirt-1-format-encryption-secret0"' in cmdline and b"masterKey0" in cmdline
    assert not glob.glob(os.path.join(d.root, "**", "master-key.aes"), recursive=True)
    wait_guest(lambda: os.path.exists(serial) and
               "GUEST-READY" in open(serial, errors="replace").read(),
               "GUEST-READY on the console", 120, uri, "luks", serial, d, cpu_budget=8)
    out = open(serial, errors="replace").read()
    assert "GUEST-DISK-WRITTEN" in out, out
    b = block_of(uri, "luks", "virtio-disk0")
    assert b and b["inserted"]["encrypted"] and b["inserted"]["drv"] == "luks", b

    # hotplug: the qcow2 image with its passphrase, written through QEMU
    hot = write(os.path.join(d.root, "hot.xml"), hot_disk_xml(vdb))
    virsh(uri, "attach-device", "luks", hot)
    b = block_of(uri, "luks", "virtio-disk1")
    assert b and b["inserted"]["encrypted"] and b["inserted"]["drv"] == "qcow2", b
    node = b["inserted"]["node-name"]
    objs = [o["name"] for o in qmp(uri, "luks", "qom-list", {"path": "/objects"})]
    assert "%s-encryption-secret0" % node in objs, objs
    out = virsh(uri, "qemu-monitor-command", "--hmp", "luks",
                'qemu-io -d /machine/peripheral/virtio-disk1/virtio-backend "write -P 0x%x 0 65536"' % HOT_BYTE).stdout
    assert "rror" not in out, out  # qemu-io answers nothing when it worked
    # no secret file of the hotplug is left in the domain's directory
    assert not glob.glob(os.path.join(d.root, "**", "encryption-*"), recursive=True)
    virsh(uri, "detach-device", "luks", hot)
    wait_for(lambda: block_of(uri, "luks", "virtio-disk1") is None, "vdb unplugged", 60)
    wait_for(lambda: "%s-encryption-secret0" % node not in
             [o["name"] for o in qmp(uri, "luks", "qom-list", {"path": "/objects"})],
             "the hotplugged disk's secret object removed", 30)

    virsh(uri, "shutdown", "luks")
    wait_for(lambda: dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF, "luks shut off", 120)
    log = d.log()
    for p in (PASS_VDA, PASS_VDB):
        assert p not in log
        for f in glob.glob(os.path.join(d.root, "**", "*.log"), recursive=True):
            assert p not in open(f, errors="replace").read(), f

    # on disk: nothing in clear, qemu-img sees encrypted images whose
    # decrypted contents are what the guest and qemu-io wrote
    assert not contains_in_clear(vda, PATTERN)
    assert not contains_in_clear(vdb, bytes([HOT_BYTE]) * 4096)
    for p, fmt in ((vda, "luks"), (vdb, "qcow2")):
        info = json.loads(subprocess.run(["qemu-img", "info", "-U", "--output=json", p],
                                         capture_output=True, text=True, check=True).stdout)
        assert info["format"] == fmt and info["encrypted"] is True, info
    plain = luks_read(vda, "raw", PASS_VDA, os.path.join(d.root, "vda.plain"))
    assert plain.startswith(PATTERN), plain[:64]
    plain = luks_read(vdb, "qcow2", PASS_VDB, os.path.join(d.root, "vdb.plain"))
    assert plain[:65536] == bytes([HOT_BYTE]) * 65536, plain[:64]
    # a pool refresh reads the encryption in the headers, without a secret,
    # as libvirt's does; the raw LUKS image's capacity is what the guest saw
    pool.refresh()
    x = pool.storageVolLookupByName("hot.qcow2").XMLDesc()
    assert "<encryption format='luks'>\n    </encryption>" in x, x
    v = pool.storageVolLookupByName("secure.luks")
    assert "<format type='raw'/>" in v.XMLDesc() and v.info()[1] == 16 << 20, v.XMLDesc()

    # a wrong passphrase: QEMU's error, the domain stays off
    set_value(uri, UUID_VDA, "not-the-passphrase")
    p = virsh(uri, "start", "luks", check=False)
    assert p.returncode != 0 and "Invalid password, cannot unlock any keyslot" in p.stderr, \
        p.stderr
    assert dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF and not qemu_pids(d.root)
    # a secret without a value, then no secret: libvirt's errors before QEMU
    virsh(uri, "secret-undefine", UUID_VDA)
    virsh(uri, "secret-define", write(os.path.join(d.root, "s1.xml"), secret_xml(UUID_VDA, vda)))
    expect_error(dom.create, libvirt.VIR_ERR_NO_SECRET, libvirt.VIR_FROM_SECRET,
                 "Secret not found: secret '%s' does not have a value" % UUID_VDA, exact=True)
    virsh(uri, "secret-undefine", UUID_VDA)
    expect_error(dom.create, libvirt.VIR_ERR_NO_SECRET, libvirt.VIR_FROM_SECRET,
                 "no secret with matching usage '%s'" % vda)
    assert dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF and not qemu_pids(d.root)
    # a secret of another usage type named by uuid: libvirt's INVALID_ARG
    virsh(uri, "secret-define", write(
        os.path.join(d.root, "s3.xml"),
        "<secret ephemeral='no' private='yes'><uuid>%s</uuid><usage type='iscsi'>"
        "<target>t</target></usage></secret>" % UUID_VDA))
    set_value(uri, UUID_VDA, PASS_VDA)
    bad = guest_xml("luks2", guest, serial, vda).replace("usage='%s'" % vda,
                                                         "uuid='%s'" % UUID_VDA)
    virsh(uri, "define", write(os.path.join(d.root, "luks2.xml"), bad))
    expect_error(conn.lookupByName("luks2").create, libvirt.VIR_ERR_INVALID_ARG,
                 libvirt.VIR_FROM_NONE,
                 "invalid argument: secret with uuid %s is of type 'iscsi' not expected 'volume' type" % UUID_VDA,
                 exact=True)
    assert not qemu_pids(d.root)
    virsh(uri, "pool-destroy", "imgs")
    conn.close()
    d.stop()


if __name__ == "__main__":
    run_tests([("encrypted guest: start, hotplug, on disk, wrong and missing secrets",
                test_encrypted_guest)])
