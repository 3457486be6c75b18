"""Scenario files: a list's test cases as data, run by the test suite and by `ftzlist lists test`.

A scenario file names the list it was written for, default handler facts, and cases: a dated
declaration (handler facts over the defaults, flows) with the pathway the law gives each flow, and
optionally the rules that must fire and the facts an undetermined answer must ask for. The format is
the one of `tests/scenarios/*.yaml`:

```yaml
list: fujian-ftz-2025
defaults:
  handler: {name: Test Co, zone: fujian-ftz, area: xiamen, sector: pharma, ciio: false}
cases:
  - name: "pharma trial subjects 5,000: standard_contract_or_certification"
    as_of: 2026-06-30
    flows: [{id: f1, scenario: pharma.clinical_trial, recipient: {name: P, country: US},
             purpose: p, data: [{id: d1, category: health.clinical_trial, subject: trial_subject,
             persons: 5000}]}]
    expect: {f1: standard_contract_or_certification}
    expect_fired: {f1: [fj25.pharma.trial-subjects.t2]}
    expect_missing: {f1: [handler.area]}
    expect_regime: {f1: fujian-ftz-2025}
```

`run_case` judges one case on a law and says what differs; `with_list` puts a list under test in
place of the one the cases were written for (an imported or draft edition).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from ftzlist.errors import InputError
from ftzlist.law import Law, ListSet
from ftzlist.loader import check_declaration, check_list
from ftzlist.schema.common import Id, Pathway, Strict
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.lists import ListFile
from ftzlist.yamlio import parse, read_text, validate


class Case(Strict):
    """One dated declaration and what the law gives each of its flows."""

    name: str = Field(min_length=1)
    as_of: dt.date
    note: str | None = Field(None, description="Why the expectation is what it is (a reading, a source).")
    handler: dict[str, Any] | None = Field(None, description="Handler facts over the file's defaults.")
    flows: list[dict[str, Any]] = Field(min_length=1)
    expect: dict[Id, Pathway] = Field(min_length=1, description="Flow id -> pathway.")
    expect_fired: dict[Id, list[Id]] | None = Field(None, description="Flow id -> rules that must decide.")
    expect_missing: dict[Id, list[str]] | None = Field(
        None, description="Flow id -> words the missing facts must mention."
    )
    expect_regime: dict[Id, Id] | None = Field(
        None,
        description="Flow id -> the list whose rules decide every data item of the flow (e.g. the "
        "national list where a zone list does not reach).",
    )


class Defaults(Strict):
    handler: dict[str, Any] = Field(default_factory=dict)


class ScenarioFile(Strict):
    list_id: Id = Field(alias="list", description="Id of the list the cases were written for.")
    defaults: Defaults = Field(default_factory=Defaults)
    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True)
class FlowResult:
    flow_id: str
    expected: Pathway
    got: Pathway | None


@dataclass
class CaseResult:
    name: str
    flows: list[FlowResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_scenarios(path: Path) -> ScenarioFile:
    """A scenario file; a malformed one is an InputError naming file, line and field."""
    text = read_text(path)
    data = parse(text, str(path))
    doc = validate(ScenarioFile, data, text, str(path))
    problems = []
    for i, case in enumerate(doc.cases):
        try:
            declaration(doc, case)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = ".".join(str(x) for x in err["loc"])
                problems.append(f"{path}: cases.{i} ({case.name}): {loc}: {err['msg']}")
        ids = {f.get("id") for f in case.flows}
        for key in ("expect", "expect_fired", "expect_missing", "expect_regime"):
            for flow_id in getattr(case, key) or {}:
                if flow_id not in ids:
                    problems.append(f"{path}: cases.{i} ({case.name}): {key} names no flow '{flow_id}'")
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {path}", problems=problems)
    return doc


def declaration(doc: ScenarioFile, case: Case) -> Declaration:
    handler = {**doc.defaults.handler, **(case.handler or {})}
    return Declaration.model_validate({"handler": handler, "flows": case.flows})


def run_case(doc: ScenarioFile, case: Case, law: Law, *, pathways_only: bool = False) -> CaseResult:
    """Judge one case on `law`; every expectation that does not hold is a failure."""
    from ftzlist.engine import decide

    result = CaseResult(case.name)
    decl = declaration(doc, case)
    problems = check_declaration(decl, law)
    if problems:
        result.failures.extend(f"the case does not fit the vocabulary: {p}" for p in problems)
        return result
    got = {f.flow_id: f for f in decide(decl, law, case.as_of).flows}
    for flow_id, pathway in case.expect.items():
        fd = got[flow_id]
        result.flows.append(FlowResult(flow_id, pathway, fd.pathway))
        if fd.pathway != pathway:
            fired = sorted({r for it in fd.items for r in it.deciding_rules})
            missing = "; ".join(f"{m.field}: {m.why}" for m in fd.missing)
            result.failures.append(
                f"{flow_id}: got {fd.pathway.value}, expected {pathway.value}"
                f" (deciding rules: {', '.join(fired) or 'none'}"
                + (f"; missing: {missing})" if missing else ")")
            )
    checks = (
        ("expect_fired", case.expect_fired),
        ("expect_missing", case.expect_missing),
        ("expect_regime", case.expect_regime),
    )
    if pathways_only:
        result.skipped.extend(name for name, value in checks if value)
        return result
    for flow_id, rules in (case.expect_fired or {}).items():
        fired = {r for it in got[flow_id].items for r in it.deciding_rules}
        lacking = sorted(set(rules) - fired)
        if lacking:
            result.failures.append(f"{flow_id}: rules {', '.join(lacking)} did not decide ({sorted(fired)})")
    for flow_id, regime in (case.expect_regime or {}).items():
        regimes = sorted({it.regime for it in got[flow_id].items})
        if regimes != [regime]:
            result.failures.append(f"{flow_id}: decided under {', '.join(regimes)}, expected {regime}")
    for flow_id, words in (case.expect_missing or {}).items():
        text = " ".join(f"{m.field} {m.why}" for m in got[flow_id].missing)
        for w in words:
            if w not in text:
                result.failures.append(f"{flow_id}: the missing facts ({text!r}) do not mention {w!r}")
    return result


def run_file(
    doc: ScenarioFile, law: Law, *, pathways_only: bool = False, only: Iterable[str] = ()
) -> list[CaseResult]:
    names = set(only)
    return [
        run_case(doc, c, law, pathways_only=pathways_only) for c in doc.cases if not names or c.name in names
    ]


def with_list(law: Law, lf: ListFile, sha256: str, *, replacing: Iterable[str] = ()) -> Law:
    """`law` with `lf` in place of the lists `replacing` (and any list of the same id), dates as they
    are. The list's vocabulary references are checked: an unknown id is an InputError."""
    problems = check_list(lf, law.vocabulary, lf.id)
    if problems:
        raise InputError(f"list {lf.id} refers to unknown ids", problems=problems)
    gone = {lf.id, *replacing}
    by_id = {i: x for i, x in law.lists.by_id.items() if i not in gone}
    sha = {i: h for i, h in law.lists.sha256.items() if i in by_id}
    paths = {i: p for i, p in law.lists.paths.items() if i in by_id}
    by_id[lf.id], sha[lf.id] = lf, sha256
    return Law(vocabulary=law.vocabulary, lists=ListSet(by_id, sha, paths), instruments=law.instruments)
