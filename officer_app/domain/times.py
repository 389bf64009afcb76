"""Time forms shared by the store and the services."""

from __future__ import annotations

import datetime as dt


def to_utc_iso(moment: dt.datetime) -> str:
    """The one UTC text form used for every time comparison in the store (sorts as text)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes have no place in evidence: give an offset")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
