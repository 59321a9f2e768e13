#!/usr/bin/env python3
"""JSON Schemas (draft 2020-12) of the household, the result and the
screening record, generated from a bundle's `schema:` and `enums:` (the
national bundle by default: policies/cn), so that county systems can
validate their data and generate code from it.

    json_schema.py [--bundle DIR] [--out DIR]      # writes household / result / screen .schema.json
    json_schema.py --check [--bundle DIR] [--out DIR]   # exit 1 when the files are not up to date

The household schema follows policies/cn/schema.yaml field by field (a
layer's added fields and enum values are included when --bundle names that
layer). What it cannot say, the engine checks and reports with positions:
references between members, duplicate ids, dates that do not exist.
"""
import argparse
import json
import os
import sys

import yaml  # Debian python3-yaml

MONEY = {"anyOf": [{"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
                   {"type": "number", "minimum": 0}],
         "description": "yuan, at most two decimals (a decimal string is read exactly)"}
DATE = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD"}
MONEY_OUT = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "yuan, exact, two decimals"}
MONTH_OUT = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$"}


def chain(bundle):
    """The bundle folders from the root down."""
    out, d = [], os.path.normpath(bundle)
    while d:
        out.append(d)
        b = yaml.safe_load(open(os.path.join(d, "bundle.yaml"), encoding="utf-8"))
        ext = b.get("extends")
        d = os.path.normpath(os.path.join(d, ext)) if ext else None
    return list(reversed(out))


def collect(bundle):
    enums, records = {}, {}
    for d in chain(bundle):
        b = yaml.safe_load(open(os.path.join(d, "bundle.yaml"), encoding="utf-8"))
        for f in b.get("files") or []:
            doc = yaml.safe_load(open(os.path.join(d, f), encoding="utf-8")) or {}
            for name, e in (doc.get("enums") or {}).items():
                enums.setdefault(name, {}).update(e.get("values") or {})
            for name, r in (doc.get("schema") or {}).items():
                records.setdefault(name, {}).update((r or {}).get("fields") or {})
    return enums, records


def field_schema(t, f, enums, records):
    if t.startswith("list<"):
        inner = t[5:-1]
        items = {"$ref": f"#/$defs/{inner}"}
        if f.get("shorthand"):  # an item may be written as its key field alone
            items = {"anyOf": [items, field_schema(records[inner][f["shorthand"]]["type"], {}, enums, records)]}
        s = {"type": "array", "items": items}
        if f.get("min_items"):
            s["minItems"] = f["min_items"]
        return s
    if t.startswith("map<"):
        return {"type": "object", "additionalProperties": {"$ref": f"#/$defs/{t[4:-1]}"},
                "description": "keyed by program id"}
    if t.startswith("set<"):
        return {"type": "array", "items": field_schema(t[4:-1], {}, enums, records), "uniqueItems": True}
    if t == "money":
        return dict(MONEY)
    if t == "date":
        return dict(DATE)
    if t == "bool":
        return {"type": "boolean"}
    if t == "integer":
        return {"type": "integer"}
    if t == "string":
        return {"type": "string"}
    if t in enums:
        return {"type": "string", "enum": sorted(enums[t])}
    if t in records:
        return {"$ref": f"#/$defs/{t}"}
    raise SystemExit(f"json_schema: unknown type {t!r}")


def household_schema(enums, records, bundle_id):
    defs = {}
    for name, fields in records.items():
        props, required = {}, []
        for fname, f in fields.items():
            s = field_schema(f["type"], f, enums, records)
            nullable = "default" in f and f["default"] is None
            if nullable:
                s = {"anyOf": [s, {"type": "null"}]}
            title = f.get("title")
            if title:
                s["title"] = f"{title.get('zh', '')} / {title.get('en', '')}"
            if "default" in f:
                s["default"] = f["default"]
            props[fname] = s
            if f.get("required"):
                required.append(fname)
        defs[name] = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            defs[name]["required"] = required
    root = defs.pop("household")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "civrules/household.schema.json",
            "title": f"civrules household (generated from {bundle_id}'s schema.yaml; see docs/household.md)",
            **root, "$defs": defs}


