"""`decide(declaration, law, as_of)`: every flow's pathway, with every reason.

Pure: no I/O, no clock, no environment. The order of precedence comes from the national list
(`precedence`): `override` items (core data, export control, notified important data) apply
whatever else does; a flow's exemption ground (`exemption`) lifts the rules below it; a zone list
that binds the handler (`zone`) replaces the national ladder (`base`) for the data it covers.
Within what applies, the strictest pathway wins and every obligation is kept. A rule whose facts
are unknown leaves the flow `undetermined` only when it could make the answer stricter.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from ftzlist import __version__
from ftzlist.engine import variants
from ftzlist.engine.cases import Settle, flows_need, least
from ftzlist.engine.exemptions import Claim, judge_claim
from ftzlist.engine.facts import Fact, resolve
from ftzlist.engine.match import Match, Signature, match_item, signature
from ftzlist.law import Law
from ftzlist.law.reasons import message
from ftzlist.law.scope import (
    binds_place,
    binds_sector,
    filing_obligation,
    filing_recorded,
    filing_warning,
    lighter_parts,
    scope_warnings,
)
from ftzlist.schema.common import PATHWAY_LABEL, PATHWAY_RANK, Citation, DataClass, Pathway, Sensitivity
from ftzlist.schema.decision import (
    Check,
    Conflict,
    DecisionHeader,
    DecisionSet,
    DecisionTotals,
    FlowDecision,
    HandlerTotals,
    Headroom,
    ItemDecision,
    ListRef,
    Message,
    Missing,
    ObligationOut,
    ReadingOut,
)
from ftzlist.schema.declaration import Declaration, Handler
from ftzlist.schema.lists import Exemption, Item, ListFile, Reading

ENGINE_VERSION = f"ftzlist-engine {__version__}"

Checks = Literal["all", "fired"]
"""Which rule checks a decision explains: every one evaluated, or those that bear on the answer."""


@dataclass
class Eval:
    """One item judged on one fact."""

    lf: ListFile
    item: Item
    match: Match
    state: bool | None
    lifted: bool = False
    persons: tuple[int, float] | None = None  # (lo, hi) of the aggregated count

    @property
    def rank(self) -> int:
        return PATHWAY_RANK[self.item.pathway]


@dataclass
class Outcome:
    """What one fact needs: known pathway, unknowns that could raise it, and why."""

    fired: list[Eval] = field(default_factory=list)
    unknown: list[Eval] = field(default_factory=list)
    pseudo_unknown: list[tuple[int, Missing]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    regime: str = ""
    unfiled: list[tuple[ListFile, Pathway]] = field(default_factory=list)  # positive lists once filed
    readings: list[tuple[str, Reading]] = field(default_factory=list)  # (list id, reading relied on)
    notes: list[str] = field(default_factory=list)

    def unknown_rank(self) -> int:
        ranks = [e.rank for e in self.unknown] + [r for r, _ in self.pseudo_unknown]
        return max(ranks, default=-1)


def _hash_input(decl: Declaration, as_of: dt.date) -> str:
    payload = decl.model_dump_json(exclude_none=False) + f"|as_of={as_of.isoformat()}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _band_state(item: Item, lo: int, hi: float) -> bool | None:
    band = item.persons
    assert band is not None
    if hi < band.min or (band.max is not None and lo >= band.max):
        return False
    if lo >= band.min and (band.max is None or hi < band.max):
        return True
    return None


class _Judge:
    """Holds the per-declaration state: facts, governing lists, exemption results, pools."""

    def __init__(
        self,
        decl: Declaration,
        law: Law,
        as_of: dt.date,
        checks: Checks = "all",
        like: _Judge | None = None,
        *,
        assume_binding: bool = False,
        assume_in_force: frozenset[str] = frozenset(),
        zones: bool = True,
    ):
        """`like`: a judge of the same flows with the handler placed elsewhere; its data items and
        their signatures are reused (they do not depend on where the handler is).
        `assume_binding`: a list whose binding turns on a fact the declaration leaves unknown
        (area, sector, enterprise type, scenario) is taken to bind (else not). `assume_in_force`:
        lists whose first day the sources dispute (`ListFile.effective_from_dates`) taken as in
        force on `as_of`. `zones` False: the national rules alone (for comparing a zone band)."""
        self.decl, self.law, self.as_of, self.checks = decl, law, as_of, checks
        self.assume_binding = assume_binding
        self.all_checks = checks == "all"
        self.assume_binding = assume_binding
        self.voc = law.vocabulary
        self.handler: Handler = decl.handler
        self.national = law.lists.national(as_of)
        self.in_force = [
            lf
            for lf in law.lists
            if (lf.in_force(as_of) or (lf.id in assume_in_force and lf.in_force_disputed(as_of)))
            and (zones or lf.kind == "national")
        ]
        self._national_only: _Judge | None = None
        self.facts = resolve(decl, self.voc) if like is None else like.facts
        self.by_flow: dict[int, list[Fact]] = defaultdict(list)
        for f in self.facts:
            self.by_flow[f.flow_index].append(f)
        self.governing_missing: list[tuple[str, Missing]] = []  # (list id, the fact deciding it binds)
        self.governing_conflicts: list[Conflict] = []
        self.governing_warnings: list[str] = []  # how a list binds the handler, where the source is unsure
        self.zone_lists = self._zone_lists()
        self.claims: dict[int, Claim | None] = {
            i: judge_claim(i, flow, self.by_flow[i], self.handler, self.national, self.voc, law.lists)
            for i, flow in enumerate(decl.flows)
        }
        self.regime: dict[str, ListFile | None] = {f.key: self._governing(f) for f in self.facts}
        # Matching reads only a fact's signature (engine.match.signature): each item is matched once
        # per signature, not once per fact, and persons are tallied per class of facts that count
        # alike, so a large declaration costs what its distinct kinds of data cost.
        interned: dict[Signature, Signature] = {}
        self.signature = (
            {f.key: interned.setdefault(s, s) for f in self.facts for s in [signature(f)]}
            if like is None
            else like.signature
        )
        self._matches: dict[tuple[str, str, str], Match] = {}
        self._by_signature: dict[tuple[str, str, Signature], Match] = {}
        self._counts: dict[tuple[str, str], tuple[int, float]] = {}
        self._states: dict[tuple[str, str, Signature], bool | None] = {}
        self._bare: dict[tuple[str, str], Item] = {}
        self._tallies = self._tally()
        # the national ladder's view, gathered while flows are decided (handler totals)
        self.national_view: list[tuple[Fact, Pathway | None, list[Headroom]]] = []
        self._groups: dict[str, dict[str, list[Item]]] = {}
        self._settle: Settle | None = None
        self._variants: dict[int, _Judge] = {}
        self._flags: dict[tuple[str, str, Signature], bool | None] = {}
        self._items: dict[tuple[str, str], list[Item]] = {}
        self._uncovered: dict[tuple[str, DataClass], list[tuple[int, Missing]]] = {}
        self._layers: dict[tuple, tuple[list[Eval], list[Eval], list[Check], str]] = {}
        self._headrooms: dict[tuple, tuple[list[Headroom], str]] = {}
        self._obligations: dict[tuple, list[tuple[str, ObligationOut]]] = {}

    # --- variants of the declaration, where a fact is unknown (engine.cases) ----------------------
    @property
    def settle(self) -> Settle:
        """Settles this declaration's flows by the cases of an unstated fact (made on first use)."""
        if self._settle is None:

            def flow_of(decl: Declaration, index: int) -> FlowDecision:
                vj = self.judge_for(decl)
                return _flow_decision(vj, index, vj.by_flow[index])

            self._settle = Settle(self.decl, flow_of)
        return self._settle

    def judge_for(self, decl: Declaration) -> _Judge:
        """The judge of a variant of this declaration (the same flows, the handler described or
        placed otherwise), made once and sharing the resolved data items."""
        if decl is self.decl:
            return self
        vj = self._variants.get(id(decl))
        if vj is None:
            vj = self._variants[id(decl)] = _Judge(decl, self.law, self.as_of, self.checks, like=self)
        return vj

    # --- which list governs -------------------------------------------------------------------
    def _zone_lists(self) -> list[ListFile]:
        h = self.handler
        if h.zone is None:
            return []
        found = []
        for lf in self.in_force:
            if lf.kind == "national":
                continue
            state, missing = binds_place(lf, h, self.voc)  # ftzlist.law.scope: zone, areas, places
            self.governing_missing.extend((lf.id, m) for m in missing)
            if state or (state is None and self.assume_binding):
                found.append(lf)
                self.governing_warnings.extend(scope_warnings(lf, h, self.voc))
        negative = [lf for lf in found if lf.kind == "negative_list"]
        families = defaultdict(list)
        for lf in negative:
            families[lf.family].append(lf.id)
        for fam, ids in families.items():
            if len(ids) > 1:
                self.governing_conflicts.append(
                    Conflict(
                        rules=ids,
                        pathways=[],
                        resolution=f"editions of {fam} overlap in time; each is applied and the stricter answer kept",
                    )
                )
        return found

    def _sector_scope(self, lf: ListFile, fact: Fact) -> tuple[bool | None, list[Missing]]:
        return binds_sector(lf, self.handler, fact.flow.scenario, fact.flow_index)  # ftzlist.law.scope

    def _governing(self, fact: Fact) -> ListFile | None:
        for lf in self.zone_lists:
            if lf.kind != "negative_list":
                continue
            state, _ = self._sector_scope(lf, fact)
            if state or (state is None and self.assume_binding):
                return lf
        return None

    def governing_unknown(self, fact: Fact) -> list[tuple[str, Missing]]:
        """(list id, missing fact) for each list whose binding on `fact` turns on a fact not given."""
        out = list(self.governing_missing)
        for lf in self.zone_lists:
            state, missing = self._sector_scope(lf, fact)
            if state is None:
                out.extend((lf.id, m) for m in missing)
        return out

    # --- exemptions -----------------------------------------------------------------------------
    def exempted(self, fact: Fact) -> bool | None:
        """Whether the flow's claimed ground exempts this data item (None: a needed fact is unstated)."""
        claim = self.claims[fact.flow_index]
        if claim is None or claim.exemption is None or claim.state is False:
            return False
        if (
            claim.exemption.covers == "personal_information"
            and fact.data_class != DataClass.personal_information
        ):
            return False
        return claim.state

    def band_groups(self, lf: ListFile) -> dict[str, list[Item]]:
        """Items on one person axis, by group, for headroom."""
        if lf.id not in self._groups:
            groups: dict[str, list[Item]] = defaultdict(list)
            for it in lf.items:
                if it.group and it.persons is not None and it.level != "override":
                    groups[it.group].append(it)
            self._groups[lf.id] = dict(sorted(groups.items()))
        return self._groups[lf.id]

    # --- matching and counting ---------------------------------------------------------------
    def match(self, lf: ListFile, item: Item, fact: Fact) -> Match:
        """`item` matched on `fact`: shared by every fact of the same signature, except a match
        that names missing facts (their locations are the fact's own), kept for the fact at hand."""
        by_signature = (lf.id, item.id, self.signature[fact.key])
        m = self._by_signature.get(by_signature)
        if m is not None:
            return m
        key = (lf.id, item.id, fact.key)
        m = self._matches.get(key)
        if m is None:
            m = match_item(item, fact, self.handler, self.voc)
            if m.missing:
                self._matches[key] = m
            else:
                self._by_signature[by_signature] = m
        return m

    def state(self, lf: ListFile, item: Item, fact: Fact) -> bool | None:
        """`match(...).state`, kept per signature without the facts read."""
        key = (lf.id, item.id, self.signature[fact.key])
        if key not in self._states:
            self._states[key] = self.match(lf, item, fact).state
        return self._states[key]

    def _tally(self) -> list[tuple[Fact, int, bool]]:
        """Facts that count alike (same signature, exemption claim of their flow and governing
        list), each class as (a fact of it, persons declared, whether some fact of it leaves
        persons unknown). A fact declared among another's persons (`same_persons_as`) is a class of
        its own; `_class_of` gives each fact's class."""
        classes: dict[tuple, list] = {}
        self._class_of: dict[str, int] = {}
        for f in self.facts:
            claim = self.claims[f.flow_index]
            ground = None if claim is None else (claim.exemption.id if claim.exemption else "", claim.state)
            key = (self.signature[f.key], ground, id(self.regime[f.key]), _counted_with(f))
            c = classes.get(key)
            if c is None:
                c = classes[key] = [f, 0, False, len(classes)]
            self._class_of[f.key] = c[3]
            if f.data.persons is None:
                c[2] = True
            else:
                c[1] += f.data.persons
        return [(f, n, unknown) for f, n, unknown, _ in classes.values()]

    def pooled(self, lf: ListFile, item: Item, fact: Fact) -> bool | None:
        """Whether `fact`'s persons count toward `item`'s band: the item's own conditions, or, where
        the item states its pooling (`Item.pooling`), its conditions but sensitivity, and a
        sensitivity among those pooled (open sensitivity counts for certain only when both do)."""
        if item.pooling is None:
            return self.state(lf, item, fact)
        key = (lf.id, f"{item.id}#pooling", self.signature[fact.key])
        if key not in self._states:
            bare = self._bare.get((lf.id, item.id))
            if bare is None:
                bare = self._bare[(lf.id, item.id)] = item.model_copy(update={"sensitivity": None})
            pooled = set(item.pooling.sensitivity)
            st = match_item(bare, fact, self.handler, self.voc).state
            if st is not False and fact.data_class == DataClass.personal_information:
                if fact.sensitivity is None:
                    st = st if pooled == set(Sensitivity) else None
                elif fact.sensitivity not in pooled:
                    st = False
            self._states[key] = st
        return self._states[key]

    def pool(self, lf: ListFile, item: Item) -> Iterable[tuple[Fact, int, bool]]:
        """The classes of facts (see `_tally`) whose persons count towards `item`'s band."""
        excluded = set(lf.counting.excluded_exemptions if lf.counting else ())
        for tally in self._tallies:
            f = tally[0]
            claim = self.claims[f.flow_index]
            if (
                claim is not None
                and claim.exemption is not None
                and claim.exemption.id in excluded
                and self.exempted(f)
            ):
                continue
            if item.level == "override":
                yield tally
            elif lf.kind == "national":
                if self.regime[f.key] is None:
                    yield tally
            elif self.regime[f.key] is lf or lf.kind == "positive_list":
                yield tally

    def claimed(self, lf: ListFile, fact: Fact) -> bool | None:
        """Whether an exclusive zone item of `lf` takes this data out of the other items."""
        key = (lf.id, "#claimed", self.signature[fact.key])
        if key not in self._flags:
            states = [self.state(lf, it, fact) for it in lf.items if it.exclusive and it.level == "zone"]
            self._flags[key] = True if True in states else (None if None in states else False)
        return self._flags[key]

    def specific(self, lf: ListFile, data_class: DataClass | None, fact: Fact) -> bool | None:
        """Whether a specific (not catch-all) band of `lf` catches the data on all but persons."""
        key = (lf.id, f"#specific:{data_class}", self.signature[fact.key])
        if key not in self._flags:
            states = [
                self.state(lf, it, fact)
                for it in lf.items
                if not it.catch_all
                and it.persons is not None
                and it.data_class == data_class
                and it.level == "zone"
            ]
            claimed = self.claimed(lf, fact)
            states.append(claimed)
            self._flags[key] = True if True in states else (None if None in states else False)
        return self._flags[key]

    def counts_towards(self, lf: ListFile, item: Item, fact: Fact) -> bool:
        """False when an exclusive item or a specific band takes the data away from `item`."""
        if item.level == "zone" and not item.exclusive and self.claimed(lf, fact):
            return False
        return not (item.catch_all and self.specific(lf, item.data_class, fact))

    def count(self, lf: ListFile, item: Item) -> tuple[int, float]:
        """(at least, at most) persons towards `item`'s band; at most is inf when a figure is unknown."""
        key = (lf.id, item.id)
        if key not in self._counts:
            counted: list[tuple[Fact, int, bool, bool | None]] = []
            for f, n, unknown in self.pool(lf, item):
                state = self.pooled(lf, item, f)
                if state is False:
                    continue
                if item.level == "zone" and not item.exclusive:
                    claimed = self.claimed(lf, f)
                    if claimed:
                        continue
                    if claimed is None:
                        state = None
                if item.catch_all:
                    hit = self.specific(lf, item.data_class, f)
                    if hit:
                        continue
                    if hit is None:
                        state = None
                counted.append((f, n, unknown, state))
            certain = {self._class_of[f.key] for f, _, _, state in counted if state}
            lo, hi = 0, 0.0
            for f, n, unknown, state in counted:
                linked = _counted_with(f)
                if linked is not None and self._class_of.get(linked) in certain:
                    continue  # its persons are among those of an item counted here for certain
                if unknown:
                    hi = math.inf
                hi += n
                if state:
                    lo += n
            self._counts[key] = (lo, hi)
        return self._counts[key]

    def evaluate(self, lf: ListFile, item: Item, fact: Fact) -> Eval:
        m = self.match(lf, item, fact)
        state = m.state
        persons = None
        if state is not False and item.persons is not None:
            persons = self.count(lf, item)
            band_state = _band_state(item, *persons)
            if band_state is False:
                state = False
            elif band_state is None and state:
                state = None
        ev = Eval(lf, item, m, state, persons=persons)
        if state and any(c in fact.data.cleared for c in item.lifted_by):
            ev.lifted = True
        return ev

    # --- one fact ---------------------------------------------------------------------------------
    def check(self, ev: Eval, fact: Fact, outcome: str | None = None, reason: Message | None = None) -> Check:
        facts = dict(ev.match.facts)
        if ev.persons is not None:
            lo, hi = ev.persons
            facts["persons_counted"] = (
                lo if hi == lo else {"at_least": lo, "at_most": None if math.isinf(hi) else int(hi)}
            )
            facts["band"] = str(ev.item.persons)
        if outcome is None:
            outcome = (
                "lifted" if ev.lifted else {True: "fired", False: "not_fired", None: "unknown"}[ev.state]
            )
        if reason is None:
            if ev.lifted:
                reason = message("check.lifted", clearances=list(ev.item.lifted_by))
            elif ev.state is False and ev.match.state is not False:
                reason = message("check.persons_outside", band=str(ev.item.persons))
            elif ev.state is None and ev.match.state is not None:
                reason = message("check.persons_open", band=str(ev.item.persons))
            else:
                reason = ev.match.reason or (message("cond.hold") if ev.state else None)
        return Check(
            list_id=ev.lf.id,
            rule_id=ev.item.id,
            level=ev.item.level,
            pathway=ev.item.pathway,
            outcome=outcome,
            data_item=fact.key,
            citation=ev.item.citation,
            status=ev.item.status,
            facts=facts,
            reason=reason.text.en if reason is not None and reason.text is not None else "",
            message=reason,
        )

    def items_at(self, lf: ListFile, level: str) -> list[Item]:
        """The items of `lf` at `level` that can concern this handler's sector."""
        key = (lf.id, level)
        if key not in self._items:
            sector = self.handler.sector
            self._items[key] = [
                it
                for it in lf.items
                if it.level == level and (it.sectors is None or sector is None or sector in it.sectors)
            ]
        return self._items[key]

    def layer(self, lf: ListFile, level: str, fact: Fact, out: Outcome) -> None:
        """Judge the items of one list at one level on one fact (`_layer`), once per signature and
        clearances held: the answer is shared by every such fact, its checks re-addressed to the
        fact. An answer that names missing facts (their locations are the fact's own) is not shared."""
        key = (lf.id, level, self.signature[fact.key], tuple(fact.data.cleared))
        done = self._layers.get(key)
        if done is None:
            part = Outcome()
            self._layer(lf, self.items_at(lf, level), fact, part)
            done = (part.fired, part.unknown, part.checks, fact.key)
            if not any(ev.match.missing for ev in part.fired + part.unknown):
                self._layers[key] = done
        fired, unknown, checks, judged = done
        out.fired.extend(fired)
        out.unknown.extend(unknown)
        if judged == fact.key:
            out.checks.extend(checks)
        else:
            out.checks.extend(c.model_copy(update={"data_item": fact.key}) for c in checks)

    def _layer(self, lf: ListFile, items: list[Item], fact: Fact, out: Outcome) -> None:
        """Judge `items` of one list on one fact, applying the exclusive and catch-all rules."""
        claimed = self.claimed(lf, fact) if any(it.exclusive for it in items) else False
        for it in items:
            ev = self.evaluate(lf, it, fact)
            if claimed and not it.exclusive:
                if self.all_checks:
                    owner = next(x.id for x in items if x.exclusive and self.state(lf, x, fact))
                    out.checks.append(
                        self.check(ev, fact, "not_fired", message("check.claimed_by", owner=owner))
                    )
                continue
            if it.catch_all:
                hit = self.specific(lf, it.data_class, fact)
                if hit is True:
                    if self.all_checks:
                        out.checks.append(
                            self.check(ev, fact, "not_fired", message("check.specific_catches"))
                        )
                    continue
                if hit is None and ev.state is not False:
                    ev = Eval(
                        ev.lf,
                        ev.item,
                        _unknown_because(self._specific_missing(lf, it, fact), ev.match),
                        None,
                        persons=ev.persons,
                    )
            # a rule about other data is not a reason for this data; with checks="fired" only the
            # checks that bear on the answer (fired, lifted, unknown) are written
            if not ev.match.out_of_scope and (self.all_checks or ev.state is not False or ev.lifted):
                out.checks.append(self.check(ev, fact))
            if ev.lifted:
                continue
            if ev.state:
                out.fired.append(ev)
            elif ev.state is None:
                out.unknown.append(ev)

    def _specific_missing(self, lf: ListFile, item: Item, fact: Fact) -> list[tuple[str, Message]]:
        """Why it is unknown whether a specific band catches the data (for a catch-all's answer)."""
        out: list[tuple[str, Message]] = []
        for it in lf.items:
            if (
                it is not item
                and not it.catch_all
                and it.level == "zone"
                and (it.exclusive or it.data_class == item.data_class)
            ):
                m = self.match(lf, it, fact)
                if m.state is None:
                    out.extend(m.missing)
        return out

    def judge(self, fact: Fact) -> tuple[Outcome, Outcome]:
        """(overrides, regime) outcomes for one fact."""
        self._matches.clear()  # full matches (with the facts read) are kept only for the fact at hand
        over, reg = Outcome(regime="override"), Outcome()
        for lf in [self.national, *self.zone_lists]:
            self.layer(lf, "override", fact, over)

        exclusive = [e for e in over.fired if e.item.exclusive]
        if exclusive:  # e.g. national core data: the data leaves every list and ladder
            reg.regime = self.national.id
            owners = list(dict.fromkeys(e.item.id for e in exclusive))
            why = message("check.exclusive", owners=owners)
            reg.checks.append(
                Check(
                    list_id=self.national.id,
                    rule_id=f"{self.national.id}#precedence",
                    level="override",
                    pathway=None,
                    outcome="overridden",
                    data_item=fact.key,
                    citation=exclusive[0].item.citation,
                    facts={"exclusive": [e.item.id for e in exclusive]},
                    reason=why.text.en,  # type: ignore[union-attr]
                    message=why,
                )
            )
            return over, reg

        exempt_state = self.exempted(fact)
        claim = self.claims[fact.flow_index]
        ex = claim.exemption if claim is not None else None
        if claim is not None:
            reg.checks.append(
                Check(
                    list_id=self.national.id,
                    rule_id=ex.id if ex is not None else f"exemption:{claim.ground}",
                    level="exemption",
                    pathway=Pathway.exempt,
                    outcome={True: "fired", False: "not_fired", None: "unknown"}[exempt_state],
                    data_item=fact.key,
                    citation=ex.citation
                    if ex is not None
                    else Citation(instrument=self.national.title.en, ref="exemption grounds"),
                    facts={"flow.exemption": claim.ground, "covers": ex.covers if ex else None},
                    reason=claim.reason(),
                    message=claim.message(),
                )
            )
        if exempt_state is True:
            reg.regime = self.national.id
            reg.fired.append(Eval(self.national, _exemption_item(ex), Match(True), True))
            return over, reg

        lf = self.regime[fact.key]
        positive = [p for p in self.zone_lists if p.kind == "positive_list"]
        for p in positive:
            pos = Outcome()
            self.layer(p, "zone", fact, pos)
            reg.checks.extend(pos.checks)
            if pos.fired and not pos.unknown and not filing_recorded(p, self.handler):
                reg.unfiled.append((p, _strictest(e.item.pathway for e in pos.fired)))  # type: ignore[arg-type]
            elif pos.fired and not pos.unknown:
                reg.regime = p.id
                reg.fired.extend(pos.fired)
                return over, reg
        for other in self.zone_lists:
            reading = other.reading_on("catalogue_scope")
            if reading and other is not lf and self._sector_scope(other, fact)[0] is False:
                reg.readings.append((other.id, reading))
        if lf is not None:
            reg.regime = lf.id
            self.layer(lf, "zone", fact, reg)
            if not reg.fired and not reg.unknown and lf.off_list is not None:
                ev = Eval(lf, lf.off_list, Match(True, reason=message("check.off_list")), True)
                reg.fired.append(ev)
                reg.checks.append(self.check(ev, fact))
                self._catch_all_floor(lf, fact, reg)
            self._coverage(lf, fact, reg)
            self._zone_band_stricter(lf, fact, reg)
        else:
            reg.regime = self.national.id
            self.layer(self.national, "base", fact, reg)
            self._coverage(self.national, fact, reg)
        return over, reg

    def _catch_all_floor(self, lf: ListFile, fact: Fact, reg: Outcome) -> None:
        """Name the list's reading when data is off the list only because a band of its own (which
        it is below) keeps a catch-all band that would hold its count from applying."""
        reading = lf.reading_on("catch_all_floor")
        n = fact.data.persons
        if reading is None or n is None or self.specific(lf, fact.data_class, fact) is not True:
            return
        held = [
            it
            for it in lf.items
            if it.catch_all
            and it.data_class == fact.data_class
            and it.persons is not None
            and it.persons.contains(n)
            and self.state(lf, it, fact) is True
        ]
        if held:
            reg.readings.append((lf.id, reading))
            reg.notes.append(
                f"{fact.key}: below the floor of the list's band for its own subject or scenario; "
                f"{', '.join(it.id for it in held)} ({PATHWAY_LABEL[_strictest(it.pathway for it in held)]}) "
                f"is not applied, so the data is off the list (reading {reading.id})"
            )

    def _zone_band_stricter(self, lf: ListFile, fact: Fact, reg: Outcome) -> None:
        """Name the list's reading when its answer asks more than the national ladder would."""
        reading = lf.reading_on("zone_band_stricter")
        zone = _strictest(e.item.pathway for e in reg.fired)
        if reading is None or zone is None or zone == Pathway.exempt:
            return
        if self._national_only is None:
            self._national_only = _Judge(self.decl, self.law, self.as_of, self.checks, like=self, zones=False)
        _, nat = self._national_only.judge(fact)
        national = _strictest(e.item.pathway for e in nat.fired)
        if national is not None and not nat.unknown and PATHWAY_RANK[national] < PATHWAY_RANK[zone]:
            reg.readings.append((lf.id, reading))
            reg.notes.append(
                f"{fact.key}: {lf.id} asks {PATHWAY_LABEL[zone]} where the national ladder alone gives "
                f"{PATHWAY_LABEL[national]}; the list's band is applied (reading {reading.id})"
            )

    def _coverage(self, lf: ListFile, fact: Fact, out: Outcome) -> None:
        """Parts of `lf` not encoded that could decide this data (once per list and data class)."""
        key = (lf.id, fact.data_class)
        if key not in self._uncovered:
            part_out = Outcome()
            self._coverage_of(lf, fact, part_out)
            self._uncovered[key] = part_out.pseudo_unknown
        out.pseudo_unknown.extend(self._uncovered[key])

    def _coverage_of(self, lf: ListFile, fact: Fact, out: Outcome) -> None:
        for part in lf.coverage.missing:
            if not part.affects_pathways:
                continue
            if part.sectors is not None and self.handler.sector not in part.sectors:
                continue
            if part.data_classes is not None and fact.data_class not in part.data_classes:
                continue
            out.pseudo_unknown.append(
                (
                    PATHWAY_RANK[Pathway.security_assessment],
                    _missing(
                        f"list {lf.id}: {part.id}",
                        message(
                            "missing.not_encoded", list=lf.id, part=part.id, description=part.description
                        ),
                        kind="law",
                    ),
                )
            )


