#!/usr/bin/env python3
"""Count passed/failed test cases in a meson testlog.json.

A TAP test contributes one case per 'ok' / 'not ok' line of its output (skips
are not counted as passes); any other test counts as one case. A TAP test that
failed as a whole (crash, sanitizer report, wrong plan) adds one failure even
when every line it printed was 'ok'. Prints "PASSED FAILED".
"""
import json
import re
import sys

passed = failed = 0
with open(sys.argv[1]) as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        result = t.get("result")
        out = t.get("stdout") or ""
        oks = nots = 0
        for l in out.splitlines():
            if re.match(r"^not ok\b", l):
                if "# TODO" not in l:
                    nots += 1
            elif re.match(r"^ok\b", l):
                if "# SKIP" not in l:
                    oks += 1
        if oks or nots:
            passed += oks
            failed += nots
            if result not in ("OK", "EXPECTEDFAIL", "SKIP") and nots == 0:
                failed += 1
        else:
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                pass
            else:
                failed += 1
print(passed, failed)
