"""Bad input is a clear error naming file, line or field and what was expected; never a traceback."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftzlist.errors import InputError
from ftzlist.loader import load_declaration


@pytest.fixture
def good(good_declaration: str) -> str:
    return good_declaration


def write(tmp_path: Path, text: str, name: str = "decl.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(law, path: Path) -> str:
    with pytest.raises(InputError) as exc:
        load_declaration(path, law)
    return exc.value.render()


def test_good_declaration_loads(law, tmp_path, good) -> None:
    assert load_declaration(write(tmp_path, good), law).flows[0].id == "f1"


def test_malformed_yaml_names_file_and_line(law, tmp_path, good) -> None:
    bad = good.replace("    purpose: adverse event reporting", "    purpose: [unclosed")
    msg = error_of(law, write(tmp_path, bad))
    assert "decl.yaml:12" in msg and "malformed YAML" in msg


def test_unknown_scenario_names_nearest_valid_ids(law, tmp_path, good) -> None:
    msg = error_of(law, write(tmp_path, good.replace("pharma.pharmacovigilance", "pharma.pharmacovigilence")))
    assert "unknown scenario 'pharma.pharmacovigilence'" in msg and "pharma.pharmacovigilance" in msg


def test_unknown_sector_names_nearest(law, tmp_path, good) -> None:
    msg = error_of(law, write(tmp_path, good.replace("sector: pharma", "sector: pharmaceutical")))
    assert "unknown sector 'pharmaceutical'" in msg and "nearest valid: pharma" in msg


def test_unknown_area_of_zone(law, tmp_path, good) -> None:
    msg = error_of(law, write(tmp_path, good.replace("area: xiamen", "area: quanzhou")))
    assert "unknown area of fujian-ftz 'quanzhou'" in msg


@pytest.mark.parametrize(
    ("persons", "expected"),
    [("-5", "greater than or equal to 0"), ("12.5", "valid integer"), ('"12000"', "valid integer")],
)
def test_persons_must_be_a_non_negative_integer(law, tmp_path, good, persons, expected) -> None:
    msg = error_of(law, write(tmp_path, good.replace("persons: 12000", f"persons: {persons}")))
    assert "decl.yaml:13" in msg and "persons" in msg and expected in msg


def test_date_in_unknown_format(law, tmp_path, good) -> None:
    msg = error_of(law, write(tmp_path, "as_of: 21/11/2026\n" + good))
    assert "decl.yaml:1" in msg and "as_of" in msg


def test_uscc_is_validated(law, tmp_path, good) -> None:
    msg = error_of(
        law, write(tmp_path, good.replace("  name: Test Co", "  name: Test Co\n  uscc: 91350200MA2XXXXXX0"))
    )
    assert "uscc" in msg and "check character" in msg


def test_unknown_field_is_rejected_with_its_line(law, tmp_path, good) -> None:
    msg = error_of(law, write(tmp_path, good.replace("  ciio: false", "  ciio: false\n  cioo: true")))
    assert "decl.yaml:7" in msg and "cioo" in msg


def test_empty_and_missing_files(law, tmp_path, good) -> None:
    assert "empty" in error_of(law, write(tmp_path, ""))
    assert "not found" in error_of(law, tmp_path / "nope.yaml")
    assert "expected a .yaml" in error_of(law, write(tmp_path, good, "decl.txt"))


def test_json_declaration_errors_name_line(law, tmp_path) -> None:
    assert "decl.json:1" in error_of(law, write(tmp_path, '{"handler": ', "decl.json"))


yamlish = st.text(alphabet=string.printable + "中文：，", max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yamlish)
def test_random_documents_never_crash_the_loader(law, tmp_path, text) -> None:
    path = write(tmp_path, text)
    try:
        load_declaration(path, law)
    except InputError as exc:
        assert str(path) in exc.render()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    line=st.integers(min_value=0, max_value=12),
    junk=st.sampled_from(["- x", ": :", "{", "persons: -1", "\t", "data: 3", "id: []"]),
)
def test_mutated_declarations_give_input_errors_only(law, tmp_path, good, line, junk) -> None:
    lines = good.splitlines()
    lines.insert(line, junk)
    path = write(tmp_path, "\n".join(lines))
    try:
        load_declaration(path, law)
    except InputError as exc:
        assert "decl.yaml" in exc.render()
