"""civrules: eligibility and monthly amounts of county civil-affairs benefits.

Three lines from a household to a decision::

    import civrules
    policy = civrules.Policy.load("policies/cn/guangdong/guangzhou")
    result = policy.evaluate({"id": "H1", "members": [...]}, date="2024-08-01")

A result is a plain dict shaped like the JSON of ``civrules eval`` (see
docs/result.md), with money as :class:`decimal.Decimal` (an exact amount that
does not end, such as a per-capita income of 1000/3 yuan, as
:class:`fractions.Fraction`) and dates as :class:`datetime.date`. A program
that could not be evaluated on the date (a value not in force, a hook that
failed) has ``status == "error"`` and an ``"error"`` dict (id, code, source,
line, column, message; ``civrules.errors.from_record`` makes it the
exception) while the household's other programs are decided as usual; only
when no program could be evaluated does ``evaluate`` raise.

A loaded policy is immutable and may be used from many threads: each thread
gets its own engine, and the C work runs without the GIL.

``civrules.native`` is the raw SWIG layer this package is built on: it is
internal, takes bare C pointers and does not manage their lifetimes; use the
classes here instead.
"""

from __future__ import annotations

import collections
import datetime
import decimal
import fractions
import json
import os
import sys
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Deque, Dict, Iterable, Iterator, List, Optional, Union

from . import _config
from . import native as _capi
from .errors import (BundleNotFoundError, Error, EvaluationError, ExpressionError, HookError, HouseholdDataError,
                     LimitError, ParseError, PolicyError, SchemaError, UsageError, from_record)
from .errors import _CODE_BY_NAME

__all__ = [
    "Policy", "Diagnostic", "check", "diff", "raise_for", "default_policy_path", "__version__",
    "Error", "ParseError", "SchemaError", "HouseholdDataError", "ExpressionError", "PolicyError",
    "EvaluationError", "HookError", "LimitError", "UsageError", "BundleNotFoundError",
]

#: the version of the C library this module runs with
__version__: str = _capi.civr_version()


def default_policy_path() -> str:
    """The bundle used when none is named: ``$CIVRULES_POLICY``, else the
    Guangzhou bundle installed with this package (``<prefix>/share/civrules/
    policies`` after ``meson install``, ``<prefix>/civrules/policies`` after
    ``pip install``), else the source tree's when running from a build."""
    env = os.environ.get("CIVRULES_POLICY")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [
        os.path.join(sys.prefix, "share", "civrules", "policies"),  # meson install into this prefix
        os.path.join(sys.prefix, "civrules", "policies"),  # a wheel's data (pip install)
        # meson install elsewhere: <prefix>/lib/python3/dist-packages/civrules
        os.path.join(here, *[os.pardir] * 4, "share", "civrules", "policies"),
        os.path.join(_config.DATADIR, "civrules", "policies"),  # the prefix meson was set up with
        _config.SOURCE_POLICIES,  # running from a build tree
    ]
    for base in candidates:
        path = os.path.normpath(os.path.join(base, "cn", "guangdong", "guangzhou"))
        if os.path.isfile(os.path.join(path, "bundle.yaml")):
            return path
    raise BundleNotFoundError(os.path.join(candidates[0], "cn", "guangdong", "guangzhou"))

Household = Union[Dict[str, Any], str, bytes]
DateLike = Union[datetime.date, str, None]


@dataclass(frozen=True)
class Diagnostic:
    """One problem found by :func:`check`, as ``civrules check`` prints it."""

    severity: str        #: "error" or "warning"
    id: str              #: "CIVR-NNNN"
    code: int            #: the C result code
    file: Optional[str]  #: the file, or None
    line: int            #: 1-based, 0 when unknown
    column: int          #: 1-based characters, 0 when unknown
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: " if self.file and self.line else (
            f"{self.file}: " if self.file else "")
        return f"{where}{self.severity}: [{self.id}] {self.message}"


def _path(path: Union[str, os.PathLike]) -> str:
    """``path`` as text for C; a NUL in it would end the path early in C
    (loading or checking the prefix), so it is refused."""
    text = os.fspath(path)
    if "\0" in (text if isinstance(text, str) else text.decode("utf-8", "replace")):
        raise UsageError(f"invalid argument: the path {text!r} holds a NUL character",
                         code=_capi.CIVR_EINVAL, id="CIVR-9025")
    return text


