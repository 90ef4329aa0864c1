#!/usr/bin/python3
"""Records what libvirt 9.0's libvirtd makes of each case-*.xml here:
case-NAME.out (nwfilter-dumpxml after defining it) or case-NAME.err
("code domain message" of the error); where defining that output again
gives something else (libvirt's format is not always a fixed point),
case-NAME.reparse holds it. Never run by the tests.

Usage: record.py URI   (a libvirtd with the nwfilter driver, e.g. one run
isolated as scripts/bench.sh shows; the filters are undefined again)
"""
import glob
import os
import sys

import libvirt

libvirt.registerErrorHandler(lambda *a: None, None)
conn = libvirt.open(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
for path in sorted(glob.glob(os.path.join(here, "case-*.xml"))):
    base = path[:-4]
    for old in (base + ".out", base + ".err", base + ".reparse"):
        if os.path.exists(old):
            os.unlink(old)
    with open(path) as f:
        xml = f.read()
    try:
        flt = conn.nwfilterDefineXML(xml)
    except libvirt.libvirtError as e:
        with open(base + ".err", "w") as f:
            f.write("%d %d %s\n" % (e.get_error_code(), e.get_error_domain(),
                                    e.get_error_message()))
        continue
    out = flt.XMLDesc(0)
    with open(base + ".out", "w") as f:
        f.write(out)
    flt.undefine()
    flt = conn.nwfilterDefineXML(out)
    again = flt.XMLDesc(0)
    flt.undefine()
    if again != out:
        with open(base + ".reparse", "w") as f:
            f.write(again)
