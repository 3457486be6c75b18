"""The facts a decision reads, resolved once per declared data item.

Sensitivity follows from the category (PIPL Art. 28 grounds in the taxonomy); a declaration may
make data *more* sensitive than its category, never less (a `sensitive: false` on a category with a
ground is overruled and warned about). Anonymised data is not personal information (PIPL Art. 73(4)).
"""

from __future__ import annotations

from dataclasses import dataclass

from ftzlist.law import Vocabulary
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
                sensitive = bool(ground) or bool(d.sensitive)
                sensitivity = Sensitivity.sensitive if sensitive else Sensitivity.non_sensitive
            facts.append(Fact(fi, di, flow, d, key, kind, sensitivity, ground, tuple(warnings)))
    return facts
