"""Dependencies run one way between the output packages (issue 12 item 5): `excel` (the inventory
workbook: input) never imports `reports` (outputs); `reports` may use `excel.safe`; the modules of
`compare` form no cycle. Imports inside functions count too: a lazy import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _module(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every ftzlist module `path` imports, at any depth of the file."""
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in out if m.startswith("ftzlist")}


def graph(package: str) -> dict[str, set[str]]:
    root = SRC / package.replace(".", "/")
    mods = {_module(p): p for p in root.rglob("*.py")}
    return {m: {d for d in imports(p) if d in mods and d != m} for m, p in mods.items()}


def test_excel_never_imports_reports():
    for path in (SRC / "ftzlist" / "excel").rglob("*.py"):
        bad = sorted(m for m in imports(path) if m.startswith("ftzlist.reports"))
        assert not bad, f"{path.name} imports {bad}"


def test_reports_use_only_the_safe_cells_of_excel():
    for path in (SRC / "ftzlist" / "reports").rglob("*.py"):
        used = {m for m in imports(path) if m.startswith("ftzlist.excel")}
        assert used <= {"ftzlist.excel.safe", "ftzlist.excel.safe.set_cell"}, f"{path.name}: {used}"


def _cycle(g: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for d in sorted(g.get(n, ())):
            if state.get(d) == 1:
                return [*stack[stack.index(d) :], d]
            if d not in state and (found := visit(d)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(g):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_compare_modules_form_no_cycle():
    g = graph("ftzlist.compare")
    g.pop("ftzlist.compare", None)  # the package re-exports its modules
    assert _cycle(g) is None, _cycle(g)


def test_reports_modules_form_no_cycle():
    g = graph("ftzlist.reports")
    for pkg in ("ftzlist.reports", "ftzlist.reports.packs"):
        g.pop(pkg, None)
    assert _cycle(g) is None, _cycle(g)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_reports_never_import_the_jobs_that_use_them():
    """`group` (and the snapshot diff) build on reports' writers; reports never import them back."""
    for path in (SRC / "ftzlist" / "reports").rglob("*.py"):
        bad = sorted(m for m in imports(path) if m.startswith(("ftzlist.group", "ftzlist.snapshots")))
        assert not bad, f"{path.name} imports {bad}"
