"""civrules.dask: caseloads past one machine, on Dask.

A province's caseload is a ``dask.dataframe`` with one household per row,
as JSON (or YAML) text in a column. :func:`evaluate` evaluates it partition
by partition on the workers of a ``distributed`` cluster (or any Dask
scheduler): each worker process loads the policy once, and each partition
goes into C as one batch. The output has one row per household, in input
order, with the result JSON exactly as ``civrules eval`` writes it (so a
distributed run and a single-process run give the same bytes)::

    from distributed import Client
    client = Client("tcp://scheduler:8786")
    civrules.dask.evaluate(civrules.dask.read_jsonl("hdfs:///caseload/*.jsonl"),
                           policy="/srv/civrules/policies/cn/guangdong/guangzhou",
                           date="2024-08-01").to_parquet("results/")

:func:`screen` does the same for screening (``civrules screen``): one
screening record per household, byte for byte the CLI's, and
:func:`screen_cases` turns the records into one row per case with exact
integer fen, ready for Dask's groupby::

    out = civrules.dask.screen(civrules.dask.read_jsonl("hdfs:///caseload/*.jsonl"),
                               policy=".../guangzhou", date="2024-12-01",
                               from_month="2024-01", to_month="2024-12")
    civrules.dask.screen_cases(out).groupby("category")[["due_fen", "paid_fen"]].sum().compute()

The policy folder must be readable at the same path on every worker.
Needs Debian's python3-dask and python3-distributed (and pandas).
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict, Optional, Union

import pandas as pd

import civrules

__all__ = ["evaluate", "evaluate_partition", "screen", "screen_partition", "screen_cases",
           "read_jsonl", "COLUMNS", "SCREEN_COLUMNS", "CASE_COLUMNS"]

#: the columns of :func:`evaluate`'s output
COLUMNS = ["household", "status", "total_monthly", "error", "result"]
#: the columns of :func:`screen`'s output
SCREEN_COLUMNS = ["household", "region", "status", "error", "record"]
#: the columns of :func:`screen_cases`' output (money in fen, exact integers)
CASE_COLUMNS = ["household", "region", "program", "member", "category", "status", "enrolled",
                "due_fen", "paid_fen", "difference_fen", "arrears_fen", "overpaid_fen", "review"]
_FEN_COLUMNS = ["due_fen", "paid_fen", "difference_fen", "arrears_fen", "overpaid_fen"]

_policies: Dict[str, "civrules.Policy"] = {}
_lock = threading.Lock()


def _policy(path: str) -> "civrules.Policy":
    """The policy at ``path``, loaded once per process (shared by its threads)."""
    with _lock:
        p = _policies.get(path)
        if p is None:
            p = _policies[path] = civrules.Policy.load(path)
        return p


def loaded_policies() -> list:
    """The policy folders this process has loaded (for checking a cluster)."""
    with _lock:
        return sorted(_policies)


def _texts(frame: pd.DataFrame, column: str) -> list:
    return [t if isinstance(t, (str, bytes)) else json.dumps(t, ensure_ascii=False) for t in frame[column]]


def _name_rows(frame: pd.DataFrame, lines: list) -> list:
    """(label, parsed line, line) per row, an error record's source naming its
    row by the frame's index (``households[97]``) rather than its place in
    this partition, so that any partitioning gives the same bytes."""
    out = []
    for label, line in zip(frame.index, lines):
        head = json.loads(line)
        error = head.get("error")
        if error and str(error.get("source") or "").startswith("<household>"):
            error["source"] = f"households[{label}]"
            line = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
        out.append((label, head, line))
    return out


def evaluate_partition(frame: pd.DataFrame, policy: str, date: str, column: str = "household",
                       trace: bool = False) -> pd.DataFrame:
    """Evaluate one pandas partition (one household text per row in
    ``column``) into the rows of :data:`COLUMNS`: the household id, "ok" or
    "error", the total monthly amount as its exact decimal text, the error
    id, and the result JSON (the CLI's line, byte for byte; an error
    record's source names the row by the frame's index, ``households[97]``).
    Keeps the partition's index, so the output lines up with the input."""
    p = _policy(policy)
    texts = _texts(frame, column)
    flags = civrules._capi.CIVR_EVAL_TRACE if trace else 0
    lines = p._engine().evaluate_batch(texts, date, flags).split("\n")[:-1] if texts else []
    rows = []
    for _, head, line in _name_rows(frame, lines):
        error = head.get("error")
        rows.append((head.get("household"), "error" if error else "ok",
                     None if error else head["total_monthly"], error["id"] if error else None, line))
    return pd.DataFrame(rows, columns=COLUMNS, index=frame.index)


def _month_day(month: Optional[str]) -> Optional[str]:
    return f"{month}-01" if month and len(month) == 7 else month


