#!/usr/bin/env python3
# vkrpcgen.py: generate C types, XDR filters and procedure tables from a .vkp protocol description
#
# Usage: vkrpcgen.py DESCRIPTION.vkp PROTO.h PROTO.c CLIENT.h CLIENT.c SERVER.h SERVER.c
#
# The description's syntax is documented at the top of protocol.vkp and in
# docs/HACKING.md. This script is a small tokenizer + recursive-descent
# parser building a model (programs, constants, types, procedures), a
# checker (every name resolves, numbers unique, limits known), and two
# emitters (header, source). Errors name the file and line and exit 1, so
# a mistake in the description fails the build, never the wire.

import re
import sys

PRIMS = {
    # name: (C type, virxdr primitive, wire size)
    'int': ('int32_t', 'virXdrInt', 4),
    'uint': ('uint32_t', 'virXdrUInt', 4),
    'hyper': ('int64_t', 'virXdrHyper', 8),
    'uhyper': ('uint64_t', 'virXdrUHyper', 8),
    'double': ('double', 'virXdrDouble', 8),
    'bool': ('int32_t', 'virXdrBool', 4),
    # XDR has no narrow integers: char/short travel as 4-byte ints and are
    # kept that wide in memory (libvirt's "unsigned char state" etc.).
    'char': ('int32_t', 'virXdrInt', 4),
    'short': ('int32_t', 'virXdrInt', 4),
    'uchar': ('uint32_t', 'virXdrUInt', 4),
    'ushort': ('uint32_t', 'virXdrUInt', 4),
}

ERRDOMAINS = {
    'NONE', 'DOMAIN', 'NETWORK', 'STORAGE', 'NODEDEV', 'INTERFACE', 'SECRET',
    'NWFILTER', 'DOMAIN_SNAPSHOT', 'DOMAIN_CHECKPOINT', 'STREAMS', 'QEMU', 'RPC',
}


class DescError(Exception):
    pass


# ---- tokens ---------------------------------------------------------------

TOKEN_RE = re.compile(r'''
    (?P<ws>[ \t\r]+) | (?P<nl>\n) | (?P<comment>\#[^\n]*) |
    (?P<num>0x[0-9a-fA-F]+|\d+) |
    (?P<word>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<arrow>=>) |
    (?P<punct>[{}<>\[\]?:;=,()@])
''', re.X)


class Tok:
    def __init__(self, kind, text, line):
        self.kind, self.text, self.line = kind, text, line

    def __repr__(self):
        return '%r' % self.text


def tokenize(text, fname):
    toks, line, pos = [], 1, 0
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise DescError('%s:%d: unexpected character %r' % (fname, line, text[pos]))
        kind = m.lastgroup
        if kind == 'nl':
            line += 1
            toks.append(Tok('nl', '\n', line - 1))
        elif kind not in ('ws', 'comment'):
            toks.append(Tok(kind, m.group(kind), line))
        pos = m.end()
    toks.append(Tok('eof', '', line))
    return toks


# ---- model ----------------------------------------------------------------

class TypeExpr:
    """kind: prim | str | opaque | chars | ref | opt | array"""

    def __init__(self, kind, line, name=None, size=None, fixed=False, inner=None):
        self.kind, self.line = kind, line
        self.name, self.size, self.fixed, self.inner = name, size, fixed, inner
        self.decl = None        # resolved declaration for refs


class Field:
    def __init__(self, name, texpr, line):
        self.name, self.type, self.line = name, texpr, line


class Decl:
    """kind: typedef | struct | union | enum"""

    def __init__(self, kind, name, prog, line):
        self.kind, self.name, self.prog, self.line = kind, name, prog, line
        self.fields = []        # struct
        self.type = None        # typedef
        self.items = []         # enum: (name, value)
        self.disc = None        # union: Field
        self.arms = []          # union: (value, Field)

    @property
    def cname(self):
        return '%s_%s' % (self.prog.prefix, self.name)


class Proc:
    def __init__(self, num, name, event, prog, line):
        self.num, self.name, self.event, self.prog, self.line = num, name, event, prog, line
        self.attrs = {}
        self.args = self.ret = self.msg = None

    @property
    def cname(self):
        return '%s_PROC_%s' % (self.prog.prefix.upper(), self.name)


class Program:
    def __init__(self, name, number, version, line):
        self.name, self.number, self.version, self.line = name, number, version, line
        self.prefix = name
        self.consts = {}        # name -> int
        self.const_order = []
        self.decls = {}         # name -> Decl
        self.decl_order = []
        self.procs = {}         # num -> Proc


# ---- parser ---------------------------------------------------------------

