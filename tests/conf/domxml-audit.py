#!/usr/bin/python3
# domxml-audit.py: libvirt's own QEMU domain XML test inputs, defined on
# Debian's libvirtd and on virtkitd side by side (issue 10's audit).
#
# Developer tool, not part of `make check` (it needs root, Debian's libvirtd
# and libvirt 9.0's source tree, which the project does not carry). The
# corpus is libvirt v9.0.0's tests/qemuxml2argvdata/*.xml and
# tests/qemuxml2xmloutdata/*.xml (test data fed to both daemons, nothing of it
# is copied into the tree); get it e.g. with `apt-get source libvirt` (a
# deb-src line for bookworm) or a checkout of the v9.0.0 tag.
#
# Kept: x86_64 definitions (os/type arch, none means the host's) whose
# emulator exists here and whose machine type this machine's
# qemu-system-x86_64 lists; the others are counted per reason. type='kvm'
# becomes type='qemu' on both sides (no KVM here: TCG guests only), nothing
# else is changed. Each kept input is defined on libvirtd's QEMU driver
# (in a mount namespace of its own, as scripts/bench.sh runs it) and on
# virtkitd's (qemu:///system of a private daemon), both through
# python3-libvirt; on success `dumpxml --inactive` is read and the domain
# undefined. Classes:
#   both-refuse     error code/domain compared (same-code / other-code)
#   vk-refuses      libvirt accepts, virtkit refuses (its message)
#   lv-refuses      virtkit accepts what libvirt refuses
#   same            identical inactive XML
#   drops           virtkit's XML lacks something of the input that libvirt
#                   keeps (the worst class: silently dropped)
#   defaults        libvirt adds or rewrites something virtkit does not (or
#                   the other way): defaults filled in differently
#   order           same content, another order
# With --reduce, an input only virtkit refuses for an element or attribute
# it names ("element 'devices/disk/driver' is not supported ...") is
# defined again on both sides without it, up to 10 times, and that result
# is classified too (reduced-*): the drops hidden behind a refusal.
# A fact is (element path, attribute, value) or (element path, '#text',
# text) or (element path,) for an element itself, counted as a multiset.
# Values generated when the input has none (uuid, MAC) are not compared.
#
# Usage: sudo tests/conf/domxml-audit.py --src LIBVIRT-9.0.0-DIR [--build build]
#            [--json FILE] [--only SUBSTRING[,SUBSTRING...]] [--limit N] [-v]
#        sudo tests/conf/domxml-audit.py --xml FILE.xml...   (e.g. a new
#            xml2argv fixture: its class, and the diff where both accept)
import argparse
import collections
import difflib
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "daemon"))
sys.path.append("/usr/lib/python3/dist-packages")

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

QEMU = "/usr/bin/qemu-system-x86_64"


