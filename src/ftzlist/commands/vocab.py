"""`ftzlist vocab`: the ids a declaration, mapping or inventory may use, with Chinese and English names."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from ftzlist.commands.common import ListsOption, console, format_option, law


class Section(StrEnum):
    categories = "categories"
    subjects = "subjects"
    scenarios = "scenarios"
    sectors = "sectors"
    zones = "zones"
    grounds = "grounds"


def register(app: typer.Typer) -> None:
    app.command(name="vocab")(vocab)


def rows(section: Section, the_law) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """One record per id: `id`, `zh`, `en`, and what else identifies it in that section."""
    voc = the_law.vocabulary
    if section == Section.categories:
        out = []
        for c in voc.categories.values():
            ground = voc.sensitive_ground(c.id)
            out.append(
                {
                    "id": c.id,
                    "zh": c.name.zh,
                    "en": c.name.en,
                    "kind": voc.kind(c.id).value,
                    "sensitive": f"yes ({ground})" if ground else "no",
                }
            )
        return out
    if section == Section.subjects:
        return [{"id": s.id, "zh": s.name.zh, "en": s.name.en} for s in voc.subject_types.values()]
    if section == Section.scenarios:
        return [
            {"id": s.id, "zh": s.name.zh, "en": s.name.en, "sector": s.sector} for s in voc.scenarios.values()
        ]
    if section == Section.sectors:
        out = []
        for s in voc.sectors.values():
            out.append({"id": s.id, "zh": s.name.zh, "en": s.name.en, "kind": "sector"})
            out += [
                {"id": et.id, "zh": et.name.zh, "en": et.name.en, "kind": f"enterprise type of {s.id}"}
                for et in s.enterprise_types
            ]
        return out
    if section == Section.zones:
        out = []
        for z in voc.zones.values():
            out.append({"id": z.id, "zh": z.name.zh, "en": z.name.en, "kind": "zone"})
            out += [
                {"id": a.id, "zh": a.name.zh, "en": a.name.en, "kind": f"area of {z.id}"} for a in z.areas
            ]
        return out
    from ftzlist.loader import exemption_grounds

    names: dict[str, object] = {}
    for lf in the_law.lists:
        for ex in lf.exemptions:
            names.setdefault(ex.ground, ex.name)
    return [
        {"id": g, "zh": names[g].zh, "en": names[g].en}  # type: ignore[attr-defined]
        for g in sorted(exemption_grounds(the_law))
    ]


def vocab(
    section: Annotated[
        Section,
        typer.Argument(
            help="What to list: categories, subjects (subject types), scenarios, sectors (with enterprise "
            "types), zones (with areas), grounds (exemption grounds).",
            case_sensitive=False,
        ),
    ] = Section.categories,
    fmt: format_option("table", "json") = "table",  # type: ignore[valid-type]
    lists: ListsOption = None,
) -> None:
    """The valid ids of one vocabulary, with their Chinese and English names: what a declaration,
    a mapping or the inventory workbook may say."""
    data = rows(section, law(lists))
    if fmt == "json":
        sys.stdout.write(
            json.dumps({"section": section.value, "ids": data}, ensure_ascii=False, indent=2) + "\n"
        )
        return
    from ftzlist.render.output import table

    columns = list(data[0]) if data else ["id", "zh", "en"]
    table(
        console(),
        [{"zh": "中文", "en": "English"}.get(c, c) for c in columns],
        [[r.get(c, "") for c in columns] for r in data],
        title=f"ftzlist vocab {section.value} ({len(data)})",
    )
