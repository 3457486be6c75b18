"""Unified social credit codes (GB 32100-2015): a company, never a person.

python-stdnum's `cn.uscc.validate` requires the first eight characters to be digits, which rejects
codes whose registration-authority character is a letter (allowed since 2016, hutool#2020); we keep
its check-character computation and apply the standard's own alphabet rule.
"""

from __future__ import annotations

import re

from stdnum.cn import uscc as _uscc

from ftzlist.errors import InputError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100 (no I, O, Z, S, V), in check-value order."""
FORMAT = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$")


def is_valid_uscc(code: str) -> bool:
    code = code.strip().upper()
    return bool(FORMAT.match(code)) and _uscc.calc_check_digit(code[:17]) == code[17]


def validate_uscc(code: str) -> str:
    """Return the normalised code, or raise `InputError` saying what is wrong."""
    norm = code.strip().upper()
    if len(norm) != 18:
        raise InputError(f"unified social credit code must have 18 characters, got {len(norm)}")
    if not FORMAT.match(norm):
        raise InputError("unified social credit code has characters outside GB 32100 (no I, O, Z, S, V)")
    if _uscc.calc_check_digit(norm[:17]) != norm[17]:
        raise InputError("unified social credit code check character does not match (GB 32100 MOD 31)")
    return norm
