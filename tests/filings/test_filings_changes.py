"""Material change (fresh application) vs non-material change (simplified change), and why."""

from __future__ import annotations

import pytest
from filings_support import d

from ftzlist.filings.changes import DEFAULT_VOLUME_RATIO, assess_change
from ftzlist.filings.content import FiledContent

BASE = {
    "scenario": "retail.membership",
    "purpose": "global loyalty programme",
    "method": "API",
    "scope": "members in Fujian stores",
    "recipient": {"name": "Brand HQ Ltd", "country": "SG"},
    "storage_place": "Singapore",
    "storage_period_months": 36,
    "legal_documents": ["dpa-v1"],
    "list_subcategories": ["fj.retail.member.1"],
    "items": [
        {"id": "member_contact", "category": "pi.contact", "persons": 100000, "records": 100000},
        {"id": "purchases", "category": "pi.transactions", "persons": 100000, "records": 900000},
    ],
    "persons": 100000,
}


def content(**changes):
    return FiledContent.model_validate(BASE | changes)


def book_procedure():
    from filings_support import fixture_book

    return fixture_book().get("fujian-ftz-fixture", "fj.list_filing")


@pytest.mark.parametrize(
    ("changes", "trigger"),
    [
        ({"purpose": "marketing analytics"}, "purpose"),
        ({"method": "remote access"}, "method"),
        ({"scope": "all members in China"}, "scope"),
        ({"recipient": {"name": "Brand HQ Ltd", "country": "US"}}, "recipient"),
        ({"storage_place": "Virginia, US"}, "storage_place"),
        ({"storage_period_months": 60}, "storage_period"),
        ({"legal_documents": ["dpa-v2"]}, "legal_documents"),
        ({"persons": 160000}, "volume"),
        ({"list_subcategories": ["fj.retail.member.1", "fj.retail.member.2"]}, "scope"),
        (
            {
                "items": [
                    *BASE["items"],
                    {"id": "face", "category": "pi.biometric", "sensitive": True, "persons": 10},
                ]
            },
            "data_types",
        ),
        ({"items": [BASE["items"][0] | {"sensitive": True}, BASE["items"][1]]}, "sensitivity"),
    ],
)
def test_material_changes(changes, trigger):
    r = assess_change(content(), content(**changes), book_procedure())
    assert r.material, r
    assert trigger in {x.trigger for x in r.reasons if x.material}
    assert r.verdict.startswith("fresh application")


@pytest.mark.parametrize(
    "changes",
    [
        {"persons": 140000},  # +40%: below the default 1.5x
        {"storage_period_months": 24},  # shorter retention
        {"items": [BASE["items"][0]]},  # fewer data types
        {"persons": 50000},
    ],
)
def test_non_material_changes(changes):
    r = assess_change(content(), content(**changes), book_procedure())
    assert not r.material and r.reasons
    assert r.verdict.startswith("simplified change")


def test_no_change():
    assert assess_change(content(), content()).verdict == "no change"


def test_volume_ratio_is_configurable_and_documented():
    assert DEFAULT_VOLUME_RATIO == 1.5
    assert not assess_change(content(), content(persons=180000), volume_ratio=2.0).material
    assert assess_change(content(), content(persons=180000)).material
    with pytest.raises(ValueError):
        assess_change(content(), content(), volume_ratio=1.0)


def test_citations_come_from_the_list():
    r = assess_change(content(), content(persons=300000), book_procedure())
    [reason] = [x for x in r.reasons if x.trigger == "volume"]
    assert "Art. 13" in reason.citation and "volume_large_increase" in reason.citation
    assert "x3.00" in reason.why


def test_register_material_change_opens_fresh_application(reg):
    reg.add_handler("shop", "Shop")
    reg.add_flow("shop", "members")
    key = reg.open_proceeding("shop", "members", "fj.list_filing", d("2026-03-02"))
    reg.record_step(key, "area_notice", d("2026-03-03"))
    reg.record_filing(key, d("2026-03-04"), content())
    reg.record_opinion(key, d("2026-03-06"), "on_list")
    result, fresh = reg.change(key, d("2026-06-01"), content(recipient={"name": "New Co", "country": "US"}))
    assert result.material and fresh and fresh != key
    v = reg.show(fresh)
    assert (v.kind, v.follows, v.state) == ("fresh", key, "open")
    # the old approval stands until the fresh one is granted, then it is superseded
    reg.record_step(fresh, "area_notice", d("2026-06-02"))
    reg.record_filing(fresh, d("2026-06-03"), content(recipient={"name": "New Co", "country": "US"}))
    reg.record_opinion(fresh, d("2026-06-05"), "on_list")
    assert reg.show(key).state == "superseded"
    assert all(r.proceeding != key for r in reg.due(d("2026-06-08")))


def test_register_non_material_change_is_simplified(reg):
    reg.add_handler("shop", "Shop")
    reg.add_flow("shop", "members")
    key = reg.open_proceeding("shop", "members", "fj.list_filing", d("2026-03-02"))
    reg.record_step(key, "area_notice", d("2026-03-03"))
    reg.record_filing(key, d("2026-03-04"), content())
    reg.record_opinion(key, d("2026-03-06"), "on_list")
    result, same = reg.change(key, d("2026-06-01"), content(persons=120000))
    assert not result.material and same == key
    v = reg.show(key)
    assert [f["version"] for f in v.filings] == [1, 2] and v.filings[1]["persons"] == 120000
    assert ("simplified_change", d("2026-06-01")) in v.applications
    assert v.state == "active" and v.valid_until == d("2029-03-06")
    # a dry run reports without writing
    result, none = reg.change(key, d("2026-06-02"), content(purpose="x"), apply=False)
    assert result.material and none is None and len(reg.show(key).filings) == 2
