# vkrpcgen_stubs.py: the protocol generator's C emitters for the typed client stubs (CLIENT.h/.c) and the daemon's dispatch skeletons (SERVER.h/.c)

from vkrpcgen_parse import DescError
from vkrpcgen_types import Emitter

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
