"""Qt date and time values as Python ones, typed.

PySide6 converts them with ``toPython()``, which its stubs type as ``object``; these read the
fields instead, so the pages that turn a date edit into a UTC range are checked by mypy."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTime


def py_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def py_time(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute(), value.second(), value.msec() * 1000)


def q_date(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def q_time(value: dt.time) -> QTime:
    return QTime(value.hour, value.minute, value.second, value.microsecond // 1000)
