"""HTML form values <-> declarations and register inputs. Validation is the schema's and the
loader's own (never a second set of rules here); their messages are placed at the field they name,
worded as the CLI words them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import ValidationError

from ftzlist.errors import InputError
from ftzlist.schema.declaration import Declaration, Flow

ITEM_ROWS = 2  # blank data-item rows offered under the existing ones
FLAGS = ("important_data", "core_data", "export_controlled", "anonymised")
_PROBLEM = re.compile(r"^flows\[(\d+)\] \([^)]*\)\.(?P<field>[^:]+): ")


def flow_values(flow: Flow) -> dict[str, str]:
    """A flow as flat form values (`recipient.name`, `data.0.category`, ...)."""
    v: dict[str, str] = {
        "id": flow.id,
        "scenario": flow.scenario or "",
        "recipient.name": flow.recipient.name,
        "recipient.country": flow.recipient.country,
        "purpose": flow.purpose,
        "exemption": flow.exemption or "",
    }
    for j, d in enumerate(flow.data):
        p = f"data.{j}."
        v[p + "id"] = d.id or ""
        v[p + "category"] = d.category
        v[p + "subject"] = d.subject or ""
        v[p + "persons"] = "" if d.persons is None else str(d.persons)
        v[p + "records"] = "" if d.records is None else str(d.records)
        v[p + "sensitive"] = "" if d.sensitive is None else str(d.sensitive).lower()
        for flag in FLAGS:
            if getattr(d, flag):
                v[p + flag] = "on"
    return v


def item_rows(values: dict[str, str]) -> int:
    """How many data-item rows the form shows: those filled in, plus `ITEM_ROWS` blank ones."""
    used = [int(m.group(1)) for k in values if (m := re.match(r"data\.(\d+)\.", k))]
    return (max(used) + 1 if used else 0) + ITEM_ROWS


def _number(raw: str) -> Any:
    raw = raw.strip().replace(",", "")
    return int(raw) if re.fullmatch(r"\d{1,15}", raw) else raw  # anything else: the schema says why


def _item(values: dict[str, str], j: int, original: dict[str, Any] | None) -> dict[str, Any] | None:
    p = f"data.{j}."
    if not values.get(p + "category", "").strip():
        return None
    item: dict[str, Any] = dict(original or {})  # keep what the form does not show (cleared, sources)
    item["category"] = values[p + "category"].strip()
    for key in ("id", "subject"):
        val = values.get(p + key, "").strip()
        if val:
            item[key] = val
        else:
            item.pop(key, None)
    for key in ("persons", "records"):
        val = values.get(p + key, "").strip()
        if val:
            item[key] = _number(val)
        else:
            item.pop(key, None)
    sens = values.get(p + "sensitive", "")
    if sens in ("true", "false"):
        item["sensitive"] = sens == "true"
    else:
        item.pop("sensitive", None)
    for flag in FLAGS:
        item[flag] = values.get(p + flag) == "on"
    return item


def apply_flow(decl: Declaration, values: dict[str, str], original: str | None) -> tuple[Declaration, int]:
    """The declaration with the flow from `values` replacing `original` (or added); raises the
    schema's `ValidationError`. Returns the new declaration and the flow's index."""
    doc = decl.model_dump(mode="json", exclude_none=True)
    ids = [f["id"] for f in doc["flows"]]
    index = ids.index(original) if original in ids else len(ids)
    old = doc["flows"][index] if index < len(ids) else {}
    old_items = old.get("data", [])
    rows = item_rows(values)
    items = [_item(values, j, old_items[j] if j < len(old_items) else None) for j in range(rows)]
    flow: dict[str, Any] = {
        "id": values.get("id", "").strip(),
        "recipient": {
            "name": values.get("recipient.name", "").strip(),
            "country": values.get("recipient.country", "").strip().upper(),
        },
        "purpose": values.get("purpose", "").strip(),
        "data": [i for i in items if i is not None],
    }
    for key in ("scenario", "exemption"):
        if values.get(key, "").strip():
            flow[key] = values[key].strip()
    if index < len(ids):
        doc["flows"][index] = flow
    else:
        doc["flows"].append(flow)
    return Declaration.model_validate(doc), index


def errors_from_validation(exc: ValidationError, index: int) -> dict[str, str]:
    """Schema errors by form field; `_form` holds those about the declaration as a whole."""
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        path = ".".join(str(p) for p in loc)
        if len(loc) >= 3 and loc[0] == "flows" and loc[1] == index:
            out[".".join(str(p) for p in loc[2:])] = f"{path}: {err['msg']}"
        else:
            out.setdefault("_form", "")
            out["_form"] += f"{path or '(flow)'}: {err['msg']}\n"
    return out


def errors_from_problems(problems: list, index: int) -> dict[str, str]:
    """The loader's cross-reference problems (unknown scenario, category ...) by form field."""
    out: dict[str, str] = {}
    for problem in map(str, problems):
        m = _PROBLEM.match(problem)
        if m and int(m.group(1)) == index:
            field = re.sub(r"\[(\d+)\]", r".\1", m.group("field"))
            out[field] = problem
        else:
            out["_form"] = out.get("_form", "") + problem + "\n"
    return out


