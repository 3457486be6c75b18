"""Each national regime's own rules, at their band edges and either side of every boundary date
(issue 10 §2, §3). Expected values are written from the instruments, not from the engine."""

from __future__ import annotations

import datetime as dt

import pytest

from ftzlist.engine import decide
from ftzlist.law import Law
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

SA = Pathway.security_assessment
SCC = Pathway.standard_contract_or_certification
EXEMPT = Pathway.exempt
UNDET = Pathway.undetermined


def _national(
    items: list[tuple[str, int | None]], *, ciio: bool | None = False, held: int = 400000
) -> Declaration:
    return Declaration.model_validate(
        {
            "version": 1,
            "handler": {"name": "X", "zone": None, "ciio": ciio, "holdings": {"persons_pi": held}},
            "flows": [
                {
                    "id": "f",
                    "recipient": {"name": "R", "country": "SG"},
                    "purpose": "p",
                    "data": [{"id": f"d{i}", "category": c, "persons": n} for i, (c, n) in enumerate(items)],
                }
            ],
        }
    )


def _flow(law: Law, decl: Declaration, day: str):
    return decide(decl, law, dt.date.fromisoformat(day)).flows[0]


# --- §2: how persons pool toward a threshold is each regime's own rule -------------------------------


def test_issue_input_2022_pools_sensitive_toward_100000(law: Law) -> None:
    """Issue 10 §2 input: 95,000 e-mails + 8,000 medical records on 2023-09-01. Order 11 Art. 4(3)
    counts PI of 100,000 persons of any kind: 103,000 -> security assessment for both items."""
    fd = _flow(law, _national([("contact.email", 95000), ("health.medical_record", 8000)]), "2023-09-01")
    assert fd.pathway == SA
    assert all("cn22.pi.assessment" in it.deciding_rules for it in fd.items)


@pytest.mark.parametrize(
    ("email", "medical", "expected"),
    [
        (91999, 8000, SCC),  # 99,999 persons of PI in all: under 100,000, sensitive under 10,000
        (92000, 8000, SA),  # 100,000 in all (sensitive included): Order 11 Art. 4(3)
        (99999, 0, SCC),  # 99,999 non-sensitive, no sensitive item counted
        (100000, 0, SA),
        (0, 9999, SCC),  # sensitive under its own 10,000
        (0, 10000, SA),  # sensitive at 10,000: Order 11 Art. 4(3)
        (90000, 9999, SCC),  # 99,999 in all
        (90001, 9999, SA),  # 100,000 in all
    ],
)
def test_2022_pooling_band_edges(law: Law, email: int, medical: int, expected: Pathway) -> None:
    items = [("contact.email", email)] + ([("health.medical_record", medical)] if medical else [])
    assert _flow(law, _national(items), "2023-09-01").pathway == expected


def test_issue_input_2024_excludes_sensitive_from_the_pool(law: Law) -> None:
    """The same flow under CBDF (2024): non-sensitive 95,000 is under 100,000 (Art. 5(4)), the
    sensitive 8,000 needs a contract (Art. 8): standard contract, the sensitive never pooled."""
    fd = _flow(law, _national([("contact.email", 95000), ("health.medical_record", 8000)]), "2024-03-22")
    assert fd.pathway == SCC
    by = {it.data_item: it for it in fd.items}
    assert by["f/d0"].pathway == EXEMPT
    assert by["f/d1"].deciding_rules == ["cn24.spi.contract"]


@pytest.mark.parametrize(
    ("email", "medical", "expected"),
    [
        (99999, 1, SCC),  # sensitive 1 -> contract; non-sensitive under 100,000 -> exempt
        (99999, 0, EXEMPT),
        (100000, 0, SCC),
        (999999, 9999, SCC),  # 1,008,998 persons in all: the 2024 rule does not pool them
        (1000000, 0, SA),
        (0, 10000, SA),
    ],
)
def test_2024_pooling_band_edges(law: Law, email: int, medical: int, expected: Pathway) -> None:
    items = [("contact.email", email)] + ([("health.medical_record", medical)] if medical else [])
    assert _flow(law, _national(items), "2024-06-01").pathway == expected


def test_every_national_band_states_its_pooling(law: Law) -> None:
    """A national person threshold says whose persons it counts, with a citation (issue 10 §2)."""
    for lf in law.lists:
        if lf.kind != "national":
            continue
        for it in lf.items:
            if (
                it.persons is not None
                and it.data_class is not None
                and it.data_class.value == "personal_information"
            ):
                assert it.pooling is not None, f"{lf.id} {it.id} states no pooling"
                assert it.pooling.citation.ref
