"""Read the YAML and JSON documents ftzlist is given, so that a value means one thing only.

Every YAML file the product reads (declarations, mappings, list and vocabulary files, calendars,
filed content) goes through `parse`, which reads YAML the way YAML 1.2's core schema does and refuses
what YAML 1.1 would read differently, naming the line:

- numbers are plain decimals: `012000` (octal 5,120 in YAML 1.1), `3:20:00` (base 60), `0x2EE0`,
  `0b101`, `12_000`, `.inf` and `.nan` are refused; a number longer than 18 digits too;
- `yes`/`no`/`on`/`off` are text (the schema decides whether a field takes them as booleans), so a
  country code `NO` stays `NO`; `2024-03-22` is text that the schema reads as an ISO date;
- a key given twice in one mapping is an error naming both lines (YAML and JSON alike);
- tags other than the core ones (`!!timestamp`, `!!binary`, `!!set`, ...) and merge keys are refused;
  aliases may not expand a document beyond `MAX_NODES` nodes, nesting may not exceed `MAX_DEPTH`.

After validation against a model (`validate`), counts and dates are checked against what was
written: an integer field must have been written as an integer (not `true`, not the string
`"012000"`), a date field as `YYYY-MM-DD` (not `1711065600`), a number must be finite.

Validation errors become problems that name file, line and field: pydantic reports a location as a
path of keys and indexes, and we walk the YAML node tree along that path to find the line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ftzlist.errors import InputError, Problem
from ftzlist.identifiers.masking import shown

M = TypeVar("M", bound=BaseModel)

STDIN = "-"
"""The path that means standard input."""
MAX_DEPTH = 64
"""Deepest nesting a document may have (no input of ours needs more than ten)."""
MAX_NODES = 5_000_000
"""Most nodes a document may expand to through aliases (a "billion laughs" stays a few bytes)."""
MAX_DIGITS = 18
"""Longest number accepted (persons and records fit; a 5,000-digit integer is not a count)."""

try:  # the C parser is several times faster on the bundled lists
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class _Refused(Exception):
    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.mark = mark


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+|\.[0-9]+[eE][-+]?[0-9]+)"
)
_YAML11 = re.compile(
    r"""[-+]?(?:0[0-9_]+|0[oO][0-7_]+|0[xX][0-9a-fA-F_]+|0[bB][01_]+
       |[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
       |[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
       |[0-9]*\.[0-9_]*_[0-9_]*(?:[eE][-+]?[0-9]+)?
       |\.(?:inf|Inf|INF|nan|NaN|NAN))""",
    re.X,
)
_AMBIGUOUS = "tag:ftzlist,2025:yaml11-number"


def _why_refused(value: str) -> str:
    v = value.lstrip("+-")
    if ":" in v:
        return "YAML 1.1 reads it as a base-60 number"
    if v[:2].lower() in ("0x", "0o", "0b"):
        return "numbers are written as plain decimals"
    if "_" in v:
        return "YAML 1.1 reads it as a number with the underscores dropped, YAML 1.2 as text"
    if v.lower() in (".inf", ".nan"):
        return "a count or amount must be a finite number"
    return "YAML 1.1 reads a leading zero as octal (012000 = 5,120)"


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe YAML with the YAML 1.2 core schema's scalars, duplicate keys refused."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 - PyYAML's own class-level table, replaced whole

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover - PyYAML only calls it for maps
            raise _Refused("expected a mapping", node.start_mark)
        seen: dict[Any, int] = {}
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool | type(None)):
                raise _Refused("a key must be a plain scalar", key_node.start_mark)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _Refused(
                    f"key '{shown(key)}' appears twice in one mapping (lines {seen[key]} and {line}); "
                    "keep one",
                    key_node.start_mark,
                )
            seen[key] = line
            out[key] = self.construct_object(value_node, deep=deep)
        return out

    def construct_yaml_int(self, node: Any) -> int:
        value = self.construct_scalar(node)
        if not _DECIMAL.fullmatch(value):
            raise _Refused(f"'{shown(value)}' is not a plain decimal integer", node.start_mark)
        return _int(value, node.start_mark)

    def construct_yaml_float(self, node: Any) -> float:
        value = self.construct_scalar(node)
        if not (_FLOAT.fullmatch(value) or _DECIMAL.fullmatch(value)):
            raise _Refused(f"'{shown(value)}' is not a plain decimal number", node.start_mark)
        if len(re.sub(r"[^0-9]", "", value.partition("e")[0].partition("E")[0])) > MAX_DIGITS:
            raise _Refused(f"a number of more than {MAX_DIGITS} digits", node.start_mark)
        number = float(value)
        if number in (float("inf"), float("-inf")):
            raise _Refused(f"'{shown(value)}' is too large", node.start_mark)
        return number

    def construct_yaml_bool(self, node: Any) -> bool:
        value = self.construct_scalar(node)
        if value not in ("true", "True", "TRUE", "false", "False", "FALSE"):
            raise _Refused(f"'{shown(value)}' is not true or false", node.start_mark)
        return value.lower() == "true"

    def construct_ambiguous(self, node: Any) -> None:
        value = self.construct_scalar(node)
        plain = value.lstrip("+-0") or "0"
        fix = (
            f"write {value[0] if value[0] == '-' else ''}{plain}"
            if value.lstrip("+-").isdigit()
            else "write a plain decimal"
        )
        raise _Refused(
            f"'{shown(value)}' is ambiguous: {_why_refused(value)}; {fix}, or quote it if it is text",
            node.start_mark,
        )

    def construct_refused_tag(self, node: Any) -> None:
        raise _Refused(f"the tag '{node.tag}' is not supported here", node.start_mark)


def _int(value: str, mark: Any) -> int:
    if len(value.lstrip("+-")) > MAX_DIGITS:
        raise _Refused(f"a number of more than {MAX_DIGITS} digits", mark)
    return int(value)


for _tag, _rx, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", rf"^{_DECIMAL.pattern}$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", rf"^{_FLOAT.pattern}$", list("-+0123456789.")),
    (_AMBIGUOUS, rf"^(?:{_YAML11.pattern})$", list("-+0123456789.")),
):
    _Loader.add_implicit_resolver(_tag, re.compile(_rx, re.X), _first)

_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)
_Loader.add_constructor(_AMBIGUOUS, _Loader.construct_ambiguous)
for _tag in ("timestamp", "binary", "set", "omap", "pairs", "merge", "value", "yaml"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_refused_tag)
_Loader.add_constructor(None, _Loader.construct_refused_tag)


# --- reading ---------------------------------------------------------------------------------------


def label(path: Path | str) -> str:
    """How a path is named in messages (`<stdin>` for `-`)."""
    return "<stdin>" if str(path) == STDIN else str(path)


def read_text(path: Path | str) -> str:
    """The UTF-8 text of a file, or of standard input for `-`; an `InputError` naming the file."""
    if str(path) == STDIN:
        data = sys.stdin.buffer.read()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start})", where=label(path)) from None
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", where=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", where=str(path)) from None


def is_json(text: str, where: str) -> bool:
    """JSON by suffix, or (standard input) by its first character."""
    if where.endswith(".json"):
        return True
    return where == label(STDIN) and text.lstrip()[:1] in ("{", "[")


def parse(text: str, where: str) -> Any:
    """Parse YAML or JSON (by suffix; standard input by its first character) with the rules above."""
    text = text.removeprefix("\ufeff")
    data = _parse_json(text, where) if is_json(text, where) else _parse_yaml(text, where)
    _check_shape(data, text, where)
    return data


def _parse_yaml(text: str, where: str) -> Any:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_expansion(node, where)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise InputError(str(exc), where=where, line=exc.mark.line + 1 if exc.mark else None) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        msg = f"malformed YAML: {problem}" + (f" ({context})" if context and "nesting" not in problem else "")
        raise InputError(shown(msg, limit=200), where=where, line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", where=where) from None


def _check_expansion(root: Any, where: str) -> None:
    """Refuse documents whose aliases expand them beyond MAX_NODES nodes, or nest beyond MAX_DEPTH."""
    size: dict[int, int] = {}
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(
                f"nested deeper than {MAX_DEPTH} levels", where=where, line=node.start_mark.line + 1
            )
        if id(node) in size and not done:
            continue
        children = list(_children(node))
        if done:
            size[id(node)] = 1 + sum(size.get(id(c), 1) for c in children)
            if size[id(node)] > MAX_NODES:
                raise InputError(
                    f"the document expands to more than {MAX_NODES:,} values (aliases)",
                    where=where,
                    line=node.start_mark.line + 1,
                )
            continue
        size[id(node)] = 1
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in size)


def _children(node: Any) -> Iterator[Any]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield k
            yield v


class _JsonRefused(Exception):
    pass


def _json_int(value: str) -> int:
    if len(value.lstrip("-")) > MAX_DIGITS:
        raise _JsonRefused(f"a number of more than {MAX_DIGITS} digits ({shown(value, limit=24)})")
    return int(value)


def _json_float(value: str) -> float:
    number = float(value)
    if number in (float("inf"), float("-inf")):
        raise _JsonRefused(f"'{value[:24]}' is too large")
    return number


def _json_constant(value: str) -> Any:
    raise _JsonRefused(f"'{value}' is not a number (write a finite decimal)")


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonRefused(f"key '{shown(key)}' appears twice in one object")
        out[key] = value
    return out


def _parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(
            text,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
            object_pairs_hook=_json_pairs,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"malformed JSON: {exc.msg} (column {exc.colno})", where=where, line=exc.lineno
        ) from None
    except RecursionError:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", where=where) from None
    except _JsonRefused as exc:
        message = str(exc)
        if "twice" in message:
            message = _json_duplicate_lines(text) or message
        raise InputError(message, where=where) from None


def _json_duplicate_lines(text: str) -> str | None:
    """The first repeated key with both lines, found on the document's node tree (JSON is YAML)."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return None
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for k, _ in node.value:
                line = k.start_mark.line + 1
                if k.value in seen:
                    return (
                        f"key '{shown(k.value)}' appears twice in one object "
                        f"(lines {seen[k.value]} and {line}); keep one"
                    )
                seen[k.value] = line
        stack.extend(reversed(list(_children(node))))
    return None


def _check_shape(data: Any, text: str, where: str) -> None:
    """Depth limit on the parsed data (JSON's parser has none of its own below Python's recursion limit)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", where=where)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


# --- lines -----------------------------------------------------------------------------------------


class Lines:
    """Lines of a document's nodes, found by walking its node tree along a field path.

    The tree is composed once, on first use (JSON documents too: JSON is YAML), so a document with
    thousands of problems is not parsed thousands of times.
    """

    def __init__(self, text: str | None):
        self.text = text
        self._root: Any = None
        self._composed = False

    def _tree(self) -> Any:
        if not self._composed:
            self._composed = True
            if self.text is not None:
                try:
                    self._root = yaml.compose(self.text.removeprefix("\ufeff"), Loader=_Loader)
                except (yaml.YAMLError, RecursionError):
                    self._root = None
        return self._root

    def line(self, loc: tuple[Any, ...]) -> int | None:
        """1-based line of the node at `loc`, or of its nearest existing ancestor."""
        node = self._tree()
        if node is None:
            return None
        line = node.start_mark.line + 1
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == str(key)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                match = node.value[key]
            else:
                match = None
            if match is None:
                break
            node = match
            line = node.start_mark.line + 1
        return line


def line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the node at `loc` in `text` (or of its nearest existing ancestor)."""
    return Lines(text).line(loc)


def _loc(err: Any) -> tuple[Any, ...]:
    return tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))


