"""One PRC calendar year as data: the days off and the in-lieu working weekends (调休) of one
State Council General Office notice (国务院办公厅关于XXXX年部分节假日安排的通知), each cited.

A file lists only what differs from the plain week: a day is a working day when it is Monday to
Friday and inside no holiday block, or when it is a listed working weekend.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from ftzlist.schema.common import Id, Status, Strict, Text


class Notice(Strict):
    """The instrument a calendar year comes from (the yearly notice, or a later amendment)."""

    id: Id
    title: str = Field(min_length=1)
    number: str | None = Field(None, description="Document number, e.g. 国办发明电〔2025〕7号.")
    issued: dt.date
    url: str | None = None
    status: Status = "V"
    note: str | None = None

    def __str__(self) -> str:
        return (
            f"{self.title} ({self.number}, {self.issued})" if self.number else f"{self.title} ({self.issued})"
        )


class HolidayBlock(Strict):
    """A run of days off (放假调休), first and last day included."""

    name: Text
    first: dt.date
    last: dt.date
    notice: Id = "main"

    @model_validator(mode="after")
    def _ordered(self) -> HolidayBlock:
        if self.last < self.first:
            raise ValueError(f"holiday {self.name.en}: last day {self.last} is before first day {self.first}")
        return self

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


class WorkingWeekend(Strict):
    """A Saturday or Sunday that is a working day (上班) to make up for a holiday."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    date: dt.date
    for_holiday: str = Field(alias="for", min_length=1)
    notice: Id = "main"

    @model_validator(mode="after")
    def _weekend(self) -> WorkingWeekend:
        if self.date.weekday() < 5:
            raise ValueError(f"working weekend {self.date} is a {self.date:%A}, not a Saturday or Sunday")
        return self


class CalendarYear(Strict):
    """The official working-day calendar of one year."""

    year: int = Field(ge=1999, le=2200)
    country: Literal["CN"] = "CN"
    notices: list[Notice] = Field(min_length=1)
    holidays: list[HolidayBlock]
    working_weekends: list[WorkingWeekend] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> CalendarYear:
        ids = {n.id for n in self.notices}
        if "main" not in ids:
            raise ValueError("notices: one notice must have id 'main' (the yearly notice)")
        problems = []
        for h in self.holidays:
            if h.notice not in ids:
                problems.append(f"holiday {h.name.en} cites unknown notice '{h.notice}'")
            for day in (h.first, h.last):
                if abs(day.year - self.year) > 1:
                    problems.append(f"holiday {h.name.en}: {day} is not in or next to {self.year}")
        off = {d for h in self.holidays for d in h.days()}
        for w in self.working_weekends:
            if w.notice not in ids:
                problems.append(f"working weekend {w.date} cites unknown notice '{w.notice}'")
            if w.date in off:
                problems.append(f"{w.date} is both a day off and a working weekend")
            if abs(w.date.year - self.year) > 1:
                problems.append(f"working weekend {w.date} is not in or next to {self.year}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def main_notice(self) -> Notice:
        return next(n for n in self.notices if n.id == "main")

    def notice(self, notice_id: str) -> Notice:
        return next(n for n in self.notices if n.id == notice_id)
