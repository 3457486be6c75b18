"""Find and read calendar files: the bundled ones, then any a user adds for a year published after
our release (user files win, so a correction or an amendment notice can be applied at once)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import ValidationError

from ftzlist.calendar.model import CalendarYear
from ftzlist.errors import InputError


class _Loader(yaml.SafeLoader):
    """Safe YAML with dates left as text, so pydantic checks them and names the field."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "lists" / "calendars" / "cn"
"""Where the bundled calendar files live: one `YYYY.yaml` per year."""


def read_calendar_file(path: Path) -> CalendarYear:
    """Read one calendar file; a bad file is an `InputError` naming the file and the field."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise InputError("calendar file not found", where=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", where=where) from None
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
