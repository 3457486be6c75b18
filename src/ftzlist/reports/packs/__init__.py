"""Filing packs: the documents a handler files for each pathway, drafted from its declaration and
the decision on it, bilingual, each value traceable to the input it came from, each gap marked.

- standard contract: the contract's Appendix 1 per recipient, and the personal-information
  protection impact assessment report (CAC Order 13 Art. 5; SCC filing guide, Annex 3);
- security assessment: the declaration form's data sections and the self-assessment report
  (CAC Order 11 Arts. 5, 9; SA application guide, Annexes 2 and 3);
- a zone's list filing where the registry knows its materials (Fujian measures Art. 11);
- the evidence bundle for a regulator's question (`ftzlist.reports.packs.evidence`).

`draft` builds the documents (`model.PackDocument`); `write_documents` writes each as DOCX and/or
PDF plus `fields.json`, the list of every field with its value and source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftzlist.reports.packs.draft import Pack, draft
from ftzlist.reports.packs.model import PackDocument

if TYPE_CHECKING:
    from ftzlist.reports.labels import Lang

__all__ = ["Pack", "PackDocument", "draft", "fields_json", "write_document", "write_documents"]

FORMATS = ("docx", "pdf")


def write_document(doc: PackDocument, path: Path, fmt: str, lang: Lang = "bilingual") -> Path:
    """Write one pack document as `docx` or `pdf`."""
    if fmt == "docx":
        from ftzlist.reports.packs.docx import write_pack_docx

        return write_pack_docx(doc, path, lang)
    if fmt == "pdf":
        from ftzlist.reports.html import render_pdf
        from ftzlist.reports.packs.layout import layout

        return render_pdf(layout(doc, lang), path, template="pack.html.j2")
    from ftzlist.errors import InputError

    raise InputError(f"pack documents come as docx or pdf, not '{fmt}'")


def fields_json(pack: Pack) -> dict[str, Any]:
    """Every field of every document with its value and source: for review tools and for tests."""

    def value(v: object) -> object:
        return list(v) if isinstance(v, tuple) else v

    return {
        "documents": [
            {
                "id": d.id,
                "kind": d.kind,
                "guide": d.guide.id,
                "flows": d.flows,
                "gaps": len(d.gaps()),
                "fields": [
                    {
                        "section": f"{s.number} {s.title[0]}",
                        "label": list(f.label),
                        "value": value(f.value),
                        "source": str(f.source),
                        "gap": f.is_gap,
                    }
                    for s, f in d.fields()
                ],
            }
            for d in pack.documents
        ],
        "not_drafted": [{"what": w, "why": list(why)} for w, why in pack.not_drafted],
    }


def write_documents(
    pack: Pack, out_dir: Path, *, formats: tuple[str, ...] = FORMATS, lang: Lang = "bilingual"
) -> list[Path]:
    """Write every document of `pack` into `out_dir` (created) in each format, and `fields.json`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [
        write_document(d, out_dir / f"{d.id}.{fmt}", fmt, lang) for d in pack.documents for fmt in formats
    ]
    index = out_dir / "fields.json"
    index.write_text(json.dumps(fields_json(pack), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, index]
