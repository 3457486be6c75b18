"""Payment card numbers (ISO/IEC 7812): 13 to 19 digits whose last digit is the Luhn check digit.

A bank card number is a financial account (PIPL Art. 28). Luhn alone passes one random number in
ten, so we also require a plausible issuer prefix: 2-6 (card networks, UnionPay 62) or 9 (some
domestic debit cards). Separators (spaces, hyphens) are allowed and removed.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.identifiers.fixed_width import byte_matrix, digits

MIN_LEN, MAX_LEN = 13, 19
CANDIDATE = r"^[0-9](?:[ -]?[0-9]){12,18}$"
_CANDIDATE = re.compile(CANDIDATE)
_PREFIX = frozenset("234569")


def compact_card(number: str) -> str:
    return re.sub(r"[ -]", "", number.strip())


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def is_valid_bank_card(number: str) -> bool:
    if not _CANDIDATE.match(number.strip()):
        return False
    n = compact_card(number)
    return MIN_LEN <= len(n) <= MAX_LEN and n[0] in _PREFIX and luhn_ok(n)


def valid_bank_cards(values: pa.Array) -> np.ndarray:
    """Vectorised `is_valid_bank_card` over a non-null string array: bare digit strings go straight to
    a numpy Luhn per length; only values with separators pay for a regex."""
    n = len(values)
    out = np.zeros(n, dtype=bool)
    if n == 0:
        return out
    lengths = np.asarray(pc.binary_length(values))
    plain = np.asarray(pc.fill_null(pc.ascii_is_decimal(values), False))
    sep = np.flatnonzero(~plain & (lengths > MAX_LEN - 6) & (lengths <= MAX_LEN + 6))
    compact = values
    if sep.size:
        cand = np.asarray(
            pc.fill_null(pc.match_substring_regex(values.take(pa.array(sep)), CANDIDATE), False)
        )
        if cand.any():
            fixed = pc.replace_substring_regex(values.take(pa.array(sep[cand])), r"[ -]", "")
            pos = np.full(n, -1, dtype=np.int64)
            pos[sep[cand]] = np.arange(int(cand.sum()))
            compact = pc.if_else(pa.array(pos < 0), values, fixed.take(pa.array(np.maximum(pos, 0))))
            lengths = np.asarray(pc.binary_length(compact))
            plain[sep[cand]] = True
    for width in range(MIN_LEN, MAX_LEN + 1):
        sel = np.flatnonzero(plain & (lengths == width))
        if sel.size == 0:
            continue
        m = digits(byte_matrix(compact.take(pa.array(sel)), width))
        rev = m[:, ::-1].copy()
        dbl = rev[:, 1::2] * 2
        rev[:, 1::2] = np.where(dbl > 9, dbl - 9, dbl)
        ok = (rev.sum(axis=1) % 10 == 0) & np.isin(m[:, 0], (2, 3, 4, 5, 6, 9))
        out[sel[ok]] = True
    return out


__all__ = ["CANDIDATE", "compact_card", "is_valid_bank_card", "luhn_ok", "valid_bank_cards"]
