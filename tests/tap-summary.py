#!/usr/bin/env python3
"""Counts the TAP test points in meson's test logs and prints the closing
line "N passed, N failed, N skipped".  A test program that crashed or
printed no plan counts as one failure.  Exits 1 when anything failed."""
import json
import re
import sys

passed = failed = skipped = todo = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"tap-summary: cannot read '{path}': {e.strerror}")
        failed += 1
        continue
    for line in lines:
        test = json.loads(line)
        points = 0
        for out in (test.get("stdout") or test.get("stdo") or "").splitlines():
            m = re.match(r"(not ok|ok)\b.*?(#\s*(SKIP|TODO).*)?$", out)
            if not m:
                continue
            points += 1
            if m.group(3) and m.group(3).upper() == "SKIP":
                skipped += 1
            elif m.group(3) and m.group(1) == "not ok":
                todo += 1	# a known difference, said in the test
            elif m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
        if test.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP") and \
                points == 0:
            failed += 1
        elif test.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP"):
            # The points may all pass while the program still failed
            # (a crash after the last point, a leak report).
            failed += 1
if passed + failed == 0:
    print("tap-summary: no test point ran")
    failed += 1
if todo:
    print(f"tap-summary: {todo} known differences marked TODO")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
