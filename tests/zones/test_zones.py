"""Every zone list: what is encoded decides, what is not is `undetermined` naming the missing part.

Facts and tags: shared/reference/ftz-lists.md and zone-facts-2.md. The cases that place one handler
in one zone on a day and check the pathway, the deciding rule, the missing part or the regime are
data: tests/scenarios/<list id>.yaml. What stays here checks what a scenario file cannot say: the
files themselves (validation, coverage, dates, sources), lifted rules, status tags, lower bounds,
warnings and conflicts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ftzlist.authoring import validate_list
from ftzlist.engine import decide
from ftzlist.loader import BUNDLED, INSTRUMENT_FILES, Law
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

EXEMPT = Pathway.exempt
OTHER = Pathway.other_lawful_path
UND = Pathway.undetermined

ZONE_FILES = sorted(
    p
    for p in BUNDLED.glob("*.yaml")
    if not p.name.startswith(("cn-national", "fujian-ftz")) and p.name not in INSTRUMENT_FILES
)


def declaration(
    zone: str | None,
    sector: str,
    data: dict,
    *,
    scenario: str | None = None,
    area: str | None = None,
    enterprise_type: str | None = None,
    holdings: dict | None = None,
    exemption: str | None = None,
) -> Declaration:
    return Declaration.model_validate(
        {
            "handler": {
                "name": "Case Co.",
                "zone": zone,
                "area": area,
                "sector": sector,
                "enterprise_type": enterprise_type,
                "ciio": False,
                "holdings": holdings
                or {"persons_pi": 1000, "persons_sensitive": 0, "persons_sensitive_accounts_or_medical": 0},
            },
            "flows": [
                {
                    "id": "f",
                    "scenario": scenario,
                    "recipient": {"name": "Recipient Ltd", "country": "DE"},
                    "purpose": "test",
                    "exemption": exemption,
                    "data": [{"id": "d", **data}],
                }
            ],
        }
    )


def judge(law: Law, decl: Declaration, day: str):
    return decide(decl, law, dt.date.fromisoformat(day)).flows[0]


def missing_parts(flow) -> set[str]:
    return {m.field.split(": ", 1)[1] for m in flow.missing if m.field.startswith("list ")}


@pytest.mark.parametrize("path", ZONE_FILES, ids=lambda p: p.stem)
def test_every_zone_file_validates(law: Law, path) -> None:
    problems = validate_list(path, law)
    assert [str(p) for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("path", ZONE_FILES, ids=lambda p: p.stem)
def test_every_zone_file_declares_its_coverage_honestly(law: Law, path) -> None:
    lf = law.lists.get(path.stem)
    assert lf.coverage.complete is False
    assert lf.coverage.missing, "a partial list must name what is missing"
    assert lf.scope.zone in law.vocabulary.zones


# --- Beijing 2024 ------------------------------------------------------------------------------------
BJ = "2025-06-02"
CV = {"enterprise_type": "connected_vehicles.automaker"}


def test_beijing_2024_ota_filed_with_miit_is_lifted(law: Law) -> None:
    data = {"category": "idata.vehicle.ota_control", "cleared": ["ota_miit_filed"]}
    flow = judge(law, declaration("beijing-ftz", "connected_vehicles", data, **CV), BJ)
    assert flow.pathway == EXEMPT
    assert any(c.rule_id == "bj24.auto.ota" and c.outcome == "lifted" for c in flow.checks)


def test_beijing_2024_autonomous_driving_is_outside_the_list(law: Law) -> None:
    decl = declaration(
        "beijing-ftz",
        "connected_vehicles",
        {"category": "vehicle.vin", "persons": 50_000},
        enterprise_type="connected_vehicles.autonomous_driving",
    )
    flow = judge(law, decl, BJ)
    assert flow.items[0].regime == "cn-national-2024"


def test_beijing_2024_status_tags_travel_into_the_checks(law: Law) -> None:
    flow = judge(
        law, declaration("beijing-ftz", "automotive", {"category": "idata.vehicle.charging_network"}), BJ
    )
    fired = {c.rule_id: c.status for c in flow.checks if c.outcome == "fired"}
    assert fired["bj24.auto.important-data"] == "V2"


def test_beijing_2024_genetic_data_takes_the_hgr_route_at_least(law: Law) -> None:
    # Genetic data is also sensitive PI, whose pharma bands are not encoded: the HGR route is the
    # least it needs, and a security assessment cannot be ruled out.
    data = {"category": "health.genetic.human_genome", "persons": 10}
    decl = declaration(
        "beijing-ftz", "pharma", data, scenario="pharma.rnd", enterprise_type="pharma.chemical_drugs"
    )
    flow = judge(law, decl, BJ)
    assert flow.pathway == UND and flow.lower_bound == OTHER
    assert "bj24.pharma.genetic" in flow.items[0].deciding_rules


def test_beijing_2024_conflicting_sources_are_flagged(law: Law) -> None:
    lf = law.lists.get("beijing-ftz-2024")
    item = next(i for i in lf.items if i.id == "bj24.pharma.group-health-data")
    assert item.status == "C" and "10,000" in (item.note or "") and "100,000" in (item.note or "")
    data = {"category": "health.adverse_event", "subject": "patient", "persons": 100_000}
    flow = judge(law, declaration("beijing-ftz", "pharma", data, scenario="pharma.pharmacovigilance"), BJ)
    assert any("[C]" in w for w in flow.warnings)


# --- Beijing "Two Zones" 2025 -------------------------------------------------------------------------


def test_beijing_2025_editions_do_not_overlap(law: Law) -> None:
    """The 2024 edition ends the day before the 2025 edition: one answer, no conflict between them."""
    flow = judge(
        law, declaration("beijing-ftz", "pharma", {"category": "contact.email", "persons": 500}), "2026-05-11"
    )
    assert flow.pathway == UND and "bj25.all-sectors" in missing_parts(flow)
    assert not flow.conflicts


def test_every_zone_list_says_when_it_was_last_checked(law: Law) -> None:
    """`last_checked_on` (issue 17 §5) is recorded for every bundled zone list: on or after the day the
    list was issued (nobody checks a text before it exists), never in the future."""
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    wrong = [
        f"{lf.id}: {lf.last_checked_on}"
        for lf in law.lists
        if lf.kind != "national"
        and (
            lf.last_checked_on is None or not (lf.issued or lf.effective_from) <= lf.last_checked_on <= today
        )
    ]
    assert wrong == []


def test_every_zone_list_has_its_scenario_file() -> None:
    """Each zone list's cases live in tests/scenarios/<list id>.yaml (run by tests/test_scenarios.py)."""
    scenarios = Path(__file__).parents[1] / "scenarios"
    missing = [p.stem for p in ZONE_FILES if not (scenarios / f"{p.stem}.yaml").is_file()]
    assert missing == []