class Parser:
    def __init__(self, text, fname):
        self.fname = fname
        self.toks = [t for t in tokenize(text, fname)]
        self.i = 0
        self.programs = []
        self.prog = None

    def err(self, msg, line=None):
        raise DescError('%s:%d: %s' % (self.fname, line or self.peek().line, msg))

    def skipnl(self):
        while self.toks[self.i].kind == 'nl':
            self.i += 1

    def peek(self):
        self.skipnl()
        return self.toks[self.i]

    def next(self):
        t = self.peek()
        self.i += 1
        return t

    def accept(self, text):
        if self.peek().text == text and self.peek().kind != 'eof':
            return self.next()
        return None

    def expect(self, text):
        t = self.next()
        if t.text != text:
            self.err('expected %r, found %r' % (text, t.text), t.line)
        return t

    def word(self):
        t = self.next()
        if t.kind != 'word':
            self.err('expected a name, found %r' % t.text, t.line)
        return t.text

    def number(self):
        t = self.next()
        if t.kind != 'num':
            self.err('expected a number, found %r' % t.text, t.line)
        return int(t.text, 0)

    def value(self):
        """a number or a constant's name"""
        t = self.next()
        if t.kind == 'num':
            return int(t.text, 0), t.text
        if t.kind == 'word':
            return self.const_value(t.text, t.line), t.text
        self.err('expected a number or constant, found %r' % t.text, t.line)

    def const_value(self, name, line):
        for p in [self.prog] + self.programs[::-1]:
            if p and name in p.consts:
                return p.consts[name]
        self.err('unknown constant %s' % name, line)

    def parse(self):
        while self.peek().kind != 'eof':
            t = self.peek()
            kw = self.word()
            if kw == 'program':
                self.program(t.line)
                continue
            if not self.prog:
                self.err('%s before any "program"' % kw, t.line)
            if kw == 'const':
                name = self.word()
                self.expect('=')
                val, _ = self.value()
                if name in self.prog.consts:
                    self.err('constant %s defined twice' % name, t.line)
                self.prog.consts[name] = val
                self.prog.const_order.append(name)
            elif kw == 'type':
                d = self.newdecl('typedef', t.line)
                self.expect('=')
                d.type = self.texpr()
            elif kw == 'struct':
                d = self.newdecl('struct', t.line)
                d.fields = self.body()
            elif kw == 'enum':
                d = self.newdecl('enum', t.line)
                self.expect('{')
                while not self.accept('}'):
                    n = self.word()
                    self.expect('=')
                    v, _ = self.value()
                    d.items.append((n, v))
                    if not self.accept(','):
                        self.expect('}')
                        break
            elif kw == 'union':
                d = self.newdecl('union', t.line)
                self.expect('switch')
                self.expect('(')
                dl = self.peek().line
                dn = self.word()
                self.expect(':')
                d.disc = Field(dn, self.texpr(), dl)
                if d.disc.type.kind != 'prim' or d.disc.type.name not in ('int', 'uint'):
                    self.err('union discriminant must be int or uint', dl)
                self.expect(')')
                self.expect('{')
                seen = set()
                while not self.accept('}'):
                    v, _ = self.value()
                    if v in seen:
                        self.err('union %s: case %d twice' % (d.name, v))
                    seen.add(v)
                    self.expect('=>')
                    fl = self.peek().line
                    fn = self.word()
                    self.expect(':')
                    d.arms.append((v, Field(fn, self.texpr(), fl)))
            elif kw in ('proc', 'event'):
                self.proc(kw == 'event', t.line)
            else:
                self.err('unknown keyword %r' % kw, t.line)
        if self.prog:
            self.programs.append(self.prog)
        return self.programs

    def program(self, line):
        if self.prog:
            self.programs.append(self.prog)
        name = self.word()
        num = self.number()
        self.expect('version')
        ver = self.number()
        if any(p.name == name or p.number == num for p in self.programs):
            self.err('program %s / 0x%x defined twice' % (name, num), line)
        self.prog = Program(name, num, ver, line)

    def newdecl(self, kind, line):
        name = self.word()
        if name in self.prog.decls:
            self.err('type %s defined twice' % name, line)
        d = Decl(kind, name, self.prog, line)
        self.prog.decls[name] = d
        self.prog.decl_order.append(d)
        return d

    def body(self):
        fields = []
        self.expect('{')
        while not self.accept('}'):
            line = self.peek().line
            n = self.word()
            self.expect(':')
            if any(f.name == n for f in fields):
                self.err('field %s twice' % n, line)
            fields.append(Field(n, self.texpr(), line))
            if not self.accept(';'):
                self.expect('}')
                break
        return fields

    def texpr(self):
        t = self.next()
        if t.kind != 'word':
            self.err('expected a type, found %r' % t.text, t.line)
        n = t.text
        if n in ('str', 'opaque'):
            kind = 'str' if n == 'str' else 'opaque'
            if self.accept('<'):
                size, sname = self.value()
                self.expect('>')
                return TypeExpr(kind, t.line, size=(size, sname), fixed=False)
            if kind == 'opaque' and self.accept('['):
                size, sname = self.value()
                self.expect(']')
                return TypeExpr(kind, t.line, size=(size, sname), fixed=True)
            self.err('%s needs <MAX>%s' % (n, ' or [N]' if n == 'opaque' else ''), t.line)
        if n == 'char' and self.peek().text in ('<', '['):
            fixed = self.next().text == '['
            size, sname = self.value()
            self.expect(']' if fixed else '>')
            return TypeExpr('chars', t.line, size=(size, sname), fixed=fixed)
        base = TypeExpr('prim' if n in PRIMS else 'ref', t.line, name=n)
        if self.accept('?'):
            base = TypeExpr('opt', t.line, inner=base)
        if self.accept('<'):
            size, sname = self.value()
            self.expect('>')
            return TypeExpr('array', t.line, size=(size, sname), inner=base)
        if self.peek().text == '[':
            self.err('fixed-size arrays exist only as opaque[N] and char[N]', t.line)
        return base

    def proc(self, event, line):
        num = self.number()
        name = self.word()
        if num in self.prog.procs:
            self.err('procedure %d defined twice' % num, line)
        if any(p.name == name for p in self.prog.procs.values()):
            self.err('procedure %s defined twice' % name, line)
        p = Proc(num, name, event, self.prog, line)
        self.prog.procs[num] = p
        # attributes run to the end of the line
        while self.toks[self.i].kind not in ('nl', 'eof'):
            t = self.toks[self.i]
            self.i += 1
            if t.kind != 'word':
                self.err('bad attribute %r' % t.text, t.line)
            key, val = t.text, True
            if self.toks[self.i].text == '=':
                self.i += 1
                v = self.toks[self.i]
                self.i += 1
                val = v.text
                if key == 'api' and self.toks[self.i].text == '@':
                    self.i += 1
                    val = (val, self.toks[self.i].text)
                    self.i += 1
            if key in p.attrs:
                self.err('attribute %s twice' % key, t.line)
            p.attrs[key] = val
        self.check_attrs(p)
        while self.peek().text in ('args', 'ret', 'msg'):
            t = self.next()
            kind = t.text
            if (kind == 'msg') != event:
                self.err('%s in %s' % (kind, 'an event' if event else 'a proc'), t.line)
            if getattr(p, kind):
                self.err('%s twice' % kind, t.line)
            d = Decl('struct', '%s_%s' % (name.lower(), kind), self.prog, t.line)
            if d.name in self.prog.decls:
                self.err('type %s defined twice' % d.name, t.line)
            d.fields = self.body()
            self.prog.decls[d.name] = d
            self.prog.decl_order.append(d)
            setattr(p, kind, d)

    def check_attrs(self, p):
        known = {'api', 'prio', 'ro', 'rosecure', 'roflags', 'stream', 'sparse', 'fds', 'gen',
                 'out', 'info'}
        for k, v in p.attrs.items():
            if k not in known:
                self.err('unknown attribute %s' % k, p.line)
            if p.event:
                self.err('events take no attributes', p.line)
        api = p.attrs.get('api')
        if api is not None:
            if isinstance(api, tuple):
                if api[1] not in ERRDOMAINS:
                    self.err('unknown error domain %s' % api[1], p.line)
                p.attrs['api'] = api
            else:
                p.attrs['api'] = (api, 'DOMAIN')
            if not re.match(r'^(vir|vk)[A-Za-z0-9]+$', p.attrs['api'][0]):
                self.err('api must name a vir* (or virtkit\'s vk*) function', p.line)
        if p.attrs.get('stream', 'read') not in ('read', 'write'):
            self.err('stream=read or stream=write', p.line)
        if p.attrs.get('fds', 'in') not in ('in', 'out', 'both'):
            self.err('fds=in, out or both', p.line)
        if p.attrs.get('gen', 'both') not in ('server', 'client', 'both'):
            self.err('gen=server, client or both', p.line)
        if 'gen' in p.attrs and 'api' not in p.attrs:
            self.err('gen needs api=', p.line)
        if 'out' in p.attrs and 'gen' not in p.attrs:
            self.err('out only makes sense with gen', p.line)
        if 'info' in p.attrs and ('gen' not in p.attrs or 'out' in p.attrs or
                                  not re.match(r'^vir[A-Za-z]+$', str(p.attrs['info']))):
            self.err('info=virSTRUCT needs gen and excludes out', p.line)
        for k in ('rosecure', 'roflags'):
            if k in p.attrs:
                try:
                    p.attrs[k] = int(p.attrs[k], 0)
                except (TypeError, ValueError):
                    self.err('%s needs a number' % k, p.line)
                if 'ro' not in p.attrs:
                    self.err('%s only makes sense with ro' % k, p.line)


