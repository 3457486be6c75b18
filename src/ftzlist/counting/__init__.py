"""Export logs -> de-duplicated natural persons, cumulative from 1 January, with crossing dates.

Entry points: `count_persons(expand(paths), load_mapping(path), as_of=..., key=...)` and
`fill.fill_declaration(declaration, result)`. See docs/counting.md for the readings taken.
"""

from ftzlist.counting.mapping import Mapping, load_mapping
from ftzlist.counting.pipeline import count_persons
from ftzlist.counting.result import CountResult
from ftzlist.counting.sources import LogFile, expand

__all__ = ["CountResult", "LogFile", "Mapping", "count_persons", "expand", "load_mapping"]
