"""Issue 11, inputs that change the answer silently: YAML 1.1 number forms, dates written as
numbers, duplicate keys (YAML and JSON), huge and deeply nested documents. Each is refused with the
file and line named, exit code 2, never read as some other value."""

from __future__ import annotations

import json

import pytest

from ftzlist.errors import EXIT_INVALID, InputError
from ftzlist.schema.declaration import Declaration
from ftzlist.yamlio import MAX_DEPTH, load_model, parse

from .conftest import DECLARATION, run_main


def refused(path) -> str:
    """The full message (with its problems) of the InputError reading `path` as a declaration."""
    with pytest.raises(InputError) as e:
        load_model(Declaration, path)
    return e.value.render()


def _write(tmp_path, text, name="decl.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("012000", "octal"),  # YAML 1.1: 5,120 -> the flow would turn exempt
        ("0012000", "octal"),
        ("-012000", "octal"),
        ("3:20:00", "base-60"),  # YAML 1.1: 12,000
        ("200:00", "base-60"),
        ("12_000", "underscores"),
        ("0x2EE0", "plain decimals"),
        ("0o27340", "plain decimals"),
        ("0b10111011100000", "plain decimals"),
        (".inf", "finite"),
        (".nan", "finite"),
        ("-.inf", "finite"),
    ],
)
def test_yaml_11_number_forms_are_refused_with_the_line(tmp_path, written, why):
    p = _write(tmp_path, DECLARATION.replace("persons: 12000", f"persons: {written}"))
    with pytest.raises(InputError) as e:
        load_model(Declaration, p)
    msg = e.value.render()
    assert f"{p}:14" in msg, msg  # the data line
    assert why in msg and "quote it if it is text" in msg


def test_octal_persons_through_the_cli_exit_2_and_no_decision(declaration):
    declaration.write_text(DECLARATION.replace("persons: 12000", "persons: 012000"), encoding="utf-8")
    r = run_main("assess", str(declaration), "--format", "json")
    assert r.code == EXIT_INVALID
    assert f"{declaration}:14" in r.err and "write 12000" in r.err
    assert r.out == "" and "Traceback" not in r.err


@pytest.mark.parametrize("written", ["12000", "+12000"])
def test_plain_decimals_still_read(tmp_path, written):
    p = _write(tmp_path, DECLARATION.replace("persons: 12000", f"persons: {written}"))
    assert load_model(Declaration, p).flows[0].data[0].persons == 12000


@pytest.mark.parametrize("written", ["12000.0", "1.2e4", "12000.5"])
def test_counts_written_as_fractions_are_refused(tmp_path, written):
    p = _write(tmp_path, DECLARATION.replace("persons: 12000", f"persons: {written}"))
    assert f"{p}:14" in refused(p)


@pytest.mark.parametrize("written", ['"012000"', '"3:20:00"', "true", '"1.2e4"', '"12000"'])
def test_counts_written_as_text_or_booleans_are_refused(tmp_path, written):
    """Quoted, `012000` is text, which pydantic's lax mode would read as 12000; `true` would be 1."""
    p = _write(tmp_path, DECLARATION.replace("persons: 12000", f"persons: {written}"))
    msg = refused(p)
    assert f"{p}:14" in msg and "persons" in msg


def test_a_lax_model_still_gets_counts_as_written():
    """Models that are not strict (mappings, filed content) get the same rule from `yamlio.validate`."""
    import datetime as dt

    from pydantic import BaseModel

    from ftzlist.yamlio import validate

    class Lax(BaseModel):
        n: int
        d: dt.date
        f: float

    text = 'n: "012000"\nd: 1711065600\nf: 1.5\n'
    with pytest.raises(InputError) as e:
        validate(Lax, parse(text, "x.yaml"), text, "x.yaml")
    msg = e.value.render()
    assert "x.yaml:1: n: '012000' is not a plain decimal integer" in msg
    assert "x.yaml:2: d: '171****600' is not a date written as YYYY-MM-DD" in msg  # 10 digits: masked
    assert msg.index("x.yaml:1") < msg.index("x.yaml:2")
    text = "n: true\nd: 2024-03-22\nf: 1.5\n"
    with pytest.raises(InputError) as e:
        validate(Lax, parse(text, "x.yaml"), text, "x.yaml")
    assert "x.yaml:1: n: expected a whole number, got True" in e.value.render()
    assert validate(Lax, parse("n: 12\nd: 2024-03-22\nf: 2\n", "x.yaml"), None, "x.yaml").n == 12


@pytest.mark.parametrize(
    "written", ["1711065600", '"1711065600"', "20240322", "2024-3-22", '"2024-03-22T00:00:00"', "1.5"]
)
def test_dates_must_be_iso(tmp_path, written):
    p = _write(tmp_path, DECLARATION.replace("as_of: 2026-03-31", f"as_of: {written}"))
    with pytest.raises(InputError) as e:
        load_model(Declaration, p)
    msg = e.value.render()
    assert f"{p}:1" in msg and "as_of" in msg


