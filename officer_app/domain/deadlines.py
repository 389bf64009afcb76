"""The one rule set every period the app prints or counts comes from (letters, case, statistics).

行政处罚法 §85: "二日""三日""五日""七日" are working days (工作日, 不含法定节假日); other periods are
calendar days. The day a period starts from is not counted, and a period whose last day is a rest
day ends on the next working day (the general rule of Chinese procedural law, 民事诉讼法 §85 and
行政诉讼法 §51, which enforcement practice applies). A deadline is computed from the day it runs
from, at the moment a document is issued, never frozen in a draft.

For a year whose official arrangement is not published yet, statutory holidays still count as rest
days (``domain/calendar.py``) and the :class:`Deadline` carries a warning that the year's 调休 is
unknown, for every screen and letter that shows the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from officer_app.domain.calendar import (
    HolidayCalendar,
    add_calendar_days,
    add_working_days,
    uncovered_years,
)

#: §85: these short periods are counted in working days.
WORKING_DAY_PERIODS = (2, 3, 5, 7)


@dataclass(frozen=True)
class PeriodRule:
    """A named period: ``days`` long, in working days when §85 says so (``unit`` "auto"), or as
    an agreement fixes it ("working" / "calendar")."""

    key: str
    label: str  # what the officer reads: 回执期限, 协助期限 …
    days: int
    basis: str  # where the period comes from
    unit: str = "auto"

    @property
    def working(self) -> bool:
        if self.unit == "auto":
            return self.days in WORKING_DAY_PERIODS
        return self.unit == "working"

    @property
    def text(self) -> str:
        return f"{self.days}个工作日" if self.working else f"{self.days}日"


#: DOMAIN §3: the cross-region limits are not public; these are the analogous rules.
RECEIPT = PeriodRule("receipt", "回执期限", 7, "行政处罚法第八十五条（七日为工作日）")
ASSISTANCE_REPLY = PeriodRule(
    "assistance_reply", "协助期限", 10, "上海市城市管理行政执法条例第二十九条（十日内书面答复）"
)
DECISION = PeriodRule(
    "decision", "处理期限", 90, "行政处罚法第六十条（自立案之日起九十日内作出决定）"
)
FEEDBACK = PeriodRule("feedback", "反馈期限", 90, "行政处罚法第六十条（受移送后九十日内作出决定）")
NEGOTIATION = PeriodRule(
    "negotiation", "协商期限", 7, "住房和城乡建设行政处罚程序规定（住建部令第55号）第六条"
)


@dataclass(frozen=True)
class Deadline:
    start: date
    due: date
    rule: PeriodRule
    unknown_years: tuple[int, ...] = ()  # crossed years whose 调休 arrangement is not held

    @property
    def warning(self) -> str:
        if not self.unknown_years:
            return ""
        years = "、".join(f"{y}年" for y in self.unknown_years)
        return (
            f"{years}的节假日调休安排尚未收录，{self.rule.label}已按法定节假日推算，"
            "未计调休，请以国务院公布的安排核对。"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.rule.key,
            "label": self.rule.label,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "period": self.rule.text,
            "basis": self.rule.basis,
            "warning": self.warning,
        }


def due_date(start: date, rule: PeriodRule, cal: HolidayCalendar) -> date:
    """The last day of ``rule`` running from ``start`` (start not counted)."""
    if rule.working:
        return add_working_days(start, rule.days, cal)
    return add_calendar_days(start, rule.days, cal, roll_forward=True)


def deadline(start: date, rule: PeriodRule, cal: HolidayCalendar) -> Deadline:
    due = due_date(start, rule, cal)
    return Deadline(start, due, rule, uncovered_years(cal, start, due))


def with_days(rule: PeriodRule, days: int, *, working: bool | None = None) -> PeriodRule:
    """A per-agreement variant of a rule: another length, the unit kept unless given."""
    unit = rule.unit if working is None else ("working" if working else "calendar")
    if unit == "auto":
        unit = "working" if rule.working else "calendar"
    return PeriodRule(rule.key, rule.label, days, rule.basis, unit)