def check(path: Union[str, os.PathLike]) -> List[Diagnostic]:
    """Validate the bundle in folder ``path`` and its parents, without raising.

    Returns every problem found (an empty list when the bundle is sound),
    in the order ``civrules check`` reports them.
    """
    diags = _capi.civr_diagnostics_new()
    try:
        _capi.civr_policy_check(_path(path), diags)
        text = _capi.civr_diagnostics_json(diags)
    finally:
        _capi.civr_diagnostics_free(diags)
    found = []
    for line in text.splitlines():
        d = json.loads(line)
        e = d["error"]
        found.append(Diagnostic(d["severity"], e["id"], _CODE_BY_NAME.get(e["code"], 0),
                                e["source"], e["line"], e["column"], e["message"]))
    return found


# ---- values ---------------------------------------------------------------------------------

def _money(text: Optional[str]) -> Union[decimal.Decimal, fractions.Fraction, None]:
    """"2846.00" -> Decimal; "1000/3" (an exact amount that does not end) -> Fraction."""
    if text is None:
        return None
    if "/" in text:
        return fractions.Fraction(text)
    return decimal.Decimal(text)


_FACT_CONVERTERS = {
    "money": _money,
    "rate": _money,
    "date": lambda v: None if v is None else datetime.date.fromisoformat(v),
}


def _json_default(value: Any) -> Any:
    """Encode what households built in Python commonly hold."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, fractions.Fraction) and value.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        return str(decimal.Decimal(value.numerator) / decimal.Decimal(value.denominator))
    if hasattr(value, "item"):  # numpy scalars from pandas
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be written into a household")


def _household_text(household: Household) -> Union[str, bytes]:
    """JSON or YAML text for C: bytes go as they are (the library checks the
    UTF-8 and reports where it breaks), str as UTF-8, a dict as JSON."""
    if isinstance(household, (str, bytes)):
        return household
    return json.dumps(household, ensure_ascii=False, default=_json_default)


def _key_path(household: Any, text: str, column: int) -> Optional[str]:
    """The key path (``["members"][0]["birth_date"]``) of the value of a
    dict household at 1-based character ``column`` of ``text``, its JSON
    serialisation; None when it cannot be told. Used only for errors, so
    that they point at what the caller wrote, not at a text they never saw."""
    spans: List[Any] = []
    parts: List[str] = []
    at = [0]

    def emit(piece: str) -> None:
        parts.append(piece)
        at[0] += len(piece)

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            emit("{")
            for n, (key, item) in enumerate(value.items()):
                if n:
                    emit(", ")
                start = at[0]
                emit(json.dumps({key: 0}, ensure_ascii=False)[1:-4] + ": ")
                sub = f"{path}[{json.dumps(key, ensure_ascii=False)}]"
                walk(item, sub)
                spans.append((start, at[0], sub))
            emit("}")
        elif isinstance(value, (list, tuple)):
            emit("[")
            for n, item in enumerate(value):
                if n:
                    emit(", ")
                start = at[0]
                walk(item, f"{path}[{n}]")
                spans.append((start, at[0], f"{path}[{n}]"))
            emit("]")
        else:
            try:
                emit(json.dumps(value, ensure_ascii=False))
            except TypeError:
                walk(_json_default(value), path)

    try:
        walk(household, "")
    except (TypeError, ValueError):
        return None
    if "".join(parts) != text or column < 1:
        return None
    inside = [s for s in spans if s[0] <= column - 1 < s[1]]
    return min(inside, key=lambda s: s[1] - s[0])[2] if inside else ""


def _point_at_dict(household: Any, text: str, record: Dict[str, Any], name: str) -> None:
    """Rewrite the position of an error record's error for a dict household:
    ``name`` plus the key path, without the serialisation's line and column."""
    error = record["error"]
    path = _key_path(household, text, error.get("column") or 0) if error.get("line") == 1 else None
    error["source"] = name + (path or "")
    error["line"] = error["column"] = 0

