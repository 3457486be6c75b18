"""Reports a regulator and a board can read: HTML, PDF, DOCX and XLSX renderings of a `DecisionSet`,
and the filing materials a Fujian-style list filing asks for.

`render_report` is the one entry point; every format is built from one context
(`ftzlist.reports.context`), so the formats never disagree. Optional sections (person counts, zone
comparison, filing calendar) appear only when `ReportExtras` supplies them. Heavy libraries
(WeasyPrint, python-docx, openpyxl, Pillow) are imported inside the functions that use them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ftzlist.errors import InputError

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.reports.labels import Lang
    from ftzlist.reports.model import ReportExtras
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.schema.declaration import Declaration

ReportFormat = Literal["html", "pdf", "docx", "xlsx"]
FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "xlsx")


def render_report(
    ds: DecisionSet,
    decl: Declaration | None,
    law: Law | None,
    fmt: ReportFormat,
    out: Path,
    *,
    lang: Lang = "bilingual",
    extras: ReportExtras | None = None,
    explain: bool = False,
    current_pathways: dict[str, str] | None = None,
) -> Path:
    """Write the assessment report in `fmt` to `out` and return the path."""
    out = Path(out)
    if fmt == "xlsx":
        from ftzlist.reports.workbook import write_decisions

        return write_decisions(
            ds, law, out, lang=lang, extras=extras, current_pathways=current_pathways, declaration=decl
        )
    from ftzlist.reports.context import build_context

    ctx = build_context(ds, decl, law, lang, extras, explain=explain)
    if fmt == "html":
        from ftzlist.reports.html import render_html

        out.write_text(render_html(ctx), encoding="utf-8")
        return out
    if fmt == "pdf":
        from ftzlist.reports.html import render_pdf

        return render_pdf(ctx, out)
    if fmt == "docx":
        from ftzlist.reports.docx import render_docx

        return render_docx(ctx, out)
    raise InputError(f"unknown report format '{fmt}'; expected one of {', '.join(FORMATS)}")


def render_filing(
    ds: DecisionSet, decl: Declaration, law: Law, fmt: Literal["docx", "xlsx"], out: Path
) -> Path:
    """Write a zone's list-filing materials in Chinese (Fujian measures Art. 11) to `out`."""
    from ftzlist.reports.filing import write_filing_docx, write_filing_xlsx, zone_documents

    if fmt not in ("docx", "xlsx"):
        raise InputError(f"filing materials come as docx or xlsx, not '{fmt}'")
    docs = zone_documents(ds, decl, law)
    return write_filing_docx(docs, Path(out)) if fmt == "docx" else write_filing_xlsx(docs, Path(out))
