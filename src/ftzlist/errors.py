"""One error type for bad input, so the CLI can show a clear message instead of a traceback.

Modules below the CLI raise `InputError` naming the file, line, row, cell or field and what was
expected; the CLI prints it and exits with `EXIT_INVALID`.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_UNDETERMINED = 1
EXIT_INVALID = 2


class InputError(Exception):
    """Bad input: the message names where (file, line, field) and what was expected."""

    def __init__(self, message: str, *, where: str | None = None, problems: list[str] | None = None):
        self.where = where
        self.problems = problems or []
        super().__init__(f"{where}: {message}" if where else message)

    def render(self) -> str:
        lines = [str(self)]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)
