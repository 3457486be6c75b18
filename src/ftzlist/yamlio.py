"""Read YAML/JSON documents and turn validation errors into messages that name file and line.

pydantic reports a location as a path of keys and indexes; we walk the YAML node tree along that
path to find the line the user has to fix.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ftzlist.errors import InputError

try:  # the C loader is several times faster on the bundled lists
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None


def parse(text: str, where: str) -> Any:
    """Parse YAML (JSON is YAML too, but JSON files get JSON's own error messages)."""
    if where.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"malformed JSON: {exc.msg}", where=f"{where}:{exc.lineno}:{exc.colno}"
            ) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark else where
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"malformed YAML: {problem}", where=loc) from None


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at `loc`, or of its nearest existing ancestor."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = node.value[key]
        else:
            match = None
        if match is None:
            break
        node = match
        line = node.start_mark.line + 1
    return line


def describe(exc: ValidationError, text: str | None, where: str) -> InputError:
    """One line per problem: `file:line: field.path: what was expected`."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        field = ".".join(str(p) for p in loc) or "(document)"
        line = _line_of(text, loc) if text is not None and not where.endswith(".json") else None
        prefix = f"{where}:{line}" if line else where
        problems.append(f"{prefix}: {field}: {err['msg']}")
    return InputError(f"{len(problems)} problem(s) in {where}", problems=problems)


def load_model(model: type[M], path: Path) -> M:
    text = read_text(path)
    data = parse(text, str(path))
    return validate(model, data, text, str(path))


def validate(model: type[M], data: Any, text: str | None, where: str) -> M:
    if data is None:
        raise InputError("the document is empty", where=where)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise describe(exc, text, where) from None
    except InputError as exc:  # raised by a field validator (e.g. USCC)
        raise InputError(str(exc), where=where) from None
