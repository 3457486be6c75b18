"""Keeping lists current: the reminder function shared by `ftzlist lists` and `ftzlist due`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from ftzlist.authoring.currency import months_before, reminders
from ftzlist.law import Law
from ftzlist.schema.lists import ListFile

from .conftest import cli

D = dt.date


def edition(law: Law, list_id: str, **changes) -> ListFile:
    return law.lists.get("fujian-ftz-2025").model_copy(update={"id": list_id, **changes})


def test_checked_within_twelve_months_is_quiet_after_it_reminds(law) -> None:
    today = D(2026, 11, 30)
    lf = edition(law, "fj-a", last_checked_on=D(2025, 11, 30))
    assert reminders([lf], {"fj-a"}, today) == []  # exactly twelve months: still current
    lf = edition(law, "fj-a", last_checked_on=D(2025, 11, 29))
    (r,) = reminders([lf], {"fj-a"}, today)
    assert (r.kind, r.since, r.by) == ("unchecked", D(2025, 11, 29), None)
    assert "last checked against its sources on 2025-11-29 (12 months ago)" in r.text.en
    assert "自2025-11-29起未与来源核对" in r.text.zh
    (r,) = reminders([edition(law, "fj-a", last_checked_on=None)], {"fj-a"}, today)
    assert (r.kind, r.since) == ("unchecked", None) and "no record" in r.text.en


def test_only_lists_in_use() -> None:
    assert reminders([], {"nothing"}, D(2026, 1, 1)) == []


def test_a_newer_edition_supersedes(law) -> None:
    old = edition(law, "fj-2025", last_checked_on=D(2026, 6, 1))
    new = edition(law, "fj-2027", effective_from=D(2027, 12, 25), last_checked_on=D(2027, 12, 26))
    (r,) = reminders([old, new], {"fj-2025"}, D(2027, 1, 10))
    assert (r.kind, r.since, r.by) == ("superseded", D(2027, 12, 25), "fj-2027")
    assert "announced, not yet in force" in r.text.en and "将于2027-12-25生效" in r.text.zh
    kinds = [(x.kind, x.by) for x in reminders([old, new], {"fj-2025"}, D(2028, 1, 10))]
    assert kinds == [("unchecked", None), ("superseded", "fj-2027")]
    assert (
        "lists impact fj-2025 fj-2027 --register"
        in reminders([old, new], {"fj-2025"}, D(2028, 1, 10))[1].text.en
    )
    other_family = edition(law, "zz-2030", family="other", effective_from=D(2030, 1, 1))
    assert reminders([old, other_family], {"fj-2025"}, D(2026, 12, 1)) == []


def test_an_ended_list_without_a_successor(law) -> None:
    lf = edition(law, "fj-a", last_checked_on=D(2026, 6, 1), effective_to=D(2026, 6, 30))
    (r,) = reminders([lf], {"fj-a"}, D(2026, 7, 1))
    assert (r.kind, r.since, r.by) == ("superseded", D(2026, 7, 1), None)


def test_months_before() -> None:
    assert months_before(D(2026, 11, 30), 12) == D(2025, 11, 30)
    assert months_before(D(2025, 3, 31), 1) == D(2025, 2, 28)
    assert months_before(D(2024, 2, 29), 12) == D(2023, 2, 28)
    assert months_before(D(2026, 1, 15), 13) == D(2024, 12, 15)


def test_lists_command_reminds(tmp_path: Path) -> None:
    src = yaml.safe_load(
        (Path(__file__).parents[2] / "src/ftzlist/lists/fujian-ftz-2025.yaml").read_text("utf-8")
    )
    src.update(id="fujian-ftz-2027", effective_from="2027-12-25", last_checked_on="2027-12-20")
    src.pop("trial_until", None)
    src.pop("effective_from_dates", None)  # the 2025 edition's disputed first day is not the copy's
    path = tmp_path / "fujian-ftz-2027.yaml"
    path.write_text(yaml.safe_dump(src, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = cli("lists", "--lists", str(path), "--as-of", "2028-01-05")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "fujian-ftz-2025 is superseded by fujian-ftz-2027 since 2027-12-25" in text
    assert "fujian-ftz-2027: no record" not in text and "2027-12-20" in text
