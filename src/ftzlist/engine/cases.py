"""What a decision can still say when a fact is unknown: the answer under each value it could take.

Each flow, once judged as declared, goes through `Settle.flow`:

- for a handler fact left unstated (CIIO status, `CASE_FACTS`), an undetermined flow that asks for
  it is judged under each value the fact can take. A flow that gets the same determined pathway
  under every value is determined (a 2,000,000-person export needs a security assessment whether
  or not the handler is a CIIO), with a warning saying so; otherwise its lower bound is raised to
  the least of the cases;
- an undetermined flow of a handler in a zone gets `national_reference`: its answer under the
  national rules alone (the handler taken outside every zone), a point of reference.

`flows_need` gives the strictest pathway the flows need, beside the national count (`handler_totals`).

Pure, like the engine: `flow_of(declaration, i)` is the engine's judgement of flow `i` of a
variant of the declaration (the caller keeps one judge per variant, so counts are shared).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ftzlist.schema.common import PATHWAY_LABEL, PATHWAY_RANK, Pathway
from ftzlist.schema.decision import FlowDecision, NationalReference
from ftzlist.schema.declaration import Declaration

FlowOf = Callable[[Declaration, int], FlowDecision]

CASE_FACTS: dict[str, tuple[Any, ...]] = {"ciio": (True, False)}
"""Handler facts whose every value is tried when a flow is undetermined for want of them."""


def least(fd: FlowDecision) -> Pathway | None:
    """The least pathway the flow needs (its pathway, or its lower bound when undetermined)."""
    return fd.lower_bound if fd.pathway == Pathway.undetermined else fd.pathway


def flows_need(leasts: Iterable[Pathway | None], undetermined: bool) -> tuple[Pathway, bool]:
    """(the strictest pathway the flows need, whether an undetermined flow may need more)."""
    need = max((p or Pathway.exempt for p in leasts), key=PATHWAY_RANK.__getitem__, default=Pathway.exempt)
    return need, undetermined


class Settle:
    """Settles the flows of one declaration (see the module docstring)."""

    def __init__(self, decl: Declaration, flow_of: FlowOf, reference: bool = True):
        self.decl, self.flow_of, self.reference = decl, flow_of, reference
        self._variants: dict[tuple[str, Any], Declaration] = {}
        self._outside: Settle | None = None

    def variant(self, name: str, value: Any) -> Declaration:
        """The declaration with handler fact `name` set to `value` (made once)."""
        key = (name, value)
        if key not in self._variants:
            handler = self.decl.handler.model_copy(update={name: value})
            self._variants[key] = self.decl.model_copy(update={"handler": handler})
        return self._variants[key]

    def unstated(self) -> list[tuple[str, tuple[Any, ...]]]:
        """The case facts the declaration leaves unstated, with their values."""
        return [(n, vs) for n, vs in CASE_FACTS.items() if getattr(self.decl.handler, n) is None]

    def flow(self, index: int, fd: FlowDecision) -> FlowDecision:
        fd = self.by_cases(index, fd)
        if self.reference and fd.pathway == Pathway.undetermined and self.decl.handler.zone is not None:
            fd = self._national(index, fd)
        return fd

    def by_cases(self, index: int, fd: FlowDecision) -> FlowDecision:
        for name, values in self.unstated():
            where = f"handler.{name}"
            if fd.pathway != Pathway.undetermined or all(m.field != where for m in fd.missing):
                continue
            under = [self.flow_of(self.variant(name, v), index) for v in values]
            fd = _combine(fd, under, where, values)
        return fd

    def _national(self, index: int, fd: FlowDecision) -> FlowDecision:
        if self._outside is None:
            handler = self.decl.handler.model_copy(update={"zone": None, "area": None})
            self._outside = Settle(self.decl.model_copy(update={"handler": handler}), self.flow_of, False)
        out = self._outside
        ref = out.by_cases(index, self.flow_of(out.decl, index))
        regime = ref.items[0].regime if ref.items else ""
        return fd.model_copy(
            update={
                "national_reference": NationalReference(
                    list_id=regime, pathway=ref.pathway, lower_bound=ref.lower_bound
                )
            }
        )


def _combine(
    fd: FlowDecision, under: list[FlowDecision], where: str, values: tuple[Any, ...]
) -> FlowDecision:
    pathways = {u.pathway for u in under}
    cases = ", ".join(f"{where} {v}: {PATHWAY_LABEL[u.pathway]}" for v, u in zip(values, under, strict=True))
    if len(pathways) == 1 and Pathway.undetermined not in pathways:
        (pathway,) = pathways
        per_item = zip(*([i.pathway for i in u.items] for u in under), strict=True)
        items = [
            it.model_copy(update={"pathway": ps[0]}) if len(set(ps)) == 1 else it
            for it, ps in zip(fd.items, per_item, strict=True)
        ]
        obligations = {o.id: o for u in under for o in u.obligations}
        return fd.model_copy(
            update={
                "pathway": pathway,
                "lower_bound": None,
                "items": items,
                "obligations": sorted(
                    obligations.values(),
                    key=lambda o: (-PATHWAY_RANK.get(o.pathway, -1) if o.pathway else 1, o.id),
                ),
                "missing": [m for m in fd.missing if m.field != where],
                "warnings": [
                    *fd.warnings,
                    f"{where} not stated: every value leads to {PATHWAY_LABEL[pathway]} ({cases}), so "
                    f"the answer does not depend on it; the obligations of each case are listed",
                ],
            }
        )
    leasts = [least(u) for u in under]
    if any(p is None for p in leasts):
        return fd
    bound = min(leasts, key=PATHWAY_RANK.__getitem__)  # type: ignore[arg-type]
    if fd.lower_bound is not None and PATHWAY_RANK[fd.lower_bound] >= PATHWAY_RANK[bound]:
        return fd
    return fd.model_copy(
        update={
            "lower_bound": bound,
            "warnings": [*fd.warnings, f"{where} not stated: the answer differs by its value ({cases})"],
        }
    )
