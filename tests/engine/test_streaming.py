"""Assessment in bounded memory (issue 16 §5): the streamed output, the shared per-handler work and
the pruned cross-zone alternatives give exactly what the whole-declaration path gives.

Declarations are generated over the bundled vocabulary (zones with and without area-bound lists,
sectors the lists cover and do not, scenarios and subjects known and unknown, persons unknown,
exemption claims, markers, sensitivity declared), several flows sharing kinds of data so that the
per-signature sharing is exercised."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ftzlist.cli import app, main
from ftzlist.compare.alternatives import alternatives_for, cross_zone_alternatives
from ftzlist.compare.placements import place, placements
from ftzlist.engine import decide
from ftzlist.engine.facts import resolve
from ftzlist.engine.match import match_item, signature
from ftzlist.engine.stream import Assessment
from ftzlist.loader import load_declaration
from ftzlist.render.jsonl import JSONL_VERSION
from ftzlist.schema.decision import DecisionHeader, DecisionSet, DecisionTotals
from ftzlist.schema.declaration import Declaration

AS_OF = dt.date(2026, 6, 30)
runner = CliRunner()

ZONES = [
    None,
    ("fujian-ftz", "xiamen"),
    ("fujian-ftz", None),
    ("beijing-ftz", None),
    ("shanghai-ftz", "lingang"),
]
ZONES += [("shanghai-ftz", "lujiazui"), ("tianjin-ftz", None), ("hainan-ftp", None), ("beijing", None)]
ZONES += [("shanghai", None), ("hetao-shenzhen-park", None), ("guangdong-ftz", None)]
SECTORS = ["pharma", "retail", "connected_vehicles", "logistics", "ecommerce", None]
SCENARIOS = {
    "pharma": ["pharma.clinical_trial", "pharma.pharmacovigilance", "pharma.hcp_engagement", "pharma.rnd"],
    "retail": ["retail.membership", "retail.other"],
    "connected_vehicles": ["connected_vehicles.connected_services", "connected_vehicles.rnd"],
    "logistics": ["logistics.cross_border_delivery"],
    "ecommerce": ["ecommerce.platform", "ecommerce.payment"],
}
GENERAL = ["general.hr_management", "general.contract_performance", "general.other"]
CATEGORIES = [
    "contact.phone",
    "contact.email",
    "customer.membership",
    "health.medical_record",
    "health.clinical_trial",
    "health.adverse_event",
    "finance.bank_account",
    "identity.government_id.resident_id",
    "business.trade",
    "business.rnd",
    "location.track",
    "professional.employee",
]
SUBJECTS = ["customer", "patient", "employee", "trial_subject", "healthcare_professional", None]
EXEMPTIONS = [None, None, "hr_management", "contract_necessity", "trade_and_cooperation_non_personal"]

items = st.fixed_dictionaries(
    {
        "category": st.sampled_from(CATEGORIES),
        "subject": st.sampled_from(SUBJECTS),
        "persons": st.one_of(st.none(), st.integers(0, 60_000), st.integers(0, 2_000_000)),
    },
    optional={
        "sensitive": st.booleans(),
        "important_data": st.booleans(),
        "anonymised": st.booleans(),
        "cleared": st.just(["hgr_cleared"]),
    },
)


@st.composite
def declarations(draw: st.DrawFn) -> dict:
    zone = draw(st.sampled_from(ZONES))
    sector = draw(st.sampled_from(SECTORS))
    handler: dict = {"name": "Stream Co", "sector": sector, "ciio": draw(st.sampled_from([False, None]))}
    if zone:
        handler["zone"] = zone[0]
        if zone[1]:
            handler["area"] = zone[1]
    if draw(st.booleans()):
        handler["holdings"] = {"persons_pi": draw(st.integers(0, 2_000_000))}
    scenarios = [*SCENARIOS.get(sector or "", []), *GENERAL, None]
    kinds = draw(st.lists(items, min_size=1, max_size=4))  # flows share these kinds of data
    flows = []
    for i in range(draw(st.integers(1, 7))):
        data = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3))
        persons = draw(
            st.lists(st.one_of(st.none(), st.integers(0, 300_000)), min_size=len(data), max_size=len(data))
        )
        flows.append(
            {
                "id": f"flow-{i}",
                "scenario": draw(st.sampled_from(scenarios)),
                "recipient": {"name": f"R{i}", "country": draw(st.sampled_from(["US", "DE", "SG"]))},
                "purpose": "generated",
                "exemption": draw(st.sampled_from(EXEMPTIONS)),
                "data": [
                    {k: v for k, v in dict(d, id=f"d{j}", persons=n).items() if v is not None}
                    for j, (d, n) in enumerate(zip(data, persons, strict=True))
                ],
            }
        )
    return {"handler": handler, "flows": flows}


prop = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _not_fired_dropped(ds: DecisionSet) -> list[dict]:
    return [
        dict(f.model_dump(), checks=[c.model_dump() for c in f.checks if c.outcome != "not_fired"])
        for f in ds.flows
    ]


@prop
@given(raw=declarations())
def test_an_assessment_streams_exactly_what_decide_returns(law, raw) -> None:
    decl = Declaration.model_validate(raw)
    whole = decide(decl, law, AS_OF)
    a = Assessment(decl, law, AS_OF)
    header = a.header()
    flows = list(a.flows())
    streamed = DecisionSet(**dict(header), flows=flows, **dict(a.totals()))
    assert streamed == whole
    fired = decide(decl, law, AS_OF, checks="fired")
    assert _not_fired_dropped(fired) == _not_fired_dropped(whole)  # only the explanations differ
    assert fired.model_copy(update={"flows": whole.flows}) == whole


@prop
@given(raw=declarations())
def test_alternatives_decided_where_they_can_differ_equal_the_full_re_decision(law, raw) -> None:
    decl = Declaration.model_validate(raw)
    assert cross_zone_alternatives(decl, law, AS_OF) == _fully_re_decided(law, decl)


def _fully_re_decided(law, decl: Declaration) -> DecisionSet:
    """The declaration decided at home and wholly under every other zone (the unpruned way)."""
    return alternatives_for(
        decide(decl, law, AS_OF),
        {
            p.label: decide(place(decl, p), law, AS_OF)
            for p in placements(law, AS_OF, None, decl)
            if p.zone is not None and p.zone != decl.handler.zone
        },
        law,
    )


@prop
@given(raw=declarations(), data=st.data())
def test_matching_reads_nothing_outside_the_signature(law, raw, data) -> None:
    """Facts of equal signature match every item alike, but for the locations of missing facts;
    so changing what the signature leaves out (ids, persons, records, recipient, purpose,
    exemption, clearances, position) changes no match."""
    decl = Declaration.model_validate(raw)
    facts = resolve(decl, law.vocabulary)
    fact = data.draw(st.sampled_from(facts))
    other_item = fact.data.model_copy(
        update={
            "id": "other",
            "persons": data.draw(st.one_of(st.none(), st.integers(0, 10**7))),
            "records": 5,
            "cleared": [],
            "persons_source": "elsewhere",
        }
    )
    other_flow = fact.flow.model_copy(
        update={
            "id": "other-flow",
            "recipient": fact.flow.recipient.model_copy(update={"name": "Other", "country": "JP"}),
            "purpose": "other",
            "exemption": data.draw(st.sampled_from(EXEMPTIONS)),
            "data": [other_item],
        }
    )
    moved = dataclasses.replace(
        fact,
        flow_index=fact.flow_index + 3,
        item_index=0,
        flow=other_flow,
        data=other_item,
        key="other-flow/other",
    )
    assert signature(moved) == signature(fact)
    for lf in law.lists:
        for item in lf.items:
            a, b = (
                match_item(item, fact, decl.handler, law.vocabulary),
                match_item(item, moved, decl.handler, law.vocabulary),
            )
            assert (a.state, a.facts, a.reason, a.out_of_scope) == (
                b.state,
                b.facts,
                b.reason,
                b.out_of_scope,
            )
            assert [why for _, why in a.missing] == [why for _, why in b.missing]


def _json_and_lines(tmp_path, raw: dict, *extra: str) -> tuple[dict, list[dict], int, int]:
    path = tmp_path / "declaration.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    as_json = runner.invoke(app, ["assess", str(path), "--format", "json", "--as-of", "2026-06-30", *extra])
    as_lines = runner.invoke(
        app, ["assess", str(path), "--format", "jsonl", "--checks", "all", "--as-of", "2026-06-30", *extra]
    )
    assert as_json.exit_code in (0, 1), as_json.output
    return (
        json.loads(as_json.stdout),
        [json.loads(x) for x in as_lines.stdout.splitlines()],
        as_json.exit_code,
        as_lines.exit_code,
    )


def _joined(lines: list[dict]) -> dict:
    kinds = [x.pop("record") for x in lines]
    assert kinds == ["header"] + ["flow"] * (len(lines) - 2) + ["totals"]
    header, *flows, totals = lines
    assert header.pop("jsonl_version") == JSONL_VERSION
    assert set(header) == set(DecisionHeader.model_fields) and set(totals) == set(DecisionTotals.model_fields)
    return dict(header, flows=flows, **totals)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=declarations())
def test_jsonl_lines_are_the_json_flows(law, tmp_path, raw) -> None:
    """Both outputs stream; the JSON is byte for byte the whole decision set re-decided the
    unpruned way, and the lines put together are that JSON."""
    whole, lines, code, line_code = _json_and_lines(tmp_path, raw)
    expected = _fully_re_decided(law, Declaration.model_validate(raw))
    assert json.dumps(whole, indent=2, ensure_ascii=False) == json.dumps(
        json.loads(expected.model_dump_json(indent=2)), indent=2, ensure_ascii=False
    )
    assert _joined(lines) == whole
    assert line_code == code == (0 if expected.determined else 1)


def test_json_streamed_is_byte_for_byte_the_decision_set(law, tmp_path, good_declaration) -> None:
    first = tmp_path / "a.yaml"
    first.write_text(good_declaration, encoding="utf-8")
    second = tmp_path / "b.yaml"
    second.write_text(
        good_declaration.replace("12000", "120000").replace("id: f1", "id: f9"), encoding="utf-8"
    )
    sets = [_fully_re_decided(law, load_declaration(p, law)) for p in (first, second)]
    one = runner.invoke(app, ["assess", str(first), "-f", "json", "--as-of", "2026-06-30"])
    assert one.stdout == sets[0].model_dump_json(indent=2) + "\n"
    both = runner.invoke(app, ["assess", str(first), str(second), "-f", "json", "--as-of", "2026-06-30"])
    assert both.stdout == "[\n" + ",\n".join(s.model_dump_json(indent=2) for s in sets) + "\n]\n"


def test_jsonl_without_alternatives_and_with_fired_checks(tmp_path, good_declaration) -> None:
    raw = yaml.safe_load(good_declaration)
    raw["flows"].append(
        dict(raw["flows"][0], id="f2", exemption="hr_management", scenario="general.hr_management")
    )
    whole, lines, _, _ = _json_and_lines(tmp_path, raw, "--no-alternatives")
    assert _joined(lines) == whole
    path = tmp_path / "declaration.yaml"
    fired = runner.invoke(
        app, ["assess", str(path), "--format", "jsonl", "--as-of", "2026-06-30"]
    )  # default: fired
    flows = [json.loads(x) for x in fired.stdout.splitlines()][1:-1]
    assert [f["checks"] for f in flows] == [
        [c for c in f["checks"] if c["outcome"] != "not_fired"] for f in whole["flows"]
    ]
    assert all(f["checks"] for f in flows)  # the rules that decided each flow are still explained
    assert all(c["outcome"] != "not_fired" for f in flows for c in f["checks"])


def _main(capsys, *args: str) -> tuple[int, str]:
    """(exit code, stderr) of `ftzlist ARGS` through the CLI's own error handling."""
    with pytest.raises(SystemExit) as stop:
        main(list(args))
    return stop.value.code, capsys.readouterr().err


