"""Options and helpers every command shares (the CLI layer may read the clock and the environment).

Command modules import from here and from the layers below, never from one another.

- Dates: `today()` is the day in China Standard Time, the regime's day, whatever the host's time
  zone; `as_of_day(option, declared)` resolves a command's assessment date and warns on stderr when
  it lies far ahead.
- Outputs: `output_path(target, inputs=..., force=...)` refuses to write over an input and asks for
  `--force` before replacing an existing file; `replacing(target)` writes through a temporary file
  in the same folder, so a failed write never leaves half a file behind.
- Formats: `format_option(...)` is the `--format` option of every command, from one table of names.
- The register: `DbOption`, `CalendarsOption`, `open_register(...)` (SQLite in the user data folder
  unless `--db` or FTZLIST_DB names another database), `working_calendar(...)`, and how a deadline's
  status and date read (`status_badge`, `date_cell`), for `filings`, `due`, `calendar` and `pack`.
- Command groups: `group(name, help)` is the one sub-app of that name, for commands that several
  modules add to (`lists`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ftzlist.errors import InputError
from ftzlist.identifiers.masking import shown
from ftzlist.render.output import escape

if TYPE_CHECKING:
    from rich.console import Console

    from ftzlist.calendar import WorkingCalendar
    from ftzlist.filings.drift import FlowDrift
    from ftzlist.filings.register import DueRow, Register
    from ftzlist.law import Law

__all__ = [
    "CST",
    "FAR_AHEAD_DAYS",
    "KEY_ENV",
    "ActorOption",
    "AsOfOption",
    "CalendarsOption",
    "DbOption",
    "ForceOption",
    "ListsOption",
    "OutputFormat",
    "as_of_day",
    "calendar_dirs",
    "console",
    "data_dir",
    "date_cell",
    "db_url",
    "escape",
    "format_option",
    "group",
    "law",
    "list_arg",
    "open_register",
    "output_path",
    "outputs_for",
    "parse_date",
    "print_drift",
    "read_key",
    "replacing",
    "status_badge",
    "today",
    "warn",
    "working_calendar",
    "write_text",
]

CST = dt.timezone(dt.timedelta(hours=8), "CST")
"""China Standard Time (UTC+8, no daylight saving since 1991): the day the regime counts in."""

FAR_AHEAD_DAYS = 366
"""An assessment date further ahead than this is warned about: lists and calendars of that year may
not be known yet."""

ListsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--lists",
        metavar="PATH",
        help="Extra list files or folders (added to the bundled lists).",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Assessment date, YYYY-MM-DD (default: the declaration's as_of, else today in China Standard Time).",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace an output file that already exists.", show_default=False)
]


def now() -> dt.datetime:
    """The current time in China Standard Time (tests replace this function)."""
    return dt.datetime.now(CST)


def today() -> dt.date:
    """Today in China Standard Time: at 20:00 UTC on 31 December it is already 1 January in China."""
    return now().date()


def parse_date(value: str, what: str = "--as-of") -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise InputError(f"{what}: '{shown(value)}' is not a date in the form YYYY-MM-DD")
    return day


def as_of_day(option: str | None, declared: dt.date | None = None, *, what: str = "--as-of") -> dt.date:
    """The assessment date: `--as-of`, else the date the declaration gives, else today (CST).
    A date more than a year ahead is used, with a warning on stderr."""
    day = parse_date(option, what) if option else (declared or today())
    ahead = (day - today()).days
    if ahead > FAR_AHEAD_DAYS:
        warn(
            f"the assessment date {day} is {ahead:,} days ahead: the lists, thresholds and working-day "
            "calendars of that time may not be known yet, and the answer uses today's"
        )
    return day


def law(extra: list[Path] | None) -> Law:
    from ftzlist.loader import load_law

    return load_law(extra or ())


def console(stderr: bool = False) -> Console:
    """A Rich console: markup only where we write it (user text goes through `escape` or `Text`),
    no emoji codes (`:phone:` stays text), no automatic highlighting. Without a terminal, lines are
    not wrapped, so a pipe, a CI log or cron mail gets every value whole."""
    from rich.console import Console

    c = Console(stderr=stderr, emoji=False, highlight=False)
    c.soft_wrap = not c.is_terminal
    c.on_broken_pipe = _pipe_closed  # type: ignore[method-assign]  # Rich would exit with 1 (undetermined)
    return c


def _pipe_closed() -> None:
    """Our reader went away (`| head`): stop writing and let `cli.main` exit with 141."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise BrokenPipeError


