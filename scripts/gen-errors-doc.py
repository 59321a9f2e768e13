#!/usr/bin/env python3
"""Write docs/errors.md from lib/base/messages.def (run after adding a message)."""
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
groups = {1: "Malformed text", 2: "Text of the wrong shape, household data", 3: "Expressions", 6: "Lua hooks",
          4: "Policy bundles", 5: "Evaluation", 7: "Regions and screening", 9: "API use and resources"}
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
open(f"{root}/docs/errors.md", "w", encoding="utf-8").write("\n".join(out) + "\n")
