"""`lists import` over a base whose scope binds every sector or several places (issue 17 §7 with §1).

A new edition imported with `--base` keeps the base's scope (same zone): a category-based list stays
bound to every sector, so its off-list rule covers every sector too, and a table that narrows a
sector to some enterprise types is an error naming the cell (nothing is written). A city-wide base
keeps its places.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ftzlist.authoring.scenarios import with_list
from ftzlist.cli import main
from ftzlist.engine import decide
from ftzlist.loader import Law, load_list_file
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

HEADER = "序号,行业领域,适用企业类型,出境路径,业务场景,数据类别,数据子类,基本特征及描述,出境规模"
ROWS = [
    "1,零售行业,{types},数据出境安全评估,所有场景,个人信息,个人信息（不含敏感个人信息）,会员个人信息,100万人以上",
    "2,,,个人信息出境标准合同,所有场景,个人信息,个人信息（不含敏感个人信息）,会员个人信息,10万人以上不满100万人",
]


def run(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue()


def table(tmp_path: Path, types: str = "") -> Path:
    p = tmp_path / "table.csv"
    p.write_text("\n".join([HEADER, ROWS[0].format(types=types), ROWS[1]]) + "\n", encoding="utf-8")
    return p


def import_over(
    tmp_path: Path, base: str, zone: str, list_id: str, *extra: str, types: str = ""
) -> tuple[int, str, Path]:
    out = tmp_path / f"{list_id}.yaml"
    code, text = run(
        "lists", "import", str(table(tmp_path, types)), "--id", list_id, "--zone", zone,
        "--issued", "2026-06-01", "--effective", "2026-06-01", "--base", base, "--out", str(out), *extra,
    )  # fmt: skip
    return code, text, out


def imported_law(law: Law, out: Path, replacing: str) -> Law:
    lf, digest = load_list_file(out)
    return with_list(law, lf, digest, replacing=[replacing])


def declaration(zone: str, sector: str, persons: int) -> Declaration:
    return Declaration.model_validate(
        {
            "handler": {"name": "Case Co.", "zone": zone, "sector": sector, "ciio": False},
            "flows": [
                {
                    "id": "f",
                    "recipient": {"name": "Recipient Ltd", "country": "DE"},
                    "purpose": "test",
                    "data": [
                        {"id": "d", "category": "contact.email", "subject": "customer", "persons": persons}
                    ],
                }
            ],
        }
    )


def test_a_category_based_base_keeps_every_sector(law: Law, tmp_path: Path) -> None:
    code, text, out = import_over(
        tmp_path,
        "tianjin-ftz-2024",
        "tianjin-ftz",
        "tianjin-ftz-2026",
        "--fills",
        "tj24.class13-personal-information",
    )
    assert code == 0, text
    lf, _ = load_list_file(out)
    assert lf.scope.sectors == "all"
    assert lf.off_list is not None and lf.off_list.sectors is None  # off the list in every sector
    assert [(s.sector, s.enterprise_types, s.scenarios) for s in lf.sectors] == [("retail", None, None)]
    mine = imported_law(law, out, "tianjin-ftz-2024")
    day = dt.date(2026, 6, 2)
    # retail, the table's sector: its bands (CBDF Art. 7/8 amounts as the table writes them)
    for persons, pathway in [
        (1_000_000, Pathway.security_assessment),
        (999_999, Pathway.standard_contract_or_certification),
        (100_000, Pathway.standard_contract_or_certification),
        (99_999, Pathway.exempt),  # off the list (CBDF Art. 6)
    ]:
        flow = decide(declaration("tianjin-ftz", "retail", persons), mine, day).flows[0]
        assert flow.pathway == pathway, persons
        assert flow.items[0].regime == "tianjin-ftz-2026"
    # a sector the table does not name is still bound, and its personal information is off the list
    flow = decide(declaration("tianjin-ftz", "logistics", 2_000_000), mine, day).flows[0]
    assert flow.items[0].regime == "tianjin-ftz-2026" and flow.pathway == Pathway.exempt


def test_a_category_based_base_refuses_enterprise_types(law: Law, tmp_path: Path) -> None:
    code, text, out = import_over(
        tmp_path, "tianjin-ftz-2024", "tianjin-ftz", "tianjin-ftz-2026", types="消费零售"
    )
    assert code == 2
    assert "sheet 'table', row 2, column C" in text
    assert "binds every sector whole (scope.sectors: all)" in text and "enterprise types of retail" in text
    assert "Value error" not in text  # one clear error, not the schema's echo
    assert not out.exists()


@pytest.mark.parametrize(
    ("base", "zone", "places"),
    [
        ("beijing-ftz-2025", "beijing-ftz", ["beijing"]),
        ("guangdong-ftz-2025", "guangdong-ftz", ["hetao-shenzhen-park"]),
    ],
)
def test_a_multi_place_base_keeps_its_places(
    law: Law, tmp_path: Path, base: str, zone: str, places: list[str]
) -> None:
    code, text, out = import_over(tmp_path, base, zone, f"{zone}-2027")
    assert code == 0, text
    lf, _ = load_list_file(out)
    assert lf.scope.places == places and lf.scope.zone == zone


def test_another_zone_starts_a_fresh_scope(law: Law, tmp_path: Path) -> None:
    """Imported for another zone, the base's places and sector scope are not carried over."""
    code, text, out = import_over(tmp_path, "tianjin-ftz-2024", "fujian-ftz", "testland-ftz-2026")
    assert code == 0, text
    lf, _ = load_list_file(out)
    assert lf.scope.zone == "fujian-ftz" and lf.scope.sectors == "listed" and lf.scope.places == []
    assert lf.off_list is not None and lf.off_list.sectors == ["retail"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_an_imported_list_exported_travels_with_its_registry_entry(
    law: Law, tmp_path: Path, fmt: str
) -> None:
    """The imported list cites its own registry entry (`imported.<id>`, in the instruments.yaml beside
    it). Its export, read back in another folder (counsel's), gives the same list: the workbook
    carries the entry, and the import registers it beside the new list file."""
    code, text, out = import_over(tmp_path, "tianjin-ftz-2024", "tianjin-ftz", "tianjin-ftz-2026")
    assert code == 0, text
    book = tmp_path / f"list.{fmt}"
    code, text = run(
        "lists", "export", "tianjin-ftz-2026", "--lists", str(out), "--format", fmt, "--out", str(book)
    )
    assert code == 0, text
    elsewhere = tmp_path / "counsel"
    elsewhere.mkdir()
    (elsewhere / book.name).write_bytes(book.read_bytes())
    again = elsewhere / "again.yaml"
    code, text = run("lists", "import", str(elsewhere / book.name), "--out", str(again))
    assert code == 0, text
    assert "imported.tianjin-ftz-2026" in (elsewhere / "instruments.yaml").read_text(encoding="utf-8")
    code, text = run("lists", "diff", str(out), str(again))
    assert code == 0 and "no differences" in text, text
    lf, _ = load_list_file(again)
    assert lf.scope.sectors == "all" and lf.off_list is not None and lf.off_list.sectors is None
