"""Filing materials for a Fujian-style negative-list filing, drafted in Chinese from the declaration
and the decision, for a person to complete and sign.

Fujian measures Art. 11: (1) the application to the FTZ area states the place of registration, the
industry, the business situation and any administrative penalties or regulators' investigations or
rectifications in the past two years; (2) after review, the filing states the export business
scenario, the export-data catalogue, the export-data scale, the overseas recipient, why the data
falls under the list and the applicable list sub-categories. What the declaration does not hold
(the business situation, addresses, contacts) is left as a marked blank, never invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftzlist.reports import labels as T

if TYPE_CHECKING:
    from ftzlist.loader import Law
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.schema.declaration import Declaration

BLANK = "【待填写】"
SOURCE = "《数据出境负面清单管理办法（试行）》第十一条"


def _zh(obj: Any) -> str:
    return obj.zh if obj is not None else ""


def filing_context(ds: DecisionSet, decl: Declaration, law: Law) -> dict[str, Any]:
    """Everything the application and filing forms print (Chinese)."""
    voc = law.vocabulary
    h = decl.handler
    zone = voc.zones.get(h.zone) if h.zone else None
    area = next((a for a in zone.areas if a.id == h.area), None) if zone else None
    sector = voc.sectors.get(h.sector) if h.sector else None
    et = None
    if sector and h.enterprise_type:
        et = next((e for e in sector.enterprise_types if e.id == h.enterprise_type), None)
    if h.penalties_past_2y is None:
        penalties = BLANK
    elif not h.penalties_past_2y:
        penalties = "无"
    else:
        penalties = "；".join(h.penalties_past_2y)
    zone_lists = {
        r.id for r in ds.lists if law.lists.by_id.get(r.id) and law.lists.get(r.id).kind != "national"
    }
    decl_flows = {f.id: f for f in decl.flows}
    flows = []
    for f in ds.flows:
        df = decl_flows[f.flow_id]
        scen = voc.scenarios.get(f.scenario) if f.scenario else None
        fired = [c for c in f.checks if c.outcome == "fired" and c.list_id in zone_lists]
        subcats, seen, why = [], set(), []
        for c in fired:
            lf = law.lists.get(c.list_id)
            item = next((i for i in lf.items if i.id == c.rule_id), None)
            if item is None and lf.off_list is not None and lf.off_list.id == c.rule_id:
                item = lf.off_list
            title = _zh(item.title) if item else c.rule_id
            why.append(f"{c.data_item or f.flow_id}：{title}（{c.citation}）")
            if (c.list_id, c.rule_id) in seen:
                continue
            seen.add((c.list_id, c.rule_id))
            subcats.append(
                {
                    "rule": c.rule_id,
                    "title": title,
                    "pathway": T.pathway(c.pathway, "zh") if c.pathway else "",
                    "citation": str(c.citation),
                }
            )
        catalogue = []
        for d in df.data:
            cat = voc.categories.get(d.category)
            subj = voc.subject_types.get(d.subject) if d.subject else None
            sens = voc.sensitive_ground(d.category) is not None if d.sensitive is None else d.sensitive
            catalogue.append(
                {
                    "id": d.id or "",
                    "category": _zh(cat.name) if cat else d.category,
                    "category_id": d.category,
                    "subject": _zh(subj.name) if subj else BLANK,
                    "sensitive": "是" if sens else "否",
                    "persons": BLANK if d.persons is None else f"{d.persons:,}",
                    "records": BLANK if d.records is None else f"{d.records:,}",
                    "important": "是" if d.important_data else "否",
                }
            )
        persons = [d.persons for d in df.data]
        flows.append(
            {
                "id": f.flow_id,
                "relies_on_list": bool(fired),
                "scenario": _zh(scen.name) if scen else BLANK,
                "scenario_id": f.scenario or "",
                "purpose": df.purpose,
                "recipient": df.recipient.name,
                "country": df.recipient.country,
                "catalogue": catalogue,
                "scale": (
                    BLANK
                    if any(p is None for p in persons)
                    else f"涉及自然人约 {sum(p or 0 for p in persons):,} 人（当年累计，各数据项相加，可能重复计算）"
                ),
                "why": "；".join(why) or BLANK,
                "subcategories": subcats,
                "pathway": T.pathway(f.pathway, "zh"),
            }
        )
    return {
        "handler": h.name,
        "uscc": h.uscc or BLANK,
        "registration": " ".join(
            x for x in (_zh(zone.name) if zone else "", _zh(area.name) if area else "") if x
        )
        or BLANK,
        "industry": "，".join(
            x for x in (_zh(sector.name) if sector else "", _zh(et.name) if et else "") if x
        )
        or BLANK,
        "business": BLANK,
        "penalties": penalties,
        "lists": [f"{r.id}（SHA-256 {r.sha256[:16]}…）" for r in ds.lists],
        "as_of": ds.as_of.isoformat(),
        "flows": flows,
        # Art. 11 filing covers the flows that rely on a zone list; the others are left out.
        "filed": [f for f in flows if f["relies_on_list"]],
    }


def write_filing_docx(ctx: dict[str, Any], path: Path) -> Path:
    """申请表 and 备案材料 as one Word document."""
    from ftzlist.reports.docx import heading, highlight, new_document, para, table

    doc = new_document()
    heading(doc, "数据出境负面清单适用申请表", 0)
    para(doc, f"依据：{SOURCE}第（一）项。本表由 ftzlist 根据申报材料草拟，标黄处须人工填写并核对。")
    table(
        doc,
        ["项目", "内容"],
        [
            ["数据处理者名称", ctx["handler"]],
            ["统一社会信用代码", ctx["uscc"]],
            ["注册地", ctx["registration"] + "；详细地址：" + BLANK],
            ["所属行业", ctx["industry"]],
            ["经营情况", ctx["business"]],
            ["近两年行政处罚、监管部门调查或整改情况", ctx["penalties"]],
            [
                "拟利用清单出境的数据出境活动",
                "、".join(f["id"] for f in ctx["flows"] if f["relies_on_list"]) or "无",
            ],
            ["联系人及联系方式", BLANK],
            ["申请日期", BLANK],
        ],
        [5, 12],
    )
    para(doc, "数据处理者（盖章）：" + BLANK)
    if not ctx["filed"]:
        para(doc, "没有数据出境活动依据自贸区负面清单出境，无需按清单备案。")
    for f in ctx["filed"]:
        doc.add_page_break()
        heading(doc, f"数据出境负面清单备案材料：{f['id']}", 1)
        para(doc, f"依据：{SOURCE}第（二）项。评估结论：{f['pathway']}。")
        heading(doc, "一、出境业务场景", 2)
        para(doc, f"{f['scenario']}（{f['scenario_id'] or BLANK}）。出境目的：{f['purpose']}")
        heading(doc, "二、出境数据目录", 2)
        table(
            doc,
            ["数据项", "数据类别", "主体类型", "敏感个人信息", "重要数据"],
            [
                [
                    c["id"],
                    f"{c['category']}（{c['category_id']}）",
                    c["subject"],
                    c["sensitive"],
                    c["important"],
                ]
                for c in f["catalogue"]
            ],
        )
        heading(doc, "三、出境数据规模", 2)
        para(doc, f["scale"])
        table(
            doc,
            ["数据项", "自然人数（当年累计）", "记录条数"],
            [[c["id"], c["persons"], c["records"]] for c in f["catalogue"]],
        )
        heading(doc, "四、境外接收方", 2)
        table(
            doc,
            ["名称", "所在国家或地区", "地址及联系方式", "数据安全保护能力"],
            [[f["recipient"], f["country"], BLANK, BLANK]],
        )
        heading(doc, "五、数据属于清单的理由", 2)
        para(doc, f["why"])
        heading(doc, "六、适用的清单子类", 2)
        if f["subcategories"]:
            table(
                doc,
                ["规则编号", "清单子类", "出境路径", "依据"],
                [[s["rule"], s["title"], s["pathway"], s["citation"]] for s in f["subcategories"]],
            )
        else:
            para(doc, "本活动未适用自贸区清单条目。" + BLANK)
    para(doc, "所用清单版本：" + "；".join(ctx["lists"]) + f"。评估日期：{ctx['as_of']}。")
    highlight(doc, (BLANK,))
    path = Path(path)
    doc.save(str(path))
    return path


def write_filing_xlsx(ctx: dict[str, Any], path: Path) -> Path:
    """The same materials as a workbook: application, data catalogue, sub-categories."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from ftzlist.excel.safe import set_cell

    wb = Workbook()
    yellow = PatternFill("solid", fgColor="FFFF00")
    head = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(title: str, headers: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        ws = wb.create_sheet(title)
        for c, (h, width) in enumerate(zip(headers, widths, strict=True), start=1):
            set_cell(ws.cell(1, c), h).font = head
            ws.column_dimensions[chr(64 + c)].width = width
        for r, row in enumerate(rows, start=2):
            for c, v in enumerate(row, start=1):
                cell = set_cell(ws.cell(r, c), v)
                cell.alignment = wrap
                if isinstance(v, str) and BLANK in v:
                    cell.fill = yellow
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{chr(64 + len(headers))}{max(2, len(rows) + 1)}"

    wb.remove(wb.active)
    sheet(
        "申请表",
        ["项目", "内容"],
        [
            ["数据处理者名称", ctx["handler"]],
            ["统一社会信用代码", ctx["uscc"]],
            ["注册地", ctx["registration"]],
            ["详细地址", BLANK],
            ["所属行业", ctx["industry"]],
            ["经营情况", ctx["business"]],
            ["近两年行政处罚、监管部门调查或整改情况", ctx["penalties"]],
            ["联系人及联系方式", BLANK],
            ["依据", SOURCE],
        ],
        [36, 80],
    )
    sheet(
        "备案-活动",
        [
            "活动编号",
            "出境业务场景",
            "出境目的",
            "境外接收方",
            "国家或地区",
            "出境数据规模",
            "数据属于清单的理由",
            "评估结论",
        ],
        [
            [
                f["id"],
                f["scenario"],
                f["purpose"],
                f["recipient"],
                f["country"],
                f["scale"],
                f["why"],
                f["pathway"],
            ]
            for f in ctx["filed"]
        ],
        [16, 24, 30, 26, 10, 30, 50, 30],
    )
    sheet(
        "备案-出境数据目录",
        [
            "活动编号",
            "数据项",
            "数据类别",
            "类别编号",
            "主体类型",
            "敏感个人信息",
            "重要数据",
            "自然人数",
            "记录条数",
        ],
        [
            [
                f["id"],
                c["id"],
                c["category"],
                c["category_id"],
                c["subject"],
                c["sensitive"],
                c["important"],
                c["persons"],
                c["records"],
            ]
            for f in ctx["filed"]
            for c in f["catalogue"]
        ],
        [16, 18, 30, 28, 20, 10, 10, 14, 14],
    )
    sheet(
        "备案-适用清单子类",
        ["活动编号", "规则编号", "清单子类", "出境路径", "依据"],
        [
            [f["id"], s["rule"], s["title"], s["pathway"], s["citation"]]
            for f in ctx["filed"]
            for s in f["subcategories"]
        ],
        [16, 28, 60, 30, 40],
    )
    path = Path(path)
    wb.save(path)
    return path
