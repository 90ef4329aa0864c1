#!/usr/bin/python3
"""python3-libvirt's host interface definitions (virInterfaceDefineXML and
its errors), one line per document: the XML libvirt formats back, or
"CODE DOMAIN MESSAGE". test_network.py compares what it prints through
virtkitd's test driver with what it printed through libvirtd's
(tests/data/daemon/python-ifaces.golden, record-sysvirt.sh).

Usage: python-ifaces.py URI"""
import sys

import libvirt

libvirt.registerErrorHandler(lambda c, e: None, None)
c = libvirt.open(sys.argv[1])
DOCS = ["<interface type='ethernet' name='e0'><mtu size='abc'/></interface>",
          "<interface type='ethernet' name='e0'><mtu size='-5'/></interface>",
          "<interface type='ethernet' name='e0'><mtu size='200000'/></interface>",
          "<interface type='ethernet' name='e0'><mtu size=''/></interface>",
          "<interface type='ethernet' name='e0'><start mode='x'/></interface>",
          "<interface type='ethernet' name='e0'><protocol/></interface>",
          "<interface type='ethernet' name='e0'><protocol family='ipx'/></interface>",
          "<interface type='ethernet' name='e0'><protocol family='ipv4'><ip address='1.2.3.4' prefix='x'/></protocol></interface>",
          "<interface type='ethernet' name='e0'><protocol family='ipv4'><dhcp peerdns='maybe'/></protocol></interface>",
          "<interface type='ethernet' name='e0'><link state='bogus'/></interface>",
          "<interface type='ethernet' name='e0'><link state=''/></interface>",
          "<interface type='ethernet' name='e0'><link speed='x'/></interface>",
          "<interface type='bond' name='b0'><bond mode='x'/></interface>",
          "<interface type='bond' name='b0'><bond><miimon/></bond></interface>",
          "<interface type='bond' name='b0'><bond><miimon freq='1' downdelay='x'/></bond></interface>",
          "<interface type='bond' name='b0'><bond><miimon freq='1' carrier='x'/></bond></interface>",
          "<interface type='bond' name='b0'><bond><arpmon interval='1'/></bond></interface>",
          "<interface type='bond' name='b0'><bond><arpmon interval='1' target='1.1.1.1' validate='x'/></bond></interface>",
          "<interface type='bond' name='b0'/>",
          "<interface type='vlan' name='v0'/>",
          "<interface type='vlan' name='v0'><vlan/></interface>",
          "<interface type='vlan' name='v0'><vlan tag='4'/></interface>",
          "<interface type='bridge' name='b0'><bridge stp='maybe'/></interface>",
          "<interface name='x'/>",
          "<interface type='ethernet' name=''/>",
          "<interface type='bridge' name='b0'><bridge><interface type='ethernet'/></bridge></interface>",
          "<network><name>n</name></network>", "<interface", "", "<interface type='ethernet' name='e0'><mtu size='4294967296'/></interface>", "<interface type='ethernet' name='e0'><mtu size='100001'/></interface>", "<interface type='ethernet' name='e0'><mtu size='+5'/></interface>", "<interface type='ethernet' name='e0'><link speed='-1'/></interface>","<interface type='ethernet' name='e0'><protocol family='ipv4'><ip address='1.2.3.4' prefix='-3'/><ip/><route/></protocol></interface>"]

for x in DOCS:
    try:
        i = c.interfaceDefineXML(x)
        print("OK", repr(i.XMLDesc()))
        i.undefine()
    except libvirt.libvirtError as e:
        print(e.get_error_code(), e.get_error_domain(), e.get_error_message())
