# Type stub for the civrules package (the Pythonic layer over the C library).
import datetime
import decimal
import fractions
import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Union

from .errors import (BundleNotFoundError as BundleNotFoundError, Error as Error, EvaluationError as EvaluationError,
                     ExpressionError as ExpressionError, HookError as HookError,
                     HouseholdDataError as HouseholdDataError, LimitError as LimitError,
                     ParseError as ParseError, PolicyError as PolicyError,
                     SchemaError as SchemaError, UsageError as UsageError)

__version__: str

Household = Union[Dict[str, Any], str, bytes]
DateLike = Union[datetime.date, str, None]
Money = Union[decimal.Decimal, fractions.Fraction]

class Diagnostic:
    severity: str
    id: str
    code: int
    file: Optional[str]
    line: int
    column: int
    message: str
    def __init__(self, severity: str, id: str, code: int, file: Optional[str], line: int,
                 column: int, message: str) -> None: ...

def check(path: Union[str, os.PathLike[str]]) -> List[Diagnostic]: ...
def raise_for(result: Dict[str, Any]) -> Dict[str, Any]: ...
def default_policy_path() -> str: ...

class Policy:
    @classmethod
    def load(cls, path: Union[str, os.PathLike[str], None] = ...) -> Policy: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def layers(self) -> List[str]: ...
    @property
    def programs(self) -> List[str]: ...
    def describe(self) -> Dict[str, Any]: ...
    def check(self) -> List[Diagnostic]: ...
    def evaluate(self, household: Household, date: DateLike = ..., trace: bool = ...) -> Dict[str, Any]: ...
    def evaluate_many(self, households: Iterable[Household], date: DateLike = ...,
                      threads: int = ..., trace: bool = ...) -> Iterator[Dict[str, Any]]: ...
    def evaluate_frame(self, frame: Any, date: DateLike = ..., threads: int = ...) -> Any: ...

def diff(old: Policy, new: Policy, households: Iterable[Household], date: DateLike = ...,
         new_date: DateLike = ..., html: bool = ...) -> Dict[str, Any]: ...
