"""What changed since last time: two decisions of one handler compared flow by flow, and why each
flow's pathway moved — the data, a list edition (new in force, or a revised file), the date, or the
engine — as a memo for the file.

Decisions come from `ftzlist assess --format json` files or from the register's decision snapshots
(`ftzlist filings snapshot`), read through the register's public API.
"""

from ftzlist.snapshots.diff import Cause, FlowChange, HandlerSnapshot, SnapshotDiff, diff, from_decision_set

__all__ = ["Cause", "FlowChange", "HandlerSnapshot", "SnapshotDiff", "diff", "from_decision_set"]