def test_beijing_2025_permits_other_zones_lists(law: Law) -> None:
    ref = law.lists.get("beijing-ftz-2025").references_other_lists
    assert ref is not None and ref.status == "V"


# --- Shanghai 2024, Lingang positive list, Shanghai 2025版 ---------------------------------------------


def test_shanghai_post_export_report_attaches_when_the_list_is_relied_on(law: Law) -> None:
    lf = law.lists.get("shanghai-ftz-2024")
    proc = lf.procedures[0]
    assert proc.model == "post_export_report"
    assert proc.steps[-1].working_days == 15 and proc.steps[-1].after == "export"


def test_shanghai_2025_edition_rests_on_uncertain_facts(law: Law) -> None:
    lf = law.lists.get("shanghai-ftz-2025")
    assert lf.status == "U" and lf.references_other_lists is not None
    flow = judge(
        law,
        declaration("shanghai-ftz", "meteorology", {"category": "geographic.map"}, area="lujiazui"),
        "2026-06-01",
    )
    assert flow.pathway == UND
    assert "sh25.all-sectors" in missing_parts(flow)


def test_shanghai_2025_identity_and_its_two_dates(law: Law) -> None:
    """Edition label 2025版, CAC posting 2026-04-29 (V2); a third-party table says 2026-04-24 (U)."""
    new, old = law.lists.get("shanghai-ftz-2025"), law.lists.get("shanghai-ftz-2024")
    assert "2025版" in new.title.zh and new.effective_from == dt.date(2026, 4, 29)
    assert [(d.date.isoformat(), d.status) for d in new.effective_from_dates] == [
        ("2026-04-24", "U"),
        ("2026-04-29", "V2"),
    ]
    assert old.effective_to == dt.date(2026, 4, 28)
    for day, in_force, disputed in [
        ("2026-04-23", {"shanghai-ftz-2024"}, set()),
        ("2026-04-24", {"shanghai-ftz-2024"}, {"shanghai-ftz-2025"}),
        ("2026-04-28", {"shanghai-ftz-2024"}, {"shanghai-ftz-2025"}),
        ("2026-04-29", {"shanghai-ftz-2025"}, set()),
    ]:
        d = dt.date.fromisoformat(day)
        assert {lf.id for lf in law.lists.in_force(d) if lf.family == "shanghai-ftz"} == in_force, day
        assert {lf.id for lf in law.lists.disputed(d) if lf.family == "shanghai-ftz"} == disputed, day
    assert "shanghai-ftz-2026" not in law.lists.by_id


