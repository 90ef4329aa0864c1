#!/usr/bin/env python3
"""Write virtkit's keycode tables from keycodemapdb's keymaps.csv.

Usage: scripts/keycode-tables.py KEYMAPS.CSV

keymaps.csv is the public key database of keycodemapdb
(https://gitlab.com/keycodemap/keycodemapdb, data/keymaps.csv); libvirt 9.0
builds its send-key tables from the copy at commit 0c3623c (2022-08-23; the
later Hangeul/Hanja fix changed AT set 1 values that libvirt 9.0's test
driver still refuses). Run from the top of the tree; it rewrites
src/util/virkeycodetable.h (one row per linux key: its code in each of
libvirt's codesets) and tools/vksh/vksh-keynames.h (the key names virsh
accepts: linux, os_x and win32). Both are committed (laid out by
clang-format): the build does not need the CSV.

How the rows are made (what libvirt's tables hold, so that its lookups give
the same answers here):
- one row per linux keycode in the file, in ascending order; where the file
  has several lines for one key, the last non-empty value of each column
  wins;
- a codeset with no value for a key holds the value it has for key 0
  (KEY_RESERVED: 0xff in os_x), else 0;
- xt is atset1; xt_kbd is atset1 with an 0xe0XX scancode written 0x1XX;
  qnum is atset1 with an 0xe0XX scancode written 0x80|XX;
- a key's name in a codeset is the last non-empty name of its lines.
"""
import csv
import subprocess
import sys

# codesets in virKeycodeSet order and the CSV column of their codes
SETS = ["linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb", "win32", "qnum"]
CODE_COL = {"linux": 1, "os_x": 3, "atset1": 4, "atset2": 5, "atset3": 6, "usb": 7, "win32": 9}
NAME_COL = {"linux": 0, "os_x": 2, "win32": 8}


def number(text):
    return int(text, 16) if text.startswith("0x") else int(text, 10)


def load(path):
    codes = {s: {} for s in CODE_COL}
    names = {s: {} for s in NAME_COL}
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    for row in rows:
        linux = number(row[CODE_COL["linux"]])
        codes["linux"][linux] = linux
        for s, col in CODE_COL.items():
            if s != "linux" and row[col]:
                codes[s][linux] = number(row[col])
        for s, col in NAME_COL.items():
            if row[col]:
                names[s][linux] = row[col]
    return codes, names


def table(codes):
    keys = sorted(codes["linux"])
    out = []
    for key in keys:
        row = {}
        for s in CODE_COL:
            row[s] = codes[s].get(key, codes[s].get(0, 0))
        at1 = codes["atset1"].get(key)
        if at1 is None:
            row["xt_kbd"] = row["qnum"] = 0
        elif at1 > 0x7F:
            assert at1 & ~0x7F == 0xE000, hex(at1)
            row["xt_kbd"] = 0x100 | (at1 & 0x7F)
            row["qnum"] = 0x80 | (at1 & 0x7F)
        else:
            row["xt_kbd"] = row["qnum"] = at1
        row["xt"] = row["atset1"]
        out.append((key, row))
    return out


def write_util(rows, names):
    with open("src/util/virkeycodetable.h", "w") as f:
        f.write("/* virkeycodetable.h: each linux key's code in libvirt's codesets "
                "(written by scripts/keycode-tables.py) */\n")
        f.write("#pragma once\n\n")
        f.write("/*\n * Facts from keycodemapdb's keymaps.csv (the copy libvirt 9.0 builds\n"
                " * with); the script's header says how a row is made. Columns in\n"
                " * virKeycodeSet order: %s.\n"
                " * Do not edit: change the script and run it again.\n */\n" % ", ".join(SETS))
        f.write("static const unsigned short virKeycodeTable[][%d] = {\n" % len(SETS))
        for key, row in rows:
            label = names["linux"].get(key, "unnamed")
            f.write("    { %s }, /* %s */\n" % (", ".join("0x%x" % row[s] for s in SETS), label))
        f.write("};\n")


def write_vksh(rows, names):
    with open("tools/vksh/vksh-keynames.h", "w") as f:
        f.write("/* vksh-keynames.h: the key names virsh accepts, per codeset "
                "(written by scripts/keycode-tables.py) */\n")
        f.write("#pragma once\n\n")
        f.write("/*\n * virsh looks a name up in the rows of libvirt's tables in linux key\n"
                " * order and takes the first match's code: the same order here. Only\n"
                " * linux, os_x and win32 have names. Do not edit: change the script\n"
                " * and run it again.\n */\n")
        f.write("typedef struct {\n    const char *name;\n    unsigned int code;\n"
                "} vkshKeyName;\n")
        for s, var in (("linux", "vkshLinuxKeyNames"), ("os_x", "vkshOsxKeyNames"),
                       ("win32", "vkshWin32KeyNames")):
            f.write("\nstatic const vkshKeyName %s[] = {\n" % var)
            for key, row in rows:
                if key in names[s]:
                    f.write("    { \"%s\", 0x%x },\n" % (names[s][key], row[s]))
            f.write("};\n")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    codes, names = load(sys.argv[1])
    rows = table(codes)
    write_util(rows, names)
    write_vksh(rows, names)
    # the tree's layout (suite 'format')
    subprocess.run(["clang-format", "-i", "src/util/virkeycodetable.h",
                    "tools/vksh/vksh-keynames.h"], check=True)


if __name__ == "__main__":
    main()