# ---- checks and type facts --------------------------------------------------

class Model:
    def __init__(self, programs, fname):
        self.programs = programs
        self.fname = fname
        self.resolve()

    def err(self, msg, line):
        raise DescError('%s:%d: %s' % (self.fname, line, msg))

    def lookup(self, prog, name, line):
        idx = self.programs.index(prog)
        for p in [prog] + self.programs[:idx][::-1]:
            if name in p.decls:
                return p.decls[name]
        self.err('unknown type %s' % name, line)

    def walk(self, prog, t):
        if t.kind == 'ref':
            t.decl = self.lookup(prog, t.name, t.line)
        if t.inner:
            self.walk(prog, t.inner)
        if t.kind == 'array' and t.size[0] <= 0:
            self.err('a list needs a positive maximum', t.line)
        if t.kind == 'opt' and t.inner.kind != 'ref':
            self.err('only named types can be optional', t.line)

    def resolve(self):
        for p in self.programs:
            for d in p.decl_order:
                for f in self.fields_of(d):
                    self.walk(p, f.type)
                if d.kind == 'typedef':
                    self.walk(p, d.type)
                    if d.type.kind == 'array':
                        self.err('typedef of a list: name the struct instead', d.line)
            for d in p.decl_order:
                self.min_wire(d)

    @staticmethod
    def fields_of(d):
        if d.kind == 'struct':
            return d.fields
        if d.kind == 'union':
            return [d.disc] + [f for _, f in d.arms]
        return []

    def target(self, t):
        """follow typedefs: the TypeExpr a name stands for"""
        seen = 0
        while t.kind == 'ref' and t.decl.kind == 'typedef':
            t = t.decl.type
            seen += 1
            if seen > 20:
                self.err('typedef loop', t.line)
        return t

    def is_string(self, t):
        t = self.target(t)
        return t.kind == 'str'

    def string_max(self, t):
        return self.target(t).size[1]

    def min_wire(self, x):
        """smallest wire size of a Decl or TypeExpr (for list bounds)"""
        if isinstance(x, Decl):
            if getattr(x, '_min', None) is not None:
                return x._min
            if getattr(x, '_busy', False):
                self.err('type %s contains itself' % x.name, x.line)
            x._busy = True
            if x.kind == 'struct':
                v = sum(self.min_wire(f.type) for f in x.fields)
            elif x.kind == 'union':
                v = 4 + min([self.min_wire(f.type) for _, f in x.arms] or [0])
            elif x.kind == 'enum':
                v = 4
            else:
                v = self.min_wire(x.type)
            x._busy = False
            x._min = v
            return v
        t = x
        if t.kind == 'prim':
            return PRIMS[t.name][2]
        if t.kind in ('str', 'opt', 'array'):
            return 4
        if t.kind == 'opaque':
            return (t.size[0] + 3) // 4 * 4 if t.fixed else 4
        if t.kind == 'chars':
            return 4 * t.size[0] if t.fixed else 4
        return self.min_wire(t.decl)


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


# Words spelled as libvirt spells them in API names (virDomainGetXMLDesc).
CAMEL_WORDS = {
    'XML': 'XML', 'UUID': 'UUID', 'ID': 'ID', 'URI': 'URI', 'OS': 'OS', 'CPU': 'CPU',
    'MAC': 'MAC', 'NMI': 'NMI', 'PM': 'PM', 'SCSI': 'SCSI', 'WWN': 'WWN', 'DHCP': 'DHCP',
    'IOTHREAD': 'IOThread', 'NWFILTER': 'NWFilter', 'NWFILTERS': 'NWFilters', 'FSTRIM': 'FSTrim',
    'FSFREEZE': 'FSFreeze', 'FSTHAW': 'FSThaw', 'FSINFO': 'FSInfo',
}


def camel(name):
    return ''.join(CAMEL_WORDS.get(x, x.capitalize()) for x in name.split('_'))


