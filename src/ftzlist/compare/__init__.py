"""One declaration judged under every zone side by side, and the lighter lawful paths other zones'
lists offer where the handler's own list lets it rely on them."""

from ftzlist.compare.alternatives import cross_zone_alternatives
from ftzlist.compare.matrix import Burden, Cell, Comparison, compare
from ftzlist.compare.placements import Placement, place, placements

__all__ = [
    "Burden",
    "Cell",
    "Comparison",
    "Placement",
    "compare",
    "cross_zone_alternatives",
    "place",
    "placements",
]
