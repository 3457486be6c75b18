"""The group view (issue 13 §3): each entity decided alone and exactly as on its own, the group
summary, roll-ups by recipient and by recipient country, and the refusals that keep a handler's
count whole."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.engine import decide
from ftzlist.errors import InputError
from ftzlist.group import run_group
from ftzlist.loader import load_declaration
from ftzlist.schema.common import Pathway

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def members(law):
    return [(p.stem, load_declaration(p, law), str(p)) for p in EXAMPLES]


@pytest.fixture(scope="module")
def result(members, law):
    return run_group("Example group", members, law, DAY)


def test_each_entity_is_decided_alone_and_as_on_its_own(result, members, law):
    for (key, decl, _), entity in zip(members, result.entities, strict=True):
        assert entity.key == key
        assert entity.decision == decide(decl, law, DAY)


def test_group_summary_known_answer(result):
    s = result.summary
    assert (s.entities, s.flows) == (4, 18)
    assert s.by_pathway == {
        "exempt": 8,
        "other_lawful_path": 1,
        "security_assessment": 1,
        "standard_contract_or_certification": 7,
        "undetermined": 1,
    }
    assert s.entities_needing_security_assessment == ["fuzhou-connected-vehicles"]
    # one contract per (entity, recipient): Minjiang Europe (2 flows), RouteSmart, Blue Bay SG, and
    # three Haixia recipients
    assert s.standard_contracts == 6
    assert s.list_filings == 11  # Fujian filings: fuzhou 4, pingtan 3, xiamen 4
    assert s.undetermined == ["fuzhou-connected-vehicles/diagnostics"]
    assert s.zones == {
        "fujian-ftz": ["fuzhou-connected-vehicles", "pingtan-hotel-membership", "xiamen-pharma"],
        "none": ["outside-zone-logistics"],
    }


def test_entity_line_never_reads_lighter_than_its_flows(result):
    fuzhou = next(e for e in result.entities if e.key == "fuzhou-connected-vehicles")
    assert fuzhou.national_count_pathway == Pathway.exempt  # the national count alone
    assert fuzhou.strictest == Pathway.security_assessment  # the ADAS clips need more
    assert fuzhou.undetermined == ["diagnostics"]


def test_roll_up_by_recipient(result):
    by = {(r.recipient, r.country): r for r in result.by_recipient}
    minjiang = by[("Minjiang Auto Europe GmbH", "DE")]
    assert minjiang.strictest == Pathway.security_assessment
    assert minjiang.contracts == ["fuzhou-connected-vehicles"]
    assert minjiang.persons is None  # the ADAS clips and diagnostics give no persons
    assert minjiang.persons_sensitive == 8_000
    blue_bay = by[("Blue Bay Hospitality International Pte. Ltd.", "SG")]
    assert (blue_bay.persons, blue_bay.persons_sensitive) == (820_000 + 60_000 + 90_000, 60_000)
    assert blue_bay.by_pathway == {"exempt": 2, "standard_contract_or_certification": 1}
    assert result.by_recipient[0].strictest == Pathway.security_assessment  # heaviest first


def test_roll_up_by_country(result):
    by = {c.country: c for c in result.by_country}
    assert set(by) == {"DE", "GB", "NL", "SG", "US", "HK"}
    assert by["DE"].strictest == Pathway.security_assessment
    assert by["DE"].entities == ["fuzhou-connected-vehicles", "xiamen-pharma"]
    assert by["HK"].strictest == Pathway.exempt
    assert by["HK"].persons == 1_500_000 + 85_000
    assert sum(c.flows for c in result.by_country) == 18


def test_recipients_match_across_entities_by_normalised_name(law):
    base = yaml.safe_load((ROOT / "examples" / "xiamen-pharma.yaml").read_text(encoding="utf-8"))
    other = json.loads(json.dumps(base, default=str))
    other["handler"]["name"] = "Haixia Shanghai Co., Ltd."
    other["handler"]["zone"] = other["handler"]["area"] = None
    other["flows"] = [other["flows"][2]]
    other["flows"][0]["recipient"]["name"] = "HAIXIA  Biologics Inc (global safety)"
    from ftzlist.schema.declaration import Declaration

    members = [
        ("xiamen", Declaration.model_validate(base), "a"),
        ("shanghai", Declaration.model_validate(other), "b"),
    ]
    g = run_group("g", members, law, DAY)
    safety = [r for r in g.by_recipient if "global safety" in r.recipient.lower()]
    assert len(safety) == 1 and safety[0].entities == ["shanghai", "xiamen"]
    # outside every zone, 12,000 patients' sensitive data needs a security assessment (CBDF Art. 7);
    # the Xiamen entity, under the Fujian list, needs a standard contract: each entity as the law sees it
    assert safety[0].contracts == ["xiamen"]
    assert safety[0].strictest == Pathway.security_assessment
    assert safety[0].persons == 24_000


def test_one_handler_in_two_declarations_is_refused(members, law):
    key, decl, src = members[0]
    with pytest.raises(InputError, match="same handler"):
        run_group("g", [(key, decl, src), ("copy", decl, "copy.yaml")], law, DAY)


def test_cli_needs_one_day_for_the_group():
    r = CliRunner().invoke(app, ["group", *map(str, EXAMPLES)])
    assert r.exit_code != 0 and "different as_of" in str(r.exception)


def test_cli_group_file_and_formats(tmp_path):
    group_file = tmp_path / "group.yaml"
    group_file.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "name": "Haixia and friends",
                "as_of": DAY.isoformat(),
                "entities": [{"declaration": str(p), "key": p.stem.split("-")[0]} for p in EXAMPLES],
            }
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    r = runner.invoke(app, ["group", str(group_file), "--format", "json"])
    assert r.exit_code == 1, r.output  # one flow is undetermined
    data = json.loads(r.stdout)
    assert data["name"] == "Haixia and friends" and data["as_of"] == DAY.isoformat()
    assert [e["key"] for e in data["entities"]] == ["fuzhou", "outside", "pingtan", "xiamen"]
    r = runner.invoke(app, ["group", str(group_file), "--format", "markdown", "--lang", "zh"])
    assert "## 按境外接收方" in r.stdout and "## 按接收方所在国家或地区" in r.stdout
    out = tmp_path / "g.xlsx"
    r = runner.invoke(app, ["group", str(group_file), "--format", "xlsx", "--out", str(out)])
    assert r.exit_code == 1, r.output
    assert openpyxl.load_workbook(out).sheetnames == [
        "summary",
        "entities",
        "by_recipient",
        "by_country",
        "flows",
    ]
    r = runner.invoke(app, ["group", str(group_file), "--format", "xlsx", "--out", str(out)])
    assert r.exit_code != 0 and "--force" in str(r.exception)
    r = runner.invoke(app, ["group", str(group_file)])
    assert "Minjiang Auto Europe GmbH" in r.stdout and "By recipient country" in r.stdout
