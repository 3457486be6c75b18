"""Resident identity numbers (GB 11643-1999) and the numbers issued in the same 18-digit space.

One numbering space, one check rule (ISO 7064 MOD 11-2), three kinds of holder:

- mainland residents: a six-digit area code from GB/T 2260 (historic codes included, from
  python-stdnum's `cn/loc.dat`), birth date, sequence, check character;
- Hong Kong, Macao and Taiwan residents' residence permits (2018): area code 810000, 820000 or
  830000, otherwise the same layout;
- foreigners' permanent-residence ID cards, 2023 format: first digit 9, then province and country
  codes, birth date in positions 7-14, the same check character.

python-stdnum's `cn.ric` rejects the last two (area lookup) and the legacy 15-digit numbers, so we
keep its check-digit rule and add these. A 15-digit number (issued before 1999: area, YYMMDD,
sequence) is upgraded to 18 digits by inserting the century "19" and computing the check character,
so the same person under both forms has one key.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources

from ftzlist.errors import InputError
from ftzlist.identifiers.masking import mask

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
"""Check character by (weighted sum mod 11): ISO 7064 MOD 11-2 as GB 11643 prints it."""

HMT_AREAS = ("810000", "820000", "830000")
MIN_BIRTH_YEAR = 1850

STRIP_CHARS = " \t\n\r\f-"
"""Separators removed before validation (the SQL form removes exactly these)."""
_STRIP = re.compile("[" + re.escape(STRIP_CHARS) + "]")
_RE18 = re.compile(r"^[0-9]{17}[0-9X]$")
_RE15 = re.compile(r"^[0-9]{15}$")


@cache
def area_codes() -> frozenset[str]:
    """Six-digit GB/T 2260 area codes, current and historic, from python-stdnum's bundled table."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    codes: set[str] = set()
    stack: list[tuple[int, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        token = line.split()[0]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, token))
        code = "".join(t for _, t in stack)
        if len(code) == 6:
            codes.add(code)
    return frozenset(codes)


def check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def compact(value: object) -> str:
    """Remove separators; upper-case ASCII only (non-ASCII stays and fails the format check)."""
    text = _STRIP.sub("", str(value))
    return text.upper() if text.isascii() else text


def _birth_ok(yyyymmdd: str) -> bool:
    try:
        day = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return day.year >= MIN_BIRTH_YEAR


def holder(number18: str) -> str:
    """Which kind of holder an (already valid) 18-digit number belongs to:
    `mainland`, `hmt_residence_permit` or `foreign_pr`."""
    if number18[:6] in HMT_AREAS:
        return "hmt_residence_permit"
    if number18[0] == "9":
        return "foreign_pr"
    return "mainland"


def problem(value: str, *, check_area: bool = True) -> str | None:
    """Why `value` is not a valid resident identity number, or None when it is."""
    num = compact(value)
    if _RE15.match(num):
        num = upgrade15(num)
    elif not _RE18.match(num):
        return f"expected 18 digits (the last may be X) or 15 digits, got {len(num)} characters"
    if num[0] == "9":  # foreigner PR 2023: 9 + province(2) + country(3), birth date at 7-14
        pass
    elif check_area and num[:6] not in HMT_AREAS and num[:6] not in area_codes():
        return "area code (first six digits) is not a GB/T 2260 code"
    if not _birth_ok(num[6:14]):
        return "birth date (digits 7-14) is not a real date"
    if check_char(num[:17]) != num[17]:
        return "check character does not match (GB 11643 ISO 7064 MOD 11-2)"
    return None


def upgrade15(num15: str) -> str:
    """Upgrade a legacy 15-digit number to its 18-digit form (insert century 19, add the check)."""
    first17 = num15[:6] + "19" + num15[6:]
    return first17 + check_char(first17)


def normalise_resident_id(value: object, *, check_area: bool = True) -> str | None:
    """The canonical 18-character number, or None when the value is not a valid number.

    Accepts spaces and hyphens, a lower-case x, and 15-digit legacy numbers (upgraded). Covers
    mainland numbers, HMT residence permits and 2023 foreigner permanent-residence numbers.
    """
    if value is None:
        return None
    num = compact(value)
    if not num or problem(num, check_area=check_area) is not None:
        return None
    return upgrade15(num) if len(num) == 15 else num


def is_valid_resident_id(value: object, *, check_area: bool = True) -> bool:
    return normalise_resident_id(value, check_area=check_area) is not None


def validate_resident_id(value: str, *, check_area: bool = True) -> str:
    """Return the canonical number or raise `InputError` saying what is wrong (value masked)."""
    why = problem(value, check_area=check_area)
    if why is not None:
        raise InputError(f"resident identity number {mask(value)}: {why}")
    num = compact(value)
    return upgrade15(num) if len(num) == 15 else num
