"""The instruments registry: every citation names a registered instrument, is checked where it
stands (file and line), links to the provision it encodes, and reads the same in zh and en."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftzlist.authoring import validate_list
from ftzlist.errors import InputError
from ftzlist.loader import BUNDLED, INSTRUMENT_FILES, Law, load_law, load_list_file
from ftzlist.schema.common import Citation
from ftzlist.schema.instruments import article_zh, walk_citations
from ftzlist.yamlio import load_model

FUJIAN = BUNDLED / "fujian-ftz-2025.yaml"
LIST_FILES = sorted(p for p in BUNDLED.glob("*.yaml") if p.name not in INSTRUMENT_FILES)

SMALL = """\
id: testland-ftz-2026
family: testland-ftz
kind: negative_list
title: {zh: 测试清单, en: test list}
issuers: [{zh: 测试, en: test}]
effective_from: 2026-01-01
legal_basis: [cn.cbdf]
scope:
  zone: tianjin-ftz
  description: {zh: 测试, en: test}
sources:
  - title: official text
coverage:
  complete: true
off_list:
  id: t.off-list
  title: {zh: 清单外免予, en: off the list is exempt}
  pathway: exempt
  citation: {instrument: cn.cbdf, ref: Art. 6}
sectors:
  - sector: retail
    citation: {instrument: tianjin.ftz-list-2024, ref: retail, ref_zh: 零售}
items:
  - id: t.pi.contract
    title: {zh: 合同, en: contract band}
    pathway: standard_contract_or_certification
    data_class: personal_information
    sectors: [retail]
    persons: {min: 100000}
    group: t.pi
    citation: {instrument: tianjin.ftz-list-2024, ref: Art. 3, provision: t.art03}
provisions:
  - id: t.art03
    instrument: tianjin.ftz-list-2024
    ref: Art. 3
    title: {zh: 第3条, en: Art. 3}
    summary: {zh: 测试, en: test}
