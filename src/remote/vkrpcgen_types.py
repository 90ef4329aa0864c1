# vkrpcgen_types.py: the protocol generator's C emitter for types, XDR filters and procedure tables (PROTO.h, PROTO.c)

from vkrpcgen_parse import PRIMS, DescError

# ---- C emission -------------------------------------------------------------

def cconst(prog, sname, model):
    """C spelling of a size: a constant's macro or the number"""
    if sname.isdigit() or sname.startswith('0x'):
        return sname
    idx = model.programs.index(prog)
    for p in [prog] + model.programs[:idx][::-1]:
        if sname in p.consts:
            return '%s_%s' % (p.prefix.upper(), sname)
    raise DescError('unknown constant %s' % sname)


class Emitter:
    def __init__(self, model, types_only=False):
        self.m = model
        self.elem_prims = set()
        # --types: the types and their filters only (no procedure enum or
        # tables), for a layer's own wire types (src/rpc/virnetprotocol.vkp)
        self.types_only = types_only

    def ctype(self, t):
        """C type of a value of TypeExpr t (not for inline lists/bytes)"""
        if t.kind == 'prim':
            return PRIMS[t.name][0]
        if t.kind == 'str':
            return 'char *'
        if t.kind == 'ref':
            return t.decl.cname if t.decl.kind != 'enum' else 'int32_t'
        if t.kind == 'opt':
            if self.m.is_string(t.inner):
                return 'char *'
            return self.ctype(t.inner) + ' *'
        raise DescError('line %d: no C type for %s' % (t.line, t.kind))

    def field_decl(self, prog, f, indent='    '):
        t = f.type
        if t.kind == 'opaque':
            if t.fixed:
                return '%sguint8 %s[%s];' % (indent, f.name, cconst(prog, t.size[1], self.m))
            return '%suint32_t %s_len;\n%sguint8 *%s_val;' % (indent, f.name, indent, f.name)
        if t.kind == 'chars':
            if t.fixed:
                return '%schar %s[%s];' % (indent, f.name, cconst(prog, t.size[1], self.m))
            return '%suint32_t %s_len;\n%schar *%s_val;' % (indent, f.name, indent, f.name)
        if t.kind == 'array':
            et = self.ctype(t.inner)
            sep = '' if et.endswith('*') else ' '
            return '%suint32_t %s_len;\n%s%s%s*%s_val;' % (indent, f.name, indent, et, sep, f.name)
        ct = self.ctype(t)
        sep = '' if ct.endswith('*') else ' '
        return '%s%s%s%s;' % (indent, ct, sep, f.name)

    def elem_filter(self, prog, t):
        if t.kind == 'prim':
            self.elem_prims.add(t.name)
            return 'vkElem_%s' % t.name
        if t.kind == 'ref':
            return '%s_filter' % t.decl.cname
        raise DescError('line %d: list elements must be named types or primitives' % t.line)

    def code(self, prog, t, lv, base, fname):
        """C expression (bool) coding the value at lvalue lv; base->fname for
        the _len/_val pairs"""
        if t.kind == 'prim':
            return '%s(xdr, &%s)' % (PRIMS[t.name][1], lv)
        if t.kind == 'str':
            return 'virXdrString(xdr, &%s, %s)' % (lv, cconst(prog, t.size[1], self.m))
        if t.kind == 'opaque':
            if t.fixed:
                return 'virXdrOpaqueFixed(xdr, %s, %s)' % (lv, cconst(prog, t.size[1], self.m))
            return 'virXdrOpaqueVar(xdr, &%s%s_val, &%s%s_len, %s)' % (
                base, fname, base, fname, cconst(prog, t.size[1], self.m))
        if t.kind == 'chars':
            if t.fixed:
                return 'virXdrCharFixed(xdr, %s, %s)' % (lv, cconst(prog, t.size[1], self.m))
            return 'virXdrCharVar(xdr, &%s%s_val, &%s%s_len, %s)' % (
                base, fname, base, fname, cconst(prog, t.size[1], self.m))
        if t.kind == 'ref':
            if t.decl.kind == 'enum':
                return 'virXdrInt(xdr, &%s)' % lv
            return '%s_filter(xdr, &%s)' % (t.decl.cname, lv)
        if t.kind == 'opt':
            if self.m.is_string(t.inner):
                return 'virXdrOptString(xdr, &%s, %s)' % (lv, self.strmax(t.inner))
            return 'virXdrPointer(xdr, (void **)&%s, sizeof(%s), %s_filter)' % (
                lv, self.ctype(t.inner), t.inner.decl.cname)
        if t.kind == 'array':
            return ('virXdrArray(xdr, (void **)&%s%s_val, &%s%s_len, %s, sizeof(%s), %d, %s)' % (
                base, fname, base, fname, cconst(prog, t.size[1], self.m),
                self.ctype(t.inner).rstrip(), max(4, self.m.min_wire(t.inner)),
                self.elem_filter(prog, t.inner)))
        raise DescError('line %d: cannot code %s' % (t.line, t.kind))

    def strmax(self, t):
        """C max of the string a (possibly typedef'd) name stands for"""
        while t.kind == 'ref':
            d = t.decl
            t = d.type
            prog = d.prog
        return cconst(prog, t.size[1], self.m)

    # -- ordering: a type is emitted after every type it holds by value
    def deps(self, d):
        out = []

        def add(t, byvalue):
            if t.kind == 'ref':
                if byvalue or t.decl.kind == 'typedef':
                    out.append(t.decl)
            elif t.kind == 'opt':
                add(t.inner, False)
            elif t.kind == 'array':
                add(t.inner, False)
        if d.kind == 'typedef':
            add(d.type, True)
        for f in self.m.fields_of(d):
            add(f.type, True)
        return out

    def ordered(self):
        done, order, busy = set(), [], set()

        def visit(d):
            if id(d) in done:
                return
            if id(d) in busy:
                raise DescError('line %d: type %s depends on itself' % (d.line, d.name))
            busy.add(id(d))
            for x in self.deps(d):
                visit(x)
            busy.discard(id(d))
            done.add(id(d))
            order.append(d)
        for p in self.m.programs:
            for d in p.decl_order:
                visit(d)
        return order

    def header(self, fname):
        m = self.m
        o = []
        w = o.append
        w('/* %s: generated by vkrpcgen.py from %s; do not edit */' % (self.hname, fname))
        w('#pragma once')
        w('')
        w('#include <glib.h>')
        w('#include <stdbool.h>')
        w('#include <stddef.h>')
        w('#include <stdint.h>')
        w('')
        w('#include "virxdr.h"')
        w('')
        w('/*')
        w(' * Every type T has a filter T_filter(virXdr *, void *) that encodes,')
        w(' * decodes or frees it (virxdr.h). Counted lists and variable bytes are')
        w(' * two members, <f>_len and <f>_val; optional strings are char * (NULL =')
        w(' * absent), other optional values pointers. Decoded values own their')
        w(' * memory: virXdrFree(T_filter, &obj).')
        w(' */')
        for p in m.programs:
            w('')
            w('/* ---- program %s (0x%08x version %d) ---- */' % (p.name, p.number, p.version))
            w('')
            for c in p.const_order:
                w('#define %s_%s %s' % (p.prefix.upper(), c, self.cnum(p.consts[c])))
            procs = sorted(p.procs.values(), key=lambda x: x.num)
            if not self.types_only:
                w('')
                w('typedef enum {')
                for pr in procs:
                    w('    %s = %d,' % (pr.cname, pr.num))
                w('    %s_PROC_LAST = %d' % (p.prefix.upper(), procs[-1].num + 1 if procs else 1))
                w('} %s_procedure;' % p.prefix)
            for d in p.decl_order:
                if d.kind == 'enum':
                    w('')
                    w('enum {')
                    for n, v in d.items:
                        w('    %s_%s = %d,' % (p.prefix.upper(), n, v))
                    w('};')
        w('')
        w('/* ---- types ---- */')
        w('')
        for p in m.programs:
            for d in p.decl_order:
                if d.kind in ('struct', 'union'):
                    w('typedef struct %s %s;' % (d.cname, d.cname))
        for d in self.ordered():
            w('')
            if d.kind == 'typedef':
                t = d.type
                if t.kind == 'opaque' and t.fixed:
                    w('typedef guint8 %s[%s];' % (d.cname, cconst(d.prog, t.size[1], m)))
                elif t.kind == 'chars' and t.fixed:
                    w('typedef char %s[%s];' % (d.cname, cconst(d.prog, t.size[1], m)))
                elif t.kind in ('opaque', 'chars'):
                    raise DescError('line %d: typedef of variable bytes: use a struct' % d.line)
                else:
                    ct = self.ctype(t)
                    w('typedef %s%s%s;' % (ct, '' if ct.endswith('*') else ' ', d.cname))
            elif d.kind == 'enum':
                w('typedef int32_t %s;' % d.cname)
            elif d.kind == 'struct':
                w('struct %s {' % d.cname)
                for f in d.fields:
                    w(self.field_decl(d.prog, f))
                if not d.fields:
                    w('    char dummy_;  /* no members on the wire */')
                w('};')
            else:
                w('struct %s {' % d.cname)
                w(self.field_decl(d.prog, d.disc))
                w('    union {')
                for _, f in d.arms:
                    w(self.field_decl(d.prog, f, '        '))
                w('    } %s_u;' % d.cname)
                w('};')
            w('bool %s_filter(virXdr *xdr, void *obj);' % d.cname)
        if self.types_only:
            return '\n'.join(o) + '\n'
        w('')
        w(TABLE_DECL)
        for p in m.programs:
            w('/* Procedures of program %s, by number: NULL outside 1..%s_PROC_LAST-1. */'
              % (p.name, p.prefix.upper()))
            w('const remoteProcedure *%sProcedureLookup(int proc);' % self.lc(p.prefix))
        return '\n'.join(o) + '\n'

    @staticmethod
    def lc(prefix):
        parts = prefix.split('_')
        return parts[0] + ''.join(x.capitalize() for x in parts[1:])

    @staticmethod
    def cnum(v):
        return ('0x%x' % v) if v > 0xffff else str(v)

    def source(self, fname, hname):
        m = self.m
        body = []
        w = body.append
        for d in self.ordered():
            w('')
            w('bool')
            w('%s_filter(virXdr *xdr, void *obj)' % d.cname)
            w('{')
            if d.kind == 'typedef':
                t = d.type
                if t.kind == 'opaque':
                    w('    return virXdrOpaqueFixed(xdr, obj, %s);' % cconst(d.prog, t.size[1], m))
                elif t.kind == 'chars':
                    w('    return virXdrCharFixed(xdr, obj, %s);' % cconst(d.prog, t.size[1], m))
                else:
                    w('    %s *v = obj;' % d.cname)
                    w('')
                    w('    return %s;' % self.code(d.prog, t, '(*v)', 'v->', 'x'))
            elif d.kind == 'enum':
                w('    return virXdrInt(xdr, obj);')
            elif d.kind == 'struct':
                if not d.fields:
                    w('    (void)obj;')
                    w('    return !virXdrFailed(xdr);')
                else:
                    w('    %s *v = obj;' % d.cname)
                    w('')
                    parts = [self.code(d.prog, f.type, 'v->' + f.name, 'v->', f.name)
                             for f in d.fields]
                    w('    return ' + ' &&\n           '.join(parts) + ';')
            else:
                w('    %s *v = obj;' % d.cname)
                w('')
                w('    if (!%s)' % self.code(d.prog, d.disc.type, 'v->' + d.disc.name, 'v->',
                                            d.disc.name))
                w('        return false;')
                w('    switch (v->%s) {' % d.disc.name)
                for val, f in d.arms:
                    w('    case %d:' % val)
                    u = 'v->%s_u.' % d.cname
                    w('        return %s;' % self.code(d.prog, f.type, u + f.name, u, f.name))
                w('    default:')
                w('        /* Nothing was decoded into the arms: nothing to free. */')
                w('        if (xdr->op == VIR_XDR_FREE)')
                w('            return true;')
                w('        return virXdrSetError(xdr, "unknown union discriminant");')
                w('    }')
            w('}')
        o = []
        w = o.append
        w('/* %s: generated by vkrpcgen.py from %s; do not edit */' % (
            hname[:-2] + '.c', fname))
        w('#define G_LOG_DOMAIN "virtkit.%s.protocol"' % ('rpc' if self.types_only else 'remote'))
        w('#include <libvirt/virterror.h>')
        w('')
        w('#include "%s"' % hname)
        for prim in sorted(self.elem_prims):
            w('')
            w('static bool')
            w('vkElem_%s(virXdr *xdr, void *obj)' % prim)
            w('{')
            w('    return %s(xdr, obj);' % PRIMS[prim][1])
            w('}')
        o.extend(body)
        if not self.types_only:
            for p in m.programs:
                o.extend(self.table(p))
            o.extend(self.program_table())
        return '\n'.join(o) + '\n'

    def table(self, p):
        o = ['']
        w = o.append
        arr = '%sProcedures' % self.lc(p.prefix)
        w('static const remoteProcedure %s[] = {' % arr)
        for pr in sorted(p.procs.values(), key=lambda x: x.num):
            a = pr.msg if pr.event else pr.args
            r = None if pr.event else pr.ret
            flags = []
            if pr.event:
                flags.append('REMOTE_PROC_EVENT')
            if 'prio' in pr.attrs:
                flags.append('REMOTE_PROC_PRIORITY')
            if 'ro' in pr.attrs:
                flags.append('REMOTE_PROC_READONLY_OK')
            if pr.attrs.get('stream') == 'read':
                flags.append('REMOTE_PROC_STREAM_READ')
            if pr.attrs.get('stream') == 'write':
                flags.append('REMOTE_PROC_STREAM_WRITE')
            if pr.attrs.get('fds') in ('in', 'both'):
                flags.append('REMOTE_PROC_FDS_IN')
            if pr.attrs.get('fds') in ('out', 'both'):
                flags.append('REMOTE_PROC_FDS_OUT')
            api = pr.attrs.get('api')
            flagsfield = None
            if pr.args:
                for f in pr.args.fields:
                    if f.name == 'flags' and f.type.kind == 'prim' and f.type.name == 'uint':
                        flagsfield = 'offsetof(%s, flags)' % pr.args.cname
            if ('rosecure' in pr.attrs or 'roflags' in pr.attrs) and not flagsfield:
                raise DescError('line %d: rosecure/roflags need a "flags: uint" argument' % pr.line)
            w('    [%s] = {' % pr.cname)
            w('        .proc = %s, .name = "%s",' % (pr.cname, pr.name))
            if a:
                w('        .argsFilter = %s_filter, .argsSize = sizeof(%s),' % (a.cname, a.cname))
            if r:
                w('        .retFilter = %s_filter, .retSize = sizeof(%s),' % (r.cname, r.cname))
            if api:
                w('        .api = "%s", .errDomain = VIR_FROM_%s,' % (api[0], api[1]))
            if pr.event:
                w('        .isEvent = true,')
            w('        .flags = %s,' % (' | '.join(flags) if flags else '0'))
            if flagsfield:
                w('        .flagsOffset = %s,' % flagsfield)
            else:
                w('        .flagsOffset = -1,')
            if 'rosecure' in pr.attrs:
                w('        .roSecureMask = 0x%x,' % pr.attrs['rosecure'])
            if 'roflags' in pr.attrs:
                w('        .roFlagsMask = 0x%x,' % pr.attrs['roflags'])
            w('    },')
        w('};')
        w('')
        w('const remoteProcedure *')
        w('%sProcedureLookup(int proc)' % self.lc(p.prefix))
        w('{')
        w('    if (proc <= 0 || (size_t)proc >= G_N_ELEMENTS(%s) || !%s[proc].name)' % (arr, arr))
        w('        return NULL;')
        w('    return &%s[proc];' % arr)
        w('}')
        return o

    def program_table(self):
        o = ['', 'static const remoteProgram remotePrograms[] = {']
        for p in self.m.programs:
            arr = '%sProcedures' % self.lc(p.prefix)
            o.append('    { 0x%08x, %d, "%s", %s, G_N_ELEMENTS(%s) },' % (
                p.number, p.version, p.name, arr, arr))
        o.append('};')
        o.append(PROGRAM_FUNCS)
        return o