def machines():
    out = subprocess.run([QEMU, "-machine", "help"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines()[1:] if line.strip()}


def corpus(src):
    seen, items = set(), []
    for sub in ("qemuxml2xmloutdata", "qemuxml2argvdata"):
        for path in sorted(glob.glob(os.path.join(src, "tests", sub, "*.xml"))):
            text = open(path, encoding="utf-8").read()
            digest = hashlib.sha1(text.encode()).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            items.append(("%s/%s" % (sub[7:10], os.path.basename(path)[:-4]), text))
    return items


def keep(text, known_machines):
    """None when kept, else the reason it is not."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return "not-xml"
    ostype = root.find("os/type")
    arch = ostype.get("arch") if ostype is not None else None
    if arch not in (None, "x86_64"):
        return "arch-" + arch
    emu = root.findtext("devices/emulator")
    if emu and not os.access(emu, os.X_OK):
        return "no-emulator"
    machine = ostype.get("machine") if ostype is not None else None
    if machine and machine not in known_machines:
        return "no-machine"
    return None


def adapt(text):
    return re.sub(r"(<domain\b[^>]*\btype=)(['\"])kvm\2", r"\1\2qemu\2", text, count=1)


def define_dump(conn, xml):
    """('ok', inactive xml) or ('err', (code, domain, message))."""
    try:
        dom = conn.defineXML(xml)
    except libvirt.libvirtError as e:
        return "err", (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    try:
        out = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    except libvirt.libvirtError as e:
        out = None
        err = (e.get_error_code(), e.get_error_domain(), "dumpxml: " + e.get_error_message())
    for flags in (libvirt.VIR_DOMAIN_UNDEFINE_NVRAM | libvirt.VIR_DOMAIN_UNDEFINE_TPM, 0):
        try:
            dom.undefineFlags(flags)
            break
        except libvirt.libvirtError:
            continue
    else:
        raise RuntimeError("cannot undefine %s" % dom.name())
    return ("ok", out) if out is not None else ("err", err)


GENERATED = {("domain/uuid", "#text"), ("domain/genid", "#text"),
             ("domain/devices/interface/mac", "address")}


def facts(root, input_has=None):
    out = collections.Counter()

    def walk(el, path):
        path = path + "/" + el.tag if path else el.tag
        out[(path,)] += 1
        for k, v in el.attrib.items():
            out[(path, k, v)] += 1
        text = (el.text or "").strip()
        if text and not len(el):
            out[(path, "#text", text)] += 1
        for child in el:
            walk(child, path)
    walk(root, "")
    return out


def strip_generated(f, inp):
    res = collections.Counter()
    for k, n in f.items():
        if len(k) == 3 and (k[0], k[1]) in GENERATED and \
                not any(len(i) == 3 and i[:2] == k[:2] for i in inp):
            k = (k[0], k[1], "*generated*")
        res[k] += n
    return res


def mask_generated(inp_text, text):
    if "<uuid>" not in inp_text:
        text = re.sub(r"<uuid>[^<]*</uuid>", "<uuid>*</uuid>", text)
    if re.search(r"<genid\s*/>|<genid>\s*</genid>", inp_text):
        text = re.sub(r"<genid>[^<]*</genid>", "<genid>*</genid>", text)
    if "<mac address=" not in inp_text:
        text = re.sub(r"<mac address='[^']*'", "<mac address='*'", text)
    return text


def compare(inp_text, lv_text, vk_text):
    if mask_generated(inp_text, lv_text) == mask_generated(inp_text, vk_text):
        return "same", {}
    inp = facts(ET.fromstring(inp_text))
    lv = strip_generated(facts(ET.fromstring(lv_text)), inp)
    vk = strip_generated(facts(ET.fromstring(vk_text)), inp)
    missing = lv - vk
    extra = vk - lv
    # dropped: virtkit has fewer of something than both the input and
    # libvirt's output have (more in libvirt's is a default it filled)
    drops = collections.Counter({k: n for k, n in missing.items()
                                 if vk[k] < min(inp[k], lv[k])})
    detail = {"drops": sorted(drops), "missing": sorted(k for k in missing if k not in drops),
              "extra": sorted(extra)}
    if drops:
        return "drops", detail
    if missing or extra:
        return "defaults", detail
    return "order", detail


def strip(text, msg):
    """@text without what @msg names, or None (not a message naming it)."""
    m = re.match(r"unsupported configuration: (?:attribute '([^']+)' of )?element '([^']+)' "
                 r"is not supported by the QEMU driver", msg)
    if not m:
        return None
    attr, path = m.groups()
    root = ET.fromstring(text)
    parts = path.split("/")
    parents = [root] if len(parts) == 1 else root.findall("/".join(parts[:-1]))
    found = False
    for parent in parents:
        for el in list(parent):
            if el.tag != parts[-1]:
                continue
            if attr and attr in el.attrib:
                del el.attrib[attr]
                found = True
            elif not attr:
                parent.remove(el)
                found = True
    return ET.tostring(root, encoding="unicode") if found else None


def reduce_case(lvc, vkc, text, err):
    removed = []
    for _ in range(10):
        text = strip(text, err[2])
        if text is None:
            return {"removed": removed, "class": "reduced-stuck", "vk": err} if removed \
                else None
        removed.append(err[2])
        r_lv = define_dump(lvc, text)
        r_vk = define_dump(vkc, text)
        if r_lv[0] == "err":
            return {"removed": removed, "class": "reduced-lv-refuses", "lv": r_lv[1]}
        if r_vk[0] == "err":
            err = r_vk[1]
            continue
        cls, detail = compare(text, r_lv[1], r_vk[1])
        return {"removed": removed, "class": "reduced-" + cls, **detail}
    return {"removed": removed, "class": "reduced-stuck", "vk": err}


def key_name(k):
    """A fact's element/attribute without the value (for the tallies)."""
    return k[0] + ("" if len(k) == 1 else "@" + k[1])


def norm_msg(msg):
    # names of elements and types stay, paths, numbers and long values go
    return re.sub(r"'([^']*)'", lambda m: m.group(0) if len(m.group(1)) <= 40 and
                  not re.search(r"^/|[0-9]", m.group(1)) else "'…'", msg)[:140]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", help="libvirt 9.0.0 source tree")
    ap.add_argument("--xml", nargs="+", help="these files instead of libvirt's corpus")
    ap.add_argument("--build", default=os.path.join(here, "..", "..", "build"))
    ap.add_argument("--json", help="write every case's result there")
    ap.add_argument("--only", help="only inputs whose name contains this (or one of these, "
                    "comma-separated)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--reduce", action="store_true",
                    help="strip what virtkit refuses and compare again")
    args = ap.parse_args()

    os.environ.setdefault("VIRTKITD", os.path.join(os.path.abspath(args.build),
                                                   "src", "daemon", "virtkitd"))
    import vkdtest
    vkdtest.VIRTKITD = os.environ["VIRTKITD"]
    from test_storageparity import Libvirtd

    known = machines()
    items, skipped = [], collections.Counter()
    if not args.src and not args.xml:
        ap.error("--src or --xml is needed")
    inputs = corpus(args.src) if args.src else \
        [(os.path.basename(f)[:-4], open(f, encoding="utf-8").read()) for f in args.xml]
    for name, text in inputs:
        if args.only and not any(o in name for o in args.only.split(",")):
            continue
        why = keep(text, known)
        if why:
            skipped[why.split("-")[0] if why.startswith("arch-") else why] += 1
            continue
        items.append((name, adapt(text)))
    if args.limit:
        items = items[:args.limit]

    lv = vk = None
    results = {}
    try:
        lv = Libvirtd()
        vk = vkdtest.Daemon().start()
        lvc = libvirt.open(lv.uri())
        vkc = libvirt.open(vk.uri())
        for i, (name, text) in enumerate(items):
            r_lv = define_dump(lvc, text)
            r_vk = define_dump(vkc, text)
            if r_lv[0] == "err" and r_vk[0] == "err":
                cls = "both-refuse"
                detail = {"lv": r_lv[1], "vk": r_vk[1],
                          "same-code": r_lv[1][:2] == r_vk[1][:2]}
            elif r_lv[0] == "ok" and r_vk[0] == "err":
                cls, detail = "vk-refuses", {"vk": r_vk[1]}
            elif r_lv[0] == "err":
                cls, detail = "lv-refuses", {"lv": r_lv[1]}
            else:
                cls, detail = compare(text, r_lv[1], r_vk[1])
                detail["lv_xml"], detail["vk_xml"] = r_lv[1], r_vk[1]
            if cls == "vk-refuses" and args.reduce:
                red = reduce_case(lvc, vkc, text, r_vk[1])
                if red:
                    detail["reduced"] = red
            results[name] = {"class": cls, **detail}
            if args.verbose or args.xml:
                print("%4d %-60s %s" % (i, name, cls), flush=True)
            if args.xml and "lv_xml" in detail and cls != "same":
                sys.stdout.writelines(difflib.unified_diff(
                    detail["lv_xml"].splitlines(True), detail["vk_xml"].splitlines(True),
                    "libvirt", "virtkit"))
            elif args.xml and cls != "same":
                print("     libvirt: %s\n     virtkit: %s" % (detail.get("lv"), detail.get("vk")))
    finally:
        if vk:
            vk.stop()
        if lv:
            lv.stop()
        vkdtest.cleanup_all()

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"skipped": skipped, "results": results}, f, indent=1, default=list)
    report(items, skipped, results)