# --- facts found since the lists were written (issue 10 §6, issue 17 §6) ------------------------------


def test_guangdong_2025_dates_and_tags(law: Law) -> None:
    lf = law.lists.get("guangdong-ftz-2025")
    assert lf.status == "U" and not lf.coverage.complete and lf.items == []
    assert lf.effective_from == dt.date(2026, 5, 18)
    assert {d.date.isoformat(): d.status for d in lf.effective_from_dates} == {
        "2026-05-15": "U",
        "2026-05-18": "V2",
    }
    assert lf.in_force_disputed(dt.date(2026, 5, 16)) and not lf.in_force(dt.date(2026, 5, 17))
    assert {s.sector for s in lf.sectors} == {"smart_equipment_manufacturing", "personal_credit_reporting"}


def test_tianjin_binds_every_sector_by_its_scope(law: Law) -> None:
    """Tianjin is category-based: its scope is every sector (issue 17 §7), not a hand-kept list of
    the vocabulary's sectors (tests/zones/test_scopes.py judges handlers under it)."""
    lf = law.lists.get("tianjin-ftz-2024")
    assert lf.scope.sectors == "all" and lf.sectors == []


def test_beijing_2025_date_is_verified(law: Law) -> None:
    lf = law.lists.get("beijing-ftz-2025")
    assert lf.status == "V" and lf.issued == lf.effective_from == dt.date(2026, 5, 11)
    assert law.lists.get("beijing-ftz-2024").effective_to == dt.date(2026, 5, 10)
    assert law.instruments.by_id["beijing.two-zones-list-2025"].status == "V"


def test_lingang_biomedicine_list_is_encoded_as_far_as_the_facts_go(law: Law) -> None:
    lf = law.lists.get("shanghai-lingang-biomedicine-2025")
    assert lf.kind == "positive_list" and lf.items == [] and lf.scope.areas == ["lingang"]
    (part, fifth) = lf.coverage.missing
    assert part.id == "lg25.biomed.data-categories" and part.sectors == ["pharma"]
    assert fifth.id == "lg25.biomed.fifth-scenario"
    assert set(lf.sectors[0].scenarios or []) >= {"pharma.pharmacovigilance", "pharma.supplier_management"}
    (proc,) = lf.procedures
    assert proc.serves == ["exempt"] and proc.steps[0].before_export
    assert lf.in_force_disputed(dt.date(2024, 6, 1)) and lf.in_force(dt.date(2025, 6, 1))


def test_lingang_first_batch_needs_its_filing_and_the_measures_date(law: Law) -> None:
    lf = law.lists.get("shanghai-lingang-2024")
    assert [p.id for p in lf.procedures] == ["lg24.general-data-filing"]
    assert law.instruments.by_id["shanghai.lingang-classification-measures-2024"].issued == dt.date(
        2024, 1, 19
    )
    assert "shanghai.lingang-classification-measures-2024" in lf.legal_basis


def test_zhejiang_filing_model(law: Law) -> None:
    (proc,) = law.lists.get("zhejiang-ftz-2024").procedures
    assert [s.id for s in proc.steps] == ["application", "filing", "export"]
    assert "overseas recipient" in (proc.steps[1].citation.note or "")


def test_fujian_first_day_is_recorded_both_ways(law: Law) -> None:
    """Issue 10 §5 data side: the measures take effect on issuance (2025-12-18 in seed 002)."""
    lf = law.lists.get("fujian-ftz-2025")
    assert lf.effective_from == dt.date(2025, 12, 25)
    assert [d.date.isoformat() for d in lf.effective_from_dates] == ["2025-12-18", "2025-12-25"]
    assert lf.in_force_disputed(dt.date(2025, 12, 18)) and not lf.in_force_disputed(dt.date(2025, 12, 17))


def test_national_later_instruments_are_registered(law: Law) -> None:
    cert = law.instruments.by_id["cn.pi-export-certification-measures"]
    assert cert.effective_from == dt.date(2026, 1, 1) and cert.status == "V2"
    qa = law.instruments.by_id["cn.cac-qa-2025-04"]
    assert qa.issued == dt.date(2025, 4, 9) and "同一领域可参照已有清单" in (qa.note or "")
    sa = next(p for p in law.lists.get("cn-national-2024").procedures if p.id == "cn.security_assessment")
    assert sa.validity and sa.validity.years == 3
    assert sa.renewal and sa.renewal.extends_years == 3 and sa.renewal.working_days_before_expiry == 60
