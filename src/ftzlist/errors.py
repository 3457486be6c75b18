"""One error type for bad input, so the CLI can show a clear message instead of a traceback.

Modules below the CLI raise `InputError` naming the file, line, row, cell or field and what was
expected; the CLI prints it and exits with `EXIT_INVALID`. The problems an error lists are
structured (`Problem`: where, line, field path, message), so a caller that needs the line or the
field reads it instead of parsing the message back.

No raw identifier leaves through an error: every message, place and problem is passed through
`ftzlist.identifiers.masking.message` when the error is made (identifier-shaped parts and passwords
masked, file names kept), so a value quoted where the error is raised is masked wherever the error
is shown (the command line, the web, `lists validate`).

Exit codes are part of the interface: 0 every flow determined (or the command did its job), 1 some
flow `undetermined`, 2 bad input (a message says where), 3 anything else: a bug in ftzlist, never
the user's fault, reported without a traceback (FTZLIST_DEBUG=1 shows it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

EXIT_OK = 0
EXIT_UNDETERMINED = 1
EXIT_INVALID = 2
EXIT_BUG = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    `where` is the file (or sheet and cell, or command-line option); `line` its 1-based line when
    known; `loc` the field path inside the document (`("flows", 0, "data", 2, "persons")`).
    """

    message: str
    where: str | None = None
    line: int | None = None
    loc: tuple[str | int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", _masked(self.message))
        object.__setattr__(self, "where", None if self.where is None else _masked(self.where))
        object.__setattr__(self, "loc", tuple(p if isinstance(p, int) else _masked(p) for p in self.loc))

    @property
    def field(self) -> str:
        return ".".join(str(p) for p in self.loc)

    def __str__(self) -> str:
        place = self.where or ""
        if self.line is not None:
            place = f"{place}:{self.line}" if place else f"line {self.line}"
        parts = [p for p in (place, self.field, self.message) if p]
        return ": ".join(parts)


class InputError(Exception):
    """Bad input: the message names where (file, line, field) and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        line: int | None = None,
        problems: Sequence[Problem | str] | None = None,
    ):
        message, where = _masked(message), None if where is None else _masked(where)
        self.message = message
        self.where = where
        self.line = line
        self.problems: list[Problem] = [
            p if isinstance(p, Problem) else Problem(str(p)) for p in problems or ()
        ]
        place = f"{where}:{line}" if where and line is not None else where
        super().__init__(f"{place}: {message}" if place else message)

    def render(self) -> str:
        lines = [str(self)]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)


def _masked(text: object) -> str:
    from ftzlist.identifiers.masking import message  # lazy: identifiers raise InputError

    return message(str(text))
