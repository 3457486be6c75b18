"""PRC working days, and the counting conventions every deadline in ftzlist follows.

Conventions (docs/calendar.md states them for users):

1. *N working days after an event* is the N-th working day after the event's date; the day of the
   event is never counted (Civil Code Art. 201: "开始的当日不计入"), whether or not it is itself a
   working day. The result is always a working day.
2. *Within the N working days before a date D* opens on the N-th working day before D (D itself not
   counted) and closes on the last working day before D.
3. A period in years or months ends on the corresponding day of the last year or month; where that
   month has no such day, on its last day (Art. 202). If that last day is a rest day on the official
   calendar (a weekend that is not an in-lieu working day, or a holiday), the period ends on the
   next working day instead (Art. 203: "以法定休假日结束的次日为期间的最后一日"; the Supreme
   People's Court has read 法定休假日 to include weekends and the actual days off after 调休).
4. A day in a year with no calendar file is computed from the weekends and the statutory holidays
   (Regulation on National Annual and Commemorative Holidays, with weekend holidays made up on
   the next working days) and is **provisional**: a result that depends on such a day says so and
   why. It is never shown as final.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ftzlist.calendar.model import CalendarYear
from ftzlist.errors import InputError

MAX_SPAN_DAYS = 366 * 30
"""Guard against runaway counts (a bad N): no count may walk further than this."""


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one day, and on what authority."""

    date: dt.date
    working: bool
    provisional: bool
    why: str
    source: str


@dataclass(frozen=True)
class Counted:
    """A date computed by a counting rule, with what it rests on.

    `provisional` is true when any day the count walked over comes from a year with no calendar file;
    `reasons` then says which years and why. `sources` names the notices the count used.
    """

    date: dt.date
    rule: str
    provisional: bool = False
    reasons: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    nominal: dt.date | None = field(default=None, compare=False)

    @property
    def status(self) -> str:
        return "provisional" if self.provisional else "final"


def _provisional_reason(year: int) -> str:
    return (
        f"no official calendar for {year}: working days computed from weekends and the statutory "
        f"holidays (rule-based, python-holidays); the State Council's in-lieu working weekends (调休) "
        f"for {year} are not yet known. Add a calendar file for {year} (docs/calendar.md) to make it final."
    )


@cache
def _rule_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.China(years=year, observed=True).keys())


