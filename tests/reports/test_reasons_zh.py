"""Issue 12 item 3 / issue 14 F6: the Chinese DOCX report of the Xiamen example says the engine's
reasons and missing facts in Chinese (law/reasons.yaml), none of the English engine sentences."""

from __future__ import annotations

import docx

from ftzlist.reports import render_report


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for t in document.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_zh_docx_report_has_no_english_engine_sentence(ds, decl, law, tmp_path):
    text = _all_text(docx.Document(str(render_report(ds, decl, law, "docx", tmp_path / "r.docx", lang="zh"))))
    english = [
        m.text.en
        for f in ds.flows
        for m in [*(c.message for c in f.checks), *(x.message for x in f.missing)]
        if m is not None and m.text.en != m.text.zh and " " in m.text.en
    ]
    assert english, "the example gives engine sentences to look for"
    leaked = sorted({s for s in english if s in text})
    assert not leaked, leaked
    chinese = {c.message.text.zh for f in ds.flows for c in f.checks if c.message is not None}
    assert any(s in text for s in chinese)


def test_en_docx_report_keeps_the_english_sentences(ds, decl, law, tmp_path):
    text = _all_text(docx.Document(str(render_report(ds, decl, law, "docx", tmp_path / "r.docx", lang="en"))))
    assert any(c.reason in text for f in ds.flows for c in f.checks if c.reason)
