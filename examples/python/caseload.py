#!/usr/bin/env python3
"""Evaluate a whole caseload and print a summary per program.

    caseload.py [--policy DIR] [--date YYYY-MM-DD] [--threads N] CASELOAD

CASELOAD is JSON Lines (one household per line, as `civrules eval` reads)
or CSV with one row per member (columns below; a household's rows share
`household_id`). Prints, per program: households paid, members paid and the
monthly total, then the records that could not be evaluated.

CSV columns (empty cells are left out of the household):
  household_id, residence, financial_assets,
  member_id, relation, birth_date, sex, able_to_work, self_care,
  disability_type, disability_grade, serious_illness,
  supporter_relation, supporter_birth_date (a legal supporter living elsewhere),
  income_kind, income_monthly

With pandas installed (python3-pandas), `evaluate_frame(policy, df, date)`
takes such a table as a DataFrame and returns one row per household and
program.
"""

import argparse
import collections
import csv
import decimal
import json
import os
import sys

import civrules

BOOL = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def _cell(value):
    """A CSV or DataFrame cell as stripped text; empty, None and NaN are "".

    Read DataFrames with dtype=str to keep money as written; a float column
    (pandas' default) gives back its shortest text, which for amounts of up
    to 15 digits is the text in the file ("1000.5", a grade "1.0" -> "1").
    """
    if value is None:
        return ""
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        if value != value:
            return ""
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value).strip()


def _member(row):
    m = {"id": row["member_id"], "birth_date": row["birth_date"]}
    for field in ("relation", "sex", "self_care"):
        if row.get(field):
            m[field] = row[field]
    for field in ("able_to_work", "serious_illness"):
        if row.get(field):
            m[field] = _bool(field, row[field])
    if row.get("disability_type"):
        m["disability"] = {"type": row["disability_type"], "grade": int(row["disability_grade"])}
    if row.get("supporter_birth_date"):
        m["supporters"] = [{"relation": row.get("supporter_relation") or "child",
                            "birth_date": row["supporter_birth_date"]}]
    return m


def _bool(field, text):
    try:
        return BOOL[text.lower()]
    except KeyError:
        raise ValueError(f"{field}: '{text}' is not one of {', '.join(BOOL)}") from None


def households_from_rows(rows, first_line=2):
    """Member rows (dicts of the CSV columns) -> (households, problems).

    Households come in first-seen order. A household with a row that cannot
    be read is left out whole (evaluating it without a member would give a
    wrong amount) and reported in `problems` as (household id, line, why).
    """
    order, by_id, bad = [], {}, {}
    for line, raw in enumerate(rows, first_line):
        row = {k: _cell(v) for k, v in raw.items() if k is not None}
        hid = row.get("household_id", "")
        if not hid:
            bad.setdefault(f"<line {line}>", (line, "no household_id"))
            continue
        if hid not in by_id:
            h = {"id": hid, "members": []}
            if row.get("residence"):
                h["residence"] = row["residence"]
            if row.get("financial_assets"):
                h["assets"] = {"financial": row["financial_assets"]}
            by_id[hid] = h
            order.append(hid)
        h = by_id[hid]
        try:
            m = _member(row)
        except (KeyError, ValueError) as e:
            why = f"missing column {e}" if isinstance(e, KeyError) else str(e)
            bad.setdefault(hid, (line, why))
            continue
        h["members"].append(m)
        if row.get("income_kind"):
            h.setdefault("income", []).append(
                {"member": m["id"], "kind": row["income_kind"], "monthly": row.get("income_monthly", "")})
    households = [by_id[i] for i in order if i not in bad]
    problems = [(hid, line, why) for hid, (line, why) in bad.items()]
    return households, problems


def read_caseload(path):
    """A CSV or JSON Lines file -> (households, problems); see households_from_rows."""
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            return households_from_rows(csv.DictReader(f))
    with open(path, encoding="utf-8") as f:
        return [line for line in (raw.strip() for raw in f) if line], []


PAYING = {"eligible", "individual", "phase_out"}


def summarise(results):
    """Per program: households paid, members covered, households that could not
    be decided (facts missing), monthly total; plus the error records."""
    table = collections.OrderedDict()
    errors = []
    for r in results:
        if "error" in r:
            errors.append(r)
            continue
        for p in r["programs"]:
            s = table.setdefault(p["program"], {"households": 0, "members": 0, "undetermined": 0,
                                                "monthly": decimal.Decimal("0.00")})
            if p["status"] == "undetermined":
                s["undetermined"] += 1
            if p["status"] in PAYING:
                s["households"] += 1
                s["members"] += sum(1 for m in p["members"] if m.get("status", p["status"]) in PAYING)
                s["monthly"] += p["monthly"]
    return table, errors


def evaluate_frame(policy, frame, date=None, threads=1):
    """DataFrame of member rows -> DataFrame with one row per household and program."""
    import pandas as pd
    households, problems = households_from_rows(frame.to_dict("records"))
    rows = [{"household": hid, "program": None, "status": "error", "monthly": None,
             "error": f"row {line - 2}: {why}"} for hid, line, why in problems]
    for r in policy.evaluate_many(households, date=date, threads=threads):
        if "error" in r:
            rows.append({"household": r["household"], "program": None, "status": "error",
                         "monthly": None, "error": r["error"]["message"]})
            continue
        for p in r["programs"]:
            rows.append({"household": r["household"], "program": p["program"], "status": p["status"],
                         "monthly": p["monthly"], "error": None})
    return pd.DataFrame(rows)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--policy", default=os.path.join(here, "../../policies/cn/guangdong/guangzhou"))
    ap.add_argument("--date", default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("caseload")
    args = ap.parse_args()
    policy = civrules.Policy.load(args.policy)
    households, problems = read_caseload(args.caseload)
    results = policy.evaluate_many(households, date=args.date, threads=args.threads)
    table, errors = summarise(results)
    print(f"policy {policy.id} {policy.version}  date {args.date or 'today'}")
    print(f"{'program':<20} {'households':>10} {'members':>8} {'undetermined':>12} {'monthly (yuan)':>16}")
    for name, s in table.items():
        print(f"{name:<20} {s['households']:>10} {s['members']:>8} {s['undetermined']:>12} {s['monthly']:>16}")
    total = sum((s["monthly"] for s in table.values()), decimal.Decimal("0.00"))
    print(f"{'total':<20} {'':>10} {'':>8} {'':>12} {total:>16}")
    for hid, line, why in problems:
        print(f"error: {args.caseload}:{line}: household {hid} left out: {why}")
    for e in errors:
        print(f"error: {e.get('household')}: [{e['error']['id']}] {e['error']['message']}")
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
