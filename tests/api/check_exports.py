#!/usr/bin/env python3
"""The shared library exports exactly the functions declared in the public
headers, and lib/civrules.map lists exactly those (libxkbcommon's habit).
Usage: check_exports.py LIBRARY SOURCE_ROOT"""
import glob
import re
import subprocess
import sys

lib, root = sys.argv[1], sys.argv[2]
declared = set()
for path in glob.glob(f"{root}/include/civrules/*.h") + [f"{root}/include/civrules/version.h.in"]:
    text = re.sub(r"/\*.*?\*/", "", open(path, encoding="utf-8").read(), flags=re.S)
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        declared.update(re.findall(r"\b(civr_[a-z0-9_]+)\s*\(", line))
mapped = set(re.findall(r"^\s+(civr_[a-z0-9_]+);", open(f"{root}/lib/civrules.map").read(), re.M))
out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
exported = {line.split()[-1].split("@")[0] for line in out.splitlines() if " T " in line}
ok = True
for name, a, b in (("declared but not in civrules.map", declared, mapped),
                   ("in civrules.map but not declared", mapped, declared),
                   ("declared but not exported", declared, exported),
                   ("exported but not declared", exported, declared)):
    extra = sorted(a - b)
    if extra:
        ok = False
        print(f"{name}: {', '.join(extra)}")
print(f"{len(exported)} exported functions" + ("" if ok else " (mismatch)"))
sys.exit(0 if ok else 1)
