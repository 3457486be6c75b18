"""The inventory workbook's layout, shared by the template writer and the reader.

One place says which sheets exist, which column holds which declaration field, what type it has,
which vocabulary its drop-down list comes from, and the notes (Chinese and English) a user sees.
Headers are `field_key` on the first line and the Chinese label on the second, so the reader finds
columns by key even if a user reorders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "int", "bool", "date", "id", "list", "ids"]

# Drop-down sources: a vocabulary (or fixed list) written to the hidden `codes` sheet.
Source = Literal[
    "zones",
    "areas",
    "sectors",
    "enterprise_types",
    "scenarios",
    "categories",
    "subject_types",
    "exemptions",
    "pathways",
    "bool",
]


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    note_zh: str
    note_en: str
    kind: Kind = "text"
    required: bool = False
    source: Source | None = None
    width: int = 18

    @property
    def header(self) -> str:
        return f"{self.key}\n{self.zh}"


HANDLER_SHEET = "handler"
FLOWS_SHEET = "flows"
ITEMS_SHEET = "data_items"
CODES_SHEET = "codes"
README_SHEET = "readme"

SHEET_TITLES = {
    HANDLER_SHEET: ("数据处理者", "the data handler (the exporting company)"),
    FLOWS_SHEET: ("数据出境活动", "export flows: one row per flow"),
    ITEMS_SHEET: ("出境数据项", "data items: one row per kind of data in a flow"),
}

# Handler sheet: one field per row (key | label | value | note).
HANDLER_FIELDS: list[Column] = [
    Column(
        "name", "数据处理者名称", "handler name", "营业执照上的名称。", "Name as registered.", required=True
    ),
    Column(
        "uscc",
        "统一社会信用代码",
        "unified social credit code",
        "18位统一社会信用代码（GB 32100），会校验。",
        "18-character USCC (GB 32100); checked.",
    ),
    Column(
        "zone",
        "注册地自贸区",
        "zone of registration",
        "从下拉列表选择；不在任何自贸区则留空。",
        "Pick from the list; leave empty if outside every zone.",
        kind="id",
        source="zones",
    ),
    Column(
        "area",
        "片区",
        "area",
        "自贸区内的片区（如厦门片区）；须先填自贸区。",
        "Area within the zone (e.g. Xiamen); needs the zone.",
        kind="id",
        source="areas",
    ),
    Column(
        "sector",
        "所属行业",
        "sector",
        "从下拉列表选择。",
        "Pick from the list.",
        kind="id",
        source="sectors",
    ),
    Column(
        "enterprise_type",
        "企业类型",
        "enterprise type",
        "须属于所选行业。",
        "Must belong to the chosen sector.",
        kind="id",
        source="enterprise_types",
    ),
    Column(
        "ciio",
        "是否关键信息基础设施运营者",
        "critical information infrastructure operator",
        "是/否；未知则留空（结论将为“待定”）。",
        "yes/no; leave empty if unknown (the answer is then undetermined).",
        kind="bool",
        source="bool",
    ),
    Column(
        "holdings.persons_pi",
        "境内处理个人信息人数",
        "persons whose PI it holds",
        "在境内处理（非出境）的个人信息所涉自然人数。",
        "Persons whose personal information it holds in China (not exports).",
        kind="int",
    ),
    Column(
        "holdings.persons_sensitive",
        "境内处理敏感个人信息人数",
        "persons whose sensitive PI it holds",
        "",
        "",
        kind="int",
    ),
    Column(
        "holdings.persons_sensitive_accounts_or_medical",
        "境内处理账户或诊疗信息人数",
        "persons whose account or medical data it holds",
        "银行、保险等账户或诊疗信息所涉人数。",
        "Bank, insurance or registered accounts, or diagnosis data.",
        kind="int",
    ),
    Column(
        "penalties_past_2y",
        "近两年行政处罚、监管调查或整改",
        "penalties or investigations in the past two years",
        "每项一行（单元格内换行）或以分号分隔；没有则填“无”；未知则留空。",
        "One per line or separated by ';'; write 'none' if there are none; empty = unknown.",
        kind="list",
        width=40,
    ),
    Column(
        "filings",
        "已完成备案的清单",
        "lists whose filing is recorded",
        "清单编号（ftzlist lists 所列），以分号分隔；须先备案方可适用的正面清单，未列入即视为未备案。",
        "List ids (as 'ftzlist lists' shows them) separated by ';'; a positive list relied on only after its "
        "filing is read as not filed unless named here.",
        kind="ids",
        width=30,
    ),
    Column(
        "as_of",
        "评估日期",
        "assessment date",
        "YYYY-MM-DD；留空则为命令行指定或当天。",
        "YYYY-MM-DD; empty = the command line's --as-of, else today.",
        kind="date",
    ),
]

FLOW_COLUMNS: list[Column] = [
    Column(
        "flow_id",
        "活动编号",
        "flow id",
        "唯一的小写英文编号，如 pv-global。",
        "Unique lower-case id, e.g. pv-global.",
        kind="id",
        required=True,
        width=20,
    ),
    Column(
        "scenario",
        "业务场景",
        "business scenario",
        "从下拉列表选择；未知则留空。",
        "Pick from the list; empty = unknown.",
        kind="id",
        source="scenarios",
        width=36,
    ),
    Column(
        "recipient_name",
        "境外接收方名称",
        "overseas recipient",
        "",
        "",
        required=True,
        width=28,
    ),
    Column(
        "recipient_country",
        "接收方所在国家或地区",
        "recipient country",
        "ISO 3166-1 两位字母代码，如 US、DE、SG。",
        "ISO 3166-1 alpha-2 code, e.g. US, DE, SG.",
        required=True,
        width=12,
    ),
    Column("purpose", "出境目的", "purpose", "", "", required=True, width=36),
    Column(
        "exemption",
        "主张的豁免情形",
        "exemption claimed",
        "如依据《促进和规范数据跨境流动规定》第三、四、五条主张豁免，从下拉列表选择。",
        "If the flow claims a CBDF Arts. 3-5 exemption, pick it from the list.",
        kind="id",
        source="exemptions",
        width=28,
    ),
    Column(
        "current_pathway",
        "目前采用的出境路径",
        "pathway in use today",
        "仅供记录：目前已履行的路径；评估不读取，决定表中并列显示。",
        "For your records: the path you use today; not read by the assessment, shown beside it.",
        kind="id",
        source="pathways",
        width=28,
    ),
]

ITEM_COLUMNS: list[Column] = [
    Column(
        "flow_id",
        "活动编号",
        "flow id",
        "须与“数据出境活动”表中的编号一致。",
        "Must match a flow id on the flows sheet.",
        kind="id",
        required=True,
        width=20,
    ),
    Column(
        "item_id",
        "数据项编号",
        "data item id",
        "可选，在同一活动内唯一。",
        "Optional; unique within the flow.",
        kind="id",
        width=18,
    ),
    Column(
        "category",
        "数据类别",
        "data category",
        "从下拉列表选择（分类法编号）。",
        "Pick from the list (taxonomy id).",
        kind="id",
        required=True,
        source="categories",
        width=36,
    ),
    Column(
        "subject",
        "个人信息主体类型",
        "subject type",
        "如患者、临床试验受试者、员工。",
        "E.g. patients, trial subjects, employees.",
        kind="id",
        source="subject_types",
        width=28,
    ),
    Column(
        "sensitive",
        "是否敏感个人信息",
        "sensitive PI",
        "留空则按数据类别判断（《个人信息保护法》第二十八条）。",
        "Empty = follow the category (PIPL Art. 28).",
        kind="bool",
        source="bool",
        width=12,
    ),
    Column(
        "persons",
        "涉及自然人数（当年累计，去重）",
        "persons (this year, de-duplicated)",
        "自当年1月1日起累计、去重后的自然人数；未知则留空。",
        "De-duplicated natural persons since 1 January; empty = unknown.",
        kind="int",
        width=16,
    ),
    Column("records", "记录条数", "records", "", "", kind="int", width=12),
    Column(
        "important_data",
        "是否已被告知或公布为重要数据",
        "notified or published important data",
        "《促进和规范数据跨境流动规定》第二条。",
        "CBDF Provisions Art. 2.",
        kind="bool",
        source="bool",
        width=12,
    ),
    Column(
        "core_data",
        "是否国家核心数据",
        "national core data",
        "",
        "",
        kind="bool",
        source="bool",
        width=12,
    ),
    Column(
        "export_controlled",
        "是否出口管制物项技术资料",
        "export-controlled technical data",
        "",
        "",
        kind="bool",
        source="bool",
        width=12,
    ),
    Column(
        "cleared",
        "已取得的许可或审批",
        "clearances held",
        "编号，以分号分隔，如 hgr_cleared。",
        "Ids separated by ';', e.g. hgr_cleared.",
        kind="ids",
        width=18,
    ),
    Column("anonymised", "是否已匿名化", "anonymised", "", "", kind="bool", source="bool", width=12),
    Column(
        "persons_source",
        "人数来源",
        "where the persons figure comes from",
        "如某次 ftzlist count 运行。",
        "E.g. an `ftzlist count` run.",
        width=24,
    ),
]

BOOL_TRUE = {"yes", "y", "true", "1", "是", "有"}
BOOL_FALSE = {"no", "n", "false", "0", "否", "无"}
NONE_WORDS = {"none", "无", "没有", "n/a"}
BOOL_CHOICES = ["yes | 是", "no | 否"]


def choice_label(id_: str, zh: str, en: str) -> str:
    """What a drop-down shows: the id first (what the reader keeps), then the names."""
    return f"{id_} | {zh} | {en}"


def choice_id(value: str) -> str:
    """The id part of a drop-down value (`pharma.rnd | 药物研发 | ...` -> `pharma.rnd`)."""
    return value.split("|", 1)[0].strip()
