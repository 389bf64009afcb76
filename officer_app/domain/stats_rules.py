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
    Dashboard,
    DeadlineRules,
    Figure,
    MonthRow,
    PatrolRow,
    Period,
    StatsRows,
    TransferRow,
    TransferState,
    _memo,
    cst_date,
)

__all__ = ["compute", "district", "jurisdiction_counts", "transfer_state"]


def district(code: str) -> str:
    """``310118-jz`` → ``310118``: statistics are kept per district agency."""
    return code.split("-", 1)[0]


# The core -----------------------------------------------------------------------------------------
class _Deadlines:
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
        day = cst_date(receipt)
        due = self.feedback.get(day)
        if due is None:
            due = self.feedback[day] = rules_.due_date(day, self.rules.rule("feedback"), self.cal)
        return due


def transfer_state(
    t: TransferRow,
    as_of: dt.datetime,
    rules: DeadlineRules,
    cal: HolidayCalendar,
    deadlines: _Deadlines | None = None,
    sent_day: dt.date | None = None,
) -> TransferState:
    dl = deadlines or _Deadlines(rules, cal)
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


def _share(key: str, label: str, on_time: list[str], decided: list[str]) -> Figure:
    value = 100.0 * len(on_time) / len(decided) if decided else None
    return Figure(key, label, value, "transfer", tuple(decided), "%", len(on_time), len(decided))


def _mean_days(key: str, label: str, spans: list[tuple[str, float]]) -> Figure:
    value = sum(d for _, d in spans) / len(spans) if spans else None
    return Figure(key, label, value, "transfer", tuple(i for i, _ in spans), "天")


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
) -> Dashboard:
    """Every figure of the dashboard from plain rows (see the module docstring for the rules)."""
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
    deadlines = _Deadlines(rules, calendar)
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

    names_v, names_d = rows.violation_names, rows.division_names

    def breakdown(
        prefix: str, groups: Mapping[str, list[str]], kind: str, names: Any
    ) -> list[Figure]:
        out = [
            Figure(f"{prefix}:{code}", names(code), len(ids), kind, tuple(ids), "")
            for code, ids in groups.items()
        ]
        return sorted(out, key=lambda f: (-int(f.value or 0), f.label))

    def vname(code: str) -> str:
        return names_v.get(code, code) if code else "未分类"

    def dname(code: str) -> str:
        return names_d.get(code, code) if code else "未确定"

    figures = {
        "patrols": Figure("patrols", "联合巡查", len(patrols), "patrol", tuple(patrols), "次"),
        "officer_hours": Figure(
            "officer_hours", "巡查人时", round(hours, 1), "patrol", tuple(hours_ids), "人时"
        ),
        "cases": Figure("cases", "发现违法行为", len(cases), "case", tuple(cases), "起"),
        "transfers_sent": Figure(
            "transfers_sent", "移出案件", len(sent), "transfer", tuple(sent), "件"
        ),
        "transfers_received": Figure(
            "transfers_received", "接收移送", len(received), "transfer", tuple(received), "件"
        ),
        "receipt_on_time": _share(
            "receipt_on_time", "按期签收率", receipt_on_time, receipt_decided
        ),
        "feedback_on_time": _share(
            "feedback_on_time", "按期反馈率", feedback_on_time, feedback_decided
        ),
        "open": Figure("open", "未办结事项", len(open_ids), "transfer", tuple(open_ids), "件"),
        "overdue": Figure(
            "overdue", "逾期事项", len(overdue_ids), "transfer", tuple(overdue_ids), "件"
        ),
        "mean_receipt_days": _mean_days("mean_receipt_days", "移送至签收平均天数", receipt_days),
        "mean_feedback_days": _mean_days("mean_feedback_days", "受理至反馈平均天数", feedback_days),
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
        patrols_by_type=breakdown("patrols_by_type", type_ids, "patrol", lambda t: t),
        cases_by_type=breakdown("cases_by_type", vtype_ids, "case", vname),
        cases_by_jurisdiction=breakdown("cases_by_jurisdiction", juris_ids, "case", dname),
        months=month_rows,
        major=sent_in_period[:major_limit],
        patrols=patrols,
        cases=cases,
        transfers=transfers,
        transfer_states=states,
        division_names=dict(names_d),
        violation_names=dict(names_v),
    )


def jurisdiction_counts(board: Dashboard) -> dict[str, int]:
    """Cases per division code (for the choropleth)."""
    out: dict[str, int] = {}
    for f in board.cases_by_jurisdiction:
        code = f.key.split(":", 1)[1]
        if code:
            out[code] = int(f.value or 0)
    return out
