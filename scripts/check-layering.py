#!/usr/bin/env python3
"""check-layering.py: every #include "..." in src/ and tools/ goes down the layers,
and every .c file logs in its layer's log domain.

The layers are DESIGN.md's; each one may include its own headers and those
of the layers listed for it below, nothing else. A header is found by its
bare name (the tree includes by bare name, all src folders on the path), so
two headers with one name in two layers are refused too. Headers the build
generates (virtkit-config.h, *_generated.h ...) belong to the layer of the
folder that generates them when they are listed in GENERATED, and anyone may
include virtkit-config.h.

Usage: check-layering.py [SRCROOT]   (TAP on stdout; exit 1 on a violation)
"""
import os
import re
import sys

# Layer of a file: the first matching prefix (files first, then folders).
LAYER_OF = [
    ("src/libvirt/datatypes.", "objects"),
    ("src/libvirt/virfdstream.", "objects"),
    ("src/libvirt/driver.h", "objects"),
    ("src/libvirt/driver-state.h", "objects"),
    ("src/util/", "util"),
    ("src/conf/", "conf"),
    ("src/rpc/", "rpc"),
    ("src/remote/", "remote"),
    ("src/drivers/test/", "drivers/test"),
    ("src/drivers/qemu/", "drivers/qemu"),
    ("src/drivers/storage/", "drivers/storage"),
    ("src/drivers/network/", "drivers/network"),
    ("src/drivers/host/", "drivers/host"),
    ("src/drivers/nwfilter/", "drivers/nwfilter"),
    ("src/libvirt/", "libvirt"),
    ("src/daemon/", "daemon"),
    ("tools/", "tools"),
]

DRIVERS = ["drivers/test", "drivers/qemu", "drivers/storage",
           "drivers/network", "drivers/host", "drivers/nwfilter"]

# What each layer may include besides itself (DESIGN.md "Layers").
ALLOWED = {
    "util": [],
    "objects": ["util"],
    "conf": ["util", "objects"],
    "rpc": ["util"],
    "remote": ["util", "objects", "conf", "rpc"],
    "drivers/test": ["util", "objects", "conf"],
    "drivers/qemu": ["util", "objects", "conf"],
    "drivers/storage": ["util", "objects", "conf"],
    "drivers/network": ["util", "objects", "conf"],
    "drivers/host": ["util", "objects", "conf"],
    "drivers/nwfilter": ["util", "objects", "conf"],
    # the entry points dispatch to every driver
    "libvirt": ["util", "objects", "conf", "rpc", "remote"] + DRIVERS,
    "daemon": ["util", "objects", "conf", "rpc", "remote", "libvirt"] + DRIVERS,
    # the shell is a client of the public API only (include/libvirt)
    "tools": [],
}

# Generated headers: name -> layer (virtkit-config.h: anyone).
GENERATED = {"virtkit-config.h": None,
             # src/remote/protocol.vkp through vkrpcgen.py
             "remote_protocol.h": "remote", "remote_client.h": "remote",
             "remote_dispatch_gen.h": "daemon",
             # src/rpc/virnetprotocol.vkp through vkrpcgen.py --types
             "virnetprotocol.h": "rpc"}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# One log-domain scheme (STYLE.md "Logging": one log domain per file):
# library code virtkit.<layer>[.topic], the daemon virtkitd[.topic], the
# shell vksh[.topic], the demo tools virtkit.demo. Every .c file defines one.
LOG_PREFIX = {
    "util": ("virtkit.util",),
    "objects": ("virtkit.api",),
    "conf": ("virtkit.conf",),
    "rpc": ("virtkit.rpc",),
    "remote": ("virtkit.remote",),
    "drivers/test": ("virtkit.test",),
    "drivers/qemu": ("virtkit.qemu",),
    "drivers/storage": ("virtkit.storage",),
    "drivers/network": ("virtkit.network",),
    "drivers/host": ("virtkit.host",),
    "drivers/nwfilter": ("virtkit.nwfilter",),
    "libvirt": ("virtkit.api",),
    "daemon": ("virtkitd",),
    "tools": ("vksh", "virtkit.demo"),
}
LOG_RE = re.compile(r'^#define G_LOG_DOMAIN "([^"]*)"', re.M)


def log_domain_ok(lay, domain):
    return any(domain == p or domain.startswith(p + ".") for p in LOG_PREFIX[lay])


def layer_of(path):
    for prefix, layer in LAYER_OF:
        if path.startswith(prefix):
            return layer
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    files = []
    for top in ("src", "tools"):
        for d, _, names in os.walk(os.path.join(root, top)):
            for n in names:
                if n.endswith((".c", ".h")):
                    files.append(os.path.relpath(os.path.join(d, n), root))
    files.sort()

    # bare header name -> layer of the folder holding it
    header_layer = {}
    problems = []
    for f in files:
        if not f.endswith(".h"):
            continue
        name = os.path.basename(f)
        lay = layer_of(f)
        if name in header_layer and header_layer[name][0] != lay:
            problems.append("%s: header name also in %s" % (f, header_layer[name][1]))
        header_layer[name] = (lay, f)

    print("1..%d" % len(files))
    failed = 0
    for i, f in enumerate(files, 1):
        lay = layer_of(f)
        if lay is None:
            print("not ok %d - %s # in no layer: add it to check-layering.py" % (i, f))
            failed += 1
            continue
        text = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
        bad = []
        for inc in INCLUDE_RE.findall(text):
            name = os.path.basename(inc)
            if name in GENERATED:
                target = GENERATED[name]
            elif name in header_layer:
                target = header_layer[name][0]
            elif lay == "tools":
                continue    # the shell's own headers live beside it
            else:
                bad.append("%s (unknown header)" % inc)
                continue
            if target is None or target == lay or target in ALLOWED[lay]:
                continue
            bad.append("%s (layer %s)" % (inc, target))
        mine = [p for p in problems if p.startswith(f + ":")]
        if f.endswith(".c"):
            m = LOG_RE.search(text)
            if not m:
                mine.append("no G_LOG_DOMAIN (want %s.*)" % " or ".join(LOG_PREFIX[lay]))
            elif not log_domain_ok(lay, m.group(1)):
                mine.append("log domain '%s' is not %s[.*]" % (m.group(1), " or ".join(LOG_PREFIX[lay])))
        if bad or mine:
            failed += 1
            why = "; ".join(["%s includes %s" % (lay, b) for b in bad] + mine)
            print("not ok %d - %s # %s" % (i, f, why))
        else:
            print("ok %d - %s" % (i, f))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
