"""A subject below its own band's floor is off the Fujian list: the reading is named (issue 10 §5).

Seed 002, pharmaceuticals tier 2: patients 10,000-<50,000 (pharmacovigilance), trial subjects
5,000-<10,000, healthcare professionals' sensitive PI 10,000-<100,000, and a catch-all "<10,000
(sensitive)". Whether the catch-all catches a subject that has a band of its own but falls below
its floor is open; the list reads it as off the list (exempt, where the national ladder alone gives a
standard contract for any sensitive PI, CBDF Art. 8). Found by the issue 10 red team: the answer was
`exempt` with nothing said. The decision must name the reading (fj25.reading.catch-all-floor) in
`readings` and its notes whenever it is relied on, and not otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ftzlist.engine import decide
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

AS_OF = dt.date(2026, 6, 1)
READING = "fj25.reading.catch-all-floor"


def fujian(scenario: str, category: str, subject: str, persons: int) -> Declaration:
    return Declaration.model_validate(
        {
            "handler": {
                "name": "X",
                "zone": "fujian-ftz",
                "area": "xiamen",
                "sector": "pharma",
                "enterprise_type": "pharma.chemical_drugs",
                "ciio": False,
                "holdings": {
                    "persons_pi": 20000,
                    "persons_sensitive": 20000,
                    "persons_sensitive_accounts_or_medical": 0,
                },
            },
            "flows": [
                {
                    "id": "f",
                    "scenario": scenario,
                    "recipient": {"name": "R", "country": "US"},
                    "purpose": "p",
                    "data": [{"id": "d", "category": category, "subject": subject, "persons": persons}],
                }
            ],
        }
    )


BELOW = [
    ("pharma.pharmacovigilance", "health.adverse_event", "patient", 9999),
    ("pharma.pharmacovigilance", "health.adverse_event", "patient", 1),
    ("pharma.clinical_trial", "health.clinical_trial", "trial_subject", 4999),
    ("pharma.other", "health.medical_record", "healthcare_professional", 9999),
]


@pytest.mark.parametrize("case", BELOW, ids=[f"{c[2]}-{c[3]}" for c in BELOW])
def test_below_own_floor_is_off_list_and_says_so(law, case) -> None:
    fd = decide(fujian(*case), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.exempt
    assert READING in {r.id for r in fd.readings}
    assert any(READING in w for w in fd.warnings)


AT_OR_ABOVE = [
    (
        "pharma.pharmacovigilance",
        "health.adverse_event",
        "patient",
        10000,
        Pathway.standard_contract_or_certification,
    ),
    (
        "pharma.clinical_trial",
        "health.clinical_trial",
        "trial_subject",
        5000,
        Pathway.standard_contract_or_certification,
    ),
    # no subject band: the catch-all decides, no reading needed
    ("pharma.other", "health.medical_record", "customer", 9999, Pathway.standard_contract_or_certification),
    # non-sensitive HCP data below 10,000: below the catch-all's floor too, off the list either way
    ("pharma.other", "contact.email", "healthcare_professional", 9999, Pathway.exempt),
]


@pytest.mark.parametrize("case", AT_OR_ABOVE, ids=[f"{c[2]}-{c[3]}" for c in AT_OR_ABOVE])
def test_reading_not_named_where_not_relied_on(law, case) -> None:
    *decl, expected = case
    fd = decide(fujian(*decl), law, AS_OF).flows[0]
    assert fd.pathway == expected
    assert READING not in {r.id for r in fd.readings}
