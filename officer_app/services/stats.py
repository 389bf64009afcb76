"""Cooperation statistics (统计) for a period: one computation for the page, the CLI and the bulletin.

The computation core, :func:`compute`, takes *plain rows* (:class:`PatrolRow`, :class:`CaseRow`,
:class:`TransferRow`) and returns one typed :class:`Dashboard`. Two loaders produce those rows: the
laptop's store (:func:`load_local_rows`, the officer's own agency) and the platform's store
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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from officer_app.domain import deadlines as rules_
from officer_app.domain.calendar import HolidayCalendar
from officer_app.services.stats_model import (  # noqa: F401  (re-exported)
    _QUARTER_RE,
    _QUARTER_ZH,
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
    _parse_times,
    cst_date,
    parse_quarter,
    parse_time,
    quarter_of,
)

__all__ = [
    "CST",
    "OPEN_FEEDBACK",
    "OPEN_RECEIPT",
    "CaseRow",
    "Dashboard",
    "DeadlineRules",
    "Figure",
    "MonthRow",
    "PatrolRow",
    "Period",
    "StatsRows",
    "TransferRow",
    "compute",
    "cst_date",
    "dashboard",
    "load_local_rows",
    "parse_quarter",
    "parse_time",
]


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


# The laptop's store -------------------------------------------------------------------------------
def district(code: str) -> str:
    """``310118-jz`` → ``310118``: statistics are kept per district agency."""
    return code.split("-", 1)[0]


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def load_local_rows(store: Any, period: Period, viewpoint: Sequence[str]) -> StatsRows:
    """Rows of the laptop store that can matter for ``period`` (a coarse, index-backed window: the
    exact CST-date rules are applied by :func:`compute`). ``store`` is a ``store.db.Store``."""
    conn = store.conn
    # A day of slack either side: stored offsets vary (+08:00 from cameras, UTC from the clock).
    lo = _iso(period.start_utc - dt.timedelta(days=1))
    hi = _iso(period.end_utc + dt.timedelta(days=1))
    lo_date = (period.start - dt.timedelta(days=1)).isoformat()
    hi_date = (period.end + dt.timedelta(days=2)).isoformat()

    parse, districts = _parse_times(), _memo(district)
    agencies_of: dict[str, set[str]] = defaultdict(set)
    patrol_sql = (
        "SELECT p.id, p.type, p.status, p.actual_start, p.actual_end, p.title"
        " FROM patrols p WHERE p.start_utc >= ? AND p.start_utc < ? AND p.status != 'planned'"
        " AND p.training = 0"
    )
    prow = conn.execute(patrol_sql, [lo_date, hi_date]).fetchall()
    ids = [r[0] for r in prow]
    officers: Counter[str] = Counter()
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        for pid, code in conn.execute(
            f"SELECT patrol_id, agency_code FROM patrol_agencies WHERE patrol_id IN ({marks})", part
        ):
            agencies_of[pid].add(district(code))
        for pid, n in conn.execute(
            f"SELECT patrol_id, count(*) FROM patrol_officers WHERE patrol_id IN ({marks})"
            " GROUP BY patrol_id",
            part,
        ):
            officers[pid] = n
    patrols = [
        PatrolRow(
            r[0],
            r[1],
            r[2],
            parse(r[3]),
            parse(r[4]),
            tuple(sorted(agencies_of[r[0]])),
            officers[r[0]],
            r[5] or "",
        )
        for r in prow
    ]

    # Two index-backed halves (cases_stats covers the first): by the found day, else by the day
    # of recording. The recorder's agency comes from the small officers table, not a join.
    agency_of = {
        oid: districts(code) for oid, code in conn.execute("SELECT id, agency_code FROM officers")
    }
    not_received = (
        " AND c.id NOT IN (SELECT case_id FROM transfers"
        "                  WHERE direction = 'in' AND case_id IS NOT NULL)"
    )
    case_sql = (
        "SELECT c.id, c.created_by, c.violation_code, c.jurisdiction_code, c.taken_at, c.status"
        " FROM cases c WHERE c.taken_at >= ? AND c.taken_at < ?"
        " AND c.training = 0 AND c.status != 'draft'" + not_received + " UNION ALL "
        "SELECT c.id, c.created_by, c.violation_code, c.jurisdiction_code, c.created_at, c.status"
        " FROM cases c WHERE c.taken_at IS NULL AND c.created_at >= ? AND c.created_at < ?"
        " AND c.training = 0 AND c.status != 'draft'" + not_received
    )
    cases = [
        CaseRow(r[0], agency_of[r[1]], r[2], r[3], parse(r[4]), r[5])
        for r in conn.execute(case_sql, [lo_date, hi_date, lo, hi])
        if r[1] in agency_of  # a case whose recorder is unknown here has no agency to count for
    ]

    own = district(viewpoint[0]) if viewpoint else ""
    limit = period.end_utc + dt.timedelta(days=1)
    # A coarse bound on the sent time as stored (any offset is within a day of UTC): rows sent
    # on a later date cannot be sent before ``limit``; the exact test is on the parsed time.
    sent_hi = (period.end + dt.timedelta(days=3)).isoformat()
    transfers = []
    for r in conn.execute(
        "SELECT t.id, t.direction, t.other_agency, t.status, t.document_number, t.case_id,"
        " t.sent_at, coalesce(c.violation_code, t.violation_code),"
        " json_extract(t.feedback, '$.result'), t.updated_at, t.receipt_at, t.feedback_at,"
        " json_extract(t.feedback, '$.fine')"
        " FROM transfers t LEFT JOIN cases c ON c.id = t.case_id"
        " WHERE t.training = 0 AND t.kind = 'case' AND (t.status IN ('sent', 'accepted')"
        "   OR t.updated_at >= ? OR t.created_at >= ?)"
        " AND NOT (substr(t.sent_at, 1, 10) >= ? AND t.sent_at GLOB '[0-9][0-9][0-9][0-9]-*')",
        # closed transfers matter only if sent in the period (created_at is at or after the
        # sending) or closed after its start (they may have been open at ``as_of``)
        [lo, lo, sent_hi],
    ):
        tid, direction, other, status, number, case_id, sent_at, vcode, result, updated = r[:10]
        sent = parse(sent_at)
        if sent is None or sent >= limit:
            continue
        # receipt_at / feedback_at are kept by triggers (migration 10) from the pulled status
        # items (outgoing transfers) and our own ledger entries (incoming ones).
        receipt, feedback = r[10], r[11]
        if receipt is None and status != "sent":
            receipt = updated  # a row changed by hand or an older sync: best known time
        if feedback is None and status == "feedback_sent":
            feedback = updated
        transfers.append(
            TransferRow(
                tid,
                own if direction == "out" else districts(other),
                districts(other) if direction == "out" else own,
                sent,
                number,
                status,
                parse(receipt),
                parse(feedback),
                vcode,
                case_id,
                str(result or ""),
                r[12],
            )
        )

    division_names = {
        code: name
        for code, name in conn.execute(
            "SELECT division_code, division_name FROM agencies ORDER BY length(code) DESC, code DESC"
        )
    }
    violation_names = dict(conn.execute("SELECT code, name FROM violation_types"))
    return StatsRows(patrols, cases, transfers, division_names, violation_names)


def dashboard(
    ctx: Any,
    period: Period,
    *,
    agency: str | None = None,
    as_of: dt.datetime | None = None,
    rules: DeadlineRules | None = None,
) -> Dashboard:
    """The 统计 figures of the officer's own agency (or ``agency``) over the laptop's store."""
    from officer_app.services.calendars import load_calendar
    from officer_app.services.officers import require_officer

    code = district(agency or require_officer(ctx).agency_code)
    name = ctx.store.scalar(
        "SELECT name FROM agencies WHERE division_code = ? ORDER BY length(code), code LIMIT 1",
        [code],
    )
    rows = load_local_rows(ctx.store, period, [code])
    board = compute(
        rows,
        period,
        viewpoint=[code],
        calendar=load_calendar(),
        as_of=as_of or ctx.clock(),
        rules=rules,
        scope_name=name or code,
    )
    board.map_codes = cluster_divisions(ctx.store, code)
    return board


def cluster_divisions(store: Any, code: str) -> list[str]:
    """The districts of every cluster the agency belongs to (itself first), for the map."""
    rows = store.query(
        "SELECT DISTINCT a.division_code AS code FROM agencies own"
        " JOIN cluster_members m ON m.agency_code = own.code"
        " JOIN cluster_members n ON n.cluster = m.cluster"
        " JOIN agencies a ON a.code = n.agency_code"
        " WHERE own.division_code = ? ORDER BY a.division_code",
        [code],
    )
    return list(dict.fromkeys([code, *(r["code"] for r in rows)]))
