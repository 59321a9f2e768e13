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

__all__ = ["evaluate", "evaluate_partition", "read_jsonl", "COLUMNS"]

#: the columns of :func:`evaluate`'s output
COLUMNS = ["household", "status", "total_monthly", "error", "result"]

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


def evaluate_partition(frame: pd.DataFrame, policy: str, date: str, column: str = "household",
                       trace: bool = False) -> pd.DataFrame:
    """Evaluate one pandas partition (one household text per row in
    ``column``) into the rows of :data:`COLUMNS`: the household id, "ok" or
    "error", the total monthly amount as its exact decimal text, the error
    id, and the result JSON (the CLI's line, byte for byte; an error
    record's source names the row by the frame's index, ``households[97]``).
    Keeps the partition's index, so the output lines up with the input."""
    p = _policy(policy)
    texts = [t if isinstance(t, (str, bytes)) else json.dumps(t, ensure_ascii=False) for t in frame[column]]
    lines = p._engine().evaluate_batch(texts, date, trace).split("\n")[:-1] if texts else []
    rows = []
    for label, line in zip(frame.index, lines):
        head = json.loads(line)
        error = head.get("error")
        if error and str(error.get("source", "")).startswith("<household>:"):
            # name the row by its place in the whole frame, not in this
            # partition, so that any partitioning gives the same bytes
            error["source"] = f"households[{label}]"
            line = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
        rows.append((head.get("household"), "error" if error else "ok",
                     None if error else head["total_monthly"], error["id"] if error else None, line))
    return pd.DataFrame(rows, columns=COLUMNS, index=frame.index)


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
