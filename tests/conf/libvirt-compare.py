#!/usr/bin/env python3
# libvirt-compare.py: check tests/data/xml2xml expectations against the real libvirt.
#
# Developer tool, not part of `make check` (it needs libvirt-dev): builds
# libvirt-probe.c against the installed libvirt, defines every fixture on
# test:///default and compares libvirt's answer with our NAME.out.xml or
# NAME.err. Output lines libvirt's test driver adds on its own (drive
# addresses, generated interface names, the
# i686 arch default, graphics/video defaults) are dropped before comparing,
# since those are driver work or features virtkit does not carry.
# Usage: tests/conf/libvirt-compare.py [NAME...]
import os, re, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', 'data', 'xml2xml')
probe = os.path.join(tempfile.gettempdir(), 'vk-libvirt-probe')
subprocess.check_call(['cc', '-o', probe, os.path.join(here, 'libvirt-probe.c'), '-lvirt'])

def clean(text, want=''):
    out, skip = [], None
    for line in text.splitlines(True):
        s = line.strip()
        if skip:
            if s.startswith(skip):
                skip = None
            continue
        # libvirt's test driver assigns drive addresses; virtkit keeps given ones
        if (re.match(r"<address type='drive'", s) and line not in want) or \
                re.match(r"<target dev='testnet\d+'/>", s):
            continue
        for tag in ():
            if s.startswith('<%s ' % tag) or s == '<%s>' % tag:
                if not s.endswith('/>'):
                    skip = '</%s>' % tag
                break
        else:
            out.append(line.replace(" arch='i686'", ''))
    return ''.join(out)

names = sys.argv[1:] or sorted(f[:-4] for f in os.listdir(data)
                               if f.endswith('.xml') and not f.endswith('.out.xml'))
known = {}
for l in open(os.path.join(data, 'LIBVIRT-DIFFERENCES')):
    if l.strip() and not l.startswith('#'):
        k, v = l.split(':', 1)
        known[k.strip()] = v.strip()
bad = 0
for name in names:
    if name.endswith('-live'):
        continue
    env = dict(os.environ)
    if name.endswith('-validate'):
        env['VALIDATE'] = '1'
    got = subprocess.run([probe, os.path.join(data, name + '.xml')], env=env,
                         capture_output=True, text=True).stdout
    if os.path.exists(os.path.join(data, name + '.err')):
        want = open(os.path.join(data, name + '.err')).read()
    else:
        want = open(os.path.join(data, name + '.out.xml')).read()
        got = clean(got, want)
    if got != want and name in known:
        print('--- %s: expected difference: %s' % (name, known[name]))
    elif got != want:
        bad += 1
        print('=== %s differs (libvirt first, ours second)' % name)
        sys.stdout.writelines(l for l in __import__('difflib').unified_diff(
            got.splitlines(True), want.splitlines(True), 'libvirt', 'virtkit'))
print('%d of %d differ unexpectedly' % (bad, len(names)))
sys.exit(1 if bad else 0)
