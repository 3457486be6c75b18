"""Missing deciding facts and readings named in the output (issue 10 §3, §5). Expected values are
written from the lists and the issue, not from the engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ftzlist.engine import decide
from ftzlist.law import Law
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

SA = Pathway.security_assessment
SCC = Pathway.standard_contract_or_certification
EXEMPT = Pathway.exempt
UNDET = Pathway.undetermined

FUJIAN_PHARMA: dict[str, Any] = {
    "name": "X",
    "zone": "fujian-ftz",
    "area": "xiamen",
    "sector": "pharma",
    "ciio": False,
    "holdings": {"persons_pi": 20000, "persons_sensitive": 20000},
}


def _decl(handler: dict[str, Any], flows: list[dict[str, Any]]) -> Declaration:
    return Declaration.model_validate({"version": 1, "handler": handler, "flows": flows})


def _pv(persons: int = 20000) -> dict[str, Any]:
    return {
        "id": "pv",
        "scenario": "pharma.pharmacovigilance",
        "recipient": {"name": "R", "country": "US"},
        "purpose": "p",
        "data": [
            {"id": "icsr", "category": "health.adverse_event", "subject": "patient", "persons": persons}
        ],
    }


def _one(law: Law, decl: Declaration, day: str = "2026-06-01"):
    return decide(decl, law, dt.date.fromisoformat(day)).flows[0]


# --- §3: a fact that decides whether a list binds -------------------------------------------------


def test_issue_input_without_enterprise_type_is_undetermined_with_both_bounds(law: Law) -> None:
    """Issue 10 §3 input: the Fujian list binds only named enterprise types of pharma. Without the
    type: under the list a standard contract (patients tier 2), without it a security assessment
    (20,000 sensitive, national): undetermined, enterprise_type named, both bounds."""
    fd = _one(law, _decl(FUJIAN_PHARMA, [_pv()]))
    assert fd.pathway == UNDET
    assert (fd.lower_bound, fd.upper_bound) == (SCC, SA)
    assert [m.field for m in fd.missing] == ["handler.enterprise_type"]
    assert any("fujian-ftz-2025" in w and "enterprise_type" in w for w in fd.warnings)


def test_with_enterprise_type_the_list_decides(law: Law) -> None:
    fd = _one(law, _decl({**FUJIAN_PHARMA, "enterprise_type": "pharma.chemical_drugs"}, [_pv()]))
    assert fd.pathway == SCC
    assert fd.items[0].regime == "fujian-ftz-2025"


def test_with_an_enterprise_type_the_list_does_not_name_the_national_rules_decide(law: Law) -> None:
    """A contract research organisation is not among the types the list names (sector note)."""
    handler = {**FUJIAN_PHARMA, "enterprise_type": None}
    fd = _one(law, _decl(handler, [_pv()]))
    assert fd.pathway == UNDET  # None is "not given", the same as leaving it out


def test_without_area_is_undetermined_naming_the_area(law: Law) -> None:
    handler = {**FUJIAN_PHARMA, "enterprise_type": "pharma.chemical_drugs", "area": None}
    fd = _one(law, _decl(handler, [_pv()]))
    assert fd.pathway == UNDET
    assert (fd.lower_bound, fd.upper_bound) == (SCC, SA)
    assert "handler.area" in {m.field for m in fd.missing}


def test_without_sector_is_undetermined(law: Law) -> None:
    handler = {**FUJIAN_PHARMA, "sector": None}
    fd = _one(law, _decl(handler, [_pv()]))
    assert fd.pathway == UNDET
    assert "handler.sector" in {m.field for m in fd.missing}


def test_same_answer_either_way_is_determined_and_says_the_list_may_bind(law: Law) -> None:
    """60,000 patients: tier 1 under the list, sensitive >= 10,000 nationally: a security
    assessment either way; the list's filing may attach, which the note says."""
    fd = _one(
        law,
        _decl({**FUJIAN_PHARMA, "holdings": {"persons_pi": 60000, "persons_sensitive": 60000}}, [_pv(60000)]),
    )
    assert fd.pathway == SA
    assert any("either way" in w and "enterprise_type" in w for w in fd.warnings)


