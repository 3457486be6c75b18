"""A group run as rows (for the terminal and the workbook) and as Markdown, in Chinese, English or
both. Every format is built from the same rows, so they never disagree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ftzlist.group.model import GroupResult
from ftzlist.reports import labels as T
from ftzlist.schema.common import Pathway

H: dict[str, tuple[str, str]] = {
    "entity": ("实体", "Entity"),
    "handler": ("数据处理者", "Handler"),
    "zone": ("自贸区", "Zone"),
    "flows": ("活动数", "Flows"),
    "by_pathway": ("按路径", "By pathway"),
    "sa": ("安全评估", "Security assessments"),
    "scc": ("标准合同（份）", "Standard contracts"),
    "filings": ("清单备案/报告", "List filings or reports"),
    "undetermined": ("待定", "Undetermined"),
    "national": ("全国口径人数（非敏感/敏感）", "National count (non-sensitive / sensitive)"),
    "national_pathway": ("仅按全国口径", "National count alone"),
    "strictest": ("最严格路径", "Strictest pathway"),
    "recipient": ("境外接收方", "Recipient"),
    "country": ("国家或地区", "Country"),
    "entities": ("实体", "Entities"),
    "contracts": ("须签标准合同的实体", "Entities needing a contract"),
    "persons": ("人数合计（可能重复）", "Persons, summed (may double count)"),
    "sensitive": ("其中敏感", "of which sensitive"),
    "categories": ("数据类别", "Categories"),
    "recipients": ("接收方", "Recipients"),
    "flow": ("活动", "Flow"),
    "pathway": ("出境路径", "Pathway"),
    "title": ("集团数据出境概览", "Group cross-border data overview"),
    "summary": ("集团汇总", "Group summary"),
    "per_entity": ("各实体", "Per entity"),
    "per_recipient": ("按境外接收方", "By recipient"),
    "per_country": ("按接收方所在国家或地区", "By recipient country"),
    "per_flow": ("各数据出境活动", "Flows"),
    "as_of": ("评估日期", "Assessment date"),
    "none": ("无", "none"),
    "outside": ("不在自贸区", "no zone"),
    "note": ("说明", "Note"),
    "field": ("项目", "Field"),
    "value": ("内容", "Value"),
}


def word(key: str, lang: T.Lang) -> str:
    return T.pick(H[key], lang)


def _n(v: int | None) -> str:
    return "—" if v is None else f"{v:,}"


def _pathways(by: dict[str, int], lang: T.Lang) -> str:
    return "; ".join(f"{T.pathway(p, lang)} × {n}" for p, n in by.items())


def _strictest(p: Pathway, undetermined: bool, lang: T.Lang) -> str:
    return ("≥ " if undetermined else "") + T.pathway(p, lang)


def entity_rows(g: GroupResult, lang: T.Lang) -> tuple[list[str], list[list[str]]]:
    cols = [
        "entity",
        "handler",
        "zone",
        "flows",
        "by_pathway",
        "strictest",
        "sa",
        "scc",
        "filings",
        "undetermined",
        "national",
        "national_pathway",
    ]
    rows = [
        [
            e.key,
            e.handler,
            "/".join(x for x in (e.zone, e.area) if x) or word("outside", lang),
            str(e.flows),
            _pathways(e.by_pathway, lang),
            _strictest(e.strictest, bool(e.undetermined), lang),
            str(e.security_assessments),
            str(e.standard_contracts),
            str(e.list_filings),
            ", ".join(e.undetermined) or word("none", lang),
            f"{_n(e.national_persons_non_sensitive)} / {_n(e.national_persons_sensitive)}",
            T.pathway(e.national_count_pathway, lang),
        ]
        for e in g.entities
    ]
    return [word(c, lang) for c in cols], rows


def summary_rows(g: GroupResult, lang: T.Lang) -> list[list[str]]:
    s = g.summary
    return [
        [word("as_of", lang), g.as_of.isoformat()],
        [word("entities", lang), str(s.entities)],
        [
            word("zone", lang),
            "; ".join(
                f"{z if z != 'none' else word('outside', lang)}: {', '.join(k)}" for z, k in s.zones.items()
            ),
        ],
        [word("flows", lang), str(s.flows)],
        [word("by_pathway", lang), _pathways(s.by_pathway, lang)],
        [word("sa", lang), ", ".join(s.entities_needing_security_assessment) or word("none", lang)],
        [word("scc", lang), str(s.standard_contracts)],
        [word("filings", lang), str(s.list_filings)],
        [word("undetermined", lang), ", ".join(s.undetermined) or word("none", lang)],
    ]


def recipient_rows(g: GroupResult, lang: T.Lang) -> tuple[list[str], list[list[str]]]:
    undetermined = {f"{r.entity}/{r.flow_id}" for r in g.flows if r.pathway == Pathway.undetermined}
    cols = [
        "recipient",
        "country",
        "strictest",
        "by_pathway",
        "entities",
        "contracts",
        "flows",
        "persons",
        "sensitive",
        "categories",
    ]
    rows = [
        [
            r.recipient,
            r.country,
            _strictest(r.strictest, any(f in undetermined for f in r.flows), lang),
            _pathways(r.by_pathway, lang),
            ", ".join(r.entities),
            ", ".join(r.contracts) or word("none", lang),
            ", ".join(r.flows),
            _n(r.persons),
            _n(r.persons_sensitive),
            ", ".join(r.categories),
        ]
        for r in g.by_recipient
    ]
    return [word(c, lang) for c in cols], rows


def country_rows(g: GroupResult, lang: T.Lang) -> tuple[list[str], list[list[str]]]:
    und = {r.country for r in g.flows if r.pathway == Pathway.undetermined}
    cols = ["country", "strictest", "by_pathway", "recipients", "entities", "flows", "persons", "sensitive"]
    rows = [
        [
            c.country,
            _strictest(c.strictest, c.country in und, lang),
            _pathways(c.by_pathway, lang),
            ", ".join(c.recipients),
            ", ".join(c.entities),
            str(c.flows),
            _n(c.persons),
            _n(c.persons_sensitive),
        ]
        for c in g.by_country
    ]
    return [word(c, lang) for c in cols], rows


def flow_rows(g: GroupResult, lang: T.Lang) -> tuple[list[str], list[list[str]]]:
    cols = ["entity", "flow", "recipient", "country", "pathway", "persons", "sensitive", "categories"]
    rows = [
        [
            r.entity,
            r.flow_id,
            r.recipient,
            r.country,
            T.pathway(r.pathway, lang) + (f" (≥ {T.pathway(r.lower_bound, lang)})" if r.lower_bound else ""),
            _n(r.persons),
            _n(r.persons_sensitive),
            ", ".join(r.categories),
        ]
        for r in g.flows
    ]
    return [word(c, lang) for c in cols], rows


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    def cell(v: str) -> str:
        return v.replace("|", "\\|").replace("\n", "<br>")

    return [
        "| " + " | ".join(cell(h) for h in head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(cell(v) for v in row) + " |" for row in rows),
        "",
    ]


def markdown(g: GroupResult, lang: T.Lang = "en") -> str:
    out = [f"# {g.name} — {word('title', lang)}", "", f"## {word('summary', lang)}", ""]
    out += _md_table([word("field", lang), word("value", lang)], summary_rows(g, lang))
    for key, rows_of in (
        ("per_entity", entity_rows),
        ("per_recipient", recipient_rows),
        ("per_country", country_rows),
        ("per_flow", flow_rows),
    ):
        out += [f"## {word(key, lang)}", ""]
        out += _md_table(*rows_of(g, lang))
    out += [f"> {n}" for n in g.notes]
    return "\n".join(out) + "\n"


def write_xlsx(g: GroupResult, path: Path, lang: T.Lang = "bilingual") -> Path:
    """The group run as a workbook: summary, entities, by recipient, by country, flows."""
    from openpyxl import Workbook

    from ftzlist.reports.workbook import sheet

    wb = Workbook()
    wb.remove(wb.active)

    def add(name: str, head: list[str], rows: list[list[Any]]) -> None:
        sheet(wb, name, [(h, h, 24) for h in head], rows, "zh")  # headers already in `lang`

    ws = sheet(
        wb,
        "summary",
        [("项目", "Field", 30), ("值", "Value", 90)],
        [*summary_rows(g, lang), *[["", n] for n in g.notes]],
        lang,
    )
    ws.auto_filter.ref = None
    add("entities", *entity_rows(g, lang))
    add("by_recipient", *recipient_rows(g, lang))
    add("by_country", *country_rows(g, lang))
    add("flows", *flow_rows(g, lang))
    path = Path(path)
    wb.save(path)
    return path
