"""Authoring list files: a skeleton to start from and a validator that names every problem.

For users who transcribe an official list (or a new edition) themselves: `skeleton()` writes a file
that loads but does not validate until every placeholder is replaced; `validate_list()` reuses the
loader's schema and cross-reference checks and adds what a transcriber gets wrong (overlapping or
gapped bands, duplicate ids, placeholder citations, inconsistent dates).
"""

from ftzlist.authoring.skeleton import skeleton
from ftzlist.authoring.validate import Problem, validate_list

__all__ = ["Problem", "skeleton", "validate_list"]
