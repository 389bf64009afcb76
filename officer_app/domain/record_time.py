"""Clock times as on-the-spot records write them: ``9时48分`` (no leading zero, no colon).

An officer types ``9:48``, ``09：48``, ``9点48分`` or ``9时48分``; a case's time arrives as an ISO
timestamp. All of them become the one printed form, in China Standard Time whatever the laptop's
zone, so a 笔录 made at 09:48 in 吴江 never says 01:48.
"""

from __future__ import annotations

import datetime as dt
import re

CST = dt.timezone(dt.timedelta(hours=8))

_CLOCK_RE = re.compile(
    r"^(?P<h>\d{1,2})\s*(?:[:：]|时|点)\s*(?P<m>\d{1,2})\s*(?:分)?\s*"
    r"(?:(?P<s>\d{1,2})\s*秒?)?$"
)
_BARE_RE = re.compile(r"^(?P<h>\d{1,2})\s*(?:时|点)$")

__all__ = ["CST", "format_clock", "format_moment", "parse_clock", "to_cst_date"]


def parse_clock(text: str) -> dt.time:
    """A time of day from what an officer types or from an ISO timestamp; ``ValueError`` if none.

    Seconds are dropped: a record states minutes (the photos keep their seconds).
    """
    raw = text.strip().replace("：", ":")
    if "T" in raw or (len(raw) > 10 and raw[4:5] == "-"):  # an ISO timestamp
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(CST)
        return dt.time(moment.hour, moment.minute)
    match = _CLOCK_RE.match(raw) or _BARE_RE.match(raw)
    if not match:
        raise ValueError(f"not a time of day: {text!r}")
    hour = int(match.group("h"))
    minute = int(match.groupdict().get("m") or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"no such time of day: {text!r}")
    return dt.time(hour, minute)


def format_clock(value: dt.time | str) -> str:
    """``9时48分``, and ``9时`` on the hour (as GB/T 15835 writes it: 9时至11时30分)."""
    t = parse_clock(value) if isinstance(value, str) else value
    return f"{t.hour}时{t.minute}分" if t.minute else f"{t.hour}时"


def to_cst_date(text: str) -> dt.date:
    """The CST calendar date of an ISO date or timestamp (a UTC ``Z`` time may be the next day)."""
    raw = text.strip()
    if len(raw) <= 10:
        return dt.date.fromisoformat(raw)
    moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return (moment.astimezone(CST) if moment.tzinfo else moment).date()


def format_moment(value: dt.datetime | str) -> str:
    """``2026年11月20日9时48分`` for a point in time on a record."""
    moment = (
        dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    )
    if moment.tzinfo is not None:
        moment = moment.astimezone(CST)
    return f"{moment.year}年{moment.month}月{moment.day}日{format_clock(moment.time())}"
