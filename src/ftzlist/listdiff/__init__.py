"""What a new edition of a list changes: in the text (`diff_lists`) and for one company (`impact`)."""

from ftzlist.listdiff.diff import ListDiff, diff_lists
from ftzlist.listdiff.impact import Impact, impact

__all__ = ["Impact", "ListDiff", "diff_lists", "impact"]
