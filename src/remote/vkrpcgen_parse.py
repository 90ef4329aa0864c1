# vkrpcgen_parse.py: the protocol generator's front end: tokenizer, recursive-descent parser and model (with its checks) of a .vkp description
#
# vkrpcgen.py runs it; the emitters (vkrpcgen_types.py, vkrpcgen_stubs.py)
# read the model it builds. Errors raise DescError naming the file and line.

import re

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
