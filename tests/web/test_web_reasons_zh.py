"""Issue 14 F6 / issue 12 item 3: on the Chinese pages the engine's reasons, missing facts and
headroom lines are said in Chinese (from law/reasons.yaml), not as English engine sentences."""

from __future__ import annotations

import html
import re

from web_support import upload_example

ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}")
"""Three English words in a row: a sentence (ids such as health.adverse_event are single tokens)."""


def cells(page: str, pattern: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", " ", m)).strip() for m in re.findall(pattern, page, re.S)]


def english_left(text: str) -> list[str]:
    """English sentences in `text` once ids (dotted, dashed, bracketed words) are taken out."""
    text = re.sub(r"[\w.\-]*[._\-][\w.\-]*", " ", text)  # ids: cn24.ciio, health.adverse_event, non_sensitive
    return ENGLISH_SENTENCE.findall(text)


def test_zh_assessment_and_reasons_pages_show_no_english_engine_sentence(app, clients):
    c, csrf = clients["admin"]
    decl = upload_example(c, csrf)
    ds = app.state.workspace.assess(app.state.workspace.declaration(decl)[1], None)
    assert c.get(f"/lang/zh?next=/declarations/{decl}").status_code == 303
    page = c.get(f"/declarations/{decl}").text
    said_lines = 0
    for f in ds.flows:
        for h in f.headroom:
            assert h.message is not None and h.message.text.zh in html.unescape(page)
            assert h.label not in html.unescape(page)
            said_lines += 1
        for m in f.missing:
            if m.message is not None:
                assert m.message.text.zh in html.unescape(page) and m.why not in html.unescape(page)
                said_lines += 1
        fragment = c.get(f"/declarations/{decl}/reasons/{f.flow_id}", headers={"HX-Request": "true"}).text
        reasons = cells(fragment, r'<td class="reason">(.*?)</td>')
        assert len(reasons) == len(f.checks)
        for check, text in zip(f.checks, reasons, strict=True):
            assert check.message is not None, check.rule_id
            assert text == check.message.text.zh
            assert not english_left(text), (check.rule_id, text)
            said_lines += 1
    assert said_lines > 10
    for f in ds.flows:  # the English lines are not on the Chinese page, and the Chinese ones are not English
        for m in [*f.missing, *f.headroom]:
            if m.message is not None:
                assert not english_left(m.message.text.zh), m.message.text.zh


def test_en_pages_keep_the_english_sentences(app, clients):
    c, csrf = clients["admin"]
    decl = upload_example(c, csrf)
    ds = app.state.workspace.assess(app.state.workspace.declaration(decl)[1], None)
    assert c.get(f"/lang/en?next=/declarations/{decl}").status_code == 303
    f = ds.flows[0]
    fragment = c.get(f"/declarations/{decl}/reasons/{f.flow_id}", headers={"HX-Request": "true"}).text
    assert cells(fragment, r'<td class="reason">(.*?)</td>') == [c.reason for c in f.checks]
