"""What a decision says beside its pathways (issue 10 §4 second bullet, §8): the handler-wide line is
the national count alone beside what the flows need; an unknown CIIO status is settled when every
value gives the same answer; undetermined says whether facts or law are missing and gives the
national answer as reference; two items that look like one set of persons are warned about and can
be declared once (`same_persons_as`)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from rich.console import Console

from ftzlist.engine import decide
from ftzlist.loader import load_declaration
from ftzlist.render.terminal import render
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

AS_OF = dt.date(2024, 6, 1)
EXAMPLES = Path(__file__).parents[2] / "examples"


def declare(*flows: dict[str, Any], **handler: Any) -> Declaration:
    return Declaration.model_validate(
        {
            "handler": {"name": "X", "zone": None, **handler},
            "flows": [
                {"id": f"f{i}", "recipient": {"name": "R", "country": "SG"}, "purpose": "p", **f}
                for i, f in enumerate(flows)
            ],
        }
    )


def phones(persons: int, **extra: Any) -> dict[str, Any]:
    return {"data": [{"category": "contact.phone", "subject": "customer", "persons": persons, **extra}]}


def terminal(ds) -> str:
    out = io.StringIO()
    Console(file=out, width=400, color_system=None).print(render(ds))
    return out.getvalue()


# --- CIIO status unknown: both values tried -----------------------------------------------------------
def test_unknown_ciio_with_2m_persons_is_a_security_assessment_either_way(law) -> None:
    ds = decide(declare(phones(2_000_000)), law, AS_OF)
    fd = ds.flows[0]
    assert fd.pathway == Pathway.security_assessment and fd.lower_bound is None
    assert fd.missing == []
    assert any("handler.ciio not stated: every value leads to security assessment" in w for w in fd.warnings)
    assert {o.id for o in fd.obligations} >= {"cn24.ciio", "cn24.pi.assessment"}
    assert ds.handler_totals.pathway == Pathway.security_assessment
    assert ds.summary == {"security_assessment": 1}


@pytest.mark.parametrize(
    ("persons", "lower"),
    [
        (999_999, Pathway.standard_contract_or_certification),
        (100_000, Pathway.standard_contract_or_certification),
        (99_999, Pathway.exempt),
    ],
)
def test_unknown_ciio_where_the_values_differ_is_undetermined_with_the_least_of_them(
    law, persons: int, lower: Pathway
) -> None:
    fd = decide(declare(phones(persons)), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.undetermined and fd.lower_bound == lower
    assert "handler.ciio" in [m.field for m in fd.missing]


def test_stated_ciio_is_not_tried_both_ways(law) -> None:
    fd = decide(declare(phones(200_000), ciio=False), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.standard_contract_or_certification
    assert not any("handler.ciio" in w for w in fd.warnings)


# --- handler-wide line: the national count alone, beside what the flows need --------------------------
def test_connected_vehicle_maker_national_count_is_not_shown_as_its_answer(law) -> None:
    decl = load_declaration(EXAMPLES / "fuzhou-connected-vehicles.yaml", law)
    ds = decide(decl, law, decl.as_of)
    totals = ds.handler_totals
    assert totals.pathway == Pathway.exempt  # nothing is left to the national ladder
    assert totals.flows_need == Pathway.security_assessment and totals.flows_may_need_more
    text = terminal(ds)
    assert "by the national count alone" in text
    assert "the handler's flows need at least: security assessment" in text
    assert "national aggregate" not in text


def test_flows_need_is_the_strictest_determined_pathway(law) -> None:
    ds = decide(declare(phones(200_000), {"data": [{"category": "business.trade"}]}, ciio=False), law, AS_OF)
    assert ds.handler_totals.flows_need == Pathway.standard_contract_or_certification
    assert not ds.handler_totals.flows_may_need_more


# --- undetermined: facts or law, and the national answer as reference ---------------------------------
def test_law_not_encoded_is_said_and_the_national_answer_given(law) -> None:
    decl = load_declaration(EXAMPLES / "fuzhou-connected-vehicles.yaml", law)
    ds = decide(decl, law, decl.as_of)
    fd = next(f for f in ds.flows if f.pathway == Pathway.undetermined)
    assert {m.kind for m in fd.missing} == {"law"}
    assert all(m.field.startswith("list ") for m in fd.missing)
    assert fd.national_reference is not None
    assert fd.national_reference.list_id == "cn-national-2024"
    assert fd.national_reference.pathway == Pathway.exempt
    text = terminal(ds)
    assert "undetermined (law not encoded)" in text and "national rules alone: exempt" in text
    assert all(f.national_reference is None for f in ds.flows if f.pathway != Pathway.undetermined)


def test_facts_missing_is_said(law) -> None:
    decl = declare(
        {
            "scenario": "pharma.pharmacovigilance",
            "data": [{"category": "health.adverse_event", "subject": "patient", "persons": 5_000}],
        },
        zone="fujian-ftz",
        sector="pharma",
        enterprise_type="pharma.chemical_drugs",
        ciio=False,
    )
    ds = decide(decl, law, dt.date(2026, 6, 30))
    fd = ds.flows[0]
    assert fd.pathway == Pathway.undetermined
    assert "handler.area" in [m.field for m in fd.missing if m.kind == "fact"]
    assert fd.national_reference is not None
    assert fd.national_reference.pathway == Pathway.standard_contract_or_certification
    assert "undetermined (facts missing" in terminal(ds)


def test_outside_every_zone_there_is_no_separate_national_reference(law) -> None:
    fd = decide(declare(phones(200_000)), law, AS_OF).flows[0]
    assert fd.pathway == Pathway.undetermined and fd.national_reference is None


# --- one set of persons declared twice ------------------------------------------------------------------
def two_items(second: dict[str, Any]) -> Declaration:
    return declare(
        {
            "data": [
                {"id": "account", "category": "customer.account", "subject": "customer", "persons": 650_000},
                {"id": "phone", "category": "contact.phone", "subject": "customer", **second},
            ]
        },
        ciio=False,
    )


def test_same_subject_and_count_is_summed_and_warned(law) -> None:
    ds = decide(two_items({"persons": 650_000}), law, AS_OF)
    fd = ds.flows[0]
    assert fd.pathway == Pathway.security_assessment  # 1,300,000: still summed
    note = next(w for w in fd.warnings if "same person count" in w)
    assert "f0/account and f0/phone" in note and "same_persons_as: account" in note
    assert "flows[0].data[1]" in note
    assert ds.handler_totals.persons_non_sensitive == 1_300_000


def test_declared_once_is_counted_once(law) -> None:
    ds = decide(two_items({"persons": 650_000, "same_persons_as": "account"}), law, AS_OF)
    fd = ds.flows[0]
    assert fd.pathway == Pathway.standard_contract_or_certification
    assert not any("same person count" in w for w in fd.warnings)
    assert ds.handler_totals.persons_non_sensitive == 650_000
    counted = {c.facts.get("persons_counted") for c in fd.checks if c.rule_id == "cn24.pi.contract"}
    assert counted == {650_000}


@pytest.mark.parametrize(
    ("second", "words"),
    [
        ({"persons": 650_001, "same_persons_as": "account"}, "cannot all be among"),
        ({"persons": 10, "same_persons_as": "phone"}, "another data item"),
        ({"persons": 10, "same_persons_as": "nothing"}, "another data item"),
    ],
)
def test_same_persons_as_must_name_a_larger_item_of_the_flow(second: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        two_items(second)


def test_different_counts_or_subjects_are_not_warned(law) -> None:
    for second in ({"persons": 650_001}, {"persons": 649_999}):
        fd = decide(two_items(second), law, AS_OF).flows[0]
        assert not any("same person count" in w for w in fd.warnings)
    decl = declare(
        {
            "data": [
                {"category": "customer.account", "subject": "customer", "persons": 650_000},
                {"category": "contact.phone", "subject": "employee", "persons": 650_000},
            ]
        },
        ciio=False,
    )
    assert not any("same person count" in w for w in decide(decl, law, AS_OF).flows[0].warnings)


def test_a_sensitive_item_among_non_sensitive_persons_still_counts_on_its_own_axis(law) -> None:
    decl = declare(
        {
            "data": [
                {"id": "all", "category": "contact.phone", "subject": "customer", "persons": 50_000},
                {
                    "id": "ids",
                    "category": "identity.government_id",
                    "subject": "customer",
                    "persons": 10_000,
                    "same_persons_as": "all",
                },
            ]
        },
        ciio=False,
    )
    ds = decide(decl, law, AS_OF)
    assert ds.flows[0].pathway == Pathway.security_assessment  # 10,000 sensitive: Art. 7(2)
    assert ds.handler_totals.persons_sensitive == 10_000


def test_markdown_says_the_same(law) -> None:
    from ftzlist.render.markdown import render as markdown

    decl = load_declaration(EXAMPLES / "fuzhou-connected-vehicles.yaml", law)
    text = markdown(decide(decl, law, decl.as_of))
    assert "By the national count alone" in text and "the flows need at least security assessment" in text
    assert "undetermined (law not encoded)" in text and "national rules alone: exempt" in text
