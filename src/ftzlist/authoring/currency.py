"""Keeping lists current: reminders for a list in use that has not been checked against its sources
for a year, or that a newer edition supersedes. One function for `ftzlist lists` and `ftzlist due`.

The zones revise their lists ("dynamic management", e.g. Beijing 2024 Art. 9; Fujian Art. 9) and the
seed's practical advice is to review the lists at least annually; a list whose encoding nobody has
compared with the official text for twelve months, or whose family has a newer edition, gives
answers a company should not rely on without looking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ftzlist.schema.common import Text
from ftzlist.schema.lists import ListFile

REVIEW_MONTHS = 12
"""A list is due for a check against its sources this many months after `last_checked_on`."""


@dataclass(frozen=True)
class ListReminder:
    """`unchecked`: `since` = last_checked_on (None = never recorded). `superseded`: `since` = the day
    the newer edition `by` takes effect (in the future when it is announced but not yet in force), or
    the day after the list's own `effective_to` when no successor is known (`by` None)."""

    list_id: str
    kind: Literal["unchecked", "superseded"]
    since: dt.date | None
    by: str | None
    text: Text


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the last day of a shorter month)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in range(day.day, 0, -1):
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def reminders(lists: Iterable[ListFile], in_use: Iterable[str], today: dt.date) -> list[ListReminder]:
    """Reminders for the lists in `in_use` (ids), judged on `today`, in list-id order.

    `lists` is every list known (bundled and added), so a newer edition of a family is found even
    when it is not in use itself."""
    known = list(lists)
    wanted = set(in_use)
    out: list[ListReminder] = []
    limit = months_before(today, REVIEW_MONTHS)
    for lf in sorted((x for x in known if x.id in wanted), key=lambda x: x.id):
        checked = lf.last_checked_on
        if checked is None:
            out.append(
                ListReminder(
                    lf.id,
                    "unchecked",
                    None,
                    None,
                    Text(
                        zh=f"{lf.id}：未记录最近一次与来源核对的日期（last_checked_on）；请对照官方文本核对，至少每年一次",
                        en=f"{lf.id}: no record of when it was last checked against its sources "
                        "(last_checked_on); check it against the official text, at least once a year",
                    ),
                )
            )
        elif checked < limit:
            months = _months_between(checked, today)
            out.append(
                ListReminder(
                    lf.id,
                    "unchecked",
                    checked,
                    None,
                    Text(
                        zh=f"{lf.id}：自{checked}起未与来源核对（{months}个月）；请对照官方文本核对，至少每年一次",
                        en=f"{lf.id}: last checked against its sources on {checked} ({months} months ago); "
                        "check it against the official text, at least once a year",
                    ),
                )
            )
        newer = sorted(
            (
                x
                for x in known
                if x.family == lf.family and x.id != lf.id and x.effective_from > lf.effective_from
            ),
            key=lambda x: (x.effective_from, x.id),
        )
        if newer:
            nxt = newer[0]
            when = nxt.effective_from
            zh_when = f"自{when}起" if when <= today else f"将于{when}生效"
            en_when = f"since {when}" if when <= today else f"from {when} (announced, not yet in force)"
            out.append(
                ListReminder(
                    lf.id,
                    "superseded",
                    when,
                    nxt.id,
                    Text(
                        zh=f"{lf.id} 已被新版 {nxt.id} 取代（{zh_when}）；"
                        f"运行 ftzlist lists impact {lf.id} {nxt.id} --register 查看对已备案数据流的影响",
                        en=f"{lf.id} is superseded by {nxt.id} {en_when}; "
                        f"run `ftzlist lists impact {lf.id} {nxt.id} --register` for the filed flows it changes",
                    ),
                )
            )
        elif lf.effective_to is not None and lf.effective_to < today:
            ended = lf.effective_to + dt.timedelta(days=1)
            out.append(
                ListReminder(
                    lf.id,
                    "superseded",
                    ended,
                    None,
                    Text(
                        zh=f"{lf.id} 已于{lf.effective_to}失效，尚无已收录的新版；请核实是否有新版发布",
                        en=f"{lf.id} ended on {lf.effective_to} and no newer edition is known here; "
                        "check whether a new edition has been published",
                    ),
                )
            )
    return out
