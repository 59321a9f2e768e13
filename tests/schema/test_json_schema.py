#!/usr/bin/env python3
"""The JSON Schemas in docs/schema are generated from the national bundle's
schema.yaml and up to date; the example households and what `civrules eval`
and `civrules screen` write validate against them; broken households do not.

    test_json_schema.py CIVRULES_EXE        (prints TAP; run from the source root)

The validator below covers the keywords the generator uses (no third-party
package is needed).
"""
import glob
import json
import re
import subprocess
import sys

exe = sys.argv[1]
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}")
    if not ok and detail:
        for line in str(detail)[:2000].splitlines():
            print(f"# {line}")


def errors(schema, value, root=None, path="$"):
    """Where `value` breaks `schema`: a list of paths with reasons (empty: valid)."""
    root = root or schema
    if "$ref" in schema:
        return errors(root["$defs"][schema["$ref"].split("/")[-1]], value, root, path)
    if "anyOf" in schema:
        alts = [errors(s, value, root, path) for s in schema["anyOf"]]
        return [] if any(not e for e in alts) else min(alts, key=len)
    out = []
    t = schema.get("type")
    kinds = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
             "object": dict, "null": type(None)}
    if t:
        ts = t if isinstance(t, list) else [t]
        ok = any(isinstance(value, kinds[k]) and not (k in ("integer", "number") and isinstance(value, bool))
                 for k in ts)
        if not ok:
            return [f"{path}: expected {t}, found {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        out.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        out.append(f"{path}: {value} below {schema['minimum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{path}: fewer than {schema['minItems']} items")
        for i, v in enumerate(value):
            if "items" in schema:
                out += errors(schema["items"], v, root, f"{path}[{i}]")
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                out.append(f"{path}: {k} is required")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            if k in props:
                out += errors(props[k], v, root, f"{path}.{k}")
            elif extra is False:
                out.append(f"{path}: unknown field {k}")
            elif isinstance(extra, dict):
                out += errors(extra, v, root, f"{path}.{k}")
    return out


p = subprocess.run([sys.executable, "tools/schema/json_schema.py", "--check"], capture_output=True, text=True)
check("docs/schema is generated from schema.yaml and up to date", p.returncode == 0, p.stderr)
household = json.load(open("docs/schema/household.schema.json", encoding="utf-8"))
result = json.load(open("docs/schema/result.schema.json", encoding="utf-8"))
screen = json.load(open("docs/schema/screen.schema.json", encoding="utf-8"))

examples = []
for f in sorted(glob.glob("examples/households/*.json")):
    examples.append((f, json.load(open(f, encoding="utf-8"))))
for n, line in enumerate(open("examples/households/batch.jsonl", encoding="utf-8")):
    if line.strip():
        examples.append((f"batch.jsonl:{n + 1}", json.loads(line)))
bad = [(name, errors(household, h)) for name, h in examples if errors(household, h)]
check(f"the {len(examples)} example households validate", not bad, bad[:3])

full = {"id": "S-1", "region": "440106", "residence": "urban",
        "members": [{"id": "m1", "birth_date": "1950-01-01", "situations": ["in_prison", {"kind": "deceased", "since": "2024-05-12"}],
                     "disability": {"type": "physical", "grade": 1, "issued": "2020-01-01", "expires": None},
                     "enrolment": {"disability_living": {"since": "2023-01-01", "monthly": "181"}}}],
        "assets": {"financial": "0", "vehicles": [{"kind": "car", "registered": "2022-03-01"}]},
        "enrolment": {"dibao": {"since": "2023-01-01", "monthly": "900.00", "income_stable": False,
                                "payments": [{"month": "2024-01-01", "amount": "900"}]}},
        "applications": [{"program": "dibao", "received": "2024-09-20"}]}
check("a household with enrolment, payments, applications and dated records validates",
      not errors(household, full), errors(household, full))
broken = {
    "an unknown field": dict(full, colour="red"),
    "an unknown situation": dict(full, members=[{"id": "m1", "birth_date": "1950-01-01", "situations": ["on_holiday"]}]),
    "a date of another form": dict(full, members=[{"id": "m1", "birth_date": "14/03/1950"}]),
    "negative money": dict(full, assets={"financial": "-5"}),
    "no members": dict(full, members=[]),
    "a payment without its month": dict(full, enrolment={"dibao": {"payments": [{"amount": "1"}]}}),
}
for name, h in broken.items():
    check(f"rejected: {name}", bool(errors(household, h)))
    p = subprocess.run([exe, "eval", "--any-region", "-p", "policies/cn/guangdong/guangzhou", "-d", "2024-08-01", "-"],
                       input=json.dumps(h), capture_output=True, text=True)
    check(f"the engine rejects it too: {name}", p.returncode == 1 and '"error"' in p.stdout, p.stdout[:300])

p = subprocess.run([exe, "eval", "-d", "2024-08-01", "--jsonl", "-"], capture_output=True, text=True,
                   input="\n".join(json.dumps(h) for _, h in examples) + "\n" + "[1, 2]\n")
outs = [json.loads(l) for l in p.stdout.splitlines()]
bad = [errors(result, r) for r in outs if errors(result, r)]
check(f"what eval writes validates against result.schema.json ({len(outs)} records, one an error record)",
      len(outs) == len(examples) + 1 and not bad, bad[:2])
p = subprocess.run([exe, "screen", "-q", "-d", "2024-08-01", "--from", "2024-05", "--to", "2024-08", "--jsonl", "-"],
                   capture_output=True, text=True,
                   input="\n".join(json.dumps(h) for _, h in examples + [("full", full)]) + "\n")
outs = [json.loads(l) for l in p.stdout.splitlines()]
bad = [errors(screen, r) for r in outs if errors(screen, r)]
check(f"what screen writes validates against screen.schema.json ({len(outs)} records)",
      len(outs) == len(examples) + 1 and not bad, bad[:2])
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
