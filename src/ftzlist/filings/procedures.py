"""The procedures the register knows, read from list files (never written in code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ftzlist.errors import InputError
from ftzlist.law import Vocabulary
from ftzlist.schema.lists import IncidentDuty, ListFile, Procedure


@dataclass(frozen=True)
class Entry:
    list_id: str
    procedure: Procedure
    effective_from: dt.date
    effective_to: dt.date | None


class ProcedureBook:
    """Procedures by (list id, procedure id), and by procedure id for the list in force on a day.
    Built from the law (`from_law`) it also keeps the list files and the vocabulary, so the register
    can read a list's person bands (material change, drift)."""

    def __init__(self, lists: Iterable[ListFile], vocabulary: Vocabulary | None = None):
        self.entries: dict[tuple[str, str], Entry] = {}
        self.lists: dict[str, ListFile] = {}
        self.vocabulary = vocabulary
        for lf in lists:
            self.lists[lf.id] = lf
            for p in lf.procedures:
                self.entries[(lf.id, p.id)] = Entry(lf.id, p, lf.effective_from, lf.effective_to)

    def add(
        self, list_id: str, procedure: Procedure, effective_from: dt.date, effective_to: dt.date | None = None
    ) -> ProcedureBook:
        """Add one procedure (tests and user fixtures); returns self."""
        self.entries[(list_id, procedure.id)] = Entry(list_id, procedure, effective_from, effective_to)
        return self

    @classmethod
    def from_law(cls, law: object) -> ProcedureBook:
        """From `ftzlist.loader.load_law()` (its `.lists` ListSet)."""
        return cls(iter(law.lists), law.vocabulary)  # type: ignore[attr-defined]

    def get(self, list_id: str, procedure_id: str) -> Procedure:
        try:
            return self.entries[(list_id, procedure_id)].procedure
        except KeyError:
            raise InputError(
                f"list {list_id} has no procedure '{procedure_id}'", problems=self._known()
            ) from None

    def resolve(self, procedure_id: str, on: dt.date, list_id: str | None = None) -> Entry:
        """The entry for `procedure_id`: from `list_id` if given, else the list in force on `on`
        (the newest such list when several are)."""
        if list_id is not None:
            self.get(list_id, procedure_id)
            return self.entries[(list_id, procedure_id)]
        found = [e for (lid, pid), e in self.entries.items() if pid == procedure_id]
        if not found:
            raise InputError(f"no list defines a procedure '{procedure_id}'", problems=self._known())
        in_force = [
            e for e in found if e.effective_from <= on and (e.effective_to is None or on <= e.effective_to)
        ]
        if not in_force:
            spans = ", ".join(f"{e.list_id} from {e.effective_from}" for e in found)
            raise InputError(f"no list defining '{procedure_id}' is in force on {on} ({spans}); pass --list")
        return max(in_force, key=lambda e: e.effective_from)

    def incident_duties(self, on: dt.date, procedure: Procedure | None = None) -> list[IncidentDuty]:
        """The incident duties binding a flow on `on`: `procedure`'s own (a zone's, e.g. Fujian
        measures Art. 15) and the `incident` of every national list in force that day (PIPL Art. 57,
        DSL Art. 29), in that order. Empty when the lists state none."""
        out = [procedure.incident] if procedure is not None and procedure.incident is not None else []
        for lf in self.lists.values():
            in_force = lf.effective_from <= on and (lf.effective_to is None or on <= lf.effective_to)
            if lf.kind == "national" and in_force and lf.incident is not None and lf.incident not in out:
                out.append(lf.incident)
        return out

    def _known(self) -> list[str]:
        return [f"known: {', '.join(sorted({f'{p} ({lid})' for lid, p in self.entries}))}"]