def test_missing_fact_can_lower_as_well_as_raise(law: Law) -> None:
    """8,000 patients: under the list below tier 2 (off-list, exempt); nationally sensitive PI of
    fewer than 10,000 needs a contract. Lower bound exempt, upper the contract."""
    fd = _one(
        law,
        _decl({**FUJIAN_PHARMA, "holdings": {"persons_pi": 8000, "persons_sensitive": 8000}}, [_pv(8000)]),
    )
    assert fd.pathway == UNDET
    assert (fd.lower_bound, fd.upper_bound) == (EXEMPT, SCC)


# --- §3: a parent category whose descendants differ in sensitivity --------------------------------


def _national(category: str, persons: int, sensitive: bool | None = None) -> Declaration:
    item: dict[str, Any] = {"id": "a", "category": category, "subject": "customer", "persons": persons}
    if sensitive is not None:
        item["sensitive"] = sensitive
    return _decl(
        {"name": "X", "zone": None, "ciio": False},
        [{"id": "f", "recipient": {"name": "R", "country": "SG"}, "purpose": "p", "data": [item]}],
    )


def test_parent_category_of_open_sensitivity_is_asked(law: Law) -> None:
    """20,000 persons' `location` (location.precise / location.track are sensitive): not exempt
    on a guess; undetermined, the item's `sensitive` asked, up to a security assessment."""
    fd = _one(law, _national("location", 20000))
    assert fd.pathway == UNDET
    assert fd.upper_bound == SA
    assert "flows[0].data[0].sensitive" in {m.field for m in fd.missing}
    assert fd.items[0].sensitive is None


@pytest.mark.parametrize(
    ("category", "sensitive", "expected"),
    [
        ("location", False, EXEMPT),  # settled by the declaration: non-sensitive, under 100,000
        ("location", True, SA),  # sensitive, 20,000 >= 10,000
        ("location.precise", None, SA),  # the sensitive child
        ("location.precise", False, SA),  # a sensitive category is never lowered by a claim
        ("contact.email", None, EXEMPT),  # no sensitive descendant: non-sensitive
    ],
)
def test_sensitivity_neighbours(law: Law, category: str, sensitive: bool | None, expected: Pathway) -> None:
    assert _one(law, _national(category, 20000, sensitive)).pathway == expected


def test_open_sensitivity_counts_on_both_axes_in_the_totals(law: Law) -> None:
    totals = decide(_national("location", 20000), law, dt.date(2026, 6, 1)).handler_totals
    assert totals.persons_sensitive == 20000 and totals.persons_non_sensitive == 20000


# --- §3: Lingang: a positive list whose part is not encoded ---------------------------------------


def _lingang(scenario: str = "pharma.pharmacovigilance", sector: str = "pharma") -> Declaration:
    return _decl(
        {
            "name": "X",
            "zone": "shanghai-ftz",
            "area": "lingang",
            "sector": sector,
            "ciio": False,
            "holdings": {
                "persons_pi": 1000,
                "persons_sensitive": 0,
                "persons_sensitive_accounts_or_medical": 0,
            },
        },
        [
            {
                "id": "f",
                "scenario": scenario,
                "recipient": {"name": "R", "country": "DE"},
                "purpose": "p",
                "data": [
                    {"id": "d", "category": "health.adverse_event", "subject": "patient", "persons": 20000}
                ],
            }
        ],
    )


def test_lingang_biomedicine_flow_is_told_a_lighter_path_may_exist(law: Law) -> None:
    fd = _one(law, _lingang(), "2025-06-02")
    assert fd.pathway == SA  # the national answer stands: the lighter path is not encoded
    notes = [w for w in fd.warnings if "not encoded" in w and "may let this data flow" in w]
    assert notes and "lg25.biomed.data-categories" in notes[0]


def test_lingang_handler_of_another_sector_gets_no_such_note(law: Law) -> None:
    decl = _lingang(scenario="logistics.cross_border_delivery", sector="logistics")
    fd = _one(law, decl, "2025-06-02")
    assert not [w for w in fd.warnings if "not encoded" in w and "may let this data flow" in w]