def _unknown_because(missing: list[tuple[str, Message]], m: Match) -> Match:
    return Match(None, dict(m.facts), missing, message("check.specific_unknown"))


def _missing(field: str, why: Message, kind: str = "fact") -> Missing:
    """A Missing entry from a message: `why` in English beside the message (JSON keeps both)."""
    return Missing(field=field, why=why.text.en if why.text else why.code, kind=kind, message=why)  # type: ignore[arg-type]


def _exemption_item(ex: Exemption) -> Item:
    return Item(id=ex.id, title=ex.name, level="exemption", pathway=Pathway.exempt, citation=ex.citation)


def decide(declaration: Declaration, law: Law, as_of: dt.date, checks: Checks = "all") -> DecisionSet:
    """Judge every flow of `declaration` under the lists in force on `as_of`.

    `checks`: "all" explains every rule evaluated (`FlowDecision.checks`); "fired" keeps only the
    checks that bear on the answer (outcome fired, lifted, unknown or overridden), which is most of
    the work and memory of a large declaration. Everything else is the same either way.
    """
    with no_cyclic_gc():
        return _decide(declaration, law, as_of, checks)


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The engine builds millions of small acyclic objects for large declarations; the cyclic
    collector rescanning them made 100,000 flows take superlinear time. Reference counting still
    frees everything; the collector is restored (and run once) afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decide(declaration: Declaration, law: Law, as_of: dt.date, checks: Checks) -> DecisionSet:
    js = Judges(declaration, law, as_of, checks)
    header = _header(js)
    flows = [js.flow(i) for i in range(len(declaration.flows))]
    totals = _totals(js.main, ((fd.pathway, least(fd)) for fd in flows))
    return DecisionSet(**dict(header), flows=flows, **dict(totals))


