"""Helpers for counting tests: tiny hand-built logs, a fixture list file, one key."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from ftzlist.counting import count_persons, expand
from ftzlist.counting.mapping import Mapping
from ftzlist.identifiers.resident_id import check_char
from ftzlist.schema.lists import ListFile

KEY = b"test-key-0123456789abcdef"
AS_OF = dt.date(2025, 6, 30)

COLUMNS = ["date", "flow", "item", "sens", "rid", "pp", "ppc", "phone", "email", "cust", "ground"]

MAPPING = {
    "date": {"column": "date"},
    "flow": {"column": "flow"},
    "data_item": {"column": "item"},
    "sensitivity": {"column": "sens", "values": {"S": "sensitive", "N": "non_sensitive"}},
    "exemption": {"column": "ground", "values": {"HR": "cbdf-art5-2", "CT": "cbdf-art5-1"}},
    "identifiers": [
        {"kind": "resident_id", "column": "rid"},
        {"kind": "passport", "column": "pp", "country_column": "ppc"},
        {"kind": "phone", "column": "phone"},
        {"kind": "email", "column": "email"},
        {"kind": "customer_id", "column": "cust", "namespace": "crm"},
    ],
}


def rid(seq: int, birth: str = "19900101", area: str = "350203") -> str:
    """A valid 18-digit resident ID number."""
    first = f"{area}{birth}{seq:03d}"
    return first + check_char(first)


def bad_rid(seq: int) -> str:
    good = rid(seq)
    return good[:17] + ("0" if good[17] != "0" else "1")


def fixture_list(thresholds: tuple[int, ...] = (3, 5), sensitive: tuple[int, ...] = (2,)) -> ListFile:
    """A tiny list: non-sensitive bands at `thresholds`, sensitive at `sensitive`."""
    cite = {"instrument": "Test", "ref": "Art. 1"}
    items = []
    for n, t in enumerate(thresholds):
        items.append(
            {
                "id": f"t.ns{n}",
                "title": {"zh": "测试", "en": "test"},
                "level": "base",
                "pathway": "standard_contract_or_certification",
                "data_class": "personal_information",
                "sensitivity": "non_sensitive",
                "persons": {"min": t},
                "group": "t.non-sensitive",
                "citation": cite,
            }
        )
    for n, t in enumerate(sensitive):
        items.append(
            {
                "id": f"t.s{n}",
                "title": {"zh": "测试", "en": "test"},
                "level": "base",
                "pathway": "security_assessment",
                "data_class": "personal_information",
                "sensitivity": "sensitive",
                "persons": {"min": t},
                "group": "t.sensitive",
                "citation": cite,
            }
        )
    return ListFile.model_validate(
        {
            "id": "test-national",
            "family": "test",
            "kind": "national",
            "title": {"zh": "测试", "en": "test"},
            "issuers": [{"zh": "测试", "en": "test"}],
            "effective_from": "2024-01-01",
            "scope": {"description": {"zh": "全国", "en": "nationwide"}},
            "sources": [{"title": "test"}],
            "coverage": {"complete": True},
            "counting": {
                "window": "current_year",
                "excluded_exemptions": ["cbdf-art5-1", "cbdf-art5-2"],
                "citation": cite,
            },
            "items": items,
        }
    )


def write_csv(path: Path, rows: list[dict], columns: list[str] = COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})
    return path


def row(
    date: str = "2025-03-01", flow: str = "f1", item: str = "contact", sens: str = "N", **ids: str
) -> dict:
    return {"date": date, "flow": flow, "item": item, "sens": sens, **ids}


def run(
    tmp_path: Path, rows: list[dict] | list[list[dict]], *, mapping: dict | None = None, as_of=AS_OF, **kw
):
    """Write `rows` (or several files of rows) and count them."""
    groups = rows if rows and isinstance(rows[0], list) else [rows]
    paths = [write_csv(tmp_path / f"log{n}.csv", g) for n, g in enumerate(groups)]
    m = Mapping.model_validate(mapping or MAPPING)
    kw.setdefault("detail", True)
    kw.setdefault("lists", [fixture_list()])
    return count_persons(expand(paths), m, as_of=as_of, key=KEY, **kw)


def national_exemptions() -> ListFile:
    """The bundled 2024 national list: its exemptions are the grounds a log may name."""
    from ftzlist.loader import load_law

    return load_law().lists.get("cn-national-2024")


def totals(result) -> tuple[int, int, int]:
    t = result.totals
    return t.non_sensitive, t.sensitive, t.any


@pytest.fixture
def logdir(tmp_path: Path) -> Path:
    return tmp_path
