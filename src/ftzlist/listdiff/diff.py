"""Diff two editions of a list: items added, removed, changed (field, old, new), renamed or split,
and bands loosened or tightened.

Items are matched first by stable id, then by content: an item whose id is new but whose rule is
the same as a removed one is a rename; two or more new items that together cover a removed one
(its scenarios, subjects or categories shared out, or its band cut in pieces) are a split. Legal
readers care about direction, so every band change says whether it loosens or tightens the list.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ftzlist.schema.common import PATHWAY_RANK, Pathway
from ftzlist.schema.lists import Band, Item, ListFile

# Fields that describe an item without changing what it catches or requires.
WORDING = ("id", "title", "citation", "note", "reading", "status")
# Provenance (where an imported item was read) is not content: a list exported and imported again,
# or the same table imported twice, differs in nothing else.
PROVENANCE = ("source",)
# Fields an item may be split along.
SPLIT_FIELDS = ("scenarios", "subjects", "categories", "sectors")


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldChange(Out):
    field: str
    old: Any = None
    new: Any = None


class ItemChange(Out):
    id: str
    new_id: str | None = None
    title: str
    changes: list[FieldChange] = Field(default_factory=list)


class Rename(Out):
    old_id: str
    new_id: str
    how: Literal["id", "title"] = Field(
        description="id: same rule under a new id; title: same id, new title."
    )
    old_title: str
    new_title: str
    changes: list[FieldChange] = Field(default_factory=list)


class Split(Out):
    old_id: str
    new_ids: list[str]
    along: str = Field(description="The field shared out among the new items, or `persons`.")


class BandChange(Out):
    item: str
    group: str | None
    pathway: Pathway
    old: str
    new: str
    direction: Literal["loosened", "tightened", "reshaped"]
    why: str


class SectorChange(Out):
    sector: str
    change: Literal["added", "removed", "changed"]
    scenarios_added: list[str] = Field(default_factory=list)
    scenarios_removed: list[str] = Field(default_factory=list)
    changes: list[FieldChange] = Field(default_factory=list)


class ListDiff(Out):
    old_id: str
    new_id: str
    family_matches: bool
    metadata: list[FieldChange]
    sectors: list[SectorChange]
    scenarios_added: list[str] = Field(
        description="Scenarios named (by a sector or an item) only in the new edition."
    )
    scenarios_removed: list[str]
    added: list[ItemChange]
    removed: list[ItemChange]
    changed: list[ItemChange]
    renamed: list[Rename]
    split: list[Split]
    bands: list[BandChange]
    pathway_changes: list[ItemChange]
    coverage: list[FieldChange]
    procedures: list[FieldChange]

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.metadata,
                self.sectors,
                self.scenarios_added,
                self.scenarios_removed,
                self.added,
                self.removed,
                self.changed,
                self.renamed,
                self.split,
                self.coverage,
                self.procedures,
            )
        )


def _dump(x: Any) -> Any:
    return x.model_dump(mode="json", exclude_none=True) if isinstance(x, BaseModel) else x


def _field_changes(
    old: BaseModel | None, new: BaseModel | None, skip: tuple[str, ...] = ()
) -> list[FieldChange]:
    a = _dump(old) or {}
    b = _dump(new) or {}
    out = []
    for k in list(dict.fromkeys([*a, *b])):
        if k in skip:
            continue
        if a.get(k) != b.get(k):
            out.append(FieldChange(field=k, old=a.get(k), new=b.get(k)))
    return out


def _content(it: Item, drop: tuple[str, ...] = ()) -> dict:
    d = it.model_dump(mode="json")
    for k in (*WORDING, *PROVENANCE, *drop):
        d.pop(k, None)
    return d


def _band_direction(it_old: Item, it_new: Item) -> BandChange | None:
    a, b = it_old.persons, it_new.persons
    if a == b or a is None or b is None:
        if a != b:
            return BandChange(
                item=it_new.id,
                group=it_new.group,
                pathway=it_new.pathway,
                old=str(a) if a else "any number",
                new=str(b) if b else "any number",
                direction="tightened" if b is None else "loosened",
                why="band removed: the rule now applies at any volume"
                if b is None
                else "band added: the rule now needs a volume",
            )
        return None
    return _compare_bands(it_new, a, b)


def _compare_bands(it: Item, a: Band, b: Band) -> BandChange:
    """A formality that starts later is looser; an exemption band that reaches further is looser."""
    inf = float("inf")
    a_hi, b_hi = (a.max if a.max is not None else inf), (b.max if b.max is not None else inf)
    if it.pathway == Pathway.exempt:
        looser = b.min <= a.min and b_hi >= a_hi
        tighter = b.min >= a.min and b_hi <= a_hi
        why = "the exempt range " + ("grew" if looser else "shrank" if tighter else "moved")
    else:
        looser = b.min >= a.min and b_hi >= a_hi
        tighter = b.min <= a.min and b_hi <= a_hi
        why = (
            f"the {it.pathway.value} threshold moved from {a.min:,} to {b.min:,} persons"
            if a.min != b.min
            else f"the band's upper end moved from {a.max} to {b.max}"
        )
    direction = (
        "loosened" if looser and not tighter else "tightened" if tighter and not looser else "reshaped"
    )
    return BandChange(
        item=it.id, group=it.group, pathway=it.pathway, old=str(a), new=str(b), direction=direction, why=why
    )


def _item_summary(
    it: Item, new_id: str | None = None, changes: list[FieldChange] | None = None
) -> ItemChange:
    return ItemChange(id=it.id, new_id=new_id, title=it.title.en, changes=changes or [])


def _covers(old: Item, parts: list[Item]) -> str | None:
    """The field along which `parts` split `old`, if they do."""
    for f in SPLIT_FIELDS:
        base = _content(old, (f,))
        if not all(_content(p, (f,)) == base for p in parts):
            continue
        old_vals = getattr(old, f)
        new_vals = [getattr(p, f) for p in parts]
        if old_vals is None or any(v is None for v in new_vals):
            continue
        union = set().union(*map(set, new_vals))
        if set(old_vals) <= union and all(set(v) < set(old_vals) or set(v) - set(old_vals) for v in new_vals):
            return f
    base = _content(old, ("persons", "group", "pathway"))
    if all(_content(p, ("persons", "group", "pathway")) == base for p in parts) and old.persons:
        return "persons"
    return None


def diff_lists(old: ListFile, new: ListFile) -> ListDiff:
    old_items = {it.id: it for it in old.items}
    new_items = {it.id: it for it in new.items}
    changed: list[ItemChange] = []
    renamed: list[Rename] = []
    bands: list[BandChange] = []
    pathway_changes: list[ItemChange] = []

    def compare(a: Item, b: Item) -> list[FieldChange]:
        ch = _field_changes(a, b, skip=("id", *PROVENANCE))
        bc = _band_direction(a, b)
        if bc:
            bands.append(bc)
        if a.pathway != b.pathway:
            stricter = PATHWAY_RANK[b.pathway] > PATHWAY_RANK[a.pathway]
            pathway_changes.append(
                _item_summary(
                    b,
                    changes=[
                        FieldChange(
                            field="pathway",
                            old=a.pathway.value,
                            new=f"{b.pathway.value} ({'stricter' if stricter else 'lighter'})",
                        )
                    ],
                )
            )
        return ch

    for iid in old_items.keys() & new_items.keys():
        a, b = old_items[iid], new_items[iid]
        ch = compare(a, b)
        if not ch:
            continue
        if a.title != b.title and not [c for c in ch if c.field not in WORDING]:
            renamed.append(
                Rename(
                    old_id=iid,
                    new_id=iid,
                    how="title",
                    old_title=a.title.en,
                    new_title=b.title.en,
                    changes=ch,
                )
            )
        else:
            changed.append(_item_summary(b, changes=ch))
    gone = [old_items[i] for i in old_items if i not in new_items]
    fresh = [new_items[i] for i in new_items if i not in old_items]

    # renamed by content: same rule, new id
    for a in list(gone):
        same = [b for b in fresh if _content(b) == _content(a)]
        if len(same) == 1:
            b = same[0]
            renamed.append(
                Rename(
                    old_id=a.id,
                    new_id=b.id,
                    how="id",
                    old_title=a.title.en,
                    new_title=b.title.en,
                    changes=_field_changes(a, b, skip=("id",)),
                )
            )
            gone.remove(a)
            fresh.remove(b)
    # renamed with changes: same group and axis, one candidate -> a rename whose fields changed
    for a in list(gone):
        cands = [
            b
            for b in fresh
            if a.group is not None
            and b.group == a.group
            and _content(b, ("persons", "pathway")) == _content(a, ("persons", "pathway"))
        ]
        if len(cands) == 1:
            b = cands[0]
            ch = compare(a, b)
            renamed.append(
                Rename(
                    old_id=a.id, new_id=b.id, how="id", old_title=a.title.en, new_title=b.title.en, changes=ch
                )
            )
            gone.remove(a)
            fresh.remove(b)
    # split: several new items that together cover a removed one
    split: list[Split] = []
    for a in list(gone):
        for f in (*SPLIT_FIELDS, "persons"):
            if f == "persons":
                parts = [
                    b
                    for b in fresh
                    if _content(b, ("persons", "group", "pathway"))
                    == _content(a, ("persons", "group", "pathway"))
                ]
            else:
                parts = [b for b in fresh if _content(b, (f,)) == _content(a, (f,))]
            if len(parts) >= 2 and _covers(a, parts):
                split.append(Split(old_id=a.id, new_ids=[p.id for p in parts], along=_covers(a, parts) or f))
                gone.remove(a)
                for p in parts:
                    fresh.remove(p)
                break

    sectors = _sector_changes(old, new)
    coverage = [
        FieldChange(field=f"missing.{m.id}", old=m.description, new=None)
        for m in old.coverage.missing
        if m.id not in {n.id for n in new.coverage.missing}
    ] + [
        FieldChange(field=f"missing.{m.id}", old=None, new=m.description)
        for m in new.coverage.missing
        if m.id not in {o.id for o in old.coverage.missing}
    ]
    if old.coverage.complete != new.coverage.complete:
        coverage.append(FieldChange(field="complete", old=old.coverage.complete, new=new.coverage.complete))
    old_proc = {p.id: p for p in old.procedures}
    new_proc = {p.id: p for p in new.procedures}
    procedures: list[FieldChange] = []
    for pid in sorted(old_proc.keys() | new_proc.keys()):
        for c in _field_changes(old_proc.get(pid), new_proc.get(pid)):
            procedures.append(FieldChange(field=f"{pid}.{c.field}", old=c.old, new=c.new))
    if old.off_list and new.off_list:
        bc = _band_direction(old.off_list, new.off_list)
        if bc:
            bands.append(bc)
    metadata = _field_changes(
        old,
        new,
        skip=(
            "id",
            "items",
            "sectors",
            "coverage",
            "procedures",
            "catalogue",
            "provisions",
            "exemptions",
            "sources",
        ),
    )
    read = [[_dump(s) for s in lf.sources if s.sha256 is None] for lf in (old, new)]
    if read[0] != read[1]:  # the tables an import was read from are provenance, not sources of the law
        metadata.append(FieldChange(field="sources", old=read[0], new=read[1]))
    return ListDiff(
        old_id=old.id,
        new_id=new.id,
        family_matches=old.family == new.family,
        metadata=metadata,
        sectors=sectors,
        scenarios_added=sorted(_scenarios(new) - _scenarios(old)),
        scenarios_removed=sorted(_scenarios(old) - _scenarios(new)),
        added=[_item_summary(b) for b in fresh],
        removed=[_item_summary(a) for a in gone],
        changed=sorted(changed, key=lambda c: c.id),
        renamed=renamed,
        split=split,
        bands=sorted(bands, key=lambda b: b.item),
        pathway_changes=pathway_changes,
        coverage=coverage,
        procedures=procedures,
    )


def _sector_changes(old: ListFile, new: ListFile) -> list[SectorChange]:
    a = {s.sector: s for s in old.sectors}
    b = {s.sector: s for s in new.sectors}
    out = []
    for sid in sorted(a.keys() | b.keys()):
        if sid not in b:
            out.append(
                SectorChange(sector=sid, change="removed", scenarios_removed=list(a[sid].scenarios or []))
            )
        elif sid not in a:
            out.append(SectorChange(sector=sid, change="added", scenarios_added=list(b[sid].scenarios or [])))
        else:
            sa, sb = set(a[sid].scenarios or ()), set(b[sid].scenarios or ())
            ch = _field_changes(a[sid], b[sid], skip=("scenarios", "citation"))
            if sa != sb or ch:
                out.append(
                    SectorChange(
                        sector=sid,
                        change="changed",
                        scenarios_added=sorted(sb - sa),
                        scenarios_removed=sorted(sa - sb),
                        changes=ch,
                    )
                )
    return out


def _scenarios(lf: ListFile) -> set[str]:
    named = {sc for s in lf.sectors for sc in s.scenarios or ()}
    return named | {sc for it in lf.items for sc in it.scenarios or ()}
