"""Masking for anything a person may read: errors, tables, JSON, reports, files we write.

Raw identifiers never appear in output. Every input value that reaches an output goes through
`shown`: identifier-shaped content is masked, control characters are made visible and long values
are cut, so a message can point at a bad value without disclosing it.

- `shown(value)`: a value from a declaration, mapping, list file or command line (an id, a
  header, a key): kept readable, except identifier-shaped parts, which are masked.
  `shown(value, data=True)`: a value from a data file (a log or table cell, a headerless file's
  first row): any cell may be personal information of any kind (a name too), so the whole value
  is masked, keeping at most a quarter of it at each end (`138*******000`).
- `label(value)`: a name taken from input that outputs use as a key (a column header, a flow or
  data-item value of a log, a sheet name): like `shown`, but never cut, so equal names stay equal.
- `mask(value)`: a value known to be an identifier: the first and last four characters of a long
  value stay, the rest become `*` (`3502**********1234`).
- `redact(text)`: free text from a library or a third-party error: identifier-shaped tokens masked.
- `message(text)`: a whole message (an error, a warning, a usage error): `redact` and
  `redact_secrets`, keeping file names and paths whole (`logs/export-20250301.csv`: the place the
  message names, as the user wrote it). `InputError` and `Problem` pass every message, place and
  problem through it, so a value quoted raw where an error is raised is still masked on output.
- `safe_url(url)`, `redact_secrets(text)`: passwords in database URLs and connection strings.

"Identifier-shaped" is deliberately wide: anything with an `@`; a run of letters and digits holding
seven or more digits, or a word of letters and four or more digits (`E12345678`, `C01X00T47`, but
not `fujian-ftz-2025`); and groups
of digits separated by single spaces, hyphens, dots, slashes or colons that hold seven or more digits
together (`6222 0212 3456 7890 123`, `138 0013 8000`, `+86 138-0013-8000`). Dates written with separators
(`2024-03-22`, `2026/06/30`, `2024-03-22T10:00:00+08:00`) stay readable; a count such as `12000` too.
"""

from __future__ import annotations

import re

__all__ = ["label", "mask", "message", "redact", "redact_secrets", "safe_url", "shown", "visible"]

LIMIT = 60
"""Longest value `shown` prints; longer values are cut with `…` (a 5,000-digit number is not a message)."""


def mask(value: object) -> str:
    """Mask a value for display: keep at most 4 leading and 4 trailing characters, and at most a
    third of the value at each end. Digits written in groups (`138 0013 8000`,
    `6222-0212-3456-7890-123`) are masked as the digit run they stand for (`138*****000`), as
    `redact` masks them, so separators never let more digits through."""
    text = "" if value is None else str(value).strip()
    if _GROUPS.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 7:
        text = re.sub(r"[^0-9]", "", text)
    return _mask(text, 3)


def _mask(text: str, part: int) -> str:
    n = len(text)
    if n == 0:
        return ""
    keep = min(4, n // part)
    if keep == 0:
        return "*" * n
    return text[:keep] + "*" * (n - 2 * keep) + text[-keep:]


# Digit groups joined by single separators: a card or phone number typed the way people read it.
_GROUPS = re.compile(r"(?<![0-9A-Za-z])\+?[0-9]{1,8}(?:[ \u00a0\u3000.\-/:][0-9]{1,8})+(?![0-9A-Za-z])")
_TOKEN = re.compile(r"[A-Za-z0-9+@._\-]{5,}")
_EMAIL = re.compile(r"[^\s@'\"<>()\[\],;:]+@[^\s@'\"<>()\[\],;:]+")


def redact(text: str) -> str:
    """Mask every identifier-shaped part of free text (see the module docstring)."""

    def groups(m: re.Match[str]) -> str:
        digits = re.sub(r"[^0-9]", "", m.group(0))
        if len(digits) < 7 or _is_iso_date(m.group(0)):
            return m.group(0)
        return _mask(digits, 3)

    def token(m: re.Match[str]) -> str:
        tok = m.group(0)
        digits = sum(ch.isdigit() for ch in tok)
        mixed = any(
            len(run) >= 5 and sum(ch.isdigit() for ch in run) >= 4 and not run.isdigit()
            for run in re.split(r"[+._\-]", tok)
        )
        if "@" in tok or ((digits >= 7 or mixed) and not _is_iso_date(tok)):
            return mask(tok)
        return tok

    text = _EMAIL.sub(lambda m: mask(m.group(0)), text)
    text = _GROUPS.sub(groups, text)
    return _TOKEN.sub(token, text)


_KEPT = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"`<>]+"  # a URL, its password already removed
    r"|(?<![\w\-])[A-Z][A-Z0-9]{1,5}-(?:19|20)[0-9]{2}-[0-9]{4,6}(?![\w\-])"  # a register key FJ-2026-0001
    r"|(?<=\bline )[0-9]+|(?<=\brow )[0-9]+|(?<=\brows )[0-9]+"  # where in a file: line 1234567
    r"|(?<![\w\-])(?:gb18030|gb2312)(?![\w\-])"  # a text encoding's name: --encoding gb18030
    r"|(?:(?<=\bcell )|(?<=!))\$?[A-Z]{1,3}\$?[0-9]{1,7}(?![\w])"  # a cell: C200000, flows!A1048576
    r"|[^\s'\"`()\[\]<>,;@]*\.(?:csv|tsv|txt|ya?ml|json|jsonl|ndjson|xlsx|xlsm|xls|docx|pdf|html|md|"
    r"parquet|gz|zst|sqlite3?|db|png)(?![A-Za-z0-9])(?::[0-9]+){0,2}",  # with its line (and column)
    re.IGNORECASE,
)


