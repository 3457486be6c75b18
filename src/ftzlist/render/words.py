"""Words shared by every rendering: how pathways and check outcomes read."""

from __future__ import annotations

from ftzlist.schema.common import PATHWAY_LABEL, Pathway

__all__ = ["OUTCOME_MARK", "PATHWAY_LABEL", "PATHWAY_STYLE"]

PATHWAY_STYLE: dict[Pathway, str] = {
    Pathway.security_assessment: "bold red",
    Pathway.standard_contract_or_certification: "yellow",
    Pathway.exempt: "green",
    Pathway.other_lawful_path: "magenta",
    Pathway.national_core_data: "bold white on red",
    Pathway.export_control: "bold white on red",
    Pathway.undetermined: "bold cyan",
}

OUTCOME_MARK = {"fired": "✔", "not_fired": "·", "unknown": "?", "lifted": "↧", "overridden": "↷"}