def _date_text(date: DateLike) -> str:
    if date is None:
        return datetime.date.today().isoformat()
    if isinstance(date, datetime.datetime):
        return date.date().isoformat()
    if isinstance(date, datetime.date):
        return date.isoformat()
    return str(date)


# ---- handles ----------------------------------------------------------------------------------

class _PolicyHandle:
    """Owns the C policy; engines keep it alive, so it is freed after them."""

    def __init__(self, ptr: Any):
        self.ptr = ptr
        self._finalizer = weakref.finalize(self, _capi.civr_policy_free, ptr)


def _free_engine(engine: Any, result: Any) -> None:
    _capi.civr_result_free(result)
    _capi.civr_engine_free(engine)


class _Engine:
    """One thread's evaluation state: a C engine and a reusable C result."""

    def __init__(self, handle: _PolicyHandle):
        self.handle = handle  # the policy outlives its engines
        self.engine = _capi.civr_engine_new(handle.ptr)
        try:
            self.result = _capi.civr_result_new()
        except BaseException:
            _capi.civr_engine_free(self.engine)
            raise
        self._finalizer = weakref.finalize(self, _free_engine, self.engine, self.result)

    def evaluate(self, text: str, date: str, trace: bool) -> str:
        """The result JSON; raises for a household that fails."""
        return _capi.civr_engine_eval_json(self.engine, text, _capi.CIVR_FORMAT_AUTO, "<household>", date,
                                           _capi.CIVR_EVAL_TRACE if trace else 0, self.result)

    def screen_batch(self, texts: List[str], date: str, first: Optional[str], last: Optional[str],
                     check_region: bool, months: bool) -> str:
        """One JSON line per text (civrules/screen.h): a screening record, the
        months of a period, or an error record."""
        if getattr(self, "screen", None) is None:
            self.screen = _capi.civr_screen_new()
            weakref.finalize(self, _capi.civr_screen_free, self.screen)
        return _capi.civr_engine_screen_batch(
            self.engine, texts, _capi.CIVR_FORMAT_AUTO, "<household>", date, first, last,
            _capi.CIVR_EVAL_CHECK_REGION if check_region else 0,
            _capi.CIVR_SCREEN_RENDER_MONTHS if months else _capi.CIVR_SCREEN_RENDER_CASES, self.screen)

    def evaluate_batch(self, texts: List[str], date: str, flags: int) -> str:
        """One JSON line per text, each ended by a newline: a result or an error record."""
        return _capi.civr_engine_eval_batch(self.engine, texts, _capi.CIVR_FORMAT_AUTO, "<household>", date,
                                            flags, self.result)


# ---- the policy -------------------------------------------------------------------------------

