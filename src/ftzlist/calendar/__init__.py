"""PRC working days on the official calendar (调休 included), kept as dated, cited data.

`WorkingCalendar.load(extra_dirs)` reads the bundled year files and any a user adds. Counting
conventions are in `ftzlist.calendar.workdays` and docs/calendar.md.
"""

from ftzlist.calendar.model import CalendarYear, HolidayBlock, Notice, WorkingWeekend
from ftzlist.calendar.workdays import Counted, DayInfo, WorkingCalendar, bundled_calendar

__all__ = [
    "CalendarYear",
    "Counted",
    "DayInfo",
    "HolidayBlock",
    "Notice",
    "WorkingCalendar",
    "WorkingWeekend",
    "bundled_calendar",
]
