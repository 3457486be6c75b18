"""Masking for anything a person may read: errors, logs, reports.

Raw identifiers never appear in output. Where a value must be pointed at (an error naming a bad
cell), it is masked: the first and last four characters of a long value stay, the rest become
`*` (`3502**********1234`), so a reader can find the row without the number being disclosed.
"""

from __future__ import annotations

import re


def mask(value: object) -> str:
    """Mask a value for display: keep at most 4 leading and 4 trailing characters, never more than
    a third of the value."""
    text = "" if value is None else str(value).strip()
    n = len(text)
    if n == 0:
        return ""
    keep = min(4, n // 3)
    if keep == 0:
        return "*" * n
    return text[:keep] + "*" * (n - 2 * keep) + text[-keep:]


_TOKEN = re.compile(r"[A-Za-z0-9+@._\-]{5,}")


def redact(text: str) -> str:
    """Mask every token in free text that could be an identifier (five or more characters holding
    four or more digits, or an `@`): for messages built from third-party errors or file headers."""

    def sub(m: re.Match[str]) -> str:
        tok = m.group(0)
        if "@" in tok or sum(ch.isdigit() for ch in tok) >= 4:
            return mask(tok)
        return tok

    return _TOKEN.sub(sub, text)
