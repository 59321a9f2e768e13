"""Caseloads: households from CSV, JSON Lines and DataFrames, and summaries.

A caseload in a table has **one row per member**; a household's rows share
``household_id``. Empty cells (and None, NaN) are left out of the household,
so that an unknown fact stays unknown. The columns (all optional but
``household_id``, ``member_id`` and ``birth_date``):

======================  ===================================================
household_id            the household's id
residence               urban | rural
financial_assets        money, e.g. ``5000`` or ``"5000.00"``
member_id, birth_date   the member
relation, sex,          as in docs/household.md
self_care, student,
hukou
able_to_work,           true/false (also 1/0, yes/no)
serious_illness
disability_type,        e.g. ``physical`` and ``1``
disability_grade
situations              the member's situations, ``;``-separated kinds
                        (``deceased``, ``in_prison;lost_contact``)
father, mother          a parent who is a member of the household: the
                        parent's ``member_id``
father_situations,      a parent outside the household: ``;``-separated
mother_situations       kinds (``deceased``); with ``father``/``mother``
                        too, the member parent's own situations count
supporter_relation,     one legal supporter living elsewhere, e.g.
supporter_birth_date,   ``child``, ``1985-01-01`` and ``3000``
supporter_monthly_income
income_kind,            one income line of the member (repeat the member's
income_monthly          row for more: a row with the same member_id adds
                        income only)
parents, supporters     nested: a list of dicts (or its JSON text) exactly
                        as in docs/household.md; taken as they are
======================  ===================================================

A child's ``parents`` must describe both parents for orphan or de-facto
unsupported status to be decided: without them child support is
``undetermined`` (never a silent 0.00) and :func:`evaluate_frame` shows the
missing facts. The ``father``/``mother`` columns (or the nested ``parents``
column) are how a table says it.

Nothing here needs pandas, except :func:`evaluate_frame` (it imports pandas
when called, and raises ImportError naming python3-pandas without it).
"""

from __future__ import annotations

import collections
import csv
import decimal
import json
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

__all__ = ["households_from_rows", "read_caseload", "summarise", "evaluate_frame", "PAYING"]

_BOOL = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}

#: statuses under which a program pays
PAYING = frozenset({"eligible", "individual", "phase_out"})

Problem = Tuple[str, int, str]  # household id, line (or row), why


def _cell(value: Any) -> Any:
    """A cell as stripped text; empty, None and NaN are "". Lists and dicts
    (nested columns) are returned as they are.

    Read DataFrames with dtype=str to keep money as written; a float column
    (pandas' default) gives back its shortest text, which for amounts of up
    to 15 digits is the text in the file ("1000.5", a grade "1.0" -> "1").
    """
    if value is None:
        return ""
    if isinstance(value, (list, dict, tuple)):
        return value
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        if value != value:
            return ""
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value).strip()


def _bool(field: str, text: str) -> bool:
    try:
        return _BOOL[text.lower()]
    except KeyError:
        raise ValueError(f"{field}: '{text}' is not one of {', '.join(_BOOL)}") from None


def _kinds(text: str) -> List[str]:
    return [k.strip() for k in text.split(";") if k.strip()]


