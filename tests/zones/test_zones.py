"""Every zone list: what is encoded decides, what is not is `undetermined` naming the missing part.

Facts and tags: shared/reference/ftz-lists.md. Each case places one handler in one zone on a day
the list is in force and checks the pathway, the deciding rule, and (for parts not encoded) the
missing part the answer names.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ftzlist.authoring import validate_list
from ftzlist.engine import decide
from ftzlist.loader import BUNDLED, INSTRUMENT_FILES, Law
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

SA = Pathway.security_assessment
SCC = Pathway.standard_contract_or_certification
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


@pytest.mark.parametrize(
    ("sector", "data", "scenario", "expected", "rule"),
    [
        (
            "connected_vehicles",
            {"category": "idata.vehicle.charging_network"},
            None,
            SA,
            "bj24.auto.important-data",
        ),
        ("automotive", {"category": "idata.vehicle.external_video"}, None, SA, "bj24.auto.important-data"),
        (
            "connected_vehicles",
            {"category": "idata.vehicle.ota_control"},
            "connected_vehicles.ota",
            SA,
            "bj24.auto.ota",
        ),
        ("connected_vehicles", {"category": "vehicle.vin", "persons": 99_999}, None, EXEMPT, "bj24.off-list"),
        (
            "connected_vehicles",
            {"category": "vehicle.vin", "persons": 100_000},
            None,
            SCC,
            "bj24.auto.pi.contract",
        ),
        (
            "connected_vehicles",
            {"category": "vehicle.vin", "persons": 999_999},
            None,
            SCC,
            "bj24.auto.pi.contract",
        ),
        (
            "connected_vehicles",
            {"category": "vehicle.vin", "persons": 1_000_000},
            None,
            SA,
            "bj24.auto.pi.assessment",
        ),
        (
            "connected_vehicles",
            {"category": "location.track", "persons": 9_999},
            None,
            SCC,
            "bj24.auto.spi.contract",
        ),
        (
            "connected_vehicles",
            {"category": "location.track", "persons": 10_000},
            None,
            SA,
            "bj24.auto.spi.assessment",
        ),
        ("connected_vehicles", {"category": "business.manufacturing"}, None, EXEMPT, "bj24.off-list"),
    ],
)
def test_beijing_2024_automotive(law: Law, sector, data, scenario, expected, rule) -> None:
    et = CV if sector == "connected_vehicles" else {}
    flow = judge(law, declaration("beijing-ftz", sector, data, scenario=scenario, **et), BJ)
    assert flow.pathway == expected
    assert rule in flow.items[0].deciding_rules


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


@pytest.mark.parametrize(
    ("data", "scenario", "expected", "rule"),
    [
        (
            {"category": "health.clinical_trial", "subject": "trial_subject", "persons": 50_000},
            "pharma.clinical_trial",
            SA,
            "bj24.pharma.clinical-trial.assessment",
        ),
        (
            {"category": "health.adverse_event", "subject": "patient", "persons": 100_000},
            "pharma.pharmacovigilance",
            SA,
            "bj24.pharma.group-health-data",
        ),
    ],
)
def test_beijing_2024_pharma_encoded(law: Law, data, scenario, expected, rule) -> None:
    decl = declaration(
        "beijing-ftz", "pharma", data, scenario=scenario, enterprise_type="pharma.chemical_drugs"
    )
    flow = judge(law, decl, BJ)
    assert flow.pathway == expected
    assert rule in flow.items[0].deciding_rules


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


@pytest.mark.parametrize(
    ("sector", "data", "scenario", "part"),
    [
        (
            "pharma",
            {"category": "health.clinical_trial", "subject": "trial_subject", "persons": 49_999},
            "pharma.clinical_trial",
            "bj24.pharma.pi-bands",
        ),
        ("pharma", {"category": "business.rnd"}, "pharma.rnd", "bj24.pharma.important-data"),
        ("civil_aviation", {"category": "customer.booking", "persons": 5_000}, None, "bj24.civil-aviation"),
        (
            "retail",
            {"category": "customer.membership", "persons": 5_000},
            "retail.membership",
            "bj24.retail-modern-services",
        ),
        ("artificial_intelligence", {"category": "business.rnd"}, None, "bj24.ai-training-data"),
    ],
)
def test_beijing_2024_not_encoded_is_undetermined(law: Law, sector, data, scenario, part) -> None:
    flow = judge(law, declaration("beijing-ftz", sector, data, scenario=scenario), BJ)
    assert flow.pathway == UND
    assert part in missing_parts(flow)


def test_beijing_2024_reference_rules_on_holdings(law: Law) -> None:
    holdings = {"persons_pi": 10_000_000, "persons_sensitive": 0, "persons_sensitive_accounts_or_medical": 0}
    decl = declaration(
        "beijing-ftz",
        "connected_vehicles",
        {"category": "vehicle.vin", "persons": 5_000},
        holdings=holdings,
        **CV,
    )
    flow = judge(law, decl, BJ)
    assert flow.pathway == SA
    assert "bj24.reference-rules.holdings" in flow.items[0].deciding_rules


def test_beijing_sector_not_in_2024_list_follows_national_rules(law: Law) -> None:
    flow = judge(
        law, declaration("beijing-ftz", "banking", {"category": "finance.bank_account", "persons": 500}), BJ
    )
    assert flow.pathway == SCC and flow.items[0].regime == "cn-national-2024"


# --- Beijing "Two Zones" 2025 -------------------------------------------------------------------------


@pytest.mark.parametrize("sector", ["connected_vehicles", "banking", "logistics", "pharma"])
def test_beijing_2025_content_not_recovered_is_undetermined(law: Law, sector) -> None:
    flow = judge(
        law, declaration("beijing-ftz", sector, {"category": "contact.email", "persons": 500}), "2026-06-01"
    )
    assert flow.pathway == UND
    assert "bj25.all-sectors" in missing_parts(flow)
    assert not flow.conflicts, "the 2024 edition ends the day before the 2025 edition"


def test_beijing_2025_permits_other_zones_lists(law: Law) -> None:
    ref = law.lists.get("beijing-ftz-2025").references_other_lists
    assert ref is not None and ref.status == "V"


# --- Tianjin 2024: category-based ---------------------------------------------------------------------
TJ = "2024-10-01"


@pytest.mark.parametrize("sector", ["pharma", "banking", "logistics", "general"])
def test_tianjin_binds_every_sector_and_non_personal_data_is_undetermined(law: Law, sector) -> None:
    flow = judge(law, declaration("tianjin-ftz", sector, {"category": "business.rnd"}), TJ)
    assert flow.pathway == UND
    assert "tj24.subclass-features" in missing_parts(flow)


def test_tianjin_personal_information_is_undetermined(law: Law) -> None:
    flow = judge(law, declaration("tianjin-ftz", "retail", {"category": "contact.email", "persons": 10}), TJ)
    assert flow.pathway == UND
    assert "tj24.class13-personal-information" in missing_parts(flow)


def test_tianjin_notified_important_data_needs_assessment(law: Law) -> None:
    flow = judge(
        law, declaration("tianjin-ftz", "general", {"category": "business.rnd", "important_data": True}), TJ
    )
    assert flow.pathway == SA


def test_tianjin_exemptions_still_apply(law: Law) -> None:
    decl = declaration(
        "tianjin-ftz",
        "general",
        {"category": "professional.employee", "persons": 300},
        exemption="hr_management",
    )
    assert judge(law, decl, TJ).pathway == EXEMPT


def test_tianjin_before_it_took_effect_is_national(law: Law) -> None:
    flow = judge(law, declaration("tianjin-ftz", "general", {"category": "business.rnd"}), "2024-05-08")
    assert flow.pathway == EXEMPT and flow.items[0].regime == "cn-national-2024"


# --- Shanghai 2024, Lingang positive list, Shanghai 2026 ----------------------------------------------
SH = "2025-06-02"


@pytest.mark.parametrize(
    ("sector", "scenario", "et", "part"),
    [
        ("reinsurance", "reinsurance.life", None, "sh24.reinsurance.items"),
        ("shipping", "shipping.crew_management", None, "sh24.shipping.items"),
        ("retail", "retail.membership", "retail.catering", "sh24.commerce.items"),
    ],
)
def test_shanghai_2024_scenarios_are_undetermined(law: Law, sector, scenario, et, part) -> None:
    decl = declaration(
        "shanghai-ftz",
        sector,
        {"category": "contact.email", "persons": 500},
        scenario=scenario,
        area="lujiazui",
        enterprise_type=et,
    )
    flow = judge(law, decl, SH)
    assert flow.pathway == UND
    assert part in missing_parts(flow)


def test_shanghai_2024_outside_its_scenarios_is_national(law: Law) -> None:
    decl = declaration(
        "shanghai-ftz",
        "retail",
        {"category": "contact.email", "persons": 150_000},
        scenario="retail.other",
        area="lujiazui",
        enterprise_type="retail.consumer_retail",
    )
    flow = judge(law, decl, SH)
    assert flow.pathway == SCC and flow.items[0].regime == "cn-national-2024"


def test_shanghai_post_export_report_attaches_when_the_list_is_relied_on(law: Law) -> None:
    lf = law.lists.get("shanghai-ftz-2024")
    proc = lf.procedures[0]
    assert proc.model == "post_export_report"
    assert proc.steps[-1].working_days == 15 and proc.steps[-1].after == "export"


LG = "2024-09-02"


def test_lingang_positive_list_lets_listed_icv_data_flow(law: Law) -> None:
    decl = declaration(
        "shanghai-ftz",
        "connected_vehicles",
        {"category": "business.supply_chain"},
        scenario="connected_vehicles.manufacturing",
        area="lingang",
        **CV,
    )
    flow = judge(law, decl, LG)
    assert flow.pathway == EXEMPT
    assert flow.items[0].regime == "shanghai-lingang-2024"
    assert "lg24.icv.transnational-manufacturing" in flow.items[0].deciding_rules


def test_lingang_positive_list_does_not_reach_personal_information(law: Law) -> None:
    decl = declaration(
        "shanghai-ftz",
        "connected_vehicles",
        {"category": "vehicle.vin", "persons": 300_000},
        scenario="connected_vehicles.after_sales",
        area="lingang",
        **CV,
    )
    flow = judge(law, decl, LG)
    assert flow.pathway == SCC and flow.items[0].regime == "cn-national-2024"


def test_lingang_positive_list_binds_only_lingang(law: Law) -> None:
    decl = declaration(
        "shanghai-ftz",
        "connected_vehicles",
        {"category": "business.supply_chain"},
        scenario="connected_vehicles.manufacturing",
        area="zhangjiang",
        **CV,
    )
    flow = judge(law, decl, LG)
    assert flow.items[0].regime == "cn-national-2024"


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


# --- Hainan, Zhejiang, Chongqing, Guangxi, Jiangsu ----------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "sector", "scenario", "data", "day", "part"),
    [
        (
            "hainan-ftp",
            "deep_sea",
            "deep_sea.exploration_survey",
            {"category": "geographic.map"},
            "2025-06-02",
            "hn24.deep-sea",
        ),
        (
            "hainan-ftp",
            "aerospace",
            "aerospace.remote_sensing",
            {"category": "geographic.map"},
            "2025-06-02",
            "hn24.aerospace",
        ),
        (
            "hainan-ftp",
            "seed_industry",
            "seed_industry.full_chain",
            {"category": "business.rnd"},
            "2025-06-02",
            "hn24.seed-industry",
        ),
        (
            "hainan-ftp",
            "tourism",
            None,
            {"category": "customer.booking", "persons": 500},
            "2025-06-02",
            "hn24.tourism",
        ),
        (
            "hainan-ftp",
            "retail",
            "retail.duty_free",
            {"category": "customer.purchase_history", "persons": 500},
            "2025-06-02",
            "hn24.duty-free-retail",
        ),
        (
            "zhejiang-ftz",
            "ecommerce",
            "ecommerce.platform",
            {"category": "customer.account", "persons": 500},
            "2025-06-02",
            "zj24.ecommerce.items",
        ),
        (
            "zhejiang-ftz",
            "clearing_settlement",
            "clearing_settlement.bank_card_clearing",
            {"category": "finance.bank_account", "persons": 500},
            "2025-06-02",
            "zj24.clearing.items",
        ),
        (
            "chongqing-ftz",
            "connected_vehicles",
            None,
            {"category": "vehicle.vin", "persons": 500},
            "2025-10-01",
            "cq25.icv.items",
        ),
        (
            "guangxi-ftz",
            "credit_information",
            None,
            {"category": "business.financial_reporting"},
            "2025-10-01",
            "gx25.all-sectors",
        ),
        (
            "guangxi-ftz",
            "ecommerce",
            "ecommerce.livestreaming",
            {"category": "customer.account", "persons": 500},
            "2025-10-01",
            "gx25.all-sectors",
        ),
        (
            "jiangsu-ftz",
            "pharma",
            "pharma.clinical_trial",
            {"category": "health.clinical_trial", "subject": "trial_subject", "persons": 500},
            "2025-10-01",
            "js25.pharma.items",
        ),
    ],
)
def test_thin_lists_are_undetermined_where_not_encoded(
    law: Law, zone, sector, scenario, data, day, part
) -> None:
    et = CV if sector == "connected_vehicles" else {}
    flow = judge(law, declaration(zone, sector, data, scenario=scenario, **et), day)
    assert flow.pathway == UND
    assert part in missing_parts(flow)


@pytest.mark.parametrize(
    ("zone", "sector", "scenario", "day"),
    [
        ("hainan-ftp", "retail", "retail.membership", "2025-06-02"),  # Hainan covers duty-free retail only
        ("zhejiang-ftz", "pharma", None, "2025-06-02"),
        ("chongqing-ftz", "connected_vehicles", None, "2025-08-29"),  # before the list took effect
        ("jiangsu-ftz", "connected_vehicles", None, "2025-10-01"),
    ],
)
def test_outside_a_thin_list_the_national_rules_decide(law: Law, zone, sector, scenario, day) -> None:
    et = CV if sector == "connected_vehicles" else {}
    data = {"category": "contact.email", "persons": 150_000, "subject": "customer"}
    flow = judge(law, declaration(zone, sector, data, scenario=scenario, **et), day)
    assert flow.pathway == SCC and flow.items[0].regime == "cn-national-2024"


def test_no_list_binds_a_zone_before_its_first_list(law: Law) -> None:
    flow = judge(
        law,
        declaration("guangxi-ftz", "credit_information", {"category": "business.financial_reporting"}),
        "2025-08-07",
    )
    assert flow.pathway == EXEMPT and flow.items[0].regime == "cn-national-2024"


# --- facts found since the lists were written (issue 10 §6, issue 17 §6) ------------------------------


@pytest.mark.parametrize(
    ("sector", "data"),
    [
        ("personal_credit_reporting", {"category": "finance.bank_account", "persons": 5_000}),
        ("personal_credit_reporting", {"category": "contact.phone", "persons": 2_000_000}),
        ("smart_equipment_manufacturing", {"category": "business.manufacturing"}),
        ("smart_equipment_manufacturing", {"category": "contact.email", "persons": 50}),
    ],
)
def test_guangdong_2025_covered_sectors_are_undetermined_never_national(law: Law, sector, data) -> None:
    flow = judge(law, declaration("guangdong-ftz", sector, data), "2026-06-01")
    assert flow.pathway == UND
    assert "gd25.all-items" in missing_parts(flow)


def test_guangdong_2025_outside_its_sectors_the_national_rules_decide(law: Law) -> None:
    """Zone-facts-2 §3 example 6 (U): data the local list does not describe, over 1,000,000 persons."""
    data = {"category": "contact.phone", "persons": 1_200_000, "subject": "customer"}
    flow = judge(law, declaration("guangdong-ftz", "logistics", data), "2026-06-01")
    assert flow.pathway == SA and flow.items[0].regime == "cn-national-2024"
    below = judge(law, declaration("guangdong-ftz", "logistics", {**data, "persons": 999_999}), "2026-06-01")
    assert below.pathway == SCC


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
    # a covered sector before the list: the national answer
    data = {"category": "contact.phone", "persons": 150_000, "subject": "customer"}
    flow = judge(law, declaration("guangdong-ftz", "personal_credit_reporting", data), "2026-05-01")
    assert flow.pathway == SCC and flow.items[0].regime == "cn-national-2024"


def test_tianjin_lists_the_new_sectors_too(law: Law) -> None:
    """Tianjin is category-based: every sector of the vocabulary, Guangdong's new ones included."""
    tj = {s.sector for s in law.lists.get("tianjin-ftz-2024").sectors}
    assert set(law.vocabulary.sectors) <= tj


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
    # with no category encoded it never lightens an answer: a Lingang PV flow keeps the national one
    data = {"category": "health.adverse_event", "subject": "patient", "persons": 20_000}
    decl = declaration(
        "shanghai-ftz",
        "pharma",
        data,
        scenario="pharma.pharmacovigilance",
        area="lingang",
        enterprise_type="pharma.chemical_drugs",
    )
    flow = judge(law, decl, "2025-06-02")
    assert flow.pathway == SA and flow.items[0].regime == "cn-national-2024"


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
