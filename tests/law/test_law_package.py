"""`ftzlist.law`: one category ancestry, one sensitivity rule, item conditions compiled once (Python
and SQL agree)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftzlist.engine
from ftzlist.law import Facts, compile_item, is_under, resolve_sensitivity, sensitivity_sql
from ftzlist.schema.common import Citation, DataClass, Pathway, Sensitivity
from ftzlist.schema.declaration import SensitivityOverride
from ftzlist.schema.lists import Item

CITE = Citation(instrument="test", ref="Art. 1")
OVERRIDE_DOWN = SensitivityOverride(
    sensitive=False, reviewed_by="DPO", reviewed_on=dt.date(2025, 1, 2), basis="city-level only"
)


def test_ancestry_is_by_segment_not_by_prefix(law) -> None:
    assert is_under("health.genetic", "health")
    assert is_under("health", "health")
    assert not is_under("healthy", "health")
    assert not is_under("health", "health.genetic")
    assert law.vocabulary.covers(["location"], "location.track")


def test_category_sensitivity_of_parents(law) -> None:
    voc = law.vocabulary
    assert voc.category_sensitivity("location") == "mixed"  # location.track is sensitive
    assert "location.track" in voc.sensitive_descendants("location")
    assert voc.category_sensitivity("location.track") == "sensitive"
    assert voc.category_sensitivity("health.genetic") == "sensitive"  # inherited
    assert voc.category_sensitivity("contact.email") == "non_sensitive"


@pytest.mark.parametrize(
    ("category", "claims", "override", "expected", "source"),
    [
        ("health.medical_record", {}, None, Sensitivity.sensitive, "category"),
        # a declaration or row claiming "not sensitive" never lowers a sensitive category
        ("health.medical_record", {"row": False}, None, Sensitivity.sensitive, "category"),
        ("health.medical_record", {"declaration": False}, None, Sensitivity.sensitive, "category"),
        # a reviewed override does, and says so
        ("location.track", {}, OVERRIDE_DOWN, Sensitivity.non_sensitive, "override"),
        # ...but a row may still raise above the override
        ("location.track", {"row": True}, OVERRIDE_DOWN, Sensitivity.sensitive, "raised"),
        ("contact.email", {"declaration": True}, None, Sensitivity.sensitive, "raised"),
        ("contact.email", {"row": False}, None, Sensitivity.non_sensitive, "category"),
        # a parent whose children differ is open until someone says
        ("location", {}, None, None, "open"),
        ("location", {"declaration": False}, None, Sensitivity.non_sensitive, "settled"),
        ("location", {"row": True}, None, Sensitivity.sensitive, "raised"),
        (None, {}, None, None, "open"),
        (None, {"row": False}, None, Sensitivity.non_sensitive, "settled"),
    ],
)
def test_resolve_sensitivity(law, category, claims, override, expected, source) -> None:
    r = resolve_sensitivity(law.vocabulary, category, claims, override)
    assert (r.value, r.source) == (expected, source)
    if category == "health.medical_record" and claims:
        assert r.overruled == tuple(claims)


def test_sensitivity_sql_agrees_with_python(law) -> None:
    """The SQL CASE and the Python rule give the same answer on every combination."""
    voc = law.vocabulary
    cats = ["health.medical_record", "contact.email", "location", None]
    tri = [True, False, None]
    overrides = [None, OVERRIDE_DOWN, OVERRIDE_DOWN.model_copy(update={"sensitive": True})]
    rows = []
    for cat, row, item, ov in itertools.product(cats, tri, tri, overrides):
        r = resolve_sensitivity(voc, cat, {"row": row, "item": item}, ov)
        rows.append((cat, row, item, ov, "unknown" if r.value is None else r.value.value))

    def word(v: bool | None) -> str | None:
        return None if v is None else ("sensitive" if v else "non_sensitive")

    con = duckdb.connect()
    con.execute("CREATE TABLE t (cat VARCHAR, row_s VARCHAR, item_s VARCHAR, ov VARCHAR, want VARCHAR)")
    con.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
        [
            (
                None if c is None else voc.category_sensitivity(c),
                word(r),
                word(i),
                word(o.sensitive if o else None),
                w,
            )
            for c, r, i, o, w in rows
        ],
    )
    expr = sensitivity_sql("cat", ["row_s", "item_s"], "ov")
    bad = con.execute(f"SELECT * FROM t WHERE ({expr}) <> want").fetchall()
    assert bad == []


ROW_CATEGORIES = [
    "health.medical_record",
    "health.genetic",
    "contact.email",
    "location",
    "location.track",
    None,
]
SUBJECTS = ["patient", "employee", "customer", None]
SCENARIOS = ["pharma.pharmacovigilance", "pharma.clinical_trial", None]
SENS = [Sensitivity.sensitive, Sensitivity.non_sensitive, None]

ITEMS = [
    Item(
        id="t.a",
        title={"zh": "甲", "en": "a"},
        pathway=Pathway.security_assessment,
        citation=CITE,
        data_class=DataClass.personal_information,
        subjects=["patient"],
        sensitivity=Sensitivity.sensitive,
    ),
    Item(
        id="t.b",
        title={"zh": "乙", "en": "b"},
        pathway=Pathway.exempt,
        citation=CITE,
        categories=["health", "location.track"],
        scenarios=["pharma.pharmacovigilance"],
    ),
    Item(
        id="t.c",
        title={"zh": "丙", "en": "c"},
        pathway=Pathway.exempt,
        citation=CITE,
        sensitivity=Sensitivity.non_sensitive,
        ciio=False,
    ),
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    item=st.sampled_from(ITEMS),
    category=st.sampled_from(ROW_CATEGORIES),
    subject=st.sampled_from(SUBJECTS),
    scenario=st.sampled_from(SCENARIOS),
    sens=st.sampled_from(SENS),
)
def test_compiled_conditions_sql_agrees_with_python(law, item, category, subject, scenario, sens) -> None:
    """`must` holds only where Python says True; `may` holds wherever Python does not say False
    (conditions on facts no column gives are dropped from `may`, named in `context`)."""
    voc = law.vocabulary
    c = compile_item(item, voc)
    kind = voc.kind(category) if category else DataClass.personal_information
    facts = Facts(
        data_class=kind,
        category=category,
        subject=subject,
        scenario=scenario,
        sensitivity=sens if kind == DataClass.personal_information else None,
        ciio=False,
    )
    f = c.sql({"category": "category", "subject": "subject", "scenario": "scenario", "sensitivity": "sens"})
    con = duckdb.connect()
    row = con.execute(
        f"SELECT coalesce({f.must}, FALSE), coalesce({f.may}, FALSE) FROM (SELECT ?::VARCHAR AS category, "
        "?::VARCHAR AS subject, ?::VARCHAR AS scenario, ?::VARCHAR AS sens)",
        [category, subject, scenario, None if facts.sensitivity is None else facts.sensitivity.value],
    ).fetchone()
    must, may = row
    state = c.state(facts)
    if must:
        assert state is not False
    if state is not False:
        assert may
    if state is True:
        assert must or f.context or (category is None and item.data_class is not None)
    assert "ciio" not in f.unsupported and (item.ciio is None or "ciio" in f.context)


def test_explain_names_missing_facts_where_the_user_can_supply_them(law) -> None:
    c = compile_item(ITEMS[0], law.vocabulary)
    m = c.explain(
        Facts(
            data_class=DataClass.personal_information,
            category="health.medical_record",
            sensitivity=Sensitivity.sensitive,
            where="flows[0].data[2]",
        )
    )
    assert m.state is None
    assert [f for f, _ in m.missing] == ["flows[0].data[2].subject"]
    assert m.reason.code == "cond.unknown"
    m = c.explain(Facts(data_class=DataClass.other, category="business"))
    assert m.state is False and m.out_of_scope and m.reason.code == "cond.data_class"


def test_the_engine_does_not_import_the_loader() -> None:
    engine = Path(ftzlist.engine.__file__).parent
    hits = [
        f"{p.name}:{n}"
        for p in sorted(engine.rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "ftzlist.loader" in line or "from ftzlist import loader" in line
    ]
    assert hits == []
