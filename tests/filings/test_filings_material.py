"""A band crossed or a pathway changed is always material; ratios are measured against the approved
filing (issue 10 §7; Fujian Art. 13). Bands are read from the bundled Fujian 2025 list."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from filings_support import bundled_book, d

from ftzlist.calendar import bundled_calendar
from ftzlist.filings.bands import band_crossings
from ftzlist.filings.changes import assess_change
from ftzlist.filings.content import FiledContent
from ftzlist.filings.register import Register
from ftzlist.schema.lists import ChangeTrigger, Procedure

FJ = "fujian-ftz-2025"
SC, SA = "standard_contract_or_certification", "security_assessment"


def pv(persons: int, **extra) -> FiledContent:
    """A pharmacovigilance flow of patients' adverse-event reports (Fujian pharma, patients axis)."""
    return FiledContent.model_validate(
        {
            "scenario": "pharma.pharmacovigilance",
            "purpose": "pharmacovigilance reporting",
            "recipient": {"name": "Acme AG", "country": "CH"},
            "items": [{"id": "case", "category": "health.adverse_event", "persons": persons}],
        }
        | extra
    )


@pytest.fixture(scope="module")
def book():
    return bundled_book()


def judge(book, old: int, new: int, **kw):
    lf, voc = book.lists[FJ], book.vocabulary
    proc = book.get(FJ, "fj.list_filing")
    before, after = pv(old), pv(new)
    return assess_change(
        before,
        after,
        proc,
        crossings=band_crossings(lf, voc, before, after),
        **kw,
    )


def test_45000_to_60000_patients_crosses_50000_and_is_material(book):
    r = judge(book, 45_000, 60_000)
    assert r.material and r.verdict.startswith("fresh application")
    by = {x.trigger: x for x in r.reasons}
    assert not by["volume"].material  # x1.33: under the ratio ...
    assert "x1.33 vs the approved 45,000" in by["volume"].why
    band = by["band"]  # ... but the 50,000 line is crossed
    assert band.material and (band.before, band.after) == (45_000, 60_000)
    assert "crosses 50,000" in band.why and "fj25.pharma.patients.t1" in band.why
    assert "volume_increase" in band.citation and "Art. 13" in band.citation
    path = by["pathway"]
    assert path.material and (path.before, path.after) == (SC, SA)


@pytest.mark.parametrize(
    ("old", "new", "lines", "pathway_change"),
    [
        (45_000, 49_999, [], None),  # under the line: same band, x1.11
        (45_000, 50_000, [50_000], (SC, SA)),  # the line itself is in the upper band (min <= n)
        (49_999, 50_000, [50_000], (SC, SA)),
        (50_000, 74_000, [], None),  # inside the top band, x1.48
        (60_000, 45_000, [50_000], (SA, SC)),  # down across the line: the pathway changes too
        # onto the 10,000 bands (x1.0001): a filing does not say whose health data it is, so the
        # sector's catch-all for sensitive data (security assessment from 10,000) may apply too
        (9_999, 10_000, [10_000], (SC, f"{SA}, {SC}")),
        (10_000, 14_999, [], None),
        (9_000, 60_000, [10_000, 50_000], (SC, f"{SA}, {SC}")),  # two lines at once
    ],
)
def test_band_edges(book, old, new, lines, pathway_change):
    r = judge(book, old, new)
    crossed = {
        int(m.replace(",", ""))
        for x in r.reasons
        if x.trigger == "band"
        for m in re.findall(r"crosses ([\d,]+)", x.why)
    }
    assert sorted(crossed) == lines  # several items may share a line: each is named
    assert all(x.material for x in r.reasons if x.trigger == "band")
    path = [x for x in r.reasons if x.trigger == "pathway"]
    if pathway_change is None:
        assert not path
        assert r.material is (new > old * 1.5)
    else:
        assert [(x.before, x.after) for x in path] == [pathway_change]
        assert r.material


def test_band_lines_only_for_items_that_may_catch_the_data(book):
    """An HR flow (other sector) crosses no line of the pharma patients' axis."""
    lf, voc = book.lists[FJ], book.vocabulary
    hr = lambda n: pv(n, scenario="hr.payroll")  # noqa: E731
    assert all("patients" not in c.item for c in band_crossings(lf, voc, hr(45_000), hr(60_000)))
    # a category the vocabulary does not know is read as personal information: lines are checked
    odd = lambda n: FiledContent.model_validate(  # noqa: E731
        pv(n).model_dump() | {"items": [{"id": "x", "category": "pi.unknown_kind", "persons": n}]}
    )
    assert any(c.line == 50_000 for c in band_crossings(lf, voc, odd(45_000), odd(60_000)))


@pytest.fixture
def freg(db_url):
    r = Register.open(db_url, calendar=bundled_calendar(), procedures=bundled_book(), actor="tester")
    r.add_handler("pharma", "Pharma")
    r.add_flow("pharma", "pv")
    yield r
    r.close()


def approved(reg, persons: int) -> str:
    key = reg.open_proceeding("pharma", "pv", "fj.list_filing", d("2026-02-10"))
    reg.record_step(key, "area_notice", d("2026-02-24"))
    reg.record_filing(key, d("2026-02-25"), pv(persons))
    reg.record_opinion(key, d("2026-03-03"), "on_list", pathway=SC)
    return key


