"""Identifiers inside free text: identity numbers, bank cards, mobiles and e-mail in a remark."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from ftzlist.discovery.detectors.base import NO, Context, Detector, Kind, Result, matches, unlabelled
from ftzlist.identifiers import bank_card, resident_id

EMBED_KINDS = (
    Kind(
        "resident_id", "identity.government_id.resident_id", 0.8, "identity number inside text (check, date)"
    ),
    Kind("bank_card", "finance.bank_account", 0.7, "Luhn-valid 16- or 19-digit card number inside text"),
    Kind("phone", "contact.phone", 0.6, "mainland mobile number inside text"),
    Kind("email", "contact.email", 0.8, "e-mail address inside text"),
)
_EMBED_CAND = r"[0-9]{11}|@"
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9]{11,19}[0-9Xx]?(?![0-9A-Za-z])")
_EMAIL_IN = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def embedded_find(text: str) -> tuple[int, str] | None:
    """The first (by kind order) identifier inside a text: (kind index, the identifier)."""
    found: dict[int, str] = {}
    for run in _DIGIT_RUN.findall(text):
        if len(run) in (15, 18) and resident_id.is_valid_resident_id(run):
            found.setdefault(0, run)
        elif len(run) in (16, 19) and bank_card.is_valid_bank_card(run):  # the usual card lengths
            found.setdefault(1, run)
        elif _MOBILE.match(run):
            found.setdefault(2, run)
    if "@" in text:
        m = _EMAIL_IN.search(text)
        if m:
            found.setdefault(3, m.group(0))
    if not found:
        return None
    k = min(found)
    return k, found[k]


def _embed_vector(values: pa.Array, ctx: Context) -> Result:
    n = len(values)
    label = unlabelled(n)
    idx = np.flatnonzero(matches(values, _EMBED_CAND))
    examples: list[str | None] = [None] * n
    for i, text in zip(idx.tolist(), values.take(pa.array(idx)).to_pylist(), strict=True):
        hit = embedded_find(text)
        if hit is not None:
            label[i], examples[i] = hit
    return Result(label, examples=pa.array(examples, type=pa.string()))


def _embed_scalar(value: str, ctx: Context) -> int:
    hit = embedded_find(value)
    return NO if hit is None else hit[0]


# --- detectors ---------------------------------------------------------------------------------

FREE_TEXT = Detector(
    "free_text", EMBED_KINDS, 16, 1 << 30, "dahp", _embed_vector, _embed_scalar, embedded=True
)
