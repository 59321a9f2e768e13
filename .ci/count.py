#!/usr/bin/env python3
"""Print 'N passed, N failed' over the individual tests of one or more meson
JUnit logs (GoogleTest cases, TAP checks, plain tests). A test counts as
passed when it passed in every log and failed when it failed in any; a log
that is missing counts as one failure."""
import sys
import xml.etree.ElementTree as ET

results = {}
missing = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        missing += 1
        continue
    for case in root.iter("testcase"):
        key = (case.get("classname"), case.get("name"))
        bad = any(case.find(tag) is not None for tag in ("failure", "error"))
        skipped = case.find("skipped") is not None
        if skipped:
            continue
        results[key] = results.get(key, True) and not bad
passed = sum(1 for ok in results.values() if ok)
failed = sum(1 for ok in results.values() if not ok) + missing
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
