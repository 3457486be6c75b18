"""How pathways and check outcomes read: the one table every output uses (terminal, Markdown,
reports, workbooks, the inventory template's drop-downs).

Pathway names follow the CBDF Provisions' own terms, Chinese beside English. `PATHWAY_LABEL` is the
English prose form ("standard contract or certification"), `PATHWAY_SHORT` the form for narrow
table cells, `PATHWAY_STYLE` the terminal colour.
"""

from __future__ import annotations

from ftzlist.schema.common import PATHWAY_LABEL, Pathway
from ftzlist.schema.decision import FlowDecision

__all__ = [
    "OUTCOMES",
    "OUTCOME_MARK",
    "PATHWAYS",
    "PATHWAY_LABEL",
    "PATHWAY_SHORT",
    "PATHWAY_STYLE",
    "undetermined_why",
]

PATHWAYS: dict[str, tuple[str, str]] = {
    "security_assessment": ("数据出境安全评估", "security assessment"),
    "standard_contract_or_certification": (
        "个人信息出境标准合同或个人信息保护认证",
        "standard contract or certification",
    ),
    "exempt": ("免予申报", "exempt"),
    "other_lawful_path": ("其他合法途径", "other lawful path"),
    "national_core_data": ("国家核心数据（禁止出境）", "national core data (may not leave)"),
    "export_control": ("出口管制", "export control"),
    "undetermined": ("待定（缺少事实）", "undetermined (facts missing)"),
}
"""(Chinese, English) name of each pathway, keyed by its value."""

PATHWAY_SHORT: dict[Pathway, str] = {
    Pathway.security_assessment: "SA",
    Pathway.standard_contract_or_certification: "SCC/cert",
    Pathway.exempt: "exempt",
    Pathway.other_lawful_path: "other path",
    Pathway.national_core_data: "core data",
    Pathway.export_control: "export ctl",
    Pathway.undetermined: "undetermined",
}

PATHWAY_STYLE: dict[Pathway, str] = {
    Pathway.security_assessment: "bold red",
    Pathway.standard_contract_or_certification: "yellow",
    Pathway.exempt: "green",
    Pathway.other_lawful_path: "magenta",
    Pathway.national_core_data: "bold white on red",
    Pathway.export_control: "bold white on red",
    Pathway.undetermined: "bold cyan",
}

OUTCOMES: dict[str, tuple[str, str]] = {
    "fired": ("适用", "applies"),
    "not_fired": ("不适用", "does not apply"),
    "unknown": ("未知", "unknown"),
    "lifted": ("已解除", "lifted"),
    "overridden": ("被覆盖", "overridden"),
}
"""(Chinese, English) reading of a check's outcome."""

OUTCOME_MARK = {"fired": "✔", "not_fired": "·", "unknown": "?", "lifted": "↧", "overridden": "↷"}


def undetermined_why(fd: FlowDecision) -> str:
    """Why a flow is undetermined: facts the user can supply, law not encoded, or both."""
    kinds = {m.kind for m in fd.missing}
    return ", ".join(w for k, w in (("fact", "facts missing"), ("law", "law not encoded")) if k in kinds)