def warn(message: str) -> None:
    """A warning on stderr (never mixed into machine output on stdout), masked like an error."""
    from ftzlist.identifiers.masking import message as masked

    console(stderr=True).print(f"[yellow]warning:[/yellow] {escape(masked(message))}")


# --- formats ----------------------------------------------------------------------------------------


class OutputFormat(StrEnum):
    """Every output format a command may offer; each command offers a subset (`format_option`)."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    xlsx = "xlsx"
    csv = "csv"
    ics = "ics"
    html = "html"
    pdf = "pdf"
    docx = "docx"


FORMAT_HELP = {
    "table": "table: for people (records when not on a terminal)",
    "json": "json: the stable machine interface",
    "jsonl": "jsonl: the same, one line per flow, streamed (docs/json-output.md)",
    "markdown": "markdown: for tickets and wikis",
    "xlsx": "xlsx: a workbook",
    "csv": "csv",
    "ics": "ics: calendar feed",
    "html": "html",
    "pdf": "pdf",
    "docx": "docx",
}


def format_option(*choices: str, default: str = "table", extra_help: str = "") -> Any:
    """The `--format/-f` option offering `choices` (names of `OutputFormat`), for a command's
    signature: `fmt: format_option("table", "json") = "table"`. Values compare equal to strings."""
    unknown = [c for c in choices if c not in OutputFormat.__members__]
    if unknown:  # pragma: no cover - a programming error caught by the CLI tests
        raise ValueError(f"unknown output format(s) {unknown}")
    enum = StrEnum("Format", {c: c for c in choices})  # type: ignore[misc]
    text = "Output format: " + "; ".join(FORMAT_HELP[c] for c in choices) + "."
    return Annotated[
        enum,
        typer.Option(
            "--format",
            "-f",
            metavar="|".join(choices),
            help=text + (f" {extra_help}" if extra_help else ""),
            case_sensitive=False,
        ),
    ]


# --- files we write -----------------------------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def output_path(
    target: Path | str,
    *,
    inputs: Iterable[Path | str] = (),
    force: bool = False,
    what: str = "output",
) -> Path:
    """`target`, checked before anything is written: not one of `inputs` (whatever the spelling of
    the path or a link to it), not an existing file unless `force`, not a folder, in a folder that
    exists. Raises `InputError` (exit 2) naming the file."""
    path = Path(target)
    for src in inputs:
        if str(src) in ("-", "") or "://" in str(src):
            continue
        if _same_file(path, Path(src)):
            raise InputError(
                f"the {what} would overwrite an input file; choose another file name", where=str(path)
            )
    if path.is_dir():
        raise InputError(f"the {what} is a folder; name a file", where=str(path))
    if not path.parent.is_dir():
        raise InputError(f"the folder for the {what} does not exist", where=str(path))
    if path.exists() and not force:
        raise InputError(f"the {what} file exists; pass --force to replace it", where=str(path))
    return path


def outputs_for(
    inputs: list[Path],
    out: Path | None,
    default: Callable[[Path], Path],
    *,
    force: bool = False,
    what: str = "output",
) -> list[Path]:
    """One output file per input, all checked before anything is written: `--out FILE` for one
    input; for several, `--out FOLDER` (each file named as by `default`) or no `--out` (each file
    beside its input, named by `default`). Two outputs may not be one file."""
    if out is not None and len(inputs) > 1 and not Path(out).is_dir():
        raise InputError(
            f"--out names one file but {len(inputs)} inputs were given: name a folder, or leave --out "
            "out to write each beside its input",
            where=str(out),
        )
    targets = []
    for src in inputs:
        if out is None and str(src) == "-":
            raise InputError(f"the input is standard input: name the {what} with --out")
        if out is None:
            targets.append(default(src))
        elif Path(out).is_dir() and (len(inputs) > 1 or str(src) != "-"):
            targets.append(Path(out) / default(src).name)
        else:
            targets.append(Path(out))
    seen: dict[Path, Path] = {}
    for src, target in zip(inputs, targets, strict=True):
        key = target.resolve()
        if key in seen:
            raise InputError(
                f"the {what}s of {seen[key]} and {src} would be the same file", where=str(target)
            )
        seen[key] = src
        output_path(target, inputs=inputs, force=force, what=what)
    return targets


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` (same suffix) to write to; on success it replaces `target`
    in one step, on failure it is removed and `target` is untouched."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as openpyxl and DuckDB create the file themselves
    try:
        yield tmp
        if not tmp.exists():  # pragma: no cover - the writer wrote nothing
            raise InputError("nothing was written", where=str(target))
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text(target: Path, text: str) -> None:
    """Write text to `target` through `replacing`."""
    with replacing(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


# --- command groups -----------------------------------------------------------------------------------

_GROUPS: dict[str, typer.Typer] = {}


def group(name: str, help: str | None = None) -> typer.Typer:
    """The sub-app `ftzlist NAME`, created on first use: modules that add commands to one group
    share it through here instead of importing each other."""
    if name not in _GROUPS:
        _GROUPS[name] = typer.Typer(help=help, no_args_is_help=False)
    elif help and not _GROUPS[name].info.help:
        _GROUPS[name].info.help = help
    return _GROUPS[name]


def list_arg(value: str, extra: list[Path] | None) -> tuple:
    """A list given by file path or by the id of a bundled (or --lists) list: (list file, sha256)."""
    from ftzlist.loader import load_list_file

    p = Path(value)
    if p.suffix in (".yaml", ".yml", ".json") or p.exists():
        return load_list_file(p)
    the_law = law(extra)
    lf = the_law.lists.get(value)
    return lf, the_law.lists.sha256[lf.id]


# --- the register -------------------------------------------------------------------------------------

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="SQLAlchemy URL of the register (default: SQLite in the user data dir; env FTZLIST_DB).",
        show_default=False,
    ),
]
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor",
        help="Who is making the change, for the audit trail (default: env FTZLIST_ACTOR or the login name).",
        show_default=False,
    ),
]
CalendarsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--calendars",
        metavar="PATH",
        help="Extra folders of calendar year files (YYYY.yaml).",
        show_default=False,
    ),
]


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("ftzlist", appauthor=False))


def db_url(db: str | None) -> str:
    from ftzlist.filings.db import default_url

    return db or os.environ.get("FTZLIST_DB") or default_url(data_dir())


def calendar_dirs(extra: list[Path] | None) -> list[Path]:
    """User calendar files: the data dir's `calendars/` folder, then any `--calendars` folders."""
    return [data_dir() / "calendars", *(extra or [])]


