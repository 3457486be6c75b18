"""The decision engine: pure functions from a declaration and the law to decisions.

It contains no zone, sector or scenario name: everything it knows about the law comes from list
files (a test enforces this).
"""

from ftzlist.engine.decide import ENGINE_VERSION, decide

__all__ = ["ENGINE_VERSION", "decide"]
