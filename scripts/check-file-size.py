#!/usr/bin/env python3
"""check-file-size.py: no code file in src/ or tools/ passes 1,500 lines.

STYLE.md keeps files under about 1,500 lines, split along a real seam (a
file holds one concept); this fails the build's checks when one passes the
limit, naming it, and notes those within 100 lines of it so a split can be
planned before the file that crosses it lands.

Code is C (.c, .h), Python, shell, Perl and meson.build. The protocol
descriptions (.vkp) and the exported-symbol list (.syms) are not: they are
lists with one entry per procedure or symbol, and grow with the API.

Usage: check-file-size.py [SRCROOT]   (TAP on stdout; exit 1 over the limit)
"""
import os
import sys

LIMIT = 1500
NEAR = 100
DIRS = ("src", "tools")
CODE = (".c", ".h", ".py", ".sh", ".pl")


def code_files(root):
    for top in DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(CODE) or name == "meson.build":
                    yield os.path.join(dirpath, name)


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    over, near, n = [], [], 0
    for path in code_files(root):
        with open(path, "rb") as f:
            lines = sum(1 for _ in f)
        n += 1
        rel = os.path.relpath(path, root)
        if lines > LIMIT:
            over.append((lines, rel))
        elif lines > LIMIT - NEAR:
            near.append((lines, rel))
    print("1..1")
    for lines, rel in sorted(near, reverse=True):
        print("# near the limit: %s (%d lines)" % (rel, lines))
    if not n:
        print("not ok 1 - no code file found under %s" % root)
        return 1
    if over:
        print("not ok 1 - %d of %d code files in src/ and tools/ pass %d lines "
              "(STYLE.md: split along a real seam):" % (len(over), n, LIMIT))
        for lines, rel in sorted(over, reverse=True):
            print("#   %s: %d lines" % (rel, lines))
        return 1
    print("ok 1 - %d code files in src/ and tools/, none over %d lines" % (n, LIMIT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
