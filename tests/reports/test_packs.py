"""Filing packs for the four examples: the right documents for each pathway, every field of the
input where it should be (with its source), every gap marked, the guide's structure kept, the
rendered DOCX and PDF holding the same values and sources, and no raw identifier anywhere."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.engine import decide
from ftzlist.loader import load_declaration
from ftzlist.reports import labels as T
from ftzlist.reports.packs import draft, write_documents
from ftzlist.reports.packs.guides import registry
from ftzlist.reports.packs.model import Field, PackDocument
from ftzlist.reports.text import free_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# Which documents each example's decision calls for (known answers, from the examples' comments).
EXPECTED = {
    "fuzhou-connected-vehicles": {
        "scc-annex-1-minjiang-auto-europe-gmbh": ["telematics", "test-fleet"],
        "scc-impact-assessment": ["telematics", "test-fleet"],
        "sa-declaration-form": ["adas"],
        "sa-self-assessment": ["adas"],
        "zone-application-fujian-ftz-2025": ["telematics", "test-fleet", "adas"],
        "zone-filing-fujian-ftz-2025-telematics": ["telematics"],
        "zone-filing-fujian-ftz-2025-test-fleet": ["test-fleet"],
        "zone-filing-fujian-ftz-2025-adas": ["adas"],
    },
    "outside-zone-logistics": {
        "scc-annex-1-routesmart-b-v": ["couriers"],
        "scc-impact-assessment": ["couriers"],
    },
    "pingtan-hotel-membership": {
        "scc-annex-1-blue-bay-hospitality-international-pte-l": ["loyalty"],
        "scc-impact-assessment": ["loyalty"],
        "zone-application-fujian-ftz-2025": ["loyalty", "stored-cards", "analytics"],
        "zone-filing-fujian-ftz-2025-loyalty": ["loyalty"],
        "zone-filing-fujian-ftz-2025-stored-cards": ["stored-cards"],
        "zone-filing-fujian-ftz-2025-analytics": ["analytics"],
    },
    "xiamen-pharma": {
        "scc-annex-1-haixia-biologics-inc-sponsor": ["trial"],
        "scc-annex-2-ecoa-systems-ltd": ["dct"],
        "scc-annex-3-haixia-biologics-inc-global-safety": ["pv"],
        "scc-impact-assessment": ["trial", "dct", "pv"],
        "zone-application-fujian-ftz-2025": ["trial", "dct", "pv", "hcp"],
        "zone-filing-fujian-ftz-2025-trial": ["trial"],
        "zone-filing-fujian-ftz-2025-dct": ["dct"],
        "zone-filing-fujian-ftz-2025-pv": ["pv"],
        "zone-filing-fujian-ftz-2025-hcp": ["hcp"],
    },
}

# Where each input field must appear, by document kind. `flow.*` and `item.*` are per covered flow
# and per data item of it; a field the input leaves empty must appear as a gap with that source.
HANDLER_ALL = ["name", "uscc", "zone", "sector", "ciio"]
HOLDINGS = [
    "holdings.persons_pi",
    "holdings.persons_sensitive",
    "holdings.persons_sensitive_accounts_or_medical",
]
FLOW_ALL = ["id", "scenario", "purpose", "recipient.name", "recipient.country", "exemption"]
ITEM_ALL = [
    *("id", "category", "subject", "sensitive", "persons", "records", "important_data", "core_data"),
    *("export_controlled", "anonymised", "cleared", "suggested", "persons_source"),
]
WHERE = {
    "scc_annex": (
        ["name"],
        ["purpose", "scenario", "recipient.name", "recipient.country"],
        ["id", "category", "persons"],
    ),
    "scc_pia": ([*HANDLER_ALL, "area", "enterprise_type", *HOLDINGS], FLOW_ALL, ITEM_ALL),
    "sa_declaration": ([*HANDLER_ALL, "area", "enterprise_type", *HOLDINGS], FLOW_ALL, ITEM_ALL),
    "sa_self_assessment": ([*HANDLER_ALL, "area", "enterprise_type", *HOLDINGS], FLOW_ALL, ITEM_ALL),
    "zone_application": ([*HANDLER_ALL, "area", "enterprise_type", "penalties_past_2y"], [], []),
    "zone_filing": ([], FLOW_ALL, ITEM_ALL),
}


@pytest.fixture(scope="module", params=[p.stem for p in EXAMPLES])
def case(request, law):
    decl = load_declaration(ROOT / "examples" / f"{request.param}.yaml", law)
    ds = decide(decl, law, decl.as_of)
    return request.param, decl, ds, draft(decl, ds, law)


def resolve(decl, path: str):
    """The declaration's value at a source path such as `flows[pv].data[icsr].persons`."""
    obj = decl
    for part in re.findall(r"[a-z_0-9]+(?:\[[^\]]+\])?", path):
        name, _, key = part.partition("[")
        obj = getattr(obj, name)
        if key:
            key = key[:-1]
            obj = next((x for i, x in enumerate(obj) if (x.id or str(i)) == key), None)
    return obj


