"""The holiday calendar shipped in ``resources/calendar`` (replaceable by a deployment), and the
deadlines computed over it: every period a letter prints, the case shows or the statistics count
comes through :func:`deadline` (one rule set, ``domain/deadlines.py``)."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from officer_app.domain.calendar import HolidayCalendar
from officer_app.domain.deadlines import Deadline, PeriodRule
from officer_app.domain.deadlines import deadline as compute_deadline
from officer_app.paths import resources_dir


def default_calendar_path() -> Path:
    return resources_dir() / "calendar" / "cn_holidays.json"


def festival_dates_path() -> Path:
    return resources_dir() / "calendar" / "cn_festival_dates.json"


def load_festivals(path: Path | None = None) -> dict[int, dict[str, dt.date]]:
    """Year → festival → date (春节, 清明节, 端午节, 中秋节); empty when the table is absent."""
    try:
        with open(path or festival_dates_path(), encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return {}
    return {
        int(year): {name: dt.date.fromisoformat(day) for name, day in dates.items()}
        for year, dates in data.get("years", {}).items()
    }


@lru_cache(maxsize=4)
def load_calendar(path: Path | None = None) -> HolidayCalendar:
    with open(path or default_calendar_path(), encoding="utf-8") as fh:
        cal = HolidayCalendar.from_dict(json.load(fh))
    return cal.with_festivals(load_festivals())


def deadline(start: dt.date, rule: PeriodRule, cal: HolidayCalendar | None = None) -> Deadline:
    """``rule`` running from ``start`` over the shipped calendar (or ``cal``)."""
    return compute_deadline(start, rule, cal or load_calendar())