def describe(exc: ValidationError, text: str | None, where: str) -> InputError:
    """One problem per validation error: file, line, field path and what was expected."""
    lines = Lines(text)
    problems = []
    for err in exc.errors(include_url=False):
        loc = _loc(err)
        msg = err["msg"].removeprefix("Value error, ")
        problems.append(
            Problem(shown(msg, limit=300), where=where, line=lines.line(loc), loc=loc or ("(document)",))
        )
    return InputError(f"{len(problems)} problem(s) in {where}", problems=problems)


def load_model(model: type[M], path: Path | str, *, context: Any = None) -> M:
    text = read_text(path)
    data = parse(text, label(path))
    return validate(model, data, text, label(path), context=context)


def validate(model: type[M], data: Any, text: str | None, where: str, *, context: Any = None) -> M:
    """`data` as a `model`, every problem naming file, line and field (see the module docstring)."""
    if data is None:
        raise InputError("the document is empty", where=where)
    try:
        obj = model.model_validate(data, context=context)
    except ValidationError as exc:
        raise describe(exc, text, where) from None
    except InputError as exc:  # raised by a field validator (e.g. USCC)
        raise InputError(exc.message, where=where, problems=exc.problems) from None
    except RecursionError as exc:  # a validator met a value nested too deeply for it
        raise InputError(f"cannot read the document ({type(exc).__name__})", where=where) from None
    problems = list(written_as_typed(obj, data))
    if problems:
        lines = Lines(text)
        raise InputError(
            f"{len(problems)} problem(s) in {where}",
            problems=sorted(
                (Problem(msg, where=where, line=lines.line(loc), loc=loc) for loc, msg in problems),
                key=lambda p: p.line or 0,
            ),
        )
    return obj