class Judges:
    """The judge of the facts given and the lists certainly in force (`main`), and the judges of
    the alternatives a flow may need (`engine.variants`): a list whose binding turns on a fact not
    given taken to bind; a list whose first day the sources dispute taken as in force. Each is
    made once, when some flow needs it, and shares `main`'s resolved facts."""

    def __init__(
        self,
        decl: Declaration,
        law: Law,
        as_of: dt.date,
        checks: Checks = "all",
        like: _Judge | None = None,
    ):
        self.main = _Judge(decl, law, as_of, checks, like=like)
        self._checks = checks
        zone = decl.handler.zone
        self.dated = [lf for lf in law.lists.disputed(as_of) if zone is not None and lf.scope.zone == zone]
        self.deciding = [
            _unique_pairs(m for f in self.main.by_flow[i] for m in self.main.governing_unknown(f))
            for i in range(len(decl.flows))
        ]
        self._alt: dict[tuple[bool, bool], _Judge] = {(False, False): self.main}

    def judge(self, binding: bool, dated: bool) -> _Judge:
        key = (binding, dated)
        if key not in self._alt:
            m = self.main
            self._alt[key] = _Judge(
                m.decl,
                m.law,
                m.as_of,
                self._checks,
                like=m,
                assume_binding=binding,
                assume_in_force=frozenset(lf.id for lf in self.dated) if dated else frozenset(),
            )
        return self._alt[key]

    def judges_of(self, index: int) -> list[_Judge]:
        """The judges flow `index` is decided by: `main` and the alternatives it needs."""
        bindings = [False, True] if self.deciding[index] else [False]
        return [self.judge(b, d) for b in bindings for d in ([False, True] if self.dated else [False])]

    def used(self) -> list[str]:
        """Ids of every list a decision may consult (the alternatives' lists included)."""
        judges = [self.main]
        if any(self.deciding):
            judges.append(self.judge(True, False))
        if self.dated:
            judges.extend(self.judge(b, True) for b in {False, any(bool(d) for d in self.deciding)})
        return sorted({j.national.id for j in judges} | {lf.id for j in judges for lf in j.zone_lists})

    def flow(self, index: int) -> FlowDecision:
        """Flow `index` decided, the alternatives it needs merged (`engine.variants`), then settled
        where a handler fact is unstated (`engine.cases`)."""
        fd = self._dated(False, index)
        deciding = self.deciding[index]
        if deciding:
            bound = self._dated(True, index)
            fd = variants.binding(fd, bound, [m for _, m in deciding], sorted({lid for lid, _ in deciding}))
        return self.main.settle.flow(index, fd)

    def _dated(self, binding: bool, index: int) -> FlowDecision:
        j = self.judge(binding, False)
        fd = _flow_decision(j, index, j.by_flow[index])
        if self.dated:
            jd = self.judge(binding, True)
            readings = [
                ReadingOut(id=r.id, list_id=lf.id, point=r.point, text=r.text)
                for lf in self.dated
                if lf in jd.zone_lists and (r := lf.reading_on("first_day")) is not None
            ]
            if readings:
                fd = variants.disputed(fd, _flow_decision(jd, index, jd.by_flow[index]), readings)
        return fd


