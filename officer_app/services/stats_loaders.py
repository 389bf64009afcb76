"""The loaders of the 统计 figures: the officer's own agency's rows read from the laptop's store.

Apart from :mod:`officer_app.services.stats` (which puts them together into the dashboard) so
that the counted path (:mod:`officer_app.services.stats_counted`) reads the same rows through the
same functions without importing the module that calls it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from officer_app.domain.stats_model import (
    CaseRow,
    PatrolRow,
    Period,
    StatsRows,
    TransferRow,
    _memo,
    _parse_times,
)
from officer_app.domain.stats_rules import district


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def load_local_rows(store: Any, period: Period, viewpoint: Sequence[str]) -> StatsRows:
    """Rows of the laptop store that can matter for ``period`` (a coarse, index-backed window: the
    exact CST-date rules are applied by :func:`compute`). ``store`` is a ``store.db.Store``.

    Every row, one by one: the reference the counting loader (``services.stats_counted``) is held
    to by the tests, and what a store too odd to count is read with."""
    conn = store.conn
    w = Window(period)
    return StatsRows(
        patrol_rows(conn, w),
        case_rows(conn, w, ""),
        transfer_rows(conn, w, viewpoint, ""),
        *code_names(conn),
    )


class Window:
    """The coarse, index-backed window of stored text that can hold a period's rows."""

    def __init__(self, period: Period) -> None:
        # A day of slack either side: stored offsets vary (+08:00 from cameras, UTC from the clock).
        self.period = period
        self.lo = _iso(period.start_utc - dt.timedelta(days=1))
        self.hi = _iso(period.end_utc + dt.timedelta(days=1))
        self.lo_date = (period.start - dt.timedelta(days=1)).isoformat()
        self.hi_date = (period.end + dt.timedelta(days=2)).isoformat()
        # A coarse bound on the sent time as stored (any offset is within a day of UTC): rows sent
        # on a later date cannot be sent before ``limit``; the exact test is on the parsed time.
        self.sent_hi = (period.end + dt.timedelta(days=3)).isoformat()
        self.limit = period.end_utc + dt.timedelta(days=1)


def patrol_rows(conn: Any, w: Window) -> list[PatrolRow]:
    parse, districts = _parse_times(), _memo(district)
    agencies_of: dict[str, set[str]] = defaultdict(set)
    patrol_sql = (
        "SELECT p.id, p.type, p.status, p.actual_start, p.actual_end, p.title"
        " FROM patrols p WHERE p.start_utc >= ? AND p.start_utc < ? AND p.status != 'planned'"
        " AND p.training = 0"
    )
    prow = conn.execute(patrol_sql, [w.lo_date, w.hi_date]).fetchall()
    ids = [r[0] for r in prow]
    officers: Counter[str] = Counter()
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        for pid, code in conn.execute(
            f"SELECT patrol_id, agency_code FROM patrol_agencies WHERE patrol_id IN ({marks})", part
        ):
            agencies_of[pid].add(districts(code))
        for pid, n in conn.execute(
            f"SELECT patrol_id, count(*) FROM patrol_officers WHERE patrol_id IN ({marks})"
            " GROUP BY patrol_id",
            part,
        ):
            officers[pid] = n
    return [
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


def recorders(conn: Any) -> dict[str, str]:
    """Officer id → district: the recorder's agency comes from the small officers table."""
    districts = _memo(district)
    return {
        oid: districts(code) for oid, code in conn.execute("SELECT id, agency_code FROM officers")
    }


#: Cases registered on accepting a transfer belong to the sender: not counted here.
NOT_RECEIVED = (
    " AND c.id NOT IN (SELECT case_id FROM transfers"
    "                  WHERE direction = 'in' AND case_id IS NOT NULL)"
)


def case_rows(conn: Any, w: Window, extra: str, params: Sequence[Any] = ()) -> list[CaseRow]:
    """``extra``: more SQL conditions on ``c`` (with ``params``), for both halves."""
    # Two index-backed halves (cases_stats covers the first): by the found day, else by the day
    # of recording.
    parse, agency_of = _parse_times(), recorders(conn)
    case_sql = (
        "SELECT c.id, c.created_by, c.violation_code, c.jurisdiction_code, c.taken_at, c.status"
        " FROM cases c WHERE c.taken_at >= ? AND c.taken_at < ?"
        " AND c.training = 0 AND c.status != 'draft'" + NOT_RECEIVED + extra + " UNION ALL "
        "SELECT c.id, c.created_by, c.violation_code, c.jurisdiction_code, c.created_at, c.status"
        " FROM cases c WHERE c.taken_at IS NULL AND c.created_at >= ? AND c.created_at < ?"
        " AND c.training = 0 AND c.status != 'draft'" + NOT_RECEIVED + extra
    )
    return [
        CaseRow(r[0], agency_of[r[1]], r[2], r[3], parse(r[4]), r[5])
        for r in conn.execute(case_sql, [w.lo_date, w.hi_date, *params, w.lo, w.hi, *params])
        if r[1] in agency_of  # a case whose recorder is unknown here has no agency to count for
    ]


def transfer_rows(
    conn: Any, w: Window | None, viewpoint: Sequence[str], extra: str, params: Sequence[Any] = ()
) -> list[TransferRow]:
    """``w`` None: no window, only ``extra`` (conditions on ``t``) chooses the rows."""
    parse, districts = _parse_times(), _memo(district)
    own = district(viewpoint[0]) if viewpoint else ""
    window = (
        " AND (t.status IN ('sent', 'accepted') OR t.updated_at >= ? OR t.created_at >= ?)"
        " AND NOT (substr(t.sent_at, 1, 10) >= ? AND t.sent_at GLOB '[0-9][0-9][0-9][0-9]-*')"
        if w is not None
        else ""
    )
    transfers = []
    for r in conn.execute(
        "SELECT t.id, t.direction, t.other_agency, t.status, t.document_number, t.case_id,"
        " t.sent_at, coalesce(c.violation_code, t.violation_code),"
        " json_extract(t.feedback, '$.result'), t.updated_at, t.receipt_at, t.feedback_at,"
        " json_extract(t.feedback, '$.fine')"
        " FROM transfers t LEFT JOIN cases c ON c.id = t.case_id"
        " WHERE t.training = 0 AND t.kind = 'case'" + window + extra,
        # closed transfers matter only if sent in the period (created_at is at or after the
        # sending) or closed after its start (they may have been open at ``as_of``)
        [*([w.lo, w.lo, w.sent_hi] if w is not None else []), *params],
    ):
        tid, direction, other, status, number, case_id, sent_at, vcode, result, updated = r[:10]
        sent = parse(sent_at)
        if sent is None or (w is not None and sent >= w.limit):
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
    return transfers


def code_names(conn: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(division names, violation names) for display."""
    division_names = {
        code: name
        for code, name in conn.execute(
            "SELECT division_code, division_name FROM agencies ORDER BY length(code) DESC, code DESC"
        )
    }
    violation_names = dict(conn.execute("SELECT code, name FROM violation_types"))
    return division_names, violation_names
