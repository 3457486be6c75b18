"""Geographic coordinates written as one value ("31.2304,121.4737", "31.2304 121.4737").

Precision matters more than format: four decimals of a degree is about 11 m, enough to place a
person at a building; that is precise location (whereabouts, PIPL Art. 28). Two decimals (about
1 km) is coarse. Separate latitude and longitude columns are recognised by the scanner from their
names plus a numeric range, not here.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_NUM = r"[-+]?[0-9]{1,3}\.[0-9]+"
PAIR = rf"^\(?\s*({_NUM})\s*[,; ]\s*({_NUM})\s*\)?$"
_PAIR = re.compile(PAIR)
PRECISE_DECIMALS = 4


def parse_pair(value: str) -> tuple[float, float, int] | None:
    """(first, second, fewest decimals) when `value` is a plausible coordinate pair, else None."""
    m = _PAIR.match(value.strip())
    if not m:
        return None
    a, b = float(m.group(1)), float(m.group(2))
    if not ((abs(a) <= 90 and abs(b) <= 180) or (abs(a) <= 180 and abs(b) <= 90)):
        return None
    decimals = min(len(m.group(1).split(".")[1]), len(m.group(2).split(".")[1]))
    return a, b, decimals


def is_coordinate_pair(value: str) -> bool:
    return parse_pair(value) is not None


def valid_coordinate_pairs(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(is a coordinate pair, is precise) over a non-null string array."""
    n = len(values)
    ok = np.zeros(n, dtype=bool)
    precise = np.zeros(n, dtype=bool)
    if n == 0:
        return ok, precise
    # the common form "31.2304,121.4737" is split on the comma without a regex; others use one
    simple = np.asarray(pc.fill_null(pc.match_substring_regex(values, rf"^{_NUM},{_NUM}$"), False))
    idx = np.flatnonzero(simple)
    if idx.size:
        halves = pc.list_flatten(pc.split_pattern(values.take(pa.array(idx)), ","))
        _judge(
            idx,
            halves.take(pa.array(np.arange(0, 2 * idx.size, 2))),
            halves.take(pa.array(np.arange(1, 2 * idx.size, 2))),
            ok,
            precise,
        )
    rest = np.flatnonzero(~simple)
    if rest.size:
        parts = pc.extract_regex(
            values.take(pa.array(rest)), rf"^\(?\s*(?P<a>{_NUM})\s*[,; ]\s*(?P<b>{_NUM})\s*\)?$"
        )
        sel = np.flatnonzero(np.asarray(pc.fill_null(pc.is_valid(parts), False)))
        if sel.size:
            sub = parts.take(pa.array(sel))
            _judge(rest[sel], pc.struct_field(sub, "a"), pc.struct_field(sub, "b"), ok, precise)
    return ok, precise


def _judge(idx: np.ndarray, a_s: pa.Array, b_s: pa.Array, ok: np.ndarray, precise: np.ndarray) -> None:
    a = np.asarray(pc.cast(a_s, pa.float64()))
    b = np.asarray(pc.cast(b_s, pa.float64()))
    in_range = ((np.abs(a) <= 90) & (np.abs(b) <= 180)) | ((np.abs(a) <= 180) & (np.abs(b) <= 90))

    def decimals(s: pa.Array) -> np.ndarray:
        return np.asarray(pc.binary_length(s)) - np.asarray(pc.find_substring(s, ".")) - 1

    fine = np.minimum(decimals(a_s), decimals(b_s)) >= PRECISE_DECIMALS
    ok[idx[in_range]] = True
    precise[idx[in_range & fine]] = True


__all__ = ["PAIR", "PRECISE_DECIMALS", "is_coordinate_pair", "parse_pair", "valid_coordinate_pairs"]
