#!/usr/bin/env python3
# vkrpcgen.py: generate C types, XDR filters and procedure tables from a .vkp protocol description
#
# Usage: vkrpcgen.py DESCRIPTION.vkp PROTO.h PROTO.c CLIENT.h CLIENT.c SERVER.h SERVER.c
#
# The description's syntax is documented at the top of protocol.vkp and in
# docs/HACKING.md. This script is a small tokenizer + recursive-descent
# parser building a model (programs, constants, types, procedures), a
# checker (every name resolves, numbers unique, limits known), all in
# vkrpcgen_parse.py; and the C emitters: types, XDR filters and tables in
# vkrpcgen_types.py, client stubs and dispatch skeletons in
# vkrpcgen_stubs.py. This file is the command. Errors name the file and
# line and exit 1, so a mistake in the description fails the build, never
# the wire.

import sys

# the modules beside this file are imported from the source tree: no
# __pycache__ written there by the build
sys.dont_write_bytecode = True
from vkrpcgen_parse import DescError, Model, Parser  # noqa: E402
from vkrpcgen_stubs import ClientEmitter, ServerEmitter  # noqa: E402
from vkrpcgen_types import Emitter  # noqa: E402


def main_types(argv):
    """--types DESCRIPTION.vkp PROTO.h PROTO.c: types and filters only."""
    src, hout, cout = argv[2:]
    fname = src.rsplit('/', 1)[-1]
    try:
        with open(src) as f:
            programs = Parser(f.read(), fname).parse()
        model = Model(programs, fname)
        for p in programs:
            if p.procs:
                raise DescError('%s: --types takes a description without procedures' % fname)
        em = Emitter(model, types_only=True)
        em.hname = hout.rsplit('/', 1)[-1]
        htext = em.header(fname)
        ctext = em.source(fname, em.hname)
    except DescError as e:
        sys.stderr.write('vkrpcgen: %s\n' % e)
        return 1
    for path, text in ((hout, htext), (cout, ctext)):
        with open(path, 'w') as f:
            f.write(text)
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == '--types':
        return main_types(argv)
    if len(argv) != 8:
        sys.stderr.write('usage: vkrpcgen.py DESCRIPTION.vkp PROTO.h PROTO.c CLIENT.h CLIENT.c '
                         'SERVER.h SERVER.c\n'
                         '       vkrpcgen.py --types DESCRIPTION.vkp PROTO.h PROTO.c\n')
        return 2
    src, hout, cout, clh, clc, svh, svc = argv[1:]
    fname = src.rsplit('/', 1)[-1]
    try:
        with open(src) as f:
            programs = Parser(f.read(), fname).parse()
        model = Model(programs, fname)
        em = Emitter(model)
        em.hname = hout.rsplit('/', 1)[-1]
        htext = em.header(fname)
        ctext = em.source(fname, hout.rsplit('/', 1)[-1])
        ce = ClientEmitter(model)
        clhtext = ce.header(fname, hout.rsplit('/', 1)[-1])
        clctext = ce.source(fname, clh.rsplit('/', 1)[-1])
        se = ServerEmitter(model)
        svhtext = se.header(fname)
        svctext = se.source(fname, svh.rsplit('/', 1)[-1])
        ctext = ctext.replace('#include <libvirt/virterror.h>\n',
                              '#include <string.h>\n#include <libvirt/virterror.h>\n', 1)
    except DescError as e:
        sys.stderr.write('vkrpcgen: %s\n' % e)
        return 1
    for path, text in ((hout, htext), (cout, ctext), (clh, clhtext), (clc, clctext),
                       (svh, svhtext), (svc, svctext)):
        with open(path, 'w') as f:
            f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