def test_simplified_steps_add_up_against_the_approved_figure(freg):
    """12,000 -> 17,000 -> 24,000 -> ...: each step under x1.5 of the last, but 24,000 is x2 the
    approved 12,000 (material, a fresh application)."""
    key = approved(freg, 12_000)
    r, same = freg.change(key, d("2026-04-01"), pv(17_000))
    assert not r.material and same == key  # x1.42
    r, fresh = freg.change(key, d("2026-05-04"), pv(24_000))
    assert r.material and fresh != key
    [vol] = [x for x in r.reasons if x.trigger == "volume"]
    assert vol.material and (vol.before, vol.after) == (17_000, 24_000)
    assert "x2.00 vs the approved 12,000" in vol.why and "x1.41 vs the latest 17,000" in vol.why
    assert not [x for x in r.reasons if x.trigger == "band"]  # all within 10,000-<50,000
    assert any("bands read from fujian-ftz-2025" in n for n in r.notes)


def test_exactly_one_and_a_half_times_the_approved_figure_is_not_large(freg):
    key = approved(freg, 12_000)
    r, same = freg.change(key, d("2026-04-01"), pv(18_000))
    assert not r.material and same == key  # x1.50 exactly: not above the ratio
    r, _ = freg.change(key, d("2026-04-02"), pv(18_001), apply=False)
    assert r.material  # x1.5001 of the approved figure
    r, _ = freg.change(key, d("2026-04-02"), pv(18_000), apply=False)
    assert r.verdict == "no change"


def test_register_refuses_a_band_crossing_as_simplified(freg):
    key = approved(freg, 45_000)
    r, fresh = freg.change(key, d("2026-04-01"), pv(60_000))
    assert r.material and fresh != key
    assert freg.show(fresh).kind == "fresh"


def trig(id_: str, covers: list[str], material: bool = True) -> dict:
    return {
        "id": id_,
        "name": {"zh": "变更", "en": "change"},
        "material": material,
        "covers": covers,
        "citation": {"instrument": "X measures", "ref": "Art. 9"},
    }


def procedure(*triggers: dict) -> Procedure:
    return Procedure.model_validate(
        {
            "id": "x.filing",
            "name": {"zh": "备案", "en": "filing"},
            "model": "pre_export_filing",
            "serves": ["exempt"],
            "steps": [
                {
                    "id": "application",
                    "name": {"zh": "申请", "en": "application"},
                    "actor": "handler",
                    "citation": {"instrument": "X measures", "ref": "Art. 1"},
                }
            ],
            "changes": list(triggers),
            "citation": {"instrument": "X measures", "ref": "Arts. 1-9"},
        }
    )


def test_triggers_are_typed_not_read_from_their_ids():
    # an id full of the word 'volume' that covers purpose only does not cite for volume
    proc = procedure(trig("volume_large_increase", ["purpose"]), trig("art9_b", ["volume"]))
    r = assess_change(pv(100), pv(1_000), proc)
    [vol] = [x for x in r.reasons if x.trigger == "volume"]
    assert "(art9_b)" in vol.citation
    # no trigger covering recipient: the procedure's citation and the ftzlist reading
    proc = procedure(trig("recipient_environment", ["recipient_environment"]))
    r = assess_change(pv(100), pv(100, recipient={"name": "B", "country": "US"}), proc)
    [rec] = r.reasons
    assert rec.material and "ftzlist reading" in rec.citation
    assert proc.trigger_for("recipient") is None
    assert proc.trigger_for("recipient_environment").id == "recipient_environment"


def test_a_band_trigger_marked_not_material_cannot_lighten_a_crossing(book):
    proc = procedure(trig("band_shift", ["band", "pathway"], material=False))
    lf, voc = book.lists[FJ], book.vocabulary
    r = assess_change(pv(45_000), pv(60_000), proc, crossings=band_crossings(lf, voc, pv(45_000), pv(60_000)))
    [band] = [x for x in r.reasons if x.trigger == "band"]
    assert band.material and r.material and "(band_shift)" in band.citation


def test_a_trigger_must_say_what_it_covers():
    with pytest.raises(ValueError, match="covers"):
        ChangeTrigger.model_validate({k: v for k, v in trig("t", ["volume"]).items() if k != "covers"})
    with pytest.raises(ValueError):
        ChangeTrigger.model_validate(trig("t", ["large_volume"]))  # not a kind
    with pytest.raises(ValueError):
        ChangeTrigger.model_validate(trig("t", []))


def test_every_bundled_trigger_is_typed(book):
    for (list_id, pid), e in book.entries.items():
        for t in e.procedure.changes:
            assert t.covers, (list_id, pid, t.id)
    fj = book.get(FJ, "fj.list_filing")
    assert fj.trigger_for("band").id == "volume_increase"
    assert fj.trigger_for("non_material").material is False


@pytest.mark.parametrize("ratio", ["nan", "inf", "-inf", "0", "-1", "1", "1.0"])
def test_volume_ratio_refused(ratio, tmp_path: Path):
    from ftzlist.cli import main

    new = tmp_path / "new.yaml"
    new.write_text("purpose: x\nrecipient: {name: A, country: CH}\nitems: [{id: a, category: contact}]\n")
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), pytest.raises(SystemExit) as exc:
        main(
            ["filings", "change", "FJ-2026-0001", "2026-06-01", str(new), "--volume-ratio", ratio, "--db", db]
        )
    assert exc.value.code == 2, out.getvalue()
    assert "volume ratio must be a finite number above 1" in out.getvalue()
    assert "Traceback" not in out.getvalue()


def test_assess_change_refuses_non_finite_ratios():
    for bad in (float("nan"), float("inf"), 0, -1, 1):
        with pytest.raises(ValueError, match="finite number above 1"):
            assess_change(pv(1), pv(2), volume_ratio=bad)
