"""The decisions workbook: a `DecisionSet` as sheets a lawyer can filter and sort.

One sheet per kind of row (flows, data items, obligations, every rule checked, headroom, lists), each
with a header row of `中文 / English` labels, an autofilter and frozen panes, and every text cell
written through `ftzlist.excel.safe` so nothing in it runs as a formula. The same function adds
the report's optional sheets (person counts, zone comparison, filing calendar) when given them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftzlist.excel.safe import set_cell
from ftzlist.reports import labels as T
from ftzlist.reports.context import claim_text, undetermined_label
from ftzlist.reports.findings import national_reference, rejected_claims, split_missing, strictest
from ftzlist.reports.text import free_text
from ftzlist.schema.common import Pathway

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.reports.model import ReportExtras
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.schema.declaration import Declaration


def _head(zh: str, en: str, lang: T.Lang) -> str:
    return T.pick((zh, en), lang, sep="\n")


def sheet(
    wb: Any, name: str, headers: list[tuple[str, str, int]], rows: list[list[Any]], lang: T.Lang
) -> Any:
    """A sheet with a bold `中文 / English` header row (chosen by `lang`), column widths, wrapped
    cells written through `excel.safe`, frozen panes and an autofilter."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    font, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    for c, (zh, en, width) in enumerate(headers, start=1):
        cell = set_cell(ws.cell(1, c), _head(zh, en, lang))
        cell.font, cell.fill = font, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(c)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            set_cell(ws.cell(r, c), value).alignment = wrap
    ws.freeze_panes = "B2"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{max(2, len(rows) + 1)}"
    ws.row_dimensions[1].height = 32 if lang == "bilingual" else 18
    return ws


