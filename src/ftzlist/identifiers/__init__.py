"""Identifier validation and normalisation shared by counting (`ftzlist count`) and discovery
(`ftzlist scan`): one place for each checksum and format rule.

Public API (scalar forms return None for an invalid value, never raise; `validate_*` raise
`InputError` with the value masked):

- `identity_key(kind, value, country=..., namespace=...)` -> `"rid:1101..."`, `"tel:+86..."`, ...
- `is_valid(kind, value)`, `classify(value)` (which kinds a bare value is valid as)
- `normalise_resident_id`, `validate_resident_id` (15->18 upgrade, MOD 11-2, area, birth date)
- `normalise_passport(number, country)`, `normalise_hmt_permit`, `normalise_foreign_pr`
- `normalise_phone` (E.164), `normalise_email` (trimmed, lower-cased)
- `mask(value)` for anything a person may read
- SQL forms: `ftzlist.identifiers.sql.install(con)` then `key_sql(kind, column)` or the `ftz_*`
  macros directly; they agree with the scalar forms value for value.
- `uscc` (companies, not persons) stays in its own module.
"""

from ftzlist.identifiers.contact import normalise_email, normalise_phone
from ftzlist.identifiers.documents import normalise_foreign_pr, normalise_hmt_permit, normalise_passport
from ftzlist.identifiers.kinds import KINDS, Kind, classify, identity_key, is_valid
from ftzlist.identifiers.masking import mask
from ftzlist.identifiers.resident_id import is_valid_resident_id, normalise_resident_id, validate_resident_id

__all__ = [
    "KINDS",
    "Kind",
    "classify",
    "identity_key",
    "is_valid",
    "is_valid_resident_id",
    "mask",
    "normalise_email",
    "normalise_foreign_pr",
    "normalise_hmt_permit",
    "normalise_passport",
    "normalise_phone",
    "normalise_resident_id",
    "validate_resident_id",
]
