"""The vocabulary the scanner's categories come from.

Every category a detector or a column-name hint suggests is defined in core.yaml or discovery.yaml
(a test checks it), so `scan` loads only those two files: a scan does not depend on, or wait for, the
list files.
"""

from __future__ import annotations

from ftzlist.loader import BUNDLED, Vocabulary, load_law

FILES = ("core.yaml", "discovery.yaml")


def detector_vocabulary() -> Vocabulary:
    return load_law([BUNDLED / "vocabulary" / f for f in FILES], bundled=False).vocabulary


def full_vocabulary() -> Vocabulary:
    return load_law().vocabulary


__all__ = ["FILES", "detector_vocabulary", "full_vocabulary"]
