"""Cooperation statistics (统计) for a period: the pure computation behind the page, the CLI and
the bulletins (laptop and platform).

The computation core, :func:`compute`, takes *plain rows* (:class:`PatrolRow`, :class:`CaseRow`,
:class:`TransferRow`) and returns one typed :class:`Dashboard`. Two loaders produce those rows: the
laptop's store (``officer_app.services.stats``, the officer's own agency) and the platform's store
(``officer_app.platform.stats_rows``, a whole cluster). Because both feed the same core, the 统计
page, ``officer-app bulletin`` and ``officer-app platform bulletin`` can never disagree on what a
figure means. The loaders do the cheap, index-backed filtering in SQL (the period window); the
core does the rules that need the holiday calendar, which SQL cannot express.

Rules (each figure keeps the ids of the records behind it, for drill-down):

- a *joint patrol* is a started or closed patrol whose agencies span at least two districts, one of
  them in the viewpoint, dated by its actual start (China Standard Time);
  officer-hours = Σ officers × (actual end − actual start) over closed patrols;
- a *violation found* is a non-draft case recorded by a viewpoint agency, dated by ``taken_at``
  (else ``created_at``); cases registered on accepting a transfer belong to the sender;
- transfers are counted in the period they were *sent* (a cohort): a transfer sent on 29 September
  and receipted in October is a third-quarter transfer with its October receipt;
- the receipt deadline is 7 working days after sending (行政处罚法 §85), the feedback deadline
  90 calendar days after acceptance, rolled forward off rest days: the rules of
  ``domain/deadlines.py`` that the letters print too, over the official holiday calendar (调休
  included; statutory holidays for a year not published yet), recomputed from the sent date;
- shares are over *decided* items: receipted, or not receipted and already past the deadline;
  items still within their deadline are pending and excluded;
- *open* items are transfers sent up to the end of the period that are still awaiting receipt or
  feedback as of ``as_of``; *overdue* ones are open past their deadline.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from officer_app.domain import deadlines as rules_
from officer_app.domain.calendar import HolidayCalendar
from officer_app.domain.stats_model import (
    CST,
    OPEN_FEEDBACK,
    OPEN_RECEIPT,
    CaseRow,
    Counted,
    Dashboard,
    DeadlineRules,
    Figure,
    MonthRow,
    PatrolRow,
    Period,
    RecordIds,
    StatsRows,
    TransferCounts,
    TransferRow,
    TransferState,
    _memo,
    cst_date,
)

__all__ = ["Deadlines", "compute", "district", "jurisdiction_counts", "transfer_state"]


def district(code: str) -> str:
    """``310118-jz`` → ``310118``: statistics are kept per district agency."""
    return code.split("-", 1)[0]


# The core -----------------------------------------------------------------------------------------
class Deadlines:
    """Deadlines memoised per CST date: thousands of transfers share a few hundred sent days."""

    def __init__(self, rules: DeadlineRules, cal: HolidayCalendar) -> None:
        self.rules, self.cal = rules, cal
        self.receipt: dict[dt.date, dt.date] = {}
        self.feedback: dict[dt.date, dt.date] = {}

    def receipt_due(self, sent: dt.datetime) -> dt.date:
        return self.receipt_due_on(cst_date(sent))

    def receipt_due_on(self, day: dt.date) -> dt.date:
        due = self.receipt.get(day)
        if due is None:
            due = self.receipt[day] = rules_.due_date(day, self.rules.rule("receipt"), self.cal)
        return due

    def feedback_due(self, receipt: dt.datetime) -> dt.date:
        return self.feedback_due_on(cst_date(receipt))

    def feedback_due_on(self, day: dt.date) -> dt.date:
        due = self.feedback.get(day)
        if due is None:
            due = self.feedback[day] = rules_.due_date(day, self.rules.rule("feedback"), self.cal)
        return due


def transfer_state(
    t: TransferRow,
    as_of: dt.datetime,
    rules: DeadlineRules,
    cal: HolidayCalendar,
    deadlines: Deadlines | None = None,
    sent_day: dt.date | None = None,
) -> TransferState:
    dl = deadlines or Deadlines(rules, cal)
    receipt_due = dl.receipt_due_on(sent_day or cst_date(t.sent_at))
    today = cst_date(as_of)
    receipt = t.receipt_at if t.receipt_at and t.receipt_at <= as_of else None
    feedback = t.feedback_at if t.feedback_at and t.feedback_at <= as_of else None
    accepted = t.status in ("accepted", "feedback_sent") or t.feedback_at is not None
    if receipt is None:
        return TransferState(receipt_due, None, OPEN_RECEIPT, today > receipt_due)
    if not accepted:  # returned: closed
        return TransferState(receipt_due, None, None, False)
    fb_due = dl.feedback_due(receipt)
    if feedback is None:
        return TransferState(receipt_due, fb_due, OPEN_FEEDBACK, today > fb_due)
    return TransferState(receipt_due, fb_due, None, False)


def _share(
    key: str,
    label: str,
    on_time: list[str],
    decided: list[str],
    more: tuple[int, int, Any] = (0, 0, None),
) -> Figure:
    """``more``: (on time, decided, loader) the store counted beside the rows."""
    num, den = len(on_time) + more[0], len(decided) + more[1]
    value = 100.0 * num / den if den else None
    return Figure(key, label, value, "transfer", _ids(decided, more[1], more[2]), "%", num, den)


def _mean_days(
    key: str,
    label: str,
    spans: list[tuple[str, float]],
    more: tuple[float, int, Any] = (0.0, 0, None),
) -> Figure:
    n = len(spans) + more[1]
    value = (sum(d for _, d in spans) + more[0]) / n if n else None
    return Figure(
        key, label, value, "transfer", _ids([i for i, _ in spans], more[1], more[2]), "天"
    )


def _ids(known: Iterable[str], pending: int = 0, load: Any = None) -> tuple[str, ...] | RecordIds:
    return RecordIds(tuple(known), pending, load) if pending else tuple(known)


def compute(
    rows: StatsRows,
    period: Period,
    *,
    viewpoint: Iterable[str],
    calendar: HolidayCalendar,
    as_of: dt.datetime,
    rules: DeadlineRules | None = None,
    scope_name: str = "",
    major_limit: int = 30,
    counted: Counted | None = None,
) -> Dashboard:
    """Every figure of the dashboard from plain rows (see the module docstring for the rules).

    ``counted``: what the store counted itself (cases and transfers of the laptop's store, see
    ``services.stats``), added to what ``rows`` give; its records are read back when asked for.
    Without it this is the row-by-row reference the tests hold the counting to."""
    rules = rules or DeadlineRules()
    view = frozenset(viewpoint)
    months = period.months()
    by_month: dict[str, Counter[str]] = {m: Counter() for m in months}
    month_of = _memo(lambda day: day.strftime("%Y-%m"))
    start, end = period.start, period.end

    # Joint patrols
    patrols: dict[str, PatrolRow] = {}
    type_ids: dict[str, list[str]] = defaultdict(list)
    hours_ids: list[str] = []
    hours = 0.0
    for p in rows.patrols:
        if p.status == "planned" or p.actual_start is None or p.actual_start > as_of:
            continue
        agencies = set(p.agencies)
        if len(agencies) < 2 or not agencies & view:
            continue
        day = cst_date(p.actual_start)
        if not period.contains(day):
            continue
        patrols[p.id] = p
        type_ids[p.type].append(p.id)
        by_month[month_of(day)]["patrols"] += 1
        if p.status == "closed" and p.actual_end and p.actual_end > p.actual_start:
            hours += p.officers * (p.actual_end - p.actual_start).total_seconds() / 3600
            hours_ids.append(p.id)

    # Violations found
    cases: dict[str, CaseRow] = {}
    vtype_ids: dict[str, list[str]] = defaultdict(list)
    juris_ids: dict[str, list[str]] = defaultdict(list)
    case_months: Counter[str] = Counter()
    for c in rows.cases:
        taken = c.taken_at
        if c.status == "draft" or c.agency not in view or taken is None:
            continue
        day = taken.astimezone(CST).date()
        if not start <= day <= end or taken > as_of:
            continue
        cid = c.id
        cases[cid] = c
        vtype_ids[c.violation_code or ""].append(cid)
        juris_ids[c.jurisdiction_code or ""].append(cid)
        case_months[month_of(day)] += 1
    for month, n in case_months.items():
        by_month[month]["cases"] += n

    # Transfers
    transfers: dict[str, TransferRow] = {}
    states: dict[str, TransferState] = {}
    deadlines = Deadlines(rules, calendar)
    sent, received = [], []
    receipt_on_time, receipt_decided = [], []
    feedback_on_time, feedback_decided = [], []
    open_ids, overdue_ids = [], []
    receipt_days: list[tuple[str, float]] = []
    feedback_days: list[tuple[str, float]] = []
    sent_in_period: list[str] = []  # in sending order: the bulletin's major cases come first
    for t in sorted(rows.transfers, key=lambda r: (r.sent_at, r.id)):
        ours_out, ours_in = t.from_agency in view, t.to_agency in view
        if not (ours_out or ours_in) or t.sent_at > as_of:
            continue
        day = cst_date(t.sent_at)
        if day > period.end:
            continue
        st = transfer_state(t, as_of, rules, calendar, deadlines, day)
        in_period = day >= period.start
        if st.open_state or in_period:
            transfers[t.id], states[t.id] = t, st
        if in_period:
            sent_in_period.append(t.id)
        if st.open_state:
            open_ids.append(t.id)
            if st.overdue:
                overdue_ids.append(t.id)
        if not in_period:
            continue
        month = month_of(day)
        if ours_out:
            sent.append(t.id)
            by_month[month]["sent"] += 1
        if ours_in:
            received.append(t.id)
            by_month[month]["received"] += 1
        receipt = t.receipt_at if t.receipt_at and t.receipt_at <= as_of else None
        if receipt is not None:
            receipt_decided.append(t.id)
            if cst_date(receipt) <= st.receipt_due:
                receipt_on_time.append(t.id)
            receipt_days.append((t.id, (receipt - t.sent_at).total_seconds() / 86400))
        elif st.overdue:
            receipt_decided.append(t.id)
        if st.feedback_due is not None and receipt is not None:
            fb = t.feedback_at if t.feedback_at and t.feedback_at <= as_of else None
            if fb is not None:
                feedback_decided.append(t.id)
                if cst_date(fb) <= st.feedback_due:
                    feedback_on_time.append(t.id)
                feedback_days.append((t.id, (fb - receipt).total_seconds() / 86400))
            elif st.overdue:
                feedback_decided.append(t.id)

    # What the store counted: added to the rows' figures; its records are read when asked for.
    got = counted or Counted([], TransferCounts(), _nothing)
    vtype_n: Counter[str] = Counter()
    juris_n: Counter[str] = Counter()
    for g in got.cases:
        if g.agency not in view or g.n <= 0:
            continue
        vtype_n[g.violation_code] += g.n
        juris_n[g.jurisdiction_code] += g.n
        by_month[g.month]["cases"] += g.n
    tc = got.transfers
    for month, n in tc.months_sent.items():
        by_month[month]["sent"] += n
    for month, n in tc.months_received.items():
        by_month[month]["received"] += n
    for t, st in tc.major:
        transfers[t.id], states[t.id] = t, st
    if tc.major:  # merged in sending order with the rows' own
        order = sorted(
            [(transfers[i].sent_at, i) for i in sent_in_period[:major_limit]]
            + [(t.sent_at, t.id) for t, _ in tc.major]
        )
        sent_in_period = [i for _, i in order]

    def load(key: str) -> Any:
        def read(limit: int | None) -> list[str]:
            out = []
            for record in got.fetch(key, limit):
                if isinstance(record, CaseRow):
                    cases[record.id] = record
                    out.append(record.id)
                else:
                    t, st = record
                    transfers[t.id], states[t.id] = t, st
                    out.append(t.id)
            return out

        return read

    def counted_ids(key: str, known: Iterable[str], pending: int) -> tuple[str, ...] | RecordIds:
        return _ids(known, pending, load(key) if pending else None)

    names_v, names_d = rows.violation_names, rows.division_names

    def breakdown(
        prefix: str, groups: Mapping[str, list[str]], kind: str, names: Any, more: Counter[str]
    ) -> list[Figure]:
        out = []
        for code in dict.fromkeys([*groups, *more]):
            key, ids = f"{prefix}:{code}", groups.get(code, [])
            n = len(ids) + more[code]
            out.append(Figure(key, names(code), n, kind, counted_ids(key, ids, more[code]), ""))
        return sorted(out, key=lambda f: (-int(f.value or 0), f.label))

    def vname(code: str) -> str:
        return names_v.get(code, code) if code else "未分类"

    def dname(code: str) -> str:
        return names_d.get(code, code) if code else "未确定"

    n_cases = sum(vtype_n.values())
    tf = tc.figures

    def count(key: str, label: str, kind: str, ids: Iterable[str], more: int, unit: str) -> Figure:
        ids = counted_ids(key, ids, more)
        return Figure(key, label, len(ids), kind, ids, unit)

    figures = {
        "patrols": Figure("patrols", "联合巡查", len(patrols), "patrol", tuple(patrols), "次"),
        "officer_hours": Figure(
            "officer_hours", "巡查人时", round(hours, 1), "patrol", tuple(hours_ids), "人时"
        ),
        "cases": count("cases", "发现违法行为", "case", cases, n_cases, "起"),
        "transfers_sent": count("transfers_sent", "移出案件", "transfer", sent, tf["sent"], "件"),
        "transfers_received": count(
            "transfers_received", "接收移送", "transfer", received, tf["received"], "件"
        ),
        "receipt_on_time": _share(
            "receipt_on_time",
            "按期签收率",
            receipt_on_time,
            receipt_decided,
            (tf["receipt_on_time"], tf["receipt_decided"], load("receipt_on_time")),
        ),
        "feedback_on_time": _share(
            "feedback_on_time",
            "按期反馈率",
            feedback_on_time,
            feedback_decided,
            (tf["feedback_on_time"], tf["feedback_decided"], load("feedback_on_time")),
        ),
        "open": count("open", "未办结事项", "transfer", open_ids, tf["open"], "件"),
        "overdue": count("overdue", "逾期事项", "transfer", overdue_ids, tf["overdue"], "件"),
        "mean_receipt_days": _mean_days(
            "mean_receipt_days",
            "移送至签收平均天数",
            receipt_days,
            (tc.receipt_days, tc.receipt_n, load("mean_receipt_days")),
        ),
        "mean_feedback_days": _mean_days(
            "mean_feedback_days",
            "受理至反馈平均天数",
            feedback_days,
            (tc.feedback_days, tc.feedback_n, load("mean_feedback_days")),
        ),
    }
    month_rows = [
        MonthRow(m, c["patrols"], c["cases"], c["sent"], c["received"]) for m, c in by_month.items()
    ]
    return Dashboard(
        period=period,
        as_of=as_of,
        viewpoint=tuple(sorted(view)),
        scope_name=scope_name,
        rules=rules,
        figures=figures,
        patrols_by_type=breakdown("patrols_by_type", type_ids, "patrol", lambda t: t, Counter()),
        cases_by_type=breakdown("cases_by_type", vtype_ids, "case", vname, vtype_n),
        cases_by_jurisdiction=breakdown("cases_by_jurisdiction", juris_ids, "case", dname, juris_n),
        months=month_rows,
        major=sent_in_period[:major_limit],
        patrols=patrols,
        cases=cases,
        transfers=transfers,
        transfer_states=states,
        division_names=dict(names_d),
        violation_names=dict(names_v),
    )


def _nothing(key: str, limit: int | None) -> list[Any]:
    return []


def jurisdiction_counts(board: Dashboard) -> dict[str, int]:
    """Cases per division code (for the choropleth)."""
    out: dict[str, int] = {}
    for f in board.cases_by_jurisdiction:
        code = f.key.split(":", 1)[1]
        if code:
            out[code] = int(f.value or 0)
    return out
