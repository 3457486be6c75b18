"""Properties the law guarantees, checked on generated declarations (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftzlist.engine import decide
from ftzlist.schema.common import PATHWAY_RANK, Pathway
from ftzlist.schema.declaration import Declaration

AS_OF = dt.date(2026, 6, 30)
CATEGORIES = [
    "contact.phone",
    "customer.membership",
    "health.medical_record",
    "finance.bank_account",
    "identity.government_id.resident_id",
    "business.trade",
    "location.track",
]
SUBJECTS = ["customer", "patient", "employee", "consumer_member", "trial_subject"]


def rank(p: Pathway) -> int:
    return PATHWAY_RANK[p]


items = st.fixed_dictionaries(
    {
        "category": st.sampled_from(CATEGORIES),
        "subject": st.sampled_from(SUBJECTS),
        "persons": st.integers(min_value=0, max_value=3_000_000),
    }
)
flows = st.lists(items, min_size=1, max_size=4)
zones = st.sampled_from([None, ("fujian-ftz", "xiamen")])
sectors = st.sampled_from(["pharma", "retail", "logistics"])


def build(zone, sector, data, ciio=False, exemption=None) -> Declaration:
    handler = {
        "name": "Prop Co",
        "sector": sector,
        "ciio": ciio,
        "holdings": {"persons_pi": 0, "persons_sensitive": 0, "persons_sensitive_accounts_or_medical": 0},
    }
    if zone:
        handler.update(zone=zone[0], area=zone[1])
    return Declaration.model_validate(
        {
            "handler": handler,
            "flows": [
                {
                    "id": "f1",
                    "scenario": {"pharma": "pharma.pharmacovigilance", "retail": "retail.membership"}.get(
                        sector, "logistics.cross_border_delivery"
                    ),
                    "recipient": {"name": "R", "country": "US"},
                    "purpose": "p",
                    "exemption": exemption,
                    "data": data,
                }
            ],
        }
    )


def pathway(law, decl) -> Pathway:
    return decide(decl, law, AS_OF).flows[0].pathway


fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fast
@given(zone=zones, sector=sectors, data=flows, extra=st.integers(min_value=1, max_value=2_000_000))
def test_more_persons_never_lowers_the_pathway(law, zone, sector, data, extra) -> None:
    before = pathway(law, build(zone, sector, data))
    grown = [dict(d, persons=d["persons"] + extra) if i == 0 else d for i, d in enumerate(data)]
    after = pathway(law, build(zone, sector, grown))
    if Pathway.undetermined in (before, after):
        return
    assert rank(after) >= rank(before)


@fast
@given(zone=zones, sector=sectors, data=flows)
def test_important_data_never_lowers_the_pathway(law, zone, sector, data) -> None:
    before = pathway(law, build(zone, sector, data))
    marked = [dict(d, important_data=True) if i == 0 else d for i, d in enumerate(data)]
    after = pathway(law, build(zone, sector, marked))
    assert after != Pathway.undetermined
    assert rank(after) >= max(
        rank(Pathway.security_assessment), rank(before) if before != Pathway.undetermined else 0
    )


@fast
@given(sector=sectors, data=flows)
def test_leaving_the_zone_is_never_lighter_than_the_national_ladder(law, sector, data) -> None:
    """A handler outside every zone gets exactly the national ladder: never lighter than it."""
    outside = decide(build(None, sector, data), law, AS_OF)
    assert all(i.regime == "cn-national-2024" for i in outside.flows[0].items)
    national = outside.flows[0].pathway
    # the same data in a zone whose list does not cover the sector is judged by the national ladder too
    uncovered = decide(build(("fujian-ftz", "xiamen"), "logistics", data), law, AS_OF).flows[0].pathway
    if sector == "logistics":
        assert uncovered == national


@fast
@given(zone=zones, sector=sectors, data=flows)
def test_same_input_gives_byte_identical_json(law, zone, sector, data) -> None:
    decl = build(zone, sector, data)
    assert decide(decl, law, AS_OF).model_dump_json() == decide(decl, law, AS_OF).model_dump_json()


@fast
@given(sector=sectors, data=flows)
def test_ciio_always_needs_an_assessment_for_personal_information(law, sector, data) -> None:
    decl = build(None, sector, data, ciio=True)
    fd = decide(decl, law, AS_OF).flows[0]
    if any(i.sensitive is not None for i in fd.items):
        assert fd.pathway == Pathway.security_assessment
