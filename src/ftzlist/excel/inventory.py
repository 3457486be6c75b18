"""Read an inventory workbook into a `Declaration`, with one clear problem per bad cell.

Every problem names the sheet, the cell (row and column) and the field, and says what was expected
(and, for an unknown id, the nearest valid ones), so a user fixes the workbook without reading YAML
paths. All problems are collected and raised together as one `InputError`. Formula cells are
refused: openpyxl cannot evaluate them and a stored result may be stale.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftzlist.errors import InputError
from ftzlist.excel import layout as L
from ftzlist.identifiers.masking import shown

if TYPE_CHECKING:
    from ftzlist.loader import Law
    from ftzlist.schema.declaration import Declaration

_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*(\.[a-z0-9][a-z0-9_\-]*)*$")
_SPLIT = re.compile(r"[;；\n]+")
_VALUE = operator.attrgetter("value")


@dataclass
class Inventory:
    """What the workbook holds: the declaration, plus the columns kept only for the user's records."""

    declaration: Declaration
    current_pathways: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Where:
    sheet: str
    row: int
    column: int
    key: str

    def __str__(self) -> str:
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(self.column)
        return f"sheet '{shown(self.sheet)}' cell {letter}{self.row} (row {self.row}, column {letter} '{self.key}')"


class _Problems:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []
        self.bad: set[Where | str] = set()

    def add(self, where: Where | str, message: str) -> None:
        self.items.append(f"{where}: {message}")
        self.bad.add(where)


def read_inventory(path: Path, law: Law | None = None) -> Declaration:
    """The declaration in an inventory workbook (the `.xlsx` reader of `ftzlist.loader`)."""
    return read_inventory_full(path, law).declaration


def read_inventory_full(path: Path, law: Law | None = None) -> Inventory:
    from openpyxl import load_workbook

    from ftzlist.loader import load_law

    path = Path(path)
    if not path.exists():
        raise InputError("file not found", where=str(path))
    try:  # read-only: rows stream from the file, so a cell on the sheet's last row costs a scan, not memory
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError or its own errors
        raise InputError(
            f"not a readable .xlsx workbook ({type(exc).__name__}: {shown(exc, limit=200)})", where=str(path)
        ) from None
    try:
        return _read(wb, path, law or load_law())
    finally:
        wb.close()


def _read(wb: Any, path: Path, law: Law) -> Inventory:
    p = _Problems(path)
    missing = [s for s in (L.HANDLER_SHEET, L.FLOWS_SHEET, L.ITEMS_SHEET) if s not in wb.sheetnames]
    for s in missing:
        p.add(
            f"sheet '{s}'",
            f"missing (the workbook has: {', '.join(shown(n) for n in wb.sheetnames)}); start from `ftzlist template xlsx`",
        )
    cells: dict[tuple[Any, ...], Where] = {}
    handler = _read_handler(wb[L.HANDLER_SHEET], p, cells) if L.HANDLER_SHEET in wb.sheetnames else None
    flows = _read_table(wb[L.FLOWS_SHEET], L.FLOW_COLUMNS, p) if L.FLOWS_SHEET in wb.sheetnames else []
    items = _read_table(wb[L.ITEMS_SHEET], L.ITEM_COLUMNS, p) if L.ITEMS_SHEET in wb.sheetnames else []
    if missing or handler is None:
        _raise(p)
    assert handler is not None
    _check_vocabulary(handler, flows, items, law, p)

    data: dict[str, Any] = {"version": 1, "handler": handler.values, "flows": []}
    as_of = data["handler"].pop("as_of", None)
    if as_of is not None:
        data["as_of"] = as_of
        cells[("as_of",)] = handler.where["as_of"]
    for key, w in handler.where.items():
        cells[("handler", *key.split("."))] = w
    current: dict[str, str] = {}
    by_flow: dict[str, list[_Row]] = {}
    flow_rows: dict[str, _Row] = {}
    for f in flows:
        fid = f.values.get("flow_id")
        if fid is None:
            continue
        if fid in flow_rows:
            p.add(f.where["flow_id"], f"flow id '{shown(fid)}' repeats (first on row {flow_rows[fid].row})")
            continue
        flow_rows[fid] = f
        by_flow[fid] = []
    for it in items:
        fid = it.values.get("flow_id")
        if fid is None:
            continue
        if fid not in flow_rows:
            p.add(
                it.where["flow_id"],
                f"no flow '{shown(fid)}' on sheet '{L.FLOWS_SHEET}'{_nearest(fid, flow_rows)}",
            )
            continue
        by_flow[fid].append(it)
    for i, (fid, f) in enumerate(flow_rows.items()):
        v = f.values
        if not by_flow[fid]:
            p.add(
                f.where["flow_id"],
                f"flow '{shown(fid)}' has no rows on sheet '{L.ITEMS_SHEET}' (needs at least one)",
            )
        if v.get("current_pathway"):
            current[fid] = v["current_pathway"]
        flow: dict[str, Any] = {
            "id": fid,
            "recipient": {"name": v.get("recipient_name"), "country": v.get("recipient_country")},
            "purpose": v.get("purpose"),
            "data": [],
        }
        for key in ("scenario", "exemption"):
            if v.get(key) is not None:
                flow[key] = v[key]
        base = ("flows", i)
        cells[base] = f.where["flow_id"]
        cells[(*base, "id")] = f.where["flow_id"]
        for key, w in f.where.items():
            if key.startswith("recipient_"):
                cells[(*base, "recipient", key.removeprefix("recipient_"))] = w
            elif key != "flow_id":
                cells[(*base, key)] = w
        for j, it in enumerate(by_flow[fid]):
            item = {
                ("id" if k == "item_id" else k): val
                for k, val in it.values.items()
                if k != "flow_id" and val is not None
            }
            flow["data"].append(item)
            cells[(*base, "data", j)] = it.where["flow_id"]
            for key, w in it.where.items():
                cells[(*base, "data", j, "id" if key == "item_id" else key)] = w
        data["flows"].append(flow)
    if not flow_rows and L.FLOWS_SHEET in wb.sheetnames:
        p.add(f"sheet '{L.FLOWS_SHEET}'", "no flows (fill in at least one row below the header)")
    # Validate even when cells were bad, so every problem is reported in one go; errors on a cell
    # already reported (or emptied because it was bad) are not repeated.
    return Inventory(_validate(data, cells, p), current)


