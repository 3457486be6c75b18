"""The reading documents of the lists (issue 12 item 2): made from the list files, never by hand.

docs/lists/<list id>.md must equal what `ftzlist lists doc` makes from the bundled file, so the page
cannot say what the data does not; every article, rule, citation, reading and missing part of the
file is on it."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ftzlist.cli import main
from ftzlist.loader import Law
from ftzlist.render.listdoc import reading_document
from ftzlist.schema.instruments import walk_citations
from ftzlist.schema.lists import ListFile

DOCS = Path(__file__).parents[2] / "docs" / "lists"
REGENERATE = "ftzlist lists doc --all --out docs/lists --force"


@dataclass
class Run:
    exit_code: int
    stdout: str
    output: str  # stdout and stderr


def run_cli(*args: str) -> Run:
    """`ftzlist ARGS` as the console script runs it (`ftzlist.cli.main`)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Run(code, out.getvalue(), out.getvalue() + err.getvalue())


def bundled(law: Law) -> list[ListFile]:
    return list(law.lists)


def test_every_bundled_list_has_its_document_and_it_is_current(law: Law) -> None:
    stale = [
        lf.id
        for lf in bundled(law)
        if not (DOCS / f"{lf.id}.md").is_file()
        or (DOCS / f"{lf.id}.md").read_text(encoding="utf-8")
        != reading_document(lf, law, "en", file=law.lists.paths[lf.id].name)
    ]
    assert stale == [], f"run `{REGENERATE}` (the list data changed): {', '.join(stale)}"


def test_no_document_without_a_list(law: Law) -> None:
    """A page whose list is gone (renamed, retired) would still be read: none may stay."""
    ids = {lf.id for lf in bundled(law)}
    assert sorted(p.stem for p in DOCS.glob("*.md") if p.stem not in ids) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_everything_the_file_encodes_is_on_the_page(law: Law, lang: str) -> None:
    for lf in bundled(law):
        page = reading_document(lf, law, lang)
        rules = [*lf.items, *([lf.off_list] if lf.off_list else [])]
        for it in rules:
            assert page.count(f"`{it.id}`") >= 2, (lf.id, it.id)  # placed under its citation, and tabled
            if it.reading:
                assert it.reading in page, (lf.id, it.id)
        for p in lf.provisions:
            assert p.summary.en in page if lang == "en" else p.summary.zh in page, (lf.id, p.id)
        for m in lf.coverage.missing:
            assert f"`{m.id}`" in page, (lf.id, m.id)
        for proc in lf.procedures:
            assert all(f"`{s.id}`" in page for s in proc.steps), (lf.id, proc.id)
        for loc, c in walk_citations(lf):
            if loc[0] in ("provisions", "catalogue"):
                continue
            if c.note:
                assert c.note in page, (lf.id, loc)


def test_a_rule_stands_under_the_article_it_encodes(law: Law) -> None:
    lf = law.lists.get("fujian-ftz-2025")
    page = reading_document(lf, law)
    art20 = page.index("### Fujian FTZ measures Art. 20 ")
    art21 = page.index("### Fujian FTZ measures Art. 21 ")
    assert art20 < page.index("`fj25.core-data`") < art21
    art1 = page.index("### Fujian FTZ measures Art. 1 ")
    assert (
        "Kept for reference; no rule encodes it."
        in page[art1 : page.index("### Fujian FTZ measures Art. 2 ")]
    )
    # an unlinked citation goes under what it cites: Part C bands under their tier
    tier2 = page.index("### Fujian FTZ list 2025 pharmaceuticals, tier 2\n")
    assert (
        tier2
        < page.index("rule `fj25.pharma.patients.t2`")
        < page.index("### Fujian FTZ list 2025 pharmaceuticals, tier 1\n")
    )
    assert "10,000–<50,000 persons" in page
    # a disputed first day says both dates and the reading the engine takes
    assert "2025-12-18 [V2]" in page and "2025-12-25 [V2]" in page and "stricter" in page


def test_the_chinese_page_is_chinese_where_the_data_is(law: Law) -> None:
    lf = law.lists.get("fujian-ftz-2025")
    page = reading_document(lf, law, "zh")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings and all(re.search(r"[\u4e00-\u9fff]", h) for h in headings), headings
    assert "数据出境安全评估" in page and "security assessment**" not in page
    # free text the data has only in English is marked, never passed off as Chinese
    reading = lf.items[[i.id for i in lf.items].index("fj25.ciio")].reading
    assert f"（仅英文）{reading}" in page


def test_lists_doc_command(tmp_path: Path, law: Law) -> None:
    res = run_cli("lists", "doc", "hainan-ftp-2024")
    assert res.exit_code == 0 and res.stdout.startswith("# Hainan Free Trade Port")
    out = tmp_path / "hn.md"
    assert run_cli("lists", "doc", "hainan-ftp-2024", "--out", str(out)).exit_code == 0
    first = out.read_text(encoding="utf-8")
    again = run_cli("lists", "doc", "hainan-ftp-2024", "--out", str(out))
    assert again.exit_code == 2 and "--force" in again.output and out.read_text(encoding="utf-8") == first
    assert (
        run_cli("lists", "doc", "hainan-ftp-2024", "--out", str(out), "--force", "--lang", "zh").exit_code
        == 0
    )
    assert out.read_text(encoding="utf-8").startswith("# 海南自由贸易港")
    many = run_cli("lists", "doc", "--all", "--out", str(tmp_path), "--lang", "zh")
    assert many.exit_code == 0
    assert {p.name for p in tmp_path.glob("*.zh.md")} == {f"{lf.id}.zh.md" for lf in law.lists}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["lists", "doc"], "name the lists"),
        (["lists", "doc", "hainan-ftp-2024", "--all"], "not both"),
        (["lists", "doc", "hainan-ftp-2024", "tianjin-ftz-2024"], "--out must name an existing folder"),
        (["lists", "doc", "hainan-ftp-2025"], "no list 'hainan-ftp-2025'"),
    ],
)
def test_lists_doc_refuses_what_it_cannot_do(args: list[str], words: str) -> None:
    res = run_cli(*args)
    assert res.exit_code == 2 and words in res.output, res.output


def test_lists_doc_takes_a_list_file(tmp_path: Path) -> None:
    src = Path(__file__).parents[1] / "fixtures" / "lists" / "fujian-ftz-2027.yaml"
    res = run_cli("lists", "doc", str(src))
    assert res.exit_code == 0, res.output
    assert "Generated from the list file `fujian-ftz-2027.yaml`" in res.stdout
