"""Exceptions raised by civrules.

Every exception carries the C library's error: ``code`` (a ``CIVR_E*``
result code), ``id`` (the stable message id, e.g. ``"CIVR-2004"``), and the
position ``file``, ``line``, ``column`` (``None`` and 0 when unknown).
See docs/errors.md for every id.
"""

from __future__ import annotations

from typing import Optional

from . import native as _capi

__all__ = [
    "Error", "ParseError", "SchemaError", "HouseholdDataError", "ExpressionError", "PolicyError",
    "EvaluationError", "HookError", "LimitError", "UsageError", "BundleNotFoundError", "from_c",
    "from_record",
]


class Error(Exception):
    """Base of every civrules error."""

    def __init__(self, message: str, code: int = 0, id: str = "", file: Optional[str] = None,
                 line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        #: the C result code (``civrules.errors.CODES`` maps them to names)
        self.code = code
        #: the stable message id, "CIVR-NNNN"
        self.id = id
        #: the file (or input name) where the problem is, or None
        self.file = file
        #: 1-based line, 0 when unknown
        self.line = line
        #: 1-based column in characters, 0 when unknown
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.file and self.line:
            where = f"{self.file}:{self.line}:{self.column}: "
        elif self.file:
            where = f"{self.file}: "
        return f"{where}error: [{self.id}] {self.message}"


class ParseError(Error):
    """Malformed YAML or JSON text (a policy file or a household)."""


class SchemaError(Error):
    """Well-formed text of the wrong shape: an unknown field, a wrong type."""


class HouseholdDataError(Error):
    """Household data that breaks the contract: a bad date, a dangling reference."""


class ExpressionError(Error):
    """An expression in a policy that does not parse or does not type-check."""


class PolicyError(Error):
    """A bundle that cannot be read or is inconsistent: an unknown name, a cycle, an overlap."""


class EvaluationError(Error):
    """An evaluation that failed: no parameter value on the date, overflow, no table row."""


class HookError(Error):
    """A Lua hook failed."""


class LimitError(Error):
    """A configured limit was reached (text size, nesting, members...)."""


class UsageError(Error, ValueError):
    """The library was called wrongly (an invalid argument)."""


class BundleNotFoundError(PolicyError, FileNotFoundError):
    """The policy bundle folder does not exist (a :class:`FileNotFoundError`
    too, with ``errno``, ``strerror`` and ``filename`` set)."""

    def __init__(self, path: str):
        super().__init__(f"cannot read '{path}': no such folder", _capi.CIVR_EIO, "CIVR-4001", path)
        self.errno = 2  # ENOENT
        self.strerror = "No such file or directory"
        self.filename = path


#: result code -> exception class; the codes come from the C header through SWIG
_BY_CODE = {
    _capi.CIVR_ESYNTAX: ParseError,
    _capi.CIVR_ESCHEMA: SchemaError,
    _capi.CIVR_EDATA: HouseholdDataError,
    _capi.CIVR_EEXPR: ExpressionError,
    _capi.CIVR_EPOLICY: PolicyError,
    _capi.CIVR_EIO: PolicyError,
    _capi.CIVR_EEVAL: EvaluationError,
    _capi.CIVR_EHOOK: HookError,
    _capi.CIVR_ELIMIT: LimitError,
    _capi.CIVR_EINVAL: UsageError,
}

#: result code -> its name in the C header ("CIVR_EDATA")
CODES = {getattr(_capi, name): name for name in dir(_capi)
         if name.startswith("CIVR_E") and isinstance(getattr(_capi, name), int)}


def from_c(code: int, id: int, source: str, line: int, column: int, message: str) -> BaseException:
    """Build the exception for a C error (called by the C layer)."""
    if code == _capi.CIVR_ENOMEM:
        return MemoryError(message)
    cls = _BY_CODE.get(code, Error)
    return cls(message, code, f"CIVR-{id:04d}", source or None, line, column)


_CODE_BY_NAME = {"syntax": _capi.CIVR_ESYNTAX, "schema": _capi.CIVR_ESCHEMA,
                 "data": _capi.CIVR_EDATA, "expression": _capi.CIVR_EEXPR,
                 "policy": _capi.CIVR_EPOLICY, "io": _capi.CIVR_EIO,
                 "evaluation": _capi.CIVR_EEVAL, "hook": _capi.CIVR_EHOOK,
                 "limit": _capi.CIVR_ELIMIT, "invalid": _capi.CIVR_EINVAL,
                 "memory": _capi.CIVR_ENOMEM}


def from_record(error: dict) -> BaseException:
    """Build the exception for the ``error`` object of an error record."""
    code = _CODE_BY_NAME.get(error.get("code"), 0)
    number = int(str(error.get("id", "CIVR-0"))[5:] or 0)
    return from_c(code, number, error.get("source") or "", error.get("line") or 0,
                  error.get("column") or 0, error.get("message", ""))
