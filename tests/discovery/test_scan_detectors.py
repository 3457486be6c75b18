"""Known answers for every detector, near misses included, and the vector form agreeing with the
scalar form value for value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from ftzlist.discovery import synthetic as sy
from ftzlist.discovery.detectors import DETECTORS, NO, Context, classify_scalar
from ftzlist.discovery.scanner import prepare
from ftzlist.identifiers import resident_id

AS_OF = dt.date(2026, 11, 21)


def rid(area: str, birth: str, seq: str = "123") -> str:
    first17 = area + birth + seq
    return first17 + resident_id.check_char(first17)


def bad_check(number: str) -> str:
    chars = resident_id.CHECK_CHARS
    return number[:17] + chars[(chars.index(number[17]) + 1) % 11]


def uscc_code(first17: str) -> str:
    return first17 + stdnum_uscc.calc_check_digit(first17)


def bad_uscc(first17: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    good = stdnum_uscc.calc_check_digit(first17)
    return first17 + alphabet[(alphabet.index(good) + 1) % 31]


def vector_classify(values: list[str], hint: str | None = None) -> list[tuple[str, str] | None]:
    """What the scanner's vector pass makes of each value: (detector, kind) or None."""
    ctx = Context(AS_OF, hint)
    arr = pa.array(values, type=pa.string())
    vals, nbytes, cls = prepare(arr)
    assert len(vals) == len(values), "test values must be non-empty"
    from ftzlist.discovery.scanner import _LUT

    out: list[tuple[str, str] | None] = [None] * len(values)
    claimed = np.zeros(len(values), dtype=bool)
    for det in DETECTORS:
        if not det.applies(ctx):
            continue
        cand = ~claimed & _LUT[det.name][cls] & (nbytes >= det.min_bytes) & (nbytes <= det.max_bytes)
        if det.requires:
            cand &= np.array([any(r in v for r in det.requires) for v in vals.to_pylist()], dtype=bool)
        idx = np.flatnonzero(cand)
        if idx.size == 0:
            continue
        res = det.vector(vals.take(pa.array(idx)), ctx)
        for j, lab in zip(idx.tolist(), res.label.tolist(), strict=True):
            if lab != NO:
                out[j] = (det.name, det.kinds[lab].name)
                claimed[j] = True
    return out


def scalar_classify(value: str, hint: str | None = None) -> tuple[str, str] | None:
    got = classify_scalar(value, Context(AS_OF, hint))
    if got is None:
        return None
    det = next(d for d in DETECTORS if d.name == got[0])
    return det.name, det.kinds[got[1]].name


def kind_of(value: str, hint: str | None = None) -> str | None:
    v = vector_classify([value], hint)[0]
    s = scalar_classify(value, hint)
    assert v == s, f"vector {v} != scalar {s} for a {len(value)}-character value"
    return None if v is None else v[1]


