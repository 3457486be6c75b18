"""The engine's sentences: one catalogue of Chinese and English templates keyed by code.

The engine says *why* with a `Message` (a code and its parameters, `ftzlist.schema.decision`);
the words are made from `reasons.yaml` beside this module, Chinese and English side by side.
`message(code, **params)` builds a Message with both texts filled (so JSON keeps code, params and
text); `say(msg, lang)` gives the text in one language at an edge (terminal, Markdown, reports,
workbook, web pages). Issue 12 item 3.

Templates use `{name}` (the parameter as it is: ids, numbers with thousands separators, lists
joined) and `{name:TABLE}` (the parameter said through one of the catalogue's tables in the
language asked; a value the table lacks is printed as it is). A parameter may itself be a
`{"zh": ..., "en": ...}` pair (e.g. a subject type's name), said in the language asked.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from ftzlist.schema.common import Text
from ftzlist.schema.decision import Message

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
_JOIN = {"zh": "、", "en": ", "}


class UnknownCode(KeyError):
    """A code the catalogue does not hold, or parameters that differ from the ones it declares."""


@cache
def catalogue() -> dict[str, Any]:
    """The parsed `reasons.yaml`: `{"tables": {table: {value: {zh, en}}}, "codes": {code:
    {"params": [names], "zh": template, "en": template}}}`."""
    text = resources.files("ftzlist.law").joinpath("reasons.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def template_fields(template: str) -> set[str]:
    """Parameter names a template uses (`{name}` and `{name:TABLE}`)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _key(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) or value is None else str(value)


class _Sayer(string.Formatter):
    def __init__(self, lang: Lang):
        self.lang = lang
        self.tables = catalogue()["tables"]

    def one(self, value: Any, table: str) -> str:
        if isinstance(value, dict) and set(value) >= {"zh", "en"}:
            return str(value[self.lang])
        if table:
            entry = self.tables[table].get(_key(value))
            if entry is not None:
                return str(entry[self.lang])
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        if value is None:
            return "—"
        return str(value)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, list | tuple):
            sentences = format_spec == "needs" or any(isinstance(v, dict) for v in value)
            sep = "; " if sentences else _JOIN[self.lang]
            return sep.join(self.one(v, format_spec) for v in value)
        if isinstance(value, dict) and not set(value) >= {"zh", "en"}:
            return _JOIN[self.lang].join(f"{k} {self.one(v, format_spec)}" for k, v in value.items())
        return self.one(value, format_spec)


def say(msg: Message, lang: Lang = "en") -> str:
    """`msg` in `lang` ("zh" or "en"), made from the catalogue.

    Raises `UnknownCode` for a code the catalogue lacks."""
    entry = catalogue()["codes"].get(msg.code)
    if entry is None:
        raise UnknownCode(msg.code)
    return _Sayer(lang).vformat(entry[lang], (), msg.params)


def message(code: str, /, **params: Any) -> Message:
    """A Message for `code` with `params` (JSON-plain values), its text filled in both languages.

    Raises `UnknownCode` when `code` is not in the catalogue or `params` are not exactly the
    parameters it declares (so a sentence can never lose a fact in one language)."""
    entry = catalogue()["codes"].get(code)
    if entry is None:
        raise UnknownCode(code)
    if set(params) != set(entry["params"]):
        raise UnknownCode(f"{code}: parameters {sorted(params)}, the catalogue declares {entry['params']}")
    bare = Message(code=code, params=params)
    return Message(code=code, params=params, text=Text(zh=say(bare, "zh"), en=say(bare, "en")))


def said(msg: Message | None, fallback: str, lang: Lang) -> str:
    """The text of `msg` in `lang`, or `fallback` (an older sentence kept for output made before
    messages existed, e.g. a stored snapshot) when there is no message."""
    if msg is None:
        return fallback
    if msg.text is not None:
        return getattr(msg.text, lang)
    return say(msg, lang)