# The object kinds a mechanical procedure may carry (leading argument,
# reply, ListAll reply): wire struct -> (Kind, C handle type, how to reach
# the connection from a handle). Helpers per kind: remoteMake<Kind> /
# remoteGet<Kind> in the remote driver (remote_driver.c), vkd<Kind>FromWire /
# vkd<Kind>ToWire in the daemon (remote_dispatch.c), virObjectUnref<Kind>.
OBJKINDS = {
    'nonnull_domain': ('Domain', 'virDomainPtr', '%s->conn'),
    'nonnull_network': ('Network', 'virNetworkPtr', '%s->conn'),
    'nonnull_network_port': ('NetworkPort', 'virNetworkPortPtr', '%s->net->conn'),
    'nonnull_storage_pool': ('StoragePool', 'virStoragePoolPtr', '%s->conn'),
    'nonnull_storage_vol': ('StorageVol', 'virStorageVolPtr', '%s->conn'),
    'nonnull_node_device': ('NodeDevice', 'virNodeDevicePtr', '%s->conn'),
    'nonnull_secret': ('Secret', 'virSecretPtr', '%s->conn'),
    'nonnull_interface': ('Interface', 'virInterfacePtr', '%s->conn'),
    'nonnull_nwfilter': ('NWFilter', 'virNWFilterPtr', '%s->conn'),
    'nonnull_nwfilter_binding': ('NWFilterBinding', 'virNWFilterBindingPtr', '%s->conn'),
    'nonnull_domain_snapshot': ('DomainSnapshot', 'virDomainSnapshotPtr', '%s->domain->conn'),
    'nonnull_domain_checkpoint': ('DomainCheckpoint', 'virDomainCheckpointPtr',
                                  '%s->domain->conn'),
}


# virNodeDevice* calls whose leading "name" is not the device's
NODEDEV_BY_CONN = {'virNodeDeviceLookupByName', 'virNodeDeviceLookupSCSIHostByWWN',
                   'virNodeDeviceCreateXML', 'virNodeDeviceDefineXML'}


def objkind(t):
    """the wire struct name if @t names an object kind, else None"""
    if t.kind == 'ref' and t.decl is not None and t.decl.name in OBJKINDS:
        return t.decl.name
    return None


# ---- shapes added for the domain/host procedures (separate from Mapping's
# body to keep merges easy) ----------------------------------------------------

def mapping_info(m, pr):
    """info=virSTRUCT: the API fills one struct (after the arguments, before
    flags) whose members carry the reply's names: ints and uhypers by value,
    a char[N] by copy (virDomainGetInfo, virNodeGetInfo)."""
    members = []
    for f in pr.ret.fields:
        t = m.target(f.type)
        if t.kind == 'prim' and t.name in ('int', 'uint', 'hyper', 'uhyper', 'uchar', 'ushort'):
            members.append((f.name, t.name))
        elif t.kind == 'chars' and t.fixed:
            members.append((f.name, 'chars'))
        else:
            raise DescError('%s:%d: %s: info member %s is neither a number nor char[N]'
                            % (m.fname, pr.line, pr.name, f.name))
    return (pr.attrs['info'], members)


def mapping_ids(m, f, params, pr):
    """a reply of one int list, bounded by a max* int argument (virConnectListDomains:
    the API fills the caller's int array, placed before that argument)"""
    t = f.type
    if not (t.kind == 'array' and t.inner.kind == 'prim' and t.inner.name == 'int'):
        return None
    maxes = [n for n, k in params if n.startswith('max') and k == 'int']
    if len(maxes) != 1:
        raise DescError('%s:%d: %s: a list of ints needs one max* int argument'
                        % (m.fname, pr.line, pr.name))
    return (f.name, 'ids', maxes[0], t.size[1])


def server_ext_decls(mp):
    """locals of the added shapes, in the daemon's handler"""
    o = ['    unsigned long out_%s = 0;' % n for n, k in mp.outs if k == 'ulong']
    if mp.info:
        o.append('    %s info = { 0 };' % mp.info[0])
    if mp.ret and mp.ret[1] == 'ids':
        o += ['    g_autofree int *ids = NULL;', '    int n;']
    return o


def server_ext_args(mp, callargs):
    """the API's arguments with the added shapes' out pointers"""
    out = []
    for a in callargs:
        name = a[len('&r->'):] if a.startswith('&r->') else None
        if name and (name, 'ulong') in mp.outs:
            a = '&out_%s' % name
        out.append(a)
    if mp.info:
        out.insert(len(out) - (1 if mp.flags else 0), '&info')
    return out


def server_ext_body(p, mp, call):
    """the call and the copy into the reply, for the added shapes; None if
    the procedure has none of them"""
    ulongs = [n for n, k in mp.outs if k == 'ulong']
    cmax = lambda c: '%s_%s' % (p.prefix.upper(), c)
    if mp.ret and mp.ret[1] == 'ids':
        f, mx = mp.ret[0], 'a->%s' % mp.ret[2]
        return ['    if (%s < 0 || %s > %s) {' % (mx, mx, cmax(mp.ret[3])),
                '        virReportError(VIR_ERR_RPC, "%%s", "%s > %s");' % (mp.ret[2], cmax(mp.ret[3])),
                '        return -1;',
                '    }',
                '    ids = g_new0(int, MAX(%s, 1));' % mx,
                '    if ((n = %s) < 0)' % call,
                '        return -1;',
                '    r->%s_len = n;' % f,
                '    r->%s_val = g_new0(int32_t, MAX(n, 1));' % f,
                '    for (int i = 0; i < n; i++)',
                '        r->%s_val[i] = ids[i];' % f,
                '    return 0;']
    if not ulongs and not mp.info:
        return None
    o = ['    if (%s < 0)' % call, '        return -1;']
    o += ['    r->%s = out_%s;' % (n, n) for n in ulongs]
    for n, k in (mp.info[1] if mp.info else []):
        if k == 'chars':
            o.append('    memcpy(r->%s, info.%s, MIN(sizeof(r->%s), sizeof(info.%s)));' % (n, n, n, n))
        else:
            o.append('    r->%s = info.%s;' % (n, n))
    o.append('    return 0;')
    return o