def _nested(field: str, value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as e:
            raise ValueError(f"{field}: not a JSON list: {e}") from None
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{field}: expected a list of objects")
    return list(value)


def _member(row: Mapping[str, Any]) -> Dict[str, Any]:
    m: Dict[str, Any] = {"id": row["member_id"], "birth_date": row["birth_date"]}
    for field in ("relation", "sex", "self_care", "student", "hukou"):
        if row.get(field):
            m[field] = row[field]
    for field in ("able_to_work", "serious_illness"):
        if row.get(field):
            m[field] = _bool(field, row[field])
    if row.get("disability_type"):
        m["disability"] = {"type": row["disability_type"], "grade": int(row["disability_grade"])}
    if row.get("situations"):
        m["situations"] = _kinds(row["situations"])
    parents = []
    for role in ("father", "mother"):
        member, situations = row.get(role, ""), row.get(f"{role}_situations", "")
        if member or situations:
            p: Dict[str, Any] = {"role": role}
            if member:
                p["member"] = member
            if situations:
                p["situations"] = _kinds(situations)
            parents.append(p)
    if row.get("parents"):
        parents += _nested("parents", row["parents"])
    if parents:
        m["parents"] = parents
    supporters = []
    fields = (("supporter_relation", "relation"), ("supporter_birth_date", "birth_date"),
              ("supporter_monthly_income", "monthly_income"))
    if any(row.get(column) for column, _ in fields):
        supporters.append({key: row[column] for column, key in fields if row.get(column)})
    if row.get("supporters"):
        supporters += _nested("supporters", row["supporters"])
    if supporters:
        m["supporters"] = supporters
    return m


def households_from_rows(rows: Iterable[Mapping[str, Any]], first_line: int = 2) -> Tuple[List[Dict[str, Any]], List[Problem]]:
    """Member rows (mappings of the columns above) -> (households, problems).

    Households come in first-seen order. A household with a row that cannot
    be read is left out whole (evaluating it without a member would give a
    wrong amount) and reported in ``problems`` as (household id, line, why);
    ``first_line`` is the line (or row number) of the first row.
    """
    order: List[str] = []
    by_id: Dict[str, Dict[str, Any]] = {}
    seen: Dict[str, Dict[str, Dict[str, Any]]] = {}
    bad: Dict[str, Tuple[int, str]] = {}
    for line, raw in enumerate(rows, first_line):
        row = {k: _cell(v) for k, v in raw.items() if k is not None}
        hid = row.get("household_id", "")
        if not hid:
            bad.setdefault(f"<line {line}>", (line, "no household_id"))
            continue
        if hid not in by_id:
            h: Dict[str, Any] = {"id": hid, "members": []}
            if row.get("residence"):
                h["residence"] = row["residence"]
            if row.get("financial_assets"):
                h["assets"] = {"financial": row["financial_assets"]}
            by_id[hid] = h
            seen[hid] = {}
            order.append(hid)
        h = by_id[hid]
        mid = row.get("member_id", "")
        if mid and mid in seen[hid]:
            m = seen[hid][mid]  # a further income line of the same member
        else:
            try:
                m = _member(row)
            except (KeyError, ValueError, TypeError) as e:
                why = f"missing column {e}" if isinstance(e, KeyError) else str(e)
                bad.setdefault(hid, (line, why))
                continue
            h["members"].append(m)
            seen[hid][m["id"]] = m
        if row.get("income_kind"):
            h.setdefault("income", []).append(
                {"member": m["id"], "kind": row["income_kind"], "monthly": row.get("income_monthly", "")})
    households = [by_id[i] for i in order if i not in bad]
    problems = [(hid, line, why) for hid, (line, why) in bad.items()]
    return households, problems


def read_caseload(path: str) -> Tuple[List[Any], List[Problem]]:
    """A CSV (``*.csv``, member rows) or JSON Lines file -> (households,
    problems); see :func:`households_from_rows`. JSON Lines households are
    returned as their text, blank lines skipped."""
    if str(path).endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            return households_from_rows(csv.DictReader(f))
    with open(path, encoding="utf-8") as f:
        return [line for line in (raw.strip() for raw in f) if line], []


def summarise(results: Iterable[Dict[str, Any]]) -> Tuple["collections.OrderedDict[str, Dict[str, Any]]", List[Dict[str, Any]]]:
    """Per program: households paid, members covered, households that could
    not be decided (facts missing), households where the program could not
    be evaluated (status "error"), monthly total; plus the error records."""
    table: "collections.OrderedDict[str, Dict[str, Any]]" = collections.OrderedDict()
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
            if p["status"] == "error":
                s["errors"] = s.get("errors", 0) + 1
            if p["status"] in PAYING:
                s["households"] += 1
                s["members"] += sum(1 for m in p["members"] if m.get("status", p["status"]) in PAYING)
                s["monthly"] += p["monthly"]
    return table, errors


def frame_rows(policy: Any, frame: Any, date: Any = None, threads: int = 1) -> Iterator[Dict[str, Any]]:
    """The rows :func:`evaluate_frame` returns, as dicts (no pandas needed):
    one per household and program, or one error row per household that
    could not be read or evaluated."""
    records = frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)
    households, problems = households_from_rows(records, first_line=0)
    for hid, row, why in problems:
        yield {"household": hid, "program": None, "status": "error", "monthly": None, "missing": None,
               "error": f"row {row}: {why}"}
    for r in policy.evaluate_many(households, date=date, threads=threads, summary=True):
        if "error" in r:
            yield {"household": r["household"], "program": None, "status": "error", "monthly": None,
                   "missing": None, "error": f"[{r['error']['id']}] {r['error']['message']}"}
            continue
        for p in r["programs"]:
            e = p.get("error")  # status "error": this program could not be evaluated
            yield {"household": r["household"], "program": p["program"], "status": p["status"],
                   "monthly": p["monthly"], "missing": ", ".join(p["missing"]) or None,
                   "error": f"[{e['id']}] {e['message']}" if e else None}


def evaluate_frame(policy: Any, frame: Any, date: Any = None, threads: int = 1) -> Any:
    """DataFrame of member rows (columns above) -> DataFrame with one row per
    household and program: ``household, program, status, monthly (Decimal),
    missing (the facts an undetermined program needs), error``. Households
    with a row that cannot be read, or that fail, give one ``error`` row.

    Needs pandas (Debian: python3-pandas)."""
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError("civrules.evaluate_frame needs pandas (Debian: apt install python3-pandas)") from e
    columns = ["household", "program", "status", "monthly", "missing", "error"]
    return pd.DataFrame(list(frame_rows(policy, frame, date, threads)), columns=columns)
