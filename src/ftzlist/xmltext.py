"""Text that every document writer can store: XLSX, DOCX and the HTML behind the PDF are XML, and
XML 1.0 has no place for most control characters.

A purpose or recipient name pasted from another system can carry a BEL, an ESC or a NUL; openpyxl
and python-docx refuse such a string (`IllegalCharacterError`, `ValueError`) and the writer crashed
after the assessment itself had succeeded. Every writer passes its text through `xml_safe` instead:
each C0 control character other than tab, line feed and carriage return becomes its visible Unicode
control picture (U+2400 block: BEL → ␇, ESC → ␛, NUL → ␀), and a lone surrogate or the
non-characters U+FFFE/U+FFFF become U+FFFD. Nothing is dropped silently, and the reader can see
that the input held a control character where it did.

XML 1.0 § 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
"""

from __future__ import annotations

import re

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by a visible stand-in (see module doc)."""
    return _ILLEGAL.sub(_visible, text)


def has_illegal(text: str) -> bool:
    """True when `text` holds a character XML 1.0 forbids."""
    return _ILLEGAL.search(text) is not None
