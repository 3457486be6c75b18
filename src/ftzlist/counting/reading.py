"""Step 1: read the logs and refuse what would change an answer silently.

Every file's mapped columns are read as text into one relation (`src`). One pass then gives, per
file, its rows, empty and unreadable dates, rows outside the window, cells holding a CSV quoting
error or a NUL byte, and the distinct descriptive combinations of the in-window rows
(`filestats`). Refused, with the file and line named (exit 2):

- a header naming a column twice (which one holds the data is ambiguous), a JSON object naming a
  key twice, a header missing a mapped column, a first line that is data rather than a header;
- a `"` inside a CSV value (a stray or unbalanced quote moves values between columns and invents
  flow values) and a NUL byte in any value (binary or damaged data);
- an empty or unreadable export date;
- a value in a mapped sensitivity or exemption column that the mapping does not map (each listed
  with its row count): its meaning decides on which axis a person counts, or whether they count.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ftzlist.counting.mapping import Column
from ftzlist.counting.sources import LogFile
from ftzlist.errors import InputError
from ftzlist.identifiers.masking import shown

if TYPE_CHECKING:
    from ftzlist.counting.pipeline import CountRun

SENSITIVITY_VALUES = ("sensitive", "non_sensitive")

_DATE_SHAPED = re.compile(
    r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
    r"(?:[T ][0-9]{1,2}(?::[0-9]{1,2}){0,2}(?:\.[0-9]+)?(?: ?(?:Z|[+-][0-9]{2}:?[0-9]{2}))?)?"
)
_DATA_LIKE = re.compile(r"[0-9]{4}|@|^[0-9.,:/ +-]+$")


def _header_looks_like_data(names: list[str]) -> bool:
    """A first line whose cells look like values (dates, numbers, identifiers, e-mail
    addresses) rather than column names: the file probably has no header line."""
    filled = [n for n in names if n.strip()]
    hits = sum(1 for n in filled if _DATA_LIKE.search(n))
    return any(_DATE_SHAPED.fullmatch(n.strip()) for n in filled) or hits >= max(1, len(filled) // 2)


def check_header(f: LogFile, have: list[str], wanted: list[str]) -> None:
    """Refuse duplicate column names (case-insensitive, as the engines bind them) and missing
    mapped columns, without quoting a header that looks like data."""
    seen: dict[str, int] = {}
    for i, name in enumerate(have, start=1):
        key = name.strip().casefold()
        if key in seen and key:
            raise InputError(
                f"the header names column {shown(name)!r} twice (columns {seen[key]} and {i}): "
                "which one holds the data is ambiguous; rename or remove one",
                where=f.where + (":1" if f.format == "csv" else ""),
            )
        seen.setdefault(key, i)
    missing = [c for c in wanted if c not in have]
    if not missing:
        return
    if f.format == "csv" and len(have) == 1 and any(ch in have[0] for ch in ",;\t|"):
        raise InputError(
            "cannot split the CSV into columns (unbalanced quotes or mixed delimiters?)", where=f.where
        )
    named = ", ".join(repr(shown(c)) for c in missing)
    if f.format == "csv" and _header_looks_like_data(have):
        raise InputError(
            f"column {named} named by the mapping is missing, and the first line holds values, not "
            "column names: a CSV log needs a header line naming its columns",
            where=f.where + ":1",
        )
    listed = ", ".join(shown(h) for h in have[:30]) + (", ..." if len(have) > 30 else "")
    raise InputError(
        f"column {named} named by the mapping is missing (the file has: {listed})", where=f.where
    )


def read(run: CountRun) -> None:
    """Check every file's columns and expose all files as one relation `src` (text columns)."""
    cols = run.m.columns()
    parts = []
    for n, f in enumerate(run.files):
        check_header(f, run.e.file_columns(f), cols)
        parts.append(run.e.file_relation(n, f, cols))
    run.e.view("src", "\nUNION ALL\n".join(parts))


def column_expr(run: CountRun, col: Column | None) -> str:
    """SQL for a mapped column's value (recoded through `values`), NULL when not mapped or blank.
    A value `values` does not list passes through as written (`check_values` refuses the ones
    that matter)."""
    d = run.d
    if col is None:
        return "NULL"
    if col.value is not None:
        return d.lit(col.value)
    raw = d.cell(f"s.{d.q(col.column)}")
    if not col.values:
        return raw
    whens = " ".join(f"WHEN {d.lit(k)} THEN {d.lit(v)}" for k, v in col.values.items())
    return f"CASE {raw} {whens} ELSE {raw} END"