def client_ext_params(mp, params):
    """the driver entry point's parameters with the added shapes"""
    out = list(params)
    if mp.info:
        out.insert(len(out) - (1 if mp.flags else 0), '%s *info' % mp.info[0])
    if mp.ret and mp.ret[1] == 'ids':
        idx = [i for i, x in enumerate(out) if x == 'int %s' % mp.ret[2]][0]
        out.insert(idx, 'int *%s' % mp.ret[0])
    return out


def client_ext_before(p, mp):
    """checks before the call, for the added shapes"""
    if not (mp.ret and mp.ret[1] == 'ids'):
        return []
    cmax = '%s_%s' % (p.prefix.upper(), mp.ret[3])
    return ['    if (%s > %s) {' % (mp.ret[2], cmax),
            '        virReportErrorFull(VIR_FROM_REMOTE, VIR_ERR_RPC, __func__,',
            '                           "Too many %s \'%%d\' for limit \'%%d\'", %s, %s);'
            % (mp.ret[0], mp.ret[2], cmax),
            '        return -1;',
            '    }']


def client_ext_after(pr, mp):
    """the copy out of the reply, for the added shapes; None if none"""
    if mp.ret and mp.ret[1] == 'ids':
        f, mx = mp.ret[0], mp.ret[2]
        return ['    if (ret.%s_len > (uint32_t)%s) {' % (f, mx),
                '        virReportErrorFull(VIR_FROM_REMOTE, VIR_ERR_RPC, __func__,',
                '                           "Too many %s \'%%u\' for limit \'%%d\'", ret.%s_len, %s);'
                % (f, f, mx),
                '        virXdrFree(%s_filter, &ret);' % pr.ret.cname,
                '        return -1;',
                '    }',
                '    for (uint32_t i = 0; i < ret.%s_len; i++)' % f,
                '        %s[i] = ret.%s_val[i];' % (f, f),
                '    n = ret.%s_len;' % f,
                '    virXdrFree(%s_filter, &ret);' % pr.ret.cname,
                '    return n;']
    if not mp.info:
        return None
    o = []
    for n, k in mp.info[1]:
        if k == 'chars':
            o += ['    memcpy(info->%s, ret.%s, MIN(sizeof(info->%s), sizeof(ret.%s)));' % (n, n, n, n),
                  '    info->%s[sizeof(info->%s) - 1] = \'\\0\';' % (n, n)]
        else:
            o.append('    info->%s = ret.%s;' % (n, n))
    o.append('    return 0;')
    return o


class Mapping:
    """How a mechanical procedure maps onto its public API (gen=...):
    arguments in order, an optional leading object (a domain, network,
    storage pool, ..., secret; else the connection comes first), and a
    return value of one of these kinds: int, str, obj (one object handle),
    names (a string array: the API fills a caller's array, placed before
    its max* argument), list (ListAll: an array of objects and the count;
    the API's need_results argument becomes the array out-pointer). Anything
    else is refused with the reason, so the description cannot ask for a
    skeleton that would be wrong."""

    def __init__(self, model, pr):
        self.pr = pr
        self.obj = None             # (field, wire kind) of the leading object
        self.params = []            # (field, kind): int uint hyper uhyper str uuid
        self.ret = None             # (field, kind[, wire kind / max const]): int str obj names list
        self.outs = []              # (field, kind): int uint, with "out"
        self.flags = None           # a trailing "flags" argument (outs go before it)
        self.need_results = False   # ListAll's need_results argument
        self.obj_by_name = False    # the object is a node device named by "name"
        m = model
        line = pr.line
        for i, f in enumerate(pr.args.fields if pr.args else []):
            t = f.type
            if objkind(t) and i == 0:
                self.obj = (f.name, objkind(t))
                continue
            if (i == 0 and f.name == 'name' and pr.attrs['api'][0].startswith('virNodeDevice') and
                    pr.attrs['api'][0] not in NODEDEV_BY_CONN and m.is_string(t)):
                # node device calls name their device by its name alone
                self.obj = (f.name, 'nonnull_node_device')
                self.obj_by_name = True
                continue
            if f.name == 'need_results' and t.kind == 'prim' and t.name == 'int':
                self.need_results = True
                continue
            kind = self.kind(m, t)
            if kind == 'optstr':
                kind = 'str'            # NULL passes through
            if kind not in ('int', 'uint', 'hyper', 'uhyper', 'str', 'uuid'):
                raise DescError('%s:%d: %s: argument %s is not mechanical' % (m.fname, line, pr.name, f.name))
            self.params.append((f.name, kind))
        if self.params and self.params[-1] == ('flags', 'uint'):
            self.flags = self.params.pop()
        self.info = None            # (C struct, [(member, kind)]) with info=
        if pr.ret and 'info' in pr.attrs:
            self.info = mapping_info(m, pr)
        elif pr.ret and 'out' in pr.attrs:
            # the reply's members are the API's out parameters, in order,
            # before a trailing flags argument (virDomainGetState); a uhyper
            # member is libvirt's unsigned long (versions, memory)
            for f in pr.ret.fields:
                kind = self.kind(m, f.type)
                if kind == 'uhyper':
                    self.outs.append((f.name, 'ulong'))
                    continue
                if kind not in ('int', 'uint', 'str'):
                    raise DescError('%s:%d: %s: out member %s is not an int or a string' %
                                    (m.fname, line, pr.name, f.name))
                self.outs.append((f.name, kind))
        elif pr.ret and len(pr.ret.fields) == 2 and self.need_results:
            # ListAll: { <objects>: nonnull_<kind><MAX>; ret: uint }
            arr, cnt = pr.ret.fields
            if (arr.type.kind != 'array' or not objkind(arr.type.inner) or
                    cnt.name != 'ret' or cnt.type.kind != 'prim' or
                    cnt.type.name not in ('int', 'uint')):
                raise DescError('%s:%d: %s: a ListAll reply is { objects: nonnull_KIND<MAX>; ret: uint }'
                                % (m.fname, line, pr.name))
            self.ret = (arr.name, 'list', objkind(arr.type.inner), arr.type.size[1])
        elif pr.ret:
            if len(pr.ret.fields) != 1:
                raise DescError('%s:%d: %s: a mechanical reply has one member' % (m.fname, line, pr.name))
            f = pr.ret.fields[0]
            kind = self.kind(m, f.type)
            if objkind(f.type):
                kind = 'obj'
                self.ret = (f.name, kind, objkind(f.type))
            elif mapping_ids(m, f, self.params, pr):
                self.ret = mapping_ids(m, f, self.params, pr)
            elif (f.type.kind == 'array' and m.is_string(f.type.inner)):
                maxes = [n for n, k in self.params if n.startswith('max') and k == 'int']
                if len(maxes) != 1:
                    raise DescError('%s:%d: %s: a list of names needs one max* int argument'
                                    % (m.fname, line, pr.name))
                self.ret = (f.name, 'names', maxes[0], f.type.size[1])
            elif kind in ('int', 'str'):
                self.ret = (f.name, kind)
            else:
                raise DescError('%s:%d: %s: reply %s is not mechanical' % (m.fname, line, pr.name, f.name))
        if self.need_results and not (self.ret and self.ret[1] == 'list'):
            raise DescError('%s:%d: %s: need_results without a ListAll reply' % (m.fname, line, pr.name))

    @staticmethod
    def kind(m, t):
        if t.kind == 'prim' and t.name in ('int', 'uint', 'hyper', 'uhyper'):
            return t.name
        tgt = m.target(t)
        if tgt.kind == 'str':
            return 'str'
        if tgt.kind == 'opt' and m.is_string(tgt.inner):
            return 'optstr'
        if tgt.kind == 'opaque' and tgt.fixed and tgt.size[0] == 16:
            return 'uuid'
        return None