class WorkingCalendar:
    """The official PRC calendar over the years we have files for, provisional elsewhere."""

    def __init__(
        self,
        years: Mapping[int, CalendarYear] | Iterable[CalendarYear],
        *,
        origins: Mapping[int, Path] | None = None,
    ):
        items = years.values() if isinstance(years, Mapping) else years
        self.years: dict[int, CalendarYear] = {y.year: y for y in items}
        self.origins = dict(origins or {})
        self._off: dict[dt.date, tuple[int, str]] = {}
        self._work: dict[dt.date, tuple[int, str]] = {}
        for y in self.years.values():
            for h in y.holidays:
                for d in h.days():
                    self._off[d] = (y.year, f"{h.name.zh} {h.name.en}, day off ({y.notice(h.notice)})")
            for w in y.working_weekends:
                self._work[w.date] = (
                    y.year,
                    f"in-lieu working {w.date:%A} for {w.for_holiday} ({y.notice(w.notice)})",
                )

    @classmethod
    def load(cls, extra_dirs: Iterable[Path] = (), *, bundled: bool = True) -> WorkingCalendar:
        """The bundled calendar files plus any in `extra_dirs` (user-added years)."""
        from ftzlist.calendar.loader import load_calendar_years

        found = load_calendar_years(extra_dirs, bundled=bundled)
        return cls([y for y, _ in found.values()], origins={k: p for k, (_, p) in found.items()})

    # -- one day -------------------------------------------------------------------------------

    def covers(self, year: int) -> bool:
        return year in self.years

    def day(self, d: dt.date) -> DayInfo:
        if not isinstance(d, dt.date) or isinstance(d, dt.datetime):
            raise InputError(f"expected a date (YYYY-MM-DD), got {d!r}")
        if d in self._off:
            year, why = self._off[d]
            return DayInfo(d, False, False, why, self._source(year))
        if d in self._work:
            year, why = self._work[d]
            return DayInfo(d, True, False, why, self._source(year))
        if d.year in self.years:
            working = d.weekday() < 5
            why = "ordinary weekday" if working else f"ordinary {d:%A}"
            return DayInfo(d, working, False, why, self._source(d.year))
        if d.weekday() >= 5:
            return DayInfo(d, False, True, f"{d:%A} (provisional)", _provisional_reason(d.year))
        if d in _rule_holidays(d.year):
            return DayInfo(
                d, False, True, "statutory holiday by rule (provisional)", _provisional_reason(d.year)
            )
        return DayInfo(d, True, True, "weekday by rule (provisional)", _provisional_reason(d.year))

    def _source(self, year: int) -> str:
        cal = self.years[year]
        origin = self.origins.get(year)
        return f"{year} calendar: {cal.main_notice}" + (f" [{origin.name}]" if origin else "")

    def is_working_day(self, d: dt.date) -> bool:
        return self.day(d).working

    # -- counting ------------------------------------------------------------------------------

    def _status(self, d: dt.date) -> tuple[bool, bool]:
        """(working, provisional), the fast path of `day()`."""
        if d in self._off:
            return False, False
        if d in self._work:
            return True, False
        if d.year in self.years:
            return d.weekday() < 5, False
        return d.weekday() < 5 and d not in _rule_holidays(d.year), True

    def add_working_days(self, start: dt.date, n: int) -> Counted:
        """The n-th working day after `start` (n > 0) or before it (n < 0); `start` is not counted."""
        if not isinstance(n, int) or isinstance(n, bool) or n == 0:
            raise InputError(f"number of working days must be a non-zero whole number, got {n!r}")
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            raise InputError(f"expected a date (YYYY-MM-DD), got {start!r}")
        step = dt.timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        d = start
        final_years: set[int] = set()
        provisional_years: set[int] = set()
        while remaining:
            d = d + step
            if abs((d - start).days) > MAX_SPAN_DAYS:
                raise InputError(f"{n} working days from {start} runs past {MAX_SPAN_DAYS} calendar days")
            working, provisional = self._status(d)
            (provisional_years if provisional else final_years).add(d.year)
            if working:
                remaining -= 1
        direction = "after" if n > 0 else "before"
        rule = f"{abs(n)} working days {direction} {start} ({start} not counted)"
        return self._from_years(d, rule, final_years, provisional_years)

    def _from_years(
        self, d: dt.date, rule: str, final: set[int], provisional: set[int], nominal: dt.date | None = None
    ) -> Counted:
        reasons = tuple(_provisional_reason(y) for y in sorted(provisional))
        sources = tuple(self._source(y) for y in sorted(final) if y in self.years)
        return Counted(d, rule, bool(provisional), reasons, sources, nominal)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days after `start` `end` is (0 if before)."""
        count, d = 0, start
        while d < end:
            d += dt.timedelta(days=1)
            count += self._status(d)[0]
        return count

    def window_before(self, end: dt.date, n: int) -> tuple[Counted, Counted]:
        """`Within the n working days before end`: (opens, closes), `end` not counted."""
        opens = self.add_working_days(end, -n)
        closes = self.add_working_days(end, -1)
        return opens, closes

    def add_period(self, start: dt.date, *, years: int = 0, months: int = 0, roll: bool = True) -> Counted:
        """Last day of a period of years/months from `start` (Civil Code Arts. 201-203).

        `nominal` is the corresponding day (Art. 202); `date` is that day moved to the next working day
        when it is a rest day (Art. 203), unless `roll` is false.
        """
        if years < 0 or months < 0 or (years == 0 and months == 0):
            raise InputError(f"a period needs a positive number of years or months, got {years}y {months}m")
        total = start.month - 1 + months + 12 * years
        y, m = start.year + total // 12, total % 12 + 1
        nominal = dt.date(y, m, min(start.day, _stdcal.monthrange(y, m)[1]))
        label = (
            f"{years} years"
            if years and not months
            else f"{years}y {months}m"
            if years
            else f"{months} months"
        )
        rule = f"{label} from {start}: corresponding day {nominal} (Civil Code Arts. 201-202)"
        first = self.day(nominal)
        if not roll or first.working:
            return self._counted(nominal, rule, [first], nominal=nominal)
        rolled = self.add_working_days(nominal, 1)
        walked = [first]
        d = nominal
        while d < rolled.date:
            d += dt.timedelta(days=1)
            walked.append(self.day(d))
        rule += f"; {nominal} is a rest day ({first.why}), so the last day is {rolled.date} (Art. 203)"
        return self._counted(rolled.date, rule, walked, nominal=nominal)

    def _counted(
        self, d: dt.date, rule: str, walked: list[DayInfo], nominal: dt.date | None = None
    ) -> Counted:
        provisional_years = sorted({i.date.year for i in walked if i.provisional})
        reasons = tuple(_provisional_reason(y) for y in provisional_years)
        sources = tuple(dict.fromkeys(i.source for i in walked if not i.provisional))
        return Counted(d, rule, bool(provisional_years), reasons, sources, nominal)


@cache
def bundled_calendar() -> WorkingCalendar:
    """The calendar from the bundled files only (cached; user files need `WorkingCalendar.load`)."""
    return WorkingCalendar.load()