def working_calendar(extra: list[Path] | None) -> WorkingCalendar:
    from ftzlist.calendar import WorkingCalendar

    return WorkingCalendar.load(calendar_dirs(extra))


def open_register(
    db: str | None,
    lists: list[Path] | None = None,
    calendars: list[Path] | None = None,
    actor: str | None = None,
    *,
    must_exist: bool = False,
) -> Register:
    """The register at `db` (or FTZLIST_DB, or SQLite in the user data dir), migrated. With
    `must_exist` (commands that only read it), a SQLite file that does not exist is an error, not
    an empty register created on the spot."""
    import getpass

    from ftzlist.filings.procedures import ProcedureBook
    from ftzlist.filings.register import Register

    url = db_url(db)
    if must_exist:
        missing = sqlite_file_missing(url)
        if missing is not None:
            raise InputError(
                f"no register at {missing}: the database file does not exist (check --db or FTZLIST_DB; "
                "`ftzlist filings add` creates the register)"
            )
    who = actor or os.environ.get("FTZLIST_ACTOR") or getpass.getuser()
    return Register.open(
        url,
        calendar=working_calendar(calendars),
        procedures=ProcedureBook.from_law(law(lists)),
        actor=who,
    )


def sqlite_file_missing(url: str) -> str | None:
    """The path of a SQLite URL's database file when that file does not exist (else None)."""
    from sqlalchemy.engine import make_url

    try:
        u = make_url(url)
    except Exception:
        return None  # not a URL: opening it says so
    if not u.drivername.startswith("sqlite") or not u.database or u.database == ":memory:":
        return None
    return None if Path(u.database).exists() else u.database


