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


# --- §3: the regime before 2022-09-01 and the transition periods --------------------------------------


def _obligations(fd) -> dict[str, dt.date | None]:
    return {o.id: o.due for o in fd.obligations}


def test_before_pipl_no_regime_is_encoded_and_says_so(law: Law) -> None:
    """2021-10-31: PIPL is not yet in force; no national regime is encoded for the day: a clear
    input error naming the earliest regime, never a traceback."""
    from ftzlist.errors import InputError

    with pytest.raises(InputError, match=r"no national regime is encoded for 2021-10-31.*2021-11-01"):
        _flow(law, _national([("contact.email", 10)]), "2021-10-31")


@pytest.mark.parametrize("day", ["2021-11-01", "2022-08-31"])
def test_pipl_period_non_ciio_is_undetermined_between_contract_and_assessment(law: Law, day: str) -> None:
    """PIPL Art. 38 needs a mechanism for any export; Art. 40's amounts were not yet set (no Order
    11): undetermined, lower bound the contract or certification, the unset amounts named."""
    fd = _flow(law, _national([("contact.email", 50)]), day)
    assert fd.pathway == UNDET
    assert fd.lower_bound == SCC
    assert fd.items[0].regime == "cn-national-2021"
    assert any("cn21.art40-amounts-unset" in m.field for m in fd.missing)


@pytest.mark.parametrize("day", ["2021-11-01", "2022-08-31"])
def test_pipl_period_ciio_needs_assessment_with_no_procedure_yet(law: Law, day: str) -> None:
    fd = _flow(law, _national([("contact.email", 50)], ciio=True), day)
    assert fd.pathway == SA
    assert fd.items[0].deciding_rules == ["cn21.ciio"]
    obs = _obligations(fd)
    assert "cn21.no-procedure-yet" in obs
    # Order 11 was issued on 2022-07-07: its transition duty shows from then, with its deadline
    assert ("cn21.order11-transition" in obs) == (day >= "2022-07-07")


@pytest.mark.parametrize("day", ["2021-11-01", "2022-08-31"])
def test_pipl_period_non_personal_data_needs_nothing(law: Law, day: str) -> None:
    assert _flow(law, _national([("business", None)]), day).pathway == EXEMPT


def test_pipl_period_has_no_exemption_grounds(law: Law) -> None:
    decl = _national([("contact.email", 50)])
    decl = decl.model_copy(
        update={"flows": [decl.flows[0].model_copy(update={"exemption": "contract_necessity"})]}
    )
    fd = _flow(law, decl, "2022-01-01")
    assert fd.pathway == UNDET and fd.lower_bound == SCC


@pytest.mark.parametrize(
    ("day", "regime", "transition_due"),
    [
        ("2022-09-01", "cn-national-2022", dt.date(2023, 2, 28)),
        ("2023-02-28", "cn-national-2022", dt.date(2023, 2, 28)),
        ("2023-03-01", "cn-national-2022", None),
        ("2024-03-21", "cn-national-2022", None),
        ("2024-03-22", "cn-national-2024", None),
    ],
)
def test_order11_transition_duty_for_assessments(
    law: Law, day: str, regime: str, transition_due: dt.date | None
) -> None:
    """Order 11 Art. 20: an export under way is brought into line within six months (to 2023-02-28)."""
    fd = _flow(law, _national([("contact.email", 1_000_000)]), day)
    assert fd.pathway == SA
    assert fd.items[0].regime == regime
    assert _obligations(fd).get("cn22.order11-transition") == transition_due


