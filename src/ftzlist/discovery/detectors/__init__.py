"""Detectors: each recognises one or more kinds of value, over a whole column at once.

Detectors run in `DETECTORS` order and a value belongs to the first that claims it, so counts are
exclusive: an 18-digit identity number that happens to pass Luhn is not also a bank card. The order
puts checksummed identifiers first and shape-only detectors (names, addresses) last.

The package follows the jobs: `base` (kinds, context, results, vector helpers), `identity`,
`numbers`, `contact`, `location`, `names`, `embedded`; this module is the registry. The identifier
rules themselves (check characters, area codes, E.164) live in `ftzlist.identifiers`, shared with
person counting; the detectors only vectorise and order them.
"""

from __future__ import annotations

from ftzlist.discovery.detectors.base import NO, WEAK, Context, Detector, Kind, Result
from ftzlist.discovery.detectors.contact import EMAIL, PHONE
from ftzlist.discovery.detectors.embedded import FREE_TEXT
from ftzlist.discovery.detectors.identity import (
    BIRTH_DATE,
    IDENTITY_NUMBER,
    TRAVEL_DOCUMENT,
    TRAVEL_DOCUMENT_HINTED,
    USCC,
)
from ftzlist.discovery.detectors.location import ADDRESS, ADDRESS_EN, COORDINATE, COORDINATES
from ftzlist.discovery.detectors.names import NAME, NAME_DOTTED, NAME_LATIN
from ftzlist.discovery.detectors.numbers import BANK_CARD, IP_ADDRESS, LICENCE_PLATE, VIN

DETECTORS: tuple[Detector, ...] = (
    IDENTITY_NUMBER,
    USCC,
    VIN,
    BANK_CARD,
    EMAIL,
    IP_ADDRESS,
    COORDINATES,
    COORDINATE,
    PHONE,
    LICENCE_PLATE,
    TRAVEL_DOCUMENT,
    TRAVEL_DOCUMENT_HINTED,
    BIRTH_DATE,
    NAME,
    NAME_DOTTED,
    NAME_LATIN,
    ADDRESS,
    ADDRESS_EN,
    FREE_TEXT,
)
"""Every detector, in claiming order."""


def classify_scalar(value: str | None, ctx: Context) -> tuple[str, int] | None:
    """The per-value reference: the first detector (in claiming order) whose scalar form accepts
    the value, as (detector name, kind index). Used by tests and the benchmark baseline."""
    if value is None:
        return None
    v = value.strip()
    if not v:
        return None
    nbytes = len(v.encode("utf-8"))
    for det in DETECTORS:
        if (
            det.applies(ctx)
            and det.min_bytes <= nbytes <= det.max_bytes
            and first_class(v) in det.first
            and (not det.requires or any(r in v for r in det.requires))
        ):
            k = det.scalar(v, ctx)
            if k != NO:
                return det.name, k
    return None


def first_class(value: str) -> str:
    c = value[0]
    if "0" <= c <= "9":
        return "d"
    if ("A" <= c <= "Z") or ("a" <= c <= "z"):
        return "a"
    if ord(c) >= 128:
        return "h"
    return "p"


__all__ = [
    "DETECTORS",
    "NO",
    "WEAK",
    "Context",
    "Detector",
    "Kind",
    "Result",
    "classify_scalar",
    "first_class",
]
