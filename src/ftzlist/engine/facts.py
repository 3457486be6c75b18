"""The facts a decision reads, resolved once per declared data item.

Sensitivity is `ftzlist.law.sensitivity.resolve_sensitivity`'s (the one rule, PIPL Art. 28): the
category decides; a declaration may make data *more* sensitive, never less (a `sensitive: false` on
a category with a ground is overruled and warned about), and it settles a parent category whose
descendants differ (`location` beside `location.precise`). Left unsettled, the sensitivity stays
open (None): a rule that depends on it is unknown, and the decision asks for it. Anonymised data is
not personal information (PIPL Art. 73(4)).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ftzlist.law import Vocabulary, resolve_sensitivity
from ftzlist.schema.common import DataClass, Sensitivity
from ftzlist.schema.declaration import DataItem, Declaration, Flow


@dataclass(frozen=True)
class Fact:
    flow_index: int
    item_index: int
    flow: Flow
    data: DataItem
    key: str
    data_class: DataClass
    sensitivity: Sensitivity | None
    ground: str | None
    warnings: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"flows[{self.flow_index}].data[{self.item_index}]"


def resolve(decl: Declaration, voc: Vocabulary) -> list[Fact]:
    facts = []
    for fi, flow in enumerate(decl.flows):
        for di, d in enumerate(flow.data):
            key = f"{flow.id}/{d.id or di}"
            warnings: list[str] = []
            kind = voc.kind(d.category)
            ground = voc.sensitive_ground(d.category)
            if d.anonymised and kind == DataClass.personal_information:
                kind, ground = DataClass.other, None
                warnings.append(f"{key}: anonymised, so not personal information (PIPL Art. 73(4))")
            sensitivity: Sensitivity | None = None
            if kind == DataClass.personal_information:
                if d.sensitive is False and ground:
                    warnings.append(
                        f"{key}: declared not sensitive, but category {d.category} is sensitive "
                        f"({ground}, PIPL Art. 28); treated as sensitive"
                    )
                resolved = resolve_sensitivity(voc, d.category, {"declaration": d.sensitive})
                sensitivity = resolved.value
                subject_ground = _subject_ground(voc, d)
                if subject_ground and d.sensitive is None and sensitivity == Sensitivity.non_sensitive:
                    sensitivity = None  # the persons, not the category, may make it sensitive
                    warnings.append(
                        f"{key}: subject {d.subject}: some of these persons may fall under "
                        f"{subject_ground} (PIPL Art. 28), so whether this data is sensitive is open; "
                        "declare `sensitive: true/false` (or a sub-category that settles it)"
                    )
                elif sensitivity is None:
                    warnings.append(
                        f"{key}: category {d.category} has sensitive sub-categories "
                        f"({', '.join(resolved.open_because)}): whether this data is sensitive is open; "
                        "declare a sub-category or `sensitive: true/false`"
                    )
            facts.append(Fact(fi, di, flow, d, key, kind, sensitivity, ground, tuple(warnings)))
        start = len(facts) - len(flow.data)
        facts[start:] = _same_persons_warnings(facts[start:])
    return facts


def _subject_ground(voc: Vocabulary, d: DataItem) -> str | None:
    """The sensitive ground some persons of the item's subject type may fall under (vocabulary
    `subject_types[].may_fall_under`), or None."""
    st = voc.subject_types.get(d.subject) if d.subject else None
    return st.may_fall_under if st is not None else None


def _same_persons_warnings(flow_facts: list[Fact]) -> list[Fact]:
    """Two personal-information items of one flow with the same subject type and the same person
    count are likely one set of persons: they are still summed (counting them once on a guess could
    give a lighter pathway), and the later item warns how to declare them once (`same_persons_as`)."""
    out = list(flow_facts)
    seen: dict[tuple[str | None, int], Fact] = {}
    for i, f in enumerate(flow_facts):
        n = f.data.persons
        if f.data_class != DataClass.personal_information or not n:
            continue
        first = seen.setdefault((f.data.subject, n), f)
        if first is f or _linked(first.data, f.data):
            continue
        name = first.data.id or f"data[{first.item_index}] (give it an id)"
        note = (
            f"{first.key} and {f.key}: same subject type ({f.data.subject or 'not stated'}) and same "
            f"person count ({n:,}): summed ({2 * n:,}) wherever both count toward one band, as nothing "
            f"says they are the same persons; if they are, declare them once: add "
            f"`same_persons_as: {name}` to {f.where} (docs/declarations.md)"
        )
        out[i] = replace(f, warnings=(*f.warnings, note))
    return out


def _linked(a: DataItem, b: DataItem) -> bool:
    """Whether one item says its persons are among the other's."""
    return (a.id is not None and b.same_persons_as == a.id) or (
        b.id is not None and a.same_persons_as == b.id
    )