def status_badge(row: DueRow) -> str:
    return {
        "overdue": "[bold white on red] OVERDUE [/]",
        "expired": "[bold white on red] EXPIRED [/]",
        "due_today": "[bold black on yellow] TODAY [/]",
        "window_open": "[bold black on cyan] OPEN [/]",
        "upcoming": "[green]upcoming[/]",
        "lapsed": "[dim]lapsed[/]",
        "met": "[green]done[/]",
        "met_late": "[yellow]done late[/]",
        "closed": "[dim]closed[/]",
    }.get(row.status, row.status)


def date_cell(day: dt.date, provisional: bool) -> str:
    text = f"{day:%Y-%m-%d %a}"
    return f"[magenta]{text} ≈[/]" if provisional else text


KEY_ENV = "FTZLIST_HASH_KEY"


def read_key(key_file: Path | None) -> bytes:
    """The HMAC key: `--key-file` or the FTZLIST_HASH_KEY environment variable (CLI layer only)."""
    from ftzlist.counting.hashing import check_key

    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as exc:
            raise InputError(f"cannot read the hash key: {exc.strerror}", where=str(key_file)) from None
        return check_key(key)
    env = os.environ.get(KEY_ENV)
    if env:
        return check_key(env.encode("utf-8"))
    raise InputError(
        f"no hash key: pass --key-file FILE or set {KEY_ENV} (at least 16 bytes; keep it away from the data)"
    )


def print_drift(drifts: list[FlowDrift], day: dt.date, *, only_warnings: bool = False) -> None:
    """Drift against the filings as records that keep every value whole at any width (`filings
    drift`; `due` prints the lines crossed or projected this year only)."""
    out = console()
    shown = [d for d in drifts if d.warnings] if only_warnings else drifts
    if not shown:
        if not only_warnings:
            out.print("No live filing with filed content to watch.")
        return
    out.print(f"[bold]Drift against the filings, {day.year} to {day}[/]")
    badge = {"crossed": "[bold white on red] CROSSED [/]", "warning": "[bold black on yellow] WARNING [/]"}
    for d in shown:
        out.print(
            f"[bold]{escape(d.proceeding)}[/] · {escape(f'{d.handler} / {d.flow}')} · {d.count:,} persons "
            f"this year ({escape(d.source)}) · filed {d.filed_persons or '—'}"
            + (f" · approved {d.approved_persons:,}" if d.approved_persons is not None else "")
        )
        for s in d.warnings if only_warnings else d.lines:
            if s.crossed_on:
                when = f"crossed on {s.crossed_on}"
            elif s.projected_on:
                when = f"≈ {s.projected_on} at the current rate" + (
                    "" if s.projected_within_window else " (after 31 December: the count restarts)"
                )
            else:
                when = "no rate yet"
            axis = f" ({s.axis} persons)" if s.axis else ""
            out.print(f"  {badge.get(s.status, '[green]ok[/]')} {s.threshold:,}{axis}: {escape(s.label)}")
            out.print(f"      {when}" + (f" · {escape(s.action)}" if s.action else ""))
            out.print(f"      [dim]basis: {escape(s.citation)}[/]")
        for n in d.notes:
            out.print(f"  [dim]{escape(n)}[/]")
        if d.opened:
            out.print(
                f"  opened fresh application [bold]{escape(d.opened)}[/] (follows {escape(d.proceeding)})"
            )
