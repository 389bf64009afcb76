"""The vocabulary of the cooperation statistics: periods, the plain rows both loaders produce, the
deadline rules and the typed result (:class:`Dashboard`).

Kept apart from the computation (:mod:`officer_app.domain.stats_rules`) so the loaders (the
laptop's in ``services``, the platform's in ``platform``) and the screens can name these types
without the rules that fill them. Pure: nothing here reads a store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, overload

from officer_app.domain import deadlines as rules_
from officer_app.domain.calendar import HolidayCalendar

CST = dt.timezone(dt.timedelta(hours=8))
_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")
_QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}
OPEN_RECEIPT, OPEN_FEEDBACK = "awaiting_receipt", "awaiting_feedback"


# Periods ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """Inclusive China Standard Time dates; ``label`` is how the bulletin names it."""

    start: dt.date
    end: dt.date
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start}..{self.end}")

    @property
    def start_utc(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), CST).astimezone(dt.UTC)

    @property
    def end_utc(self) -> dt.datetime:
        """The first instant after the period."""
        nxt = self.end + dt.timedelta(days=1)
        return dt.datetime.combine(nxt, dt.time(), CST).astimezone(dt.UTC)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[str]:
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def text(self) -> str:
        if self.label:
            return self.label
        s, e = self.start, self.end
        return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"


def parse_quarter(text: str) -> Period:
    """``2026Q3`` → 1 July .. 30 September 2026, labelled 2026年第三季度."""
    m = _QUARTER_RE.match(text)
    if not m:
        raise ValueError(f"季度应写作 2026Q3 的形式：{text}")
    year, q = int(m.group(1)), int(m.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - dt.timedelta(days=1)
    return Period(start, end, f"{year}年第{_QUARTER_ZH[q]}季度")


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


# Rows ---------------------------------------------------------------------------------------------
def parse_time(value: str | None) -> dt.datetime | None:
    """Stored times are ISO with an offset (``Z`` or ``+08:00``); naive ones are taken as UTC."""
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def cst_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(CST).date()


def _parse_times() -> Any:
    """:func:`parse_time` for a loader's many rows: the same results, without the per-call
    overhead (stored times are ISO strings, which ``fromisoformat`` reads, ``Z`` included)."""
    fromiso, utc = dt.datetime.fromisoformat, dt.UTC

    def parse(value: str | None) -> dt.datetime | None:
        if not value:
            return None
        try:
            moment = fromiso(value)
        except ValueError:
            return parse_time(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=utc)

    return parse


def _memo(fn: Any) -> Any:
    """``fn`` of one argument, memoised (codes and days repeat across thousands of rows)."""
    cache: dict[Any, Any] = {}

    def get(key: Any) -> Any:
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = fn(key)
            return value

    return get


# Named tuples, not frozen dataclasses: a refresh makes some 25,000 of them, and a frozen
# dataclass costs five times as much to build (measured: 1.7 µs against 0.37 µs a row).
class PatrolRow(NamedTuple):
    id: str
    type: str
    status: str
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    agencies: tuple[str, ...]  # district codes
    officers: int
    title: str = ""


class CaseRow(NamedTuple):
    id: str
    agency: str  # district code of the recording agency
    violation_code: str | None
    jurisdiction_code: str | None
    taken_at: dt.datetime | None
    status: str


class TransferRow(NamedTuple):
    id: str
    from_agency: str  # district codes
    to_agency: str
    sent_at: dt.datetime
    document_number: str
    status: str
    receipt_at: dt.datetime | None = None  # accepted or returned
    feedback_at: dt.datetime | None = None
    violation_code: str | None = None
    case_id: str | None = None
    result: str = ""  # the feedback's 处理结果
    fine: float | None = None


@dataclass
class StatsRows:
    """What a loader found; names are for display only (division and violation names)."""

    patrols: list[PatrolRow] = field(default_factory=list)
    cases: list[CaseRow] = field(default_factory=list)
    transfers: list[TransferRow] = field(default_factory=list)
    division_names: dict[str, str] = field(default_factory=dict)
    violation_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeadlineRules:
    """Per-agreement deadlines (DOMAIN §3: not public, so configurable, with analogous defaults)."""

    receipt_working_days: int = rules_.RECEIPT.days  # the rules: domain/deadlines.py
    feedback_calendar_days: int = rules_.FEEDBACK.days  # §60: decided within 90 days

    def rule(self, key: str) -> rules_.PeriodRule:
        if key == "receipt":
            return rules_.with_days(rules_.RECEIPT, self.receipt_working_days, working=True)
        return rules_.with_days(rules_.FEEDBACK, self.feedback_calendar_days, working=False)

    def receipt_due(self, sent: dt.datetime, cal: HolidayCalendar) -> dt.date:
        return rules_.due_date(cst_date(sent), self.rule("receipt"), cal)

    def feedback_due(self, receipt: dt.datetime, cal: HolidayCalendar) -> dt.date:
        return rules_.due_date(cst_date(receipt), self.rule("feedback"), cal)


# What a store counted instead of handing over ------------------------------------------------------
class CaseCount(NamedTuple):
    """Cases found in one month (CST), already decided to count (in the period, up to ``as_of``,
    not a draft, not training, not registered on accepting a transfer)."""

    month: str  # YYYY-MM
    agency: str  # district code of the recording agency
    violation_code: str  # '' for none
    jurisdiction_code: str  # '' for none
    n: int


@dataclass
class TransferCounts:
    """Transfers classified by the store with the rules of :func:`stats_rules.transfer_state` and
    the deadlines of ``domain/deadlines.py``. ``figures`` keys: sent, received, receipt_decided,
    receipt_on_time, feedback_decided, feedback_on_time, open, overdue."""

    figures: Counter[str] = field(default_factory=Counter)
    months_sent: Counter[str] = field(default_factory=Counter)
    months_received: Counter[str] = field(default_factory=Counter)
    receipt_days: float = 0.0  # sum of days from sending to receipt
    receipt_n: int = 0
    feedback_days: float = 0.0  # sum of days from receipt to feedback
    feedback_n: int = 0
    #: the first sent in the period, in sending order (as many as the bulletin lists)
    major: list[tuple[TransferRow, TransferState]] = field(default_factory=list)


@dataclass
class Counted:
    """The part of a period a store counted itself (the laptop's loader does this for cases and
    transfers; rows it could not count go to :func:`stats_rules.compute` as rows).

    ``fetch(key, limit)`` reads back the counted records behind figure ``key`` (the first
    ``limit``, or all): :class:`CaseRow` for case figures, ``(TransferRow, TransferState)`` for
    transfer figures. It may run long after the counting, on another thread: it opens what it
    needs itself."""

    cases: list[CaseCount]
    transfers: TransferCounts
    fetch: Callable[[str, int | None], list[Any]]


class RecordIds(Sequence[str]):
    """The ids behind a figure: ``known`` ones at hand, ``pending`` more that the store counted and
    ``load(limit)`` reads on demand. A figure over a million cases thus costs one count until an
    officer drills into it (and then only the rows the table shows)."""

    __slots__ = ("_all", "_known", "_load", "_pending")

    def __init__(
        self,
        known: Sequence[str] = (),
        pending: int = 0,
        load: Callable[[int | None], list[str]] | None = None,
    ) -> None:
        if pending and load is None:
            raise ValueError("pending ids need a loader")
        self._known, self._pending, self._load = tuple(known), pending, load
        self._all: tuple[str, ...] | None = None if pending else self._known

    def __len__(self) -> int:
        return len(self._known) + self._pending

    def _everything(self) -> tuple[str, ...]:
        if self._all is None:
            assert self._load is not None
            self._all = (*self._known, *self._load(None))
        return self._all

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if (
            self._all is None
            and isinstance(index, slice)
            and not index.start
            and index.step in (None, 1)
            and index.stop is not None
            and index.stop >= 0
        ):  # the head only: what a drill-down table shows
            need = index.stop - len(self._known)
            if need <= 0:
                return self._known[: index.stop]
            assert self._load is not None
            return (*self._known, *self._load(min(need, self._pending)))[: index.stop]
        return self._everything()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RecordIds | tuple | list):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._everything())

    def __repr__(self) -> str:
        return f"RecordIds({len(self._known)} known, {self._pending} pending)"


# Result -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One number on the page, with the records behind it (``kind``: patrol / case / transfer)."""

    key: str
    label: str
    value: float | int | None
    kind: str
    ids: Sequence[str] = ()  # a tuple, or RecordIds when the store counted them
    unit: str = ""
    numerator: int | None = None  # shares: on time / decided
    denominator: int | None = None

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.unit == "%":
            return f"{self.value:.1f}%（{self.numerator}/{self.denominator}）"
        if isinstance(self.value, float):
            return f"{self.value:.1f}{self.unit}"
        return f"{self.value}{self.unit}"


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    patrols: int
    cases: int
    transfers_sent: int
    transfers_received: int