def dim_exprs(run: CountRun) -> dict[str, str]:
    """The descriptive columns of a row (everything but date and identifiers), as SQL over src."""
    m = run.m
    return {
        "flow": column_expr(run, m.flow),
        "item": column_expr(run, m.data_item),
        "subject": column_expr(run, m.subject),
        "category": column_expr(run, m.category),
        "scenario": column_expr(run, m.scenario),
        "sens": column_expr(run, m.sensitivity),
        "exempt": _grounds_expr(run, column_expr(run, m.exemption)),
    }


def _grounds_expr(run: CountRun, expr: str) -> str:
    """Exemption ground names (`contract_necessity`) as the exemption ids the rule lists."""
    names = {k: v for k, v in sorted(run.grounds.items()) if k != v}
    if not names or expr == "NULL":
        return expr
    whens = " ".join(f"WHEN {run.d.lit(k)} THEN {run.d.lit(v)}" for k, v in names.items())
    return f"CASE {expr} {whens} ELSE {expr} END"


def date_sql(run: CountRun) -> str:
    c = run.m.date
    raw = run.d.cell(f"s.{run.d.q(c.column)}") if c.column else run.d.lit(c.value)
    return run.d.day(raw, c.format)


def in_window(run: CountRun, expr: str) -> str:
    return f"{expr} BETWEEN DATE '{run.window_start}' AND DATE '{run.as_of}'"


def check(run: CountRun) -> tuple[int, int, int, int]:
    """One scan: per file, rows, empty and unreadable dates, faulty cells, rows outside the window;
    and the distinct descriptive combinations (`filestats`) of the in-window rows. Returns rows
    read, in the window, before it and after as_of."""
    d = run.d
    date_col = run.m.date
    raw = d.cell(f"s.{d.q(date_col.column)}") if date_col.column else d.lit(date_col.value)
    dims = dim_exprs(run)
    inside = in_window(run, "dd")
    sel = ", ".join(f"{v} AS {k}" for k, v in dims.items())
    _guarded(
        run,
        "filestats",
        f"""SELECT _f, CASE WHEN {inside} THEN dimh END AS dimh,
                   {", ".join(f"CASE WHEN {inside} THEN {k} END AS {k}" for k in dims)},
                   count(*) AS n, count(*) FILTER (WHERE raw IS NULL) AS empty,
                   count(*) FILTER (WHERE raw IS NOT NULL AND dd IS NULL) AS bad,
                   count(*) FILTER (WHERE dd < DATE '{run.window_start}') AS before,
                   count(*) FILTER (WHERE dd > DATE '{run.as_of}') AS after,
                   count(*) FILTER (WHERE _fault > 0) AS faults
            FROM (SELECT _f, _fault, {raw} AS raw, {run.d.day(raw, date_col.format)} AS dd,
                         {d.hash64(list(dims.values()))} AS dimh, {sel} FROM src s) t
            GROUP BY ALL""",
    )
    stats = {
        r[0]: r[1:]
        for r in run.e.rows(
            "SELECT _f, sum(n), sum(empty), sum(bad), sum(before), sum(after), sum(faults) "
            "FROM filestats GROUP BY _f"
        )
    }
    for n, f in enumerate(run.files):
        if n not in stats:
            raise InputError("the file has no data rows", where=f.where)
        if stats[n][5]:
            _locate_fault(run, f)
    for n, f in enumerate(run.files):
        _, empty, bad, _, _, _ = stats[n]
        if empty or bad:
            _locate_bad_date(run, f, date_col)
    check_values(run)
    total = int(sum(v[0] for v in stats.values()))
    before = int(sum(v[3] for v in stats.values()))
    after = int(sum(v[4] for v in stats.values()))
    return total, total - before - after, before, after


def _guarded(run: CountRun, name: str, select: str) -> None:
    """The first full read of the logs: an engine's parse error becomes an InputError."""
    try:
        run.e.create(name, select)
    except InputError:
        raise
    except Exception as exc:
        err = run.e.read_error(exc)
        if err is None:
            raise
        raise err from None


def _where(f: LogFile, line: int | None) -> str:
    return f"{f.where}:{line}" if line is not None else f.where