CASES: list[tuple[str, str | None, str | None, str]] = [
    # value, column hint, expected kind, what it shows
    (rid("110101", "19900307"), None, "resident_id", "valid 18-digit number"),
    (rid("110101", "19900307")[:17] + "x", None, None, "lower-case x where the check is a digit"),
    (bad_check(rid("110101", "19900307")), None, None, "18 digits, bad check character"),
    (rid("110101", "19901307"), None, None, "month 13"),
    (rid("110101", "19900230"), None, None, "30 February"),
    (rid("000000", "19900307"), None, None, "area 000000 is no GB/T 2260 code"),
    ("110101" + "900307" + "123", None, "resident_id", "15-digit legacy number"),
    ("110101" + "901307" + "123", None, None, "15 digits, month 13"),
    ("110101 19900307 " + rid("110101", "19900307")[14:], None, "resident_id", "with spaces"),
    (rid("810000", "19850101"), None, "hmt_residence_permit", "Hong Kong residence permit"),
    (rid("830000", "19850101"), None, "hmt_residence_permit", "Taiwan residence permit"),
    (bad_check(rid("820000", "19850101")), None, None, "Macao permit, bad check"),
    (rid("931840", "19700101"), None, "foreign_pr", "2023 foreigner permanent-residence number"),
    ("USA197001011", None, None, "too short for the 2004 format"),
    ("USA700101123456", None, "foreign_pr", "2004 permanent-residence format"),
    (uscc_code("91350200MA2YA1B2C"), None, "uscc", "unified social credit code"),
    (uscc_code("N1350200MA2YA1B2C"), None, "uscc", "letter registration authority (stdnum rejects)"),
    (bad_uscc("91350200MA2YA1B2C"), None, None, "USCC bad check"),
    (uscc_code("91000019MA2YA1B2C"), None, None, "USCC whose registration area is no division"),
    ("1HGCM82633A004352", None, "vin", "VIN with a valid check character"),
    ("1HGCM82643A004352", None, None, "VIN, check character wrong"),
    ("12345678901234567", None, None, "17 digits are not a VIN"),
    ("6222021234567890124", None, None, "19 digits failing Luhn"),
    ("4111111111111111", None, "bank_card", "Luhn-valid 16 digits"),
    ("4111111111111112", None, None, "16 digits failing Luhn"),
    ("4111 1111 1111 1111", None, "bank_card", "card with spaces"),
    ("13812345678", None, "phone", "mainland mobile"),
    ("+86 138 1234 5678", None, "phone", "mainland mobile, +86 and spaces"),
    ("12812345678", None, None, "11 digits, not a mobile range"),
    ("+44 20 7946 0958", None, "phone", "international, libphonenumber"),
    ("010-62345678", None, "phone", "Beijing fixed line"),
    ("li.wei@example.com", None, "email", "e-mail"),
    ("li.wei@example", None, None, "no top-level domain"),
    ("192.168.10.1", None, "ip_address", "IPv4"),
    ("256.1.1.1", None, None, "octet over 255"),
    ("2001:db8::8a2e:370:7334", None, "ip_address", "IPv6"),
    ("京A12345", None, "licence_plate", "plate"),
    ("粤BD12345", None, "licence_plate", "new-energy plate"),
    ("京I12345", None, None, "letter I is never used"),
    ("31.230416,121.473701", None, "coordinates", "precise coordinates"),
    ("31.23,121.47", None, "coordinates_coarse", "coarse coordinates"),
    ("131.23,221.47", None, None, "out of range"),
    ("31.230416", "latitude", "coordinate", "latitude in a latitude column"),
    ("31.230416", None, None, "a bare decimal without a latitude column name"),
    ("E12345678", None, "passport", "PRC passport"),
    ("EA1234567", None, "passport", "PRC passport, 2nd letter form"),
    ("X1234567", "passport", "passport", "foreign passport in a passport column"),
    ("H12345678", None, "hmt_permit", "home-return permit"),
    ("12345678", "hmt_permit", "hmt_permit", "Taiwan compatriot permit in a permit column"),
    ("1990-03-07", "birth_date", "birth_date", "birth date in a birth-date column"),
    ("1990年3月7日", "birth_date", "birth_date", "Chinese date format"),
    ("1990-02-30", "birth_date", None, "impossible date"),
    ("2030-01-01", "birth_date", None, "after the assessment date"),
    ("1990-03-07", None, None, "a date without a birth-date column name"),
    ("张伟", None, "chinese_name", "two-character name"),
    ("欧阳娜娜", None, "chinese_name", "compound surname"),
    ("阿卜杜·热合曼", None, "chinese_name", "name with a middle dot"),
    ("北京", None, None, "a city, not a surname"),
    ("John Smith", "chinese_name", "name", "Latin-script name in a name column"),
    ("John Smith", None, None, "Latin-script words without a name column"),
    ("上海市浦东新区世纪大道100号", None, "address", "address"),
    ("12 Baker Street, London", None, "address", "English address"),
    ("上海", None, None, "a city is not an address"),
    ("客户来电 13812345678 要求改期", None, "phone", "mobile inside free text"),
    ("经办人身份证 " + rid("350203", "19800101") + " 已核验", None, "resident_id", "ID inside text"),
    ("经办人证件 " + bad_check(rid("350203", "19800101")) + " 已核验", None, None, "bad ID inside text"),
    ("SO1234567890", None, None, "order number"),
    ("1234.56", None, None, "amount"),
]


