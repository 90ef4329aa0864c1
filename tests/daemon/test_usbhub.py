#!/usr/bin/env python3
"""USB hubs through virtkitd, as libvirt 9.0 makes them (issue 10).

A guest with more USB devices than its controller has ports, defined with
Debian's virsh: the definition gains a <hub type='usb'> at port 1 and the
devices the ports libvirtd gives them (seen on libvirtd: tablet at 2, mouse
1.1, keyboard 1.2); started (paused: no boot needed), QEMU's own USB tree
("info usb") has the hub at port 1 and each device where the XML says.
An address behind a port without a hub is refused with libvirt's error and
nothing is defined.
"""
import json
import os
import re

from vkdtest import Daemon, run_tests, virsh, write

GUEST = """<domain type='qemu'>
  <name>hubvm</name>
  <memory unit='KiB'>65536</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='piix3-uhci'/>
    <input type='tablet' bus='usb'/>
    <input type='mouse' bus='usb'/>
    <input type='keyboard' bus='usb'/>
  </devices>
</domain>
"""


def test_hub_added_and_in_qemu():
    d = Daemon().start()
    uri = d.uri()
    virsh(uri, "define", write(os.path.join(d.root, "hubvm.xml"), GUEST))
    x = virsh(uri, "dumpxml", "--inactive", "hubvm").stdout
    want = [("tablet", "2"), ("mouse", "1.1"), ("keyboard", "1.2")]
    for kind, port in want:
        assert re.search(r"<input type='%s' bus='usb'>\s*<address type='usb' bus='0' "
                         r"port='%s'/>" % (kind, port), x), (kind, port, x)
    assert re.search(r"<hub type='usb'>\s*<address type='usb' bus='0' port='1'/>\s*</hub>",
                     x), x
    assert x.count("<hub ") == 1, x
    virsh(uri, "start", "--paused", "hubvm")
    usb = json.loads(virsh(uri, "qemu-monitor-command", "hubvm",
                           json.dumps({"execute": "human-monitor-command",
                                       "arguments": {"command-line": "info usb"}})).stdout)
    usb = usb["return"]
    for port, product in (("1", "QEMU USB Hub"), ("2", "QEMU USB Tablet"),
                          ("1.1", "QEMU USB Mouse"), ("1.2", "QEMU USB Keyboard")):
        assert re.search(r"Port %s, Speed [^,]+, Product %s" % (re.escape(port), product),
                         usb), (port, product, usb)
    virsh(uri, "destroy", "hubvm")

    bad = GUEST.replace("<name>hubvm</name>", "<name>badhub</name>").replace(
        "<input type='tablet' bus='usb'/>",
        "<input type='tablet' bus='usb'><address type='usb' bus='0' port='2.1'/></input>")
    p = virsh(uri, "define", write(os.path.join(d.root, "bad.xml"), bad), check=False)
    assert p.returncode == 1 and p.stderr.strip().endswith(
        "XML error: there is no hub at port 2 in USB address bus: 0 port: 2.1"), p.stderr
    assert "badhub" not in virsh(uri, "list", "--all", "--name").stdout
    d.stop()


if __name__ == "__main__":
    run_tests([
        ("a hub where the ports run out, as libvirtd adds it; QEMU has it and the devices "
         "behind it", test_hub_added_and_in_qemu),
    ])
