"""Free text from a declaration as reports print it.

A purpose, a recipient's name or a penalty note is the user's own words and is printed as written,
except that anything shaped like a personal identifier (a phone number, a resident ID, an e-mail
address, a card number) is masked: no raw identifier reaches a report, a filing pack or an
evidence bundle, whatever a user pasted into a free-text field. The masking itself is the one
function every output uses (`ftzlist.identifiers.masking`).
"""

from __future__ import annotations

from ftzlist.identifiers.masking import redact


def free_text(value: str | None) -> str:
    """`value` with identifier-shaped tokens masked ("" for None)."""
    return "" if value is None else redact(value)