def _header(js: Judges) -> DecisionHeader:
    """What a decision set says before its flows: engine, day, input hash, the lists consulted."""
    j = js.main
    used = js.used()
    return DecisionHeader(
        engine_version=ENGINE_VERSION,
        as_of=j.as_of,
        input_sha256=_hash_input(j.decl, j.as_of),
        lists=[
            ListRef(
                id=lf.id,
                family=lf.family,
                title=lf.title,
                sha256=j.law.lists.sha256[lf.id],
                coverage_complete=lf.coverage.complete,
            )
            for lf in (j.law.lists.get(i) for i in used)
        ],
        handler=j.decl.handler.name,
        governing_lists=used,
    )


def _totals(j: _Judge, pathways: Iterable[tuple[Pathway, Pathway | None]]) -> DecisionTotals:
    """What a decision set says after its flows (`pathways`: every flow's pathway and the least it
    needs, once every flow of `j` has been decided): the national handler-wide view beside the
    strictest pathway the flows need, and the number of flows per pathway."""
    summary: dict[str, int] = {p.value: 0 for p in Pathway}
    leasts: list[Pathway | None] = []
    for p, at_least in pathways:
        summary[p.value] += 1
        leasts.append(at_least)
    need, more = flows_need(leasts, summary[Pathway.undetermined.value] > 0)
    totals = _handler_totals(j).model_copy(update={"flows_need": need, "flows_may_need_more": more})
    if totals.pathway == Pathway.undetermined:
        totals = totals.model_copy(update={"pathway": _national_count_by_cases(j)})
    return DecisionTotals(handler_totals=totals, summary={k: v for k, v in summary.items() if v})


