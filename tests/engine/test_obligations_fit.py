"""A flow that needs a security assessment is not also told to sign a standard contract (issue 10 §4).

Issue 10 §2's input as of 2023-09-01: 95,000 customers' e-mails plus 8,000 patients' records pool to
103,000 persons under CAC Order 11 Art. 4(3), so the export needs a security assessment; the 8,000
records alone are under Order 13's 10,000 line, but one mechanism covers the export (PIPL Art. 38):
the standard-contract duty of the lighter band does not fit the pathway. Found by the issue 10 red
team. Below the pool's line the contract duty stays.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ftzlist.engine import decide
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

AS_OF = dt.date(2023, 9, 1)


def decl(emails: int) -> Declaration:
    return Declaration.model_validate(
        {
            "handler": {"name": "X", "zone": None, "ciio": False, "holdings": {"persons_pi": 400000}},
            "flows": [
                {
                    "id": "f",
                    "recipient": {"name": "R", "country": "SG"},
                    "purpose": "p",
                    "data": [
                        {"id": "a", "category": "contact.email", "persons": emails},
                        {"id": "b", "category": "health.medical_record", "persons": 8000},
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("emails", "pathway", "contract_duty"),
    [
        (95000, Pathway.security_assessment, False),
        (92000, Pathway.security_assessment, False),
        (91999, Pathway.standard_contract_or_certification, True),
    ],
)
def test_obligations_fit_the_pathway(law, emails: int, pathway: Pathway, contract_duty: bool) -> None:
    fd = decide(decl(emails), law, AS_OF).flows[0]
    assert fd.pathway == pathway
    ids = {o.id for o in fd.obligations}
    assert ("cn22.spi.contract" in ids) is contract_duty
    assert all(o.pathway in (None, fd.pathway) for o in fd.obligations)
