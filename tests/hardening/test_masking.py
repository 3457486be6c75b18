"""Issue 11, identifiers that leak: the one masking function (`shown`) and secrets in URLs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftzlist.identifiers.masking import mask, message, redact, redact_secrets, safe_url, shown, visible

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
    ("grouped", "run"),
    [
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("6222 0212 3456 7890 123", "6222021234567890123"),
        ("3502 0319 9001 0112 34", "350203199001011234"),  # an identity number typed in groups
    ],
)
def test_mask_treats_grouped_digits_as_the_run_they_stand_for(grouped, run):
    """Separators never let more digits through: `138 0013 8000` shows what `13800138000` shows."""
    assert mask(grouped) == mask(run)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no list '350203199001011234'", "no list '3502**********1234'"),
        ("unknown filing '138 0013 8000'", "unknown filing '138*****000'"),
        ("logs/export-20250301.csv:3: bad date", "logs/export-20250301.csv:3: bad date"),
        ("/tmp/pytest-1234567/t0/decl.yaml:4: x", "/tmp/pytest-1234567/t0/decl.yaml:4: x"),
        ("cannot open postgresql://u:pw@db:5432/reg", "cannot open postgresql://u:***@db:5432/reg"),
        ("latest: FJ-2026-0001, LG24-2026-0012", "latest: FJ-2026-0001, LG24-2026-0012"),
        ("li.lei@example.com wrote x", "li.l**********.com wrote x"),
        ("on 2026-03-31, 1,000,000 persons", "on 2026-03-31, 1,000,000 persons"),
        ("cannot read '2025-13-45' as a date", "cannot read '2025-13-45' as a date"),
        ("big.csv:12345678: line 12345678: bad", "big.csv:12345678: line 12345678: bad"),
        ("sheet 'flows' cell C200000 (row 1200000)", "sheet 'flows' cell C200000 (row 1200000)"),
        ("rows 1234567; value 13800138000", "rows 1234567; value 138*****000"),
    ],
)
def test_messages_mask_values_and_keep_places(text, expected):
    assert message(text) == expected
    assert message(expected) == expected  # idempotent: a message may pass twice


def test_input_errors_are_masked_wherever_they_are_shown():
    from ftzlist.errors import InputError, Problem

    e = InputError(
        "no list '6222 0212 3456 7890 123'",
        where="decl.yaml",
        problems=["got 13800138000", Problem("bad", where="E12345678", loc=("flows", 0, "li@x.cn"))],
    )
    text = e.render()
    for raw in ("6222 0212", "13800138000", "E12345678", "li@x.cn"):
        assert raw not in text
    assert text.startswith("decl.yaml: no list '6222")


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


def test_message_keeps_text_encoding_names_and_still_masks_digit_runs() -> None:
    """`--encoding gb18030` in an error is advice the user must be able to follow; a digit run
    beside it is still masked."""
    out = message("not utf-8 text; pass --encoding gb18030 (or GB2312); phone 13800138000")
    assert "--encoding gb18030" in out and "GB2312" in out
    assert "13800138000" not in out
