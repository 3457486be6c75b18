"""Exemption grounds judged against their conditions (issue 10 §1, §8 first bullet).

The pathways of each ground's fitting, contradicting and unstated facts are scenario data
(tests/scenarios/national-exemptions.yaml); here: what the decision says about a claim (warnings,
JSON `exemption`, missing facts, lower bound), the terminal notes, the list schema, and the
property that a contradicted claim never changes the answer the ladder gives without it.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from rich.console import Console

from ftzlist.engine import decide
from ftzlist.render.terminal import render
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.lists import Exemption, GroundCondition

AS_OF = dt.date(2024, 6, 1)


def declare(*flows: dict[str, Any], ciio: bool | None = False) -> Declaration:
    return Declaration.model_validate(
        {
            "handler": {"name": "X", "zone": None, "ciio": ciio},
            "flows": [
                {"id": f"f{i}", "recipient": {"name": "R", "country": "SG"}, "purpose": "p", **f}
                for i, f in enumerate(flows)
            ],
        }
    )


def issue_input() -> Declaration:
    """Issue 10 §1: the HR ground claimed for 2,000,000 customers' phone numbers."""
    return declare(
        {
            "exemption": "hr_management",
            "data": [{"id": "a", "category": "contact.phone", "subject": "customer", "persons": 2_000_000}],
        }
    )


