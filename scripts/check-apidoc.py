#!/usr/bin/env python3
"""check-apidoc.py: every exported symbol defined in src/libvirt/*.c carries its contract comment.

For each name in src/libvirt/libvirtkit.syms that src/libvirt/*.c defines, the
definition must be directly preceded (return-type lines aside) by a gtk-doc block

    /**
     * NAME:
     * ...
     * Returns ...        (unless the function returns void; not for variables)
     */

Definitions are found in the house style: the name at column 0 followed by
"(" (return type on the line above), a macro instantiation "MACRO(NAME," at
column 0 (the macro defined in the same file or a src/libvirt header; the
return type is the macro body's first line), or a variable
"TYPE NAME =" at column 0. A listed name defined nowhere in src/ fails; one
defined outside src/libvirt (src/util's error and event API) is reported as
a skip, not checked. The checker first runs itself on built-in samples, so a
checker that stopped finding faults fails too.

Usage: check-apidoc.py [SRCROOT]   (TAP on stdout; exit 1 on any failure)
"""
import glob
import os
import re
import sys

SYMS = "src/libvirt/libvirtkit.syms"
API_GLOB = "src/libvirt/*.c"


def read_syms(text):
    """The names of the version script's global: section."""
    names = []
    in_global = False
    for line in re.sub(r"/\*.*?\*/", "", text, flags=re.S).splitlines():
        line = line.strip()
        if line == "global:":
            in_global = True
        elif line == "local:" or line.startswith("}"):
            in_global = False  # a node ends ("} PARENT;" for a later node)
        elif in_global and line.endswith(";"):
            names.append(line[:-1].strip())
    return names


def macro_return_types(lines):
    """MACRO -> the return type its body starts with (the first body line)."""
    types = {}
    for i, line in enumerate(lines):
        m = re.match(r"#\s*define\s+(\w+)\(", line)
        if m and line.rstrip().endswith("\\") and i + 1 < len(lines):
            types[m.group(1)] = lines[i + 1].rstrip("\\ \t").strip()
    return types


def find_definitions(text, shared_macros=None):
    """name -> (line index, kind, return type) for top-level definitions;
    @shared_macros: the generating macros of the headers (macro_return_types)."""
    lines = text.split("\n")
    macros = dict(shared_macros or {})
    macros.update(macro_return_types(lines))
    defs = {}
    for i, line in enumerate(lines):
        m = re.match(r"([A-Za-z_]\w*)\(", line)
        if m and not line.endswith(";") and i > 0:
            name = m.group(1)
            if name in macros:
                arg = re.match(r"\w+\(\s*(\w+)", line)
                if arg:
                    defs[arg.group(1)] = (i, "function", macros[name])
                continue
            # a definition: return type alone on the line above, and the
            # parameter list closes without a ';' (a prototype ends in one)
            ret = lines[i - 1].strip()
            if not ret or ret.endswith((";", "}", "{", ")", "*/", ",")) or \
                    ret.startswith(("#", "/*", "*")):
                continue
            j = i
            while j < len(lines) and ")" not in lines[j]:
                j += 1
            if j < len(lines) and lines[j].rstrip().endswith(";"):
                continue
            defs[name] = (i - 1, "function", ret)
            continue
        m = re.match(r"[A-Za-z_][\w ]*?[\s*]+([A-Za-z_]\w*)\s*=", line)
        if m:
            defs.setdefault(m.group(1), (i, "variable", None))
    return defs, lines