HANDLER_FIELDS = ("name", "uscc", "zone", "area", "sector", "enterprise_type")
HOLDINGS = ("persons_pi", "persons_sensitive", "persons_sensitive_accounts_or_medical")


def handler_values(decl: Declaration) -> dict[str, str]:
    """The handler's facts (and the declaration's as-of date) as flat form values."""
    h = decl.handler
    v = {k: getattr(h, k) or "" for k in HANDLER_FIELDS}
    v["ciio"] = "" if h.ciio is None else str(h.ciio).lower()
    for k in HOLDINGS:
        n = getattr(h.holdings, k) if h.holdings else None
        v[f"holdings.{k}"] = "" if n is None else str(n)
    v["as_of"] = decl.as_of.isoformat() if decl.as_of else ""
    return v


def apply_handler(decl: Declaration, values: dict[str, str]) -> Declaration:
    """The declaration with the handler's facts from `values` (what the form does not show, such
    as past penalties, is kept); raises the schema's `ValidationError`."""
    doc = decl.model_dump(mode="json", exclude_none=True)
    handler = dict(doc["handler"])
    for k in HANDLER_FIELDS:
        val = values.get(k, "").strip()
        if val:
            handler[k] = val
        else:
            handler.pop(k, None)
    ciio = values.get("ciio", "")
    if ciio in ("true", "false"):
        handler["ciio"] = ciio == "true"
    else:
        handler.pop("ciio", None)  # unknown is not false
    holdings = {
        k: _number(values[f"holdings.{k}"]) for k in HOLDINGS if values.get(f"holdings.{k}", "").strip()
    }
    if holdings:
        handler["holdings"] = holdings
    else:
        handler.pop("holdings", None)
    doc["handler"] = handler
    as_of = values.get("as_of", "").strip()
    if as_of:
        doc["as_of"] = as_of
    else:
        doc.pop("as_of", None)
    return Declaration.model_validate(doc)


def handler_errors(problems: list[str]) -> dict[str, str]:
    """Schema or loader problems about the handler (or the date), by form field."""
    out: dict[str, str] = {}
    for problem in problems:
        m = re.match(r"^(handler\.(?P<field>[a-z_.]+)|(?P<top>as_of)): ", problem)
        if m:
            out[m.group("field") or m.group("top")] = problem
        else:
            out["_form"] = out.get("_form", "") + problem + "\n"
    return out


def validation_problems(exc: ValidationError) -> list[str]:
    """A schema error as the CLI words it, one line per field: `handler.zone: <message>`."""
    out = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        out.append(f"{'.'.join(str(p) for p in loc) or '(declaration)'}: {err['msg']}")
    return out


def day(value: str, what: str) -> dt.date:
    try:
        d = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{what}: '{value}' is not a date in the form YYYY-MM-DD") from None
    if not dt.date(2000, 1, 1) <= d <= dt.date(2099, 12, 31):
        raise InputError(f"{what}: {value} is outside 2000-01-01 .. 2099-12-31")
    return d


def count(value: str, what: str) -> int | None:
    value = value.strip().replace(",", "")
    if not value:
        return None
    if not re.fullmatch(r"\d{1,10}", value):
        raise InputError(f"{what}: '{value}' is not a whole number of {what}")
    return int(value)


def filed_content(text: str):
    """Filed content typed or pasted as YAML or JSON (`FiledContent`), errors by field."""
    from ftzlist.filings.content import FiledContent
    from ftzlist.yamlio import parse, validate

    return validate(FiledContent, parse(text, "content"), text, "content")
