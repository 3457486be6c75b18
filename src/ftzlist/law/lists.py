"""Every loaded list version (`ListSet`) and the law a decision is made on (`Law`)."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ftzlist.errors import InputError
from ftzlist.law.vocabulary import Vocabulary
from ftzlist.schema.instruments import Instruments
from ftzlist.schema.lists import ListFile


def nearest(value: str, choices: Iterable[str], n: int = 3) -> str:
    """'; nearest valid: a, b' for an error message, or '' when nothing is close."""
    close = difflib.get_close_matches(value, list(choices), n=n, cutoff=0.5)
    return f"; nearest valid: {', '.join(close)}" if close else ""


@dataclass(frozen=True)
class ListSet:
    """Every loaded list version, with the content hash and path of its file."""

    by_id: dict[str, ListFile]
    sha256: dict[str, str]
    paths: dict[str, Path]

    def __iter__(self) -> Iterator[ListFile]:
        return iter(sorted(self.by_id.values(), key=lambda lf: (lf.family, lf.effective_from, lf.id)))

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, list_id: str) -> ListFile:
        try:
            return self.by_id[list_id]
        except KeyError:
            raise InputError(f"no list '{list_id}'{nearest(list_id, self.by_id)}") from None

    def in_force(self, day: dt.date) -> list[ListFile]:
        """Lists certainly in force on `day` (a disputed first day counts from the later date)."""
        return [lf for lf in self if lf.in_force(day)]

    def disputed(self, day: dt.date) -> list[ListFile]:
        """Lists whose sources disagree on whether they are in force on `day` (`effective_from_dates`)."""
        return [lf for lf in self if lf.in_force_disputed(day)]

    def national_or_none(self, day: dt.date) -> ListFile | None:
        """The national regime in force on `day`, None when no national file covers the day.

        Raises `InputError` when two national files overlap (a data error)."""
        found = [lf for lf in self.in_force(day) if lf.kind == "national"]
        if len(found) > 1:
            raise InputError(
                f"expected one national list in force on {day}, found {', '.join(lf.id for lf in found)}"
            )
        return found[0] if found else None

    def national(self, day: dt.date) -> ListFile:
        """The national regime in force on `day`; `InputError` when there is none."""
        found = self.national_or_none(day)
        if found is None:
            earliest = min((lf.effective_from for lf in self if lf.kind == "national"), default=None)
            hint = f" (the earliest national regime encoded starts {earliest})" if earliest else ""
            raise InputError(f"no national regime is encoded for {day}{hint}")
        return found


@dataclass(frozen=True)
class Law:
    """The vocabularies, list versions and instruments registry a decision is made on."""

    vocabulary: Vocabulary
    lists: ListSet
    instruments: Instruments = field(default_factory=lambda: Instruments({}))