def _national_count_by_cases(j: _Judge) -> Pathway:
    """The national count's pathway when it hangs on an unstated handler fact: the same under every
    value of the fact, or undetermined. Each case decides every flow once more (its judge gathers
    the national view while deciding)."""
    for name, values in j.settle.unstated():
        found = set()
        for v in values:
            vj = j.judge_for(j.settle.variant(name, v))
            for i in range(len(vj.decl.flows)):
                _flow_decision(vj, i, vj.by_flow[i])
            found.add(_handler_totals(vj).pathway)
        if len(found) == 1 and Pathway.undetermined not in found:
            return found.pop()
    return Pathway.undetermined


_RANKED = {rank: p for p, rank in PATHWAY_RANK.items()}


def _strictest(pathways: Iterable[Pathway]) -> Pathway | None:
    return max(pathways, key=PATHWAY_RANK.__getitem__, default=None)


def _flow_decision(j: _Judge, index: int, facts: list[Fact]) -> FlowDecision:
    flow = j.decl.flows[index]
    items: list[ItemDecision] = []
    checks: list[Check] = []
    missing: list[Missing] = []
    warnings: list[str] = list(j.governing_warnings)
    conflicts: list[Conflict] = list(j.governing_conflicts)
    obligations: dict[str, ObligationOut] = {}
    headroom: list[Headroom] = []
    readings: dict[str, ReadingOut] = {}
    open_rank = -1  # the strictest pathway an undetermined data item could still turn out to need
    known: list[Pathway] = []
    for fact in facts:
        over, reg = j.judge(fact)
        checks.extend(c for c in over.checks + reg.checks if j.all_checks or c.outcome != "not_fired")
        warnings.extend(fact.warnings)
        warnings.extend(reg.notes)
        for lid, r in reg.readings:
            if r.id not in readings:
                readings[r.id] = ReadingOut(id=r.id, list_id=lid, point=r.point, text=r.text)
                warnings.append(f"reading {r.id} ({lid}): {r.text.en}")
        fired = over.fired + reg.fired
        k = _strictest(e.item.pathway for e in fired)
        unknown_rank = max(over.unknown_rank(), reg.unknown_rank())
        if k is None and unknown_rank < 0:  # no rule decides this data: never a silent answer
            unknown_rank = PATHWAY_RANK[Pathway.security_assessment]
            code = (
                "missing.no_rule_important"
                if fact.data_class == DataClass.important_data
                else "missing.no_rule"
            )
            why = message(code, regime=reg.regime, category=fact.data.category)
            missing.append(_missing(f"{fact.where}.important_data", why))
        fact_undetermined = k is None or unknown_rank > PATHWAY_RANK[k]
        if fact_undetermined:
            open_rank = max(open_rank, unknown_rank if k is None else max(unknown_rank, PATHWAY_RANK[k]))
            for ev in over.unknown + reg.unknown:
                if k is None or ev.rank > PATHWAY_RANK[k]:
                    missing.extend(_missing(f, w) for f, w in ev.match.missing)
                    if not ev.match.missing:
                        missing.append(
                            _missing(
                                f"{fact.where}.persons",
                                message("missing.persons", rule=ev.item.id, band=str(ev.item.persons)),
                            )
                        )
            missing.extend(
                m for r, m in over.pseudo_unknown + reg.pseudo_unknown if k is None or r > PATHWAY_RANK[k]
            )
        if k is not None:
            known.append(k)
        items.append(
            ItemDecision(
                data_item=fact.key,
                category=fact.data.category,
                sensitive=None if fact.sensitivity is None else fact.sensitivity == Sensitivity.sensitive,
                persons=fact.data.persons,
                pathway=Pathway.undetermined if fact_undetermined else k,  # type: ignore[arg-type]
                regime=reg.regime,
                deciding_rules=[e.item.id for e in fired],
            )
        )
        conflicts.extend(_conflicts(reg.fired))
        for ev in fired:
            if ev.item.reading:
                warnings.append(f"reading taken in {ev.item.id}: {ev.item.reading}")
            if ev.item.status in ("U", "C"):
                warnings.append(f"{ev.item.id} rests on a fact tagged [{ev.item.status}] in the sources")
        _obligations(j, fact, fired, reg, obligations)
        for p, lighter in reg.unfiled:  # a positive list that applies only once its filing is recorded
            needed = fact_undetermined or k is None or PATHWAY_RANK[k] > PATHWAY_RANK[lighter]
            if needed:
                ob = filing_obligation(p)
                obligations.setdefault(ob.id, ob)
            warnings.append(filing_warning(p, needed))
        if fact_undetermined or k != Pathway.exempt:  # a positive list's part not encoded may be lighter
            for p in j.zone_lists:
                warnings.extend(
                    lighter_parts(p, j.handler, fact.flow.scenario, fact.data_class, fact.flow_index)
                )
        fact_headroom = _headroom(j, fact, reg)
        headroom.extend(fact_headroom)
        if (
            j.regime[fact.key] is None
            and fact.data_class == DataClass.personal_information
            and j.exempted(fact) is not True
        ):
            j.national_view.append((fact, _strictest(e.item.pathway for e in reg.fired), fact_headroom))
    if j.national.counting and j.national.counting.window == "previous_and_current_year":
        warnings.append(
            f"{j.national.id} counts persons from 1 January of the previous year: declare figures on that basis"
        )
    # A flow needs the strictest pathway of its data; it is undetermined only when an open item could
    # still need more than what the determined items already require.
    strictest = _strictest(known)
    undetermined = open_rank >= 0 and (strictest is None or open_rank > PATHWAY_RANK[strictest])
    claim = j.claims[index]
    if claim is not None:
        warnings[:0] = claim.warnings(j.as_of.isoformat())
        if claim.state is None and not undetermined and _claim_open(j, facts, items, strictest):
            undetermined = True  # the ground may apply once the fact is stated: not settled either way
            missing.extend(claim.missing)
    pathway = Pathway.undetermined if undetermined else strictest
    return FlowDecision(
        flow_id=flow.id,
        scenario=flow.scenario,
        pathway=pathway,  # type: ignore[arg-type]
        lower_bound=_strictest(known) if undetermined else None,
        upper_bound=_RANKED.get(max(open_rank, PATHWAY_RANK[strictest] if strictest else -1))
        if undetermined
        else None,
        items=items,
        obligations=sorted(
            obligations.values(), key=lambda o: (-PATHWAY_RANK.get(o.pathway, -1) if o.pathway else 1, o.id)
        ),
        checks=checks,
        headroom=headroom,
        missing=_unique(missing),
        conflicts=conflicts,
        warnings=list(dict.fromkeys(warnings)),
        exemption=claim.out() if claim is not None else None,
        readings=list(readings.values()),
    )


