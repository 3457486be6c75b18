"""One run over a group's handlers: each subsidiary decided on its own declaration (in its zone, or
none), then a group summary and roll-ups by recipient and by recipient country.

Thresholds are the law's per handler (CBDF Arts. 7–8 count a data handler's own exports), so each
entity is decided alone and nothing here pools persons across entities to reach a pathway; the
roll-ups add persons only to show exposure to a recipient or a country, and say so. A handler may
not be split over two declarations (its exports would be counted apart, so lighter): two
declarations naming the same handler are refused.
"""

from ftzlist.group.model import CountryRollup, Entity, GroupResult, GroupSummary, RecipientRollup
from ftzlist.group.rollup import GroupFile, load_group, run_group

__all__ = [
    "CountryRollup",
    "Entity",
    "GroupFile",
    "GroupResult",
    "GroupSummary",
    "RecipientRollup",
    "load_group",
    "run_group",
]
