#!/usr/bin/env python3
"""vkrpcgentest.py: the generator refuses bad descriptions with the line at fault (TAP)."""

import os
import subprocess
import sys
import tempfile

GEN = sys.argv[1]

GOOD = """program p 0x100 version 1
const MAX = 4
type s = str<MAX>
struct pair { a: int; b: s? }
union u switch (k: int) { 1 => x: int  2 => y: pair }
proc 1 DO_IT  api=virDoIt prio ro
    args { v: u; list: pair<MAX>; flags: uint }
    ret { r: opaque<MAX> }
event 2 HAPPENED
    msg { what: s }
struct nonnull_domain { name: s; uuid: opaque[16]; id: int }
proc 3 GET_IT  api=virGetIt gen=both
    args { dom: nonnull_domain; what: s?; flags: uint }
    ret { it: s }
proc 4 GET_TWO  api=virGetTwo gen=both out
    args { dom: nonnull_domain; flags: uint }
    ret { x: int; y: uint }
struct nonnull_secret { uuid: opaque[16]; usageType: int; usageID: s }
proc 5 LIST_ALL_SECRETS  api=virListAllSecrets gen=both
    args { need_results: int; flags: uint }
    ret { secrets: nonnull_secret<MAX>; ret: uint }
proc 6 LIST_NAMES  api=virListNames gen=both
    args { cap: s?; maxnames: int; flags: uint }
    ret { names: s<MAX> }
proc 7 SECRET_REDEFINE  api=virSecretRedefine gen=both
    args { secret: nonnull_secret; flags: uint }
    ret { secret: nonnull_secret }
proc 8 GET_VERSION  api=virGetVersion gen=both out
    ret { ver: uhyper }
proc 9 GET_INFO  api=virGetInfo gen=both info=virThingInfo
    args { dom: nonnull_domain }
    ret { state: uchar; mem: uhyper; model: char[8] }
proc 10 LIST_IDS  api=virListIds gen=both
    args { maxids: int }
    ret { ids: int<MAX> }
"""

BAD = [
    ("info with a member that is neither a number nor char[N]",
     GOOD.replace("ret { state: uchar; mem: uhyper; model: char[8] }",
                  "ret { state: uchar; mem: uhyper; model: s }"), 30, "info member model"),
    ("info with out", GOOD.replace("gen=both info=virThingInfo", "gen=both out info=virThingInfo"),
     30, "info=virSTRUCT needs gen and excludes out"),
    ("ids without a max argument", GOOD.replace("args { maxids: int }", "args { count: int }"),
     33, "a list of ints needs one max* int argument"),
    ("unknown type", GOOD.replace("b: s?", "b: nosuch?"), 4, "unknown type nosuch"),
    ("unknown constant", GOOD.replace("str<MAX>", "str<NOPE>"), 3, "unknown constant NOPE"),
    ("duplicate number", GOOD.replace("event 2", "event 1"), 9, "procedure 1 defined twice"),
    ("duplicate field", GOOD.replace("b: s?", "a: s?"), 4, "field a twice"),
    ("duplicate case", GOOD.replace("2 => y", "1 => y"), 5, "case 1 twice"),
    ("msg in a proc", GOOD.replace("    ret {", "    msg {"), 8, "msg in a proc"),
    ("bad attribute", GOOD.replace("prio ro", "prio fast"), 6, "unknown attribute fast"),
    ("rosecure without ro", GOOD.replace("prio ro", "prio rosecure=1"), 6,
     "rosecure only makes sense with ro"),
    ("fixed list", GOOD.replace("pair<MAX>", "pair[4]"), 7, "fixed-size arrays"),
    ("self-containing type", GOOD.replace("b: s?", "b: pair"), 4, "contains itself"),
    ("bad error domain", GOOD.replace("api=virDoIt", "api=virDoIt@NOWHERE"), 6,
     "unknown error domain NOWHERE"),
    ("gen for a non-mechanical reply", GOOD.replace("ret { it: s }", "ret { it: s; n: int }"),
     12, "a mechanical reply has one member"),
    ("gen for a non-mechanical argument", GOOD.replace("what: s?;", "what: pair;"),
     12, "argument what is not mechanical"),
    ("gen without api", GOOD.replace("api=virGetIt gen=both", "gen=both"), 12, "gen needs api="),
    ("out without gen", GOOD.replace("api=virGetTwo gen=both out", "api=virGetTwo out"), 15,
     "out only makes sense with gen"),
    ("out member not an int or string", GOOD.replace("ret { x: int; y: uint }",
                                                    "ret { x: int; y: pair }"),
     15, "out member y is not an int or a string"),
    ("ListAll reply without its count", GOOD.replace("ret: uint }", "n: uint }"), 19,
     "a ListAll reply is"),
    ("names without a max argument", GOOD.replace("maxnames: int;", "count: int;"), 22,
     "a list of names needs one max* int argument"),
    ("need_results without a ListAll reply", GOOD.replace("args { cap: s?;",
                                                          "args { need_results: int; cap: s?;"),
     22, "need_results without a ListAll reply"),
]