def screen_partition(frame: pd.DataFrame, policy: str, date: str, from_month: Optional[str] = None,
                     to_month: Optional[str] = None, column: str = "household",
                     check_region: bool = True) -> pd.DataFrame:
    """Screen one pandas partition (one household text per row in ``column``)
    into the rows of :data:`SCREEN_COLUMNS`: the household id, its region,
    "ok" or "error", the error id, and the screening record (the line
    ``civrules screen`` writes, byte for byte; see docs/screening.md), with
    ``from_month``/``to_month`` ("YYYY-MM") month by month against each
    enrolment's payments. A household outside the policy's regions is an
    error record unless ``check_region=False``. Keeps the partition's index."""
    p = _policy(policy)
    texts = _texts(frame, column)
    lines = (p._engine().screen_batch(texts, date, _month_day(from_month), _month_day(to_month),
                                      check_region, False).split("\n")[:-1] if texts else [])
    rows = []
    for _, head, line in _name_rows(frame, lines):
        error = head.get("error")
        rows.append((head.get("household"), head.get("region"), "error" if error else "ok",
                     error["id"] if error else None, line))
    return pd.DataFrame(rows, columns=SCREEN_COLUMNS, index=frame.index)


def _fen(text: Optional[str]) -> int:
    """"-12.34" -> -1234; None -> 0 (screening money has two decimals)."""
    if text is None:
        return 0
    whole, _, cents = text.lstrip("-").partition(".")
    fen = int(whole) * 100 + int((cents + "00")[:2])
    return -fen if text.startswith("-") else fen


def _cases_partition(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for record in frame["record"]:
        r = json.loads(record)
        for c in r.get("cases", ()):
            rows.append((r["household"], r.get("region"), c["program"], c["member"], c["category"],
                         c["status"], c["enrolled"], _fen(c["due"]), _fen(c["paid"]), _fen(c["difference"]),
                         _fen(c.get("arrears")), _fen(c.get("overpaid")), c["review"]))
    out = pd.DataFrame(rows, columns=CASE_COLUMNS)
    return out.astype({c: "int64" for c in _FEN_COLUMNS})


def screen_cases(screened: Any) -> Any:
    """The screening records of :func:`screen` (a ``dask.dataframe``, or a
    pandas frame from :func:`screen_partition`) -> one row per case
    (program x member) with the columns :data:`CASE_COLUMNS`: money per month
    (due, paid, difference) and over the period (arrears 补发, overpaid 追缴)
    in fen as exact int64, so sums are exact. Error records have no cases."""
    if isinstance(screened, pd.DataFrame):
        return _cases_partition(screened)
    meta = _cases_partition(pd.DataFrame({"record": pd.Series(dtype="object")}))
    return screened.map_partitions(_cases_partition, meta=meta)


def screen(households: Any, policy: Union[str, os.PathLike, None] = None, date: Any = None,
           from_month: Optional[str] = None, to_month: Optional[str] = None,
           column: str = "household", check_region: bool = True) -> Any:
    """Screen a ``dask.dataframe`` of households (text in ``column``) on
    ``date`` (default today) under the bundle ``policy``, partition by
    partition on the workers, each worker process loading the policy once.
    Returns a lazy ``dask.dataframe`` with the columns :data:`SCREEN_COLUMNS`,
    one row per household, partitioned like the input; :func:`screen_cases`
    makes the cases of it."""
    path = os.path.abspath(os.fspath(policy)) if policy is not None else civrules.default_policy_path()
    civrules.Policy.load(path)  # a bad bundle fails here, not on every worker
    day = civrules._date_text(date)
    civrules._capi.civr_date_parse(day)
    first, last = _month_day(from_month), _month_day(to_month)
    if (first is None) != (last is None):
        raise civrules.UsageError("from_month and to_month go together", code=civrules._capi.CIVR_EINVAL,
                                  id="CIVR-9014")
    for month in (first, last):
        if month is not None:
            civrules._capi.civr_date_parse(month)
    if first is not None and first > last:
        raise civrules.UsageError(f"from_month {from_month} is after to_month {to_month}",
                                  code=civrules._capi.CIVR_EINVAL, id="CIVR-9014")
    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in SCREEN_COLUMNS})
    return households.map_partitions(screen_partition, path, day, from_month, to_month, column,
                                     check_region, meta=meta)


def evaluate(households: Any, policy: Union[str, os.PathLike, None] = None, date: Any = None,
             column: str = "household", trace: bool = False) -> Any:
    """Evaluate a ``dask.dataframe`` of households (text in ``column``) on
    ``date`` (default today) under the bundle ``policy`` (a folder path the
    workers can read; default :func:`civrules.default_policy_path`). Returns
    a lazy ``dask.dataframe`` with the columns :data:`COLUMNS`, one row per
    household, partitioned like the input."""
    path = os.path.abspath(os.fspath(policy)) if policy is not None else civrules.default_policy_path()
    civrules.Policy.load(path)  # a bad bundle fails here, not on every worker
    day = civrules._date_text(date)
    civrules._capi.civr_date_parse(day)
    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    return households.map_partitions(evaluate_partition, path, day, column, trace, meta=meta)


def read_jsonl(paths: Any, blocksize: Optional[Union[int, str]] = "64MiB", column: str = "household") -> Any:
    """JSON Lines files (one household per line; a glob, a list, or remote
    URLs Dask can read) -> a ``dask.dataframe`` with the line texts, exactly
    as written, in ``column``; blank lines are left out."""
    import dask.bag as db
    bag = db.read_text(paths, blocksize=blocksize).map(lambda line: line.strip()).filter(bool)
    return bag.to_dataframe(meta={column: "object"})
