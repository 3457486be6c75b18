"""Contact details: phone numbers (mainland mobiles in numpy, others through libphonenumber within a
budget) and e-mail addresses."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.discovery.detectors.base import (
    NO,
    Context,
    Detector,
    Kind,
    Result,
    as_bool,
    digit_rows,
    matches,
    unlabelled,
)
from ftzlist.identifiers import contact
from ftzlist.identifiers.fixed_width import byte_matrix, byte_table, count_bytes
from ftzlist.identifiers.kinds import Kind as IdentifierKind

PHONE_KIND = Kind(
    "phone",
    "contact.phone",
    0.85,
    "mainland mobile (1[3-9] + 9 digits, optional +86), other numbers validated by libphonenumber",
    IdentifierKind.phone,
)
PHONE_BUDGET = 20_000
"""Distinct non-mobile candidates per column checked with libphonenumber (about 20 us each)."""
_DIGIT = byte_table(b"0123456789")
_NOT_PHONE = ~byte_table(b"0123456789+" + contact.PHONE_STRIP_CHARS.encode())
_INTL_CAND = r"^(?:\+|00)[1-9][0-9]{6,14}$|^0[1-9][0-9]{8,10}$"
_PHONE_STRIP = "[" + "".join("\\" + c if c in "-()./" else c for c in contact.PHONE_STRIP_CHARS) + "]"


def _phone_vector(values: pa.Array, ctx: Context) -> Result:
    n = len(values)
    label = unlabelled(n)
    lens = np.asarray(pc.binary_length(values))
    keys: pa.Array = pa.nulls(n, pa.string())
    i11 = np.flatnonzero(lens == 11)
    plain = np.zeros(n, dtype=bool)
    if i11.size:  # the common case, eleven bare digits, without a regex
        m = byte_matrix(values.take(pa.array(i11)), 11)
        dig = digit_rows(m)
        plain[i11[dig]] = True
        mob = dig & (m[:, 0] == ord("1")) & (m[:, 1] >= ord("3")) & (m[:, 1] <= ord("9"))
        label[i11[mob]] = 0
    if label.max(initial=NO) == 0:
        keys = pc.if_else(pa.array(label == 0), pc.binary_join_element_wise("+86", values, ""), None)
    # anything else must be 7-15 digits plus phone punctuation (counted in numpy, no regex)
    rest = np.flatnonzero(
        ~plain & (count_bytes(values, _NOT_PHONE) == 0) & (np.abs(count_bytes(values, _DIGIT) - 11) <= 4)
    )
    if rest.size == 0:
        return Result(label, keys=keys)
    sub = values.take(pa.array(rest))
    clean = pc.replace_substring_regex(sub, _PHONE_STRIP, "")
    mob = pc.extract_regex(clean, r"^(?:\+86|0086|86)?(?P<m>1[3-9][0-9]{9})$")
    is_mob = as_bool(pc.is_valid(mob))
    found: list[str | None] = [None] * n
    if is_mob.any():
        for i, v in zip(
            rest[is_mob].tolist(), pc.struct_field(mob, "m").filter(pa.array(is_mob)).to_pylist(), strict=True
        ):
            label[i] = 0
            found[i] = "+86" + v
    other = np.flatnonzero(~is_mob & matches(clean, _INTL_CAND))
    for j, v in zip(other.tolist(), clean.take(pa.array(other)).to_pylist(), strict=True):
        if v in ctx.phone_cache:
            e164 = ctx.phone_cache[v]
        elif ctx.phone_budget.get("phone", PHONE_BUDGET) > 0:
            ctx.phone_budget["phone"] = ctx.phone_budget.get("phone", PHONE_BUDGET) - 1
            e164 = ctx.phone_cache[v] = contact.phone_slow(v)
        else:
            continue
        if e164 is not None:
            label[rest[j]] = 0
            found[rest[j]] = e164
    keys = pc.coalesce(keys, pa.array(found, type=pa.string()))
    return Result(label, keys=keys)


def _phone_scalar(value: str, ctx: Context) -> int:
    return 0 if contact.normalise_phone(value) is not None else NO


EMAIL_KIND = Kind("email", "contact.email", 0.95, "local@domain.tld", IdentifierKind.email)


def _email_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    low = pc.utf8_lower(values)
    ok = matches(low, contact.EMAIL)
    label[ok] = 0
    return Result(label, keys=pc.if_else(pa.array(ok), low, None))


def _email_scalar(value: str, ctx: Context) -> int:
    return 0 if contact.normalise_email(value) is not None else NO


# --- detectors ---------------------------------------------------------------------------------

EMAIL = Detector("email", (EMAIL_KIND,), 5, 320, "dahp", _email_vector, _email_scalar, requires=("@",))

PHONE = Detector("phone", (PHONE_KIND,), 7, 24, "dp", _phone_vector, _phone_scalar)
