"""`lists validate`: a transcriber's mistakes are rejected with the file, line and item named."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftzlist.authoring import skeleton, validate_list
from ftzlist.loader import Law

GOOD = """\
id: testland-ftz-2026
family: testland-ftz
kind: negative_list
title: {zh: 测试清单, en: test list}
issuers:
  - {zh: 测试机关, en: test issuer}
issued: 2026-01-01
effective_from: 2026-01-01
scope:
  zone: tianjin-ftz
  description: {zh: 测试, en: test}
sources:
  - title: official text
status: V
coverage:
  complete: true
off_list:
  id: t.off-list
  title: {zh: 清单外免予, en: off the list is exempt}
  pathway: exempt
  citation: {instrument: cn.cbdf, ref: Art. 6}
sectors:
  - sector: retail
    citation: {instrument: tianjin.ftz-list-2024, ref: Part 1}
items:
  - id: t.pi.contract
    title: {zh: 合同, en: contract band}
    pathway: standard_contract_or_certification
    data_class: personal_information
    sectors: [retail]
    persons: {min: 100000, max: 1000000}
    group: t.pi
    citation: {instrument: tianjin.ftz-list-2024, ref: Item 1}
  - id: t.pi.assessment
    title: {zh: 评估, en: assessment band}
    pathway: security_assessment
    data_class: personal_information
    sectors: [retail]
    persons: {min: 1000000}
    group: t.pi
    citation: {instrument: tianjin.ftz-list-2024, ref: Item 2}
"""


def check(tmp_path: Path, law: Law, text: str) -> list[str]:
    p = tmp_path / "testland-ftz-2026.yaml"
    p.write_text(text, encoding="utf-8")
    return [str(x) for x in validate_list(p, law) if x.severity == "error"]


def test_a_good_file_passes(tmp_path, law: Law) -> None:
    assert check(tmp_path, law, GOOD) == []


def test_overlapping_bands(tmp_path, law: Law) -> None:
    errors = check(tmp_path, law, GOOD.replace("persons: {min: 1000000}", "persons: {min: 900000}"))
    assert len(errors) == 1
    assert (
        "testland-ftz-2026.yaml:31: t.pi.contract: band 100,000–<1,000,000 overlaps band 900,000+"
        in errors[0]
    )


def test_gap_between_bands(tmp_path, law: Law) -> None:
    errors = check(tmp_path, law, GOOD.replace("persons: {min: 1000000}", "persons: {min: 1200000}"))
    assert len(errors) == 1
    assert (
        "testland-ftz-2026.yaml:39: t.pi.assessment: gap in group 't.pi': persons from 1,000,000 to 1,199,999"
        in errors[0]
    )


def test_missing_top_tier(tmp_path, law: Law) -> None:
    text = GOOD[: GOOD.index("  - id: t.pi.assessment")]
    errors = check(tmp_path, law, text)
    assert any("t.pi.contract: the highest band of group 't.pi' ends at 1,000,000" in e for e in errors)


def test_duplicate_ids_name_both_lines(tmp_path, law: Law) -> None:
    errors = check(tmp_path, law, GOOD.replace("id: t.pi.assessment", "id: t.pi.contract"))
    assert any(
        ":34: t.pi.contract: duplicate id 't.pi.contract' (first defined at line 26)" in e for e in errors
    ), errors


def test_missing_citation(tmp_path, law: Law) -> None:
    errors = check(
        tmp_path, law, GOOD.replace("    citation: {instrument: tianjin.ftz-list-2024, ref: Item 2}\n", "")
    )
    assert any(":34: t.pi.assessment: no citation" in e for e in errors), errors


def test_placeholder_citation(tmp_path, law: Law) -> None:
    errors = check(tmp_path, law, GOOD.replace("ref: Item 2", "ref: TODO"))
    assert any(
        "t.pi.assessment: citation 'Tianjin FTZ list 2024 TODO' is a placeholder" in e for e in errors
    ), errors


def test_unknown_vocabulary_names_the_nearest(tmp_path, law: Law) -> None:
    errors = check(
        tmp_path,
        law,
        GOOD.replace(
            "sectors: [retail]\n    persons: {min: 1000000}", "sectors: [retial]\n    persons: {min: 1000000}"
        ),
    )
    assert any("t.pi.assessment: unknown sector 'retial'; nearest valid: retail" in e for e in errors), errors


def test_schema_errors_carry_line_and_item(tmp_path, law: Law) -> None:
    errors = check(tmp_path, law, GOOD.replace("pathway: security_assessment", "pathway: assessment"))
    assert any(":36: t.pi.assessment: items.1.pathway:" in e for e in errors), errors


def test_dates_out_of_order(tmp_path, law: Law) -> None:
    errors = check(
        tmp_path, law, GOOD.replace("issued: 2026-01-01\n", "issued: 2026-01-01\ntrial_until: 2025-01-01\n")
    )
    assert any("trial_until 2025-01-01 is before effective_from 2026-01-01" in e for e in errors), errors


def test_conflict_tag_needs_both_versions(tmp_path, law: Law) -> None:
    errors = check(
        tmp_path,
        law,
        GOOD.replace(
            "    citation: {instrument: tianjin.ftz-list-2024, ref: Item 2}\n",
            "    citation: {instrument: tianjin.ftz-list-2024, ref: Item 2}\n    status: C\n",
        ),
    )
    assert any("t.pi.assessment: tagged [C] (sources conflict) but has no `note`" in e for e in errors), (
        errors
    )


def test_overlapping_editions_are_a_warning(tmp_path, law: Law) -> None:
    p = tmp_path / "tianjin-ftz-2026.yaml"
    p.write_text(GOOD.replace("family: testland-ftz", "family: tianjin-ftz"), encoding="utf-8")
    warnings = [str(x) for x in validate_list(p, law) if x.severity == "warning"]
    assert any("in force at the same time as edition 'tianjin-ftz-2024'" in w for w in warnings), warnings


def test_a_fresh_skeleton_loads_but_does_not_validate(tmp_path, law: Law) -> None:
    text = skeleton("testland-ftz-2026", zone="tianjin-ftz", sector="retail")
    errors = check(tmp_path, law, text)
    assert errors and all("placeholder" in e for e in errors)
    filled = text.replace("instrument: TODO", "instrument: tianjin.ftz-list-2024").replace("TODO", "Filled")
    assert check(tmp_path, law, filled) == []


@pytest.mark.parametrize("kind", ["negative_list", "positive_list"])
def test_skeleton_parses_as_a_list(tmp_path, law: Law, kind) -> None:
    from ftzlist.loader import load_list_file

    p = tmp_path / "x.yaml"
    p.write_text(skeleton("testland-ftz-2026", zone="tianjin-ftz", kind=kind), encoding="utf-8")
    lf, _ = load_list_file(p)
    assert lf.kind == kind