def report(items, skipped, results):
    classes = collections.Counter(r["class"] for r in results.values())
    print("inputs kept: %d; not kept: %s" % (len(items), dict(sorted(skipped.items()))))
    print("\n| class | inputs |\n|---|---|")
    for cls in ("same", "order", "defaults", "drops", "vk-refuses", "lv-refuses",
                "both-refuse"):
        print("| %s | %d |" % (cls, classes[cls]))
    br = [r for r in results.values() if r["class"] == "both-refuse"]
    print("\nboth refuse: %d with libvirt's code and domain, %d with another"
          % (sum(r["same-code"] for r in br), sum(not r["same-code"] for r in br)))

    def tally(title, it, n=25):
        c = collections.Counter(it)
        print("\n%s (%d distinct):" % (title, len(c)))
        for k, v in c.most_common(n):
            print("  %4d  %s" % (v, k))
    red = [r["reduced"] for r in results.values() if "reduced" in r]
    if red:
        print("\nreduced (virtkit's refusals stripped on both sides): %s" % dict(
            collections.Counter(r["class"] for r in red).most_common()))
        tally("dropped once reduced (element@attribute, inputs)",
              (k for r in red if r["class"] == "reduced-drops"
               for k in {key_name(f) for f in r["drops"]}))
        tally("reduced, stuck on (message)",
              (norm_msg(r["vk"][2]) for r in red if r["class"] == "reduced-stuck"), 15)
    tally("dropped (element@attribute, inputs)",
          (k for r in results.values() if r["class"] == "drops"
           for k in {key_name(f) for f in r["drops"]}))
    tally("virtkit refuses, libvirt accepts (message)",
          (norm_msg(r["vk"][2]) for r in results.values() if r["class"] == "vk-refuses"))
    tally("libvirt refuses, virtkit accepts (message)",
          (norm_msg(r["lv"][2]) for r in results.values() if r["class"] == "lv-refuses"))
    tally("both refuse with another code (libvirt's message)",
          (norm_msg(r["lv"][2]) for r in br if not r["same-code"]), 10)
    tally("defaults: libvirt has, virtkit not (element@attribute)",
          (k for r in results.values() if r["class"] in ("defaults", "drops")
           for k in {key_name(f) for f in r["missing"]}))
    tally("defaults: virtkit has, libvirt not (element@attribute)",
          (k for r in results.values() if r["class"] in ("defaults", "drops")
           for k in {key_name(f) for f in r["extra"]}))


if __name__ == "__main__":
    main()
