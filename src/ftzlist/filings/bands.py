"""The person bands of a list that a filed flow sits in, and the band lines a change of its figures
crosses (Fujian Art. 13: a change that moves the flow to another band of the list, or to another
pathway, is material whatever the ratio).

Which items of a list bear on a filing is read with the list's own conditions
(`ftzlist.law.compile_item`) on what the filing says about each data item: its category, whether
it is sensitive, the flow's scenario and that scenario's sector. Facts a filing does not carry (the
persons' subject type, the handler's CIIO status, markers) are unknown, and an item that may apply
on unknown facts is kept: more lines are checked, never fewer (the stricter reading). Persons are
those the filing gives for the data items an item may catch; where the filing gives only one
de-duplicated total and every data item may be caught, that total.
"""

from __future__ import annotations

from dataclasses import dataclass

from ftzlist.filings.content import FiledContent, FiledItem
from ftzlist.law import Facts, Vocabulary, compile_item
from ftzlist.schema.common import DataClass, Sensitivity
from ftzlist.schema.lists import Band, Item, ListFile


@dataclass(frozen=True)
class BandCrossing:
    """One band line between two figures of a flow: `line` persons is where `item`'s band starts
    (`edge` "from") or ends (`edge` "below")."""

    list_id: str
    item: str
    pathway: str
    line: int
    edge: str  # "from" | "below"
    before: int
    after: int
    citation: str
    band: Band

    @property
    def upward(self) -> bool:
        return self.after > self.before

    def side(self) -> str:
        """Which side of the line the item holds, e.g. `fj25.x.t1 (security_assessment) from it`."""
        return f"{self.item} ({self.pathway}) {'from it' if self.edge == 'from' else 'below it'}"


def _facts(voc: Vocabulary, content: FiledContent, it: FiledItem) -> Facts:
    scenario = voc.scenarios.get(content.scenario) if content.scenario else None
    known = any(c in voc.categories for c in voc.lineage(it.category))
    # a category the vocabulary does not know is read as personal information: its bands are checked
    kind = voc.kind(it.category) if known else DataClass.personal_information
    sens = (
        None if it.sensitive is None else Sensitivity.sensitive if it.sensitive else Sensitivity.non_sensitive
    )
    return Facts(
        data_class=kind,
        category=it.category,
        sensitivity=sens,
        scenario=content.scenario,
        sector=scenario.sector if scenario is not None else None,
    )


def persons_for(item: Item, voc: Vocabulary, content: FiledContent) -> int | None:
    """Persons of `content` that `item`'s band is tested against, or None when the item cannot
    catch any of its data items (or the filing gives no persons for those it may catch)."""
    compiled = compile_item(item, voc)
    caught = [it for it in content.items if compiled.state(_facts(voc, content, it)) is not False]
    if not caught:
        return None
    total = content.total_persons()
    if len(caught) == len(content.items) and total is not None:
        return total
    figures = [it.persons for it in caught]
    if any(f is None for f in figures):
        return total  # persons per item not given: the flow's total, an upper bound
    return sum(figures)  # type: ignore[arg-type]


def band_crossings(
    lf: ListFile, voc: Vocabulary, before: FiledContent, after: FiledContent
) -> list[BandCrossing]:
    """Every band line of `lf` between the persons `before` and `after` give for its items, either
    way (a fall below a band changes the pathway too)."""
    out: list[BandCrossing] = []
    for item in lf.items:
        if item.persons is None or item.level == "exemption":
            continue
        a, b = persons_for(item, voc, before), persons_for(item, voc, after)
        if a is None or b is None or a == b:
            continue
        lo, hi = min(a, b), max(a, b)
        edges = [(item.persons.min, "from")] if item.persons.min > 0 else []
        if item.persons.max is not None:
            edges.append((item.persons.max, "below"))
        for line, edge in edges:
            if lo < line <= hi:
                out.append(
                    BandCrossing(
                        lf.id,
                        item.id,
                        str(item.pathway),
                        line,
                        edge,
                        a,
                        b,
                        item.citation.text("en"),
                        item.persons,
                    )
                )
    return sorted(out, key=lambda c: (c.line, c.item))


def pathway_shift(crossings: list[BandCrossing]) -> tuple[set[str], set[str]]:
    """The pathways of the crossed items whose band holds the figure before, and after."""
    before = {c.pathway for c in crossings if c.band.contains(c.before)}
    after = {c.pathway for c in crossings if c.band.contains(c.after)}
    return before, after