TABLE_DECL = '''/* ---- procedure tables ---- */

typedef enum {
    REMOTE_PROC_EVENT = 1 << 0,         /* a MESSAGE (body in args*), not a call */
    REMOTE_PROC_PRIORITY = 1 << 1,      /* may run on the priority pool */
    REMOTE_PROC_READONLY_OK = 1 << 2,   /* allowed on a read-only connection */
    REMOTE_PROC_STREAM_READ = 1 << 3,   /* opens a stream, daemon -> client */
    REMOTE_PROC_STREAM_WRITE = 1 << 4,  /* opens a stream, client -> daemon */
    REMOTE_PROC_FDS_IN = 1 << 5,        /* the call carries fds */
    REMOTE_PROC_FDS_OUT = 1 << 6,       /* the reply carries fds */
} remoteProcedureFlags;

/*
 * One procedure. A NULL filter means a void payload. For events
 * (REMOTE_PROC_EVENT) args* describe the message body and ret* are unused.
 * @api is the public API libvirt names in its "not supported" and
 * read-only errors (NULL for procedures behind no API, e.g. AUTH_*), with
 * @errDomain its VIR_FROM_*. @flagsOffset is the offset of the arguments'
 * "flags" member (-1 if none); on read-only connections a call whose flags
 * meet @roSecureMask is refused as "<api> with secure flag" and one meeting
 * @roFlagsMask as "read only access prevents <api>".
 */
typedef struct _remoteProcedure remoteProcedure;
struct _remoteProcedure {
    int proc;
    const char *name;
    virXdrFilter argsFilter;
    size_t argsSize;
    virXdrFilter retFilter;
    size_t retSize;
    bool isEvent;                       /* == !!(flags & REMOTE_PROC_EVENT) */
    const char *api;
    int errDomain;
    unsigned int flags;
    int flagsOffset;
    unsigned int roSecureMask;
    unsigned int roFlagsMask;
};

typedef struct _remoteProgram remoteProgram;
struct _remoteProgram {
    uint32_t prog;
    uint32_t vers;
    const char *name;
    const remoteProcedure *procs;       /* indexed by number */
    size_t nprocs;
};

/* The program with number @prog and version @vers, NULL if none. */
const remoteProgram *remoteProgramLookup(uint32_t prog, uint32_t vers);
/* Procedure @proc of @prog, NULL if it has none of that number. */
const remoteProcedure *remoteProgramProcedure(const remoteProgram *prog, int proc);
/* REMOTE_PROGRAM's procedure name ("DOMAIN_LOOKUP_BY_NAME"), NULL if unknown. */
const char *remoteProcedureName(int proc);
/* The flags argument of decoded @args of @p (0 if it has none). */
unsigned int remoteProcedureArgFlags(const remoteProcedure *p, const void *args);
'''

PROGRAM_FUNCS = '''
const remoteProgram *
remoteProgramLookup(uint32_t prog, uint32_t vers)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(remotePrograms); i++) {
        if (remotePrograms[i].prog == prog && remotePrograms[i].vers == vers)
            return &remotePrograms[i];
    }
    return NULL;
}

const remoteProcedure *
remoteProgramProcedure(const remoteProgram *prog, int proc)
{
    if (!prog || proc <= 0 || (size_t)proc >= prog->nprocs || !prog->procs[proc].name)
        return NULL;
    return &prog->procs[proc];
}

const char *
remoteProcedureName(int proc)
{
    const remoteProcedure *p = remoteProcedureLookup(proc);

    return p ? p->name : NULL;
}

unsigned int
remoteProcedureArgFlags(const remoteProcedure *p, const void *args)
{
    uint32_t v;

    if (!p || p->flagsOffset < 0 || !args)
        return 0;
    memcpy(&v, (const char *)args + p->flagsOffset, sizeof(v));
    return v;
}'''