def write_decisions(
    ds: DecisionSet,
    law: Law | None,
    path: Path,
    *,
    lang: T.Lang = "bilingual",
    current_pathways: dict[str, str] | None = None,
    extras: ReportExtras | None = None,
    declaration: Declaration | None = None,
) -> Path:
    """Write the decisions workbook to `path`. `law` adds category and scenario names, `declaration`
    the recipients and purposes (both optional)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    voc = law.vocabulary if law is not None else None
    current = current_pathways or {}

    def cat_name(cid: str) -> str:
        c = voc.categories.get(cid) if voc else None
        return T.text(c.name, lang) if c else ""

    def scen_name(sid: str | None) -> str:
        s = voc.scenarios.get(sid) if (voc and sid) else None
        return T.text(s.name, lang) if s else ""

    def yn(v: bool | None) -> str:
        return T.word("unknown" if v is None else ("yes" if v else "no"), lang)

    claims = rejected_claims(ds, declaration, law)
    national = national_reference(ds, declaration, law)
    top, may_need_more = strictest(ds)
    summary = [
        [T.word("handler", lang), free_text(ds.handler)],
        [T.word("as_of", lang), ds.as_of],
        [T.word("engine", lang), ds.engine_version],
        [T.word("input_hash", lang), ds.input_sha256],
        [T.word("governing", lang), ", ".join(ds.governing_lists)],
    ]
    summary += [[T.pathway(p, lang), n] for p, n in sorted(ds.summary.items())]
    ht = ds.handler_totals
    summary += [
        [T.word("persons_non_sensitive", lang), ht.persons_non_sensitive],
        [T.word("persons_sensitive", lang), ht.persons_sensitive],
        [T.word("excluded", lang), ", ".join(ht.excluded_exempt_flows) or T.word("none", lang)],
        [T.word("national_count_alone", lang), T.pathway(ht.pathway, lang)],
        [
            T.word("strictest_flow", lang),
            T.pathway(top, lang) + (f" ({T.word('may_need_more', lang)})" if may_need_more else ""),
        ],
    ]
    summary += [[T.word("claims_rejected", lang), claim_text(c, lang)] for c in claims]
    ws = sheet(wb, "summary", [("项目", "Field", 34), ("值", "Value", 80)], summary, lang)
    ws.auto_filter.ref = None

    decl_flows = {f.id: f for f in declaration.flows} if declaration else {}
    flow_rows = []
    for f in ds.flows:
        persons = sum(i.persons or 0 for i in f.items)
        df = decl_flows.get(f.flow_id)
        flow_rows.append(
            [
                f.flow_id,
                f.scenario,
                scen_name(f.scenario),
                f"{free_text(df.recipient.name)} ({df.recipient.country})" if df else None,
                free_text(df.purpose) if df else None,
                undetermined_label(f, lang)
                if f.pathway == Pathway.undetermined
                else T.pathway(f.pathway, lang),
                f.pathway.value,
                T.pathway(f.lower_bound, lang) if f.lower_bound else None,
                T.pathway(current[f.flow_id], lang) if f.flow_id in current else None,
                T.pathway(national[f.flow_id].pathway, lang) if f.flow_id in national else None,
                persons,
                len(f.obligations),
                "\n".join(claim_text(c, lang) for c in claims if c.flow_id == f.flow_id) or None,
                "\n".join(f"{m.field}: {m.why}" for m in split_missing(f)[0]) or None,
                "\n".join(f"{m.field}: {m.why}" for m in split_missing(f)[1]) or None,
                "\n".join(f"{', '.join(c.rules)}: {c.resolution}" for c in f.conflicts) or None,
                "\n".join(f.warnings) or None,
                "\n".join(f.alternatives) or None,
            ]
        )
    fws = sheet(
        wb,
        "flows",
        [
            ("活动编号", "Flow", 18),
            ("业务场景编号", "Scenario id", 26),
            ("业务场景", "Scenario", 26),
            ("境外接收方", "Recipient", 26),
            ("出境目的", "Purpose", 30),
            ("出境路径", "Pathway", 30),
            ("路径编号", "Pathway id", 22),
            ("至少需要", "At least", 22),
            ("目前采用的路径", "Pathway in use", 22),
            ("参考：仅按全国规则", "Reference: national rules alone", 22),
            ("人数合计", "Persons (sum)", 12),
            ("义务数", "Obligations", 10),
            ("主张但未被采纳的豁免", "Exemption claimed, not granted", 36),
            ("可由您补充的事实", "Facts you can supply", 36),
            ("尚未编码的法律内容", "Law not encoded", 36),
            ("规则冲突", "Conflicts", 30),
            ("提示", "Warnings", 30),
            ("其他可选路径", "Alternatives", 30),
        ],
        flow_rows,
        lang,
    )
    colour_pathways(fws, label_col=6, id_col=7)
    sheet(
        wb,
        "data_items",
        [
            ("活动编号", "Flow", 18),
            ("数据项", "Item", 18),
            ("数据类别编号", "Category id", 28),
            ("数据类别", "Category", 30),
            ("敏感", "Sensitive", 10),
            ("人数", "Persons", 12),
            ("出境路径", "Pathway", 30),
            ("适用清单", "Decided under", 20),
            ("决定规则", "Deciding rules", 36),
        ],
        [
            [
                f.flow_id,
                i.data_item,
                i.category,
                cat_name(i.category),
                yn(i.sensitive),
                i.persons,
                T.pathway(i.pathway, lang),
                i.regime,
                "\n".join(i.deciding_rules),
            ]
            for f in ds.flows
            for i in f.items
        ],
        lang,
    )
    sheet(
        wb,
        "obligations",
        [
            ("活动编号", "Flow", 18),
            ("义务编号", "Obligation", 30),
            ("路径", "Pathway", 24),
            ("义务（中文）", "Obligation (Chinese)", 60),
            ("义务（英文）", "Obligation (English)", 60),
            ("清单", "List", 18),
            ("规则", "Rule", 24),
            ("程序", "Procedure", 20),
            ("依据", "Citation", 36),
        ],
        [
            [
                f.flow_id,
                o.id,
                T.pathway(o.pathway, lang) if o.pathway else None,
                o.text.zh,
                o.text.en,
                o.list_id,
                o.rule_id,
                o.procedure,
                T.cite(o.citation, lang),
            ]
            for f in ds.flows
            for o in f.obligations
        ],
        lang,
    )
    sheet(
        wb,
        "reasons",
        [
            ("活动编号", "Flow", 18),
            ("清单", "List", 18),
            ("规则", "Rule", 28),
            ("层级", "Level", 10),
            ("结果", "Outcome", 14),
            ("路径", "Pathway", 24),
            ("数据项", "Data item", 24),
            ("依据", "Citation", 36),
            ("可靠性", "Status", 8),
            ("说明", "Reason", 50),
            ("读取的事实", "Facts read", 50),
        ],
        [
            [
                f.flow_id,
                c.list_id,
                c.rule_id,
                c.level,
                T.outcome(c.outcome, lang),
                T.pathway(c.pathway, lang) if c.pathway else None,
                c.data_item,
                T.cite(c.citation, lang),
                c.status,
                c.reason,
                json.dumps(c.facts, ensure_ascii=False, sort_keys=True, default=str) if c.facts else None,
            ]
            for f in ds.flows
            for c in f.checks
        ],
        lang,
    )
    head_rows = [
        [
            f.flow_id,
            h.list_id,
            h.group,
            h.data_item,
            h.persons,
            T.pathway(h.current, lang),
            h.next_threshold,
            T.pathway(h.next_pathway, lang) if h.next_pathway else None,
            h.remaining,
            h.label,
        ]
        for f in ds.flows
        for h in f.headroom
    ]
    hws = sheet(
        wb,
        "headroom",
        [
            ("活动编号", "Flow", 18),
            ("清单", "List", 18),
            ("档位组", "Group", 28),
            ("数据项", "Data item", 24),
            ("人数", "Persons", 12),
            ("当前路径", "Current", 24),
            ("下一阈值", "Next threshold", 14),
            ("下一路径", "Next pathway", 24),
            ("余量", "Remaining", 12),
            ("说明", "Label", 60),
        ],
        head_rows,
        lang,
    )
    if head_rows:
        _headroom_chart(hws, len(head_rows), lang)
    sheet(
        wb,
        "lists",
        [
            ("清单编号", "List", 22),
            ("系列", "Family", 16),
            ("名称", "Title", 60),
            ("SHA-256", "SHA-256", 70),
            ("内容完整", "Coverage complete", 12),
        ],
        [[r.id, r.family, T.text(r.title, lang), r.sha256, yn(r.coverage_complete)] for r in ds.lists],
        lang,
    )
    if extras is not None:
        _extras(wb, extras, lang)
    path = Path(path)
    wb.save(path)
    return path


PATHWAY_FILL = {
    "security_assessment": "F4CCCC",
    "national_core_data": "F4CCCC",
    "export_control": "F4CCCC",
    "standard_contract_or_certification": "FCE4D6",
    "other_lawful_path": "FCE4D6",
    "exempt": "D9EAD3",
    "undetermined": "E7E6E6",
}


def colour_pathways(ws: Any, label_col: int, id_col: int) -> None:
    """Tint each flow's pathway cell (red: assessment, orange: contract or other path, green: exempt)."""
    from openpyxl.styles import PatternFill

    for r in range(2, ws.max_row + 1):
        colour = PATHWAY_FILL.get(str(ws.cell(r, id_col).value))
        if colour:
            ws.cell(r, label_col).fill = PatternFill("solid", fgColor=colour)


