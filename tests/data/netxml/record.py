#!/usr/bin/python3
# Records what libvirt 9.0's test driver (python3-libvirt, test:///default)
# makes of each case-*.xml: the XML it formats back (case-N.out) or the
# error it reports (case-N.err: "code domain message"). networkconftest
# compares virtkit's parser and formatter with these.
import glob, os, libvirt
libvirt.registerErrorHandler(lambda c, e: None, None)
here = os.path.dirname(os.path.abspath(__file__))
conn = libvirt.open('test:///default')
for path in sorted(glob.glob(os.path.join(here, 'case-*.xml'))):
    base = path[:-4]
    for ext in ('.out', '.err'):
        if os.path.exists(base + ext):
            os.unlink(base + ext)
    try:
        net = conn.networkDefineXML(open(path).read())
        open(base + '.out', 'w').write(net.XMLDesc(0))
        net.undefine()
    except libvirt.libvirtError as e:
        open(base + '.err', 'w').write('%d %d %s\n' % (e.get_error_code(), e.get_error_domain(), e.get_error_message()))
