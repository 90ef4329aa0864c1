#!/usr/bin/python3
"""record.py: what libvirt 9.0's test driver makes of each case-NAME.xml here.

For each case, on a fresh test:///default connection, against its domain
'test' (whose definition is domain.xml): a case whose name contains "redef"
is redefined (VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE; a <parent> it names is
redefined first), any other is created. Writes case-NAME.out (the
checkpoint's XML with VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN; a new one's
<creationTime> line dropped: it is the time of the run) or case-NAME.err
("code domain message" of the error). Run with Debian's python3-libvirt;
checkpointconftest.c compares virtkit against these files.
"""
import glob
import os
import re

import libvirt

libvirt.registerErrorHandler(lambda ctx, err: None, None)
here = os.path.dirname(os.path.abspath(__file__))

for path in sorted(glob.glob(os.path.join(here, "case-*.xml"))):
    base = path[:-len(".xml")]
    name = os.path.basename(base)
    with open(path) as f:
        xml = f.read()
    for old in (base + ".out", base + ".err"):
        if os.path.exists(old):
            os.unlink(old)
    conn = libvirt.open("test:///default")
    dom = conn.lookupByName("test")
    redef = "redef" in name
    flags = libvirt.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE if redef else 0
    m = re.search(r"<parent>\s*<name>([^<]*)</name>", xml)
    if redef and m:
        dom.checkpointCreateXML("<domaincheckpoint><name>%s</name><creationTime>1"
                                "</creationTime></domaincheckpoint>" % m.group(1), flags)
    try:
        cp = dom.checkpointCreateXML(xml, flags)
        out = cp.getXMLDesc(libvirt.VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN)
        if not redef:
            out = re.sub(r"  <creationTime>\d+</creationTime>\n", "", out)
        with open(base + ".out", "w") as f:
            f.write(out)
        del cp
    except libvirt.libvirtError as e:
        with open(base + ".err", "w") as f:
            f.write("%d %d %s\n" % (e.get_error_code(), e.get_error_domain(),
                                    e.get_error_message()))
    del dom
    conn.close()
