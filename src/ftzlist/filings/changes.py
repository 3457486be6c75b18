"""Material change: does a new declaration of a filed flow need a fresh application, or only a
simplified change? (Fujian Art. 13; CAC Order 11 Art. 14; CAC Order 13 Art. 8.)

Every difference is reported with the trigger it falls under and why. A difference the procedure's
list names as a change trigger (by the kinds it `covers`, never by words in its id) takes that
trigger's citation and `material` flag; the others follow the defaults below (our reading, stated in
docs/filings.md). Narrowing (fewer data types, a shorter retention, a lower volume) is not material
by itself; but a figure that crosses a band line of the list, either way, or a change of pathway is
always material (Fujian Art. 13), whatever the ratio. Volume ratios are measured against the
approved filing, not only the latest simplified version.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ftzlist.filings.bands import BandCrossing, pathway_shift
from ftzlist.filings.content import FiledContent
from ftzlist.schema.lists import ChangeKind, Procedure

DEFAULT_VOLUME_RATIO = 1.5
"""A "large increase in export volume" (Fujian Art. 13) is not quantified in the measures. Our
default: persons or records above 1.5x the filed figure. Conservative (it flags sooner than a
doubling); configurable per call and with `ftzlist filings change --volume-ratio`."""


@dataclass(frozen=True)
class ChangeReason:
    trigger: str
    material: bool
    before: object
    after: object
    why: str
    citation: str


@dataclass(frozen=True)
class ChangeAssessment:
    material: bool
    reasons: tuple[ChangeReason, ...]
    volume_ratio: float
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        if self.material:
            return "fresh application required (material change)"
        if self.reasons:
            return "simplified change (no material change)"
        return "no change"


def _cite(procedure: Procedure | None, kind: ChangeKind) -> tuple[str, bool | None]:
    """(citation, the trigger's `material` flag) of the list's trigger covering `kind`."""
    if procedure is None:
        return "", None
    t = procedure.trigger_for(kind)
    if t is not None:
        return f"{t.citation.text('en')} ({t.id})", t.material
    return f"{procedure.citation.text('en')} (no trigger of its own: ftzlist reading)", None


def check_ratio(volume_ratio: float) -> float:
    """The volume ratio, refused unless a finite number above 1 (nan, inf, 0, -1 are errors)."""
    if not isinstance(volume_ratio, int | float) or not math.isfinite(volume_ratio) or volume_ratio <= 1:
        raise ValueError(f"volume ratio must be a finite number above 1, got {volume_ratio}")
    return float(volume_ratio)


def assess_change(
    filed: FiledContent,
    new: FiledContent,
    procedure: Procedure | None = None,
    *,
    volume_ratio: float = DEFAULT_VOLUME_RATIO,
    approved: FiledContent | None = None,
    crossings: Sequence[BandCrossing] = (),
    notes: Sequence[str] = (),
) -> ChangeAssessment:
    """Compare what was filed (`filed`: the latest version, e.g. after simplified changes) with a
    new declaration of the same flow (Fujian Art. 13; CAC Order 11 Art. 14; Order 13 Art. 8).

    `approved` is the content the authority approved (the proceeding's original filing): the
    volume ratio is measured against it, and against `filed` too (the stricter of the two), so
    simplified steps cannot add up to a large increase. `crossings` are the list's band lines
    between the filed and the new figures (`ftzlist.filings.bands.band_crossings`); the pathways of
    the crossed bands on either side say whether the pathway changes. A band crossed or a pathway changed is material
    whatever the ratio and whatever the list's trigger says. Raises ValueError on a bad ratio."""
    volume_ratio = check_ratio(volume_ratio)
    approved = approved or filed
    reasons: list[ChangeReason] = []

    def add(
        trigger: ChangeKind, default_material: bool, before: object, after: object, why: str, *, always=False
    ) -> None:
        citation, listed = _cite(procedure, trigger)
        material = default_material if listed is None or not default_material or always else listed
        reasons.append(ChangeReason(trigger, material, before, after, why, citation))

    for name in ("purpose", "method", "scope"):
        a, b = getattr(filed, name), getattr(new, name)
        if a != b:
            add(name, True, a, b, f"export {name} changed")
    if filed.scenario != new.scenario:
        add("scope", True, filed.scenario, new.scenario, "business scenario changed")
    if set(filed.list_subcategories) != set(new.list_subcategories):
        added = sorted(set(new.list_subcategories) - set(filed.list_subcategories))
        add(
            "scope",
            bool(added),
            filed.list_subcategories,
            new.list_subcategories,
            f"relies on list sub-categories not filed: {', '.join(added)}"
            if added
            else "relies on fewer list sub-categories",
        )

    old_cats = {i.category for i in filed.items}
    new_cats = {i.category for i in new.items}
    if new_cats - old_cats:
        add(
            "data_types",
            True,
            sorted(old_cats),
            sorted(new_cats),
            f"new data types: {', '.join(sorted(new_cats - old_cats))}",
        )
    if old_cats - new_cats:
        add(
            "data_types",
            False,
            sorted(old_cats),
            sorted(new_cats),
            f"data types dropped (narrowing): {', '.join(sorted(old_cats - new_cats))}",
        )

    old_sens = {i.category for i in filed.items if i.sensitive}
    new_sens = {i.category for i in new.items if i.sensitive}
    if new_sens - old_sens:
        add(
            "sensitivity",
            True,
            sorted(old_sens),
            sorted(new_sens),
            f"now sensitive: {', '.join(sorted(new_sens - old_sens))}",
        )

    if filed.recipient != new.recipient:
        add(
            "recipient",
            True,
            f"{filed.recipient.name} ({filed.recipient.country})",
            f"{new.recipient.name} ({new.recipient.country})",
            "overseas recipient or its country changed",
        )
    if filed.storage_place != new.storage_place:
        add("storage_place", True, filed.storage_place, new.storage_place, "overseas storage place changed")
    a, b = filed.storage_period_months, new.storage_period_months
    if a != b:
        longer = a is not None and (b is None or b > a)
        add(
            "storage_period",
            longer,
            a,
            b,
            "longer overseas retention" if longer else "retention shortened or newly stated",
        )
    if sorted(filed.legal_documents) != sorted(new.legal_documents):
        add(
            "legal_documents",
            True,
            filed.legal_documents,
            new.legal_documents,
            "legal documents with the recipient changed",
        )

    for label, total in (("persons", FiledContent.total_persons), ("records", FiledContent.total_records)):
        base, last, now = total(approved), total(filed), total(new)
        if now is None or (last is None and base is None) or now == last:
            continue
        bases = [(what, n) for what, n in (("approved", base), ("latest", last)) if n is not None]
        if base == last:
            bases = bases[:1]
        ratios = [(what, n, now / n if n else math.inf) for what, n in bases]
        large = any(r > volume_ratio for _, _, r in ratios)
        shown = "; ".join(f"x{r:.2f} vs the {what} {n:,}" for what, n, r in ratios)
        add(
            "volume",
            large,
            last if last is not None else base,
            now,
            f"{label} -> {now:,} ({shown}; large above x{volume_ratio:g} of the approved figure)",
        )

    lines: dict[tuple[str, int], list[BandCrossing]] = {}
    for c in crossings:
        lines.setdefault((c.list_id, c.line), []).append(c)
    for (list_id, line), group in sorted(lines.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        first = group[0]
        items = "; ".join(c.side() for c in group)
        cites = "; ".join(dict.fromkeys(c.citation for c in group))
        add(
            "band",
            True,
            first.before,
            first.after,
            f"band crossed ({'up' if first.upward else 'down'}): {first.before:,} -> {first.after:,} "
            f"crosses {line:,} of {list_id} ({items}) [{cites}]; always material, whatever the ratio",
            always=True,
        )
    shift = pathway_shift(list(crossings))
    if shift[0] != shift[1]:
        before_p, after_p = (", ".join(sorted(p)) or "none of its bands" for p in shift)
        add(
            "pathway",
            True,
            before_p,
            after_p,
            f"pathway changes: {before_p} -> {after_p}; always material (a fresh application)",
            always=True,
        )

    return ChangeAssessment(any(r.material for r in reasons), tuple(reasons), volume_ratio, tuple(notes))
