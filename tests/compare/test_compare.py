"""The compare matrix for the example declarations, against answers worked by hand.

Day: 2026-03-02 (a Monday). In force: national 2024; Tianjin 2024; Beijing 2024 (until
2026-05-10); Shanghai 2024 (Lingang's first-batch positive list ended 2025-05-16, its biomedicine
list of 2025-05-16 is in force, so Lingang and the rest of Shanghai are placed apart; the
biomedicine list encodes no item yet, so both give the same answers); Hainan 2024; Zhejiang 2024;
Fujian 2025; Chongqing, Guangxi, Jiangsu 2025. Guangdong's 2025 list starts 2026-05-18: the
Guangdong placement gets the national answers.

Hand-worked (persons are summed over every flow the same ladder counts, CBDF Arts. 7-8):
- pharma: trial 8,000 trial subjects + pv 30,000 patients, all sensitive (health). Nationally the
  sensitive total 38,000 >= 10,000 -> security assessment for both. Fujian: trial subjects 5,000-
  <10,000 -> SCC; patients 10,000-<50,000 -> SCC. Beijing: trial 8,000 < 50,000 and group health
  38,000 < 100,000, pharma PI bands not encoded -> undetermined. Tianjin (class 13) and Jiangsu
  (pharma) not encoded -> undetermined. Other zones do not cover pharma -> national.
  HR flow: Art. 5(2) exemption everywhere.
- retail: 400,000 members, non-sensitive. National 100,000-<1,000,000 -> SCC. Fujian membership
  tier 2 starts at 500,000 -> off the list, exempt. Shanghai (membership scenario), Beijing
  (retail) and Tianjin not encoded -> undetermined. Hainan covers duty-free retail only -> national.
- vehicles: 300,000 VINs (non-sensitive) -> SCC nationally, in Fujian (IoV 100,000-<1,000,000) and
  in Beijing (automotive keeps the national bands); Tianjin and Chongqing undetermined. Production
  data (not PI): exempt nationally and off Beijing's list; undetermined in Fujian (important-data
  field detail not encoded), Tianjin and Chongqing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ftzlist.compare import compare, placements
from ftzlist.loader import Law, load_declaration

HERE = Path(__file__).parent / "declarations"
DAY = dt.date(2026, 3, 2)
ZONES = [
    "national",
    "fujian-ftz",
    "tianjin-ftz",
    "beijing-ftz",
    "shanghai-ftz/lingang",
    "shanghai-ftz/baoshui",
    "hainan-ftp",
    "zhejiang-ftz",
    "chongqing-ftz",
    "guangxi-ftz",
    "jiangsu-ftz",
    "guangdong-ftz",
]
SA, SCC, EX, UND = "security_assessment", "standard_contract_or_certification", "exempt", "undetermined"

EXPECTED = {
    "pharma": {
        "trial": [SA, SCC, UND, UND, SA, SA, SA, SA, SA, SA, UND, SA],
        "pv": [SA, SCC, UND, UND, SA, SA, SA, SA, SA, SA, UND, SA],
        "hr": [EX] * 12,
    },
    "retail": {
        "members": [SCC, EX, UND, UND, UND, UND, SCC, SCC, SCC, SCC, SCC, SCC],
    },
    "vehicles": {
        "after-sales": [SCC, SCC, UND, SCC, SCC, SCC, SCC, SCC, UND, SCC, SCC, SCC],
        "manufacturing": [EX, UND, UND, EX, EX, EX, EX, EX, UND, EX, EX, EX],
    },
}

# (SA, SCC, list filings, post-export reports, undetermined) per zone, in ZONES order
BURDEN = {
    "pharma": [
        (2, 0, 0, 0, 0),
        (0, 2, 2, 0, 0),
        (0, 0, 0, 0, 2),
        (0, 0, 2, 0, 2),
        (2, 0, 0, 0, 0),
        (2, 0, 0, 0, 0),
        (2, 0, 0, 0, 0),
        (2, 0, 0, 0, 0),
        (2, 0, 0, 0, 0),
        (2, 0, 0, 0, 0),
        (0, 0, 0, 0, 2),
        (2, 0, 0, 0, 0),
    ],
    "retail": [
        (0, 1, 0, 0, 0),
        (0, 0, 1, 0, 0),
        (0, 0, 0, 0, 1),
        (0, 0, 1, 0, 1),
        (0, 0, 0, 1, 1),
        (0, 0, 0, 1, 1),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
    ],
    "vehicles": [
        (0, 1, 0, 0, 0),
        (0, 1, 2, 0, 1),
        (0, 0, 0, 0, 2),
        (0, 1, 2, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 0, 0, 0, 2),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
        (0, 1, 0, 0, 0),
    ],
}


@pytest.fixture(scope="module")
def results(law: Law):
    return {name: compare(load_declaration(HERE / f"{name}.yaml", law), law, DAY) for name in EXPECTED}


def test_placements_are_every_zone_plus_national(results) -> None:
    for c in results.values():
        assert [p.label for p in c.placements] == ZONES


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_matrix_matches_the_hand_worked_answers(results, name) -> None:
    c = results[name]
    for flow, row in EXPECTED[name].items():
        got = [c.cell(flow, z).pathway.value for z in ZONES]
        assert got == row, f"{name}/{flow}"


@pytest.mark.parametrize("name", sorted(BURDEN))
def test_burden_per_zone(results, name) -> None:
    got = [
        (b.security_assessments, b.standard_contracts, b.list_filings, b.post_export_reports, b.undetermined)
        for b in results[name].burden
    ]
    assert got == BURDEN[name]


def test_earliest_deadlines(results) -> None:
    by = {b.placement: b.earliest_deadline for b in results["retail"].burden}
    # Standard contract filing: within 10 working days after it takes effect (Order 13 Art. 7);
    # 10 working days after Monday 2026-03-02 is Monday 2026-03-16.
    assert by["national"].working_days == 10 and by["national"].date == dt.date(2026, 3, 16)
    # Shanghai post-export report: 15 working days after export -> 2026-03-23.
    for sh in ("shanghai-ftz/lingang", "shanghai-ftz/baoshui"):
        assert by[sh].working_days == 15 and by[sh].date == dt.date(2026, 3, 23)
    # Fujian, exempt off the list: filing before export, no counted deadline.
    fujian = next(b for b in results["retail"].burden if b.placement == "fujian-ftz")
    assert fujian.earliest_deadline is None and fujian.before_export


def test_undetermined_cells_name_the_missing_part(results) -> None:
    cell = results["pharma"].cell("trial", "jiangsu-ftz")
    assert cell.missing == ["list jiangsu-ftz-2025: js25.pharma.items"]
    assert cell.lower_bound is not None


def test_uncertain_facts_are_marked(results) -> None:
    cell = results["retail"].cell("members", "fujian-ftz")
    assert cell.uncertain == ["fj25.off-list [V2]"]


def test_cross_zone_alternatives_where_the_home_list_permits_them(results) -> None:
    # Shanghai's measures refer to other FTZs' lists [V2]: Fujian's list would let the pharma flows
    # through with a standard contract instead of a security assessment.
    trial = results["pharma"].cell("trial", "shanghai-ftz/baoshui")
    assert len(trial.alternatives) == 1
    assert trial.alternatives[0].startswith("standard_contract_or_certification under fujian-ftz-2025")
    assert "[V2]" in trial.alternatives[0]
    # Fujian Art. 22: the production data Fujian cannot settle is off Beijing's list.
    manuf = results["vehicles"].cell("manufacturing", "fujian-ftz")
    assert any(a.startswith("exempt under beijing-ftz-2024") and "Art. 22" in a for a in manuf.alternatives)
    # Zones whose lists permit nothing get no alternatives.
    assert not results["pharma"].cell("trial", "hainan-ftp").alternatives
    assert not results["pharma"].cell("trial", "national").alternatives


def test_zones_option_and_area_placements(law: Law) -> None:
    decl = load_declaration(HERE / "vehicles.yaml", law)
    c = compare(decl, law, dt.date(2024, 9, 2), ["shanghai-ftz"])
    # While Lingang's positive list is in force, Lingang and the rest of Shanghai are apart.
    assert [p.label for p in c.placements] == ["national", "shanghai-ftz/lingang", "shanghai-ftz/baoshui"]
    # The positive list lightens only once its filing is recorded (issue 17 §7): not filed here.
    assert c.cell("manufacturing", "shanghai-ftz/lingang").regimes == ["cn-national-2024"]
    filed = decl.model_copy(
        update={"handler": decl.handler.model_copy(update={"filings": ["shanghai-lingang-2024"]})}
    )
    c = compare(filed, law, dt.date(2024, 9, 2), ["shanghai-ftz"])
    assert c.cell("manufacturing", "shanghai-ftz/lingang").regimes == ["shanghai-lingang-2024"]
    assert c.cell("manufacturing", "shanghai-ftz/baoshui").regimes == ["cn-national-2024"]


def test_unknown_zone_is_an_error_naming_the_nearest(law: Law) -> None:
    from ftzlist.errors import InputError

    with pytest.raises(InputError, match="nearest valid: fujian-ftz"):
        placements(law, DAY, ["fujian-fz"])


def test_compare_is_deterministic(law: Law) -> None:
    decl = load_declaration(HERE / "retail.yaml", law)
    assert compare(decl, law, DAY).model_dump_json() == compare(decl, law, DAY).model_dump_json()
