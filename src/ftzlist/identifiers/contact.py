"""Phone numbers and e-mail addresses: weak identifiers (shared switchboards, family mailboxes).

Phones become E.164. Mainland mobile numbers (optionally prefixed +86, 0086 or 86) are recognised
by a fast rule that the SQL form repeats exactly; everything else goes through `phonenumbers`
(libphonenumber metadata), with China as the default region. E-mail addresses are trimmed and
lower-cased (Unicode lower case, as SQL `lower()` does, so both forms agree).
"""

from __future__ import annotations

import re

import phonenumbers

PHONE_STRIP_CHARS = " \t\n\r\f-()./"
WHITESPACE = " \t\n\r\f"
CN_MOBILE = r"^(?:\+86|0086|86)?(1[3-9][0-9]{9})$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"

_STRIP = re.compile("[" + re.escape(PHONE_STRIP_CHARS) + "]")
_CN_MOBILE = re.compile(CN_MOBILE)
_EMAIL = re.compile(EMAIL)


def phone_slow(cleaned: str, region: str = "CN") -> str | None:
    """libphonenumber path for what the fast mobile rule does not recognise."""
    if not cleaned or len(cleaned) > 20:
        return None
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        parsed = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(value: object, region: str = "CN") -> str | None:
    """E.164 (`+8613800138000`), or None when the value is not a valid number."""
    if value is None:
        return None
    cleaned = _STRIP.sub("", str(value))
    m = _CN_MOBILE.match(cleaned)
    if m:
        return "+86" + m.group(1)
    return phone_slow(cleaned, region)


def normalise_email(value: object) -> str | None:
    """Trimmed, lower-cased address, or None when it is not shaped like `local@domain.tld`."""
    if value is None:
        return None
    v = str(value).strip(WHITESPACE).lower()
    return v if _EMAIL.match(v) else None
