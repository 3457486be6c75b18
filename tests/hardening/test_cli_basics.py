"""Exit codes, help, --version, vocab and database errors: the CLI contract (issues 11 and 13)."""

from __future__ import annotations

import json

import pytest

from ftzlist.errors import EXIT_BUG, EXIT_INVALID

from .conftest import run_cli, run_main


def test_version():
    from ftzlist import __version__

    r = run_main("--version")
    assert r.code == 0 and r.out.strip() == f"ftzlist {__version__}"


def test_usage_errors_are_exit_2():
    r = run_main("assess", "--no-such-option")
    assert r.code == EXIT_INVALID and "No such option" in r.err
    assert run_main("vocab", "bogus").code == EXIT_INVALID


def test_a_bug_is_exit_3_without_traceback_or_values(monkeypatch, declaration):
    import ftzlist.engine

    def boom(*a, **k):
        raise KeyError("350203199001011234")

    monkeypatch.setattr(ftzlist.engine, "decide", boom)
    r = run_main("assess", str(declaration), "--no-alternatives")
    assert r.code == EXIT_BUG
    assert "internal error: KeyError" in r.err and "bug in ftzlist" in r.err
    assert "Traceback" not in r.err and "350203199001011234" not in r.output


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://ftz:hunter2secret@127.0.0.1:1/register",  # nothing listens on port 1
        "postgresql://ftz:hunter2secret@db:notaport/register",  # malformed port
        "nosuchdriver://ftz:hunter2secret@db/register",
        "ftz:hunter2secret",  # not a URL at all
        "mysql://ftz:hunter2secret@127.0.0.1/register",  # a database the register does not run on
        "postgresql://ftz:hunter2@secret@127.0.0.1:1/register",  # '@' in the password, not encoded
        "postgresql://ftz:hunter2%40secret@127.0.0.1:1/register",  # the same, encoded
    ],
)
def test_database_urls_never_echo_the_password(url):
    r = run_cli("due", "--db", url)
    assert r.code == EXIT_INVALID, r.output
    for part in ("hunter2", "secret"):
        assert part not in r.output
    assert "Traceback" not in r.output
    assert r.err.startswith("error:")


def test_an_unencoded_at_sign_in_the_password_is_named():
    r = run_main("filings", "list", "--db", "postgresql://ftz:pa@ss@127.0.0.1:1/register")
    assert r.code == EXIT_INVALID and "%40" in r.err and "ss@" not in r.err


def test_another_database_is_refused_by_name():
    r = run_main("filings", "list", "--db", "mysql://ftz:pw@127.0.0.1/register")
    assert r.code == EXIT_INVALID and "SQLite or PostgreSQL, not 'mysql'" in r.err


def test_a_closed_pipe_is_not_undetermined():
    """`ftzlist vocab categories | head -1`: the reader leaves early. Exit 141 (as a shell reports
    SIGPIPE), no message, never 1 (`undetermined`); Rich and click would both say 1."""
    import subprocess
    import sys

    for args in (["vocab", "categories"], ["lists"]):
        proc = subprocess.Popen(
            [sys.executable, "-c", "from ftzlist.cli import main; main()", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**__import__("os").environ, "COLUMNS": "80"},
        )
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141, err
        assert "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.parametrize("section", ["categories", "subjects", "scenarios", "sectors", "zones", "grounds"])
def test_vocab_lists_ids_with_chinese_and_english(section, law):
    r = run_main("vocab", section, "--format", "json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["section"] == section and doc["ids"]
    for row in doc["ids"]:
        assert row["id"] and row["zh"] and row["en"]
    if section == "categories":
        assert {row["id"] for row in doc["ids"]} == set(law.vocabulary.categories)
    plain = run_main("vocab", section)
    assert plain.code == 0
    first = doc["ids"][0]
    assert f"id: {first['id']}" in plain.out and first["zh"] in plain.out and first["en"] in plain.out


def test_help_is_plain_with_clean_metavars():
    r = run_cli("assess", "--help")
    assert r.code == 0
    assert "<list[Path]>" not in r.out and "<str>" not in r.out and "<path>" not in r.out
    assert "--as-of DATE" in r.out and "--accept-suggestions" in r.out and "--no-alternatives" in r.out
    assert "╭" not in r.out and "…" not in r.out
    assert max(len(line) for line in r.out.splitlines()) <= 80


def test_every_command_help_fits_80_columns_whole(monkeypatch):
    from ftzlist.cli import command

    monkeypatch.setenv("COLUMNS", "80")
    top = run_main("--help")
    assert top.code == 0
    tree = command()
    names = [[n] for n in tree.commands]
    names += [[g, n] for g, sub in tree.commands.items() for n in getattr(sub, "commands", {})]
    assert len(names) > 20
    for name in names:
        r = run_main(*name, "--help")
        assert r.code == 0, (name, r.err)
        assert "Traceback" not in r.output and "<list[" not in r.out and "╭" not in r.out, name
        assert max(len(line) for line in r.out.splitlines()) <= 80, name