def check_block(lines, start, name, kind, rettype):
    """'' if the comment above lines[start] is NAME's contract, else why not."""
    end = start - 1
    if end < 0 or lines[end].strip() != "*/":
        return "no /** %s: */ block directly above the definition" % name
    k = end
    while k >= 0 and not lines[k].startswith("/*"):
        k -= 1
    if k < 0 or lines[k].rstrip() != "/**":
        return "the comment above is not a /** gtk-doc block"
    if k + 1 >= end or lines[k + 1].rstrip() != " * %s:" % name:
        return "the block's first line is not ' * %s:'" % name
    body = lines[k + 2:end]
    if kind == "function" and rettype != "void" and \
            not any(re.match(r"\s\*\s+Returns\b", b) for b in body):
        return "no 'Returns' line (returns %s)" % rettype
    if not any(b.strip() not in ("*", "") for b in body):
        return "empty contract"
    return ""


def check_source(text, names, shared_macros=None):
    """{name: problem or ''} for the names @text defines."""
    defs, lines = find_definitions(text, shared_macros)
    return {n: check_block(lines, *defs[n][:1], n, defs[n][1], defs[n][2])
            for n in names if n in defs}


SAMPLE = """\
/**
 * good:
 * @a: a thing
 *
 * Returns 0.
 */
int
good(int a)
{
    return a;
}

/**
 * noReturns:
 *
 * Does something.
 */
char *
noReturns(void)
{
    return 0;
}

int
bare(void);

int
bare(void)
{
    return 0;
}

/**
 * wrongName:
 * Returns 1.
 */
int
misnamed(void)
{
    return 1;
}

/**
 * quiet:
 * @x: a pointer
 *
 * Forgets @x.
 */
void
quiet(void *x)
{
}

#define GEN(func) \\
    int \\
    func(void) \\
    { return 0; }

/**
 * genGood:
 *
 * Returns 0.
 */
GEN(genGood)
GEN(genBare)

/**
 * var:
 *
 * The default.
 */
int *var = 0;
int *bareVar = 0;
"""

SAMPLE_EXPECT = {"good": True, "noReturns": False, "bare": False, "misnamed": False,
                 "quiet": True, "genGood": True, "genBare": False, "var": True,
                 "bareVar": False}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    names = read_syms(open(os.path.join(root, SYMS), encoding="utf-8").read())

    results = []    # (ok, description, directive)
    seen = check_source(SAMPLE, list(SAMPLE_EXPECT))
    for n, want in SAMPLE_EXPECT.items():
        got = n in seen and seen[n] == ""
        results.append((n in seen and got == want,
                        "self-test: sample %s %s" % (n, "passes" if want else "is refused"),
                        "" if n in seen else "not found in the sample"))

    # macros that generate definitions may live in the library's headers
    # (libvirt_internal.h's VIR_HANDLE_*)
    shared = {}
    for path in sorted(glob.glob(os.path.join(root, "src", "libvirt", "*.h"))):
        shared.update(macro_return_types(open(path, encoding="utf-8").read().split("\n")))
    found = {}
    for path in sorted(glob.glob(os.path.join(root, API_GLOB))):
        text = open(path, encoding="utf-8").read()
        for n, why in check_source(text, names, shared).items():
            found[n] = (os.path.relpath(path, root), why)

    others = {}
    missing = [n for n in names if n not in found]
    if missing:
        pat = re.compile(r"^(%s)\(" % "|".join(map(re.escape, missing)), re.M)
        for path in sorted(glob.glob(os.path.join(root, "src", "**", "*.c"),
                                     recursive=True)):
            for m in pat.finditer(open(path, encoding="utf-8").read()):
                others.setdefault(m.group(1), os.path.relpath(path, root))

    for n in names:
        if n in found:
            where, why = found[n]
            results.append((not why, "%s (%s)" % (n, where), why))
        elif n in others:
            results.append((True, n, "SKIP defined in %s, outside src/libvirt" % others[n]))
        else:
            results.append((False, n, "listed in %s but defined nowhere in src/" % SYMS))

    print("1..%d" % len(results))
    failed = 0
    for i, (ok, desc, note) in enumerate(results, 1):
        failed += not ok
        print("%s %d - %s%s" % ("ok" if ok else "not ok", i, desc,
                                " # " + note if note else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
