#!/usr/bin/env python3
"""Disk options libvirt 9.0 accepts, on a real guest through virtkitd (issue 10).

One test guest (variant "shell": a shell on its pty console) with two
virtio disks, defined and started with Debian's virsh:
- vda (qcow2): <driver error_policy='stop' rerror_policy='report'
  queues='2' queue_size='256'> and <blockio logical_block_size='512'
  physical_block_size='4096'>: QEMU's virtio-blk has werror, rerror,
  num-queues and queue-size as given (qom-get), and the guest (2 vCPUs)
  sees two queues (/sys/block/vda/mq) and the block sizes
  (/sys/block/vda/queue);
- vdb (raw): <shareable/> and <geometry>: QEMU's share-rw and cyls/heads/
  secs; as libvirt does for a disk others may write, the live definition
  has cache='none' (QEMU's cache.direct on its nodes) while the inactive
  one stays as defined;
- attach-device --live of a third disk (raw, shareable, queues='3',
  error_policy='enospace'): QEMU's device has share-rw, three queues,
  werror enospc and rerror unset (libvirt's rule: enospace is a write
  policy only), the guest sees vdc and uses two of its queues (one per
  vCPU, as virtio_blk does); detach-device
  removes it from QEMU and the guest.
- boot order: the definition names none, so libvirt's <boot dev='hd'/>
  holds and, as libvirt 9.0 assigns it at start, the first disk (vda)
  alone has QEMU's bootindex 1 (vdb and the hotplugged vdc have none, -1).
"""
import json
import os
import re
import subprocess

from vkdtest import Daemon, PtyConsole, Skip, run_tests, test_guest_dir, virsh, wait_for, write


def guest_xml(name, guest, vda, vdb):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' error_policy='stop' rerror_policy='report' queues='2' queue_size='256'/>
      <source file='%s'/>
      <target dev='vda' bus='virtio'/>
      <blockio logical_block_size='512' physical_block_size='4096'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='%s'/>
      <target dev='vdb' bus='virtio'/>
      <geometry cyls='100' heads='4' secs='32'/>
      <shareable/>
    </disk>
    <serial type='pty'><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, vda, vdb)


def qom_get(uri, name, dev, prop):
    req = {"execute": "qom-get",
           "arguments": {"path": "/machine/peripheral/" + dev, "property": prop}}
    return json.loads(virsh(uri, "qemu-monitor-command", name, json.dumps(req)).stdout)["return"]


def image(path, fmt):
    subprocess.run(["qemu-img", "create", "-q", "-f", fmt, path, "16M"], check=True)
    os.chmod(path, 0o666)
    return path


