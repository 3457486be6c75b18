"""Vehicle identifiers: mainland licence plates (GA 36) and vehicle identification numbers (VIN,
ISO 3779 / GB 16735).

A plate or VIN identifies a vehicle, and through the registration its owner: personal information
in the connected-vehicle lists. GB 16735 makes the ninth VIN character a check character (MOD 11,
'X' for 10), so unlike a plate a VIN can be validated, not just matched.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.identifiers.fixed_width import byte_matrix

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Ordinary plates: province, issuing-authority letter, five characters (no I or O), optionally a
# trailer/coach/police/HK/Macao suffix. New-energy plates (2016): six characters after the letter,
# D/F/A-K (battery/hybrid) first for small cars or last for large ones.
PLATE = (
    rf"^[{_PROVINCES}][A-HJ-NP-Z]"
    r"(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳领]"
    r"|[DFA-HJK][A-HJ-NP-Z0-9][0-9]{4}"
    r"|[0-9]{5}[DFA-HJK])$"
)
_PLATE = re.compile(PLATE)

VIN_CANDIDATE = r"^[A-HJ-NPR-Z0-9]{17}$"
_VIN = re.compile(VIN_CANDIDATE)
VIN_WEIGHTS = np.array([8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int32)
TRANSLITERATION = np.full(256, -1, dtype=np.int32)
for _i, _c in enumerate("0123456789"):
    TRANSLITERATION[ord(_c)] = _i
for _c, _v in zip(
    "ABCDEFGHJKLMNPRSTUVWXYZ",
    [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9],
    strict=False,
):
    TRANSLITERATION[ord(_c)] = _v
_CHECK = np.frombuffer(b"0123456789X", dtype=np.uint8)


def normalise_plate(plate: str) -> str:
    return re.sub(r"[\s·\-]", "", plate.strip()).upper()


def is_licence_plate(plate: str) -> bool:
    return bool(_PLATE.match(normalise_plate(plate)))


def vin_check_char(vin: str) -> str:
    total = sum(int(TRANSLITERATION[ord(c)]) * int(w) for c, w in zip(vin, VIN_WEIGHTS, strict=False))
    return "0123456789X"[total % 11]


def is_valid_vin(vin: str) -> bool:
    v = vin.strip().upper()
    # A VIN has letters (the maker code): seventeen digits is more likely an account or order number.
    return bool(_VIN.match(v)) and not v.isdigit() and vin_check_char(v) == v[8]


def valid_plates(values: pa.Array) -> np.ndarray:
    ok = np.asarray(pc.fill_null(pc.match_substring_regex(values, PLATE), False)).copy()
    retry = np.flatnonzero(~ok)
    if retry.size:  # separators or lower case: normalise those only
        sub = values.take(pa.array(retry))
        odd = np.asarray(pc.fill_null(pc.match_substring_regex(sub, r"[\s·\-a-z]"), False))
        if odd.any():
            norm = pc.utf8_upper(pc.replace_substring_regex(sub.filter(pa.array(odd)), r"[\s·\-]", ""))
            ok[retry[odd]] = np.asarray(pc.fill_null(pc.match_substring_regex(norm, PLATE), False))
    return ok


def valid_vins(values: pa.Array) -> np.ndarray:
    n = len(values)
    out = np.zeros(n, dtype=bool)
    if n == 0:
        return out
    upper = pc.utf8_upper(values)
    cand = np.asarray(pc.fill_null(pc.match_substring_regex(upper, VIN_CANDIDATE), False))
    cand &= ~np.asarray(pc.fill_null(pc.ascii_is_decimal(upper), False))
    idx = np.flatnonzero(cand)
    if idx.size == 0:
        return out
    m = byte_matrix(upper.take(pa.array(idx)), 17)
    total = (TRANSLITERATION[m] * VIN_WEIGHTS).sum(axis=1)
    out[idx[_CHECK[total % 11] == m[:, 8]]] = True
    return out


__all__ = [
    "PLATE",
    "is_licence_plate",
    "is_valid_vin",
    "normalise_plate",
    "valid_plates",
    "valid_vins",
    "vin_check_char",
]
