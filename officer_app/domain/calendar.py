"""Deadline arithmetic over the official holiday calendar (法定节假日 + 调休 make-up working days).

行政处罚法 §85: periods of 二日/三日/五日/七日 are working days; longer ones are calendar days. The
calendar is data (published yearly by the State Council), so it is passed in, never hard-coded: the
loader (``officer_app.services.calendars``) reads ``resources/calendar/cn_holidays.json``; tests build their own. The start day is not
counted (a period "starts the day after"), as in Chinese procedural law.

The arrangement of a year (which days are off, which weekends are worked: 调休) is published each
November for the next year only. For a year it does not hold yet, the statutory holidays themselves
(《全国年节及纪念日放假办法》§2: 元旦 1/1, 春节 除夕–初三, 清明, 劳动节 5/1–5/2, 端午, 中秋, 国庆
10/1–10/3) are still rest days: fixed ones by their date, lunar and solar-term ones from the
``festivals`` table (``resources/calendar/cn_festival_dates.json``). Only the 调休 stays unknown,
which :func:`uncovered_years` lets callers say.
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
    "statutory_holidays",
    "uncovered_years",
]

#: Fixed-date statutory holidays (month, day, name), 《全国年节及纪念日放假办法》§2 as revised in 2024.
FIXED_HOLIDAYS = (
    (1, 1, "元旦"),
    (5, 1, "劳动节"),
    (5, 2, "劳动节"),
    (10, 1, "国庆节"),
    (10, 2, "国庆节"),
    (10, 3, "国庆节"),
)
#: Festival (key of the festivals table) → (first day offset from its date, number of days).
MOVABLE_HOLIDAYS = {"春节": (-1, 4), "清明节": (0, 1), "端午节": (0, 1), "中秋节": (0, 1)}


def statutory_holidays(
    year: int, festivals: Mapping[int, Mapping[str, date]]
) -> dict[date, str] | None:
    """The statutory rest days of ``year`` without its 调休; ``None`` when the festivals table
    does not hold the year (then only the fixed-date holidays are known)."""
    days = {date(year, m, d): name for m, d, name in FIXED_HOLIDAYS}
    dates = festivals.get(year)
    if dates is None:
        return None
    for name, (offset, length) in MOVABLE_HOLIDAYS.items():
        if name in dates:
            for i in range(length):
                days[dates[name] + timedelta(days=offset + i)] = name
    # 除夕 of the next year's 春节 can fall on 31 December of this one (not before 2100, but cheap)
    nxt = festivals.get(year + 1, {}).get("春节")
    if nxt is not None and (nxt - timedelta(days=1)).year == year:
        days[nxt - timedelta(days=1)] = "春节"
    return days


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
    #: year → festival name → Gregorian date (春节 = 正月初一), for years the arrangement lacks.
    festivals: Mapping[int, Mapping[str, date]] = field(
        default_factory=dict, hash=False, compare=False
    )
    _rest: dict[int, frozenset[date]] = field(
        default_factory=dict, hash=False, compare=False, repr=False
    )

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.years:  # no arrangement yet: statutory holidays, no 调休
            return day.weekday() < 5 and day not in self.statutory_rest_days(day.year)
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def statutory_rest_days(self, year: int) -> frozenset[date]:
        """Statutory holidays of a year (memoised: deadlines ask for thousands of days)."""
        days = self._rest.get(year)
        if days is None:
            known = statutory_holidays(year, self.festivals)
            fixed = {date(year, m, d) for m, d, _ in FIXED_HOLIDAYS}
            days = self._rest[year] = frozenset(known if known is not None else fixed)
        return days

    def festivals_known(self, year: int) -> bool:
        return year in self.festivals

    def with_festivals(self, festivals: Mapping[int, Mapping[str, date]]) -> HolidayCalendar:
        return HolidayCalendar(
            self.holidays,
            self.makeup_workdays,
            self.years,
            self.names,
            self.source,
            self.edition,
            festivals,
        )

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


def uncovered_years(cal: HolidayCalendar, start: date, end: date) -> tuple[int, ...]:
    """Years of the days after ``start`` up to ``end`` whose official arrangement is missing."""
    lo, hi = sorted((start, end))
    first = (lo + timedelta(days=1)).year
    return tuple(y for y in range(first, hi.year + 1) if y not in cal.years)


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
