"""A granted exemption says what the claim was taken to assert (issue 10 §5, red team).

Each CBDF ground rests on facts the declaration has no field for (Art. 4: collected abroad, no
domestic personal information added; Art. 5(2): lawful labour rules; Art. 5(3): the emergency; Art. 3:
the activity). The list file states, per ground, the reading that the claim asserts them. A flow
granted the ground must name that reading in its output, and a condition met only because the claim
asserts an unstated fact (an HR flow with no scenario) must say so too: an `exempt` resting on an
assertion the output does not state is a reading taken silently.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ftzlist.engine import decide
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

AS_OF = dt.date(2026, 6, 1)


def declare(flow: dict[str, Any]) -> Declaration:
    return Declaration.model_validate(
        {
            "handler": {"name": "X", "zone": None, "ciio": False},
            "flows": [{"id": "f", "recipient": {"name": "R", "country": "SG"}, "purpose": "p", **flow}],
        }
    )


GRANTED = [
    # ground, data, list reading's words the output must carry
    (
        "foreign_pi_reexport",
        {"category": "health.medical_record", "subject": "patient", "persons": 2_000_000},
        "collected abroad",
    ),
    ("trade_and_cooperation_non_personal", {"category": "business.trade"}, "activities Art. 3 names"),
    ("emergency", {"category": "health.medical_record", "subject": "patient", "persons": 50}, "emergency"),
    (
        "hr_management",
        {"category": "professional.employee", "subject": "employee", "persons": 900_000},
        "labour rules",
    ),
    (
        "contract_necessity",
        {"category": "contact.phone", "subject": "customer", "persons": 2_000_000},
        "genuinely needed",
    ),
]


@pytest.mark.parametrize(("ground", "item", "words"), GRANTED, ids=[g[0] for g in GRANTED])
def test_granted_ground_names_what_the_claim_asserts(law, ground: str, item: dict, words: str) -> None:
    fd = decide(declare({"exemption": ground, "data": [{"id": "a", **item}]}), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.exempt
    assert fd.exemption is not None and fd.exemption.outcome == "granted"
    note = next((w for w in fd.warnings if f"exemption {ground}" in w), None)
    assert note is not None, fd.warnings
    assert "granted on the claim" in note and words in note and fd.exemption.rule_id in note


def test_unstated_fact_asserted_by_the_claim_is_named(law) -> None:
    """Art. 5(2) with no scenario: the scenario condition holds only because the claim asserts it."""
    data = [{"id": "a", "category": "professional.employee", "subject": "employee", "persons": 900_000}]
    fd = decide(declare({"exemption": "hr_management", "data": data}), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.exempt
    note = next(w for w in fd.warnings if "cbdf-art5-2.hr-scenario" in w)
    assert "flows[0].scenario" in note and "not stated" in note


def test_stated_scenario_is_not_called_asserted(law) -> None:
    data = [{"id": "a", "category": "professional.employee", "subject": "employee", "persons": 900_000}]
    flow = {"exemption": "hr_management", "scenario": "general.hr_management", "data": data}
    fd = decide(declare(flow), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.exempt
    assert not any("cbdf-art5-2.hr-scenario" in w for w in fd.warnings)


def test_subject_implied_by_category_is_named(law) -> None:
    """Employee HR records with no subject type: the subject is read from the category."""
    data = [{"id": "a", "category": "professional.employee", "persons": 900_000}]
    flow = {"exemption": "hr_management", "scenario": "general.hr_management", "data": data}
    fd = decide(declare(flow), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.exempt
    note = next(w for w in fd.warnings if "cbdf-art5-2.employees" in w)
    assert "flows[0].data[0].subject" in note and "professional.employee" in note


def test_rejected_claim_carries_no_granted_note(law) -> None:
    data = [{"id": "a", "category": "contact.phone", "subject": "customer", "persons": 2_000_000}]
    fd = decide(declare({"exemption": "hr_management", "data": data}), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.security_assessment
    assert not any("granted on the claim" in w for w in fd.warnings)
