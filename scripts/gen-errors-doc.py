#!/usr/bin/env python3
"""Write docs/errors.md from lib/base/messages.def (run after adding a message).

With --check, write nothing and fail when docs/errors.md is not what it would write."""
import re
import sys

args = [a for a in sys.argv[1:] if a != "--check"]
check = "--check" in sys.argv[1:]
root = args[0] if args else "."
groups = {1: "Malformed text", 2: "Text of the wrong shape, household data", 3: "Expressions", 6: "Lua hooks",
          4: "Policy bundles", 5: "Evaluation", 7: "Regions and screening", 8: "The batch path",
          9: "API use and resources"}
rows = re.findall(r'^X\((\w+), (\d+), (CIVR_E\w+), "(.*)"\)$',
                  open(f"{root}/lib/base/messages.def", encoding="utf-8").read(), re.M)
out = ["# Error messages", "",
       "Every error civrules reports has a stable id, printed `CIVR-NNNN`, and a",
       "result code. Ids never change meaning and are never reused; tools may",
       "match on them. The text is English; `%s`, `%u`... are filled in with names,",
       "values and positions. Positions are `file:line:column` (1-based, columns",
       "count characters). This page is generated from `lib/base/messages.def` by",
       "`scripts/gen-errors-doc.py`; a test checks that it is up to date.", ""]
current = None
for name, ident, code, text in rows:
    g = int(ident) // 1000
    if g != current:
        current = g
        out += ["", f"## {g}xxx: {groups.get(g, '')}", "", "| id | code | message |", "|---|---|---|"]
    cell = text.replace("|", "\\|")
    out.append(f"| CIVR-{ident} | `{code}` | {cell} |")
retired = re.findall(r'^/\* RETIRED (\d+): (.*?) \*/$',
                     open(f"{root}/lib/base/messages.def", encoding="utf-8").read(), re.M)
if retired:
    out += ["", "## Retired ids", "", "These ids are no longer reported and will not be reused.", "",
            "| id | was |", "|---|---|"]
    out += [f"| CIVR-{i} | {why} |" for i, why in retired]
text = "\n".join(out) + "\n"
if check:
    if open(f"{root}/docs/errors.md", encoding="utf-8").read() != text:
        sys.exit("docs/errors.md is out of date: run scripts/gen-errors-doc.py")
else:
    open(f"{root}/docs/errors.md", "w", encoding="utf-8").write(text)
