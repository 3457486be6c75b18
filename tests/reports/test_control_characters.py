"""Control characters in free text (a purpose, a recipient, a handler name) reach every writer as
visible stand-ins: no writer crashes after the assessment succeeded, and nothing is dropped
(issue 11: "control characters in a purpose crash the xlsx and docx writers")."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.xmltext import has_illegal, xml_safe

BAD = "\x00\x07\x08\x0b\x0c\x1b\x1f"


@given(st.text())
def test_xml_safe_output_is_always_storable(text):
    out = xml_safe(text)
    assert not has_illegal(out)
    assert len(out) == len(text)  # one stand-in per character: nothing dropped


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xD7FF)))
def test_xml_safe_leaves_legal_text_alone(text):
    assert xml_safe(text + "\t\n\r") == text + "\t\n\r"


def test_each_control_character_has_its_control_picture():
    assert xml_safe("a\x07b\x1bc\x00") == "a\u2407b\u241bc\u2400"
    assert xml_safe("\ud800\ufffe") == "\ufffd\ufffd"


@pytest.fixture
def dirty(tmp_path) -> Path:
    decl = {
        "version": 1,
        "as_of": "2026-03-31",
        "handler": {"name": f"Dirty{BAD} Co.", "zone": None, "ciio": False, "penalties_past_2y": [f"x{BAD}"]},
        "flows": [
            {
                "id": "f",
                "recipient": {"name": f"R{BAD}", "country": "SG"},
                "purpose": "purpose with bell\x07 and escape\x1b[31m",
                "data": [{"id": "a", "category": "contact.email", "subject": "customer", "persons": 150000}],
            }
        ],
    }
    path = tmp_path / "dirty.json"
    path.write_text(json.dumps(decl), encoding="utf-8")
    return path


def _xml_parts(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "--format", "xlsx"],
        ["report", "--format", "xlsx"],
        ["report", "--format", "docx"],
        ["report", "--format", "html"],
        ["report", "--format", "pdf"],
        ["report", "--kind", "filing", "--format", "docx"],
        ["report", "--kind", "filing", "--format", "xlsx"],
    ],
)
def test_every_writer_survives_control_characters(dirty, tmp_path, args):
    runner = CliRunner()
    assert runner.invoke(app, ["assess", str(dirty)]).exit_code in (0, 1)  # the table run succeeds
    out = tmp_path / ("out." + args[-1])
    r = runner.invoke(app, [args[0], str(dirty), *args[1:], "--out", str(out)])
    assert r.exit_code in (0, 1), r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert out.stat().st_size > 0
    if out.suffix in (".xlsx", ".docx"):
        xml = _xml_parts(out)
        assert not has_illegal(xml)
    if out.suffix == ".xlsx" and args[0] == "assess":
        flows = openpyxl.load_workbook(out)["flows"]
        purposes = [flows.cell(r, 5).value for r in range(2, flows.max_row + 1)]
        assert "purpose with bell\u2407 and escape\u241b[31m" in purposes
    if out.suffix == ".docx" and "--kind" not in args:
        text = "\n".join(c.text for t in docx.Document(str(out)).tables for row in t.rows for c in row.cells)
        assert "purpose with bell\u2407 and escape\u241b[31m" in text
    if out.suffix == ".html":
        assert "bell\u2407" in out.read_text(encoding="utf-8")
