#!/usr/bin/env python3
"""Print 'N passed, N failed' over the individual tests of one or more JUnit
logs (meson's log of GoogleTest cases, TAP checks and plain tests; pytest's
log). A test counts as passed when it passed in every log and failed when it
failed in any; a log that is missing counts as one failure.

An argument NAME=PATH reads the detailed log PATH in place of the single
meson test NAME (the pytest run is one meson test holding many tests); if
that meson test itself failed, it still counts as one failure."""
import re
import sys
import xml.etree.ElementTree as ET

# characters XML 1.0 does not allow (a test's output may hold terminal colours)
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

results = {}
missing = 0
replaced = set()
logs = []
for arg in sys.argv[1:]:
    if "=" in arg:
        name, path = arg.split("=", 1)
        replaced.add(name)
        logs.append(path)
    else:
        logs.append(arg)
for path in logs:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            root = ET.fromstring(NOT_XML.sub("", f.read()))
    except (OSError, ET.ParseError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        missing += 1
        continue
    for case in root.iter("testcase"):
        key = (case.get("classname"), case.get("name"))
        bad = any(case.find(tag) is not None for tag in ("failure", "error"))
        if key[0] == "civrules" and key[1] in replaced and not bad:
            continue  # counted test by test from its own log
        if case.find("skipped") is not None:
            continue
        results[key] = results.get(key, True) and not bad
passed = sum(1 for ok in results.values() if ok)
failed = sum(1 for ok in results.values() if not ok) + missing
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