def test_jsonl_several_declarations_and_out_file(tmp_path, good_declaration, capsys) -> None:
    # the enterprise type decides whether the Fujian list binds, the holdings its Part B rules:
    # given, so both declarations are determined
    good_declaration = good_declaration.replace(
        "  sector: pharma\n",
        "  sector: pharma\n  enterprise_type: pharma.chemical_drugs\n"
        "  holdings: {persons_pi: 12000, persons_sensitive: 12000, persons_sensitive_accounts_or_medical: 0}\n",
    )
    (tmp_path / "a.yaml").write_text(good_declaration, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(good_declaration.replace("12000", "120000"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = runner.invoke(
        app, ["assess", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "-f", "jsonl", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    kinds = [json.loads(x)["record"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert kinds == ["header", "flow", "totals", "header", "flow", "totals"]
    before = out.read_bytes()
    code, err = _main(capsys, "assess", str(tmp_path / "a.yaml"), "-f", "jsonl", "-o", str(out))
    assert code == 2 and "exists" in err and out.read_bytes() == before  # never replaced without --force


def test_jsonl_exit_code_says_undetermined(tmp_path, good_declaration) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(good_declaration.replace("persons: 12000", "persons: null"), encoding="utf-8")
    r = runner.invoke(app, ["assess", str(path), "-f", "jsonl"])
    assert r.exit_code == 1
    assert json.loads(r.stdout.splitlines()[1])["pathway"] == "undetermined"


def test_explain_needs_every_check(tmp_path, good_declaration, capsys) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(good_declaration, encoding="utf-8")
    code, err = _main(capsys, "assess", str(path), "--explain", "--checks", "fired")
    assert code == 2 and "--checks all" in err
    code, err = _main(capsys, "assess", str(path), "--checks", "some")
    assert code == 2 and "fired" in err


def test_totals_only_after_every_flow(law, good_declaration) -> None:
    decl = Declaration.model_validate(yaml.safe_load(good_declaration))
    a = Assessment(decl, law, AS_OF)
    with pytest.raises(RuntimeError):
        a.totals()
    a.flow(0)
    a.flow(0)  # decided twice: the national view would count it twice
    with pytest.raises(RuntimeError):
        a.totals()
    with pytest.raises(IndexError):
        a.flow(1)