def test_lingang_biomedicine_disputed_first_day_names_its_reading(law: Law) -> None:
    """Between 2024-05-17 and 2025-05-15 the list may or may not be in force: the answer (the
    national one) is the same, the note depends on it, so the first-day reading is named."""
    fd = _one(law, _lingang(), "2024-06-01")
    assert fd.pathway == SA
    assert "lg25.reading.first-day" in {r.id for r in fd.readings}


# --- §5: readings named in the output -----------------------------------------------------------


def _xiamen_biologics(persons: int = 50000) -> Declaration:
    return _decl(
        {
            "name": "X",
            "zone": "fujian-ftz",
            "area": "xiamen",
            "sector": "pharma",
            "enterprise_type": "pharma.biologics",
            "ciio": False,
            "holdings": {
                "persons_pi": persons,
                "persons_sensitive": 0,
                "persons_sensitive_accounts_or_medical": 0,
            },
        },
        [
            {
                "id": "hcp",
                "scenario": "pharma.hcp_engagement",
                "recipient": {"name": "R", "country": "US"},
                "purpose": "p",
                "data": [
                    {
                        "id": "d",
                        "category": "contact.phone",
                        "subject": "healthcare_professional",
                        "persons": persons,
                    }
                ],
            }
        ],
    )


@pytest.mark.parametrize(
    ("day", "expected", "filing", "first_day_named"),
    [
        ("2025-12-17", EXEMPT, False, False),  # before either date: national, 50,000 < 100,000
        ("2025-12-18", SCC, True, True),  # seed's date: the stricter (list in force), reading named
        ("2025-12-24", SCC, True, True),
        ("2025-12-25", SCC, True, False),  # certainly in force
        ("2025-12-26", SCC, True, False),
    ],
)
def test_issue_input_fujian_disputed_first_day(
    law: Law, day: str, expected: Pathway, filing: bool, first_day_named: bool
) -> None:
    """Issue 10 §5: 50,000 healthcare professionals' records of a Xiamen biologics maker."""
    fd = _one(law, _xiamen_biologics(), day)
    assert fd.pathway == expected
    assert any(o.procedure == "fj.list_filing" for o in fd.obligations) is filing
    named = {r.id for r in fd.readings}
    assert ("fj25.reading.first-day" in named) is first_day_named
    if first_day_named:
        assert any("two first days" in w for w in fd.warnings)
        assert any(w.startswith("reading fj25.reading.first-day") for w in fd.warnings)


def test_zone_band_stricter_than_the_ladder_names_its_reading(law: Law) -> None:
    """50,000 HCPs: the list asks a contract where the national ladder exempts."""
    fd = _one(law, _xiamen_biologics(), "2026-06-01")
    assert "fj25.reading.zone-band-stricter" in {r.id for r in fd.readings}


def test_zone_band_equal_to_or_lighter_than_the_ladder_names_no_such_reading(law: Law) -> None:
    """150,000 HCPs: a contract under the list and under the ladder: nothing stricter to name."""
    fd = _one(law, _xiamen_biologics(150000), "2026-06-01")
    assert fd.pathway == SCC
    assert "fj25.reading.zone-band-stricter" not in {r.id for r in fd.readings}


def test_catalogue_scope_reading_named_for_an_uncovered_sector(law: Law) -> None:
    """A Fujian FTZ logistics handler: the Part B catalogue is read as not binding it."""
    decl = _decl(
        {"name": "X", "zone": "fujian-ftz", "area": "xiamen", "sector": "logistics", "ciio": False},
        [
            {
                "id": "f",
                "scenario": "logistics.cross_border_delivery",
                "recipient": {"name": "R", "country": "US"},
                "purpose": "p",
                "data": [{"id": "d", "category": "contact.address", "subject": "customer", "persons": 500}],
            }
        ],
    )
    fd = _one(law, decl)
    assert fd.pathway == EXEMPT
    assert "fj25.reading.catalogue-scope" in {r.id for r in fd.readings}


def test_a_list_with_disputed_first_days_must_state_its_reading(law: Law) -> None:
    for lf in law.lists:
        if lf.effective_from_dates:
            assert lf.reading_on("first_day") is not None, lf.id