def shown(field: Field) -> str:
    return T.pick(field.value, "bilingual") if isinstance(field.value, tuple) else str(field.value)


def expected_text(value) -> str | None:
    """How an input value shows in a pack (None: shown as a word, checked separately)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return None
    return free_text(str(value))


def test_each_example_gets_the_documents_its_pathways_call_for(case):
    name, _, _, pack = case
    assert {d.id: d.flows for d in pack.documents} == EXPECTED[name]


def test_undetermined_flows_are_never_drafted_and_say_why(case):
    _, _, ds, pack = case
    drafted = {f for d in pack.documents for f in d.flows}
    for f in ds.flows:
        if f.pathway.value == "undetermined":
            assert f.flow_id not in drafted
            assert any(w == f.flow_id and "undetermined" in why[1] for w, why in pack.not_drafted)


def test_documents_keep_the_guides_structure(case):
    """Every section the registry gives a document is there, in order, and none is empty."""
    reg = registry()
    for d in case[3].documents:
        skeleton = reg.skeleton(d.kind, d.guide.structure_status)
        got = [s for top in d.sections for s in top.walk()]
        assert [(s.number, s.title) for s in got] == [(s.number, s.title) for s in skeleton.values()]
        for s in got:
            assert s.fields or s.tables or s.subsections or s.note, f"{d.id}: {s.number} is empty"
        assert d.guide.sources and d.guide.status in ("V", "V2", "U", "C")


def vocabulary_name(law, decl, path: str, value):
    """Vocabulary ids print as their Chinese and English names."""
    voc = law.vocabulary
    if path == "handler.zone":
        return voc.zones[value].name.zh
    if path == "handler.area":
        return next(a for a in voc.zones[decl.handler.zone].areas if a.id == value).name.zh
    if path == "handler.sector":
        return voc.sectors[value].name.zh
    if path == "handler.enterprise_type":
        return next(e for e in voc.sectors[decl.handler.sector].enterprise_types if e.id == value).name.zh
    if path.endswith(".subject"):
        return voc.subject_types[value].name.zh
    return None


def test_every_input_field_appears_where_it_should(case, law):
    _, decl, _, pack = case
    for d in pack.documents:
        handler, flow_fields, item_fields = WHERE[d.kind]
        by_source: dict[str, list[Field]] = {}
        for _, f in d.fields():
            by_source.setdefault(f.source.ref, []).append(f)
        wanted = [f"handler.{k}" for k in handler]
        for n, fid in enumerate(d.flows):
            flow = next(f for f in decl.flows if f.id == fid)
            keys = [k for k in flow_fields if k != "exemption" or flow.exemption]
            if d.kind == "scc_annex" and n:  # one contract, one recipient: named once, from the first flow
                assert flow.recipient == resolve(decl, f"flows[{d.flows[0]}].recipient")
                keys = [k for k in keys if not k.startswith("recipient.")]
            wanted += [f"flows[{fid}].{k}" for k in keys]
            for i, item in enumerate(flow.data):
                p = f"flows[{fid}].data[{item.id or i}]"
                wanted += [f"{p}.{k}" for k in item_fields]
        for path in wanted:
            if path == "handler.area" and decl.handler.zone is None:
                continue
            if path == "handler.enterprise_type" and decl.handler.enterprise_type is None:
                continue
            assert path in by_source, f"{d.id}: no field from {path}"
            value = resolve(decl, path)
            fields = by_source[path]
            if value is None:
                assert any(f.is_gap for f in fields) or path.endswith(
                    ("persons_source", "zone", "sensitive")
                ), (
                    d.id,
                    path,
                )
                continue
            text = vocabulary_name(law, decl, path, value) or expected_text(value)
            if text is not None:
                assert any(text in shown(f) for f in fields if not f.is_gap), (d.id, path, text)


def test_gaps_name_what_is_needed(case):
    for d in case[3].documents:
        for _, f in d.gaps():
            assert f.source.kind == "gap" and f.hint and all(f.hint), (d.id, f.label)


def flat(text: str) -> str:
    """Text as PDF extraction can compare it: no spaces, line breaks or (soft) hyphens."""
    return re.sub(r"[\s\-\ufffe\u00ad]", "", text)


def test_rendered_documents_hold_values_and_sources(case, tmp_path):
    """The DOCX and the PDF print every non-gap value, its source, and every gap mark."""
    _, _, _, pack = case
    written = write_documents(pack, tmp_path, formats=("docx", "pdf"))
    for d in pack.documents:
        document = docx.Document(str(tmp_path / f"{d.id}.docx"))
        text = "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for row in t.rows for c in row.cells]
        )
        pdf = pdfium.PdfDocument(str(tmp_path / f"{d.id}.pdf"))
        pdf_text = flat("".join(page.get_textpage().get_text_range() for page in pdf))
        for _, f in d.fields():
            if f.is_gap:
                assert T.pick(f.hint, "bilingual") in text
                continue
            assert shown(f) in text, (d.id, shown(f))
            assert str(f.source) in text, (d.id, str(f.source))
            assert flat(shown(f)) in pdf_text, (d.id, shown(f))
        assert "【待填写】" in pdf_text if d.gaps() else True
    index = json.loads((tmp_path / "fields.json").read_text(encoding="utf-8"))
    assert [x["id"] for x in index["documents"]] == [d.id for d in pack.documents]
    assert len(written) == 2 * len(pack.documents) + 1


def test_chinese_only_and_english_only_packs(case, tmp_path):
    d = case[3].documents[0]
    zh = docx.Document(str(write_documents_one(d, tmp_path / "zh.docx", "zh")))
    en = docx.Document(str(write_documents_one(d, tmp_path / "en.docx", "en")))
    zh_head = [p.text for p in zh.paragraphs if p.style.name.startswith("Heading")]
    en_head = [p.text for p in en.paragraphs if p.style.name.startswith("Heading")]
    assert all(not re.search(r"[A-Za-z]{4,}", h) for h in zh_head[1:]), zh_head
    assert all(not re.search(r"[\u4e00-\u9fff]", h) for h in en_head[1:]), en_head


def write_documents_one(d: PackDocument, path: Path, lang: str) -> Path:
    from ftzlist.reports.packs import write_document

    return write_document(d, path, "docx", lang)  # type: ignore[arg-type]


def test_bundled_font_covers_the_packs():
    from ftzlist.reports import fonts

    src = ROOT / "src" / "ftzlist" / "reports"
    text = "".join(
        p.read_text(encoding="utf-8") for p in [*src.glob("packs/*"), *src.glob("templates/*")] if p.is_file()
    )
    assert fonts.missing_glyphs(text) == []


# -- identifiers ------------------------------------------------------------------------------------

RAW = {
    "phone": "13800138000",
    "email": "zhang.san@example.com",
    "resident_id": "11010519491231002X",
    "card": "6222021234567890123",
}


@pytest.fixture
def leaky(tmp_path) -> Path:
    """The Xiamen example with identifiers pasted into every free-text field."""
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "xiamen-pharma.yaml").read_text(encoding="utf-8"))
    ids = " ".join(RAW.values())
    data["handler"]["penalties_past_2y"] = [f"warning to contact {RAW['resident_id']}"]
    for f in data["flows"]:
        f["purpose"] += f" (contact {ids})"
        f["recipient"]["name"] += f" <{RAW['email']}>"
    data["flows"][0]["data"][0]["persons_source"] = f"count run by {RAW['phone']}"
    path = tmp_path / "leaky.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _texts(folder: Path):
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        if p.suffix == ".docx":
            with zipfile.ZipFile(p) as z:
                yield p, "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        elif p.suffix == ".pdf":
            yield p, "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(str(p)))
        else:
            yield p, p.read_text(encoding="utf-8")


def test_no_raw_identifier_anywhere_in_a_pack(leaky, tmp_path):
    out = tmp_path / "pack"
    r = CliRunner().invoke(app, ["pack", str(leaky), "--out", str(out)])
    assert r.exit_code == 0, r.output
    seen = 0
    for path, text in _texts(out):
        flat = re.sub(r"[\s\-]", "", text)
        for kind, raw in RAW.items():
            assert raw not in text and raw not in flat, f"{path.name}: raw {kind}"
        seen += 1
    assert seen > 10
    manifest = json.loads((out / "evidence" / "MANIFEST.json").read_text(encoding="utf-8"))
    check = manifest["checks"]["input_hash"]
    assert check["masked_values"] > 0 and not check["verified"] and "masked" in check["why_not"]
    for path in (out / "evidence").rglob("*"):
        assert RAW["phone"] not in path.name


def test_cli_pack_and_evidence_bundle(tmp_path):
    out = tmp_path / "pack"
    runner = CliRunner()
    example = ROOT / "examples" / "fuzhou-connected-vehicles.yaml"
    r = runner.invoke(app, ["pack", str(example), "--out", str(out), "--format", "docx"])
    assert r.exit_code == 0, r.output
    assert not list(out.glob("*.pdf")) and len(list(out.glob("*.docx"))) == 8
    ev = out / "evidence"
    manifest = json.loads((ev / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["checks"]["input_hash"]["verified"] is True
    assert manifest["checks"]["lists"] == {"cn-national-2024": True, "fujian-ftz-2025": True}
    assert {f["path"] for f in manifest["files"]} >= {
        "decision.json",
        "declaration.json",
        "report.pdf",
        "lists.json",
    }
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=ev, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    decision = json.loads((ev / "decision.json").read_text(encoding="utf-8"))
    assert decision["input_sha256"] == manifest["input_sha256"]
    # a second run into the same folder needs --force
    r = runner.invoke(app, ["pack", str(example), "--out", str(out)])
    assert r.exit_code != 0 and "--force" in str(r.exception)
    r = runner.invoke(
        app, ["pack", str(example), "--out", str(out), "--force", "--no-evidence", "--format", "pdf"]
    )
    assert r.exit_code == 0, r.output


def test_cli_pack_needs_db_and_handler_together(tmp_path):
    r = CliRunner().invoke(app, ["pack", str(EXAMPLES[0]), "--out", str(tmp_path / "p"), "--db", "sqlite://"])
    assert r.exit_code != 0 and "--handler" in str(r.exception)


def test_evidence_bundle_with_register_and_count_run(tmp_path):
    """The bundle carries the register's extract (proceedings, snapshots, what is due) with the
    register's integrity anchor, and the count run with its parameters."""
    import datetime as dt

    from ftzlist.counting import CountResult

    example = ROOT / "examples" / "xiamen-pharma.yaml"
    url = f"sqlite:///{tmp_path / 'reg.sqlite3'}"
    runner = CliRunner()
    decisions = tmp_path / "d.json"
    r = runner.invoke(app, ["assess", str(example), "--format", "json"])
    decisions.write_text(r.stdout, encoding="utf-8")
    for args in (
        ["filings", "add", "haixia", "pv", "fj.list_filing", "--on", "2026-03-02", "--db", url],
        ["filings", "snapshot", "haixia", str(decisions), "--db", url],
    ):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, r.output
    axes = {"sensitive": 0, "non_sensitive": 0, "any": 0}
    count = CountResult.model_validate(
        {
            "as_of": "2026-03-31",
            "window_start": "2026-01-01",
            "rule": {"list_id": "fujian-ftz-2025", "window": "current_year"},
            "totals": axes,
            "exempt_totals": axes,
            "by_flow": [],
            "by_subject": [],
            "by_item": [],
            "by_category": [],
            "crossings": [],
            "suspicious": [],
            "quality": {"files": [f"export-{RAW['phone']}.csv"], "first_row_on": "2026-01-05"},
            "readings": [],
            "run_id": "r" * 64,
        }
    )
    counts = tmp_path / "count.json"
    counts.write_text(count.model_dump_json(), encoding="utf-8")
    out = tmp_path / "pack"
    args = ["pack", str(example), "--out", str(out), "--format", "docx", "--db", url, "--handler", "haixia"]
    r = runner.invoke(app, [*args, "--counts", str(counts)])
    assert r.exit_code == 0, r.output
    ev = out / "evidence"
    register = json.loads((ev / "register.json").read_text(encoding="utf-8"))
    assert [p["flow"] for p in register["proceedings"]] == ["pv"]
    assert {s["flow"] for s in register["decision_snapshots"]} == {
        "trial",
        "dct",
        "pv",
        "hcp",
        "biomarker",
        "hr",
    }
    assert register["verification"]["ok"] is True and re.fullmatch(
        r"\d+:[0-9a-f]{64}", register["verification"]["anchor"]
    )
    manifest = json.loads((ev / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["checks"]["register"]["anchor"] == register["verification"]["anchor"]
    params = json.loads((ev / "count-parameters.json").read_text(encoding="utf-8"))
    assert params["run_id"] == "r" * 64 and params["window_start"] == "2026-01-01"
    assert RAW["phone"] not in json.dumps(params) and "*" in params["files"][0]
    assert dt.date.fromisoformat(
        json.loads((ev / "count.json").read_text(encoding="utf-8"))["quality"]["first_row_on"]
    )
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=ev, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout


def test_the_guide_edition_in_force_on_the_assessment_date(law):
    import datetime as dt

    reg = registry()

    def ref(doc, day):
        return reg.ref(doc, day, law.instruments)

    old = ref("sa_self_assessment", dt.date(2023, 9, 1))
    assert "1st edition" in old.title[1] and old.date == dt.date(2022, 8, 31) and old.id == "cn.sa-guide-1"
    mid = ref("sa_self_assessment", dt.date(2024, 5, 1))
    assert "2nd edition" in mid.title[1] and "Structure followed" not in (mid.note or ("", ""))[1]
    new = ref("sa_self_assessment", dt.date(2026, 5, 1))
    assert "3rd edition" in new.title[1] and "Structure followed: Guide to applying" in new.note[1]
    assert "(2nd edition)" in new.note[1]
    assert new.instrument_status == "C"  # the registry's tag for the 3rd edition's date
    assert (new.status, new.structure_status) == ("U", "V2")  # its annexes unread; the 2nd's followed
    early = ref("scc_pia", dt.date(2023, 1, 1))
    assert "had not been published" in early.note[1]
    for spec in reg.guides.values():  # every edition names a registered instrument
        for e in spec.editions:
            assert e.instrument in law.instruments
