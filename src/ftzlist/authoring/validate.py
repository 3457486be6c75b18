"""`lists validate`: everything wrong with one list file, each problem naming file, line and item.

The schema and the vocabulary cross-references come from `ftzlist.loader` (one loader, not two);
this module adds the checks a schema cannot express: band groups that overlap or leave gaps,
duplicate ids found on the raw document (so the line is known), placeholder citations, [C] facts
without both versions, dates out of order and editions of one family in force at once.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ftzlist.errors import InputError
from ftzlist.identifiers.masking import message
from ftzlist.loader import Law, Vocabulary, check_list, registry_for
from ftzlist.schema.instruments import article_zh, citation_context, walk_citations
from ftzlist.schema.lists import Item, ListFile
from ftzlist.yamlio import line_of, parse, read_text, validate

PLACEHOLDERS = ("todo", "tbd", "xxx", "fixme", "?", "…", "...")


@dataclass(frozen=True)
class Problem:
    severity: Literal["error", "warning"]
    file: str
    line: int | None
    item: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        item = f" {self.item}:" if self.item else ""
        return message(  # an item id or value quoted from the file is masked like any message
            f"{where}:{item} {self.message}"
            if self.severity == "error"
            else f"{where}:{item} warning: {self.message}"
        )


class _Doc:
    """The raw document with its text, to put lines on problems."""

    def __init__(self, path: Path, text: str, data: Any):
        self.path, self.text, self.data = str(path), text, data
        self.problems: list[Problem] = []

    def line(self, *loc: Any) -> int | None:
        return line_of(self.text, tuple(loc))

    def add(self, message: str, *, item: str | None = None, loc: tuple = (), severity: str = "error") -> None:
        self.problems.append(Problem(severity, self.path, self.line(*loc) if loc else None, item, message))  # type: ignore[arg-type]


def validate_list(path: Path, law: Law) -> list[Problem]:
    """All problems of the list file at `path`, judged against `law` (vocabulary, other editions).

    Errors make the file unusable or wrong; warnings are things a reviewer should look at.
    """
    path = Path(path)
    try:
        text = read_text(path)
        data = parse(text, str(path))
    except InputError as exc:
        return [Problem("error", str(path), exc.line, None, exc.message)]
    doc = _Doc(path, text, data)
    if not isinstance(data, dict):
        doc.add("the document must be a mapping with id, family, kind, items, ...")
        return doc.problems
    data = _raw_checks(doc, data)
    _written_labels(doc, data, ())
    try:
        registry = registry_for(path, law.instruments)
        lf = validate(ListFile, data, text, str(path), context=citation_context(data, registry))
    except InputError as exc:
        for p in exc.problems:
            msg = f"{p.field}: {p.message}" if p.field else p.message
            doc.problems.append(Problem("error", str(path), p.line, _item_of(p.loc, data), msg))
        if not exc.problems:
            doc.problems.append(Problem("error", str(path), exc.line, None, exc.message))
        return doc.problems
    _cross_references(doc, lf, law.vocabulary)
    _bands(doc, lf)
    _citations(doc, lf)
    _dates(doc, lf, law)
    _structure(doc, lf)
    return doc.problems


def _item_of(loc: tuple, data: dict) -> str | None:
    """The id of the item a field path points into (`items.3.citation` -> that item's id)."""
    if len(loc) < 2 or loc[0] != "items" or not isinstance(loc[1], int):
        return None
    items = data.get("items") or []
    i = loc[1]
    if i < len(items) and isinstance(items[i], dict):
        return str(items[i].get("id", f"items[{i}]"))
    return None


def _raw_checks(doc: _Doc, data: dict) -> dict:
    """Duplicate ids and missing citations, found on the raw document so each gets its line.

    Returns the data with duplicate ids renamed, so the remaining checks can still run.
    """
    items = data.get("items")
    if not isinstance(items, list):
        return data
    seen: dict[str, int] = {}
    exemptions = data.get("exemptions") if isinstance(data.get("exemptions"), list) else []
    for i, ex in enumerate(exemptions):
        if isinstance(ex, dict) and isinstance(ex.get("id"), str):
            seen.setdefault(ex["id"], doc.line("exemptions", i) or 0)
    _placeholders(doc, data, ())
    fixed = copy.deepcopy(data)
    for i, it in enumerate(items):
        if not isinstance(it, dict):
            continue
        iid = it.get("id")
        if isinstance(iid, str):
            if iid in seen:
                first = seen[iid]
                doc.add(
                    f"duplicate id '{iid}' (first defined at line {first}); every item needs its own stable id",
                    item=iid,
                    loc=("items", i, "id"),
                )
                fixed["items"][i]["id"] = f"{iid}--duplicate-{i}"
            else:
                seen[iid] = doc.line("items", i, "id") or 0
        if "citation" not in it or not it.get("citation"):
            doc.add(
                "no citation: every item must cite the article or part it encodes",
                item=str(iid) if iid else f"items[{i}]",
                loc=("items", i),
            )
    return fixed


def _placeholders(doc: _Doc, node: Any, path: tuple) -> None:
    """Every TODO left from `lists new` (citations are reported by the citation check)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "citation":
                _placeholders(doc, v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _placeholders(doc, v, (*path, i))
    elif isinstance(node, str) and node.strip().upper().startswith("TODO"):
        item = None
        if len(path) > 1 and path[0] == "items" and isinstance(path[1], int):
            raw = doc.data["items"][path[1]]
            item = str(raw.get("id")) if isinstance(raw, dict) else None
        field = ".".join(str(p) for p in path)
        doc.add(f"{field}: placeholder '{node.strip()[:40]}' left from `lists new`", item=item, loc=path)


def _cross_references(doc: _Doc, lf: ListFile, voc: Vocabulary) -> None:
    for p in check_list(lf, voc, doc.path):
        msg = p[len(doc.path) + 2 :] if p.startswith(doc.path + ": ") else p
        head, _, tail = msg.partition(": ")
        item = head[5:] if head.startswith("item ") else None
        loc = _item_loc(lf, item) if item else ()
        doc.add(tail if item else msg, item=item, loc=loc)


def _item_loc(lf: ListFile, item_id: str) -> tuple:
    for i, it in enumerate(lf.items):
        if it.id == item_id:
            return ("items", i)
    if lf.off_list is not None and lf.off_list.id == item_id:
        return ("off_list",)
    return ()


# --- bands ----------------------------------------------------------------------------------------


def _disjoint(a: list[str] | None, b: list[str] | None) -> bool:
    return a is not None and b is not None and not set(a) & set(b)


def _can_co_occur(a: Item, b: Item) -> bool:
    """False when no one data item can meet both items' conditions (then overlap is harmless)."""
    if a.data_class and b.data_class and a.data_class != b.data_class:
        return False
    if a.sensitivity and b.sensitivity and a.sensitivity != b.sensitivity:
        return False
    if a.ciio is not None and b.ciio is not None and a.ciio != b.ciio:
        return False
    if a.catch_all != b.catch_all:
        return False
    return not any(_disjoint(getattr(a, f), getattr(b, f)) for f in ("sectors", "scenarios", "subjects"))


def _bands(doc: _Doc, lf: ListFile) -> None:
    groups: dict[str, list[tuple[int, Item]]] = defaultdict(list)
    for i, it in enumerate(lf.items):
        if it.group is not None:
            groups[it.group].append((i, it))
        elif it.persons is not None and it.level != "override":
            doc.add(
                "has a persons band but no `group`: headroom and band checks need the axis it sits on",
                item=it.id,
                loc=("items", i, "persons"),
                severity="warning",
            )
    for group, members in groups.items():
        for i, it in members:
            if it.persons is None:
                doc.add(f"is in band group '{group}' but has no `persons` band", item=it.id, loc=("items", i))
        banded = [(i, it) for i, it in members if it.persons is not None]
        for x in range(len(banded)):
            for y in range(x + 1, len(banded)):
                (i, a), (j, b) = banded[x], banded[y]
                if not _can_co_occur(a, b):
                    continue
                lo = max(a.persons.min, b.persons.min)  # type: ignore[union-attr]
                hi_a = a.persons.max if a.persons.max is not None else float("inf")  # type: ignore[union-attr]
                hi_b = b.persons.max if b.persons.max is not None else float("inf")  # type: ignore[union-attr]
                if lo < min(hi_a, hi_b):
                    doc.add(
                        f"band {a.persons} overlaps band {b.persons} of '{b.id}' in group '{group}' "
                        f"(line {doc.line('items', j, 'persons')}): a count of {lo:,} would fire both",
                        item=a.id,
                        loc=("items", i, "persons"),
                    )
        for i, a in banded:
            if a.persons.max is None:  # type: ignore[union-attr]
                continue
            others = [(j, b) for j, b in banded if b is not a and _can_co_occur(a, b)]
            if any(b.persons.contains(a.persons.max) for _, b in others):  # type: ignore[union-attr]
                continue  # the next band picks up where this one ends (overlaps are reported above)
            above = [(j, b) for j, b in others if b.persons.min > a.persons.max]  # type: ignore[union-attr,operator]
            if above:
                j, b = min(above, key=lambda p: p[1].persons.min)  # type: ignore[union-attr]
                doc.add(
                    f"gap in group '{group}': persons from {a.persons.max:,} to {b.persons.min - 1:,} "  # type: ignore[union-attr]
                    f"fall between '{a.id}' ({a.persons}) and this band ({b.persons})",
                    item=b.id,
                    loc=("items", j, "persons"),
                )
            elif a.pathway.value != "exempt":
                doc.add(
                    f"the highest band of group '{group}' ends at {a.persons.max:,}: "  # type: ignore[union-attr]
                    f"more persons would fall off the list (a missing higher tier?)",
                    item=a.id,
                    loc=("items", i, "persons"),
                )


# --- citations, status tags ----------------------------------------------------------------------


def _placeholder(s: str | None) -> bool:
    return (s is not None and s.strip().lower() in PLACEHOLDERS) or (
        s is not None and s.strip().lower().startswith("todo")
    )


def _citations(doc: _Doc, lf: ListFile) -> None:
    if not lf.sources:
        doc.add(
            "no sources: name at least the official text or the source you transcribed from", loc=("sources",)
        )
    entries: list[tuple[str, tuple, Any]] = [(it.id, ("items", i), it) for i, it in enumerate(lf.items)]
    if lf.off_list is not None:
        entries.append((lf.off_list.id, ("off_list",), lf.off_list))
    for iid, loc, it in entries:
        c = it.citation
        if _placeholder(c.instrument) or _placeholder(c.ref):
            doc.add(
                f"citation '{c}' is a placeholder: cite the instrument and article",
                item=iid,
                loc=(*loc, "citation"),
            )
        if it.status == "C" and not it.note:
            doc.add(
                "tagged [C] (sources conflict) but has no `note` giving both versions",
                item=iid,
                loc=(*loc, "status"),
            )
    _citation_forms(doc, lf)
    for p_i, proc in enumerate(lf.procedures):
        for s_i, step in enumerate(proc.steps):
            if _placeholder(step.citation.ref) or _placeholder(step.citation.instrument):
                doc.add(
                    f"step '{step.id}' has a placeholder citation",
                    item=proc.id,
                    loc=("procedures", p_i, "steps", s_i, "citation"),
                )


def _written_labels(doc: _Doc, node: Any, loc: tuple) -> None:
    """A citation `label` in the file (e.g. written back from a loaded list) is ignored: say so."""
    if isinstance(node, dict):
        if "instrument" in node and "label" in node:
            doc.add(
                "`label` is made from the instruments registry when the list is loaded; the one "
                "written here is ignored: remove it",
                loc=(*loc, "label"),
                severity="warning",
            )
        for k, v in node.items():
            _written_labels(doc, v, (*loc, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _written_labels(doc, v, (*loc, i))


def _citation_forms(doc: _Doc, lf: ListFile) -> None:
    """Warnings: a ref with no Chinese form; a rule citing an article the list keeps as a provision
    without linking to it (the reading document is built from those links)."""
    by_ref = {(p.instrument, p.ref): p.id for p in lf.provisions}
    for loc, c in walk_citations(lf):
        if _placeholder(c.instrument) or _placeholder(c.ref):
            continue
        item = _item_at(lf, loc)
        for ref, ref_zh in [(c.ref, c.ref_zh), *((a.ref, a.ref_zh) for a in c.also)]:
            if ref_zh is None and article_zh(ref) is None:
                doc.add(
                    f"citation ref '{ref}' is not an article reference and has no `ref_zh`: "
                    "the Chinese output would show it in English",
                    item=item,
                    loc=loc,
                    severity="warning",
                )
        head = c.ref.split(",")[0].split("(")[0].strip()
        linked = by_ref.get((c.instrument, head))
        if c.provision is None and linked is not None and loc[:1] != ("provisions",):
            doc.add(
                f"cites {c.ref} of {c.instrument}, kept as provision '{linked}': add `provision: {linked}`",
                item=item,
                loc=loc,
                severity="warning",
            )


def _item_at(lf: ListFile, loc: tuple) -> str | None:
    if len(loc) > 1 and loc[0] == "items" and isinstance(loc[1], int):
        return lf.items[loc[1]].id
    if loc[:1] == ("off_list",) and lf.off_list is not None:
        return lf.off_list.id
    return None


# --- dates -----------------------------------------------------------------------------------------


def _dates(doc: _Doc, lf: ListFile, law: Law) -> None:
    if lf.issued and lf.issued > lf.effective_from:
        doc.add(
            f"issued {lf.issued} is after effective_from {lf.effective_from}: a list is not in force before it is issued",
            loc=("issued",),
            severity="warning",
        )
    if lf.trial_until and lf.trial_until < lf.effective_from:
        doc.add(
            f"trial_until {lf.trial_until} is before effective_from {lf.effective_from}", loc=("trial_until",)
        )
    if lf.effective_to and lf.trial_until and lf.effective_to > lf.trial_until:
        doc.add(
            f"effective_to {lf.effective_to} is after the trial ends ({lf.trial_until})",
            loc=("effective_to",),
            severity="warning",
        )
    for other in law.lists:
        if other.family != lf.family or other.id == lf.id:
            continue
        start = max(other.effective_from, lf.effective_from)
        ends = [d for d in (other.effective_to, lf.effective_to) if d is not None]
        end = min(ends) if ends else None
        if end is None or start <= end:
            doc.add(
                f"in force at the same time as edition '{other.id}' ({other.effective_from} → "
                f"{other.effective_to or '…'}) from {start}: set effective_to on the earlier edition "
                f"(the engine applies both and keeps the stricter answer)",
                loc=("effective_from",),
                severity="warning",
            )
    if lf.kind != "national" and lf.scope.zone is None:
        doc.add("a zone list needs scope.zone", loc=("scope",))


# --- structure ---------------------------------------------------------------------------------------


def _structure(doc: _Doc, lf: ListFile) -> None:
    for p_i, proc in enumerate(lf.procedures):
        ids = {s.id for s in proc.steps}
        for s_i, step in enumerate(proc.steps):
            if step.after is not None and step.after not in ids and step.after != "export":
                doc.add(
                    f"step '{step.id}' counts from '{step.after}', which is not a step of the procedure",
                    item=proc.id,
                    loc=("procedures", p_i, "steps", s_i, "after"),
                )
        if proc.validity and proc.validity.from_step not in ids:
            doc.add(
                f"validity counts from '{proc.validity.from_step}', which is not a step",
                item=proc.id,
                loc=("procedures", p_i, "validity"),
            )
    if not lf.coverage.complete and not lf.coverage.missing:
        doc.add(
            "coverage.complete is false but no part is declared missing: the engine will decide as if complete",
            loc=("coverage",),
            severity="warning",
        )
    if lf.kind == "negative_list" and (lf.sectors or lf.scope.sectors == "all") and lf.off_list is None:
        doc.add(
            "a negative list with sectors but no `off_list`: data no item catches gets no answer from it",
            loc=("sectors",),
            severity="warning",
        )
    sectors = {s.sector for s in lf.sectors}
    for i, it in enumerate(lf.items):
        for s in it.sectors or ():
            if lf.scope.sectors == "listed" and lf.sectors and s not in sectors:
                doc.add(
                    f"sector '{s}' is not one the list covers (sectors: {', '.join(sorted(sectors))})",
                    item=it.id,
                    loc=("items", i, "sectors"),
                )


def band_problems(lf: ListFile, text: str, where: str) -> list[str]:
    """The band-group errors of a list not yet written (`lists import`): overlaps, gaps and a highest
    band that ends short, as `lists validate` would report them, each naming the table row its item
    was read from. `text` is the list file's YAML (for line numbers), `where` the file it would be."""
    doc = _Doc(Path(where), text, parse(text, where))
    _bands(doc, lf)
    items = {it.id: it for it in lf.items}
    out = []
    for p in errors(doc.problems):
        it = items.get(p.item or "")
        if it is not None and _left_undetermined(lf, it):
            continue  # a row not encoded covers it: the flows it could affect are undetermined
        src = it.source if it is not None else None
        place = f"sheet '{src.sheet}', row {src.row}: " if src is not None else ""
        out.append(f"{place}{p.item}: {p.message}" if p.item else f"{place}{p.message}")
    return out


def _left_undetermined(lf: ListFile, it: Item) -> bool:
    """A missing part that sets pathways covers the item's sectors and data class."""
    for m in lf.coverage.missing:
        if not m.affects_pathways:
            continue
        if m.sectors is not None and it.sectors is not None and not set(m.sectors) & set(it.sectors):
            continue
        if m.data_classes is not None and it.data_class is not None and it.data_class not in m.data_classes:
            continue
        return True
    return False


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