@dataclass
class _Row:
    row: int
    values: dict[str, Any]
    where: dict[str, Where]


def _read_handler(ws: Any, p: _Problems, cells: dict) -> _Row:
    by_key = {c.key: c for c in L.HANDLER_FIELDS}
    found: dict[str, tuple[int, Any]] = {}
    for r, row in enumerate(ws.iter_rows(min_row=2), start=2):
        if not row:  # a row missing from the file (read-only sheets yield [] for the gaps)
            continue
        key = row[0].value
        if isinstance(key, str) and key.strip() in by_key:
            found[key.strip()] = (r, row[2] if len(row) > 2 else None)
    out = _Row(row=0, values={}, where={})
    for key, col in by_key.items():
        if key not in found:
            if col.required:
                p.add(f"sheet '{shown(ws.title)}' column A", f"no row for field '{key}'")
            continue
        r, cell = found[key]
        where = Where(ws.title, r, 3, key)
        value = _cell(cell, col, where, p)
        out.where[key] = where
        if value is None:
            continue
        if key.startswith("holdings."):
            out.values.setdefault("holdings", {})[key.split(".", 1)[1]] = value
        else:
            out.values[key] = value
    return out


def _read_table(ws: Any, columns: list[L.Column], p: _Problems) -> list[_Row]:
    """Rows below the header, streamed (read-only sheets): blank rows are skipped, however many."""
    by_key = {c.key: c for c in columns}
    positions: dict[str, int] = {}
    header = next(ws.iter_rows(min_row=1, max_row=1), ())
    for c, cell in enumerate(header, start=1):
        head = cell.value
        if isinstance(head, str):
            key = head.strip().split("\n", 1)[0].strip()
            if key in by_key and key not in positions:
                positions[key] = c
    for col in columns:
        if col.required and col.key not in positions:
            p.add(
                f"sheet '{shown(ws.title)}' row 1",
                f"no column '{col.key}' ({col.zh}); headers must start with the field key",
            )
    rows: list[_Row] = []
    keys = list(positions)
    pick = operator.itemgetter(*(positions[k] - 1 for k in keys)) if keys else None
    for r, cells in enumerate(ws.iter_rows(min_row=2), start=2):
        if not cells or pick is None:
            continue
        try:  # in C: the cells of the columns we read, then their values
            picked = pick(cells)
            picked = picked if len(keys) > 1 else (picked,)
            values = tuple(map(_VALUE, picked))
        except IndexError:  # a row shorter than the header
            picked = tuple(cells[positions[k] - 1] if positions[k] - 1 < len(cells) else None for k in keys)
            values = tuple(None if c is None else c.value for c in picked)
        if values.count(None) == len(values):  # blank rows (and the gaps of a read-only sheet): skipped fast
            continue
        raw = dict(zip(keys, picked, strict=True))
        if all(cell is None or _blank(cell.value) for cell in raw.values()):
            continue
        row = _Row(row=r, values={}, where={})
        for key, cell in raw.items():
            col = by_key[key]
            where = Where(ws.title, r, positions[key], key)
            row.where[key] = where
            value = _cell(cell, col, where, p)
            if value is None and col.required:
                p.add(where, f"required ({col.zh} / {col.en}) but empty")
            row.values[key] = value
        rows.append(row)
    return rows


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _cell(cell: Any, col: L.Column, where: Where, p: _Problems) -> Any:
    """A cell's value converted to the column's type; a problem (and None) when it does not fit."""
    if cell is None:
        return None
    v = cell.value
    if cell.data_type == "f" or (
        isinstance(v, str) and v.startswith("=") and len(v) > 1 and cell.data_type != "s"
    ):
        p.add(where, f"is a formula ({shown(v)}); type the value itself")
        return None
    if _blank(v):
        return None
    if isinstance(v, str):
        v = v.strip()
    kind = col.kind
    try:
        if kind == "text":
            if isinstance(v, dt.datetime | dt.date | bool):
                raise ValueError(f"expected text, got {type(v).__name__} {shown(v)}")
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            return str(v)
        if kind == "int":
            return _int(v)
        if kind == "bool":
            return _bool(v)
        if kind == "date":
            return _date(v)
        if kind in ("id", "ids"):
            if not isinstance(v, str):
                if isinstance(v, bool | dt.date) or not isinstance(v, int | float):
                    raise ValueError(f"expected an id, got {shown(repr(v))}")
                v = str(int(v)) if float(v).is_integer() else str(v)
            ids = [L.choice_id(v)] if kind == "id" else [s.strip() for s in re.split(r"[;,；\n]+", v)]
            ids = [i for i in ids if i]
            for i in ids:
                if not _ID.match(i):
                    raise ValueError(
                        f"'{shown(i)}' is not an id (lower-case words joined by '.', e.g. pharma.rnd)"
                    )
            return ids[0] if kind == "id" else ids
        if kind == "list":
            if not isinstance(v, str):
                v = str(v)
            if L.choice_id(v).lower() in L.NONE_WORDS:
                return []
            return [s.strip() for s in _SPLIT.split(v) if s.strip()]
    except ValueError as exc:
        p.add(where, str(exc))
        return None
    raise AssertionError(kind)  # pragma: no cover