def _locate_fault(run: CountRun, f: LogFile) -> None:
    cols = run.m.columns()
    hit = run.e.locate(
        f"SELECT _line, _fault FROM {run.e.numbered(f, cols)} t WHERE _fault > 0 ORDER BY _line LIMIT 1"
    )
    line, fault = hit[0] if hit else (None, 1)
    if fault == 1:
        what = (
            'a double quote (") inside a value: a stray or unbalanced quote in the CSV, which moves '
            "values between columns; quote whole fields and double any quote inside one"
        )
    else:
        what = "a NUL byte inside a value: binary or damaged data, not text"
    raise InputError(f"{f.row_label()} {line}: {what}", where=_where(f, line))


def _locate_bad_date(run: CountRun, f: LogFile, col: Column) -> None:
    d = run.d
    raw = d.cell(d.q(col.column))
    day = d.day(raw, col.format)
    hit = run.e.locate(
        f"SELECT _line, {raw} FROM {run.e.numbered(f, [col.column])} t "
        f"WHERE {raw} IS NULL OR {day} IS NULL ORDER BY _line LIMIT 1"
    )
    line, value = hit[0] if hit else (None, None)
    label = f.row_label()
    expected = f"format {col.format!r}" if col.format else "an ISO 8601 date (YYYY-MM-DD) or timestamp"
    if value is None:
        raise InputError(
            f"{label} {line}, column {shown(col.column)!r}: the export date is empty", where=_where(f, line)
        )
    text = str(value)
    # a date-shaped value is quoted as it is (it is not personal); anything else is masked
    quoted = text if _DATE_SHAPED.fullmatch(text) else shown(text, data=True)
    raise InputError(
        f"{label} {line}, column {shown(col.column)!r}: cannot read {quoted!r} as a date (expected {expected})",
        where=_where(f, line),
    )


def _unmapped(run: CountRun, dim: str, allowed: set[str]) -> list[tuple[str, int]]:
    """In-window values of a descriptive column outside `allowed`, with their row counts."""
    if not allowed:
        where = f"{dim} IS NOT NULL"
    else:
        where = f"{dim} IS NOT NULL AND {dim} NOT IN ({', '.join(run.d.lit(a) for a in sorted(allowed))})"
    return [
        (str(v), int(c))
        for v, c in run.e.rows(
            f"SELECT {dim}, sum(n) FROM filestats WHERE dimh IS NOT NULL AND {where} GROUP BY {dim} ORDER BY 2 DESC, 1"
        )
    ]


def _listed(values: list[tuple[str, int]]) -> str:
    # a categorical column holds few values; a column with many is probably not what the mapping says
    data = len(values) > 20
    head = ", ".join(f"{shown(v, data=data)!r} ({c:,} rows)" for v, c in values[:10])
    return head + (f" and {len(values) - 10} more" if len(values) > 10 else "")


def _logs(run: CountRun) -> str:
    """The log files a message is about (the first three, and how many more)."""
    names = [str(f.where) for f in run.files]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def check_values(run: CountRun) -> None:
    """Refuse in-window values of a mapped sensitivity or exemption column that the mapping does
    not map: each decides on which axis a person counts, or whether they count at all."""
    m = run.m
    if m.sensitivity is not None and m.sensitivity.column:
        bad = _unmapped(run, "sens", set(SENSITIVITY_VALUES))
        if bad:
            raise InputError(
                f"the sensitivity column {shown(m.sensitivity.column)!r} holds values the mapping does not "
                f"map: {_listed(bad)}. Map each under `sensitivity.values` to sensitive, non_sensitive, or "
                "null (no claim: the category decides, and an open one counts on both axes)",
                where=f"{_logs(run)} (mapping: sensitivity)",
            )
    # with no rule every claimed ground is set apart, with an empty list none is: which ground a
    # row claims changes the count only when the rule sets some apart
    if m.exemption is not None and m.exemption.column and run.rule.excluded_exemptions:
        bad = _unmapped(run, "exempt", set(run.grounds.values()))
        if bad:
            known = ", ".join(sorted(run.grounds)) or "none"
            raise InputError(
                f"the exemption column {shown(m.exemption.column)!r} holds values that are not exemption "
                f"grounds of the lists in use: {_listed(bad)}. Map each under `exemption.values` to an "
                f"exemption id or ground (known: {known}), or to null where the row claims none; whether "
                "the row is counted depends on it",
                where=f"{_logs(run)} (mapping: exemption)",
            )


def window_start(as_of: dt.date, window: str) -> dt.date:
    """First day of the counting window (`current_year`, or `previous_and_current_year`)."""
    return dt.date(as_of.year - (1 if window == "previous_and_current_year" else 0), 1, 1)
