"""Issue 12 item 5: commands share helpers through one module, no private name crosses a package,
one place for output formats and identifier kinds."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "ftzlist"

WAITING = {
    ("commands/assess.py", "ftzlist.commands.count"),  # fill_from_logs: counting moves the job into ftzlist.counting
    ("web/countruns.py", "ftzlist.commands.count"),  # threshold_lists: likewise
}
"""Imports of a command module announced on the board, waiting for their owner's move."""


def imports(path: Path):
    """(module imported, names) for every import in a file, lazy ones inside functions too."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ftzlist"):
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("ftzlist"):
                    yield a.name, []


def package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else parts[-1]


def files():
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_no_command_module_imports_another():
    found = []
    for path in files():
        rel = path.relative_to(SRC).as_posix()
        for module, _ in imports(path):
            command = module.startswith("ftzlist.commands.") and module != "ftzlist.commands.common"
            if command and (rel, module) not in WAITING and not rel.startswith("cli"):
                found.append(f"{rel} imports {module}")
    assert not found, found


def test_no_private_name_crosses_a_package():
    found = []
    for path in files():
        rel = path.relative_to(SRC)
        here = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        for module, names in imports(path):
            there = package(module)
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            private_module = any(part.startswith("_") and part != "__init__" for part in module.split("."))
            if there != here and (private or private_module):
                found.append(f"{rel} imports {module}: {private or 'a private module'}")
    assert not found, found


def test_one_format_enum():
    """Commands offer formats through common.format_option; a StrEnum named Format is a copy."""
    copies = []
    for path in sorted((SRC / "commands").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name == "Format" and path.stem not in ("report", "pack"):
                copies.append(path.name)
    assert not copies, copies


def test_identifier_strength_is_defined_once():
    """A person identifier found by the scanner is as strong as counting says it is."""
    from ftzlist.discovery.detectors import DETECTORS
    from ftzlist.identifiers.kinds import KINDS

    persons = [k for d in DETECTORS for k in d.kinds if k.identifier is not None]
    assert {k.name for k in persons} >= {"resident_id", "passport", "phone", "email", "hmt_permit"}
    for k in persons:
        assert k.person == ("strong" if KINDS[k.identifier].strong else "weak")