def _headroom_chart(ws: Any, n: int, lang: T.Lang) -> None:
    """A bar chart of persons against the next threshold, beside the headroom table."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.title = T.word("headroom", lang)
    chart.y_axis.title = T.word("persons", lang)
    data = Reference(ws, min_col=5, min_row=1, max_row=n + 1)
    chart.add_data(data, titles_from_data=True)
    nxt = Reference(ws, min_col=7, min_row=1, max_row=n + 1)
    chart.add_data(nxt, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=4, min_row=2, max_row=n + 1))
    chart.height, chart.width = 3 + 0.8 * n, 18
    ws.add_chart(chart, f"L{2}")


def _extras(wb: Any, extras: ReportExtras, lang: T.Lang) -> None:
    if extras.counts:
        rows = [
            [s.label, p.day, p.persons, ", ".join(f"{t.persons:,} {t.label}" for t in s.thresholds)]
            for s in extras.counts
            for p in s.points
        ]
        sheet(
            wb,
            "person_counts",
            [
                ("系列", "Series", 30),
                ("日期", "Date", 14),
                ("累计人数", "Cumulative persons", 16),
                ("阈值", "Thresholds", 50),
            ],
            rows,
            lang,
        )
    if extras.comparison is not None:
        cmp = extras.comparison
        sheet(
            wb,
            "zone_comparison",
            [("活动编号", "Flow", 18)] + [(z, z, 26) for z in cmp.zones],
            [[r.flow_id, *[T.pathway(p, lang) if p else None for p in r.pathways]] for r in cmp.rows],
            lang,
        )
    if extras.calendar:
        sheet(
            wb,
            "calendar",
            [
                ("日期", "Date", 14),
                ("活动编号", "Flow", 18),
                ("事项", "What", 60),
                ("暂定", "Provisional", 10),
                ("状态", "Status", 14),
                ("负责人", "Owner", 20),
            ],
            [
                [
                    e.day,
                    e.flow_id,
                    free_text(e.what),
                    T.word("yes" if e.provisional else "no", lang),
                    T.pick(T.DUE_STATUS[e.status], lang) if e.status in T.DUE_STATUS else e.status,
                    free_text(e.owner) if e.owner else None,
                ]
                for e in extras.calendar
            ],
            lang,
        )
