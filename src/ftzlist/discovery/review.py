"""Part 3 of issue 7: a drafted data item is a suggestion until a person confirms it.

`ftzlist assess` asks `unreviewed_items` and refuses to treat what it lists as fact unless told to
(`--accept-suggestions`). A person confirms an item by setting `suggested: false` (or deleting the
line) after checking it.
"""

from __future__ import annotations

from ftzlist.schema.declaration import Declaration


def unreviewed_items(declaration: Declaration) -> list[str]:
    """`flow-id/item-id` (or the item's index) for every data item still marked `suggested: true`."""
    return declaration.suggested_items()


__all__ = ["unreviewed_items"]