def test_contradicted_ground_is_decided_without_it_and_warned(law) -> None:
    fd = decide(issue_input(), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.security_assessment
    assert fd.items[0].deciding_rules == ["cn24.pi.assessment"]
    note = next(w for w in fd.warnings if "hr_management" in w)
    for part in ("not granted", "cbdf-art5-2.employees", "flows[0].data[0].subject = customer", "Art. 5(2)"):
        assert part in note
    claim = fd.exemption
    assert claim is not None and claim.outcome == "rejected" and claim.rule_id == "cbdf-art5-2"
    (breach,) = claim.contradictions
    assert (breach.condition, breach.field, breach.value) == (
        "cbdf-art5-2.employees",
        "flows[0].data[0].subject",
        "customer",
    )
    assert breach.citation.ref == "Art. 5(2)"
    check = next(c for c in fd.checks if c.rule_id == "cbdf-art5-2")
    assert check.outcome == "not_fired" and "customer" in check.reason


def test_granted_ground(law) -> None:
    decl = declare(
        {
            "exemption": "hr_management",
            "scenario": "general.hr_management",
            "data": [{"category": "contact.phone", "subject": "employee", "persons": 2_000_000}],
        }
    )
    fd = decide(decl, law, AS_OF).flows[0]
    assert fd.pathway == Pathway.exempt and fd.exemption and fd.exemption.outcome == "granted"
    assert not any("not granted" in w for w in fd.warnings)


@pytest.mark.parametrize(
    ("ground", "persons", "lower"),
    [
        ("hr_management", 200_000, Pathway.standard_contract_or_certification),
        ("hr_management", 1_000_000, Pathway.security_assessment),
        ("contract_necessity", 100_000, Pathway.standard_contract_or_certification),
        ("contract_necessity", 999_999, Pathway.standard_contract_or_certification),
    ],
)
def test_unstated_subject_is_undetermined_with_the_answer_without_the_ground_as_lower_bound(
    law, ground: str, persons: int, lower: Pathway
) -> None:
    decl = declare({"exemption": ground, "data": [{"category": "contact.phone", "persons": persons}]})
    fd = decide(decl, law, AS_OF).flows[0]
    assert fd.pathway == Pathway.undetermined and fd.lower_bound == lower
    assert "flows[0].data[0].subject" in [m.field for m in fd.missing]
    assert fd.exemption and fd.exemption.outcome == "open"
    assert fd.exemption.missing == ["flows[0].data[0].subject"]


@pytest.mark.parametrize("ground", ["hr_management", "contract_necessity"])
def test_unstated_subject_below_every_band_is_determined(law, ground: str) -> None:
    decl = declare({"exemption": ground, "data": [{"category": "contact.phone", "persons": 99_999}]})
    fd = decide(decl, law, AS_OF).flows[0]
    assert fd.pathway == Pathway.exempt and fd.missing == []


def test_open_claim_is_counted_towards_other_flows(law) -> None:
    """The ground cannot be relied on until the fact is stated: its persons stay in the count."""
    decl = declare(
        {"exemption": "hr_management", "data": [{"category": "contact.phone", "persons": 60_000}]},
        {"data": [{"category": "contact.email", "subject": "customer", "persons": 60_000}]},
    )
    flows = decide(decl, law, AS_OF).flows
    assert flows[1].pathway == Pathway.standard_contract_or_certification
    assert flows[0].pathway == Pathway.undetermined
    assert flows[0].lower_bound == Pathway.standard_contract_or_certification


def test_rejected_claim_is_counted_towards_other_flows(law) -> None:
    decl = declare(
        {
            "exemption": "contract_necessity",
            "data": [{"category": "contact.email", "subject": "business_partner", "persons": 950_000}],
        },
        {"data": [{"category": "contact.email", "subject": "customer", "persons": 60_000}]},
    )
    flows = decide(decl, law, AS_OF).flows
    assert [f.pathway for f in flows] == [Pathway.security_assessment] * 2
    assert decide(decl, law, AS_OF).handler_totals.excluded_exempt_flows == []


def test_ground_not_in_the_regime_is_rejected_with_a_note(law) -> None:
    decl = declare(
        {
            "exemption": "emergency",
            "data": [{"category": "health.medical_record", "subject": "patient", "persons": 500}],
        }
    )
    fd = decide(decl, law, dt.date(2023, 6, 1)).flows[0]
    assert fd.pathway != Pathway.exempt
    note = next(w for w in fd.warnings if "emergency" in w)
    assert "offers no such ground" in note and "cn-national-2024" in note
    assert fd.exemption and fd.exemption.outcome == "unavailable" and fd.exemption.rule_id is None


def test_rejection_is_in_the_terminal_table_not_only_explain(law) -> None:
    out = io.StringIO()
    Console(file=out, width=400, color_system=None).print(render(decide(issue_input(), law, AS_OF)))
    text = out.getvalue()
    assert "hr_management" in text and "not granted" in text and "cbdf-art5-2.employees" in text


def test_every_national_ground_has_conditions_or_says_why_not(law) -> None:
    grounds = [e for lf in law.lists if lf.kind == "national" for e in lf.exemptions]
    assert grounds, "the national list offers the CBDF grounds"
    for e in grounds:
        assert e.conditions or e.reading, f"{e.id}: no condition and no reading saying why"
        for c in e.conditions:
            assert c.text.zh and c.text.en and c.citation.ref


def test_condition_that_tests_nothing_is_refused() -> None:
    with pytest.raises(ValidationError, match="tests nothing"):
        GroundCondition.model_validate(
            {
                "id": "c",
                "text": {"zh": "条件", "en": "condition"},
                "citation": {"instrument": "x", "ref": "1"},
            }
        )


def test_duplicate_condition_ids_are_refused() -> None:
    cond = {
        "id": "c",
        "text": {"zh": "条件", "en": "condition"},
        "subjects": ["employee"],
        "citation": {"instrument": "x", "ref": "1"},
    }
    with pytest.raises(ValidationError, match="duplicate condition ids"):
        Exemption.model_validate(
            {
                "id": "e",
                "ground": "g",
                "name": {"zh": "豁免", "en": "ground"},
                "covers": "personal_information",
                "conditions": [cond, cond],
                "citation": {"instrument": "x", "ref": "1"},
            }
        )


NOT_EMPLOYEES = ["customer", "patient", "consumer_member", "trial_subject", "guest", "bystander"]
NOT_PARTIES = ["employee", "business_partner", "bystander", "trial_subject", "healthcare_professional"]
PI = ["contact.phone", "contact.email", "health.medical_record", "finance.bank_account"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ground=st.sampled_from([("hr_management", NOT_EMPLOYEES), ("contract_necessity", NOT_PARTIES)]),
    data=st.data(),
    persons=st.integers(min_value=0, max_value=3_000_000),
    category=st.sampled_from(PI),
)
def test_contradicted_claim_gives_the_answer_without_it(law, ground, data, persons, category) -> None:
    name, wrong = ground
    subject = data.draw(st.sampled_from(wrong))
    item = {"category": category, "subject": subject, "persons": persons}
    claimed = decide(declare({"exemption": name, "data": [item]}), law, AS_OF).flows[0]
    plain = decide(declare({"data": [item]}), law, AS_OF).flows[0]
    assert (claimed.pathway, claimed.lower_bound) == (plain.pathway, plain.lower_bound)
    assert claimed.exemption and claimed.exemption.outcome == "rejected"
