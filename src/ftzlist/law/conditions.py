"""A list item's conditions, compiled once: evaluated in Python by the engine, emitted as SQL by
counting. The one reader of `Item` conditions.

Every condition is three-valued on the facts it reads: True, False, or None when the fact is not
known. An item holds when every condition holds (persons bands are not conditions here: they are
tested against counts summed across facts, by the engine or by counting).

Python::

    c = compile_item(item, law.vocabulary)
    c.state(facts)            # True / False / None, fast (no reasons)
    m = c.explain(facts)      # Match: state, facts read, missing facts and reasons (Messages)

SQL (counting)::

    f = c.sql({"category": "category", "subject": "subject", "scenario": "scenario",
               "sensitivity": "sens"})
    f.may    # rows the item may catch: unknown (NULL, 'unknown') values kept -- an upper bound
    f.must   # rows it certainly catches
    f.unsupported  # row facts the item tests that no column gives (dropped from `may`)
    f.context      # facts that are not on a row at all (sector, CIIO status, markers, holdings)

The SQL is portable (DuckDB, PostgreSQL, Spark, SQLite): `=`, `IN`, `IS NULL` and `substr`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ftzlist.law.vocabulary import Vocabulary, is_under
from ftzlist.schema.common import DataClass, Sensitivity
from ftzlist.schema.decision import Message
from ftzlist.schema.declaration import Holdings
from ftzlist.schema.lists import Holding, Item

ROW_FACTS = ("data_class", "category", "subject", "scenario", "sensitivity")
"""Facts an export-log row can carry (through a column or a mapping item tag)."""


@dataclass(frozen=True)
class Facts:
    """What conditions read about one declared data item, its flow and its handler.

    `sensitivity` None on personal information means open (see `ftzlist.law.sensitivity`).
    `where` / `flow_where` name the declaration fields (`flows[0].data[1]`, `flows[0]`) so a
    missing fact is reported where the user can supply it."""

    data_class: DataClass
    category: str | None = None
    subject: str | None = None
    sensitivity: Sensitivity | None = None
    scenario: str | None = None
    sector: str | None = None
    ciio: bool | None = None
    markers: frozenset[str] = frozenset()
    holdings: Holdings | None = None
    where: str = "data"
    flow_where: str = "flow"


@dataclass
class Match:
    """An item (or one ground's conditions) judged on one set of facts, with the reasons."""

    state: bool | None
    facts: dict[str, Any] = field(default_factory=dict)
    missing: list[tuple[str, Message]] = field(default_factory=list)
    reason: Message | None = None
    out_of_scope: bool = False  # failed on data class or sector: not a rule about this data at all


@dataclass(frozen=True)
class SqlFilter:
    may: str
    must: str
    unsupported: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in(col: str, values: list[str]) -> str:
    return f"{col} IN ({', '.join(_lit(v) for v in values)})"


def _under_sql(col: str, targets: list[str]) -> str:
    parts = []
    for t in targets:
        prefix = t + "."
        parts.append(f"{col} = {_lit(t)} OR substr({col}, 1, {len(prefix)}) = {_lit(prefix)}")
    return "(" + " OR ".join(parts) + ")"


class Condition:
    """One test on one fact. Subclasses set `fact` and implement `test`, `why_not` and `sql`."""

    fact: str
    scope: bool = False  # a failure means the rule is about other data (not listed as a reason)

    @property
    def key(self) -> str:
        """How the fact read is named in a check's `facts`."""
        return {"sector": "handler.sector", "ciio": "handler.ciio", "holdings": "handler.holdings"}.get(
            self.fact, "flow.scenario" if self.fact == "scenario" else self.fact
        )

    def value(self, f: Facts) -> Any:
        return getattr(f, self.fact)

    def test(self, f: Facts) -> bool | None:
        raise NotImplementedError

    def why_not(self, f: Facts, rule: str) -> Message:
        raise NotImplementedError

    def field(self, f: Facts) -> str:
        return {
            "sector": "handler.sector",
            "ciio": "handler.ciio",
            "holdings": "handler.holdings",
            "scenario": f"{f.flow_where}.scenario",
        }.get(self.fact, f"{f.where}.{'sensitive' if self.fact == 'sensitivity' else self.fact}")

    def sql(self, col: str) -> tuple[str, str]:
        """(may, must) over column expression `col`."""
        raise NotImplementedError


class _Member(Condition):
    def __init__(self, fact: str, allowed: list[str], scope: bool = False):
        self.fact, self.allowed, self.scope = fact, list(allowed), scope

    def test(self, f: Facts) -> bool | None:
        v = self.value(f)
        return None if v is None else v in self.allowed

    def why_not(self, f: Facts, rule: str) -> Message:
        return Message(
            code="cond.not_in", params={"fact": self.fact, "value": self.value(f), "allowed": self.allowed}
        )

    def sql(self, col: str) -> tuple[str, str]:
        must = _in(col, self.allowed)
        return f"({col} IS NULL OR {must})", must


class _DataClass(Condition):
    fact = "data_class"
    scope = True

    def __init__(self, cls: DataClass, voc: Vocabulary):
        self.cls = cls
        self.categories = voc.categories_of_kind(cls)

    def test(self, f: Facts) -> bool | None:
        return f.data_class == self.cls

    def why_not(self, f: Facts, rule: str) -> Message:
        return Message(
            code="cond.data_class", params={"actual": f.data_class.value, "expected": self.cls.value}
        )

    def sql(self, col: str) -> tuple[str, str]:
        # `col` is the row's category: its data class follows from the taxonomy
        must = _in(col, self.categories) if self.categories else "FALSE"
        return f"({col} IS NULL OR {must})", must


class _Category(Condition):
    fact = "category"

    def __init__(self, targets: list[str]):
        self.targets = list(targets)

    def test(self, f: Facts) -> bool | None:
        if f.category is None:
            return None
        return any(is_under(f.category, t) for t in self.targets)

    def why_not(self, f: Facts, rule: str) -> Message:
        return Message(code="cond.category", params={"category": f.category, "allowed": self.targets})

    def sql(self, col: str) -> tuple[str, str]:
        must = _under_sql(col, self.targets)
        return f"({col} IS NULL OR {must})", must


class _Sensitivity(Condition):
    fact = "sensitivity"

    def __init__(self, wanted: Sensitivity):
        self.wanted = wanted

    def test(self, f: Facts) -> bool | None:
        if f.data_class != DataClass.personal_information:
            return False
        return None if f.sensitivity is None else f.sensitivity == self.wanted

    def why_not(self, f: Facts, rule: str) -> Message:
        actual = f.sensitivity.value if f.sensitivity else "not_personal_information"
        return Message(code="cond.sensitivity", params={"actual": actual, "expected": self.wanted.value})

    def sql(self, col: str) -> tuple[str, str]:
        must = f"{col} = {_lit(self.wanted.value)}"
        return f"({col} IS NULL OR {col} = 'unknown' OR {must})", must


class _Ciio(Condition):
    fact = "ciio"

    def __init__(self, wanted: bool):
        self.wanted = wanted

    def test(self, f: Facts) -> bool | None:
        return None if f.ciio is None else f.ciio == self.wanted

    def why_not(self, f: Facts, rule: str) -> Message:
        return Message(code="cond.ciio", params={"ciio": f.ciio})


class _Marker(Condition):
    def __init__(self, marker: str):
        self.fact = marker
        self.marker = marker

    def value(self, f: Facts) -> Any:
        return self.marker in f.markers

    def test(self, f: Facts) -> bool | None:
        return self.marker in f.markers

    def why_not(self, f: Facts, rule: str) -> Message:
        return Message(code="cond.marker", params={"marker": self.marker})


class _Holdings(Condition):
    fact = "holdings"

    def __init__(self, holdings: list[Holding]):
        self.holdings = list(holdings)

    def value(self, f: Facts) -> Any:
        return {h.metric: (getattr(f.holdings, h.metric) if f.holdings else None) for h in self.holdings}

    def test(self, f: Facts) -> bool | None:
        states = [
            None if v is None else v >= h.min
            for h, v in zip(self.holdings, self.value(f).values(), strict=True)
        ]
        if True in states:
            return True
        return None if None in states else False

    def why_not(self, f: Facts, rule: str) -> Message:
        return Message(code="cond.holdings", params={"thresholds": {h.metric: h.min for h in self.holdings}})


CONTEXT_FACTS = ("sector", "ciio", "holdings", "important_data", "core_data", "export_controlled")


class CompiledItem:
    """An item's conditions, in the order they are tested (scope conditions first)."""

    def __init__(self, item: Item, conditions: list[Condition]):
        self.item = item
        self.conditions = conditions

    @property
    def rule(self) -> str:
        return self.item.id

    def state(self, f: Facts) -> bool | None:
        """True / False / None without reasons (False as soon as a condition fails)."""
        out: bool | None = True
        for c in self.conditions:
            s = c.test(f)
            if s is False:
                return False
            if s is None:
                out = None
        return out

    def explain(self, f: Facts) -> Match:
        """The state with the facts read, the missing facts and the reason (Messages)."""
        m = Match(True)
        for c in self.conditions:
            s = c.test(f)
            m.facts[c.key] = _plain(c.value(f))
            if s is False:
                m.state, m.reason, m.out_of_scope = False, c.why_not(f, self.rule), c.scope
                return m
            if s is None:
                m.state = None
                m.missing.append(
                    (c.field(f), Message(code="rule.needs_fact", params={"rule": self.rule, "fact": c.fact}))
                )
        m.reason = Message(
            code="cond.unknown" if m.state is None else "cond.hold",
            params={"facts": [c.fact for c in self.conditions if c.test(f) is None]}
            if m.state is None
            else {},
        )
        return m

    def sql(self, columns: Mapping[str, str]) -> SqlFilter:
        """Row filters over `columns` (fact name -> SQL expression; see `ROW_FACTS`). The `category`
        column also serves the data-class condition. Conditions on facts no column gives are
        dropped from `may` and named in `unsupported` (row facts) or `context` (handler/flow facts)."""
        may, must, unsupported, context = [], [], [], []
        for c in self.conditions:
            fact = c.fact
            col = columns.get("category") if fact == "data_class" else columns.get(fact)
            if fact in CONTEXT_FACTS or (fact not in ROW_FACTS):
                context.append(fact)
                continue
            if col is None:
                unsupported.append(fact)
                continue
            a, b = c.sql(col)
            may.append(a)
            must.append(b)
        return SqlFilter(
            may=" AND ".join(may) or "TRUE",
            must=" AND ".join(must) or "TRUE",
            unsupported=tuple(unsupported),
            context=tuple(dict.fromkeys(context)),
        )


def _plain(v: Any) -> Any:
    if isinstance(v, DataClass | Sensitivity):
        return v.value
    return v


def compile_item(item: Item, voc: Vocabulary) -> CompiledItem:
    """The item's conditions (all but `persons`), in evaluation order: data class and sector first
    (a failure there means the rule is about other data), then scenario, subject, category,
    sensitivity, CIIO status, markers and holdings."""
    conds: list[Condition] = []
    if item.data_class is not None:
        conds.append(_DataClass(item.data_class, voc))
    if item.sectors is not None:
        conds.append(_Member("sector", item.sectors, scope=True))
    if item.scenarios is not None:
        conds.append(_Member("scenario", item.scenarios))
    if item.subjects is not None:
        conds.append(_Member("subject", item.subjects))
    if item.categories is not None:
        conds.append(_Category(item.categories))
    if item.sensitivity is not None:
        conds.append(_Sensitivity(item.sensitivity))
    if item.ciio is not None:
        conds.append(_Ciio(item.ciio))
    conds.extend(_Marker(m) for m in item.markers)
    if item.holdings:
        conds.append(_Holdings(item.holdings))
    return CompiledItem(item, conds)
