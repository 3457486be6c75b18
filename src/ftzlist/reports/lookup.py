"""Lookups in the law that every report needs: the procedure an obligation names, a rule's title."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.schema.lists import ListFile, Procedure


def find_procedure(law: Law, list_id: str, procedure_id: str) -> tuple[ListFile, Procedure] | None:
    """The procedure an obligation names: in the obligation's own list first, then in any list
    (a zone rule can send a flow to a national procedure). None when no list defines it."""
    own = [law.lists.by_id[list_id]] if list_id in law.lists.by_id else []
    for lf in [*own, *law.lists]:
        for p in lf.procedures:
            if p.id == procedure_id:
                return lf, p
    return None


def rule_title(law: Law, list_id: str, rule_id: str) -> tuple[str, str]:
    """(Chinese, English) title of a list's item, off-list rule or exemption; the id when unknown."""
    lf = law.lists.by_id.get(list_id)
    if lf is not None:
        for it in [*lf.items, *([lf.off_list] if lf.off_list else [])]:
            if it.id == rule_id:
                return (it.title.zh, it.title.en)
        for e in lf.exemptions:
            if e.id == rule_id:
                return (e.name.zh, e.name.en)
    return (rule_id, rule_id)
