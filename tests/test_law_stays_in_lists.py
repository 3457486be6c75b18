"""The law lives in list files: no module outside `ftzlist.law` names a zone, area, sector, scenario,
list, list family or instrument, or a zone's place name (DESIGN.md; issue 12 item 6).

The scan reads code, not prose: every string constant and identifier of every module under
`src/ftzlist/` except `law/` (docstrings and `description=`/`help=` texts of fields and options are
documentation and may give examples). What it finds today and is known is in `KNOWN`, each entry with
the work package that owns the module. The list only shrinks: a new name anywhere fails, more uses of
a known one fail, and an entry whose name is gone fails until it is removed.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import ftzlist

ROOT = Path(ftzlist.__file__).parent
PLACES = re.compile(
    r"(?<![/\w])(fujian|beijing|shanghai|tianjin|hainan|zhejiang|chongqing|guangxi|jiangsu|guangdong|"
    r"pingtan|lingang|xiamen|fuzhou)(?!\w)",
    re.I,
)

# (module under src/ftzlist, name) -> (uses at most, owner, what it is)
KNOWN: dict[tuple[str, str], tuple[int, str, str]] = {
    ("authoring/importer.py", "cn.cbdf"): (2, "importer", "CBDF Art. 7(1) / Art. 6 citations built in code"),
    ("authoring/skeleton.py", "cn.cbdf"): (
        2,
        "importer",
        "the `lists new` template's legal basis and off-list article",
    ),
    ("excel/inventory.py", "pharma.rnd"): (1, "hardening", "an example id in an error message"),
    ("excel/layout.py", "xiamen"): (1, "hardening", "an example area in the template's help text"),
}


def _names(law) -> set[str]:
    voc = law.vocabulary
    names = set(voc.zones) | set(voc.sectors) | set(voc.scenarios) | set(law.lists.by_id)
    names |= {a.id for z in voc.zones.values() for a in z.areas}
    names |= {lf.family for lf in law.lists} | set(law.instruments.by_id)
    names.discard("general")  # the generic sector is an ordinary word
    return names


def _documentation(tree: ast.AST) -> set[int]:
    """Ids of the string nodes that are documentation: docstrings, attribute docstrings, and the
    `description=` / `help=` texts of fields and options."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
            for a, b in pairwise(body):
                if (
                    isinstance(a, ast.Assign | ast.AnnAssign)
                    and isinstance(b, ast.Expr)
                    and isinstance(b.value, ast.Constant)
                ):
                    out.add(id(b.value))
        if isinstance(node, ast.keyword) and node.arg in ("description", "help"):
            out.update(id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant))
    return out


def _words(node: ast.AST, docs: set[int]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
        return [node.value]
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    return []


def _pattern(names: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w.\-])(" + alternatives + r")(?![\w\-])")


def _scan_tree(tree: ast.AST, pattern: re.Pattern[str]) -> Counter[str]:
    docs = _documentation(tree)
    found: Counter[str] = Counter()
    for node in ast.walk(tree):
        for text in _words(node, docs):
            names = {m.group(1) for m in pattern.finditer(text)}
            names |= {m.group(1).lower() for m in PLACES.finditer(text)}
            found.update(names)
    return found


def scan(names: set[str]) -> Counter[tuple[str, str]]:
    """(module, name) -> uses, over every module outside `law/`."""
    pattern = _pattern(names)
    hits: Counter[tuple[str, str]] = Counter()
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("law/"):
            continue
        for name, n in _scan_tree(ast.parse(path.read_text(encoding="utf-8")), pattern).items():
            hits[(rel, name)] += n
    return hits


def test_no_module_outside_law_names_the_law(law) -> None:
    hits = scan(_names(law))
    new = [f"{m}: {n} ({c}x)" for (m, n), c in sorted(hits.items()) if (m, n) not in KNOWN]
    grown = [
        f"{m}: {n} ({c}x, known {KNOWN[(m, n)][0]}x, owner {KNOWN[(m, n)][1]})"
        for (m, n), c in sorted(hits.items())
        if (m, n) in KNOWN and c > KNOWN[(m, n)][0]
    ]
    assert new == [] and grown == [], (
        "zone, sector, scenario, list or instrument names in code (put the rule in a list file, or "
        "take the name from the law at run time):\n" + "\n".join(new + grown)
    )


def test_the_known_list_only_shrinks(law) -> None:
    hits = scan(_names(law))
    gone = [f"{m}: {n} (owner {owner})" for (m, n), (_, owner, _) in KNOWN.items() if hits[(m, n)] == 0]
    assert gone == [], "fixed — remove these entries from KNOWN:\n" + "\n".join(gone)


def test_the_scan_finds_what_it_should(law) -> None:
    """A name in a string or an identifier is found; docstrings and help texts are not; the
    timezone Asia/Shanghai is not a zone."""
    src = (
        '"""Docstring: fujian-ftz-2025 is an example."""\n'
        "import typer\n"
        "def rule(x):\n"
        '    tz = "Asia/Shanghai"\n'
        "    opt = typer.Option(None, help='e.g. beijing-ftz')\n"
        '    if x.zone == "fujian-ftz":\n'
        "        return cn_cbdf\n"
        '    return "Xiamen area" + "pharma.rnd"\n'
    )
    found = _scan_tree(ast.parse(src), _pattern(_names(law)))
    assert found == Counter({"fujian-ftz": 1, "fujian": 1, "xiamen": 1, "pharma.rnd": 1}), found