@dataclass(frozen=True)
class TransferState:
    """A transfer's deadlines and where it stood as of ``as_of``."""

    receipt_due: dt.date
    feedback_due: dt.date | None
    open_state: str | None  # OPEN_RECEIPT / OPEN_FEEDBACK / None (closed)
    overdue: bool


@dataclass
class Dashboard:
    period: Period
    as_of: dt.datetime
    viewpoint: tuple[str, ...]
    scope_name: str
    rules: DeadlineRules
    figures: dict[str, Figure]
    patrols_by_type: list[Figure]
    cases_by_type: list[Figure]
    cases_by_jurisdiction: list[Figure]
    months: list[MonthRow]
    major: list[str]  # transfer ids, the major cooperation cases of the bulletin
    patrols: dict[str, PatrolRow]
    cases: dict[str, CaseRow]
    transfers: dict[str, TransferRow]
    transfer_states: dict[str, TransferState]
    division_names: dict[str, str]
    violation_names: dict[str, str]
    map_codes: list[str] = field(default_factory=list)  # districts the choropleth shows

    def figure(self, key: str) -> Figure:
        """Any figure, including the breakdowns (``patrols_by_type:<type>`` …)."""
        if key in self.figures:
            return self.figures[key]
        for group in (self.patrols_by_type, self.cases_by_type, self.cases_by_jurisdiction):
            for f in group:
                if f.key == key:
                    return f
        raise KeyError(key)

    def division_name(self, code: str | None) -> str:
        if not code:
            return "未确定"
        return self.division_names.get(code, code)

    def violation_name(self, code: str | None) -> str:
        if not code:
            return "未分类"
        return self.violation_names.get(code, code)

    def to_json(self) -> dict[str, Any]:
        def fig(f: Figure) -> dict[str, Any]:
            out: dict[str, Any] = {"label": f.label, "value": f.value, "display": f.display}
            if f.unit == "%":
                out.update(numerator=f.numerator, denominator=f.denominator)
            out["count_records"] = len(f.ids)
            return out

        return {
            "period": {
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "label": self.period.text,
            },
            "as_of": self.as_of.isoformat(),
            "viewpoint": list(self.viewpoint),
            "scope": self.scope_name,
            "rules": {
                "receipt_working_days": self.rules.receipt_working_days,
                "feedback_calendar_days": self.rules.feedback_calendar_days,
            },
            "figures": {k: fig(f) for k, f in self.figures.items()},
            "patrols_by_type": {f.label: f.value for f in self.patrols_by_type},
            "cases_by_type": {f.label: f.value for f in self.cases_by_type},
            "cases_by_jurisdiction": {f.label: f.value for f in self.cases_by_jurisdiction},
            "months": [m.__dict__ for m in self.months],
            "major": self.major,
        }