def _claim_open(j: _Judge, facts: list[Fact], items: list[ItemDecision], without: Pathway | None) -> bool:
    """Whether an open exemption claim (a needed fact unstated) could change the flow's answer:
    the data it would exempt needs more than the rest of the flow. The answer without the ground
    is then the flow's lower bound (the ground cannot be relied on until the fact is stated)."""
    if without is None or without == Pathway.exempt:
        return False
    rest = _strictest(
        it.pathway
        for f, it in zip(facts, items, strict=True)
        if j.exempted(f) is not None and it.pathway != Pathway.undetermined
    )
    return rest is None or PATHWAY_RANK[rest] < PATHWAY_RANK[without]


def _counted_with(fact: Fact) -> str | None:
    """The key of the data item whose persons include this item's (`same_persons_as`), if any."""
    ref = fact.data.same_persons_as
    return None if ref is None else f"{fact.flow.id}/{ref}"


def _unique_pairs(pairs: Iterable[tuple[str, Missing]]) -> list[tuple[str, Missing]]:
    return list({(lid, m.field, m.why): (lid, m) for lid, m in pairs}.values())


def _unique(missing: list[Missing]) -> list[Missing]:
    seen: dict[tuple[str, str], Missing] = {}
    for m in missing:
        seen.setdefault((m.field, m.why), m)
    return list(seen.values())


