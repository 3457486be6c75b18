"""Material change: does a new declaration of a filed flow need a fresh application, or only a
simplified change? (Fujian Art. 13; CAC Order 11 Art. 14; CAC Order 13 Art. 8.)

Every difference is reported with the trigger it falls under and why. A difference the procedure's
list names as a change trigger takes that trigger's citation and `material` flag; the others follow
the defaults below (our reading, stated in docs/filings.md). Narrowing (fewer data types, a shorter
retention, a lower volume) is never material.
"""

from __future__ import annotations

from dataclasses import dataclass

from ftzlist.filings.content import FiledContent
from ftzlist.schema.lists import Procedure

DEFAULT_VOLUME_RATIO = 1.5
"""A "large increase in export volume" (Fujian Art. 13) is not quantified in the measures. Our
default: persons or records above 1.5x the filed figure. Conservative (it flags sooner than a
doubling); configurable per call and with `ftzlist filings change --volume-ratio`."""

# trigger -> words that identify it in a list's change-trigger ids (e.g. purpose_method_scope_type)
_WORDS = {
    "purpose": ("purpose",),
    "method": ("method",),
    "scope": ("scope",),
    "data_types": ("type", "types", "data_types"),
    "sensitivity": ("sensitivity",),
    "recipient": ("recipient",),
    "storage_place": ("storage", "place", "storage_place"),
    "storage_period": ("retention", "period", "storage_period"),
    "legal_documents": ("legal", "documents", "legal_documents"),
    "volume": ("volume",),
}
_NOT_RECIPIENT = {"environment", "law"}  # recipient_environment / recipient_law are other triggers


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

    @property
    def verdict(self) -> str:
        if self.material:
            return "fresh application required (material change)"
        if self.reasons:
            return "simplified change (no material change)"
        return "no change"


def _cite(procedure: Procedure | None, trigger: str) -> tuple[str, bool | None]:
    if procedure is None:
        return "", None
    for t in procedure.changes:
        tokens = set(t.id.replace(".", "_").split("_"))
        if trigger == "recipient" and tokens & _NOT_RECIPIENT:
            continue
        if tokens & set(_WORDS[trigger]) or t.id.endswith(trigger):
            return f"{t.citation} ({t.id})", t.material
    return f"{procedure.citation} (no trigger of its own: ftzlist reading)", None


def assess_change(
    filed: FiledContent,
    new: FiledContent,
    procedure: Procedure | None = None,
    *,
    volume_ratio: float = DEFAULT_VOLUME_RATIO,
) -> ChangeAssessment:
    """Compare what was filed with a new declaration of the same flow."""
    if volume_ratio <= 1:
        raise ValueError(f"volume ratio must be above 1, got {volume_ratio}")
    reasons: list[ChangeReason] = []

    def add(trigger: str, default_material: bool, before: object, after: object, why: str) -> None:
        citation, listed = _cite(procedure, trigger)
        material = default_material if listed is None or not default_material else listed
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

    for label, old_n, new_n in (
        ("persons", filed.total_persons(), new.total_persons()),
        ("records", filed.total_records(), new.total_records()),
    ):
        if old_n is None or new_n is None or old_n == new_n:
            continue
        large = new_n > old_n * volume_ratio
        add(
            "volume",
            large,
            old_n,
            new_n,
            f"{label} {old_n:,} -> {new_n:,} (x{new_n / old_n if old_n else float('inf'):.2f}; "
            f"large above x{volume_ratio:g})",
        )

    return ChangeAssessment(any(r.material for r in reasons), tuple(reasons), volume_ratio)
