"""Filing packages between two deployments: the handler exports, the agency imports; every hash
is checked, nothing is lost or altered on the way, and a changed or incomplete package is refused
naming the file that is wrong."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

from ftzlist.agency.desk import Desk, DeskScope
from ftzlist.agency.package import export_package, import_package, package_document, read_package, sha256
from ftzlist.calendar import WorkingCalendar
from ftzlist.errors import InputError
from ftzlist.filings.content import FiledContent
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.filings.register import Register
from ftzlist.loader import load_law

D = dt.date
LAW = load_law()
CAL = WorkingCalendar.load()
CONTENT = FiledContent.model_validate(
    {
        "scenario": "pharma.clinical_trial",
        "purpose": "global safety database 全球安全数据库",
        "recipient": {"name": "Acme Pharma AG", "country": "CH"},
        "items": [
            {"id": "subject_id", "category": "pi.basic", "persons": 800},
            {"id": "adverse_event", "category": "pi.health", "sensitive": True, "persons": 120},
        ],
        "list_subcategories": ["fj25.pharma.clinical_trial"],
        "persons": 800,
    }
)


def register(path, actor: str) -> Register:
    return Register.open(
        f"sqlite:///{path}", calendar=CAL, procedures=ProcedureBook.from_law(LAW), actor=actor
    )


@pytest.fixture
def handler_side(tmp_path):
    reg = register(tmp_path / "handler.sqlite3", "acme-dpo")
    reg.add_handler("acme", "Acme (Xiamen) Ltd")
    reg.add_flow("acme", "crm", scenario="pharma.clinical_trial", purpose="pv")
    key = reg.open_proceeding("acme", "crm", "fj.list_filing", D(2026, 3, 2))
    Desk(reg, LAW, None).address(key, "fujian-ftz/xiamen", D(2026, 3, 2))
    reg.record_step(key, "area_notice", D(2026, 3, 5))
    reg.snapshot_decision(
        "acme",
        "crm",
        as_of=D(2026, 3, 1),
        pathway="exempt",
        list_versions={"fujian-ftz-2025": "ab" * 32},
        input_hash="cd" * 32,
        engine_version="test",
        decision={"flow_id": "crm", "pathway": "exempt", "reasons": ["off the list"]},
    )
    reg.record_filing(key, D(2026, 3, 10), CONTENT)
    yield reg, key
    reg.close()


def test_export_then_import_loses_and_alters_nothing(handler_side, tmp_path):
    reg, key = handler_side
    zpath = export_package(reg, key, tmp_path / "p.zip")
    names = set(zipfile.ZipFile(zpath).namelist())
    assert names == {
        "filing.json",
        "filing.json.sha256",
        "decision-snapshot.json",
        "materials.pdf",
        "manifest.json",
    }
    assert zipfile.ZipFile(zpath).read("materials.pdf").startswith(b"%PDF")

    agency = register(tmp_path / "agency.sqlite3", "xm-officer")
    desk = Desk(agency, LAW, DeskScope("fujian-ftz", "xiamen"))
    new = import_package(desk, zpath.read_bytes(), where="p.zip")
    theirs, snap = package_document(reg, key)
    ours, our_snap = package_document(agency, new)
    # the same proceeding, step for step and filing for filing
    assert ours["steps"] == theirs["steps"] and ours["filings"] == theirs["filings"]
    assert ours["filings"][0]["content"] == CONTENT.model_dump(mode="json")
    assert ours["proceeding"]["addressed_to"] == "fujian-ftz/xiamen"
    assert ours["handler"] == theirs["handler"] and ours["flow"] == theirs["flow"]
    assert our_snap["decision"] == snap["decision"] and our_snap["input_hash"] == snap["input_hash"]
    details = ours["applications"][0]["details"]
    assert details["handler_key_of_proceeding"] == key and details["snapshot_sha256"] == snap["sha256"]
    assert details["package_sha256"] == sha256(zipfile.ZipFile(zpath).read("filing.json"))
    # the agency's clock is computed on its side: opinion within 5 working days of the filing
    q = [r for r in desk.queue(D(2026, 3, 11)) if r.side == "agency"]
    assert [(r.due.proceeding, r.due.due_on) for r in q] == [(new, D(2026, 3, 17))]
    # once only
    with pytest.raises(InputError, match="imported before"):
        import_package(desk, zpath.read_bytes())
    # another desk does not take it
    fz = Desk(agency, LAW, DeskScope("fujian-ftz", "fuzhou"))
    with pytest.raises(InputError, match="not to this desk"):
        import_package(fz, zpath.read_bytes())
    agency.close()


def rezip(zpath, change) -> bytes:
    members = {n: zipfile.ZipFile(zpath).read(n) for n in zipfile.ZipFile(zpath).namelist()}
    change(members)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    return buf.getvalue()


def _alter_filing(m):
    m["filing.json"] = m["filing.json"].replace(b'"persons": 800', b'"persons": 80')


def _alter_both(m):
    _alter_filing(m)
    manifest = json.loads(m["manifest.json"])
    manifest["files"]["filing.json"] = sha256(m["filing.json"])
    m["manifest.json"] = json.dumps(manifest).encode()


def _alter_all_hashes(m):
    _alter_both(m)
    m["filing.json.sha256"] = (sha256(m["filing.json"]) + "  filing.json\n").encode()
    manifest = json.loads(m["manifest.json"])
    manifest["files"]["filing.json.sha256"] = sha256(m["filing.json.sha256"])
    m["manifest.json"] = json.dumps(manifest).encode()


def _alter_snapshot(m):
    snap = json.loads(m["decision-snapshot.json"])
    snap["pathway"] = "standard_contract_or_certification"
    m["decision-snapshot.json"] = json.dumps(snap).encode()
    manifest = json.loads(m["manifest.json"])
    manifest["files"]["decision-snapshot.json"] = sha256(m["decision-snapshot.json"])
    m["manifest.json"] = json.dumps(manifest).encode()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (_alter_filing, "filing.json: SHA-256 differs from the manifest"),
        (_alter_both, "filing.json: SHA-256 differs from filing.json.sha256"),
        (_alter_snapshot, "decision-snapshot.json: its content no longer matches"),
        (lambda m: m.pop("materials.pdf"), "lacks materials.pdf"),
        (lambda m: m.update({"extra.exe": b"MZ"}), "not part of a filing package: extra.exe"),
        (lambda m: m.update({"materials.pdf": b"%PDF-1.7 other"}), "materials.pdf: SHA-256 differs"),
    ],
)
def test_an_altered_or_incomplete_package_is_refused(handler_side, tmp_path, change, words):
    reg, key = handler_side
    zpath = export_package(reg, key, tmp_path / "p.zip")
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(".", r"\.")):
        read_package(rezip(zpath, change))


def test_consistent_rehashing_is_caught_by_the_snapshot_or_lands_as_a_new_content(handler_side, tmp_path):
    """Someone who recomputes every hash has made a new package; what it says is what is imported
    (nothing the agency could tell from a genuine one), which is why the package hash is kept with
    the imported application for comparison with the handler's copy."""
    reg, key = handler_side
    zpath = export_package(reg, key, tmp_path / "p.zip")
    doc, _, digest = read_package(rezip(zpath, _alter_all_hashes))
    assert digest != sha256(zipfile.ZipFile(zpath).read("filing.json"))
    assert doc["filings"][0]["content"]["persons"] == 80


def test_not_a_zip_and_nothing_filed(handler_side, tmp_path):
    reg, _ = handler_side
    with pytest.raises(InputError, match="not a zip file"):
        read_package(b"PK?not really")
    key2 = reg.open_proceeding("acme", "crm", "fj.list_filing", D(2026, 4, 1))
    with pytest.raises(InputError, match="nothing has been filed yet"):
        export_package(reg, key2, tmp_path / "q.zip")