def test_iso_date_reads(tmp_path):
    import datetime as dt

    p = _write(tmp_path, DECLARATION)
    assert load_model(Declaration, p).as_of == dt.date(2026, 3, 31)


def test_json_dates_and_counts_follow_the_same_rules(tmp_path):
    doc = parse(DECLARATION, "x.yaml")
    doc["as_of"] = 1711065600
    p = _write(tmp_path, json.dumps(doc, indent=1), "d.json")
    assert "YYYY-MM-DD" in refused(p)
    doc["as_of"] = "2026-03-31"
    doc["flows"][0]["data"][0]["persons"] = True
    p.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    assert f"{p}:23" in refused(p)


def test_yaml_duplicate_keys_name_both_lines(tmp_path):
    text = DECLARATION.replace(
        "{category: health.adverse_event, subject: patient, persons: 12000}",
        "{category: health.adverse_event, subject: patient, persons: 12000, persons: 900}",
    )
    assert "key 'persons' appears twice in one mapping (lines 14 and 14)" in refused(_write(tmp_path, text))
    text = DECLARATION.replace("  ciio: false\n", "  ciio: false\n  ciio: true\n")
    with pytest.raises(InputError) as e:
        load_model(Declaration, _write(tmp_path, text))
    assert "key 'ciio' appears twice in one mapping (lines 7 and 8)" in str(e.value)
    assert ":8" in str(e.value)


def test_json_duplicate_keys_name_both_lines(tmp_path):
    text = '{\n  "handler": {\n    "name": "A",\n    "ciio": false,\n    "ciio": true\n  }\n}\n'
    with pytest.raises(InputError) as e:
        load_model(Declaration, _write(tmp_path, text, "d.json"))
    assert "key 'ciio' appears twice in one object (lines 4 and 5)" in str(e.value)


def test_json_nested_100000_deep_is_an_input_error(tmp_path):
    p = _write(tmp_path, "[" * 100_000 + "]" * 100_000, "deep.json")
    r = run_main("assess", str(p))
    assert r.code == EXIT_INVALID and f"nested deeper than {MAX_DEPTH} levels" in r.err
    assert "Traceback" not in r.err


def test_yaml_nested_deep_is_an_input_error(tmp_path):
    p = _write(tmp_path, "a: " + "[" * 100 + "]" * 100)
    with pytest.raises(InputError, match="nested deeper"):
        load_model(Declaration, p)
    p = _write(tmp_path, "a: " + "[" * 100_000)
    with pytest.raises(InputError, match="malformed YAML"):
        load_model(Declaration, p)


@pytest.mark.parametrize("name", ["big.json", "big.yaml"])
def test_5000_digit_integer_is_an_input_error(tmp_path, name):
    doc = parse(DECLARATION, "x.yaml")
    doc["as_of"] = "2026-03-31"
    text = json.dumps(doc).replace("12000", "9" * 5000)
    p = _write(tmp_path, text, name)
    r = run_main("assess", str(p))
    assert r.code == EXIT_INVALID and "more than 18 digits" in r.err
    assert "9" * 30 not in r.err


def test_billion_laughs_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    p = _write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(InputError, match="expands to more than"):
        load_model(Declaration, p)


@pytest.mark.parametrize(
    "text",
    ["x: !!timestamp 2024-01-01", "x: !!binary aGVsbG8=", "x: !!set {a}", "x: !custom 1", "<<: {a: 1}"],
)
def test_unusual_tags_are_refused_or_plain(text):
    with pytest.raises(InputError):
        parse(text + "\n", "x.yaml") if "<<" not in text else load_model_text(text)


def load_model_text(text):
    from ftzlist.yamlio import validate

    return validate(Declaration, parse(text, "x.yaml"), text, "x.yaml")


def test_norway_is_a_country_not_false():
    assert parse("country: NO\nciio: no\nx: yes\n", "x.yaml") == {"country": "NO", "ciio": "no", "x": "yes"}


def test_yes_and_no_still_answer_yes_no_fields(tmp_path):
    p = _write(tmp_path, DECLARATION.replace("ciio: false", "ciio: no"))
    assert load_model(Declaration, p).handler.ciio is False


def test_standard_input(declaration):
    from .conftest import run_cli

    r = run_cli("assess", "-", "--format", "json", stdin=DECLARATION)
    assert r.code in (0, 1), r.err
    assert json.loads(r.out)["flows"][0]["flow_id"] == "f1"
    r = run_cli("assess", "-", stdin="persons: 012000\n")
    assert r.code == EXIT_INVALID and "<stdin>:1" in r.err
