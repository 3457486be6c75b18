"""Two editions of one list: the Fujian 2025 list and a FICTITIOUS 2027 edition (test fixture) with
a loosened band, a new scenario, a renamed item, a split item and a removed one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ftzlist.listdiff import diff_lists, impact
from ftzlist.loader import Law, load_declaration, load_law, load_list_file

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lists"
NEXT = FIXTURES / "fujian-ftz-2027.yaml"
HERE = Path(__file__).parent / "declarations"


@pytest.fixture(scope="module")
def law_2027() -> Law:
    # the bundled law plus the fixture's vocabulary (its new scenario) and the fictitious edition
    return load_law([FIXTURES / "vocabulary", NEXT])


@pytest.fixture(scope="module")
def d(law_2027: Law):
    return diff_lists(law_2027.lists.get("fujian-ftz-2025"), law_2027.lists.get("fujian-ftz-2027"))


def test_same_family_and_dates(d) -> None:
    assert d.family_matches
    fields = {c.field: (c.old, c.new) for c in d.metadata}
    assert fields["effective_from"] == ("2025-12-25", "2027-12-25")
    assert fields["trial_until"] == ("2027-12-24", "2029-12-24")


def test_loosened_band(d) -> None:
    bands = {b.item: b for b in d.bands}
    t2 = bands["fj25.retail.members-non-sensitive.t2"]
    assert (t2.old, t2.new, t2.direction) == ("500,000–<3,000,000", "800,000–<5,000,000", "loosened")
    t1 = bands["fj25.retail.members-non-sensitive.t1"]
    assert (t1.old, t1.new, t1.direction) == ("3,000,000+", "5,000,000+", "loosened")
    changed = {c.id: {f.field: (f.old, f.new) for f in c.changes} for c in d.changed}
    assert changed["fj25.retail.members-non-sensitive.t2"]["persons"] == (
        {"min": 500000, "max": 3000000},
        {"min": 800000, "max": 5000000},
    )


def test_new_scenario_and_its_items(d) -> None:
    assert d.scenarios_added == ["pharma.real_world_study"]
    assert {a.id for a in d.added} == {"fj27.pharma.rws-patients.t2", "fj27.pharma.rws-patients.t1"}


def test_renamed_by_content(d) -> None:
    [r] = [r for r in d.renamed if r.old_id == "fj25.pharma.patients.t2"]
    assert r.new_id == "fj27.pharma.adr-patients.t2" and r.how == "id"
    assert [c.field for c in r.changes] == ["title"]


def test_split(d) -> None:
    [s] = d.split
    assert s.old_id == "fj25.pharma.patients.t1"
    assert sorted(s.new_ids) == ["fj27.pharma.patients-enquiries.t1", "fj27.pharma.patients-pv.t1"]
    assert s.along == "scenarios"


def test_removed(d) -> None:
    assert [r.id for r in d.removed] == ["fj25.pharma.id.device"]


def test_an_edition_against_itself_is_empty(law_2027: Law) -> None:
    lf = law_2027.lists.get("fujian-ftz-2025")
    assert diff_lists(lf, lf).empty


def test_tightened_band_is_reported_as_such(law_2027: Law) -> None:
    old = law_2027.lists.get("fujian-ftz-2025")
    items = [
        it.model_copy(update={"persons": it.persons.model_copy(update={"min": 5000})})
        if it.id == "fj25.pharma.patients.t1"
        else it
        for it in old.items
    ]
    new = old.model_copy(update={"id": "fujian-ftz-2025b", "items": items})
    [b] = diff_lists(old, new).bands
    assert (b.item, b.direction) == ("fj25.pharma.patients.t1", "tightened")


def test_impact_on_a_filed_company(law_2027: Law) -> None:
    decl = load_declaration(HERE / "retail-fujian.yaml", law_2027)
    result = impact(
        load_list_file(law_2027.lists.paths["fujian-ftz-2025"]),
        load_list_file(NEXT),
        decl,
        law_2027,
        dt.date(2026, 6, 1),
    )
    flows = {f.flow_id: f for f in result.flows}
    # 600,000 members: tier 2 (500,000-<3,000,000) under 2025; below the new 800,000 floor in 2027.
    members = flows["members"]
    assert (members.old.value, members.new.value, members.change) == (
        "standard_contract_or_certification",
        "exempt",
        "lighter",
    )
    assert members.old_rules == ["fj25.retail.members-non-sensitive.t2"]
    assert members.new_rules == ["fj25.off-list"]
    # 150,000 app accounts (other retail scenario): the catch-all band did not move.
    assert flows["app-accounts"].change == "unchanged"
    assert [f.flow_id for f in result.changed] == ["members"]
    assert any("not in force" in n for n in result.notes)


def test_impact_of_a_rename_changes_rules_not_pathway(law_2027: Law) -> None:
    decl = load_declaration(Path(__file__).parents[1] / "compare" / "declarations" / "pharma.yaml", law_2027)
    result = impact(
        load_list_file(law_2027.lists.paths["fujian-ftz-2025"]),
        load_list_file(NEXT),
        decl,
        law_2027,
        dt.date(2026, 3, 2),
    )
    pv = next(f for f in result.flows if f.flow_id == "pv")
    assert pv.change == "unchanged"
    assert pv.old_rules == ["fj25.pharma.patients.t2"] and pv.new_rules == ["fj27.pharma.adr-patients.t2"]
    assert any("judged as if registered in fujian-ftz" in n for n in result.notes)