CTYPES = {'ulong': 'unsigned long', 'int': 'int', 'uint': 'unsigned int', 'hyper': 'long long',
          'uhyper': 'unsigned long long', 'str': 'const char *', 'uuid': 'const unsigned char *'}


class ServerEmitter:
    """Dispatch skeletons: decode -> public API call -> encode, for the
    procedures marked gen=server|both (remote_dispatch_gen.[ch], built into
    the daemon, which owns remote_dispatch_priv.h and VKD_HANDLER)."""

    def __init__(self, model):
        self.m = model

    def procs(self):
        for p in self.m.programs:
            for pr in sorted(p.procs.values(), key=lambda x: x.num):
                if pr.attrs.get('gen') in ('server', 'both'):
                    yield p, pr, Mapping(self.m, pr)

    @staticmethod
    def fname(p, pr):
        return 'vkdGen%s%s' % ('' if p.prefix == 'remote' else p.prefix.capitalize(), camel(pr.name))

    @staticmethod
    def body(p, pr, mp):
        """decode -> public API call -> encode, for one procedure"""
        o = []
        if pr.args:
            o.append('    %s *a = args;' % pr.args.cname)
        if pr.ret:
            o.append('    %s *r = ret;' % pr.ret.cname)
        if mp.obj:
            kind = OBJKINDS[mp.obj[1]][0]
            if mp.obj_by_name:
                o.append('    g_autoptr(virNodeDevice) obj = virGetNodeDevice(call->conn, a->name);')
            else:
                o.append('    g_autoptr(vir%s) obj = vkd%sFromWire(call->conn, &a->%s);' % (kind, kind, mp.obj[0]))
        rk = mp.ret[1] if mp.ret else None
        if rk == 'obj':
            o.append('    %s res;' % OBJKINDS[mp.ret[2]][1])
        elif rk == 'list':
            o.append('    %s *list = NULL;' % OBJKINDS[mp.ret[2]][1])
            o.append('    int n;')
        elif rk == 'names':
            o.append('    char **names;')
            o.append('    int n;')
        o += server_ext_decls(mp)
        o.append('')
        params = []
        for n, k in mp.params:
            if rk == 'names' and n == mp.ret[2]:
                params.append('names')
            if rk == 'ids' and n == mp.ret[2]:
                params.append('ids')
            params.append('a->%s' % n)
        if rk == 'list':
            params.append('a->need_results ? &list : NULL')
        callargs = (['obj' if mp.obj else 'call->conn'] + params +
                    ['&r->%s' % n for n, k in mp.outs] + (['a->flags'] if mp.flags else []))
        call = '%s(%s)' % (pr.attrs['api'][0], ', '.join(server_ext_args(mp, callargs)))
        cmax = lambda c: '%s_%s' % (p.prefix.upper(), c)
        ext = server_ext_body(p, mp, call)
        if ext is not None:
            o += ext
        elif not rk:
            o.append('    return %s < 0 ? -1 : 0;' % call)
        elif rk == 'int':
            o.append('    return (r->%s = %s) < 0 ? -1 : 0;' % (mp.ret[0], call))
        elif rk == 'str':
            o.append('    return (r->%s = %s) ? 0 : -1;' % (mp.ret[0], call))
        elif rk == 'obj':
            kind = OBJKINDS[mp.ret[2]][0]
            o += ['    if (!(res = %s))' % call,
                  '        return -1;',
                  '    vkd%sToWire(&r->%s, res);' % (kind, mp.ret[0]),
                  '    virObjectUnref%s(res);' % kind,
                  '    return 0;']
        elif rk == 'names':
            mx = 'a->%s' % mp.ret[2]
            o += ['    if (%s < 0 || %s > %s) {' % (mx, mx, cmax(mp.ret[3])),
                  '        virReportError(VIR_ERR_RPC, "%%s", "%s > %s");' % (mp.ret[2], cmax(mp.ret[3])),
                  '        return -1;',
                  '    }',
                  '    names = g_new0(char *, %s + 1);' % mx,
                  '    if ((n = %s) < 0) {' % call,
                  '        g_free(names);',
                  '        return -1;',
                  '    }',
                  '    r->%s_len = n;' % mp.ret[0],
                  '    r->%s_val = names; /* n strings, owned by the reply now */' % mp.ret[0],
                  '    return 0;']
        else:
            kind = OBJKINDS[mp.ret[2]][0]
            f = mp.ret[0]
            o += ['    if ((n = %s) < 0)' % call,
                  '        return -1;',
                  '    if (n > %s) {' % cmax(mp.ret[3]),
                  '        for (int i = 0; list && i < n; i++)',
                  '            virObjectUnref%s(list[i]);' % kind,
                  '        g_free(list);',
                  '        virReportError(VIR_ERR_RPC, "Too many %s \'%%d\' for limit \'%%d\'", n, %s);'
                  % (f, cmax(mp.ret[3])),
                  '        return -1;',
                  '    }',
                  '    if (list) {',
                  '        r->%s_len = n;' % f,
                  '        r->%s_val = g_new0(%s_%s, MAX(n, 1));' % (f, p.prefix, mp.ret[2]),
                  '        for (int i = 0; i < n; i++) {',
                  '            vkd%sToWire(&r->%s_val[i], list[i]);' % (kind, f),
                  '            virObjectUnref%s(list[i]);' % kind,
                  '        }',
                  '        g_free(list);',
                  '    }',
                  '    r->ret = n;',
                  '    return 0;']
        return o

    def header(self, fname):
        o = ['/* remote_dispatch_gen.h: generated by vkrpcgen.py from %s; do not edit */' % fname,
             '#pragma once', '', '#include "remote_dispatch_priv.h"', '',
             '/* The generated handler of procedure @proc of program @prog, NULL if',
             ' * it has none (not marked gen=server or gen=both). */',
             'vkdHandler vkdDispatchGenerated(uint32_t prog, int proc);', '']
        for p, pr, mp in self.procs():
            o.append('VKD_HANDLER(%s);' % self.fname(p, pr))
        return '\n'.join(o) + '\n'

    def source(self, fname, hname):
        o = ['/* remote_dispatch_gen.c: generated by vkrpcgen.py from %s; do not edit */' % fname,
             '#define G_LOG_DOMAIN "virtkitd.dispatch"', '#include <libvirt/libvirt-qemu.h>', '',
             '#include "%s"' % hname, '#include "virerror.h"', '',
             '#define VIR_FROM_THIS VIR_FROM_RPC']
        table = {}
        for p, pr, mp in self.procs():
            fn = self.fname(p, pr)
            table.setdefault(p, []).append((pr, fn))
            o += ['', 'VKD_HANDLER(%s)' % fn, '{'] + self.body(p, pr, mp) + ['}']
        o += ['', 'vkdHandler', 'vkdDispatchGenerated(uint32_t prog, int proc)', '{',
              '    switch (prog) {']
        for p, entries in table.items():
            o.append('    case %s_PROGRAM:' % p.prefix.upper())
            o.append('        switch (proc) {')
            for pr, fn in entries:
                o.append('        case %s: return %s;' % (pr.cname, fn))
            o.append('        default: return NULL;')
            o.append('        }')
        o += ['    default:', '        return NULL;', '    }', '}']
        return '\n'.join(o) + '\n'


