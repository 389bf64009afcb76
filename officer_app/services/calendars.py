"""The holiday calendar shipped in ``resources/calendar`` (replaceable by a deployment)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from officer_app.domain.calendar import HolidayCalendar
from officer_app.paths import resources_dir


def default_calendar_path() -> Path:
    return resources_dir() / "calendar" / "cn_holidays.json"


@lru_cache(maxsize=4)
def load_calendar(path: Path | None = None) -> HolidayCalendar:
    with open(path or default_calendar_path(), encoding="utf-8") as fh:
        return HolidayCalendar.from_dict(json.load(fh))
