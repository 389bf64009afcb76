"""Time forms shared by the store and the services."""

from __future__ import annotations

import datetime as dt


def to_utc_iso(moment: dt.datetime) -> str:
    """The one UTC text form used for every time comparison in the store (sorts as text)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes have no place in evidence: give an offset")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


#: The officers' clock: China Standard Time, no daylight saving.
CST = dt.timezone(dt.timedelta(hours=8), "CST")


def chinese_time(iso: str | None, *, seconds: bool = True) -> str:
    """A stored timestamp as an officer reads it: ``2026年11月20日 09:12:07`` in China Standard
    Time.  A time with an offset (EXIF with OffsetTime, UTC) is converted; one without an offset
    is shown as written (a camera's wall clock).  Text that is not a timestamp comes back as is."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(CST)
    text = f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    return text + f":{moment:%S}" if seconds else text