# --- counts and dates as written ---------------------------------------------------------------------


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def written_as_typed(obj: Any, raw: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Fields whose validated value came from a different kind of value than the field holds:
    an integer from `true` or from text, a date from a number or from text that is not
    `YYYY-MM-DD`, a number that is not finite. pydantic's lax mode accepts them all; we do not,
    because each can change an answer silently (`1711065600` is a date to pydantic)."""
    stack: list[tuple[Any, Any, tuple[Any, ...]]] = [(obj, raw, loc)]
    while stack:
        value, given, here = stack.pop()
        if isinstance(value, BaseModel):
            if not isinstance(given, dict):
                continue
            for name, info in type(value).model_fields.items():
                key = info.alias if info.alias and info.alias in given else name
                if key in given:
                    stack.append((getattr(value, name), given[key], (*here, key)))
        elif isinstance(value, list | tuple):
            if isinstance(given, list | tuple) and len(given) == len(value):
                stack.extend((v, g, (*here, i)) for i, (v, g) in enumerate(zip(value, given, strict=True)))
        elif isinstance(value, dict):
            if isinstance(given, dict):
                stack.extend((value[k], given[k], (*here, k)) for k in given if k in value)
        elif (problem := _mistyped(value, given)) is not None:
            yield here, problem


def _mistyped(value: Any, given: Any) -> str | None:
    if isinstance(value, bool | str):
        return None
    if isinstance(value, int):
        if isinstance(given, bool):
            return f"expected a whole number, got {given!r}"
        if isinstance(given, str) and not _DECIMAL.fullmatch(given.strip()):
            return f"'{shown(given)}' is not a plain decimal integer (write e.g. 12000)"
        return None
    if isinstance(value, float):
        if isinstance(given, bool):
            return f"expected a number, got {given!r}"
        if value != value or value in (float("inf"), float("-inf")):
            return "expected a finite number"
        if isinstance(given, str) and not (
            _FLOAT.fullmatch(given.strip()) or _DECIMAL.fullmatch(given.strip())
        ):
            return f"'{shown(given)}' is not a plain decimal number"
        return None
    if isinstance(value, dt.datetime):
        if not isinstance(given, str | dt.datetime) or (
            isinstance(given, str) and not _ISO_DATE.match(given)
        ):
            return f"'{shown(given)}' is not a date and time written as YYYY-MM-DDTHH:MM:SS"
        return None
    if isinstance(value, dt.date):
        if isinstance(given, dt.date):
            return None
        if not isinstance(given, str) or not _ISO_DATE.fullmatch(given.strip()):
            return f"'{shown(given)}' is not a date written as YYYY-MM-DD"
    return None


__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "STDIN",
    "Lines",
    "describe",
    "label",
    "line_of",
    "load_model",
    "parse",
    "read_text",
    "validate",
    "written_as_typed",
]