def run(text, tmp):
    src = os.path.join(tmp, "t.vkp")
    with open(src, "w") as f:
        f.write(text)
    outs = [os.path.join(tmp, n) for n in ("p.h", "p.c", "c.h", "c.c", "s.h", "s.c")]
    for o in outs:
        if os.path.exists(o):
            os.unlink(o)
    p = subprocess.run([sys.executable, GEN, src] + outs, capture_output=True, text=True)
    return p, outs


def main():
    n = 0
    fails = 0
    print("1..%d" % (3 + len(BAD)))
    with tempfile.TemporaryDirectory() as tmp:
        p, outs = run(GOOD, tmp)
        n += 1
        ok = p.returncode == 0 and all(os.path.exists(o) for o in outs)
        print("%s %d - a valid description generates 6 files" % ("ok" if ok else "not ok", n))
        fails += not ok
        n += 1
        text = open(outs[1]).read() if ok else ""
        ok = ("virXdrOpaqueVar(xdr, &v->r_val, &v->r_len, P_MAX)" in text and
              "sizeof(p_pair), 8, p_pair_filter" in text and
              '.api = "virDoIt", .errDomain = VIR_FROM_DOMAIN,' in text and
              "REMOTE_PROC_PRIORITY | REMOTE_PROC_READONLY_OK" in text)
        print("%s %d - filters, list bounds and table entries as described" %
              ("ok" if ok else "not ok", n))
        fails += not ok
        n += 1
        server = open(outs[5]).read() if os.path.exists(outs[5]) else ""
        client = open(outs[3]).read() if os.path.exists(outs[3]) else ""
        ok = ("VKD_HANDLER(vkdGenPGetIt)" in server and
              "g_autoptr(virDomain) obj = vkdDomainFromWire(call->conn, &a->dom);" in server and
              "return (r->it = virGetIt(obj, a->what, a->flags)) ? 0 : -1;" in server and
              "case P_PROC_GET_IT: return vkdGenPGetIt;" in server and
              "vkdGenPDoIt" not in server and
              "pGetIt(virDomainPtr obj, const char *what, unsigned int flags)" in client and
              "if (pCallGetIt(obj->conn, &args, &ret) < 0)" in client and
              "return virGetTwo(obj, &r->x, &r->y, a->flags) < 0 ? -1 : 0;" in server and
              "pGetTwo(virDomainPtr obj, int *x, unsigned int *y, unsigned int flags)" in client and
              "        *y = ret.y;" in client and
              # ListAll: the array out-pointer, handles made and released per kind
              "virListAllSecrets(call->conn, a->need_results ? &list : NULL, a->flags)" in server and
              "vkdSecretToWire(&r->secrets_val[i], list[i]);" in server and
              # unsigned long out parameters, a filled struct, a list of ints
              "if (virGetVersion(call->conn, &out_ver) < 0)" in server and
              "pGetVersion(virConnectPtr conn, unsigned long *ver)" in client and
              "virThingInfo info = { 0 };" in server and "r->mem = info.mem;" in server and
              "memcpy(r->model, info.model, MIN(sizeof(r->model), sizeof(info.model)));" in server and
              "pGetInfo(virDomainPtr obj, virThingInfo *info)" in client and
              "info->model[sizeof(info->model) - 1] = '\\0';" in client and
              "virListIds(call->conn, ids, a->maxids)" in server and
              "pListIds(virConnectPtr conn, int *ids, int maxids)" in client and
              "ids[i] = ret.ids_val[i];" in client and
              "pListAllSecrets(virConnectPtr conn, virSecretPtr **secrets, unsigned int flags)"
              in client and
              "args.need_results = secrets != NULL;" in client and
              "list[i] = remoteGetSecret(conn, &ret.secrets_val[i]);" in client and
              # names: the caller's array before its max argument, bounded both ways
              "virListNames(call->conn, a->cap, names, a->maxnames, a->flags)" in server and
              "if (a->maxnames < 0 || a->maxnames > P_MAX) {" in server and
              "pListNames(virConnectPtr conn, const char *cap, char **const names, int maxnames, "
              "unsigned int flags)" in client and
              "if (ret.names_len > (uint32_t)maxnames) {" in client and
              # another object kind as leading argument and reply
              "g_autoptr(virSecret) obj = vkdSecretFromWire(call->conn, &a->secret);" in server and
              "vkdSecretToWire(&r->secret, res);" in server and
              "virSecretPtr\npSecretRedefine(virSecretPtr obj, unsigned int flags)" in client and
              "remoteMakeSecret(&args.secret, obj);" in client and
              "res = remoteGetSecret(obj->conn, &ret.secret);" in client)
        print("%s %d - gen=both: dispatch skeleton and driver entry point" %
              ("ok" if ok else "not ok", n))
        fails += not ok
        for name, text, line, msg in BAD:
            n += 1
            p, outs = run(text, tmp)
            want = "t.vkp:%d: " % line
            ok = (p.returncode == 1 and want in p.stderr and msg in p.stderr and
                  not any(os.path.exists(o) for o in outs))
            print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
            if not ok:
                print("# rc %d, stderr: %s" % (p.returncode, p.stderr.strip()))
            fails += not ok
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
