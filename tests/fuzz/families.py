"""Input families for the fuzz suite and the robustness figures (issue 11).

Each family turns a hypothesis draw into a `Case`: files to write (declarations, inventories,
mappings, logs, list files) and the `ftzlist` command line that reads them. `run_case` runs the CLI in
this process through `ftzlist.cli.main` and judges the outcome against the contract:

- the exit code is 0, 1 or 2 (3 is a bug; anything else too);
- exit code 2 comes with a message (`error: ...`) naming the place (the file, or the option);
- no identifier planted in an input appears in any output: stderr always, and stdout too where the
  input is a data file (logs); a declaration's own free text (a handler's name) is the user's
  statement and is echoed in decisions, but never in an error message;
- no input file is changed.

`tests/fuzz/test_fuzz.py` runs a few dozen draws per family in CI; `benchmarks/robustness_figures.py`
runs many more and writes the figures table in docs/robustness.md.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from ftzlist.identifiers.resident_id import check_char

ROOT = Path(__file__).resolve().parents[2]
KEY = "fuzz-key-0123456789abcdef"


def _rid(seq: int, birth: str = "19900101", area: str = "350203") -> str:
    first = f"{area}{birth}{seq:03d}"
    return first + check_char(first)


def _luhn(prefix: str, length: int) -> str:
    digits = [int(c) for c in prefix] + [7] * (length - len(prefix) - 1)
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


IDENTIFIERS = [
    _rid(101),
    _rid(202, "19850615", "110101"),
    "13800138000",
    "13912345678",
    _luhn("622202", 19),
    _luhn("4111", 16),
    "li.lei.fuzz@example.com",
    "E12345678",
]
"""Valid, identifier-shaped values planted in inputs; none may appear in an output."""

SPACED = ["138 0013 8000", "6222 0212 3456 7890 123", "+86 139-1234-5678"]
"""The same kind of values written in groups: masked too."""


def leaked(text: str) -> list[str]:
    """Planted identifiers that appear in `text` raw (or with their digits run together)."""
    flat = "".join(ch for ch in text if ch.isdigit())
    found = [v for v in IDENTIFIERS + SPACED if v in text]
    for v in IDENTIFIERS + SPACED:
        digits = "".join(ch for ch in v if ch.isdigit())
        if len(digits) >= 11 and digits in flat and v not in found:
            found.append(v)
    return found


ODD_SCALARS = [
    "012000",
    "0012000",
    "3:20:00",
    "12_000",
    "0x2EE0",
    "0o27340",
    "0b101",
    ".nan",
    ".inf",
    "-.inf",
    "1e999",
    "1711065600",
    "2024-13-45",
    "2024-3-22",
    "yes",
    "no",
    "NO",
    "on",
    "~",
    "null",
    "true",
    "''",
    '""',
    "[/]",
    "acme[/x]",
    "'[bold]x'",
    "':phone:'",
    "'a\\u0000b'",
    "'\\x1b[31mred'",
    "'\\u202e'",
    "-1",
    "0",
    "1",
    "99999999999999999999999",
    "9" * 400,
    "1.5",
    "-0",
    "!!binary aGk=",
    "!!timestamp 2024-01-01",
    "&a x",
    "*a",
    "{a: 1, a: 2}",
    "[1, [2, [3]]]",
    "'" + "x" * 3000 + "'",
    *(f"'{v}'" for v in IDENTIFIERS + SPACED),
    *IDENTIFIERS,
]
"""Plain YAML scalars written into a document as they are (not quoted by a YAML writer)."""

odd_scalar = st.one_of(
    st.sampled_from(ODD_SCALARS),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20).map(json.dumps),
)


def leaves(doc: Any, path: tuple = ()) -> list[tuple]:
    """Paths of the scalar leaves of a parsed document."""
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in leaves(v, (*path, k))] or [path]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in leaves(v, (*path, i))] or [path]
    return [path]


def _set(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    doc = copy.deepcopy(doc)
    cur = doc
    for k in path[:-1]:
        cur = cur[k]
    cur[path[-1]] = value
    return doc


SENTINEL = "FUZZ-SENTINEL-7f3a"


@st.composite
def mutated_yaml(draw: Callable, base: dict, *, json_too: bool = True) -> tuple[str, str]:
    """(suffix, text): `base` with one to three leaves replaced by odd plain scalars, sometimes a
    key repeated, a line dropped or the text cut; as YAML, or as JSON."""
    doc = base
    raws = []
    paths = leaves(base)
    for n in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        doc = _set(doc, path, f"{SENTINEL}{n}")
        raws.append(draw(odd_scalar))
    as_json = json_too and draw(st.booleans())
    if as_json:
        text = json.dumps(doc, ensure_ascii=False, indent=1, default=str)
        for n, raw in enumerate(raws):
            text = text.replace(
                f'"{SENTINEL}{n}"', raw if not raw.startswith("'") else json.dumps(raw.strip("'"))
            )
    else:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
        for n, raw in enumerate(raws):
            text = text.replace(f"{SENTINEL}{n}", raw)
    edit = draw(st.sampled_from(["none", "none", "repeat-line", "drop-line", "cut"]))
    lines = text.splitlines(keepends=True)
    if edit != "none" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        if edit == "repeat-line":
            lines.insert(i, lines[i])
        elif edit == "drop-line":
            del lines[i]
        else:
            lines = lines[:i]
    return (".json" if as_json else ".yaml"), "".join(lines)


# --- the families -----------------------------------------------------------------------------------


@dataclass
class Case:
    files: dict[str, bytes]
    argv: list[str]
    data_output: bool = False
    """True when the inputs are data files: their values may not appear on stdout either."""
    env: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{n}: {len(d):,} bytes" for n, d in self.files.items())
        text = {
            n: d[:2000].decode("utf-8", "replace") for n, d in self.files.items() if not n.endswith(".xlsx")
        }
        return f"Case(argv={self.argv}, files=[{sizes}], text={text!r})"


BASE_DECLARATION = yaml.safe_load((ROOT / "examples" / "xiamen-pharma.yaml").read_text(encoding="utf-8"))


@st.composite
def declarations(draw: Callable) -> Case:
    suffix, text = draw(mutated_yaml(BASE_DECLARATION))
    fmt = draw(st.sampled_from(["json", "table", "markdown"]))
    return Case({f"decl{suffix}": text.encode()}, ["assess", f"decl{suffix}", "-f", fmt])


def inventory_bytes(tmp: Path) -> bytes:
    """The inventory workbook filled in from the example declaration (made once per session)."""
    from ftzlist.excel.template import write_template
    from ftzlist.loader import load_declaration, load_law

    law = load_law()
    target = tmp / "base-inventory.xlsx"
    if not target.exists():
        write_template(law, target, load_declaration(ROOT / "examples" / "xiamen-pharma.yaml", law))
    return target.read_bytes()


CELL_VALUES = st.one_of(
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("x")',
            "012000",
            "3:20:00",
            "yes",
            "是",
            "否",
            "",
            " ",
            "[/]",
            "\x00x",
            "1e400",
            "2024-13-45",
            "health.genetic",
            "fujian-ftz",
            "pharma",
            *IDENTIFIERS,
            *SPACED,
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates().map(lambda d: d),
    st.text(max_size=40),
)


@st.composite
def inventories(draw: Callable, base: bytes) -> Case:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(base))
    for _ in range(draw(st.integers(1, 4))):
        ws = wb[draw(st.sampled_from(["handler", "flows", "data_items"]))]
        row, col = draw(st.integers(1, 9)), draw(st.integers(1, 14))
        value = draw(CELL_VALUES)
        if isinstance(value, str):
            value = "".join(ch for ch in value if ch >= " " or ch in "\t\n")  # openpyxl refuses the rest
        ws.cell(row, col).value = value
    buf = io.BytesIO()
    wb.save(buf)
    return Case({"inv.xlsx": buf.getvalue()}, ["assess", "inv.xlsx", "-f", "json"])


BASE_MAPPING = {
    "date": {"column": "date"},
    "flow": {"column": "flow"},
    "data_item": {"column": "item"},
    "sensitivity": {"column": "sens", "values": {"S": "sensitive", "N": "non_sensitive"}},
    "identifiers": [
        {"kind": "resident_id", "column": "rid"},
        {"kind": "phone", "column": "phone", "link": True},
    ],
}
LOG_COLUMNS = ["date", "flow", "item", "sens", "rid", "phone"]


def _log_rows() -> list[list[str]]:
    return [
        ["2025-03-01", "pv", "icsr", "S", IDENTIFIERS[0], IDENTIFIERS[2]],
        ["2025-03-02", "pv", "icsr", "N", IDENTIFIERS[1], IDENTIFIERS[3]],
        ["2025-04-01", "trial", "crf", "S", IDENTIFIERS[0], ""],
    ]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


@st.composite
def mappings(draw: Callable) -> Case:
    _, text = draw(mutated_yaml(BASE_MAPPING, json_too=False))
    return Case(
        {"log.csv": _csv(LOG_COLUMNS, _log_rows()), "map.yaml": text.encode()},
        ["count", "log.csv", "--mapping", "map.yaml", "--as-of", "2025-06-30", "-f", "json"],
        data_output=True,
        env={"FTZLIST_HASH_KEY": KEY},
    )


LOG_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            '"',
            'a"b',
            "\x00",
            "2025-13-01",
            "2025-02-30",
            "1711065600",
            "2025-03-01T23:30:00-05:00",
            "[/]",
            ":phone:",
            "=1+1",
            "S",
            "N",
            "X",
            "true",
            *IDENTIFIERS,
            *SPACED,
        ]
    ),
    st.text(max_size=25),
)


@st.composite
def logs(draw: Callable) -> Case:
    header = list(LOG_COLUMNS)
    rows = _log_rows()
    for _ in range(draw(st.integers(1, 5))):
        r, c = draw(st.integers(0, len(rows))), draw(st.integers(0, len(header) - 1))
        value = draw(LOG_CELLS)
        if r == len(rows):
            header[c] = value  # a header cell: duplicated, empty, an identifier (a headerless file)
        else:
            rows[r][c] = value
    data = _csv(header, rows)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    mapping = yaml.safe_dump(BASE_MAPPING).encode()
    fmt = draw(st.sampled_from(["json", "table"]))
    return Case(
        {"log.csv": data, "map.yaml": mapping},
        ["count", "log.csv", "--mapping", "map.yaml", "--as-of", "2025-06-30", "-f", fmt],
        data_output=True,
        env={"FTZLIST_HASH_KEY": KEY},
    )


@st.composite
def tables(draw: Callable) -> Case:
    """A table to scan (CSV): the scan's outputs may show masked examples only."""
    case = draw(logs())
    return Case(
        {"data.csv": case.files["log.csv"]},
        ["scan", "data.csv", "-f", draw(st.sampled_from(["json", "table"]))],
        data_output=True,
    )


