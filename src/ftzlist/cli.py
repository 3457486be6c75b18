"""The `ftzlist` command: a thin Typer app over the modules below it.

Each sub-command lives in `ftzlist.commands.<name>` and exposes `register(app)`. Command modules
import heavy libraries inside the command functions, so `ftzlist --help` starts fast.

Exit codes (`ftzlist.errors`): 0 done, 1 a flow is `undetermined`, 2 bad input or environment (a
message names the file, line, field or option; never a traceback), 3 a bug in ftzlist (reported
without a traceback or any input value; FTZLIST_DEBUG=1 shows the traceback), 130 interrupted, 141
standard output closed by its reader (`| head`).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

import typer

from ftzlist import __version__
from ftzlist.errors import EXIT_BUG, EXIT_INVALID, InputError

app = typer.Typer(
    name="ftzlist",
    help="China cross-border data export: national rules and FTZ negative lists, with reasons.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

COMMAND_MODULES = (
    *("assess", "lists", "listtools", "compare", "schema", "scan", "count", "report", "template"),
    *("filings", "due", "calendar", "vocab", "listimport", "listdoc"),
    *("pack", "group", "snapshots"),
    *("serve", "accounts", "agency"),
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"ftzlist.commands.{_name}").register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ftzlist {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
            show_default=False,
        ),
    ] = False,
) -> None:
    """China cross-border data export: national rules and FTZ negative lists, with reasons."""


RICH_HELP_MIN_WIDTH = 100
"""Help is drawn in Rich panels only on a terminal at least this wide; elsewhere plain text that a
pipe, a pager or an 80-column terminal shows whole."""

_METAVARS = {
    "as_of": "DATE",
    "on": "DATE",
    "lists": "PATH",
    "calendars": "PATH",
    "out": "FILE",
    "logs": "LOG",
}


def _choices(param: Any) -> list[str] | None:
    desc = getattr(param, "type_descriptor", None)  # Typer >= 0.2x keeps the type here
    if desc is not None:
        found = desc.choices if getattr(desc, "is_choice", False) else None
    else:
        found = getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(c, "value", c)) for c in found] if found else None


def _clean_metavars(command: Any) -> None:
    """Give every parameter without a metavar of its own a plain one (`DATE`, `FILE`, `a|b|c`, its
    name in capitals), instead of the Python types Typer shows (`<list[Path]>`, `<str>`)."""
    for param in command.params:
        if param.metavar is not None or getattr(param, "is_flag", False) or not param.name:
            continue
        choices = _choices(param)
        if param.param_type_name == "argument":
            param.metavar = param.name.upper()
            shown = f"({'|'.join(choices)})" if choices else None
            param.display_type_rich = lambda ctx, shown=shown: shown  # not Typer's `<list[Path]>`
        elif choices:
            param.metavar = "|".join(choices)
        else:
            param.metavar = _METAVARS.get(param.name, param.name.upper())
    for sub in getattr(command, "commands", {}).values():
        _clean_metavars(sub)


def _wide_terminal() -> bool:
    import shutil

    return sys.stdout.isatty() and shutil.get_terminal_size().columns >= RICH_HELP_MIN_WIDTH


def command() -> Any:
    """The click command tree, with plain help away from a wide terminal and clean metavars."""
    app.rich_markup_mode = "rich" if _wide_terminal() else None  # type: ignore[assignment]
    cmd = typer.main.get_command(app)
    _clean_metavars(cmd)
    return _closed_pipe_is_not_undetermined(cmd)


def _problem_of(exc: BaseException) -> str | None:
    """A message for failures that are the environment's, not ftzlist's: a database that cannot
    be opened, a file that cannot be read or written. None for anything else (a bug)."""
    from ftzlist.identifiers.masking import message

    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        return message(f"cannot use{name}: {exc.strerror or type(exc).__name__}")
    sa = sys.modules.get("sqlalchemy.exc")
    if sa is not None and isinstance(exc, sa.OperationalError | sa.ArgumentError | sa.InterfaceError):
        orig = getattr(exc, "orig", None) or exc
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return "cannot open the register database: " + message(first)[:300]
    if sa is not None and isinstance(exc, sa.NoSuchModuleError):
        return "the --db URL names a database driver that is not installed"
    return None


def _where(exc: BaseException) -> str:
    """Where in ftzlist a bug surfaced (file and line of the innermost ftzlist frame): enough for a
    report, without any value from the input."""
    tb = exc.__traceback__
    spot = ""
    while tb is not None:
        f = tb.tb_frame.f_code.co_filename
        if "ftzlist" in f:
            spot = f"{f.rsplit('ftzlist', 1)[-1].lstrip('/')}:{tb.tb_lineno}"
        tb = tb.tb_next
    return spot


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point: bad input is a message and exit code 2, a bug exit code 3;
    never a traceback (unless FTZLIST_DEBUG=1)."""
    import signal

    def interrupted(signum: int, frame: Any) -> None:
        raise Interrupted

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupted)  # click would turn Ctrl-C into exit code 1
    try:
        rv = command().main(args=argv, prog_name="ftzlist", standalone_mode=False)
    except PipeClosed:  # `ftzlist lists | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(EXIT_PIPE) from None
    except Interrupted:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    except typer.Abort:  # a prompt met the end of its input (no password on stdin...)
        sys.stderr.write("error: aborted: the command needed input it did not get\n")
        raise SystemExit(EXIT_INVALID) from None
    except InputError as exc:
        from ftzlist.identifiers.masking import visible

        sys.stderr.write(f"error: {visible_lines(exc.render(), visible)}\n")
        raise SystemExit(EXIT_INVALID) from None
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors: its message, exit 2
            import io

            from ftzlist.identifiers.masking import message, visible

            shown = io.StringIO()
            exc.show(file=shown)  # click quotes the value it refused: masked like any message
            sys.stderr.write(visible_lines(message(shown.getvalue()), visible))
            raise SystemExit(EXIT_INVALID) from None
        if os.environ.get("FTZLIST_DEBUG"):
            raise
        problem = _problem_of(exc)
        if problem is not None:
            sys.stderr.write(f"error: {problem}\n")
            raise SystemExit(EXIT_INVALID) from None
        sys.stderr.write(
            f"internal error: {type(exc).__name__} at {_where(exc) or 'ftzlist'}. This is a bug in ftzlist, "
            "not a problem with your input; please report it with the command you ran "
            "(FTZLIST_DEBUG=1 shows the traceback).\n"
        )
        raise SystemExit(EXIT_BUG) from None
    raise SystemExit(rv if isinstance(rv, int) else 0)


EXIT_PIPE = 141
"""The reader of our standard output went away (`| head`): 128 + SIGPIPE, as a shell reports it;
never 1, which means `undetermined`."""


class PipeClosed(Exception):
    """Standard output closed under us. Not an OSError, so click (which turns EPIPE into exit code 1)
    lets it through to `main`."""


def _closed_pipe_is_not_undetermined(cmd: Any) -> Any:
    invoke = cmd.invoke

    def guarded(ctx: Any) -> Any:
        try:
            return invoke(ctx)
        except BrokenPipeError:
            raise PipeClosed from None

    cmd.invoke = guarded
    return cmd


class Interrupted(BaseException):
    """Ctrl-C, raised past click (which would report it as exit code 1, our `undetermined`)."""


def visible_lines(text: str, visible: Any) -> str:
    """Each line of a message with its control characters made visible (line breaks stay)."""
    return "\n".join(visible(line) for line in text.split("\n"))