def message(text: str) -> str:
    """A message for a person (an error, a warning, a usage error): identifier-shaped parts and
    passwords masked, file names and paths (a run ending in a known file suffix, `.csv`, `.yaml`,
    `.xlsx`..., with a line number after it), URLs (without their password), line, row and cell
    numbers (`line 1234567`, `cell C200000`) and the register's proceeding keys (`FJ-2026-0001`)
    kept whole: they name the place or the record. Idempotent."""
    text = redact_secrets(str(text))
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\ue000{len(kept) - 1}\ue001"

    text = redact(_KEPT.sub(keep, text.replace("\ue000", "\ufffd")))
    return re.sub("\ue000([0-9]+)\ue001", lambda m: kept[int(m.group(1))], text)


_ISO_DATE = re.compile(r"(?:19|20)[0-9]{2}([-/.])[0-9]{1,2}\1[0-9]{1,2}(?:[T ][0-9:.]+(?:Z|[+\-][0-9:]+)?)?")


def _is_iso_date(text: str) -> bool:
    """A date with separators (2024-03-22, 2026/06/30, 2024-03-22T10:00:00+08:00, and 2025-13-45,
    a date mistyped) in a message is a date the user gave, not an identifier; a bare digit run (19900101) is masked. A data cell is
    masked whole whatever it holds (`shown(..., data=True)`)."""
    return _ISO_DATE.fullmatch(text) is not None


_CONTROL = {**{c: 0x2400 + c for c in range(0x20)}, 0x7F: 0x2421}
_INVISIBLE = re.compile("[\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def visible(text: str) -> str:
    """Control characters as their visible pictures (U+2400 block), and zero-width or direction
    marks as `<U+XXXX>`: a message never rings a bell, moves the cursor or reorders its text."""
    text = text.translate(_CONTROL)
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


def shown(value: object, *, data: bool = False, limit: int = LIMIT) -> str:
    """An input value as it may appear in any output: masked where identifier-shaped (whole when
    `data`), control characters visible, at most `limit` characters. `None` reads as ``."""
    text = "" if value is None else str(value)
    text = _mask(text.strip(), 4) if data else redact(text)
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label(value: object) -> str:
    """A name taken from input and used as a key in outputs: identifier-shaped parts masked,
    controls visible, never cut (two columns or flows keep distinct names)."""
    return visible(redact("" if value is None else str(value)))


_URL_PASSWORD = re.compile(r"(?P<head>//[^/:@\s]*:)\S*@(?=[^@\s]*(?:\s|$|/|\?))")
_KV_PASSWORD = re.compile(
    r"(?i)(?P<head>\b(?:password|passwd|pwd|sslpassword|secret|token)\s*=\s*)(?:'[^']*'|\"[^\"]*\"|[^\s&;]+)"
)


def redact_secrets(text: str) -> str:
    """`text` with the password of any URL (`postgresql://user:***@host/db`) and any
    `password=…` (query string or libpq key/value) replaced by `***`."""
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + "***@", text)
    return _KV_PASSWORD.sub(lambda m: m.group("head") + "***", text)


def safe_url(url: str) -> str:
    """A database URL as it may be printed, without its password. Text that is not a URL
    (`user:password` typed without a scheme) keeps only what comes before its first colon."""
    if "://" not in url and ":" in url and "=" not in url:
        return visible(url.split(":", 1)[0] + ":***")
    return visible(redact_secrets(url))
