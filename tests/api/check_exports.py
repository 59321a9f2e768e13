#!/usr/bin/env python3
"""The shared library exports exactly the functions declared in the public
headers, and lib/civrules.map lists exactly those (libxkbcommon's habit).
Every other function with external linkage in the internal archive, and every
function-like name a header under lib/ declares, carries the civr__ prefix,
so an internal name can never be mistaken for (or collide with) a public one.
Usage: check_exports.py LIBRARY INTERNAL_ARCHIVE SOURCE_ROOT"""
import glob
import re
import subprocess
import sys

lib, archive, root = sys.argv[1], sys.argv[2], sys.argv[3]
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
internal = set()
out = subprocess.run(["nm", "--defined-only", archive], capture_output=True, text=True, check=True).stdout
for line in out.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "TDBR":
        internal.add(parts[2])
for path in glob.glob(f"{root}/lib/**/*.h", recursive=True):
    text = re.sub(r"/\*.*?\*/", "", open(path, encoding="utf-8").read(), flags=re.S)
    internal.update(re.findall(r"\b(civr_[a-z0-9_]+)\s*\(", text))
unprefixed = {n for n in internal if n.startswith("civr_") and not n.startswith("civr__")} - declared
ok = True
if unprefixed:
    ok = False
    print(f"internal but without the civr__ prefix: {', '.join(sorted(unprefixed))}")
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
