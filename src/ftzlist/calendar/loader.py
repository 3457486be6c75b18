"""Find and read calendar files: the bundled ones, then any a user adds for a year published after
our release (user files win, so a correction or an amendment notice can be applied at once)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ftzlist.calendar.model import CalendarYear
from ftzlist.errors import InputError
from ftzlist.yamlio import parse, read_text

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "lists" / "calendars" / "cn"
"""Where the bundled calendar files live: one `YYYY.yaml` per year."""


def read_calendar_file(path: Path) -> CalendarYear:
    """Read one calendar file; a bad file is an `InputError` naming the file and the field."""
    raw = parse(read_text(path), str(path))  # YAML 1.2 core scalars: dates stay text for pydantic
    if not isinstance(raw, dict):
        raise InputError("expected a mapping with year, notices, holidays, working_weekends", where=str(path))
    try:
        year = CalendarYear.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()]
        raise InputError("invalid calendar file", where=str(path), problems=problems) from None
    if path.stem.isdigit() and int(path.stem) != year.year:
        raise InputError(f"file is named for {path.stem} but declares year {year.year}", where=str(path))
    return year


def load_calendar_years(
    extra_dirs: Iterable[Path] = (), *, bundled: bool = True
) -> dict[int, tuple[CalendarYear, Path]]:
    """All calendar years found, keyed by year, with the file each came from.

    `extra_dirs` are read after the bundled directory; a later file for the same year replaces an
    earlier one. Missing directories are skipped (a fresh install has no user calendars).
    """
    dirs = ([BUNDLED_DIR] if bundled else []) + [Path(d) for d in extra_dirs]
    found: dict[int, tuple[CalendarYear, Path]] = {}
    for directory in dirs:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.yaml")):
            year = read_calendar_file(path)
            found[year.year] = (year, path)
    return found
