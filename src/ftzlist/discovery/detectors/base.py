"""What every detector shares: the kinds it labels, its context and result, and the vector helpers.

A detector has two forms that must agree: `vector` takes an Arrow string array (trimmed, non-empty
values) and returns a label per value; `scalar` takes one string. The vector form is what the
scanner runs (a pattern over the column, then a checksum only on the candidates, in numpy); the
scalar form is the reference the tests and the benchmark compare it with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.identifiers import resident_id
from ftzlist.identifiers.kinds import KINDS
from ftzlist.identifiers.kinds import Kind as IdentifierKind

NO = -1
WEAK = 0.8
"""Kinds below this strength are recognised by shape alone (names, addresses, dates, plates...)."""


@dataclass(frozen=True)
class Kind:
    """One kind of value a detector labels."""

    name: str
    category: str
    strength: float
    """How much a match alone says (checksummed identifiers 0.95, shape-only patterns 0.5-0.7)."""
    method: str
    identifier: IdentifierKind | None = None
    """The person identifier (`ftzlist.identifiers.kinds`) a value of this kind is, if any: its
    strength there (strong names one person, weak may be shared) is the strength of the finding."""
    needs_hint: bool = False
    """Reported only when the column name agrees (a bare date or an 8-digit number says little)."""

    @property
    def person(self) -> str | None:
        """`strong` or `weak` when a value identifies a natural person (counted in person facts)."""
        if self.identifier is None:
            return None
        return "strong" if KINDS[self.identifier].strong else "weak"


@dataclass
class Context:
    """What a detector may read besides the values: the assessment date and the column-name hint."""

    as_of: dt.date
    hint: str | None = None
    phone_budget: dict[str, int] = field(default_factory=dict)
    phone_cache: dict[str, str | None] = field(default_factory=dict)

    @property
    def minor_cutoff(self) -> int:
        """Born after this day (YYYYMMDD) = under 14 on `as_of`."""
        return (self.as_of.year - 14) * 10000 + self.as_of.month * 100 + self.as_of.day


@dataclass
class Result:
    """Per value: the kind index (or NO), and for person identifiers the normalised key and, for
    identity numbers, whether the holder is under 14 on the assessment date."""

    label: np.ndarray
    keys: pa.Array | None = None
    minor: np.ndarray | None = None
    examples: pa.Array | None = None
    """For embedded finds: the identifiers found inside the text (one per matched value)."""


@dataclass(frozen=True)
class Detector:
    name: str
    kinds: tuple[Kind, ...]
    min_bytes: int
    max_bytes: int
    first: str
    """Classes of the first byte a candidate may have: d digit, a ASCII letter, p punctuation/sign,
    h non-ASCII (e.g. Han). A cheap filter applied before the detector's own pattern."""
    vector: Callable[[pa.Array, Context], Result]
    scalar: Callable[[str, Context], int]
    embedded: bool = False
    requires: tuple[str, ...] = ()
    """The value must contain one of these substrings (a cheap filter: '@' for e-mail)."""
    hints: tuple[str, ...] = ()
    """When set, the detector runs only in columns whose name gives one of these hints."""

    def applies(self, ctx: Context) -> bool:
        return not self.hints or ctx.hint in self.hints


# --- vector helpers ---------------------------------------------------------------------------------


def as_bool(arr: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, False), dtype=bool)


def matches(values: pa.Array, pattern: str) -> np.ndarray:
    return as_bool(pc.match_substring_regex(values, pattern))


def from_matrix(matrix: np.ndarray) -> pa.Array:
    """An Arrow string array from an (n, w) matrix of ASCII bytes."""
    n, w = matrix.shape
    offsets = pa.py_buffer(np.arange(0, (n + 1) * w, w, dtype=np.int32))
    data = pa.py_buffer(np.ascontiguousarray(matrix, dtype=np.uint8))
    return pa.Array.from_buffers(pa.string(), n, [None, offsets, data])


def unlabelled(n: int) -> np.ndarray:
    return np.full(n, NO, dtype=np.int8)


_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def real_dates(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    mm = np.clip(m, 0, 12)
    dim = _DAYS[mm] - ((mm == 2) & ~leap)
    return (m >= 1) & (m <= 12) & (d >= 1) & (d <= dim)


P10 = 10 ** np.arange(5, -1, -1, dtype=np.int64)
"""Place values of a six-digit area code, for (n, 6) digit matrices."""
YMD = np.array([1000, 100, 10, 1], dtype=np.int32)
"""Place values of a four-digit year."""


@cache
def area_codes() -> np.ndarray:
    """GB/T 2260 division codes and the HMT areas, as sorted integers (for np.isin)."""
    return np.array(
        sorted(int(c) for c in resident_id.area_codes() | set(resident_id.HMT_AREAS)), dtype=np.int64
    )


def digit_rows(m: np.ndarray) -> np.ndarray:
    return ((m - np.uint8(48)) <= 9).all(axis=1)


def simple(fn: Callable[[pa.Array], np.ndarray]) -> Callable[[pa.Array, Context], Result]:
    def vector(values: pa.Array, ctx: Context) -> Result:
        label = unlabelled(len(values))
        label[fn(values)] = 0
        return Result(label)

    return vector


def scalar(fn: Callable[[str], bool]) -> Callable[[str, Context], int]:
    return lambda value, ctx: 0 if fn(value) else NO
