"""Working-day and calendar-day deadline arithmetic over the shipped holiday data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from officer_app.domain.calendar import (
    CalendarNotCoveredError,
    HolidayCalendar,
    add_calendar_days,
    add_working_days,
)
from officer_app.services.calendars import load_calendar


@pytest.fixture(scope="module")
def cal() -> HolidayCalendar:
    return load_calendar()


def test_shipped_calendar_metadata(cal: HolidayCalendar) -> None:
    assert cal.years == {2025, 2026}
    assert cal.source and cal.edition
    # 2025: 8 holidays-days for Spring Festival, 11 statutory days + weekends in the ranges.
    assert date(2025, 1, 28) in cal.holidays and date(2025, 2, 4) in cal.holidays
    assert cal.is_working_day(date(2025, 1, 26))  # Sunday, make-up
    assert cal.is_working_day(date(2026, 2, 28))  # Saturday, make-up
    assert not cal.is_working_day(date(2026, 10, 7))
    assert cal.names[date(2026, 2, 17)] == "春节"


def test_every_makeup_day_is_a_weekend(cal: HolidayCalendar) -> None:
    assert all(d.weekday() >= 5 for d in cal.makeup_workdays)


def test_working_days_over_national_day_2026(cal: HolidayCalendar) -> None:
    # Friday 2026-09-30 + 7 working days: Oct 1-7 off, Oct 8 (Thu), 9, 10 (Sat, make-up), 12..15.
    assert add_working_days(date(2026, 9, 30), 7, cal) == date(2026, 10, 15)
    assert add_working_days(date(2026, 9, 30), 3, cal) == date(2026, 10, 10)


def test_working_days_over_spring_festival_2025(cal: HolidayCalendar) -> None:
    # Fri 2025-01-24 +1 → Sun 01-26 (make-up); +2 → Mon 01-27; +3 → Wed 02-05.
    assert add_working_days(date(2025, 1, 24), 1, cal) == date(2025, 1, 26)
    assert add_working_days(date(2025, 1, 24), 2, cal) == date(2025, 1, 27)
    assert add_working_days(date(2025, 1, 24), 3, cal) == date(2025, 2, 5)


def test_zero_and_negative(cal: HolidayCalendar) -> None:
    assert add_working_days(date(2026, 3, 7), 0, cal) == date(2026, 3, 7)
    assert add_working_days(date(2026, 10, 8), -1, cal) == date(2026, 9, 30)


def test_strict_outside_calendar(cal: HolidayCalendar) -> None:
    # 2027 is not in the arrangement: 1 January is still a statutory holiday (issue 14)
    assert add_working_days(date(2026, 12, 30), 5, cal) == date(2027, 1, 7)
    with pytest.raises(CalendarNotCoveredError, match="2027"):
        add_working_days(date(2026, 12, 30), 5, cal, strict=True)


def test_calendar_days(cal: HolidayCalendar) -> None:
    assert add_calendar_days(date(2026, 3, 5), 10) == date(2026, 3, 15)  # Sunday, no calendar
    assert add_calendar_days(date(2026, 3, 5), 10, cal) == date(2026, 3, 16)
    assert add_calendar_days(date(2026, 9, 21), 10, cal) == date(2026, 10, 8)
    assert add_calendar_days(date(2026, 9, 21), 10, cal, roll_forward=False) == date(2026, 10, 1)


def test_bad_data_rejected() -> None:
    with pytest.raises(ValueError):
        HolidayCalendar.from_dict(
            {"years": {"2030": [{"name": "x", "start": "2030-01-02", "end": "2030-01-01"}]}}
        )
    with pytest.raises(ValueError):
        HolidayCalendar.from_dict(
            {
                "years": {
                    "2030": [
                        {
                            "name": "x",
                            "start": "2030-01-01",
                            "end": "2030-01-01",
                            "makeup_workdays": ["2030-01-01"],
                        }
                    ]
                }
            }
        )


@given(st.dates(date(2025, 1, 1), date(2026, 11, 30)), st.integers(1, 15))
def test_working_days_property(start: date, n: int) -> None:
    cal = load_calendar()
    end = add_working_days(start, n, cal)
    assert cal.is_working_day(end)
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(cal.is_working_day(d) for d in days) == n
    assert add_working_days(end, -n, cal) <= start