class ClientEmitter:
    """Typed call stubs: one function per call procedure, over remoteCallProgram."""

    def __init__(self, model):
        self.m = model

    def sig(self, p, pr):
        fn = '%sCall%s' % (Emitter.lc(p.prefix), camel(pr.name))
        params = ['virConnectPtr conn']
        if pr.args:
            params.append('const %s *args' % pr.args.cname)
        if pr.ret:
            params.append('%s *ret' % pr.ret.cname)
        return fn, params

    def header(self, fname, protoh):
        o = ['/* remote_client.h: generated by vkrpcgen.py from %s; do not edit */' % fname,
             '#pragma once', '', '#include <libvirt/libvirt.h>', '', '#include "%s"' % protoh, '',
             '/* The one transport entry point the stubs use (remote_driver.c): a call of',
             ' * @proc in program @prog on @conn; 0, or -1 with the error set. */',
             'int remoteCallProgram(virConnectPtr conn, uint32_t prog, int proc,',
             '                      virXdrFilter argsFilter, const void *args,',
             '                      virXdrFilter retFilter, void *ret);', '',
             '/* One typed stub per call procedure: 0 or -1 with the error set; a',
             ' * filled @ret belongs to the caller (virXdrFree). */']
        for p in self.m.programs:
            for pr in sorted(p.procs.values(), key=lambda x: x.num):
                if pr.event:
                    continue
                fn, params = self.sig(p, pr)
                o.append('int %s(%s);' % (fn, ', '.join(params)))
        o += ['', '/* Driver entry points of the procedures marked gen=client|both: the',
              ' * signature of the public API, one call, the error returns of libvirt. */']
        for p, pr, mp in self.entries():
            rtype, fn, params = self.entry_sig(p, pr, mp)
            o.append('%s%s%s(%s);' % (rtype, '' if rtype.endswith('*') else ' ', fn, ', '.join(params)))
        return '\n'.join(o) + '\n'

    def entries(self):
        for p in self.m.programs:
            for pr in sorted(p.procs.values(), key=lambda x: x.num):
                if pr.attrs.get('gen') in ('client', 'both'):
                    yield p, pr, Mapping(self.m, pr)

    @staticmethod
    def entry_sig(p, pr, mp):
        rk = mp.ret[1] if mp.ret else None
        if mp.obj:
            params = ['%s %s' % (OBJKINDS[mp.obj[1]][1], 'obj')]
        else:
            params = ['virConnectPtr conn']
        for n, k in mp.params:
            if rk == 'names' and n == mp.ret[2]:
                params.append('char **const %s' % mp.ret[0])
            params.append('%s%s%s' % (CTYPES[k], '' if CTYPES[k].endswith('*') else ' ', n))
        if rk == 'list':
            params.append('%s **%s' % (OBJKINDS[mp.ret[2]][1], mp.ret[0]))
        params += ['%s *%s' % ('char *' if k == 'str' else CTYPES[k], n) for n, k in mp.outs]
        if mp.flags:
            params.append('unsigned int flags')
        params = client_ext_params(mp, params)
        if rk == 'obj':
            rtype = OBJKINDS[mp.ret[2]][1]
        else:
            rtype = {None: 'int', 'int': 'int', 'str': 'char *', 'names': 'int', 'list': 'int',
                     'ids': 'int'}[rk]
        return rtype, '%s%s' % (Emitter.lc(p.prefix), camel(pr.name)), params

    def entry(self, p, pr, mp):
        rtype, fn, params = self.entry_sig(p, pr, mp)
        rk = mp.ret[1] if mp.ret else None
        err = '-1' if rtype == 'int' else 'NULL'
        conn = (OBJKINDS[mp.obj[1]][2] % 'obj') if mp.obj else 'conn'
        cmax = lambda c: '%s_%s' % (p.prefix.upper(), c)
        o = ['', rtype, '%s(%s)' % (fn, ', '.join(params)), '{']
        if pr.args:
            o.append('    %s args = { 0 };' % pr.args.cname)
        if pr.ret:
            o.append('    %s ret = { 0 };' % pr.ret.cname)
        if rk == 'obj':
            o.append('    %s res;' % rtype)
        elif rk in ('names', 'list', 'ids'):
            o.append('    int n;')
        o.append('')
        o += client_ext_before(p, mp)
        if rk == 'names':
            mx = mp.ret[2]
            o += ['    if (%s > %s) {' % (mx, cmax(mp.ret[3])),
                  '        virReportErrorFull(VIR_FROM_REMOTE, VIR_ERR_RPC, __func__,',
                  '                           "Too many %s \'%%d\' for limit \'%%d\'", %s, %s);'
                  % (mp.ret[0], mx, cmax(mp.ret[3])),
                  '        return -1;',
                  '    }']
        if mp.obj_by_name:
            o.append('    args.name = obj->name;')
        elif mp.obj:
            o.append('    remoteMake%s(&args.%s, obj);' % (OBJKINDS[mp.obj[1]][0], mp.obj[0]))
        for n, k in mp.params + ([mp.flags] if mp.flags else []):
            if k == 'str':
                o.append('    args.%s = (char *)%s;' % (n, n))
            elif k == 'uuid':
                o.append('    memcpy(args.%s, %s, sizeof(args.%s));' % (n, n, n))
            else:
                o.append('    args.%s = %s;' % (n, n))
        if rk == 'list':
            o.append('    args.need_results = %s != NULL;' % mp.ret[0])
        callargs = [conn] + (['&args'] if pr.args else []) + (['&ret'] if pr.ret else [])
        o.append('    if (%sCall%s(%s) < 0)' % (Emitter.lc(p.prefix), camel(pr.name), ', '.join(callargs)))
        o.append('        return %s;' % err)
        for n, k in mp.outs:
            o.append('    if (%s)' % n)
            o.append('        *%s = ret.%s;' % (n, n))
        ext = client_ext_after(pr, mp)
        if ext is not None:
            o += ext
        elif not rk:
            o.append('    return 0;')
        elif rk in ('int', 'str'):
            o.append('    return ret.%s;' % mp.ret[0])
        elif rk == 'obj':
            kind = OBJKINDS[mp.ret[2]][0]
            o += ['    res = remoteGet%s(%s, &ret.%s);' % (kind, conn, mp.ret[0]),
                  '    virXdrFree(%s_%s_filter, &ret.%s);' % (p.prefix, mp.ret[2], mp.ret[0]),
                  '    return res;']
        elif rk == 'names':
            f, mx = mp.ret[0], mp.ret[2]
            o += ['    if (ret.%s_len > (uint32_t)%s) {' % (f, mx),
                  '        virReportErrorFull(VIR_FROM_REMOTE, VIR_ERR_RPC, __func__,',
                  '                           "Too many %s \'%%u\' for limit \'%%d\'", ret.%s_len, %s);'
                  % (f, f, mx),
                  '        virXdrFree(%s_filter, &ret);' % pr.ret.cname,
                  '        return -1;',
                  '    }',
                  '    for (uint32_t i = 0; i < ret.%s_len; i++)' % f,
                  '        %s[i] = g_steal_pointer(&ret.%s_val[i]);' % (f, f),
                  '    n = ret.%s_len;' % f,
                  '    virXdrFree(%s_filter, &ret);' % pr.ret.cname,
                  '    return n;']
        else:
            kind, ptype = OBJKINDS[mp.ret[2]][0], OBJKINDS[mp.ret[2]][1]
            f = mp.ret[0]
            o += ['    if (%s) {' % f,
                  '        %s *list = g_new0(%s, ret.%s_len + 1);' % (ptype, ptype, f),
                  '',
                  '        for (uint32_t i = 0; i < ret.%s_len; i++)' % f,
                  '            list[i] = remoteGet%s(%s, &ret.%s_val[i]);' % (kind, conn, f),
                  '        *%s = list;' % f,
                  '    }',
                  '    n = ret.ret;',
                  '    virXdrFree(%s_filter, &ret);' % pr.ret.cname,
                  '    return n;']
        o.append('}')
        return o

    def source(self, fname, clienth):
        o = ['/* remote_client.c: generated by vkrpcgen.py from %s; do not edit */' % fname,
             '#define G_LOG_DOMAIN "virtkit.remote"', '#include <string.h>', '',
             '#include "%s"' % clienth, '#include "remote_driver_priv.h"', '#include "virerror.h"']
        for p, pr, mp in self.entries():
            o += self.entry(p, pr, mp)
        for p in self.m.programs:
            for pr in sorted(p.procs.values(), key=lambda x: x.num):
                if pr.event:
                    continue
                fn, params = self.sig(p, pr)
                o.append('')
                o.append('int')
                o.append('%s(%s)' % (fn, ', '.join(params)))
                o.append('{')
                a = ('%s_filter, args' % pr.args.cname) if pr.args else 'NULL, NULL'
                r = ('%s_filter, ret' % pr.ret.cname) if pr.ret else 'NULL, NULL'
                o.append('    return remoteCallProgram(conn, %s_PROGRAM, %s, %s, %s);'
                         % (p.prefix.upper(), pr.cname, a, r))
                o.append('}')
        return '\n'.join(o) + '\n'


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
