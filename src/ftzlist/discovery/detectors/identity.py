"""Identity: resident identity numbers (with HMT residence permits and foreigner PR, one number
space), organisation codes (USCC), travel documents and birth dates."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.discovery.detectors.base import (
    NO,
    P10,
    YMD,
    Context,
    Detector,
    Kind,
    Result,
    area_codes,
    as_bool,
    digit_rows,
    from_matrix,
    matches,
    real_dates,
    unlabelled,
)
from ftzlist.identifiers import documents, resident_id, uscc
from ftzlist.identifiers.fixed_width import byte_matrix, contains_byte
from ftzlist.identifiers.kinds import Kind as IdentifierKind

_W = np.array(resident_id.WEIGHTS, dtype=np.int32)
_CHECKS = np.frombuffer(resident_id.CHECK_CHARS.encode(), dtype=np.uint8)
_HMT = np.array([int(a) for a in resident_id.HMT_AREAS], dtype=np.int64)
ID_KINDS = (
    Kind(
        "resident_id",
        "identity.government_id.resident_id",
        0.95,
        "GB 11643 MOD 11-2 check, birth date, GB/T 2260 area code; 15-digit numbers upgraded",
        IdentifierKind.resident_id,
    ),
    Kind(
        "hmt_residence_permit",
        "identity.government_id.hmt_permit",
        0.95,
        "area 810000/820000/830000, GB 11643 MOD 11-2 check, birth date",
        IdentifierKind.hmt_permit,
    ),
    Kind(
        "foreign_pr",
        "identity.government_id.foreign_pr",
        0.9,
        "2023 format: leading 9, GB 11643 MOD 11-2 check, birth date; 2004 format: ISO alpha-3 + 12 digits",
        IdentifierKind.foreign_pr,
    ),
)


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


_SEP_OR_NON_ASCII = np.zeros(256, dtype=bool)
_SEP_OR_NON_ASCII[[9, 10, 11, 12, 13, 32, ord("-")]] = True
_SEP_OR_NON_ASCII[128:] = True  # Unicode spaces: let the regex decide


def _id_checks(d: np.ndarray, last: np.ndarray, ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For 17 digits (as 0-9 ints) and the check byte: (valid, kind label, under 14)."""
    di = d.astype(np.int32)
    ok = last == _CHECKS[(di @ _W) % 11]
    y = di[:, 6:10] @ YMD
    mo = di[:, 10] * 10 + di[:, 11]
    day = di[:, 12] * 10 + di[:, 13]
    ok &= real_dates(y, mo, day) & (y >= resident_id.MIN_BIRTH_YEAR)
    area = di[:, :6].astype(np.int64) @ P10
    foreign = di[:, 0] == 9
    ok &= foreign | np.isin(area, area_codes())
    lab = np.where(foreign, 2, np.where(np.isin(area, _HMT), 1, 0)).astype(np.int8)
    return ok, lab, (y * 10000 + mo * 100 + day) > ctx.minor_cutoff


def _id_vector(values: pa.Array, ctx: Context) -> Result:
    n = len(values)
    label = unlabelled(n)
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
        shape = digit_rows(m[:, :17]) & (((last - np.uint8(48)) <= 9) | (last == ord("X")))
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
        dig = digit_rows(m15)
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
            parts.append((i15[good], from_matrix(k[ok])))
        rest = np.flatnonzero(~dig)
        if rest.size:
            up = pc.utf8_upper(sub.take(pa.array(rest)))
            pr = matches(up, documents.FOREIGN_PR_2004.pattern)
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
    areas = area_codes()
    n = len(values)
    label = unlabelled(n)
    up = pc.utf8_upper(values)
    idx = np.flatnonzero(matches(up, _USCC_FMT))
    if idx.size:
        m = byte_matrix(up.take(pa.array(idx)), 18)
        v = _USCC_VAL[m]
        check = (31 - (v[:, :17] * _USCC_W).sum(axis=1) % 31) % 31
        area = (m[:, 2:8].astype(np.int64) - 48) @ P10
        plausible = np.isin(area, areas) | (area == int(USCC_CENTRAL))
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


# --- travel documents ------------------------------------------------------------------------------

DOC_KINDS = (
    Kind(
        "passport",
        "identity.government_id.passport",
        0.7,
        "PRC passport format (E + 8 digits, E + letter + 7 digits, G/D/S/P + 8 digits); others in a passport column",
        IdentifierKind.passport,
    ),
    Kind(
        "hmt_permit",
        "identity.government_id.hmt_permit",
        0.7,
        "home-return permit (H/M + 8 or 10 digits), permits to HK/Macao (C...) and Taiwan (L...); "
        "other formats in a permit column",
        IdentifierKind.hmt_permit,
    ),
)
_CN_PASSPORT = r"^(?:E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|[GDSP][0-9]{8})$"
_ANY_PASSPORT = r"^[A-Z]{0,2}[0-9][A-Z0-9]{4,15}$"
_HMT_STRONG = r"^(?:[HM][0-9]{8}(?:[0-9]{2})?|C[0-9A-HJ-NP-Z][0-9]{7}|L[0-9]{8})$"
_ANY_PASSPORT_RE = re.compile(_ANY_PASSPORT)
_CN_PASSPORT_RE = re.compile(_CN_PASSPORT)
_HMT_STRONG_RE = re.compile(_HMT_STRONG)


def _doc_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    norm = values
    sep = matches(values, r"[\s\-()（）a-z]")
    if sep.any():
        fixed = pc.utf8_upper(pc.replace_substring_regex(values, r"[\s\-()（）]", ""))
        norm = pc.if_else(pa.array(sep), fixed, values)
    label[matches(norm, _HMT_STRONG)] = 1
    if ctx.hint == "hmt_permit":
        label[(label == NO) & matches(norm, documents.HMT_PERMIT.pattern)] = 1
    label[(label == NO) & matches(norm, _CN_PASSPORT)] = 0
    if ctx.hint == "passport":
        label[(label == NO) & matches(norm, _ANY_PASSPORT)] = 0
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
    label = unlabelled(n)
    parts = pc.extract_regex(values, _DATE)
    idx = np.flatnonzero(as_bool(pc.is_valid(parts)))
    if idx.size:
        sub = parts.take(pa.array(idx))

        def num(name: str) -> np.ndarray:
            s = pc.struct_field(sub, name)
            return np.asarray(pc.cast(pc.if_else(pc.equal(s, ""), "0", s), pa.int32()))

        y = num("y")
        m = num("m") + num("m2")
        d = num("d") + num("d2")
        asof = ctx.as_of.year * 10000 + ctx.as_of.month * 100 + ctx.as_of.day
        ok = real_dates(y, m, d) & (y * 10000 + m * 100 + d <= asof)
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


# --- detectors ---------------------------------------------------------------------------------

IDENTITY_NUMBER = Detector("identity_number", ID_KINDS, 15, 24, "da", _id_vector, _id_scalar)

USCC = Detector("uscc", (USCC_KIND,), 18, 18, "da", _uscc_vector, _uscc_scalar)

TRAVEL_DOCUMENT = Detector("travel_document", DOC_KINDS, 5, 24, "a", _doc_vector, _doc_scalar)

TRAVEL_DOCUMENT_HINTED = Detector(
    "travel_document_hinted",
    DOC_KINDS,
    5,
    24,
    "d",
    _doc_vector,
    _doc_scalar,
    hints=("passport", "hmt_permit"),
)

BIRTH_DATE = Detector(
    "birth_date", (BIRTH_KIND,), 8, 32, "d", _birth_vector, _birth_scalar, hints=("birth_date",)
)
