"""Detectors: each recognises one or more kinds of value, over a whole column at once.

A detector has two forms that must agree: `vector` takes an Arrow string array (trimmed, non-empty
values) and returns a label per value; `scalar` takes one string. The vector form is what the
scanner runs (a pattern over the column, then a checksum only on the candidates, in numpy); the
scalar form is the reference the tests and the benchmark compare it with.

Detectors run in `DETECTORS` order and a value belongs to the first that claims it, so counts
are exclusive: an 18-digit identity number that happens to pass Luhn is not also a bank card.
The order puts checksummed identifiers first and shape-only detectors (names, addresses) last.

The identifier rules themselves (check characters, area codes, E.164) live in
`ftzlist.identifiers`, shared with person counting; this module only vectorises and orders them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.identifiers import bank_card, contact, documents, geo, network, resident_id, uscc, vehicle
from ftzlist.identifiers._fixed_width import byte_matrix, byte_table, contains_byte, count_bytes

NO = -1
WEAK = 0.8
"""Kinds below this strength are recognised by shape alone (names, addresses, dates, plates...)."""


@dataclass(frozen=True)
class Kind:
    """One kind of value a detector labels."""

    name: str
    category: str
    strength: float
    """How much a match alone says (checksummed identifiers 0.95, shape-only patterns 0.5-0.7)."""
    method: str
    person: str | None = None
    """`strong` or `weak` when a value identifies a natural person (counted in person facts)."""
    needs_hint: bool = False
    """Reported only when the column name agrees (a bare date or an 8-digit number says little)."""


@dataclass
class Context:
    """What a detector may read besides the values: the assessment date and the column-name hint."""

    as_of: dt.date
    hint: str | None = None
    phone_budget: dict[str, int] = field(default_factory=dict)
    phone_cache: dict[str, str | None] = field(default_factory=dict)

    @property
    def minor_cutoff(self) -> int:
        """Born after this day (YYYYMMDD) = under 14 on `as_of`."""
        return (self.as_of.year - 14) * 10000 + self.as_of.month * 100 + self.as_of.day


@dataclass
class Result:
    """Per value: the kind index (or NO), and for person identifiers the normalised key and, for
    identity numbers, whether the holder is under 14 on the assessment date."""

    label: np.ndarray
    keys: pa.Array | None = None
    minor: np.ndarray | None = None
    examples: pa.Array | None = None
    """For embedded finds: the identifiers found inside the text (one per matched value)."""


@dataclass(frozen=True)
class Detector:
    name: str
    kinds: tuple[Kind, ...]
    min_bytes: int
    max_bytes: int
    first: str
    """Classes of the first byte a candidate may have: d digit, a ASCII letter, p punctuation/sign,
    h non-ASCII (e.g. Han). A cheap filter applied before the detector's own pattern."""
    vector: Callable[[pa.Array, Context], Result]
    scalar: Callable[[str, Context], int]
    embedded: bool = False
    requires: tuple[str, ...] = ()
    """The value must contain one of these substrings (a cheap filter: '@' for e-mail)."""
    hints: tuple[str, ...] = ()
    """When set, the detector runs only in columns whose name gives one of these hints."""

    def applies(self, ctx: Context) -> bool:
        return not self.hints or ctx.hint in self.hints


# --- shared vector helpers ---------------------------------------------------------------------------


def _mask(arr: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, False), dtype=bool)


def _regex(values: pa.Array, pattern: str) -> np.ndarray:
    return _mask(pc.match_substring_regex(values, pattern))


def _strings(matrix: np.ndarray) -> pa.Array:
    """An Arrow string array from an (n, w) matrix of ASCII bytes."""
    n, w = matrix.shape
    offsets = pa.py_buffer(np.arange(0, (n + 1) * w, w, dtype=np.int32))
    data = pa.py_buffer(np.ascontiguousarray(matrix, dtype=np.uint8))
    return pa.Array.from_buffers(pa.string(), n, [None, offsets, data])


def _labels(n: int) -> np.ndarray:
    return np.full(n, NO, dtype=np.int8)


