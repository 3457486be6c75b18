"""The person identifiers counting links on, and the one function that turns a raw value into a
namespaced key: `identity_key(kind, value)`.

Keys carry a namespace so values of different kinds never collide. Every number in the 18-digit
resident-identity space (mainland ID, HMT residence permit, 2023 foreigner permanent-residence
card) gets the namespace `rid`, whichever column it was found in, so one person's number links
across systems.

Strength (DESIGN.md principle 5): a *strong* identifier names one person, so two records sharing
one are the same person; a *weak* one (phone, e-mail, device) can be shared by several people and
links only when the mapping says so. An *exclusive* identifier is one a person has only one of:
two different values of it in one linked group mean the group joins different people.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ftzlist.identifiers import contact, documents, resident_id


class Kind(StrEnum):
    resident_id = "resident_id"
    passport = "passport"
    hmt_permit = "hmt_permit"
    foreign_pr = "foreign_pr"
    phone = "phone"
    email = "email"
    customer_id = "customer_id"
    device_id = "device_id"


@dataclass(frozen=True)
class KindInfo:
    kind: Kind
    strong: bool
    description: str


KINDS: dict[Kind, KindInfo] = {
    Kind.resident_id: KindInfo(Kind.resident_id, True, "resident identity number (15 or 18 digits)"),
    Kind.passport: KindInfo(Kind.passport, True, "passport number with issuing country"),
    Kind.hmt_permit: KindInfo(Kind.hmt_permit, True, "Hong Kong/Macao/Taiwan permit or residence permit"),
    Kind.foreign_pr: KindInfo(Kind.foreign_pr, True, "foreigner permanent-residence ID"),
    Kind.phone: KindInfo(Kind.phone, False, "phone number (E.164)"),
    Kind.email: KindInfo(Kind.email, False, "e-mail address"),
    Kind.customer_id: KindInfo(Kind.customer_id, True, "internal customer id, scoped to its system"),
    Kind.device_id: KindInfo(Kind.device_id, False, "device id"),
}

EXCLUSIVE_NAMESPACES = frozenset({"rid"})
"""Namespaces a person holds one value of; two values in one group make the group doubtful."""


def _rid_or(ns: str, value: str | None) -> str | None:
    if value is None:
        return None
    return f"rid:{value}" if len(value) == 18 and value[:17].isdigit() else f"{ns}:{value}"


def _opaque(value: object) -> str | None:
    if value is None:
        return None
    v = str(value).strip(contact.WHITESPACE)
    return v or None


def identity_key(
    kind: Kind | str, value: object, *, country: object = None, namespace: str = "", region: str = "CN"
) -> str | None:
    """The namespaced, normalised key for a raw identifier, or None when the value is invalid.

    `country` is the passport's issuing country; `namespace` scopes customer and device ids to
    the system that issued them; `region` is the default region for phone numbers.
    The key is raw personal data: hash it (`ftzlist.counting.hashing`) before writing it anywhere.
    """
    kind = Kind(kind)
    if value is None:
        return None
    if kind is Kind.resident_id:
        v = resident_id.normalise_resident_id(value)
        return None if v is None else f"rid:{v}"
    if kind is Kind.passport:
        v = documents.normalise_passport(value, country)
        return None if v is None else f"pp:{v}"
    if kind is Kind.hmt_permit:
        return _rid_or("hmt", documents.normalise_hmt_permit(value))
    if kind is Kind.foreign_pr:
        return _rid_or("fpr", documents.normalise_foreign_pr(value))
    if kind is Kind.phone:
        v = contact.normalise_phone(value, region)
        return None if v is None else f"tel:{v}"
    if kind is Kind.email:
        v = contact.normalise_email(value)
        return None if v is None else f"mail:{v}"
    v = _opaque(value)
    if v is None:
        return None
    return f"cust:{namespace}:{v}" if kind is Kind.customer_id else f"dev:{namespace}:{v}"


def is_valid(kind: Kind | str, value: object, *, country: object = None) -> bool:
    """True when `value` is a valid identifier of `kind` (passports need `country`)."""
    return identity_key(kind, value, country=country) is not None


def classify(value: object) -> list[Kind]:
    """Kinds a bare value is valid as (for discovery): resident id, HMT permit, foreigner PR,
    phone, e-mail. Passports need a country and customer/device ids have no format, so they are
    never guessed."""
    found = [
        k
        for k in (Kind.resident_id, Kind.hmt_permit, Kind.foreign_pr, Kind.phone, Kind.email)
        if identity_key(k, value) is not None
    ]
    return found
