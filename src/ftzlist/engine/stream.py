"""A declaration judged one flow at a time, for outputs that stream (`assess --format jsonl`) and
for deciding only some flows (cross-zone alternatives).

`decide()` returns the whole `DecisionSet`; `Assessment` gives the same parts in order without
keeping them: `header()` (known before any flow), `flow(i)` / `flows()`, then `totals()` (the
handler-wide view, known once every flow is decided). What is shared by the whole declaration
(the lists in force, the governing list of each data item, matches per kind of data, person
counts) is computed once per assessment, as `decide()` does: the flows come out identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ftzlist.engine.cases import least
from ftzlist.engine.decide import Checks, Judges, _header, _Judge, _totals, no_cyclic_gc
from ftzlist.law import Law
from ftzlist.schema.common import Pathway
from ftzlist.schema.decision import DecisionHeader, DecisionTotals, FlowDecision
from ftzlist.schema.declaration import Declaration


class Assessment:
    """One declaration under the lists in force on `as_of` (see `decide` for `checks`).

    Memory: the declaration, one fact per data item and the shared tables; a flow's decision is
    kept only by whoever asks for it.
    """

    def __init__(
        self,
        declaration: Declaration,
        law: Law,
        as_of: dt.date,
        checks: Checks = "all",
        like: Assessment | None = None,
    ) -> None:
        """`like`: an assessment of the same flows with the handler placed elsewhere, whose
        resolved data items and signatures are reused (they do not depend on where the handler is)."""
        if like is not None and like._j.decl.flows is not declaration.flows:
            raise ValueError("`like` must assess the same flows")
        with no_cyclic_gc():
            self._js = Judges(declaration, law, as_of, checks, like=like._j if like else None)
        self._pathways: dict[int, tuple[Pathway, Pathway | None]] = {}
        self._repeated = False

    @property
    def _j(self) -> _Judge:
        """The judge of the facts given and the lists certainly in force."""
        return self._js.main

    def header(self) -> DecisionHeader:
        """Engine, day, input hash and the lists consulted (`DecisionSet`'s leading fields)."""
        return _header(self._js)

    def __len__(self) -> int:
        return len(self._j.decl.flows)

    def flow(self, index: int) -> FlowDecision:
        """The decision of flow `index` (0-based, declaration order). IndexError outside."""
        if not 0 <= index < len(self):
            raise IndexError(f"no flow {index} in a declaration of {len(self)}")
        with no_cyclic_gc():
            fd = self._js.flow(index)
        self._repeated = self._repeated or index in self._pathways
        self._pathways[index] = (fd.pathway, least(fd))
        return fd

    def flows(self) -> Iterator[FlowDecision]:
        """Every flow's decision, in declaration order, one at a time."""
        for i in range(len(self)):
            yield self.flow(i)

    def totals(self) -> DecisionTotals:
        """Handler totals and the pathway summary (`DecisionSet`'s trailing fields).

        Raises RuntimeError unless every flow has been decided exactly once through this object
        (the national handler-wide view is gathered while flows are decided)."""
        if self._repeated or len(self._pathways) != len(self):
            raise RuntimeError("totals are known once every flow has been decided once")
        return _totals(self._j, (self._pathways[i] for i in range(len(self))))

    def determined(self) -> bool:
        """True when no flow decided so far is undetermined."""
        return all(p != Pathway.undetermined for p, _ in self._pathways.values())

    def flow_class(self, index: int) -> tuple:
        """A key equal for flows decided alike — the same pathway, lower bound and, item by item,
        pathways, regimes and deciding rules (not ids, persons of one's own, missing-fact
        locations or texts): each data item's signature, clearances and governing list, and the
        flow's exemption claim as judged. Persons count only through the handler-wide totals."""
        j = self._j
        claim = j.claims[index]
        return (
            tuple((j.signature[f.key], tuple(f.data.cleared), id(j.regime[f.key])) for f in j.by_flow[index]),
            None if claim is None else (claim.ground, id(claim.exemption), claim.state),
        )

    def governed_by(self, index: int) -> set[str]:
        """Ids of the zone lists that govern some data item of flow `index` (by sector, enterprise
        type and scenario, before exemptions): a flow none of whose data a list governs is never
        decided by that list. Lists that govern only under an alternative the flow needs (a list
        whose binding turns on a missing fact, a disputed first day) are included."""
        return {
            lf.id
            for j in self._js.judges_of(index)
            for f in j.by_flow[index]
            if (lf := j.regime[f.key]) is not None
        }