def test_disk_options():
    guest = test_guest_dir("shell")
    if not guest:
        raise Skip("the shell test guest cannot be built here")
    d = Daemon().start()
    uri = d.uri()
    con = None
    try:
        os.chmod(d.root, 0o711)  # QEMU runs as the qemu user
        imgs = os.path.join(d.root, "images")
        os.mkdir(imgs)
        os.chmod(imgs, 0o755)
        vda = image(os.path.join(imgs, "vda.qcow2"), "qcow2")
        vdb = image(os.path.join(imgs, "vdb.raw"), "raw")
        vdc = image(os.path.join(imgs, "vdc.raw"), "raw")
        virsh(uri, "define", write(os.path.join(d.root, "g.xml"),
                                   guest_xml("dopt", guest, vda, vdb)))
        inactive = virsh(uri, "dumpxml", "--inactive", "dopt").stdout
        assert ("<driver name='qemu' type='qcow2' error_policy='stop' rerror_policy='report' "
                "queues='2' queue_size='256'/>") in inactive, inactive
        assert "<blockio logical_block_size='512' physical_block_size='4096'/>" in inactive
        assert "<geometry cyls='100' heads='4' secs='32'/>" in inactive, inactive
        assert "<shareable/>" in inactive and "cache=" not in inactive, inactive
        virsh(uri, "start", "dopt")

        # the live definition: cache='none' on the shareable disk only
        live = virsh(uri, "dumpxml", "dopt").stdout
        assert "<driver name='qemu' type='raw' cache='none'/>" in live, live
        assert live.count("cache='none'") == 1, live
        assert "cache=" not in virsh(uri, "dumpxml", "--inactive", "dopt").stdout

        # QEMU's devices
        props = {p: qom_get(uri, "dopt", "virtio-disk0", p)
                 for p in ("werror", "rerror", "num-queues", "queue-size",
                           "logical_block_size", "physical_block_size", "share-rw",
                           "bootindex")}
        assert props == {"werror": "stop", "rerror": "report", "num-queues": 2,
                         "queue-size": 256, "logical_block_size": 512,
                         "physical_block_size": 4096, "share-rw": False,
                         "bootindex": 1}, props
        props = {p: qom_get(uri, "dopt", "virtio-disk1", p)
                 for p in ("share-rw", "cyls", "heads", "secs", "werror", "rerror",
                           "bootindex")}
        assert props == {"share-rw": True, "cyls": 100, "heads": 4, "secs": 32,
                         "werror": "auto", "rerror": "auto", "bootindex": -1}, props
        # cache='none' reached QEMU's nodes of vdb (O_DIRECT), not vda's
        blocks = json.loads(virsh(uri, "qemu-monitor-command", "dopt",
                                  '{"execute":"query-block"}').stdout)["return"]
        direct = {b["qdev"].split("/")[3]: b["inserted"]["cache"]["direct"]
                  for b in blocks if b.get("inserted") and "virtio-disk" in b.get("qdev", "")}
        assert direct == {"virtio-disk0": False, "virtio-disk1": True}, (direct, blocks)

        # what the guest sees
        m = re.search(r"<serial type='pty'>\s*<source path='(/dev/pts/\d+)'/>", live)
        assert m, live
        con = PtyConsole(m.group(1))
        wait_for(lambda: "vkguest# " in con.read(), "the guest's shell prompt", timeout=180)
        con.run("for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev "
                "virtio_pci virtio_blk; do insmod /lib/modules/$m.ko 2>/dev/null; done; "
                "i=0; while [ ! -b /dev/vdb ] && [ $i -lt 200 ]; do sleep 0.1; "
                "i=$((i+1)); done", "MODS")
        # virtio_blk uses as many queues as given, at most one per vCPU (2)
        assert con.run("ls -1 /sys/block/vda/mq", "MQ") == ["0", "1"], con.text[-2000:]
        sizes = con.run("cat /sys/block/vda/queue/logical_block_size "
                        "/sys/block/vda/queue/physical_block_size", "BS")
        assert sizes == ["512", "4096"], sizes

        # a live attach with the options
        xml = write(os.path.join(d.root, "vdc.xml"),
                    "<disk type='file' device='disk'>"
                    "<driver name='qemu' type='raw' queues='3' error_policy='enospace'/>"
                    "<source file='%s'/><target dev='vdc' bus='virtio'/><shareable/></disk>"
                    % vdc)
        virsh(uri, "attach-device", "dopt", xml, "--live")
        props = {p: qom_get(uri, "dopt", "virtio-disk2", p)
                 for p in ("share-rw", "num-queues", "werror", "rerror", "bootindex")}
        assert props == {"share-rw": True, "num-queues": 3, "werror": "enospc",
                         "rerror": "auto", "bootindex": -1}, props
        con.run("i=0; while [ ! -d /sys/block/vdc/mq/1 ] && [ $i -lt 200 ]; do sleep 0.1; "
                "i=$((i+1)); done", "WAITC")
        # three queues offered, one per vCPU used
        assert con.run("ls -1 /sys/block/vdc/mq", "MQC") == ["0", "1"], con.text[-2000:]
        live = virsh(uri, "dumpxml", "dopt").stdout
        assert re.search(r"<driver name='qemu' type='raw' error_policy='enospace' "
                         r"queues='3'/>\s*<source file='%s'" % re.escape(vdc), live), live
        virsh(uri, "detach-device", "dopt", xml, "--live")
        wait_for(lambda: "<target dev='vdc'" not in virsh(uri, "dumpxml", "dopt").stdout,
                 "vdc gone from the live definition", timeout=120)
        con.run("i=0; while [ -e /sys/block/vdc ] && [ $i -lt 200 ]; do sleep 0.1; "
                "i=$((i+1)); done", "GONE")
        assert con.run("ls -1 /sys/block", "LS") == ["vda", "vdb"], con.text[-2000:]
        virsh(uri, "destroy", "dopt")
        virsh(uri, "undefine", "dopt")
    finally:
        if con:
            con.close()
        d.stop()


if __name__ == "__main__":
    run_tests([("disk driver options, blockio, geometry and shareable on a real guest",
                test_disk_options)])
