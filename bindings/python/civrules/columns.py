"""The batch path from Python: households as columns in, status and amount
per program as columns out (``include/civrules/batch.h``).

One call into C per batch (per thread), with the interpreter lock released
while C works, and no copy of numpy arrays. The answers are those of
:meth:`civrules.Policy.evaluate`, without reasons: open a household the
batch marks ``"failed"`` (or any other) with ``evaluate`` to see why.

Columns are named by household field and hold one value per household:

=========  ======================================================
integer    int64 numbers (numpy ``int64``, ``array('q')``, list)
money      int64 **fen** (yuan × 100): exact, no floating point
yes/no     0/1 bytes (numpy ``bool``/``uint8``, list of bool)
enum       value ids (``"urban"``) or their indices (``int32``)
=========  ======================================================

A value may be left out (the household does not give the field, as a
JSON household without the key): pass ``(values, present)`` where
``present`` holds one 0/1 byte per household, or a list with ``None`` in
those places.

Works without numpy (``array.array`` columns in and out) and uses numpy
when it is installed.
"""
from __future__ import annotations

import array
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from . import native as _capi

#: status numbers (civr_status) to names; the batch's own mark for a failed household
STATUS_NAMES: Dict[int, str] = {0: "ineligible", 1: "eligible", 2: "marginal", 3: "individual",
                                4: "phase_out", 5: "undetermined", 6: "error",
                                _capi.CIVR_BATCH_FAILED: "failed"}

_TYPECODE = {_capi.CIVR_COLUMN_INT: "q", _capi.CIVR_COLUMN_MONEY: "q", _capi.CIVR_COLUMN_BOOL: "B",
             _capi.CIVR_COLUMN_ENUM: "i"}
_NUMPY_DTYPE = {"q": "int64", "B": "uint8", "i": "int32"}


def _numpy() -> Any:
    try:
        import numpy
        return numpy
    except ImportError:
        return None


class _Batch:
    """One compiled batch (a policy at a date) with its columns bound."""

    def __init__(self, policy_ptr: Any, date: str):
        self.ptr = _capi.civr_batch_new(policy_ptr, date)
        self.fields: List[Tuple[str, int]] = [
            (_capi.civr_batch_field_name(self.ptr, i), _capi.civr_batch_field_kind(self.ptr, i))
            for i in range(_capi.civr_batch_field_count(self.ptr))]
        self.programs = [_capi.civr_batch_program_id(self.ptr, i)
                         for i in range(_capi.civr_batch_program_count(self.ptr))]
        self.keep: List[Any] = []  # the buffers C borrows until run

    def close(self) -> None:
        if self.ptr is not None:
            _capi.civr_batch_free(self.ptr)
            self.ptr = None

    def enum_index(self, field: str, value: Any) -> int:
        if isinstance(value, str):
            return _capi.civr_batch_enum_value(self.ptr, field, value)
        return int(value)


def _column(batch: _Batch, name: str, kind: int, data: Any, count: int) -> Tuple[Any, Any]:
    """(values, present) buffers for one column of `count` households."""
    present = None
    if isinstance(data, tuple):
        data, present = data
    np = _numpy()
    code = _TYPECODE[kind]
    if np is not None and isinstance(data, np.ndarray) and data.dtype.kind != "O":
        if kind == _capi.CIVR_COLUMN_ENUM and data.dtype.kind in "US":
            codes = {v: batch.enum_index(name, str(v)) for v in np.unique(data)}
            data = np.array([codes[v] for v in data.tolist()], dtype="int32")
        values = np.ascontiguousarray(data, dtype=_NUMPY_DTYPE[code])
    else:
        items = list(data)
        if present is None and any(v is None for v in items):
            present = bytes(v is not None for v in items)
        if kind == _capi.CIVR_COLUMN_ENUM:
            cache: Dict[Any, int] = {}
            items = [0 if v is None else cache.setdefault(v, batch.enum_index(name, v))
                     if isinstance(v, str) else int(v) for v in items]
        else:
            items = [0 if v is None else int(v) for v in items]
        values = array.array(code, items)
    if len(values) != count:
        raise ValueError(f"column '{name}' has {len(values)} values, not {count}")
    if present is not None:
        present = bytes(present) if not (np is not None and isinstance(present, np.ndarray)) \
            else np.ascontiguousarray(present, dtype="uint8")
        if len(present) != count:
            raise ValueError(f"column '{name}': its present mask has {len(present)} values, not {count}")
    return values, present