class Policy:
    """A loaded, compiled policy bundle (immutable; share it between threads)."""

    def __init__(self, handle: _PolicyHandle, path: str):
        self._handle = handle
        self._path = path
        self._local = threading.local()
        self._description = json.loads(_capi.civr_policy_describe(handle.ptr))
        self._fact_types = {p["id"]: {f["name"]: f["type"] for f in p["facts"]}
                            for p in self._description["programs"]}

    @classmethod
    def load(cls, path: Union[str, os.PathLike, None] = None) -> "Policy":
        """Load the bundle in folder ``path`` with all its parents (default:
        :func:`default_policy_path`).

        Raises :class:`BundleNotFoundError` (a :class:`FileNotFoundError`)
        when the folder does not exist, and else a :class:`civrules.Error`
        subclass with the file, line and column of the first problem (use
        :func:`check` to see all of them).
        """
        path = _path(path) if path is not None else default_policy_path()
        if not os.path.isdir(path):
            raise BundleNotFoundError(path)
        return cls(_PolicyHandle(_capi.civr_policy_load(path)), path)

    @property
    def id(self) -> str:
        """Id of the most specific layer, e.g. "cn/guangdong/guangzhou"."""
        return _capi.civr_policy_id(self._handle.ptr)

    @property
    def version(self) -> str:
        """Version of the most specific layer."""
        return _capi.civr_policy_version(self._handle.ptr)

    @property
    def digest(self) -> str:
        """SHA-256 (hex) over every file of every layer."""
        return _capi.civr_policy_digest(self._handle.ptr)

    @property
    def path(self) -> str:
        """The folder the policy was loaded from."""
        return self._path

    @property
    def layers(self) -> List[str]:
        """Layer ids, the national baseline first."""
        return list(self._description["layers"])

    @property
    def programs(self) -> List[str]:
        """Program ids, as results list them."""
        return [p["id"] for p in self._description["programs"]]

    def describe(self) -> Dict[str, Any]:
        """Programs with their titles and the facts results show, with types."""
        return json.loads(json.dumps(self._description))

    def check(self) -> List[Diagnostic]:
        """Validate the bundle's folder again (warnings included); see :func:`check`."""
        return check(self._path)

    def _engine(self) -> _Engine:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = _Engine(self._handle)
        return engine

    def _typed(self, text: str) -> Dict[str, Any]:
        """Result JSON -> dict with Decimal money and datetime.date dates."""
        result = json.loads(text)
        if result.get("date"):
            result["date"] = datetime.date.fromisoformat(result["date"])
        if "total_monthly" in result:
            result["total_monthly"] = _money(result["total_monthly"])
        for program in result.get("programs", ()):
            program["monthly"] = _money(program["monthly"])
            for line in program.get("members", ()):
                line["monthly"] = _money(line["monthly"])
            types = self._fact_types.get(program["program"], {})
            for name, value in program.get("facts", {}).items():
                convert = _FACT_CONVERTERS.get(types.get(name, ""))
                if convert:
                    program["facts"][name] = convert(value)
        for absent in result.get("absent", ()):
            if absent.get("since"):
                absent["since"] = datetime.date.fromisoformat(absent["since"])
        for choice in result.get("choices", ()):
            for route in choice["routes"]:
                route["total_monthly"] = _money(route["total_monthly"])
        for step in result.get("trace", ()):
            if step["step"] in ("round", "member", "stacking"):
                for key in ("value", "exact", "before"):
                    if key in step:
                        step[key] = _money(step[key])
        return result

    def evaluate(self, household: Household, date: DateLike = None, trace: bool = False) -> Dict[str, Any]:
        """Evaluate one household (a dict, or JSON or YAML text) on ``date``.

        ``date`` is a :class:`datetime.date` or "YYYY-MM-DD" (default: today).
        Returns the result dict; with ``trace=True`` it includes every step,
        and ``"log"`` (only when there is one) what the policy's Lua hooks
        printed: ``[{"program", "hook", "text"}]`` (docs/result.md).
        Raises :class:`ParseError`, :class:`SchemaError` or
        :class:`HouseholdDataError` for a household that breaks the contract
        and :class:`EvaluationError` when the policy cannot decide (for
        example no parameter value on the date).
        """
        text = _household_text(household)
        try:
            return self._typed(self._engine().evaluate(text, _date_text(date), trace))
        except Error as e:
            if isinstance(household, dict) and e.file == "<household>":
                record = {"error": {"line": e.line, "column": e.column}}
                _point_at_dict(household, text, record, "household")
                e.file, e.line, e.column = record["error"]["source"], 0, 0
            raise

    def _prepare(self, chunk: List[Household], date: str) -> Any:
        """Households -> (their texts, a list with an error record in the place
        of each household that cannot even be written as text, else None)."""
        texts, records = [], []
        for household in chunk:
            try:
                text = _household_text(household)
                if isinstance(text, str):
                    text.encode("utf-8")  # a lone surrogate: this household's error, not the batch's
                texts.append(text)
                records.append(None)
            except (TypeError, ValueError, UnicodeDecodeError) as e:
                hid = household.get("id") if isinstance(household, dict) else None
                records.append({"household": hid, "date": datetime.date.fromisoformat(date),
                                "error": {"id": "CIVR-9025", "code": "invalid", "source": None,
                                          "line": 0, "column": 0, "message": f"invalid argument: {e}"}})
        return texts, records

    def _evaluate_texts(self, texts: List[str], date: str, flags: int) -> List[str]:
        """One call into C for a batch (without the GIL): one JSON line each,
        a result or an error record, on this thread's engine."""
        if not texts:
            return []
        lines = self._engine().evaluate_batch(texts, date, flags).split("\n")[:-1]
        if len(lines) != len(texts):  # cannot happen: rendered JSON is one line
            raise RuntimeError(f"civrules: {len(texts)} households gave {len(lines)} results")
        return lines

    def _merge(self, chunk: List[Household], first: int, texts: List[str],
               records: List[Optional[Dict[str, Any]]], lines: List[str]) -> Iterator[Dict[str, Any]]:
        """Results in input order; an error names its row, ``households[i]``
        (and for a dict, the key path inside it)."""
        out = iter(zip(texts, lines))
        for n, (household, record) in enumerate(zip(chunk, records)):
            name = f"households[{first + n}]"
            if record is None:
                text, line = next(out)
                record = self._typed(line)
                if "error" in record and record["error"].get("source", "").startswith("<household>"):
                    if isinstance(household, dict):
                        _point_at_dict(household, text, record, name)
                    else:
                        record["error"]["source"] = name
            else:
                record["error"]["source"] = name
            yield record

    def evaluate_columns(self, columns: Dict[str, Any], date: DateLike = None,
                         threads: int = 1) -> Dict[str, Any]:
        """Evaluate households given as columns of household fields through
        the batch path: status and monthly fen per program, as columns (see
        :mod:`civrules.columns`). Raises :class:`Error` with code
        ``CIVR_ENOTSUP`` (CIVR-8001) when the policy needs
        :meth:`evaluate_many` (members, tables, hooks...)."""
        from .columns import evaluate_columns
        return evaluate_columns(self, columns, _date_text(date), threads=threads)

    def evaluate_many(self, households: Iterable[Household], date: DateLike = None,
                      threads: int = 1, trace: bool = False,
                      summary: bool = False) -> Iterator[Dict[str, Any]]:
        """Evaluate many households, yielding results in input order.

        A household that cannot be evaluated yields an error record
        (``{"household": ..., "error": {"id", "code", "source", "line",
        "column", "message"}}``) instead of stopping the batch; see
        :func:`raise_for`. Households go into C in batches of ``_CHUNK``,
        evaluated without the GIL. With ``threads`` > 1 that many threads,
        each with its own engine, evaluate batches in C while the calling
        thread writes households as text and turns results into dicts (the
        Python work, which holds the GIL); at most two batches per thread are
        in flight, so any length of input is fine.

        With ``summary=True`` each result holds, per program, only
        ``program``, ``status``, ``monthly``, ``missing`` and ``error`` (no
        member lines, facts or reasons), and the total: several times
        faster for a caseload where only the answers are wanted.
        """
        if not isinstance(threads, int) or threads < 1:
            raise UsageError("threads must be an int of at least 1", code=_capi.CIVR_EINVAL, id="CIVR-9025")
        day = _date_text(date)
        _capi.civr_date_parse(day)  # a bad date raises now, not at the first result
        flags = (_capi.CIVR_EVAL_TRACE if trace else 0) | (_capi.CIVR_EVAL_SUMMARY if summary else 0)
        return self._many(_chunked(households, _CHUNK), day, threads, flags)

    def _many(self, chunks: Iterator[List[Household]], day: str, threads: int,
              flags: int) -> Iterator[Dict[str, Any]]:
        first = 0
        if threads == 1:
            for chunk in chunks:
                texts, records = self._prepare(chunk, day)
                yield from self._merge(chunk, first, texts, records, self._evaluate_texts(texts, day, flags))
                first += len(chunk)
            return
        window: Deque[Any] = collections.deque()
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="civrules") as pool:
            for chunk in chunks:
                texts, records = self._prepare(chunk, day)
                window.append((chunk, first, texts, records, pool.submit(self._evaluate_texts, texts, day, flags)))
                first += len(chunk)
                if len(window) >= threads * 2:
                    chunk_, first_, texts_, records_, lines = window.popleft()
                    yield from self._merge(chunk_, first_, texts_, records_, lines.result())
            while window:
                chunk_, first_, texts_, records_, lines = window.popleft()
                yield from self._merge(chunk_, first_, texts_, records_, lines.result())

    def _screen_lines(self, households: Any, date: str, first: Optional[str], last: Optional[str],
                      check_region: bool, months: bool) -> Iterator[Dict[str, Any]]:
        if hasattr(households, "columns") and "household" in households.columns:
            households = list(households["household"])  # a DataFrame with a household column
        done = 0
        for chunk in _chunked(households, _CHUNK):
            texts = [_household_text(h) for h in chunk]
            lines = self._engine().screen_batch(texts, date, first, last, check_region, months).split("\n")[:-1]
            for n, line in enumerate(lines):
                record = json.loads(line)
                if "error" in record and (record["error"].get("source") or "").startswith("<household>"):
                    record["error"]["source"] = f"households[{done + n}]"
                yield record
            done += len(chunk)

    def screen_records(self, households: Iterable[Household], date: DateLike,
                       from_month: Optional[str] = None, to_month: Optional[str] = None,
                       check_region: bool = True) -> Iterator[Dict[str, Any]]:
        """Screen households (dicts, JSON or YAML texts) on ``date``: one record per
        household as ``civrules screen`` writes it (see docs/screening.md), money as
        decimal strings; with ``from_month``/``to_month`` ("YYYY-MM") also month by
        month against each enrolment's payment history. A household outside the
        policy's regions is an error record unless ``check_region=False``."""
        day = _date_text(date)
        first = f"{from_month}-01" if from_month and len(from_month) == 7 else from_month
        last = f"{to_month}-01" if to_month and len(to_month) == 7 else to_month
        if (first is None) != (last is None):
            raise UsageError("from_month and to_month go together", code=_capi.CIVR_EINVAL, id="CIVR-9014")
        return self._screen_lines(households, day, first, last, check_region, False)

    def screen(self, households: Any, date: DateLike, from_month: Optional[str] = None,
               to_month: Optional[str] = None, check_region: bool = True) -> Any:
        """Screen a caseload into a pandas DataFrame with one row per household x
        program (x member, for programs that decide per member): ``household,
        region, program, member, category`` (agrees | missed | wrongly_enrolled |
        amount_differs | undetermined), ``status, enrolled, due, paid, difference``
        (Decimal yuan per month), ``since, review, next_review, arrears, overpaid,
        reasons`` (codes), ``missing``, ``error`` (an error record's message, on a
        row of its own). ``households``: dicts or texts, or a DataFrame with a
        ``household`` column of them. Needs pandas."""
        pd = _pandas("Policy.screen")
        rows = []
        for r in self.screen_records(households, date, from_month, to_month, check_region):
            if "error" in r:
                rows.append({"household": r.get("household"), "error": f"[{r['error']['id']}] {r['error']['message']}"})
                continue
            for c in r["cases"]:
                rows.append({"household": r["household"], "region": r["region"], "program": c["program"],
                             "member": c["member"], "category": c["category"], "status": c["status"],
                             "enrolled": c["enrolled"], "due": _money(c["due"]), "paid": _money(c["paid"]),
                             "difference": _money(c["difference"]), "since": c["since"], "review": c["review"],
                             "next_review": c["next_review"], "arrears": _money(c.get("arrears")),
                             "overpaid": _money(c.get("overpaid")),
                             "reasons": ", ".join(x["code"] for x in c["reasons"]) or None,
                             "missing": ", ".join(c["missing"]) or None, "error": None})
        columns = ["household", "region", "program", "member", "category", "status", "enrolled", "due", "paid",
                   "difference", "since", "review", "next_review", "arrears", "overpaid", "reasons", "missing",
                   "error"]
        return pd.DataFrame(rows, columns=columns)

    def evaluate_period(self, households: Any, from_month: str, to_month: str,
                        check_region: bool = False) -> Any:
        """Evaluate every month of a period ("YYYY-MM" to "YYYY-MM"), each with the
        values and situations in force on its ``screening.month_day``, into a pandas
        DataFrame with one row per household x month x program x member: ``household,
        month, program, member`` (None: the program's household total), ``status,
        monthly`` (Decimal), ``error``. Needs pandas."""
        pd = _pandas("Policy.evaluate_period")
        first = f"{from_month}-01" if len(from_month) == 7 else from_month
        last = f"{to_month}-01" if len(to_month) == 7 else to_month
        rows = []
        for r in self._screen_lines(households, last, first, last, check_region, True):
            if "error" in r:
                rows.append({"household": r.get("household"), "error": f"[{r['error']['id']}] {r['error']['message']}"})
                continue
            for m in r["months"]:
                for p in m["programs"]:
                    rows.append({"household": r["household"], "month": m["month"], "program": p["program"],
                                 "member": None, "status": p.get("status"), "monthly": _money(p["monthly"]),
                                 "error": None})
                    for mem in p["members"]:
                        rows.append({"household": r["household"], "month": m["month"], "program": p["program"],
                                     "member": mem["member"], "status": mem["status"],
                                     "monthly": _money(mem["monthly"]), "error": None})
        return pd.DataFrame(rows, columns=["household", "month", "program", "member", "status", "monthly", "error"])

    def evaluate_frame(self, frame: Any, date: DateLike = None, threads: int = 1) -> Any:
        """Evaluate a pandas DataFrame of member rows (see :mod:`civrules.caseload`
        for the columns, parents and supporters included) into a DataFrame with
        one row per household and program. Needs pandas."""
        from .caseload import evaluate_frame
        return evaluate_frame(self, frame, date=date, threads=threads)

    def __repr__(self) -> str:
        return f"<civrules.Policy {self.id} {self.version} {self.digest[:12]}>"


