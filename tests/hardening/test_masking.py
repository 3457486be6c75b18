"""Issue 11, identifiers that leak: the one masking function (`shown`) and secrets in URLs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftzlist.identifiers.masking import mask, redact, redact_secrets, safe_url, shown, visible

RAW = [
    "6222 0212 3456 7890 123",  # a bank card in groups of four
    "6222-0212-3456-7890-123",
    "138 0013 8000",  # a mobile number as people say it
    "138-0013-8000",
    "+86 138 0013 8000",
    "13800138000",
    "350203199001011234",
    "35020319900101123X",
    "li.lei@example.com",
    "E12345678",
]


@pytest.mark.parametrize("value", RAW)
def test_identifiers_never_shown_raw(value):
    for text in (value, f"cannot read '{value}' as a date", f"columns: name,{value},x"):
        out = shown(text)
        assert value not in out
        digits = "".join(ch for ch in value if ch.isdigit())
        assert not digits or digits not in "".join(ch for ch in out if ch.isdigit())
        assert value not in shown(text, data=True)


def test_space_separated_groups_are_masked_whole():
    assert shown("card 6222 0212 3456 7890 123 declined") == "card 6222***********0123 declined"
    assert shown("cannot read '138 0013 8000' as a date") == "cannot read '138*****000' as a date"


def test_ordinary_values_stay_readable():
    for v in (
        "persons: 12000",
        "2026-03-31",
        "2026/06/30",
        "health.adverse_event",
        "line 12:5",
        "fujian-ftz-2025",
    ):
        assert shown(v) == v


def test_data_values_are_masked_whole():
    assert shown("王小明", data=True) == "***"
    assert shown("13800138000", data=True) == "13*******00"
    assert shown("1990-01-01", data=True) == "19******01"


def test_long_values_are_cut_and_controls_visible():
    assert len(shown("x" * 5000)) == 60
    assert shown("a\x1b[31mb\x07") == "a␛[31mb␇"
    assert visible("a\u202eb") == "a<U+202E>b"


def test_mask_keeps_its_contract():
    assert mask("350203199001011234") == "3502**********1234"
    assert mask("abc") == "a*c" and mask(None) == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://ftz:s3cr%40t@db.example:5432/reg", "postgresql://ftz:***@db.example:5432/reg"),
        ("postgresql://ftz:p@ss@w0rd@db/reg", "postgresql://ftz:***@db/reg"),
        (
            "postgresql+psycopg://u:pw@h/d?sslpassword=zz&x=1",
            "postgresql+psycopg://u:***@h/d?sslpassword=***&x=1",
        ),
        ("postgresql://u@h/d", "postgresql://u@h/d"),
        ("sqlite:////tmp/reg.db", "sqlite:////tmp/reg.db"),
        ("host=db user=u password=hunter2 dbname=r", "host=db user=u password=*** dbname=r"),
    ],
)
def test_secrets_are_removed(url, expected):
    assert safe_url(url) == expected
    assert redact_secrets(f"could not parse '{url}'") == f"could not parse '{expected}'"


digit_groups = st.lists(st.text("0123456789", min_size=3, max_size=5), min_size=3, max_size=5)


@given(groups=digit_groups, sep=st.sampled_from([" ", "-", ".", "\u00a0"]))
def test_any_grouped_digit_run_is_masked(groups, sep):
    value = sep.join(groups)
    digits = "".join(groups)
    out = redact(f"value {value} here")
    assert digits not in "".join(ch for ch in out if ch.isdigit()) or len(digits) < 7


@given(st.text(max_size=200))
def test_shown_never_raises_and_never_prints_controls(text):
    out = shown(text)
    assert len(out) <= 60
    assert not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in out)
