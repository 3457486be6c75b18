"""A list file written as YAML the way the bundled lists are written: schema key order, dates as
dates, defaults left out, Chinese as Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from ftzlist.schema.lists import ListFile

_DATE_KEYS = {"issued", "effective_from", "effective_to", "trial_until", "last_checked_on", "date"}


def _dates(node: Any) -> Any:
    """Dates back to dates; a citation's `label` left out (the loader makes it from the registry)."""
    if isinstance(node, dict):
        return {
            k: dt.date.fromisoformat(v) if k in _DATE_KEYS and isinstance(v, str) else _dates(v)
            for k, v in node.items()
            if not (k == "label" and "instrument" in node)
        }
    if isinstance(node, list):
        return [_dates(v) for v in node]
    return node


def list_data(lf: ListFile) -> dict[str, Any]:
    """The list as plain data: JSON types except dates, no None, no defaults."""
    return _dates(lf.model_dump(mode="json", exclude_none=True, exclude_defaults=True))


def dump_list(lf: ListFile) -> str:
    return yaml.safe_dump(list_data(lf), allow_unicode=True, sort_keys=False, width=110)
