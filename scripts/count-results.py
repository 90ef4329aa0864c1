#!/usr/bin/env python3
"""Count passed/failed test cases in a meson testlog.json.

A TAP test contributes one case per 'ok' / 'not ok' line of its output (skips
are not counted as passes); any other test counts as one case. A TAP test that
failed as a whole (crash, sanitizer report, wrong plan) adds one failure even
when every line it printed was 'ok'. Prints "PASSED FAILED".

With --failures, prints instead one line per failure: the test's name and
the 'not ok' line (or the test's result), so the end of a CI log says what
failed and not only how many. A test that failed without a 'not ok' line
(an abort, a sanitizer report, a bail-out) is followed by its last words:
its 'Bail out!' line and the last lines of its stderr, indented.
"""
import json
import re
import sys

LAST_LINES = 12


def last_words(t):
    """What a test that died said last: its bail-out line(s) and the end of
    its stderr (meson keeps a TAP test's stderr apart from its stdout)."""
    words = [l for l in (t.get("stdout") or "").splitlines()
             if l.startswith("Bail out!")]
    err = (t.get("stderr") or "").rstrip().splitlines()
    if not err and not words:
        # not TAP: stdout and stderr are one stream
        err = (t.get("stdout") or "").rstrip().splitlines()
    words += err[-LAST_LINES:]
    return ["    " + l[:300] for l in words]


args = sys.argv[1:]
list_failures = "--failures" in args
args = [a for a in args if a != "--failures"]
passed = failed = 0
failures = []
with open(args[0]) as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        result = t.get("result")
        out = t.get("stdout") or ""
        name = t.get("name", "?")
        oks = nots = 0
        for l in out.splitlines():
            if re.match(r"^not ok\b", l):
                if "# TODO" not in l:
                    nots += 1
                    failures.append(f"{name}: {l.strip()}")
            elif re.match(r"^ok\b", l):
                if "# SKIP" not in l:
                    oks += 1
        if oks or nots:
            passed += oks
            failed += nots
            if result not in ("OK", "EXPECTEDFAIL", "SKIP") and nots == 0:
                failed += 1
                failures.append(f"{name}: {result} (every case printed ok)")
                failures.extend(last_words(t))
        else:
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                pass
            else:
                failed += 1
                failures.append(f"{name}: {result}")
                failures.extend(last_words(t))
if list_failures:
    for line in failures:
        print(line)
else:
    print(passed, failed)
