#!/usr/bin/env python3
"""Count passed/failed test cases in a meson testlog.json.

A TAP test contributes one case per 'ok' / 'not ok' line of its output (skips
are not counted as passes); any other test counts as one case. A TAP test that
failed as a whole (crash, sanitizer report, wrong plan) adds one failure even
when every line it printed was 'ok'. Prints "PASSED FAILED".

With --failures, prints instead one line per failure: the test's name and
the 'not ok' line (or the test's result), so the end of a CI log says what
failed and not only how many.
"""
import json
import re
import sys

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
        else:
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                pass
            else:
                failed += 1
                failures.append(f"{name}: {result}")
if list_failures:
    for line in failures:
        print(line)
else:
    print(passed, failed)