_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _real_dates(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    mm = np.clip(m, 0, 12)
    dim = _DAYS[mm] - ((mm == 2) & ~leap)
    return (m >= 1) & (m <= 12) & (d >= 1) & (d <= dim)


# --- resident identity numbers, HMT residence permits, foreigner PR (one number space) ----------------

_W = np.array(resident_id.WEIGHTS, dtype=np.int32)
_CHECKS = np.frombuffer(resident_id.CHECK_CHARS.encode(), dtype=np.uint8)
_P10 = 10 ** np.arange(5, -1, -1, dtype=np.int64)


def _area_ints() -> np.ndarray:
    return np.array(
        sorted(int(c) for c in resident_id.area_codes() | set(resident_id.HMT_AREAS)), dtype=np.int64
    )


_AREAS: np.ndarray | None = None
_HMT = np.array([int(a) for a in resident_id.HMT_AREAS], dtype=np.int64)
ID_KINDS = (
    Kind(
        "resident_id",
        "identity.government_id.resident_id",
        0.95,
        "GB 11643 MOD 11-2 check, birth date, GB/T 2260 area code; 15-digit numbers upgraded",
        "strong",
    ),
    Kind(
        "hmt_residence_permit",
        "identity.government_id.hmt_permit",
        0.95,
        "area 810000/820000/830000, GB 11643 MOD 11-2 check, birth date",
        "strong",
    ),
    Kind(
        "foreign_pr",
        "identity.government_id.foreign_pr",
        0.9,
        "2023 format: leading 9, GB 11643 MOD 11-2 check, birth date; 2004 format: ISO alpha-3 + 12 digits",
        "strong",
    ),
)


def _digit_rows(m: np.ndarray) -> np.ndarray:
    return ((m - np.uint8(48)) <= 9).all(axis=1)


def _assemble(n: int, parts: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """A string array of length n: each part's values at its positions, null elsewhere."""
    parts = [(p, a) for p, a in parts if p.size]
    if not parts:
        return pa.nulls(n, pa.string())
    pos = np.full(n, -1, dtype=np.int64)
    start = 0
    for p, _ in parts:
        pos[p] = np.arange(start, start + p.size)
        start += p.size
    combined = pa.concat_arrays([a.cast(pa.string()) for _, a in parts])
    return combined.take(pa.array(pos, mask=pos < 0))


_YMD = np.array([1000, 100, 10, 1], dtype=np.int32)
_SEP_OR_NON_ASCII = np.zeros(256, dtype=bool)
_SEP_OR_NON_ASCII[[9, 10, 11, 12, 13, 32, ord("-")]] = True
_SEP_OR_NON_ASCII[128:] = True  # Unicode spaces: let the regex decide


def _id_checks(d: np.ndarray, last: np.ndarray, ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For 17 digits (as 0-9 ints) and the check byte: (valid, kind label, under 14)."""
    di = d.astype(np.int32)
    ok = last == _CHECKS[(di @ _W) % 11]
    y = di[:, 6:10] @ _YMD
    mo = di[:, 10] * 10 + di[:, 11]
    day = di[:, 12] * 10 + di[:, 13]
    ok &= _real_dates(y, mo, day) & (y >= resident_id.MIN_BIRTH_YEAR)
    area = di[:, :6].astype(np.int64) @ _P10
    foreign = di[:, 0] == 9
    ok &= foreign | np.isin(area, _AREAS)
    lab = np.where(foreign, 2, np.where(np.isin(area, _HMT), 1, 0)).astype(np.int8)
    return ok, lab, (y * 10000 + mo * 100 + day) > ctx.minor_cutoff


def _id_vector(values: pa.Array, ctx: Context) -> Result:
    global _AREAS
    if _AREAS is None:
        _AREAS = _area_ints()
    n = len(values)
    label = _labels(n)
    minor = np.zeros(n, dtype=bool)
    lens = np.asarray(pc.binary_length(values))
    norm = values
    odd = np.flatnonzero((lens != 15) & (lens != 18))
    if odd.size:  # only values with a space or hyphen can become 15 or 18 characters long
        sub = values.take(pa.array(odd))
        odd = odd[contains_byte(sub, _SEP_OR_NON_ASCII)]
    if odd.size:
        compacted = pc.utf8_upper(pc.replace_substring_regex(values.take(pa.array(odd)), r"[\s\-]", ""))
        pos = np.full(n, -1, dtype=np.int64)
        pos[odd] = np.arange(odd.size)
        norm = pc.if_else(pa.array(pos < 0), values, compacted.take(pa.array(np.maximum(pos, 0))))
        lens = np.asarray(pc.binary_length(norm))
    parts: list[tuple[np.ndarray, pa.Array]] = []
    i18 = np.flatnonzero(lens == 18)
    if i18.size:
        sub = norm if i18.size == n else norm.take(pa.array(i18))
        m = byte_matrix(sub, 18)
        last = np.where(m[:, 17] == ord("x"), np.uint8(ord("X")), m[:, 17])
        shape = _digit_rows(m[:, :17]) & (((last - np.uint8(48)) <= 9) | (last == ord("X")))
        sel = np.flatnonzero(shape)
        ok, lab, young = _id_checks(m[sel, :17] - np.uint8(48), last[sel], ctx)
        good = sel[ok]
        label[i18[good]] = lab[ok]
        minor[i18[good]] = young[ok]
        keys = sub.take(pa.array(good))
        if (m[good, 17] == ord("x")).any():
            keys = pc.utf8_upper(keys)
        parts.append((i18[good], keys))
    i15 = np.flatnonzero(lens == 15)
    if i15.size:
        sub = norm if i15.size == n else norm.take(pa.array(i15))
        m15 = byte_matrix(sub, 15)
        dig = _digit_rows(m15)
        sel = np.flatnonzero(dig)
        if sel.size:
            k = np.empty((sel.size, 18), dtype=np.uint8)
            k[:, :6] = m15[sel, :6]
            k[:, 6:8] = (ord("1"), ord("9"))
            k[:, 8:17] = m15[sel, 6:15]
            d = k[:, :17] - np.uint8(48)
            k[:, 17] = _CHECKS[(d.astype(np.int32) @ _W) % 11]
            ok, lab, young = _id_checks(d, k[:, 17], ctx)
            good = sel[ok]
            label[i15[good]] = lab[ok]
            minor[i15[good]] = young[ok]
            parts.append((i15[good], _strings(k[ok])))
        rest = np.flatnonzero(~dig)
        if rest.size:
            up = pc.utf8_upper(sub.take(pa.array(rest)))
            pr = _regex(up, documents.FOREIGN_PR_2004.pattern)
            label[i15[rest[pr]]] = 2
            parts.append((i15[rest[pr]], up.filter(pa.array(pr))))
    return Result(label, keys=_assemble(n, parts), minor=minor)


def _id_scalar(value: str, ctx: Context) -> int:
    norm = resident_id.normalise_resident_id(value)
    if norm is not None:
        return {"mainland": 0, "hmt_residence_permit": 1, "foreign_pr": 2}[resident_id.holder(norm)]
    if documents.FOREIGN_PR_2004.match(documents.compact(value)):
        return 2
    return NO


# --- unified social credit code (an organisation) -----------------------------------------------------

_USCC_VAL = np.full(256, -1, dtype=np.int32)
for _i, _c in enumerate(uscc.ALPHABET):
    _USCC_VAL[ord(_c)] = _i
_USCC_W = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int32)
_USCC_FMT = uscc.FORMAT.pattern
USCC_KIND = Kind(
    "uscc",
    "business.organisation_id",
    0.95,
    "GB 32100 alphabet and MOD 31 check character (letter authority codes)",
)


USCC_CENTRAL = "100000"
"""Registration area of codes issued by central authorities."""


def _uscc_vector(values: pa.Array, ctx: Context) -> Result:
    global _AREAS
    if _AREAS is None:
        _AREAS = _area_ints()
    n = len(values)
    label = _labels(n)
    up = pc.utf8_upper(values)
    idx = np.flatnonzero(_regex(up, _USCC_FMT))
    if idx.size:
        m = byte_matrix(up.take(pa.array(idx)), 18)
        v = _USCC_VAL[m]
        check = (31 - (v[:, :17] * _USCC_W).sum(axis=1) % 31) % 31
        area = (m[:, 2:8].astype(np.int64) - 48) @ _P10
        plausible = np.isin(area, _AREAS) | (area == int(USCC_CENTRAL))
        label[idx[(check == v[:, 17]) & plausible]] = 0
    return Result(label)


def _uscc_scalar(value: str, ctx: Context) -> int:
    """A valid code (`identifiers.uscc`) whose registration area (characters 3-8) is a GB/T 2260
    division: the area test keeps 18-digit numbers of other kinds (a mistyped identity number
    passes MOD 31 one time in 31) from being read as companies."""
    v = value.strip().upper()
    if not uscc.is_valid_uscc(v):
        return NO
    area = v[2:8]
    return (
        0 if area == USCC_CENTRAL or area in resident_id.area_codes() or area in resident_id.HMT_AREAS else NO
    )


# --- bank cards --------------------------------------------------------------------------------------


def _id_shaped(m: np.ndarray) -> np.ndarray:
    """18 digits (as bytes) whose first 14 are a GB/T 2260 area and a real birth date: a mistyped
    identity number, not an 18-digit card (cards are almost always 16 or 19 digits)."""
    global _AREAS
    if _AREAS is None:
        _AREAS = _area_ints()
    d = m[:, :14].astype(np.int32) - 48
    area = d[:, :6].astype(np.int64) @ _P10
    y = d[:, 6:10] @ _YMD
    return np.isin(area, _AREAS) & _real_dates(y, d[:, 10] * 10 + d[:, 11], d[:, 12] * 10 + d[:, 13])


def _card_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    ok = bank_card.valid_bank_cards(values)
    i18 = np.flatnonzero(ok & (np.asarray(pc.binary_length(values)) == 18))
    if i18.size:
        ok[i18[_id_shaped(byte_matrix(values.take(pa.array(i18)), 18))]] = False
    label[ok] = 0
    return Result(label)


def _card_scalar(value: str, ctx: Context) -> int:
    v = value.strip()
    if not bank_card.is_valid_bank_card(v):
        return NO
    if len(v) == 18 and _id_shaped(np.frombuffer(v.encode(), dtype=np.uint8).reshape(1, 18))[0]:
        return NO
    return 0


# --- vehicle, card, network ------------------------------------------------------------------------

VIN_KIND = Kind("vin", "vehicle.vin", 0.95, "ISO 3779 alphabet, GB 16735 check character (position 9)")
CARD_KIND = Kind("bank_card", "finance.bank_account", 0.9, "13-19 digits, issuer prefix, Luhn check digit")
IP_KIND = Kind("ip_address", "device.ip_address", 0.85, "IPv4 dotted quad (octets 0-255) or IPv6")
PLATE_KIND = Kind(
    "licence_plate", "vehicle.plate", 0.9, "GA 36 province character + authority letter + 5 (or 6 new-energy)"
)


def _simple(fn: Callable[[pa.Array], np.ndarray]) -> Callable[[pa.Array, Context], Result]:
    def vector(values: pa.Array, ctx: Context) -> Result:
        label = _labels(len(values))
        label[fn(values)] = 0
        return Result(label)

    return vector


def _scalar(fn: Callable[[str], bool]) -> Callable[[str, Context], int]:
    return lambda value, ctx: 0 if fn(value) else NO


# --- phones and e-mail ----------------------------------------------------------------------------

PHONE_KIND = Kind(
    "phone",
    "contact.phone",
    0.85,
    "mainland mobile (1[3-9] + 9 digits, optional +86), other numbers validated by libphonenumber",
    "weak",
)
PHONE_BUDGET = 20_000
"""Distinct non-mobile candidates per column checked with libphonenumber (about 20 us each)."""
_DIGIT = byte_table(b"0123456789")
_NOT_PHONE = ~byte_table(b"0123456789+" + contact.PHONE_STRIP_CHARS.encode())
_INTL_CAND = r"^(?:\+|00)[1-9][0-9]{6,14}$|^0[1-9][0-9]{8,10}$"
_PHONE_STRIP = "[" + "".join("\\" + c if c in "-()./" else c for c in contact.PHONE_STRIP_CHARS) + "]"


def _phone_vector(values: pa.Array, ctx: Context) -> Result:
    n = len(values)
    label = _labels(n)
    lens = np.asarray(pc.binary_length(values))
    keys: pa.Array = pa.nulls(n, pa.string())
    i11 = np.flatnonzero(lens == 11)
    plain = np.zeros(n, dtype=bool)
    if i11.size:  # the common case, eleven bare digits, without a regex
        m = byte_matrix(values.take(pa.array(i11)), 11)
        dig = _digit_rows(m)
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
    is_mob = _mask(pc.is_valid(mob))
    found: list[str | None] = [None] * n
    if is_mob.any():
        for i, v in zip(
            rest[is_mob].tolist(), pc.struct_field(mob, "m").filter(pa.array(is_mob)).to_pylist(), strict=True
        ):
            label[i] = 0
            found[i] = "+86" + v
    other = np.flatnonzero(~is_mob & _regex(clean, _INTL_CAND))
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


EMAIL_KIND = Kind("email", "contact.email", 0.95, "local@domain.tld", "weak")


def _email_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    low = pc.utf8_lower(values)
    ok = _regex(low, contact.EMAIL)
    label[ok] = 0
    return Result(label, keys=pc.if_else(pa.array(ok), low, None))


def _email_scalar(value: str, ctx: Context) -> int:
    return 0 if contact.normalise_email(value) is not None else NO


# --- coordinates -----------------------------------------------------------------------------------

COORD_KINDS = (
    Kind(
        "coordinates", "location.precise", 0.8, "latitude,longitude pair with 4 or more decimals (about 11 m)"
    ),
    Kind("coordinates_coarse", "location.coarse", 0.6, "latitude,longitude pair with fewer than 4 decimals"),
    Kind(
        "coordinate",
        "location.precise",
        0.8,
        "one coordinate (-180..180, 4 or more decimals) in a latitude/longitude column",
        needs_hint=True,
    ),
)
_COMPONENT = r"^[-+]?[0-9]{1,3}\.[0-9]{4,}$"
_COORD_HINTS = ("latitude", "longitude", "coordinates")


def _coord_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    ok, precise = geo.valid_coordinate_pairs(values)
    label[ok] = np.where(precise[ok], 0, 1)
    return Result(label)


def _component_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    comp = np.flatnonzero(_regex(values, _COMPONENT))
    if comp.size:
        num = np.asarray(pc.cast(values.take(pa.array(comp)), pa.float64()))
        label[comp[np.abs(num) <= 180]] = 2
    return Result(label)


_COMPONENT_RE = re.compile(_COMPONENT)


def _coord_scalar(value: str, ctx: Context) -> int:
    pair = geo.parse_pair(value)
    if pair is not None:
        return 0 if pair[2] >= geo.PRECISE_DECIMALS else 1
    return NO


def _component_scalar(value: str, ctx: Context) -> int:
    v = value.strip()
    return 2 if _COMPONENT_RE.match(v) and abs(float(v)) <= 180 else NO


# --- travel documents ------------------------------------------------------------------------------

DOC_KINDS = (
    Kind(
        "passport",
        "identity.government_id.passport",
        0.7,
        "PRC passport format (E + 8 digits, E + letter + 7 digits, G/D/S/P + 8 digits); others in a passport column",
        "strong",
    ),
    Kind(
        "hmt_permit",
        "identity.government_id.hmt_permit",
        0.7,
        "home-return permit (H/M + 8 or 10 digits), permits to HK/Macao (C...) and Taiwan (L...); "
        "other formats in a permit column",
        "strong",
    ),
)
_CN_PASSPORT = r"^(?:E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|[GDSP][0-9]{8})$"
_ANY_PASSPORT = r"^[A-Z]{0,2}[0-9][A-Z0-9]{4,15}$"
_HMT_STRONG = r"^(?:[HM][0-9]{8}(?:[0-9]{2})?|C[0-9A-HJ-NP-Z][0-9]{7}|L[0-9]{8})$"
_ANY_PASSPORT_RE = re.compile(_ANY_PASSPORT)
_CN_PASSPORT_RE = re.compile(_CN_PASSPORT)
_HMT_STRONG_RE = re.compile(_HMT_STRONG)


def _doc_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    norm = values
    sep = _regex(values, r"[\s\-()（）a-z]")
    if sep.any():
        fixed = pc.utf8_upper(pc.replace_substring_regex(values, r"[\s\-()（）]", ""))
        norm = pc.if_else(pa.array(sep), fixed, values)
    label[_regex(norm, _HMT_STRONG)] = 1
    if ctx.hint == "hmt_permit":
        label[(label == NO) & _regex(norm, documents.HMT_PERMIT.pattern)] = 1
    label[(label == NO) & _regex(norm, _CN_PASSPORT)] = 0
    if ctx.hint == "passport":
        label[(label == NO) & _regex(norm, _ANY_PASSPORT)] = 0
    return Result(label, keys=pc.if_else(pa.array(label >= 0), norm, None))


def _doc_scalar(value: str, ctx: Context) -> int:
    v = documents.compact(value)
    if _HMT_STRONG_RE.match(v) or (ctx.hint == "hmt_permit" and documents.HMT_PERMIT.match(v)):
        return 1
    if _CN_PASSPORT_RE.match(v) or (ctx.hint == "passport" and _ANY_PASSPORT_RE.match(v)):
        return 0
    return NO


# --- birth dates -----------------------------------------------------------------------------------

BIRTH_KIND = Kind(
    "birth_date",
    "identity.demographics",
    0.6,
    "a real calendar date between 1900 and the assessment date, in a birth-date column",
    needs_hint=True,
)
_DATE = (
    r"^(?P<y>(?:19|20)[0-9]{2})(?:(?P<s>[-/.年])(?P<m>[0-9]{1,2})[-/.月](?P<d>[0-9]{1,2})日?"
    r"|(?P<m2>[0-9]{2})(?P<d2>[0-9]{2}))(?:[ T]00:00(?::00(?:\.0+)?)?)?$"
)
_DATE_RE = re.compile(_DATE)


def _birth_vector(values: pa.Array, ctx: Context) -> Result:
    n = len(values)
    label = _labels(n)
    parts = pc.extract_regex(values, _DATE)
    idx = np.flatnonzero(_mask(pc.is_valid(parts)))
    if idx.size:
        sub = parts.take(pa.array(idx))

        def num(name: str) -> np.ndarray:
            s = pc.struct_field(sub, name)
            return np.asarray(pc.cast(pc.if_else(pc.equal(s, ""), "0", s), pa.int32()))

        y = num("y")
        m = num("m") + num("m2")
        d = num("d") + num("d2")
        asof = ctx.as_of.year * 10000 + ctx.as_of.month * 100 + ctx.as_of.day
        ok = _real_dates(y, m, d) & (y * 10000 + m * 100 + d <= asof)
        label[idx[ok]] = 0
    return Result(label)


def _birth_scalar(value: str, ctx: Context) -> int:
    mt = _DATE_RE.match(value.strip())
    if not mt:
        return NO
    y = int(mt["y"])
    m = int(mt["m"] or mt["m2"])
    d = int(mt["d"] or mt["d2"])
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return NO
    return 0 if day <= ctx.as_of else NO


# --- names and addresses ---------------------------------------------------------------------------

# The most common single-character surnames (about 95% of the population) and the compound ones.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕"
    "楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈"
    "晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉"
    "冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "令狐",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "端木",
        "西门",
        "独孤",
        "南宫",
        "万俟",
    ]
)
NAME_KINDS = (
    Kind(
        "chinese_name", "identity.name", 0.6, "2-4 Han characters starting with a common surname; X·Y names"
    ),
    Kind(
        "name",
        "identity.name",
        0.6,
        "capitalised given name and surname (Latin script) in a name column",
        needs_hint=True,
    ),
)
_HAN_NAME = r"^\p{Han}{2,4}$"
_DOT_NAME = r"^\p{Han}{1,10}[·•・]\p{Han}{1,10}$"
_LATIN_NAME = r"^[A-Z][a-z]+(?:[ '\-][A-Z][a-z]+){1,3}$"
_HAN_NAME_RE = re.compile(r"^[\u3400-\u9fff]{2,4}$")
_DOT_NAME_RE = re.compile(r"^[\u3400-\u9fff]{1,10}[·•・][\u3400-\u9fff]{1,10}$")
_LATIN_NAME_RE = re.compile(_LATIN_NAME)
_SURNAME_ARR = pa.array(sorted(SURNAMES))
_COMPOUND_ARR = pa.array(sorted(COMPOUND_SURNAMES))


def _name_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    idx = np.flatnonzero(_regex(values, _HAN_NAME))
    if idx.size:
        sub = values.take(pa.array(idx))
        first = _mask(pc.is_in(pc.utf8_slice_codeunits(sub, 0, 1), value_set=_SURNAME_ARR))
        two = _mask(pc.is_in(pc.utf8_slice_codeunits(sub, 0, 2), value_set=_COMPOUND_ARR))
        long_ok = np.asarray(pc.utf8_length(sub)) >= 3
        label[idx[first | (two & long_ok)]] = 0
    return Result(label)


def _name_scalar(value: str, ctx: Context) -> int:
    v = value.strip()
    if _HAN_NAME_RE.match(v) and (v[0] in SURNAMES or (len(v) >= 3 and v[:2] in COMPOUND_SURNAMES)):
        return 0
    return NO


def _dot_name_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    label[_regex(values, _DOT_NAME)] = 0
    return Result(label)


def _dot_name_scalar(value: str, ctx: Context) -> int:
    return 0 if _DOT_NAME_RE.match(value.strip()) else NO


def _latin_name_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    label[_regex(values, _LATIN_NAME)] = 1
    return Result(label)


def _latin_name_scalar(value: str, ctx: Context) -> int:
    return 1 if _LATIN_NAME_RE.match(value.strip()) else NO


ADDRESS_KIND = Kind(
    "address",
    "contact.address",
    0.7,
    "administrative division (省/市/区/县) followed by a street, village or building number; "
    "or number + street name + street type",
)
_ADDR_ZH = (
    r"^\p{Han}.*?(?:省|市|自治区|区|县|旗|州).*?"
    r"(?:[0-9一二三四五六七八九十百]+(?:号|弄|栋|幢|室|楼|单元|组)|路|街|巷|胡同|村|镇|乡|大道|小区|大厦)"
)
_ADDR_EN = (
    r"(?i)^[0-9]+[a-z]? [a-z0-9 .,'\-]*\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|"
    r"court|ct|place|pl|terrace)\b"
)
_ADDR_ZH_RE = re.compile(_ADDR_ZH.replace(r"\p{Han}", "[\u3400-\u9fff]"))
_ADDR_EN_RE = re.compile(_ADDR_EN)


def _addr_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    label[_regex(values, _ADDR_ZH)] = 0
    return Result(label)


def _addr_scalar(value: str, ctx: Context) -> int:
    return 0 if _ADDR_ZH_RE.match(value.strip()) else NO


def _addr_en_vector(values: pa.Array, ctx: Context) -> Result:
    label = _labels(len(values))
    label[_regex(values, _ADDR_EN)] = 0
    return Result(label)


def _addr_en_scalar(value: str, ctx: Context) -> int:
    return 0 if _ADDR_EN_RE.match(value.strip()) else NO


# --- free text with embedded identifiers ------------------------------------------------------------

EMBED_KINDS = (
    Kind(
        "resident_id", "identity.government_id.resident_id", 0.8, "identity number inside text (check, date)"
    ),
    Kind("bank_card", "finance.bank_account", 0.7, "Luhn-valid 16- or 19-digit card number inside text"),
    Kind("phone", "contact.phone", 0.6, "mainland mobile number inside text"),
    Kind("email", "contact.email", 0.8, "e-mail address inside text"),
)
_EMBED_CAND = r"[0-9]{11}|@"
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9]{11,19}[0-9Xx]?(?![0-9A-Za-z])")
_EMAIL_IN = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def embedded_find(text: str) -> tuple[int, str] | None:
    """The first (by kind order) identifier inside a text: (kind index, the identifier)."""
    found: dict[int, str] = {}
    for run in _DIGIT_RUN.findall(text):
        if len(run) in (15, 18) and resident_id.is_valid_resident_id(run):
            found.setdefault(0, run)
        elif len(run) in (16, 19) and bank_card.is_valid_bank_card(run):  # the usual card lengths
            found.setdefault(1, run)
        elif _MOBILE.match(run):
            found.setdefault(2, run)
    if "@" in text:
        m = _EMAIL_IN.search(text)
        if m:
            found.setdefault(3, m.group(0))
    if not found:
        return None
    k = min(found)
    return k, found[k]


def _embed_vector(values: pa.Array, ctx: Context) -> Result:
    n = len(values)
    label = _labels(n)
    idx = np.flatnonzero(_regex(values, _EMBED_CAND))
    examples: list[str | None] = [None] * n
    for i, text in zip(idx.tolist(), values.take(pa.array(idx)).to_pylist(), strict=True):
        hit = embedded_find(text)
        if hit is not None:
            label[i], examples[i] = hit
    return Result(label, examples=pa.array(examples, type=pa.string()))


def _embed_scalar(value: str, ctx: Context) -> int:
    hit = embedded_find(value)
    return NO if hit is None else hit[0]


# --- the registry, in claiming order -------------------------------------------------------------

DETECTORS: tuple[Detector, ...] = (
    Detector("identity_number", ID_KINDS, 15, 24, "da", _id_vector, _id_scalar),
    Detector("uscc", (USCC_KIND,), 18, 18, "da", _uscc_vector, _uscc_scalar),
    Detector("vin", (VIN_KIND,), 17, 17, "da", _simple(vehicle.valid_vins), _scalar(vehicle.is_valid_vin)),
    Detector(
        "bank_card",
        (CARD_KIND,),
        13,
        23,
        "d",
        _card_vector,
        _card_scalar,
    ),
    Detector("email", (EMAIL_KIND,), 5, 320, "dahp", _email_vector, _email_scalar, requires=("@",)),
    Detector(
        "ip_address",
        (IP_KIND,),
        2,
        45,
        "dap",
        _simple(network.valid_ip_addresses),
        _scalar(network.is_ip_address),
        requires=(".", ":"),
    ),
    Detector("coordinates", COORD_KINDS, 7, 60, "dp", _coord_vector, _coord_scalar, requires=(",", " ", ";")),
    Detector(
        "coordinate",
        COORD_KINDS,
        6,
        24,
        "dp",
        _component_vector,
        _component_scalar,
        requires=(".",),
        hints=_COORD_HINTS,
    ),
    Detector("phone", (PHONE_KIND,), 7, 24, "dp", _phone_vector, _phone_scalar),
    Detector(
        "licence_plate",
        (PLATE_KIND,),
        9,
        16,
        "h",
        _simple(vehicle.valid_plates),
        _scalar(vehicle.is_licence_plate),
    ),
    Detector("travel_document", DOC_KINDS, 5, 24, "a", _doc_vector, _doc_scalar),
    Detector(
        "travel_document_hinted",
        DOC_KINDS,
        5,
        24,
        "d",
        _doc_vector,
        _doc_scalar,
        hints=("passport", "hmt_permit"),
    ),
    Detector("birth_date", (BIRTH_KIND,), 8, 32, "d", _birth_vector, _birth_scalar, hints=("birth_date",)),
    Detector("name", NAME_KINDS, 6, 16, "h", _name_vector, _name_scalar),
    Detector(
        "name_dotted", NAME_KINDS, 5, 80, "h", _dot_name_vector, _dot_name_scalar, requires=("·", "•", "・")
    ),
    Detector(
        "name_latin", NAME_KINDS, 5, 64, "a", _latin_name_vector, _latin_name_scalar, hints=("chinese_name",)
    ),
    Detector("address", (ADDRESS_KIND,), 9, 1000, "h", _addr_vector, _addr_scalar),
    Detector("address_en", (ADDRESS_KIND,), 9, 1000, "d", _addr_en_vector, _addr_en_scalar, requires=(" ",)),
    Detector("free_text", EMBED_KINDS, 16, 1 << 30, "dahp", _embed_vector, _embed_scalar, embedded=True),
)


def classify_scalar(value: str | None, ctx: Context) -> tuple[str, int] | None:
    """The per-value reference: the first detector (in claiming order) whose scalar form accepts
    the value, as (detector name, kind index). Used by tests and the benchmark baseline."""
    if value is None:
        return None
    v = value.strip()
    if not v:
        return None
    nbytes = len(v.encode("utf-8"))
    for det in DETECTORS:
        if (
            det.applies(ctx)
            and det.min_bytes <= nbytes <= det.max_bytes
            and first_class(v) in det.first
            and (not det.requires or any(r in v for r in det.requires))
        ):
            k = det.scalar(v, ctx)
            if k != NO:
                return det.name, k
    return None


def first_class(value: str) -> str:
    c = value[0]
    if "0" <= c <= "9":
        return "d"
    if ("A" <= c <= "Z") or ("a" <= c <= "z"):
        return "a"
    if ord(c) >= 128:
        return "h"
    return "p"


__all__ = [
    "DETECTORS",
    "NO",
    "WEAK",
    "Context",
    "Detector",
    "Kind",
    "Result",
    "classify_scalar",
    "first_class",
]
