"""Words shared by every rendering: how pathways and check outcomes read."""

from __future__ import annotations

from ftzlist.schema.common import Pathway

PATHWAY_LABEL: dict[Pathway, str] = {
    Pathway.security_assessment: "security assessment",
    Pathway.standard_contract_or_certification: "standard contract or certification",
    Pathway.exempt: "exempt",
    Pathway.other_lawful_path: "other lawful path",
    Pathway.national_core_data: "national core data",
    Pathway.export_control: "export control",
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

OUTCOME_MARK = {"fired": "✔", "not_fired": "·", "unknown": "?", "lifted": "↧", "overridden": "↷"}
