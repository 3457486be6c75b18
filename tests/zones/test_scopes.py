"""Whom a list binds (issue 17 §7): every sector, a set of places, a free flow that starts after a filing.

Facts: shared/reference/zone-facts-2.md §1.2 (Tianjin is category-based), §1.4 (Beijing's 2025 edition
is city-wide), §1.6 and §3 example 5 (Shanghai's 2025版 is city-wide [U]; its 2024 list is not),
§1.14 (Guangdong's list binds its FTZ and the Hetao Shenzhen park [U]) and §1.7 and §3 example 7
(Lingang: listed data flows freely "在完成备案后", once the filing is completed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from ftzlist.compare import compare, cross_zone_alternatives, placements
from ftzlist.engine import decide
from ftzlist.errors import InputError
from ftzlist.law.scope import bound_places, enclosing
from ftzlist.loader import Law, check_declaration, load_law
from ftzlist.schema.common import Pathway
from ftzlist.schema.decision import FlowDecision
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.lists import ListFile

SA, SCC, EXEMPT, UND = (
    Pathway.security_assessment,
    Pathway.standard_contract_or_certification,
    Pathway.exempt,
    Pathway.undetermined,
)
HOLDINGS = {"persons_pi": 1000, "persons_sensitive": 0, "persons_sensitive_accounts_or_medical": 0}


def declaration(handler: dict, data: dict, scenario: str | None = None) -> Declaration:
    return Declaration.model_validate(
        {
            "handler": {"name": "Case Co.", "ciio": False, "holdings": HOLDINGS, **handler},
            "flows": [
                {
                    "id": "f",
                    "scenario": scenario,
                    "recipient": {"name": "Recipient Ltd", "country": "DE"},
                    "purpose": "test",
                    "data": [{"id": "d", **data}],
                }
            ],
        }
    )


def judge(law: Law, decl: Declaration, day: str) -> tuple[FlowDecision, list[str]]:
    assert check_declaration(decl, law) == []
    ds = decide(decl, law, dt.date.fromisoformat(day))
    return ds.flows[0], ds.governing_lists


def missing(flow: FlowDecision) -> list[str]:
    return [m.field for m in flow.missing]


def list_data(law: Law, list_id: str) -> dict:
    return yaml.safe_load(law.lists.paths[list_id].read_text(encoding="utf-8"))


# --- 1. every sector: a category-based list (Tianjin) -------------------------------------------------


def sectors_no_list_names(law: Law) -> list[str]:
    named = {s.sector for lf in law.lists for s in lf.sectors} | {
        s for lf in law.lists for it in lf.items for s in it.sectors or ()
    }
    return sorted(set(law.vocabulary.sectors) - named)


def test_some_sector_of_the_vocabulary_is_named_by_no_list(law: Law) -> None:
    """The cases below need one: a sector only the category-based list can bind."""
    assert sectors_no_list_names(law), "every sector is named by some list: pick another case"


@pytest.mark.parametrize("sector", ["first-unnamed", "retail", None])
def test_tianjin_binds_a_handler_of_any_sector(law: Law, sector: str | None) -> None:
    """Tianjin's non-PI data is undetermined for want of the sub-class features in every sector —
    one no list names, a sector other lists name, and a handler that does not state its sector."""
    if sector == "first-unnamed":
        sector = sectors_no_list_names(law)[0]
    flow, lists = judge(
        law,
        declaration({"zone": "tianjin-ftz", "sector": sector}, {"category": "business.rnd"}),
        "2024-10-01",
    )
    assert "tianjin-ftz-2024" in lists
    assert flow.pathway == UND and flow.items[0].regime == "tianjin-ftz-2024"
    assert missing(flow) == ["list tianjin-ftz-2024: tj24.subclass-features"]
    assert "handler.sector" not in missing(flow)


def test_tianjin_personal_information_of_an_unnamed_sector_names_class_13(law: Law) -> None:
    sector = sectors_no_list_names(law)[0]
    decl = declaration(
        {"zone": "tianjin-ftz", "sector": sector}, {"category": "contact.email", "persons": 10}
    )
    flow, _ = judge(law, decl, "2024-10-01")
    assert flow.pathway == UND and missing(flow) == [
        "list tianjin-ftz-2024: tj24.class13-personal-information"
    ]


def test_tianjin_outside_its_zone_and_before_its_first_day_is_national(law: Law) -> None:
    sector = sectors_no_list_names(law)[0]
    data = {"category": "business.rnd"}
    for handler, day in [
        ({"zone": "fujian-ftz", "sector": sector}, "2024-10-01"),
        ({"zone": None, "sector": sector}, "2024-10-01"),
        ({"zone": "tianjin-ftz", "sector": sector}, "2024-05-08"),  # the day before 2024-05-09
    ]:
        flow, lists = judge(law, declaration(handler, data), day)
        assert "tianjin-ftz-2024" not in lists
        assert flow.pathway == EXEMPT and flow.items[0].regime.startswith("cn-national"), handler


def test_a_sector_listed_list_still_needs_the_sector(law: Law) -> None:
    """The neighbour: a list binding listed sectors (Beijing 2024) does not bind an unnamed sector,
    and a handler that gives no sector is undetermined on that fact."""
    sector = sectors_no_list_names(law)[0]
    data = {"category": "business.rnd"}
    flow, _ = judge(law, declaration({"zone": "beijing-ftz", "sector": sector}, data), "2025-06-02")
    assert flow.items[0].regime == "cn-national-2024"
    flow, _ = judge(law, declaration({"zone": "beijing-ftz"}, data), "2025-06-02")
    # judged both ways (issue 10 §3): undetermined where the list binding would change the answer,
    # else the answer with the deciding fact named
    named = "handler.sector" in missing(flow) or any("handler.sector" in w for w in flow.warnings)
    assert named and (flow.pathway == UND or "either way" in " ".join(flow.warnings))


def test_sectors_all_is_validated(law: Law) -> None:
    data = list_data(law, "tianjin-ftz-2024")
    ctx = {"instruments": law.instruments}
    cite = data["scope"]["citation"]
    for bad, words in [
        ({"sectors": "every"}, "scope.sectors"),
        ({"sectors": True}, "scope.sectors"),
    ]:
        broken = {**data, "scope": {**data["scope"], **bad}}
        with pytest.raises(ValidationError, match=words):
            ListFile.model_validate(broken, context=ctx)
    narrowed = {
        **data,
        "sectors": [{"sector": "retail", "scenarios": ["retail.membership"], "citation": cite}],
    }
    with pytest.raises(ValidationError, match="sector entries narrow it: retail"):
        ListFile.model_validate(narrowed, context=ctx)
    national = list_data(law, "cn-national-2024")
    national["scope"]["sectors"] = "all"
    with pytest.raises(ValidationError, match=r"scope\.sectors: all is for zone lists"):
        ListFile.model_validate(national, context=ctx)
    # a sector entry that only adds a note is allowed beside `all`
    noted = {
        **data,
        "sectors": [{"sector": "retail", "notes": [{"zh": "注", "en": "note"}], "citation": cite}],
    }
    assert ListFile.model_validate(noted, context=ctx).scope.sectors == "all"


# --- 2. a set of places: cities and parks ---------------------------------------------------------


def test_places_in_the_vocabulary(law: Law) -> None:
    zones = law.vocabulary.zones
    for place, kind in [("beijing", "city"), ("shanghai", "city"), ("hetao-shenzhen-park", "park")]:
        z = zones[place]
        assert z.kind == kind and z.name.zh and z.name.en and z.sources, place
    assert enclosing("beijing-ftz", law.vocabulary) == ["beijing-ftz", "beijing"]
    assert enclosing("shanghai-ftz", law.vocabulary) == ["shanghai-ftz", "shanghai"]
    assert enclosing("guangdong-ftz", law.vocabulary) == ["guangdong-ftz"]  # the park is beside it
    assert zones["hainan-ftp"].kind == "free_trade_port"


def test_scopes_of_the_city_wide_and_two_place_editions(law: Law) -> None:
    voc = law.vocabulary
    assert bound_places(law.lists.get("beijing-ftz-2025"), voc) == ["beijing-ftz", "beijing"]
    assert bound_places(law.lists.get("beijing-ftz-2024"), voc) == ["beijing-ftz"]
    assert bound_places(law.lists.get("shanghai-ftz-2025"), voc) == ["shanghai-ftz", "shanghai"]
    assert bound_places(law.lists.get("shanghai-ftz-2024"), voc) == ["shanghai-ftz"]
    assert bound_places(law.lists.get("guangdong-ftz-2025"), voc) == ["guangdong-ftz", "hetao-shenzhen-park"]
    assert law.lists.get("shanghai-ftz-2025").scope.citation.status == "U"  # type: ignore[union-attr]
    assert law.lists.get("guangdong-ftz-2025").scope.citation.status == "U"  # type: ignore[union-attr]


BEIJING_RETAIL = {"sector": "retail"}


@pytest.mark.parametrize(
    ("zone", "day", "bound"),
    [
        ("beijing", "2026-06-01", {"beijing-ftz-2025"}),  # city-wide edition: a city firm is bound
        ("beijing-ftz", "2026-06-01", {"beijing-ftz-2025"}),  # and the FTZ within the city
        ("beijing", "2026-05-10", set()),  # the day before: the 2024 edition binds the FTZ only
        ("beijing-ftz", "2026-05-10", {"beijing-ftz-2024"}),
        ("shanghai", "2026-06-01", set()),  # another city
        (None, "2026-06-01", set()),
    ],
)
def test_beijing_city_wide_edition(law: Law, zone: str | None, day: str, bound: set[str]) -> None:
    decl = declaration({"zone": zone, **BEIJING_RETAIL}, {"category": "contact.email", "persons": 10})
    flow, lists = judge(law, decl, day)
    assert {i for i in lists if i.startswith("beijing")} == bound
    if bound == {"beijing-ftz-2025"}:
        assert flow.pathway == UND and "list beijing-ftz-2025: bj25.all-sectors" in missing(flow)
        assert not any("scope place" in w for w in flow.warnings)  # Beijing's scope is [V]
    if zone != "shanghai" and not bound:  # (Shanghai's own 2025版 binds its city)
        assert flow.items[0].regime == "cn-national-2024"


def test_shanghai_2025_binds_the_city_and_says_the_scope_is_uncertain(law: Law) -> None:
    """zone-facts-2 §3 example 5: a firm registered in Shanghai outside the FTZ is outside the 2024
    list and inside the 2025版 (city-wide, [U])."""
    data = {"category": "geographic.map"}
    flow, lists = judge(law, declaration({"zone": "shanghai", "sector": "meteorology"}, data), "2026-06-01")
    assert "shanghai-ftz-2025" in lists and flow.pathway == UND
    assert "list shanghai-ftz-2025: sh25.all-sectors" in missing(flow)
    (w,) = [w for w in flow.warnings if "scope place" in w]
    assert "shanghai-ftz-2025" in w and "[U]" in w and "registered in shanghai" in w
    # inside the FTZ the list binds through its own zone: nothing uncertain to say about the place
    decl = declaration({"zone": "shanghai-ftz", "area": "lujiazui", "sector": "meteorology"}, data)
    flow, lists = judge(law, decl, "2026-06-01")
    assert "shanghai-ftz-2025" in lists and not any("scope place" in w for w in flow.warnings)
    # the 2024 list (in force to 2026-04-28) binds the FTZ only
    decl = declaration({"zone": "shanghai", "sector": "reinsurance"}, {"category": "business.rnd"})
    _, lists = judge(law, decl, "2025-06-02")
    assert not any(i.startswith("shanghai") for i in lists)
    decl = declaration(
        {"zone": "shanghai-ftz", "area": "lujiazui", "sector": "reinsurance"}, {"category": "business.rnd"}
    )
    _, lists = judge(law, decl, "2025-06-02")
    assert "shanghai-ftz-2024" in lists


def test_lingang_lists_do_not_reach_the_rest_of_the_city(law: Law) -> None:
    """The Lingang lists bind the Lingang area of the FTZ, not the city around it."""
    handler = {"sector": "connected_vehicles", "enterprise_type": "connected_vehicles.automaker"}
    data = {"category": "business.supply_chain"}
    _, lists = judge(
        law,
        declaration({"zone": "shanghai", **handler}, data, "connected_vehicles.manufacturing"),
        "2024-09-02",
    )
    assert lists == ["cn-national-2024"]
    flow, lists = judge(
        law,
        declaration({"zone": "shanghai-ftz", **handler}, data, "connected_vehicles.manufacturing"),
        "2024-09-02",
    )
    # which area decides whether Lingang's list binds: asked (missing) or, where the answer is the
    # same either way (issue 10 §3), named in the notes
    assert "handler.area" in missing(flow) or any("handler.area" in w for w in flow.warnings)


@pytest.mark.parametrize(
    ("zone", "day", "bound", "warned"),
    [
        ("hetao-shenzhen-park", "2026-06-01", True, True),  # the park, bound through scope.places [U]
        ("guangdong-ftz", "2026-06-01", True, False),  # the FTZ itself
        ("hetao-shenzhen-park", "2026-05-14", False, False),  # before either first day
        ("fujian-ftz", "2026-06-01", False, False),
    ],
)
def test_guangdong_binds_its_ftz_and_the_hetao_park(
    law: Law, zone: str, day: str, bound: bool, warned: bool
) -> None:
    decl = declaration(
        {"zone": zone, "sector": "smart_equipment_manufacturing"}, {"category": "business.rnd"}
    )
    flow, lists = judge(law, decl, day)
    assert ("guangdong-ftz-2025" in lists) is bound
    if bound:
        assert flow.pathway == UND and "list guangdong-ftz-2025: gd25.all-items" in missing(flow)
    assert (
        any(
            "guangdong-ftz-2025 binds this handler through its scope place hetao-shenzhen-park" in w
            for w in flow.warnings
        )
        is warned
    )


def test_a_park_handler_cannot_name_an_area(law: Law) -> None:
    decl = declaration(
        {"zone": "hetao-shenzhen-park", "area": "qianhai", "sector": "retail"}, {"category": "business.rnd"}
    )
    assert any(
        "handler.area: unknown area of hetao-shenzhen-park 'qianhai'" in p
        for p in check_declaration(decl, law)
    )


def test_compare_places_the_cities_and_the_park_only_when_a_list_binds_them(law: Law) -> None:
    before = [p.label for p in placements(law, dt.date(2026, 3, 2), None)]
    assert not {"beijing", "shanghai", "hetao-shenzhen-park"} & set(before)
    after = {p.label: p.lists for p in placements(law, dt.date(2026, 6, 1), None)}
    assert after["beijing"] == ["beijing-ftz-2025"]
    assert after["shanghai"] == ["shanghai-ftz-2025"]
    assert after["hetao-shenzhen-park"] == ["guangdong-ftz-2025"]
    assert after["guangdong-ftz"] == ["guangdong-ftz-2025"]
    # asked for by name, a place is placed even when no list binds it (the national answer there)
    (p,) = [p for p in placements(law, dt.date(2026, 3, 2), ["beijing"]) if p.zone]
    assert p.label == "beijing" and p.lists == []


def test_compare_and_alternatives_with_multi_place_scopes(law: Law) -> None:
    """A Beijing city firm relies on the Beijing 2025 edition (which lets its handlers use other
    zones' lists): the Beijing FTZ placement, bound by the same edition, is never offered as
    another zone's list; every cell of a place bound by the same lists answers alike."""
    decl = declaration({"zone": "beijing", "sector": "retail"}, {"category": "contact.email", "persons": 10})
    ds = cross_zone_alternatives(decl, law, dt.date(2026, 6, 1))
    assert "beijing-ftz-2025" in ds.governing_lists
    assert not any("under beijing-ftz-2025" in a for a in ds.flows[0].alternatives)
    c = compare(
        decl, law, dt.date(2026, 6, 1), ["beijing", "beijing-ftz", "guangdong-ftz", "hetao-shenzhen-park"]
    )
    assert c.cell("f", "beijing").pathway == c.cell("f", "beijing-ftz").pathway
    assert c.cell("f", "hetao-shenzhen-park").regimes == c.cell("f", "guangdong-ftz").regimes


def load_error(tmp_path: Path, files: dict[str, object]) -> str:
    """The error the loader gives for the bundled law plus `files` (path under tmp_path -> data)."""
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_law([tmp_path])
    return e.value.render()


def test_a_list_with_places_loads_and_binds_them(law: Law, tmp_path: Path) -> None:
    data = list_data(law, "guangdong-ftz-2025")
    data.update(id="testland-ftz-2026", family="testland-ftz")
    data["scope"]["places"] = ["hetao-shenzhen-park", "beijing"]
    (tmp_path / "testland-ftz-2026.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    mine = load_law([tmp_path])
    decl = declaration(
        {"zone": "beijing-ftz", "sector": "personal_credit_reporting"}, {"category": "business.rnd"}
    )
    _, lists = judge(mine, decl, "2026-06-01")
    assert "testland-ftz-2026" in lists  # through the city the FTZ lies within


@pytest.mark.parametrize(
    ("places", "words"),
    [
        (["hetao-shenzen-park"], "unknown place 'hetao-shenzen-park'; nearest valid: hetao-shenzhen-park"),
        (["guangdong-ftz"], "repeats the list's own zone"),
        (["hetao-shenzhen-park", "hetao-shenzhen-park"], "names hetao-shenzhen-park twice"),
    ],
)
def test_bad_places_are_clear_errors(law: Law, tmp_path: Path, places: list[str], words: str) -> None:
    data = list_data(law, "guangdong-ftz-2025")
    data.update(id="testland-ftz-2026", family="testland-ftz")
    data["scope"]["places"] = places
    text = load_error(tmp_path, {"testland-ftz-2026.yaml": data})
    assert words in text and "testland-ftz-2026.yaml" in text


def test_places_need_a_zone(law: Law) -> None:
    data = list_data(law, "guangdong-ftz-2025")
    data["scope"] = {**data["scope"], "zone": None}
    with pytest.raises(ValidationError, match=r"scope\.places needs scope\.zone"):
        ListFile.model_validate(data, context={"instruments": law.instruments})


PLACE = {
    "name": {"zh": "测试园区", "en": "test park"},
    "province": {"zh": "测试省", "en": "Testland"},
    "kind": "park",
}


@pytest.mark.parametrize(
    ("zones", "words"),
    [
        (
            [{"id": "test-park", "within": "pekin", **PLACE}],
            "zone test-park: within names unknown zone 'pekin'",
        ),
        (
            [
                {"id": "test-park", "within": "test-town", **PLACE},
                {"id": "test-town", "within": "test-park", **PLACE},
            ],
            "within leads back to itself",
        ),
    ],
)
def test_bad_within_is_a_clear_error(tmp_path: Path, zones: list[dict], words: str) -> None:
    assert words in load_error(tmp_path, {"vocabulary/test-zones.yaml": {"zones": zones}})


# --- 3. a positive list whose free flow starts only after a filing (Lingang) ------------------------

LINGANG_PHARMA = {
    "zone": "shanghai-ftz",
    "area": "lingang",
    "sector": "pharma",
    "enterprise_type": "pharma.chemical_drugs",
}
TRIAL_ITEM = {
    "id": "tl.trial-subjects",
    "title": {"zh": "临床试验受试者数据（测试条目）", "en": "trial-subject data (test item)"},
    "pathway": "exempt",
    "data_class": "personal_information",
    "sectors": ["pharma"],
    "scenarios": ["pharma.clinical_trial"],
    "categories": ["health.clinical_trial"],
    "citation": {
        "instrument": "shanghai.lingang-biomedicine-list-2025",
        "ref": "test item",
        "ref_zh": "测试条目",
    },
}
LIST_ID = "testland-lingang-2025"


def _trials_law(folder: Path, gated: bool) -> Law:
    """The bundled law plus a positive list shaped like Lingang's biomedicine list that lets trial-
    subject data flow (the real list's categories are not encoded), with or without its filing gate."""
    base = yaml.safe_load(
        (Path(load_law().lists.paths["shanghai-lingang-biomedicine-2025"])).read_text(encoding="utf-8")
    )
    data = {**base, "id": LIST_ID, "family": "testland-lingang", "items": [TRIAL_ITEM]}
    data["coverage"] = {"complete": False, "missing": []}
    if not gated:
        data.pop("filing_required")
    (folder / f"{LIST_ID}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_law([folder])


@pytest.fixture(scope="module")
def trials_law(tmp_path_factory: pytest.TempPathFactory) -> Law:
    return _trials_law(tmp_path_factory.mktemp("gated"), True)


def trial(persons: int | None, filings: list[str], extra: dict | None = None) -> Declaration:
    data = {"category": "health.clinical_trial", "subject": "patient", "persons": persons}
    return declaration({**LINGANG_PHARMA, "filings": filings, **(extra or {})}, data, "pharma.clinical_trial")


FILING_OBLIGATION = f"{LIST_ID}:lg25.biomed-filing"


@pytest.mark.parametrize(
    ("persons", "national"),
    [
        (20_000, SA),  # sensitive PI of 10,000+ persons: CBDF Art. 7(2)
        (10_000, SA),  # the band's edge, 以上 includes the figure
        (9_999, SCC),  # below it: CBDF Art. 8(2)
        (None, UND),  # persons not declared: the national answer is open
    ],
)
def test_before_the_filing_the_national_answer_and_the_duty_to_file(
    trials_law: Law, persons: int | None, national: Pathway
) -> None:
    flow, _ = judge(trials_law, trial(persons, []), "2025-06-02")
    assert flow.pathway == national and flow.items[0].regime == "cn-national-2024"
    assert FILING_OBLIGATION in [o.id for o in flow.obligations]
    (w,) = [w for w in flow.warnings if w.startswith(f"{LIST_ID} applies")]
    assert "not recorded (handler.filings)" in w and "listed as an obligation" in w
    assert "reading taken: Listed data flows freely only once the filing is completed" in w


@pytest.mark.parametrize("persons", [20_000, 9_999, None])
def test_once_the_filing_is_recorded_the_list_applies(trials_law: Law, persons: int | None) -> None:
    flow, _ = judge(trials_law, trial(persons, [LIST_ID]), "2025-06-02")
    assert flow.pathway == EXEMPT and flow.items[0].regime == LIST_ID
    assert flow.items[0].deciding_rules == ["tl.trial-subjects"]
    assert FILING_OBLIGATION in [o.id for o in flow.obligations]  # the filing is its procedure
    assert not any(w.startswith(f"{LIST_ID} applies") for w in flow.warnings)


def test_a_filing_of_another_list_does_not_count(trials_law: Law) -> None:
    flow, _ = judge(trials_law, trial(20_000, ["shanghai-lingang-biomedicine-2025"]), "2025-06-02")
    assert flow.pathway == SA and flow.items[0].regime == "cn-national-2024"


def test_a_positive_list_without_the_gate_applies_unfiled(tmp_path: Path) -> None:
    flow, _ = judge(_trials_law(tmp_path, False), trial(20_000, []), "2025-06-02")
    assert flow.pathway == EXEMPT and flow.items[0].regime == LIST_ID
    assert not any(w.startswith(f"{LIST_ID} applies") for w in flow.warnings)


def test_data_the_list_does_not_name_gets_no_filing_duty(trials_law: Law) -> None:
    data = {"category": "health.adverse_event", "subject": "patient", "persons": 20_000}
    decl = declaration({**LINGANG_PHARMA, "filings": []}, data, "pharma.pharmacovigilance")
    flow, _ = judge(trials_law, decl, "2025-06-02")
    assert flow.pathway == SA and FILING_OBLIGATION not in [o.id for o in flow.obligations]
    assert not any("free flow starts only after" in w for w in flow.warnings)


def test_lingang_icv_data_before_the_filing_is_exempt_nationally_without_a_duty(law: Law) -> None:
    """General data is exempt under the national rules anyway: the unfiled list changes nothing,
    so no filing duty is listed, and the decision says why the list was not used."""
    handler = {
        "zone": "shanghai-ftz",
        "area": "lingang",
        "sector": "connected_vehicles",
        "enterprise_type": "connected_vehicles.automaker",
    }
    data = {"category": "business.supply_chain"}
    flow, _ = judge(law, declaration(handler, data, "connected_vehicles.manufacturing"), "2024-09-02")
    assert flow.pathway == EXEMPT and flow.items[0].regime == "cn-national-2024"
    assert "shanghai-lingang-2024:lg24.general-data-filing" not in [o.id for o in flow.obligations]
    (w,) = [w for w in flow.warnings if w.startswith("shanghai-lingang-2024 applies")]
    assert "gives this answer without the list anyway" in w and w.endswith("[U]")
    filed = declaration(
        {**handler, "filings": ["shanghai-lingang-2024"]}, data, "connected_vehicles.manufacturing"
    )
    flow, _ = judge(law, filed, "2024-09-02")
    assert flow.items[0].regime == "shanghai-lingang-2024"
    assert "shanghai-lingang-2024:lg24.general-data-filing" in [o.id for o in flow.obligations]


def test_both_lingang_lists_require_their_filing(law: Law) -> None:
    for list_id, proc in [
        ("shanghai-lingang-2024", "lg24.general-data-filing"),
        ("shanghai-lingang-biomedicine-2025", "lg25.biomed-filing"),
    ]:
        gate = law.lists.get(list_id).filing_required
        assert gate is not None and gate.procedure == proc and gate.reading
    assert law.lists.get("shanghai-lingang-2024").filing_required.status == "U"  # type: ignore[union-attr]


def test_an_unknown_filed_list_is_a_clear_error(law: Law) -> None:
    decl = declaration({**LINGANG_PHARMA, "filings": ["shanghai-lingang-2042"]}, {"category": "business.rnd"})
    (problem,) = check_declaration(decl, law)
    assert problem.startswith("handler.filings[0]: unknown list 'shanghai-lingang-2042'; nearest valid:")


def test_the_filing_gate_is_validated(law: Law) -> None:
    ctx = {"instruments": law.instruments}
    data = list_data(law, "shanghai-lingang-2024")
    data["filing_required"] = {**data["filing_required"], "procedure": "lg24.no-such-step"}
    with pytest.raises(ValidationError, match=r"'lg24\.no-such-step' is not a procedure of the list"):
        ListFile.model_validate(data, context=ctx)
    negative = list_data(law, "shanghai-ftz-2024")
    negative["filing_required"] = {
        "procedure": negative["procedures"][0]["id"],
        "citation": negative["procedures"][0]["citation"],
    }
    with pytest.raises(ValidationError, match="filing_required is for positive lists"):
        ListFile.model_validate(negative, context=ctx)


# --- `lists validate` on the new scope fields --------------------------------------------------------


def validate_text(tmp_path: Path, law: Law, data: dict) -> list[str]:
    from ftzlist.authoring import validate_list

    p = tmp_path / f"{data['id']}.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [str(x) for x in validate_list(p, law)]


def test_validate_names_file_and_line_for_a_bad_scope(law: Law, tmp_path: Path) -> None:
    data = list_data(law, "tianjin-ftz-2024")
    data.update(id="testland-ftz-2026", family="testland-ftz")
    assert not [m for m in validate_text(tmp_path, law, data) if "error" in m.lower() and "scope" in m]
    data["scope"]["sectors"] = "some"
    out = validate_text(tmp_path, law, data)
    assert any("testland-ftz-2026.yaml:" in m and "scope.sectors" in m for m in out), out
    data["scope"]["sectors"] = "all"
    data["scope"]["places"] = ["tianjn"]
    out = validate_text(tmp_path, law, data)
    assert any("unknown place 'tianjn'" in m for m in out), out


def test_validate_does_not_ask_an_all_sector_list_to_list_its_item_sectors(law: Law, tmp_path: Path) -> None:
    data = list_data(law, "tianjin-ftz-2024")
    data.update(id="testland-ftz-2026", family="testland-ftz")
    item = {
        "id": "t.retail-pi",
        "title": {"zh": "零售个人信息", "en": "retail PI"},
        "pathway": "security_assessment",
        "data_class": "personal_information",
        "sectors": ["retail"],
        "persons": {"min": 1_000_000},
        "citation": {"instrument": "tianjin.ftz-list-2024", "ref": "class 13", "status": "U"},
    }
    data["items"] = [item]
    out = validate_text(tmp_path, law, data)
    assert not any("is not one the list covers" in m for m in out), out
    data["scope"]["sectors"] = "listed"
    data["sectors"] = [{"sector": "pharma", "citation": item["citation"]}]
    out = validate_text(tmp_path, law, data)
    assert any("sector 'retail' is not one the list covers" in m for m in out), out


# --- a positive list's part not encoded: named, never applied ------------------------------------


def biomed(scenario: str, data: dict) -> Declaration:
    return declaration({**LINGANG_PHARMA}, {"subject": "patient", **data}, scenario)


def test_the_biomedicine_gap_is_named_not_applied(law: Law) -> None:
    """zone-facts-2 §3 example 7: listed trial data may flow after filing; the list's 30 categories
    are not encoded, so the national answer stands and the decision says a lighter path may exist."""
    flow, _ = judge(
        law,
        biomed("pharma.pharmacovigilance", {"category": "health.adverse_event", "persons": 20_000}),
        "2025-06-02",
    )
    assert flow.pathway == SA and flow.items[0].regime == "cn-national-2024"
    assert missing(flow) == []  # not undetermined: the gap could only lighten
    (w,) = [w for w in flow.warnings if "lg25.biomed.data-categories" in w]
    assert "may let this data flow without the three formalities once its filing is recorded" in w
    assert "not applied" in w


@pytest.mark.parametrize(
    ("scenario", "data", "day"),
    [
        (
            "pharma.diagnosis_services",
            {"category": "health.adverse_event", "persons": 20_000},
            "2025-06-02",
        ),  # not its scenario
        (
            "pharma.pharmacovigilance",
            {"category": "health.adverse_event", "persons": 20_000},
            "2024-05-16",
        ),  # before either first day
    ],
)
def test_no_gap_is_named_where_the_list_does_not_reach(law: Law, scenario: str, data: dict, day: str) -> None:
    flow, _ = judge(law, biomed(scenario, data), day)
    assert not any("lg25.biomed" in w for w in flow.warnings)


def test_no_gap_is_named_for_an_exempt_answer(law: Law) -> None:
    decl = declaration({**LINGANG_PHARMA}, {"category": "business.rnd"}, "pharma.rnd")
    flow, _ = judge(law, decl, "2025-06-02")
    assert flow.pathway == EXEMPT and not any("is not encoded: it may let" in w for w in flow.warnings)


# --- what the commands show -----------------------------------------------------------------------


def cli(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    from ftzlist.cli import main

    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue()


@pytest.mark.parametrize(
    ("list_id", "words"),
    [
        ("tianjin-ftz-2024", "zone tianjin-ftz, areas all; every sector"),
        ("beijing-ftz-2025", "zone beijing-ftz, areas all; also beijing (whole)"),
        ("guangdong-ftz-2025", "also hetao-shenzhen-park (whole)"),
        ("shanghai-lingang-2024", "procedure lg24.general-data-filing [U]"),
    ],
)
def test_lists_show_says_whom_a_list_binds(list_id: str, words: str) -> None:
    code, text = cli("lists", "show", list_id)
    assert code == 0 and words in " ".join(text.split()), text


def test_assess_shows_the_filing_duty_and_the_reading(trials_law: Law, tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    src = Path(trials_law.lists.paths[LIST_ID])
    (folder / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    decl = tmp_path / "decl.yaml"
    decl.write_text(
        yaml.safe_dump(trial(20_000, []).model_dump(mode="json", exclude_none=True)), encoding="utf-8"
    )
    code, text = cli("assess", str(decl), "--as-of", "2025-06-02", "--lists", str(folder), "--format", "json")
    assert code == 0, text
    import json

    flow = json.loads(text)["flows"][0]
    assert flow["pathway"] == "security_assessment"
    assert FILING_OBLIGATION in [o["id"] for o in flow["obligations"]]
    assert any("free flow starts only after the handler's filing" in w for w in flow["warnings"])


# --- one reading of a scope for the engine and for compare -----------------------------------------


def test_binds_place_and_bound_places_agree(law: Law) -> None:
    """For every list and every place a handler can declare (with each area of it, or none): the
    engine binds the handler exactly where compare places a list (`bound_places`), the area left
    undeclared being the only unknown."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from ftzlist.law.scope import binds_place
    from ftzlist.schema.declaration import Handler

    voc = law.vocabulary
    lists = [lf for lf in law.lists if lf.kind != "national"]
    places = sorted(voc.zones)

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(lists), st.sampled_from(places), st.data())
    def check(lf: ListFile, place: str, data: st.DataObject) -> None:
        areas = [a.id for a in voc.zones[place].areas]
        area = data.draw(st.sampled_from([None, *areas]))
        state, why = binds_place(lf, Handler(name="H", zone=place, area=area), voc)
        if place not in bound_places(lf, voc):
            assert state is False and why == []
        elif state is None:
            assert area is None and lf.scope.zone == place and lf.scope.areas and why
        elif state is False:
            assert area is not None and lf.scope.areas and area not in lf.scope.areas
        else:
            assert why == []

    check()


@pytest.mark.parametrize("filings", [["shanghai-lingang-2024"], []])
def test_an_inventory_workbook_carries_the_recorded_filings(
    law: Law, tmp_path: Path, filings: list[str]
) -> None:
    """The Excel inventory's handler sheet has a `filings` row: written from a declaration and read
    back, the filings are the same, and the gated list applies exactly when named."""
    from ftzlist.excel.inventory import read_inventory
    from ftzlist.excel.template import write_template

    handler = {
        "zone": "shanghai-ftz",
        "area": "lingang",
        "sector": "connected_vehicles",
        "enterprise_type": "connected_vehicles.automaker",
        "filings": filings,
    }
    decl = declaration(handler, {"category": "business.supply_chain"}, "connected_vehicles.manufacturing")
    book = write_template(law, tmp_path / "inventory.xlsx", decl)
    back = read_inventory(book, law)
    assert back.handler.filings == filings
    flow = decide(back, law, dt.date(2024, 9, 2)).flows[0]
    assert flow.items[0].regime == ("shanghai-lingang-2024" if filings else "cn-national-2024")
