"""Deadline arithmetic over the official holiday calendar (法定节假日 + 调休 make-up working days).

行政处罚法 §85: periods of 二日/三日/五日/七日 are working days; longer ones are calendar days. The
calendar is data (published yearly by the State Council), so it is passed in, never hard-coded: the
loader (``officer_app.services.calendars``) reads ``resources/calendar/cn_holidays.json``; tests build their own. The start day is not
counted (a period "starts the day after"), as in Chinese procedural law.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

__all__ = [
    "CalendarNotCoveredError",
    "HolidayCalendar",
    "add_calendar_days",
    "add_working_days",
]


class CalendarNotCoveredError(LookupError):
    """A strict computation crossed a year the holiday calendar does not list."""


@dataclass(frozen=True)
class HolidayCalendar:
    """Holidays and make-up working days (调休上班) for the years in ``years``."""

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    years: frozenset[int] = frozenset()
    names: Mapping[date, str] = field(default_factory=dict, hash=False, compare=False)
    source: str = ""
    edition: str = ""

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HolidayCalendar:
        holidays: set[date] = set()
        makeup: set[date] = set()
        names: dict[date, str] = {}
        for year, entries in data.get("years", {}).items():
            for entry in entries:
                start, end = date.fromisoformat(entry["start"]), date.fromisoformat(entry["end"])
                if end < start or str(start.year) != str(year):
                    raise ValueError(f"bad holiday range {entry!r} in {year}")
                day = start
                while day <= end:
                    holidays.add(day)
                    names[day] = entry["name"]
                    day += timedelta(days=1)
                for s in entry.get("makeup_workdays", []):
                    makeup.add(date.fromisoformat(s))
        if holidays & makeup:
            raise ValueError(f"dates both holiday and working day: {sorted(holidays & makeup)}")
        return cls(
            holidays=frozenset(holidays),
            makeup_workdays=frozenset(makeup),
            years=frozenset(int(y) for y in data.get("years", {})),
            names=names,
            source=str(data.get("source", "")),
            edition=str(data.get("edition", "")),
        )


def _check(cal: HolidayCalendar, days: Iterable[date], strict: bool) -> None:
    if strict:
        for d in days:
            if not cal.covers(d):
                raise CalendarNotCoveredError(
                    f"节假日安排未包含 {d.year} 年，无法准确计算工作日期限"
                )


def add_working_days(start: date, n: int, cal: HolidayCalendar, *, strict: bool = False) -> date:
    """The n-th working day after ``start`` (start itself not counted); negative n counts back.

    ``strict`` raises :class:`CalendarNotCoveredError` when a day outside the calendar's years is
    passed over, instead of silently assuming a plain Monday-Friday week.
    """
    step = 1 if n >= 0 else -1
    day, left = start, abs(n)
    while left:
        day += timedelta(days=step)
        _check(cal, (day,), strict)
        if cal.is_working_day(day):
            left -= 1
    return day


def add_calendar_days(
    start: date, n: int, cal: HolidayCalendar | None = None, *, roll_forward: bool = True
) -> date:
    """``start + n`` days; with a calendar and ``roll_forward``, a deadline that falls on a rest day
    moves to the next working day (期间届满的最后一日是法定节假日的，以节假日后的第一日为期间届满日)."""
    day = start + timedelta(days=n)
    if cal is not None and roll_forward:
        while not cal.is_working_day(day):
            day += timedelta(days=1)
    return day
