"""Travel and residence documents other than the resident identity card: passports, Hong Kong /
Macao / Taiwan travel permits, the 2004/2017-format foreigner permanent-residence card.

None of these has a published check character, so validation is by format only; a value that does
not fit the format is invalid and never merges anything. The 18-digit documents (HMT residence
permits, 2023 foreigner permanent-residence card) share the resident-identity number space and are
handled by `resident_id`.
"""

from __future__ import annotations

import re

from ftzlist.errors import InputError
from ftzlist.identifiers import resident_id
from ftzlist.identifiers.masking import mask

STRIP_CHARS = " \t\n\r\f-()（）"
_STRIP = re.compile("[" + re.escape(STRIP_CHARS) + "]")

PASSPORT = re.compile(r"^(?=.*[0-9])[A-Z0-9]{5,17}$")
"""ICAO 9303 allows up to 9 characters in the MRZ; national numbers can be longer. At least one digit."""
COUNTRY = re.compile(r"^[A-Z]{2,3}$")
"""ISO 3166-1 alpha-2 or alpha-3 as given; CN and CHN are kept apart (over-counts, never merges wrongly)."""

HMT_PERMIT = re.compile(
    r"^(?:[HM][0-9]{8}(?:[0-9]{2})?|[0-9]{8}|[0-9]{10}[A-Z]?|C[0-9A-Z][0-9]{7}|L[0-9]{8})$"
)
"""Home-return permit (H/M + 8 or 10 digits), Taiwan compatriot permit (8 digits; older 10 digits
with a letter), mainland residents' permits to Hong Kong/Macao (C + 8) and to Taiwan (L + 8)."""

FOREIGN_PR_2004 = re.compile(r"^[A-Z]{3}[0-9]{12}$")
"""2004/2017 card: ISO alpha-3 nationality + 12 digits (15 characters)."""


def compact(value: object) -> str:
    text = _STRIP.sub("", str(value))
    return text.upper() if text.isascii() else text


def normalise_country(value: object) -> str | None:
    if value is None:
        return None
    c = str(value).strip(" \t\n\r\f")
    c = c.upper() if c.isascii() else c
    return c if COUNTRY.match(c) else None


def normalise_passport(number: object, country: object) -> str | None:
    """`COUNTRY:NUMBER`, or None. A passport number without a valid issuing country is not a
    linkable identifier: two countries may issue the same number."""
    if number is None:
        return None
    c = normalise_country(country)
    n = compact(number)
    if c is None or not PASSPORT.match(n):
        return None
    return f"{c}:{n}"


def normalise_hmt_permit(value: object) -> str | None:
    """A Hong Kong/Macao/Taiwan travel permit number; an 18-digit residence-permit number is
    returned in resident-identity form (see `identity_key`)."""
    if value is None:
        return None
    v = compact(value)
    if len(v) == 18:
        return resident_id.normalise_resident_id(v)
    return v if HMT_PERMIT.match(v) else None


def normalise_foreign_pr(value: object) -> str | None:
    """Foreigner permanent-residence number: 2004/2017 15-character form, or the 2023 18-digit form
    (validated as a resident-identity-space number)."""
    if value is None:
        return None
    v = compact(value)
    if FOREIGN_PR_2004.match(v):
        return v
    if len(v) == 18 and v.startswith("9"):
        return resident_id.normalise_resident_id(v)
    return None


def validate_passport(number: str, country: str) -> str:
    out = normalise_passport(number, country)
    if out is None:
        raise InputError(
            f"passport {mask(number)} (country {country!r}): expected 5-17 letters/digits and an ISO country code"
        )
    return out