"""


def write(tmp_path: Path, text: str, name: str = "testland-ftz-2026.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def errors_of(path: Path, law: Law) -> list[str]:
    return [str(p) for p in validate_list(path, law) if p.severity == "error"]


def test_the_small_list_is_valid(tmp_path, law: Law) -> None:
    p = write(tmp_path, SMALL)
    assert errors_of(p, law) == []
    lf, _ = load_list_file(p)
    assert lf.items[0].citation.provision == "t.art03"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # an old free-text name: rejected, with the id that replaced it
        (
            "ref: Art. 3, provision: t.art03}",
            "ref: Art. 3}\n    status: V",
            None,
        ),
        (
            "citation: {instrument: tianjin.ftz-list-2024, ref: Art. 3, provision: t.art03}",
            "citation: {instrument: CBDF Provisions, ref: Art. 3}",
            ":{line}: t.pi.contract: items.0.citation: unknown instrument 'CBDF Provisions'; nearest: cn.cbdf",
        ),
        (
            "citation: {instrument: cn.cbdf, ref: Art. 6}",
            "citation: {instrument: cn.cbdfx, ref: Art. 6}",
            ":{line}: off_list.citation: unknown instrument 'cn.cbdfx'; nearest: cn.cbdf",
        ),
        (
            "ref: Art. 3, provision: t.art03}",
            "ref: Art. 3, provision: t.art33}",
            ":{line}: t.pi.contract: items.0.citation: provision 't.art33' is not in this list's provisions",
        ),
        (
            "citation: {instrument: tianjin.ftz-list-2024, ref: Art. 3, provision: t.art03}",
            "citation: {instrument: cn.cbdf, ref: Art. 3, provision: t.art03}",
            "provision 't.art03' is a provision of 'tianjin.ftz-list-2024', but the citation cites 'cn.cbdf'",
        ),
        (
            "ref: retail, ref_zh: 零售}",
            "ref: retail, ref_zh: 零售, also: [{instrument: cn.pipel, ref: Art. 38}]}",
            "sectors.0.citation: unknown instrument 'cn.pipel'; nearest: cn.pipl",
        ),
        (
            "legal_basis: [cn.cbdf]",
            "legal_basis: [cn.cbdf, Data Security Law]",
            ":{line}: legal_basis: unknown instrument 'Data Security Law'; nearest: cn.dsl",
        ),
        (
            "  - id: t.art03\n    instrument: tianjin.ftz-list-2024",
            "  - id: t.art03\n    instrument: tianjin.list",
            "provisions.0: unknown instrument 'tianjin.list'",
        ),
    ],
)
def test_unknown_ids_and_broken_links_name_file_and_line(tmp_path, law: Law, old, new, expected) -> None:
    assert old in SMALL
    text = SMALL.replace(old, new)
    p = write(tmp_path, text)
    errors = errors_of(p, law)
    if expected is None:
        assert errors == []
        return
    expected = expected.replace("{line}", str(text[: text.index(new)].count("\n") + 1))
    assert any(expected in e and e.startswith(str(p)) for e in errors), errors
    with pytest.raises(InputError) as exc:
        load_list_file(p)
    problems = [str(x) for x in exc.value.problems]
    assert any(expected.split(" t.pi.contract: ")[-1] in x and x.startswith(str(p)) for x in problems), (
        problems
    )


def test_a_written_label_is_replaced_by_the_registry(tmp_path, law: Law) -> None:
    p = write(
        tmp_path,
        SMALL.replace(
            "ref: retail, ref_zh: 零售}", "ref: retail, ref_zh: 零售, label: {zh: 伪, en: forged}}"
        ),
    )
    lf, _ = load_list_file(p)
    assert lf.sectors[0].citation.text("en") == "Tianjin FTZ list 2024 retail"
    warnings = [str(x) for x in validate_list(p, law) if x.severity == "warning"]
    assert any("`label` is made from the instruments registry" in w for w in warnings), warnings


def test_a_list_may_cite_itself_before_its_instrument_is_registered(tmp_path, law: Law) -> None:
    text = SMALL.replace(
        "ref: retail, ref_zh: 零售}", "ref: retail, ref_zh: 零售}".replace("retail,", "retail,")
    ).replace(
        "citation: {instrument: tianjin.ftz-list-2024, ref: retail",
        "citation: {instrument: testland-ftz-2026, ref: retail",
    )
    p = write(tmp_path, text)
    lf, _ = load_list_file(p)
    assert lf.sectors[0].citation.text("zh") == "《测试清单》零售"
    assert errors_of(p, law) == []


def test_a_missing_provision_link_is_a_warning(tmp_path, law: Law) -> None:
    p = write(tmp_path, SMALL.replace("ref: Art. 3, provision: t.art03}", "ref: Art. 3(2)}"))
    warnings = [str(x) for x in validate_list(p, law) if x.severity == "warning"]
    assert any("cites Art. 3(2) of tianjin.ftz-list-2024, kept as provision 't.art03'" in w for w in warnings)


def test_a_prose_ref_without_chinese_is_a_warning(tmp_path, law: Law) -> None:
    p = write(tmp_path, SMALL.replace("ref: retail, ref_zh: 零售}", "ref: retail}"))
    warnings = [str(x) for x in validate_list(p, law) if x.severity == "warning"]
    assert any("citation ref 'retail' is not an article reference and has no `ref_zh`" in w for w in warnings)


def test_a_folder_registers_its_own_instruments(tmp_path) -> None:
    write(tmp_path, SMALL.replace("instrument: tianjin.ftz-list-2024", "instrument: testland.list-2026"))
    with pytest.raises(InputError) as exc:
        load_law([tmp_path])
    assert any("unknown instrument 'testland.list-2026'" in str(p) for p in exc.value.problems)
    write(
        tmp_path,
        "instruments:\n  - id: testland.list-2026\n    kind: list\n    title: {zh: 测试清单, en: Testland list}\n"
        "    status: U\n",
        "instruments.yaml",
    )
    law = load_law([tmp_path])
    c = law.lists.get("testland-ftz-2026").items[0].citation
    assert (c.text("en"), c.text("zh")) == ("Testland list Art. 3", "《测试清单》第3条")
    assert "testland.list-2026" in law.instruments and "cn.cbdf" in law.instruments


def test_an_instrument_defined_twice_differently_is_an_error(tmp_path) -> None:
    write(tmp_path, SMALL)
    write(
        tmp_path,
        "instruments:\n  - id: cn.cbdf\n    kind: law\n    title: {zh: 伪, en: forged}\n    status: U\n",
        "instruments.yaml",
    )
    with pytest.raises(InputError, match="instrument registries disagree") as exc:
        load_law([tmp_path])
    assert any("'cn.cbdf' is also defined, differently" in str(p) for p in exc.value.problems)


@pytest.mark.parametrize(
    ("ref", "zh"),
    [
        ("Art. 7", "第7条"),
        ("Art. 7(2)", "第7条(2)"),
        ("Art. 38(1)(2)", "第38条(1)(2)"),
        ("Arts. 7, 8", "第7、8条"),
        ("Arts. 28, 29, 30", "第28、29、30条"),
        ("Arts. 5-14", "第5至14条"),
        ("Arts. 5, 7-9", "第5、7至9条"),
        ("Arts. 2, 7(2)", "第2条、第7条(2)"),
        ("Arts. 5(4), 7, 8", "第5条(4)、第7条、第8条"),
        ("Art. 8, tier 1 (1)", None),
        ("pharmaceuticals, tier 1", None),
        ("Article 7", None),
    ],
)
def test_article_references_in_chinese(ref, zh) -> None:
    assert article_zh(ref) == zh


def test_labels_in_both_languages(law: Law) -> None:
    c = law.instruments.cite("cn.cbdf", "Art. 10", also=[{"instrument": "cn.pipl", "ref": "Arts. 39, 55"}])
    assert c.text("en") == "CBDF Provisions Art. 10; PIPL Arts. 39, 55"
    assert c.text("zh") == "《促进和规范数据跨境流动规定》第10条；《个人信息保护法》第39、55条"
    assert str(c) == c.text("en")
    with pytest.raises(KeyError, match=r"nearest: cn\.cbdf"):
        law.instruments.cite("CBDF Provisions", "Art. 6")
    bare = Citation(instrument="cn.cbdf", ref="Art. 6", ref_zh="第六条")
    assert (bare.text("en"), bare.text("zh")) == ("cn.cbdf Art. 6", "cn.cbdf 第六条")


def test_fujian_items_cite_the_measures_list_and_reference_rule(law: Law) -> None:
    lf = law.lists.get("fujian-ftz-2025")
    by_id = {it.id: it for it in lf.items}
    assert by_id["fj25.core-data"].citation.provision == "fj25.art20"
    assert (
        by_id["fj25.core-data"].citation.text("zh")
        == "《福建自贸试验区数据出境负面清单管理办法（试行）》第20条"
    )
    assert lf.off_list is not None and lf.off_list.citation.provision == "fj25.art10"
    instruments = {c.instrument for _, c in walk_citations(lf)}
    assert instruments == {
        "fujian.ftz-measures-2025",
        "fujian.ftz-reference-rule-2025",
        "fujian.ftz-list-2025",
    }
    assert {p.instrument for p in lf.provisions} == {"fujian.ftz-measures-2025"}


@pytest.mark.parametrize("path", LIST_FILES, ids=lambda p: p.stem)
def test_every_bundled_citation_is_registered_and_reads_in_both_languages(law: Law, path: Path) -> None:
    lf = law.lists.get(path.stem)
    cites = list(walk_citations(lf))
    assert cites
    for loc, c in cites:
        assert c.label is not None, loc
        assert c.instrument in law.instruments, loc
        # the Chinese label carries no English locator: every prose ref has its ref_zh
        assert c.ref_zh is not None or article_zh(c.ref) is not None, (loc, c.ref)
    assert all(i in law.instruments for i in lf.legal_basis)
    warnings = [
        str(x) for x in validate_list(path, law) if x.severity == "warning" and "citation" in x.message
    ]
    assert warnings == []


def test_vocabulary_citations_are_labelled(law: Law) -> None:
    grounds = law.vocabulary.sensitive_grounds
    assert grounds and all(g.citation.text("en") == "PIPL Art. 28" for g in grounds.values())  # type: ignore[attr-defined]


def test_every_registry_entry_says_where_its_facts_come_from() -> None:
    from ftzlist.schema.instruments import InstrumentsFile

    reg = load_model(InstrumentsFile, BUNDLED / "instruments.yaml")
    ids = [i.id for i in reg.instruments]
    assert len(ids) == len(set(ids))
    for ins in reg.instruments:
        assert ins.sources, ins.id
        if ins.status == "C":
            assert ins.note, f"{ins.id} is tagged [C] without a note giving both versions"
        if ins.effective_from and ins.issued:
            assert ins.issued <= ins.effective_from, ins.id
