"""Identifier rules: known answers, and the SQL form agreeing with the scalar form value for value."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftzlist.errors import InputError
from ftzlist.identifiers import (
    Kind,
    classify,
    identity_key,
    mask,
    normalise_email,
    normalise_phone,
    normalise_resident_id,
    validate_resident_id,
)
from ftzlist.identifiers import sql as idsql
from ftzlist.identifiers.resident_id import check_char, upgrade15

VALID_18 = "11010519491231002X"  # GB 11643 Annex example
LEGACY_15 = "110105491231002"


def test_resident_id_known_answers():
    assert normalise_resident_id(VALID_18) == VALID_18
    assert normalise_resident_id(VALID_18.lower()) == VALID_18
    assert normalise_resident_id("1101 0519 4912 31002X") == VALID_18
    assert normalise_resident_id(LEGACY_15) == VALID_18  # 15 -> 18 upgrade
    assert upgrade15(LEGACY_15) == VALID_18
    assert normalise_resident_id("110105194912310021") is None  # bad check character
    assert normalise_resident_id("110105194902300026") is None  # 30 February
    assert normalise_resident_id("000000194912310020") is None  # no such area
    assert normalise_resident_id("") is None
    assert normalise_resident_id(None) is None


def test_hmt_residence_permit_and_foreign_pr_2023_share_the_resident_space():
    hk = "810000199001010" + "01"
    hk += check_char(hk)
    fpr = "9113401990010100" + "1"
    fpr += check_char(fpr)
    assert normalise_resident_id(hk) == hk
    assert identity_key(Kind.hmt_permit, hk) == f"rid:{hk}"
    assert identity_key(Kind.foreign_pr, fpr) == f"rid:{fpr}"
    assert identity_key(Kind.resident_id, fpr) == f"rid:{fpr}"
    assert identity_key(Kind.foreign_pr, "USA123456789012") == "fpr:USA123456789012"
    assert identity_key(Kind.hmt_permit, "h1234 5678") == "hmt:H12345678"


def test_validate_masks_the_value():
    with pytest.raises(InputError) as e:
        validate_resident_id("350203199001011235")
    assert "350203199001011235" not in str(e.value)
    assert "3502**********1235" in str(e.value)


def test_phone_email_passport():
    assert normalise_phone("138 0013 8000") == "+8613800138000"
    assert normalise_phone("+86-138-0013-8000") == "+8613800138000"
    assert normalise_phone("0086 13800138000") == "+8613800138000"
    assert normalise_phone("0592-5123456") == "+865925123456"
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_phone("12345") is None
    assert normalise_email("  Li.Lei@Example.COM ") == "li.lei@example.com"
    assert normalise_email("no-at-sign") is None
    assert identity_key(Kind.passport, "E1234 5678", country="cn") == "pp:CN:E12345678"
    assert identity_key(Kind.passport, "E12345678") is None  # no issuing country: never links
    assert identity_key(Kind.customer_id, " C-77 ", namespace="crm") == "cust:crm:C-77"


def test_mask():
    assert mask("350203199001011234") == "3502**********1234"
    assert mask("abc") == "a*c"
    assert mask("ab") == "**"
    assert mask(None) == ""


def test_classify():
    assert Kind.resident_id in classify(VALID_18)
    assert classify("13800138000") == [Kind.phone]
    assert classify("x@example.com") == [Kind.email]


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    c.execute("SET enable_progress_bar = false")
    idsql.install(c)
    yield c
    c.close()


def _sql_keys(con, kind, values, countries=None):
    if kind is Kind.passport:
        con.execute("CREATE OR REPLACE TEMP TABLE v (raw VARCHAR, country VARCHAR)")
        con.executemany(
            "INSERT INTO v VALUES (?, ?)", [[a, b] for a, b in zip(values, countries, strict=True)]
        )
        return {(r, c): k for r, c, k in con.execute(idsql.keys_query(kind, "SELECT * FROM v")).fetchall()}
    con.execute("CREATE OR REPLACE TEMP TABLE v (raw VARCHAR)")
    con.executemany("INSERT INTO v VALUES (?)", [[a] for a in values])
    return dict(con.execute(idsql.keys_query(kind, "SELECT raw FROM v", namespace="ns")).fetchall())


_alphabet = st.sampled_from([*list("0123456789Xx -()+.@abcHMC\t中"), "86", "138", "0086", "1101051949"])
_values = st.lists(_alphabet, min_size=0, max_size=22).map("".join)


def _perturb(base: str):
    return st.tuples(st.integers(0, len(base) - 1), st.sampled_from(list("0123456789X"))).map(
        lambda t: base[: t[0]] + t[1] + base[t[0] + 1 :]
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            _values, _perturb(VALID_18), _perturb(LEGACY_15), _perturb("13800138000"), _perturb("H12345678")
        ),
        min_size=1,
        max_size=30,
    )
)
def test_sql_form_agrees_with_scalar_form(con, values):
    for kind in (
        Kind.resident_id,
        Kind.hmt_permit,
        Kind.foreign_pr,
        Kind.phone,
        Kind.email,
        Kind.customer_id,
    ):
        got = _sql_keys(con, kind, values)
        for v in values:
            assert got[v] == identity_key(kind, v, namespace="ns"), (kind, v)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.one_of(_values, _perturb("E12345678")), st.sampled_from(["cn", "CN", " usa", "C1", "", "中国"])
        ),
        min_size=1,
        max_size=10,
    )
)
def test_sql_passport_agrees(con, pairs):
    nums, countries = [p[0] for p in pairs], [p[1] for p in pairs]
    got = _sql_keys(con, Kind.passport, nums, countries)
    for n, c in pairs:
        assert got[(n, c)] == identity_key(Kind.passport, n, country=c), (n, c)