def _conflicts(fired: list[Eval]) -> list[Conflict]:
    groups: dict[tuple[str, str], list[Eval]] = defaultdict(list)
    for ev in fired:
        if ev.item.group:
            groups[(ev.lf.id, ev.item.group)].append(ev)
    out = []
    for (lid, group), evs in groups.items():
        pathways = sorted({e.item.pathway for e in evs}, key=PATHWAY_RANK.__getitem__)
        if len(pathways) > 1:
            out.append(
                Conflict(
                    rules=[e.item.id for e in evs],
                    pathways=pathways,
                    resolution=f"bands of group {group} in {lid} overlap; the stricter pathway is applied",
                )
            )
    return out


def _procedure_for(lf: ListFile, pathway: Pathway) -> str | None:
    return next((p.id for p in lf.procedures if pathway in p.serves), None)


def _obligations(
    j: _Judge, fact: Fact, fired: list[Eval], reg: Outcome, out: dict[str, ObligationOut]
) -> None:
    """Add the duties `fired` and the regime bring to `out` (first one of each id kept): worked
    out once per set of rules fired, regime, and class and sensitivity of the data."""
    key = (
        tuple(id(ev.item) for ev in fired),
        reg.regime,
        tuple(id(ev.item) for ev in reg.fired),
        fact.data_class,
        fact.sensitivity,
    )
    found = j._obligations.get(key)
    if found is None:
        mine: dict[str, ObligationOut] = {}
        _obligations_of(j, fact, fired, reg, mine)
        found = j._obligations[key] = list(mine.items())
    for ob_id, ob in found:
        out.setdefault(ob_id, ob)


