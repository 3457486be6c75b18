"""`lists impact OLD NEW --register`: every flow filed under the old edition that the new one changes,
and whether the change is material (a fresh filing), read from the list's change triggers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

from ftzlist.calendar import bundled_calendar
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.filings.register import Register
from ftzlist.loader import load_law


class Run(NamedTuple):
    exit_code: int
    output: str


def cli(*args: str) -> Run:
    """`ftzlist ARGS` through `ftzlist.cli.main`, as the command line runs it."""
    import contextlib
    import io

    from ftzlist.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return Run(code, out.getvalue())


FIX = Path(__file__).parents[1] / "fixtures" / "lists"
NEXT = str(FIX / "fujian-ftz-2027.yaml")
VOC = str(FIX / "vocabulary")
DECL = Path(__file__).parent / "declarations" / "retail-fujian.yaml"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    law = load_law()
    reg = Register.open(
        url, calendar=bundled_calendar(), procedures=ProcedureBook.from_law(law), actor="tester"
    )
    doc = yaml.safe_load(DECL.read_text(encoding="utf-8"))
    reg.add_handler("xm-retail", "Xiamen Example Retail Co.", zone="fujian-ftz")
    for flow in doc["flows"]:
        stored = {"handler": doc["handler"], "flow": flow} if flow["id"] == "members" else None
        reg.add_flow("xm-retail", flow["id"], scenario=flow["scenario"], declaration=stored)
        reg.open_proceeding(
            "xm-retail", flow["id"], "fj.list_filing", dt.date(2026, 3, 2), list_id="fujian-ftz-2025"
        )
    reg.add_handler("other", "Someone Else Ltd")
    reg.add_flow("other", "hr", declaration={"handler": doc["handler"], "flow": doc["flows"][0]})
    reg.close()
    return url


def test_filed_flows_the_new_edition_changes(db: str) -> None:
    r = cli(
        "lists",
        "impact",
        "fujian-ftz-2025",
        NEXT,
        "--register",
        "--db",
        db,
        "--lists",
        VOC,
        "--as-of",
        "2026-06-01",
    )
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "2 flow(s) filed under fujian-ftz-2025" in text  # the flow of 'other' has no proceeding
    assert "xiamen-retail" not in text
    assert (
        "xm-retail / members (FJ-2026-0001): standard_contract_or_certification → exempt (lighter; newly off the list)"
        in text
    )
    assert "material: fresh application" in text
    # no declaration for app-accounts in the register: not judged, and said so
    assert "xm-retail / app-accounts (FJ-2026-0002): not judged" in text
    assert "1 of 1 judged flow(s) change; 1 need a fresh filing; 1 not judged" in text


def test_a_declaration_file_fills_what_the_register_lacks(db: str) -> None:
    r = cli(
        "lists", "impact", "fujian-ftz-2025", NEXT, str(DECL), "--register", "--db", db, "--lists", VOC,
        "--as-of", "2026-06-01", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    flows = {f["flow"]: f for f in doc["flows"]}
    assert set(flows) == {"members", "app-accounts"} and doc["not_judged"] == []
    members = flows["members"]
    assert (members["old"], members["new"], members["list_change"]) == (
        "standard_contract_or_certification", "exempt", "newly_off"
    )  # fmt: skip
    assert members["material"] is True and "fresh application" in members["why"]
    assert flows["app-accounts"]["material"] is None  # nothing changed: nothing to file


def test_needs_a_declaration_or_the_register(tmp_path: Path) -> None:
    r = cli("lists", "impact", "fujian-ftz-2025", NEXT, "--lists", VOC)
    assert r.exit_code == 2 and "expected one declaration file" in r.output
