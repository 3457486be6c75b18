"""ftzlist: China's cross-border data-export rules and FTZ negative lists as software."""

__version__ = "0.1.0"