def _run(policy_ptr: Any, date: str, columns: Mapping[str, Any], lo: int, hi: int,
         status: Any, monthly: Any) -> None:
    """Evaluate households [lo, hi) into rows [lo, hi) of the outputs."""
    batch = _Batch(policy_ptr, date)
    try:
        for name, kind in batch.fields:
            if name not in columns:
                raise KeyError(f"the rules read household field '{name}': give a column for it "
                               f"(values, present) with present all 0 if no household has it")
        for name, data in columns.items():
            kinds = dict(batch.fields)
            if name not in kinds:
                continue  # not read by the rules
            values, present = _column(batch, name, kinds[name], _slice(data, lo, hi), hi - lo)
            batch.keep += [values, present]
            _capi.civr_batch_bind(batch.ptr, name, kinds[name], values, present)
        width = len(batch.programs)
        _capi.civr_batch_run(batch.ptr, hi - lo, memoryview(status)[lo * width:hi * width],
                             memoryview(monthly)[lo * width:hi * width])
    finally:
        batch.close()


def _slice(data: Any, lo: int, hi: int) -> Any:
    if isinstance(data, tuple):
        return tuple(d[lo:hi] for d in data)
    return data[lo:hi]


def _length(data: Any) -> int:
    return len(data[0] if isinstance(data, tuple) else data)


def evaluate_columns(policy: Any, columns: Mapping[str, Any], date: str,
                     threads: int = 1) -> Dict[str, Any]:
    """Evaluate the households given as columns (see the module's
    documentation) on ``date``. Returns ``{"programs": [ids],
    "status": {id: column of status numbers}, "monthly": {id: column of
    fen}}`` (numpy arrays when numpy is installed, else ``array.array``);
    :data:`STATUS_NAMES` names the numbers. ``threads`` > 1 splits the
    households between threads, each with its own compiled batch.

    Raises :class:`civrules.Error` with code ``CIVR_ENOTSUP`` (CIVR-8001)
    when the policy needs the explained path (members, decision tables,
    hooks...): use :meth:`Policy.evaluate_many` for it."""
    count = _length(next(iter(columns.values()))) if columns else 0
    for name, data in columns.items():
        if _length(data) != count:
            raise ValueError(f"column '{name}' has {_length(data)} values, not {count}")
    probe = _Batch(policy._handle.ptr, date)
    programs = probe.programs
    probe.close()
    width = len(programs)
    np = _numpy()
    if np is not None:
        status_all = np.zeros(count * width, dtype="uint8")
        monthly_all = np.zeros(count * width, dtype="int64")
    else:
        status_all = array.array("B", bytes(count * width))
        monthly_all = array.array("q", bytes(8 * count * width))
    threads = max(1, min(int(threads), count // 4096 + 1))
    bounds = [count * k // threads for k in range(threads + 1)]
    if threads == 1:
        _run(policy._handle.ptr, date, columns, 0, count, status_all, monthly_all)
    else:
        with ThreadPoolExecutor(threads) as pool:
            for f in [pool.submit(_run, policy._handle.ptr, date, columns, bounds[k], bounds[k + 1],
                                  status_all, monthly_all) for k in range(threads)]:
                f.result()
    out: Dict[str, Any] = {"programs": programs, "status": {}, "monthly": {}}
    for p, pid in enumerate(programs):
        out["status"][pid] = status_all[p::width] if np is not None else array.array("B", status_all[p::width])
        out["monthly"][pid] = monthly_all[p::width] if np is not None else array.array("q", monthly_all[p::width])
    return out