#: households per call into C in evaluate_many
_CHUNK = 64


def _pandas(what: str) -> Any:
    try:
        import pandas
    except ImportError as e:
        raise ImportError(f"civrules.{what} needs pandas (Debian: apt install python3-pandas)") from e
    return pandas


def _chunked(items: Iterable[Household], size: int) -> Iterator[List[Household]]:
    chunk: List[Household] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def raise_for(result: Dict[str, Any]) -> Dict[str, Any]:
    """Return ``result``, or raise the exception of an error record."""
    if "error" in result:
        raise from_record(result["error"])
    return result


# ---- comparing two policies over a caseload ------------------------------------------------

_DIFF_MONEY = ("old_monthly", "new_monthly", "change", "monthly_change", "annual_change")


def _diff_money(value: Any) -> Any:
    """Money strings of a diff (yuan, two decimals) as Decimal, everywhere."""
    if isinstance(value, dict):
        return {k: (decimal.Decimal(v) if k in _DIFF_MONEY and isinstance(v, str) else _diff_money(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_diff_money(v) for v in value]
    return value


def diff(old: "Policy", new: "Policy", households: Iterable[Household], date: DateLike = None,
         new_date: DateLike = None, html: bool = False) -> Dict[str, Any]:
    """Compare two policies (or one at two dates) over a caseload.

    Each household is evaluated under ``old`` on ``date`` and under ``new``
    on ``new_date`` (default: ``date``; both default to today). Returns
    ``{"records": [...], "summary": {...}, "rules": {...}}`` (and ``"html"``,
    the self-contained page, when ``html`` is true): ``records`` are flat
    dicts, one per household and program (``household, region, program,
    transition, old_status, new_status, old_monthly, new_monthly, change``),
    ready for ``pandas.DataFrame(result["records"])``; a household that does
    not evaluate is one record with ``transition == "error"`` and its
    ``error``. Money is ``Decimal`` yuan; the summary's totals are exactly
    the sums of the records. ``rules`` lists the rules that differ
    (parameters, table rows, program settings, hooks). The same as
    ``civrules diff OLD NEW CASELOAD --format json``.
    """
    old_day = _date_text(date)
    new_day = _date_text(new_date) if new_date is not None else old_day
    handle = _capi.civr_diff_new(old._handle.ptr, old_day, new._handle.ptr, new_day)
    try:
        records: List[Dict[str, Any]] = []
        for n, household in enumerate(households):
            lines = _capi.civr_diff_add(handle, _household_text(household), _capi.CIVR_FORMAT_AUTO,
                                        f"households[{n}]")
            records.extend(_diff_money(json.loads(line)) for line in lines.splitlines())
        out = {"records": records,
               "summary": _diff_money(json.loads(_capi.civr_diff_summary(handle, _capi.CIVR_DIFF_JSON, None))),
               "rules": json.loads(_capi.civr_diff_rules(handle, _capi.CIVR_DIFF_JSON, None))}
        if html:
            out["html"] = _capi.civr_diff_summary(handle, _capi.CIVR_DIFF_HTML, None)
        return out
    finally:
        _capi.civr_diff_free(handle)