@pytest.mark.parametrize(
    ("day", "not_yet", "transition_due"),
    [
        ("2022-09-01", True, None),
        ("2023-05-31", True, None),
        ("2023-06-01", False, dt.date(2023, 11, 30)),
        ("2023-11-30", False, dt.date(2023, 11, 30)),
        ("2023-12-01", False, None),
    ],
)
def test_standard_contract_measures_dates(
    law: Law, day: str, not_yet: bool, transition_due: dt.date | None
) -> None:
    """Before 2023-06-01 no standard contract exists (said); from then, Order 13 Art. 13's six
    months to 2023-11-30 for exports under way."""
    fd = _flow(law, _national([("contact.email", 5000)]), day)
    assert fd.pathway == SCC
    obs = _obligations(fd)
    assert ("cn22.scc-not-yet" in obs) is not_yet
    assert obs.get("cn22.order13-transition") == transition_due


def test_transition_duties_attach_only_to_their_pathway(law: Law) -> None:
    """A security assessment flow does not get the standard-contract transition, and vice versa."""
    sa = _obligations(_flow(law, _national([("contact.email", 1_000_000)]), "2023-07-01"))
    scc = _obligations(_flow(law, _national([("contact.email", 5000)]), "2022-10-01"))
    assert "cn22.order13-transition" not in sa and "cn22.scc-not-yet" not in sa
    assert "cn22.order11-transition" not in scc


# --- §4 first bullet: core data and export-controlled data leave the lists ---------------------------


def _fujian(data: list[dict], *, exemption: str | None = None, scenario: str = "pharma.other") -> Declaration:
    flow: dict = {
        "id": "f",
        "scenario": scenario,
        "recipient": {"name": "R", "country": "US"},
        "purpose": "p",
    }
    if exemption:
        flow["exemption"] = exemption
    flow["data"] = data
    return Declaration.model_validate(
        {
            "version": 1,
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
            "flows": [flow],
        }
    )


def test_issue_input_core_data_in_a_fujian_flow_carries_no_list_duty(law: Law) -> None:
    """Fujian Art. 20: national core data is not managed through the list; no list filing, and
    only the core-data rules decide (not the off-list exemption)."""
    fd = _flow(law, _fujian([{"id": "d", "category": "business", "core_data": True}]), "2026-06-01")
    assert fd.pathway == Pathway.national_core_data
    assert set(fd.items[0].deciding_rules) == {"cn24.core-data", "fj25.core-data"}
    assert not [o for o in fd.obligations if o.procedure or o.id.startswith("fj.")]
    assert {o.id for o in fd.obligations} == {"cn24.core-data", "fj25.core-data"}


def test_export_controlled_data_in_a_fujian_flow_carries_no_list_duty(law: Law) -> None:
    fd = _flow(law, _fujian([{"id": "d", "category": "business", "export_controlled": True}]), "2026-06-01")
    assert fd.pathway == Pathway.export_control
    assert set(fd.items[0].deciding_rules) == {"cn24.export-control", "fj25.export-control"}
    assert not [o for o in fd.obligations if o.procedure or o.id.startswith("fj.")]


def test_core_data_overrides_a_claimed_exemption(law: Law) -> None:
    decl = _fujian(
        [{"id": "d", "category": "business", "core_data": True}],
        exemption="trade_and_cooperation_non_personal",
    )
    fd = _flow(law, decl, "2026-06-01")
    assert fd.pathway == Pathway.national_core_data
    assert all(r.endswith("core-data") for r in fd.items[0].deciding_rules)


def test_other_data_of_the_same_flow_keeps_its_list_duties(law: Law) -> None:
    """Only the core data leaves the list: 12,000 pharmacovigilance patients beside it are still
    on the Fujian list (tier 2) with its filing."""
    decl = _fujian(
        [
            {"id": "d", "category": "business", "core_data": True},
            {"id": "p", "category": "health.adverse_event", "subject": "patient", "persons": 12000},
        ],
        scenario="pharma.pharmacovigilance",
    )
    fd = _flow(law, decl, "2026-06-01")
    assert fd.pathway == Pathway.national_core_data
    by = {it.data_item: it for it in fd.items}
    assert by["f/p"].regime == "fujian-ftz-2025" and by["f/p"].pathway == SCC
    assert any(o.procedure == "fj.list_filing" for o in fd.obligations)