def _int(v: Any) -> int:
    if isinstance(v, bool | dt.date):
        raise ValueError(f"expected a whole number, got {shown(repr(v))}")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        raise ValueError(f"expected a whole number, got {shown(v)}")
    s = re.sub(r"[,\s_，]", "", str(v))
    if not re.fullmatch(r"\d+", s):
        raise ValueError(f"expected a whole number, got '{shown(v)}'")
    return int(s)


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    s = L.choice_id(str(v)).lower()
    if s in L.BOOL_TRUE:
        return True
    if s in L.BOOL_FALSE:
        return False
    raise ValueError(f"expected yes/no (是/否), got '{shown(v)}'")


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip())
    except ValueError:
        raise ValueError(f"expected a date YYYY-MM-DD, got '{shown(v)}'") from None


def _nearest(value: str, choices: Any) -> str:
    from ftzlist.loader import nearest

    return nearest(value, choices)


def _check_vocabulary(handler: _Row, flows: list[_Row], items: list[_Row], law: Law, p: _Problems) -> None:
    from ftzlist.loader import exemption_grounds
    from ftzlist.schema.common import Pathway

    voc = law.vocabulary

    def need(row: _Row, key: str, table: Any, kind: str) -> None:
        value = row.values.get(key)
        if value is not None and value not in table:
            p.add(row.where[key], f"unknown {kind} '{shown(value)}'{_nearest(value, table)}")
            row.values[key] = None

    h = handler
    need(h, "zone", voc.zones, "zone")
    need(h, "sector", voc.sectors, "sector")
    need(h, "enterprise_type", voc.enterprise_types, "enterprise type")
    if h.values.get("area") is not None:
        zone = h.values.get("zone")
        if zone is None:
            p.add(h.where["area"], "an area needs the zone (row 'zone')")
        else:
            need(h, "area", [a.id for a in voc.zones[zone].areas], f"area of {zone}")
    et, sector = h.values.get("enterprise_type"), h.values.get("sector")
    if et and sector and voc.enterprise_types[et] != sector:
        p.add(
            h.where["enterprise_type"],
            f"'{et}' belongs to sector '{voc.enterprise_types[et]}', not '{sector}'",
        )
    grounds = exemption_grounds(law)
    pathways = [x.value for x in Pathway]
    for f in flows:
        need(f, "scenario", voc.scenarios, "scenario")
        need(f, "exemption", grounds, "exemption ground")
        need(f, "current_pathway", pathways, "pathway")
    for it in items:
        need(it, "category", voc.categories, "category")
        need(it, "subject", voc.subject_types, "subject type")


def _validate(data: dict[str, Any], cells: dict[tuple[Any, ...], Where], p: _Problems) -> Declaration:
    from pydantic import ValidationError

    from ftzlist.schema.declaration import Declaration

    try:
        decl = Declaration.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function-")))
            where: Where | str = f"sheet '{L.HANDLER_SHEET}'"
            for n in range(len(loc), 0, -1):
                if loc[:n] in cells:
                    where = cells[loc[:n]]
                    break
            if where in p.bad:
                continue
            msg = err["msg"].removeprefix("Value error, ")
            p.add(where, f"{'.'.join(map(str, loc))}: {shown(msg, limit=300)}")
        _raise(p)
    except InputError as exc:  # a field validator's own error (e.g. the USCC check)
        p.add(cells.get(("handler", "uscc"), f"sheet '{L.HANDLER_SHEET}'"), str(exc))
        _raise(p)
    if p.items:
        _raise(p)
    return decl


def _raise(p: _Problems) -> None:
    raise InputError(f"{len(p.items)} problem(s) in {p.path}", problems=p.items)