BASE_LIST = yaml.safe_load(
    (ROOT / "src" / "ftzlist" / "lists" / "jiangsu-ftz-2025.yaml").read_text(encoding="utf-8")
)


@st.composite
def list_files(draw: Callable) -> Case:
    _, text = draw(mutated_yaml(BASE_LIST, json_too=False))
    how = draw(st.sampled_from(["validate", "doc", "assess"]))
    if how != "assess":
        return Case(
            {"lists/jiangsu-ftz-2025.yaml": text.encode()},
            ["lists", how, "lists/jiangsu-ftz-2025.yaml"],
        )
    decl = (ROOT / "examples" / "xiamen-pharma.yaml").read_bytes()
    return Case(
        {
            "lists/jiangsu-fuzz.yaml": text.encode().replace(b"jiangsu-ftz-2025", b"jiangsu-ftz-fuzz"),
            "decl.yaml": decl,
        },
        ["assess", "decl.yaml", "--lists", "lists", "-f", "json"],
    )


FAMILIES: dict[str, Callable[..., Any]] = {
    "declarations": declarations,
    "inventories": inventories,
    "mappings": mappings,
    "logs": logs,
    "tables": tables,
    "list files": list_files,
}


# --- running and judging ----------------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    problems: list[str]


def run_case(case: Case, where: Path) -> Outcome:
    """Write the case's files under `where`, run the CLI there (in this process), judge it."""
    import os

    from ftzlist.cli import main

    for name, data in case.files.items():
        path = where / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    before = {name: hashlib.sha256(data).hexdigest() for name, data in case.files.items()}
    out, err = io.StringIO(), io.StringIO()
    old_out, old_err, old_cwd = sys.stdout, sys.stderr, os.getcwd()
    old_env = {k: os.environ.get(k) for k in (*case.env, "COLUMNS", "FORCE_COLOR")}
    os.environ.update({**case.env, "COLUMNS": "80"})
    os.environ.pop("FORCE_COLOR", None)
    sys.stdout, sys.stderr = out, err
    os.chdir(where)
    try:
        try:
            main(case.argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdout, sys.stderr = old_out, old_err
        os.chdir(old_cwd)
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    o, e = out.getvalue(), err.getvalue()
    problems = []
    if code not in (0, 1, 2):
        problems.append(f"exit code {code}: {e.strip()[:300]}")
    if code == 2:  # the message is on stderr; `lists validate` reports its findings on stdout
        named = [Path(n).name for n in case.files] + ["--", "<stdin>"]
        said = e if e.strip() else o
        if not said.strip():
            problems.append("exit 2 without a message")
        elif not any(n in said for n in named):
            problems.append(f"exit 2 without naming the place: {said.strip()[:200]}")
    if "Traceback" in e or "Traceback" in o:
        problems.append("a traceback was printed")
    leaks = leaked(e) + (leaked(o) if case.data_output else [])
    if leaks:
        problems.append(f"identifier in output: {leaks[0][:4]}…")
    for name, digest in before.items():
        path = where / name
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"input changed: {name}")
    return Outcome(code, o, e, problems)