@pytest.mark.parametrize(("value", "hint", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_known_answer(value: str, hint: str | None, expected: str | None, why: str) -> None:
    assert kind_of(value, hint) == expected, why


def test_generated_near_misses_are_rejected() -> None:
    rng = np.random.default_rng(3)
    good = sy.resident_ids(rng, 2000).to_pylist() + sy.bank_cards(rng, 2000).to_pylist()
    bad = (
        sy.resident_ids(rng, 2000, near_miss=True).to_pylist()
        + sy.bank_cards(rng, 2000, near_miss=True).to_pylist()
    )
    bad_vins = sy.vins(rng, 500, near_miss=True).to_pylist()
    assert all(r is not None for r in vector_classify(good))
    got = vector_classify(bad + bad_vins)
    assert not any(r is not None and r[1] in ("resident_id", "bank_card", "vin") for r in got)


def test_generated_values_of_every_kind() -> None:
    rng = np.random.default_rng(5)
    n = 300
    expect = {
        "resident_id": sy.resident_ids(rng, n),
        "hmt_residence_permit": sy.hmt_permits(rng, n),
        "foreign_pr": sy.foreign_pr_2023(rng, n),
        "uscc": sy.usccs(rng, n),
        "vin": sy.vins(rng, n),
        "bank_card": sy.bank_cards(rng, n),
        "phone": sy.mobiles(rng, n),
        "email": sy.emails(rng, n),
        "ip_address": sy.ipv4s(rng, n),
        "licence_plate": sy.plates(rng, n),
        "coordinates": sy.coordinates(rng, n),
        "chinese_name": sy.chinese_names(rng, n),
        "address": sy.addresses(rng, n),
    }
    for kind, arr in expect.items():
        got = vector_classify(arr.to_pylist())
        assert {g[1] if g else None for g in got} == {kind}, kind
    legacy = vector_classify(sy.legacy_ids(rng, n).to_pylist())
    assert {g[1] for g in legacy if g} == {"resident_id"} and all(legacy)


def test_id_keys_agree_with_identifiers_module() -> None:
    """The vector path's normalised key is `normalise_resident_id`'s, for 18- and 15-digit numbers."""
    rng = np.random.default_rng(9)
    values = sy.resident_ids(rng, 500).to_pylist() + sy.legacy_ids(rng, 500).to_pylist()
    det = next(d for d in DETECTORS if d.name == "identity_number")
    res = det.vector(pa.array(values), Context(AS_OF))
    assert res.keys.to_pylist() == [resident_id.normalise_resident_id(v) for v in values]


def test_minor_flag_at_the_14th_birthday() -> None:
    det = next(d for d in DETECTORS if d.name == "identity_number")
    values = [rid("110101", "20121121"), rid("110101", "20121122"), rid("110101", "20000101")]
    res = det.vector(pa.array(values), Context(AS_OF))
    # born 2012-11-21 turns 14 on the assessment date: no longer under 14
    assert res.minor.tolist() == [False, True, False]


_ALPHABET = "0123456789Xx +-.@,:年月日ABCEHMabc京粤张伟市区路号·"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=_ALPHABET, min_size=1, max_size=24).filter(lambda s: s.strip()),
        min_size=1,
        max_size=20,
    )
)
def test_vector_and_scalar_agree_on_arbitrary_strings(values: list[str]) -> None:
    for hint in (None, "passport"):
        vec = vector_classify(values, hint)
        assert vec == [scalar_classify(v, hint) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["110101", "810000", "931840", "350203"]))
def test_vector_and_scalar_agree_on_near_valid_numbers(seed: int, area: str) -> None:
    rng = np.random.default_rng(seed)
    ids = sy.resident_ids(rng, 5, area=area).to_pylist()
    mutated = [
        v[:k] + str((int(v[k]) + 1) % 10) + v[k + 1 :] for v in ids for k in (int(rng.integers(0, 17)),)
    ]
    values = ids + mutated + [v[:6] + v[8:17] for v in ids]
    assert vector_classify(values) == [scalar_classify(v) for v in values]
