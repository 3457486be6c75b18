"""The PDF report: Chinese text extracts, the bundled font is embedded, pages render to real glyphs.

The PDF is rendered once per module (WeasyPrint takes a few seconds). Text is extracted and pages
rasterised with pypdfium2 (a dev dependency, PDFium wheels): no poppler needed on CI.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from ftzlist.reports import render_report
from ftzlist.reports.context import build_context
from ftzlist.reports.fonts import missing_glyphs

# Set FTZLIST_TEST_ARTEFACTS=DIR to keep the rendered page for a person to look at.
ARTEFACTS = Path(os.environ["FTZLIST_TEST_ARTEFACTS"]) if os.environ.get("FTZLIST_TEST_ARTEFACTS") else None


@pytest.fixture(scope="module")
def pdf(ds, decl, law, extras, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "xiamen-pharma.pdf"
    render_report(ds, decl, law, "pdf", out, lang="bilingual", extras=extras)
    return out


@pytest.fixture(scope="module")
def text(pdf) -> str:
    doc = pdfium.PdfDocument(str(pdf))
    return "\n".join(page.get_textpage().get_text_range() for page in doc)


def test_pdf_text_has_chinese_item_names_and_flow_ids(text, ds, law):
    for f in ds.flows:
        assert f"Flow {f.flow_id}" in text
        for item in f.items:
            name = law.vocabulary.categories[item.category].name.zh
            assert name in text, name
    assert "数据出境合规评估报告" in text
    assert "按出境路径统计的活动" in text and "下一步应办事项" in text


def test_pdf_shows_list_versions_and_hashes(text, ds):
    for ref in ds.lists:
        assert ref.id in text
        assert ref.sha256 in text.replace("\r", "").replace("\n", "")


def test_pdf_has_optional_sections_when_given(text):
    assert "累计人数与阈值" in text  # person-count chart heading
    assert "各自贸区比较" in text and "fujian-ftz" in text and "tianjin-ftz" in text
    assert "申报日历" in text and "续期申请截止" in text


def test_pdf_embeds_the_bundled_font(pdf):
    doc = pdfium.PdfDocument(str(pdf))
    names = set()
    for page in doc:
        tp = page.get_textpage()
        for i in range(0, tp.count_chars(), 5):
            buf = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            pdfium_c.FPDFText_GetFontInfo(tp.raw, i, buf, 256, ctypes.byref(flags))
            names.add(buf.value.decode("latin-1").split("+")[-1])
    names.discard("")
    assert names <= {"ftzlist-Sans-SC", "ftzlist-Sans-SC-Bold"}, names
    assert "ftzlist-Sans-SC" in names


def test_every_character_printed_has_a_glyph(ds, decl, law, extras):
    from ftzlist.reports.html import render_html

    for lang in ("zh", "en", "bilingual"):
        html = render_html(build_context(ds, decl, law, lang, extras))
        assert missing_glyphs(html) == []


def test_pdf_pages_render_to_ink(pdf, tmp_path):
    """Rasterise page 1; the artefact PNG is what a person checks for glyphs rather than boxes."""
    doc = pdfium.PdfDocument(str(pdf))
    assert len(doc) >= 1 + len(doc) // 2
    image = doc[0].render(scale=1.5).to_pil().convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 5000
    for target in (tmp_path, ARTEFACTS):
        if target is not None:
            target.mkdir(parents=True, exist_ok=True)
            image.save(target / "report-page-1.png")


def test_pdf_size_is_modest(pdf):
    assert pdf.stat().st_size < 2_000_000