def result_schema(enums):
    status = sorted(["eligible", "marginal", "individual", "phase_out", "ineligible", "undetermined", "error"])
    reason = {"type": "object", "required": ["code", "zh", "en", "basis"],
              "properties": {"code": {"type": "string"}, "zh": {"type": ["string", "null"]},
                             "en": {"type": ["string", "null"]}, "basis": {"type": ["string", "null"]}}}
    error = {"type": "object", "required": ["id", "code", "source", "line", "column", "message"],
             "properties": {"id": {"type": "string", "pattern": "^CIVR-[0-9]{4}$"}, "code": {"type": "string"},
                            "source": {"type": ["string", "null"]}, "line": {"type": "integer"},
                            "column": {"type": "integer"}, "message": {"type": "string"}}}
    policy = {"type": "object", "required": ["id", "version", "digest"],
              "properties": {"id": {"type": "string"}, "version": {"type": "string"},
                             "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}
    member = {"type": "object", "required": ["member", "monthly"],
              "properties": {"member": {"type": "string"}, "status": {"enum": status}, "monthly": MONEY_OUT,
                             "category": {"type": ["string", "null"]},
                             "reasons": {"type": "array", "items": {"$ref": "#/$defs/reason"}},
                             "missing": {"type": "array", "items": {"type": "string"}}}}
    program = {"type": "object", "required": ["program", "status", "monthly", "members", "facts", "reasons", "missing"],
               "properties": {"program": {"type": "string"}, "status": {"enum": status}, "monthly": MONEY_OUT,
                              "members": {"type": "array", "items": {"$ref": "#/$defs/member"}},
                              "facts": {"type": "object"},
                              "reasons": {"type": "array", "items": {"$ref": "#/$defs/reason"}},
                              "missing": {"type": "array", "items": {"type": "string"}},
                              "error": {"$ref": "#/$defs/error"}}}
    ok = {"type": "object", "required": ["household", "date", "policy", "engine", "programs", "total_monthly"],
          "properties": {"household": {"type": "string"}, "date": DATE, "policy": {"$ref": "#/$defs/policy"},
                         "engine": {"type": "string"},
                         "programs": {"type": "array", "items": {"$ref": "#/$defs/program"}},
                         "total_monthly": MONEY_OUT, "absent": {"type": "array"}, "choices": {"type": "array"},
                         "trace": {"type": "array"}}}
    failed = {"type": "object", "required": ["household", "error"],
              "properties": {"household": {"type": ["string", "null"]}, "date": DATE,
                             "policy": {"$ref": "#/$defs/policy"}, "engine": {"type": "string"},
                             "error": {"$ref": "#/$defs/error"}}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "civrules/result.schema.json",
            "title": "civrules result or error record (one line of civrules eval; see docs/result.md)",
            "anyOf": [{"$ref": "#/$defs/result"}, {"$ref": "#/$defs/error_record"}],
            "$defs": {"result": ok, "error_record": failed, "program": program, "member": member,
                      "reason": reason, "error": error, "policy": policy}}


def screen_schema():
    cats = ["agrees", "missed", "wrongly_enrolled", "amount_differs", "undetermined"]
    month = {"type": "object", "required": ["month", "status", "due", "paid", "rule"],
             "properties": {"month": MONTH_OUT, "status": {"type": "string"}, "due": MONEY_OUT,
                            "paid": {"anyOf": [MONEY_OUT, {"type": "null"}]}, "rule": {"type": ["string", "null"]}}}
    case = {"type": "object",
            "required": ["program", "member", "category", "status", "enrolled", "due", "paid", "difference",
                         "since", "enrolled_since", "review", "next_review", "reasons", "missing"],
            "properties": {"program": {"type": "string"}, "member": {"type": ["string", "null"]},
                           "category": {"enum": cats}, "status": {"type": "string"}, "enrolled": {"type": "boolean"},
                           "due": MONEY_OUT, "paid": {"anyOf": [MONEY_OUT, {"type": "null"}]},
                           "difference": {"anyOf": [MONEY_OUT, {"type": "null"}]},
                           "since": {"anyOf": [MONTH_OUT, {"type": "null"}]},
                           "enrolled_since": {"anyOf": [DATE, {"type": "null"}]},
                           "review": {"enum": ["none", "ok", "due", "overdue"]},
                           "next_review": {"anyOf": [DATE, {"type": "null"}]},
                           "reasons": {"type": "array"}, "missing": {"type": "array", "items": {"type": "string"}},
                           "history": {"type": "boolean"}, "months": {"type": "array", "items": month},
                           "arrears": MONEY_OUT, "overpaid": MONEY_OUT},
            "additionalProperties": False}
    app = {"type": "object", "required": ["program", "member", "received", "deadline", "status"],
           "properties": {"program": {"type": "string"}, "member": {"type": ["string", "null"]}, "received": DATE,
                          "deadline": {"anyOf": [DATE, {"type": "null"}]},
                          "status": {"enum": ["pending", "overdue", "unchecked"]}}}
    record = {"type": "object",
              "required": ["household", "region", "date", "policy", "period", "cases", "applications", "totals"],
              "properties": {"household": {"type": "string"}, "region": {"type": ["string", "null"]}, "date": DATE,
                             "policy": {"type": "object"}, "period": {"type": ["object", "null"]},
                             "cases": {"type": "array", "items": case},
                             "applications": {"type": "array", "items": app}, "totals": {"type": "object"}}}
    failed = {"type": "object", "required": ["household", "error"], "additionalProperties": False,
              "properties": {"household": {"type": ["string", "null"]}, "error": {"type": "object"}}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "civrules/screen.schema.json",
            "title": "civrules screening record or error record (one line of civrules screen; see docs/screening.md)",
            "anyOf": [record, failed]}


def render(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", default="policies/cn")
    ap.add_argument("--out", default="docs/schema")
    ap.add_argument("--check", action="store_true", help="exit 1 when the files differ from what would be written")
    a = ap.parse_args(argv)
    enums, records = collect(a.bundle)
    bid = yaml.safe_load(open(os.path.join(a.bundle, "bundle.yaml"), encoding="utf-8"))["id"]
    files = {"household.schema.json": household_schema(enums, records, bid),
             "result.schema.json": result_schema(enums),
             "screen.schema.json": screen_schema()}
    stale = []
    for name, obj in files.items():
        path = os.path.join(a.out, name)
        text = render(obj)
        if a.check:
            if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
                stale.append(path)
        else:
            os.makedirs(a.out, exist_ok=True)
            open(path, "w", encoding="utf-8").write(text)
    if stale:
        print("out of date (run tools/schema/json_schema.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