def _obligations_of(
    j: _Judge, fact: Fact, fired: list[Eval], reg: Outcome, out: dict[str, ObligationOut]
) -> None:
    top = _strictest(ev.item.pathway for ev in fired)
    for ev in fired:
        if ev.item.pathway == Pathway.exempt:
            continue
        if (
            top == Pathway.security_assessment
            and ev.item.pathway == Pathway.standard_contract_or_certification
        ):
            continue  # the assessment covers this data's export: one mechanism (PIPL Art. 38)
        out.setdefault(
            ev.item.id,
            ObligationOut(
                id=ev.item.id,
                pathway=ev.item.pathway,
                text=ev.item.title,
                list_id=ev.lf.id,
                rule_id=ev.item.id,
                procedure=_procedure_for(j.national, ev.item.pathway),
                citation=ev.item.citation,
            ),
        )
    lists = [j.national]
    relied = reg.regime != j.national.id
    if relied:
        lf = j.law.lists.get(reg.regime)
        lists.append(lf)
        final = _strictest(e.item.pathway for e in reg.fired)
        for proc in lf.procedures:
            if final is not None and final in proc.serves:
                out.setdefault(
                    f"{lf.id}:{proc.id}",
                    ObligationOut(
                        id=f"{lf.id}:{proc.id}",
                        pathway=None,
                        text=proc.name,
                        list_id=lf.id,
                        rule_id=proc.id,
                        procedure=proc.id,
                        citation=proc.citation,
                    ),
                )
    needed = _strictest(e.item.pathway for e in fired)
    for lf in lists:
        for ob in lf.obligations:
            if not ob.applies_on(j.as_of) or (ob.pathways is not None and needed not in ob.pathways):
                continue
            applies = (
                ob.when == "any"
                or (ob.when == "personal_information" and fact.data_class == DataClass.personal_information)
                or (
                    ob.when == "sensitive_personal_information"
                    and fact.data_class == DataClass.personal_information
                    and fact.sensitivity != Sensitivity.non_sensitive  # open: the duty may apply
                )
                or (ob.when == "list_relied_on" and relied)
            )
            if applies:
                out.setdefault(
                    ob.id,
                    ObligationOut(
                        id=ob.id, text=ob.text, list_id=lf.id, rule_id=ob.id, due=ob.due, citation=ob.citation
                    ),
                )


def _headroom(j: _Judge, fact: Fact, reg: Outcome) -> list[Headroom]:
    """For each band group the fact sits on: persons so far and the next threshold (worked out
    once per regime, rules fired and signature; the lines re-addressed to the fact)."""
    key = (reg.regime, tuple(id(ev.item) for ev in reg.fired), j.signature[fact.key])
    found = j._headrooms.get(key)
    if found is None:
        found = j._headrooms[key] = (_headroom_of(j, fact, reg), fact.key)
    lines, judged = found
    return lines if judged == fact.key else [h.model_copy(update={"data_item": fact.key}) for h in lines]


def _headroom_of(j: _Judge, fact: Fact, reg: Outcome) -> list[Headroom]:
    lf = j.law.lists.get(reg.regime) if reg.regime else None
    if lf is None or any(e.item.level == "exemption" for e in reg.fired):
        return []
    groups = j.band_groups(lf)
    out = []
    current = _strictest(e.item.pathway for e in reg.fired) or Pathway.exempt
    for group, members in groups.items():
        on_axis = [it for it in members if j.state(lf, it, fact) is True and j.counts_towards(lf, it, fact)]
        if not on_axis:
            continue
        lo, hi = j.count(lf, on_axis[0])
        if hi != lo:
            continue
        above = sorted(
            (it for it in members if it.persons and it.persons.min > lo), key=lambda it: it.persons.min
        )  # type: ignore[union-attr]
        nxt = next((it for it in above if PATHWAY_RANK[it.pathway] > PATHWAY_RANK[current]), None)
        st = j.voc.subject_types.get(fact.data.subject) if fact.data.subject else None
        subject = {"zh": st.name.zh, "en": st.name.en} if st is not None else "persons"
        axis = _axis(on_axis[0])
        if nxt is None:
            threshold = remaining = None
            said = message("headroom.top", axis=axis, persons=lo, subject=subject, group=group)
        else:
            threshold = nxt.persons.min  # type: ignore[union-attr]
            remaining = threshold - lo
            said = message(
                "headroom.left",
                axis=axis,
                persons=lo,
                threshold=threshold,
                subject=subject,
                remaining=remaining,
                pathway=nxt.pathway.value,
            )
        out.append(
            Headroom(
                list_id=lf.id,
                group=group,
                data_item=fact.key,
                persons=lo,
                current=current,
                next_threshold=threshold,
                next_pathway=nxt.pathway if nxt else None,
                remaining=remaining,
                label=said.text.en,  # type: ignore[union-attr]
                axis=axis,
                message=said,
            )
        )
    return out


def _axis(item: Item) -> str:
    """Which threshold a band measures: the sensitivity whose persons it counts (both pooled:
    personal_information), else its data class."""
    if item.pooling is not None and len(set(item.pooling.sensitivity)) > 1:
        return DataClass.personal_information.value
    if item.sensitivity is not None:
        return item.sensitivity.value
    return (item.data_class or DataClass.other).value


def _handler_totals(j: _Judge) -> HandlerTotals:
    """The national ladder's handler-wide view: persons across flows it counts, by sensitivity."""

    def total(sens: Sensitivity) -> int | None:
        # data of open sensitivity (None) is counted on both axes
        on_axis = {f.key for f, _, _ in j.national_view if f.sensitivity in (sens, None)}
        vals = [
            f.data.persons
            for f, _, _ in j.national_view
            if f.sensitivity in (sens, None) and _counted_with(f) not in on_axis
        ]
        return None if any(v is None for v in vals) else sum(vals)  # type: ignore[arg-type]

    excluded = sorted({j.decl.flows[f.flow_index].id for f in j.facts if j.exempted(f) is True})
    heads: dict[str, Headroom] = {}
    for _, _, fact_headroom in j.national_view:
        for h in fact_headroom:
            heads.setdefault(h.group, h.model_copy(update={"data_item": None}))
    return HandlerTotals(
        persons_non_sensitive=total(Sensitivity.non_sensitive),
        persons_sensitive=total(Sensitivity.sensitive),
        excluded_exempt_flows=excluded,
        pathway=Pathway.undetermined
        if any(k is None for _, k, _ in j.national_view)
        else _strictest(k for _, k, _ in j.national_view if k) or Pathway.exempt,
        headroom=list(heads.values()),
    )
