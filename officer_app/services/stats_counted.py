"""The laptop's statistics counted in SQL: a million cases without a million Python rows.

:func:`load_counted` splits a period's records in two. What SQLite can decide exactly it counts
(:class:`~officer_app.domain.stats_model.Counted`); what it cannot is handed to the pure rules of
``domain/stats_rules.py`` as rows, as before:

- **cases** come from the per-day rollup of migration ``stats_rollups`` (CST day found, recorder,
  violation, jurisdiction), summed over the days of the period before ``as_of``'s own day. The
  cases of that day and later (the rule compares exact times with ``as_of``) and cases whose time
  SQLite cannot read are rows. Cases registered on accepting a transfer are taken off the sums.
- **transfers** are classified from ``stats_transfers`` (CST days and Julian day numbers read once
  by triggers) with the rules of :func:`~officer_app.domain.stats_rules.transfer_state`; the
  receipt and feedback deadlines of each day come from ``domain/deadlines.py`` (the one
  implementation of the 行政处罚法 periods and the holiday calendar) and are joined in by day. A
  transfer with a time SQLite cannot read is a row.
- **patrols** are few (a squad's joint patrols): rows.

The records behind a counted figure are read back only when asked (``Counted.fetch``: the first
5,000 for the drill-down table), through a connection of their own, since the page computes on a
worker whose connection is gone by then. Equal figures to the row-by-row computation are what
``tests/test_stats_counted.py`` checks over a generated store with the edge cases.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from officer_app.domain.calendar import HolidayCalendar
from officer_app.domain.stats_model import (
    CST,
    OPEN_FEEDBACK,
    OPEN_RECEIPT,
    CaseCount,
    CaseRow,
    Counted,
    DeadlineRules,
    Period,
    StatsRows,
    TransferCounts,
    TransferRow,
    TransferState,
)
from officer_app.domain.stats_rules import district, transfer_state
from officer_app.services.stats_loaders import (
    NOT_RECEIVED,
    Window,
    case_rows,
    code_names,
    patrol_rows,
    recorders,
    transfer_rows,
)
from officer_app.store.migration_stats_rollups import found_day

__all__ = ["load_counted"]

#: The CST day a case was found, as the rollup keys it.
_FOUND = found_day("c")


def load_counted(
    store: Any,
    period: Period,
    viewpoint: Sequence[str],
    *,
    as_of: dt.datetime,
    calendar: HolidayCalendar,
    rules: DeadlineRules | None = None,
    major_limit: int = 30,
) -> tuple[StatsRows, Counted]:
    """Rows for what SQL cannot decide, counts for the rest (``store``: a ``store.db.Store``)."""
    rules = rules or DeadlineRules()
    conn, w = store.conn, Window(period)
    today = as_of.astimezone(CST).date()
    cases = _Cases(conn, w, viewpoint, today)
    transfers = _Transfers(conn, period, viewpoint, as_of, calendar, rules)
    rows = StatsRows(
        patrol_rows(conn, w),
        cases.rows(),
        transfer_rows(
            conn, w, viewpoint, " AND t.id IN (SELECT id FROM stats_transfers WHERE odd)"
        ),
        *code_names(conn),
    )
    path = Path(store.path)

    def fetch(key: str, limit: int | None) -> list[Any]:
        with _reader(path) as other:
            if key == "cases" or key.startswith("cases_by_"):
                return cases.fetch(other, key, limit)
            return transfers.fetch(other, key, limit)

    counts = transfers.count(major_limit)
    return rows, Counted(cases.count(), counts, fetch)


class _reader:
    """A read-only connection of its own, closed after use."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


# Cases --------------------------------------------------------------------------------------------
class _Cases:
    def __init__(self, conn: Any, w: Window, viewpoint: Sequence[str], today: dt.date) -> None:
        self.conn, self.w = conn, w
        period = w.period
        self.view = frozenset(viewpoint)
        self.agency_of = recorders(conn)
        self.officers = sorted(o for o, a in self.agency_of.items() if a in self.view)
        # Counted: found on a day of the period before as_of's (every such case is before as_of).
        self.first = period.start.isoformat()
        self.last = min(period.end, today - dt.timedelta(days=1)).isoformat()
        self.today = today.isoformat()
        self.unreadable = bool(
            conn.execute(
                "SELECT 1 FROM stats_case_days WHERE day = '' AND n > 0 LIMIT 1"
            ).fetchone()
        )

    def count(self) -> list[CaseCount]:
        if self.last < self.first:
            return []
        n: Counter[tuple[str, str, str, str]] = Counter()
        # Summed here, not by GROUP BY: a few ten thousand rows, which SQLite would sort.
        for day, recorder, vcode, jcode, k in self.conn.execute(
            "SELECT day, recorder, violation_code, jurisdiction_code, n FROM stats_case_days"
            " WHERE day >= ? AND day <= ? AND n != 0",
            [self.first, self.last],
        ):
            agency = self.agency_of.get(recorder)
            if agency is not None:  # a case whose recorder is unknown here counts for nobody
                n[(day[:7], agency, vcode, jcode)] += k
        for day, recorder, vcode, jcode in self.conn.execute(
            f"SELECT {_FOUND}, coalesce(c.created_by, ''), coalesce(c.violation_code, ''),"
            " coalesce(c.jurisdiction_code, '') FROM cases c"
            " WHERE c.id IN (SELECT case_id FROM transfers WHERE direction = 'in')"
            " AND c.training = 0 AND c.status != 'draft'"
        ):  # registered on accepting a transfer: the sender's case, not ours
            agency = self.agency_of.get(recorder)
            if agency is not None and day and self.first <= day <= self.last:
                n[(day[:7], agency, vcode, jcode)] -= 1
        return [CaseCount(*key, k) for key, k in n.items() if k]

    def rows(self) -> list[CaseRow]:
        """The cases the rollup does not count: found on as_of's day or later, or unreadable."""
        w = self.w
        not_counted = f" AND NOT coalesce({_FOUND} BETWEEN ? AND ?, 0)"
        if self.unreadable:  # rare: a store with a time SQLite cannot read, scanned whole
            return case_rows(self.conn, w, not_counted, [self.first, self.last])
        if self.today > w.period.end.isoformat():
            return []  # as_of after the period: every readable case of it is counted
        since = (dt.date.fromisoformat(self.today) - dt.timedelta(days=1)).isoformat()
        narrow = Window(w.period)
        narrow.lo_date = max(w.lo_date, since)
        narrow.lo = max(w.lo, since)
        return case_rows(self.conn, narrow, not_counted, [self.first, self.last])

    def fetch(self, conn: sqlite3.Connection, key: str, limit: int | None) -> list[CaseRow]:
        if self.last < self.first:
            return []
        extra, params = "", []
        if key.startswith("cases_by_type:"):
            extra, params = " AND coalesce(c.violation_code, '') = ?", [key.split(":", 1)[1]]
        elif key.startswith("cases_by_jurisdiction:"):
            extra, params = " AND coalesce(c.jurisdiction_code, '') = ?", [key.split(":", 1)[1]]
        w = self.w
        common = (
            f" AND c.training = 0 AND c.status != 'draft' AND {_FOUND} BETWEEN ? AND ?"
            " AND c.created_by IN (SELECT value FROM json_each(?))" + NOT_RECEIVED + extra
        )
        args = [self.first, self.last, json.dumps(self.officers), *params]
        sql = (
            "SELECT c.id, c.created_by, c.violation_code, c.jurisdiction_code, c.taken_at,"
            " c.status FROM cases c WHERE c.taken_at >= ? AND c.taken_at < ?"
            + common
            + " UNION ALL"
            " SELECT c.id, c.created_by, c.violation_code, c.jurisdiction_code, c.created_at,"
            " c.status FROM cases c WHERE c.taken_at IS NULL AND c.created_at >= ?"
            " AND c.created_at < ?" + common + " LIMIT ?"
        )
        out = []
        for r in conn.execute(
            sql, [w.lo_date, w.hi_date, *args, w.lo, w.hi, *args, -1 if limit is None else limit]
        ):
            taken = dt.datetime.fromisoformat(r[4].replace("Z", "+00:00"))
            taken = taken if taken.tzinfo else taken.replace(tzinfo=dt.UTC)
            out.append(CaseRow(r[0], self.agency_of[r[1]], r[2], r[3], taken, r[5]))
        return out


# Transfers ----------------------------------------------------------------------------------------
#: Per transfer, as of ``:as_of`` (the rules of stats_rules.transfer_state and compute).
_CLASSIFIED = """
WITH x AS (
  SELECT f.id, f.sent_day, f.sent_jd, {ours_out} AS ours_out, {ours_in} AS ours_in,
    CASE WHEN f.receipt_jd <= :as_of_jd THEN f.receipt_jd END AS r_jd,
    CASE WHEN f.receipt_jd <= :as_of_jd THEN f.receipt_day END AS r_day,
    CASE WHEN f.feedback_jd <= :as_of_jd THEN f.feedback_jd END AS f_jd,
    CASE WHEN f.feedback_jd <= :as_of_jd THEN f.feedback_day END AS f_day,
    (f.status IN ('accepted', 'feedback_sent') OR f.feedback_jd IS NOT NULL) AS accepted,
    rdue.due AS r_due
  FROM ({sent}) f
  LEFT JOIN temp.stats_due rdue ON rdue.kind = 'r' AND rdue.day = f.sent_day
),
y AS (
  SELECT x.*, CASE WHEN r_jd IS NOT NULL AND accepted THEN fdue.due END AS f_due
  FROM x LEFT JOIN temp.stats_due fdue ON fdue.kind = 'f' AND fdue.day = x.r_day
  WHERE ours_out OR ours_in
),
z AS (
  SELECT y.*, sent_day >= :start AS in_period,
    CASE WHEN r_jd IS NULL THEN 'awaiting_receipt' WHEN NOT accepted THEN NULL
      WHEN f_jd IS NULL THEN 'awaiting_feedback' END AS open_state,
    CASE WHEN r_jd IS NULL THEN {r_late} WHEN NOT accepted THEN 0
      WHEN f_jd IS NULL THEN {f_late} ELSE 0 END AS overdue
  FROM y
)
"""
assert OPEN_RECEIPT == "awaiting_receipt" and OPEN_FEEDBACK == "awaiting_feedback"

#: The transfers that can count: sent up to ``as_of`` and the end of the period, in the loader's
#: window (open ones, or changed since the period began), with the other side's district.
_SENT = (
    "SELECT *, CASE WHEN instr(other_agency, '-')"
    " THEN substr(other_agency, 1, instr(other_agency, '-') - 1) ELSE other_agency END AS other_d"
    " FROM stats_transfers WHERE NOT odd AND sent_jd IS NOT NULL AND sent_jd <= :as_of_jd"
    " AND sent_day <= :end"
    " AND (status IN ('sent', 'accepted') OR updated_at >= :lo OR created_at >= :lo){since}"
)
#: Ours when the sender (receiver) is in the viewpoint (``view``: a literal list, bound per run).
_OURS_OUT = "(CASE direction WHEN 'out' THEN :own ELSE other_d END) IN ({view})"
_OURS_IN = "(CASE direction WHEN 'out' THEN other_d ELSE :own END) IN ({view})"
_CLASSIFIED = _CLASSIFIED.format(
    ours_out=_OURS_OUT.replace("direction", "f.direction").replace("other_d", "f.other_d"),
    ours_in=_OURS_IN.replace("direction", "f.direction").replace("other_d", "f.other_d"),
    sent=_SENT,
    view="{view}",
    since="{since}",
    r_late="{r_late}",
    f_late="{f_late}",
)

#: Figure key → which classified transfers are behind it.
_MEMBERS = {
    "transfers_sent": "in_period AND ours_out",
    "transfers_received": "in_period AND ours_in",
    "receipt_on_time": "in_period AND (r_jd IS NOT NULL OR overdue)",  # decided
    "feedback_on_time": "in_period AND r_jd IS NOT NULL AND accepted"
    " AND (f_jd IS NOT NULL OR overdue)",
    "open": "open_state IS NOT NULL",
    "overdue": "open_state IS NOT NULL AND overdue",
    "mean_receipt_days": "in_period AND r_jd IS NOT NULL",
    "mean_feedback_days": "in_period AND r_jd IS NOT NULL AND accepted AND f_jd IS NOT NULL",
    "major": "in_period",
}


class _Transfers:
    def __init__(
        self,
        conn: Any,
        period: Period,
        viewpoint: Sequence[str],
        as_of: dt.datetime,
        calendar: HolidayCalendar,
        rules: DeadlineRules,
    ) -> None:
        self.conn, self.period, self.viewpoint = conn, period, list(viewpoint)
        self.as_of, self.calendar, self.rules = as_of, calendar, rules
        today = as_of.astimezone(CST).date()
        w = Window(period)
        first = conn.execute(
            "SELECT min(sent_day), min(receipt_day) FROM stats_transfers"
        ).fetchone()
        days = [dt.date.fromisoformat(d) for d in first if d]
        rdue: dict[str, str] = {}
        fdue: dict[str, str] = {}
        if days:  # the deadlines of every day a counted transfer can start one on
            receipt, feedback = rules.rule("receipt"), rules.rule("feedback")
            from officer_app.domain.deadlines import due_date

            day, last = min(days), max(period.end, today)
            while day <= last:
                key = day.isoformat()
                if day <= period.end:
                    rdue[key] = due_date(day, receipt, calendar).isoformat()
                fdue[key] = due_date(day, feedback, calendar).isoformat()
                day += dt.timedelta(days=1)
        # Past due as of today: the deadline rules only move a due date later when the start moves
        # later, so "due before today" is "started before the first day due today or later", one
        # comparison instead of a join per transfer. Checked on the table itself; where it does
        # not hold (rules that could change), each transfer's own due date is joined.
        self.late = {
            "r_late": _threshold(rdue, today, "sent_day", ":today > r_due", "t_r"),
            "f_late": _threshold(fdue, today, "r_day", ":today > f_due", "t_f"),
        }
        view = sorted(set(self.viewpoint)) or [""]
        self.view_list = ", ".join(f":view{i}" for i in range(len(view)))
        self.due = [("r", k, v) for k, v in rdue.items()] + [("f", k, v) for k, v in fdue.items()]
        self.params = {
            "own": district(self.viewpoint[0]) if self.viewpoint else "",
            # SQLite's own reading of as_of, compared with what it read from the stored times
            "as_of_jd": conn.execute(
                "SELECT julianday(?)", [as_of.astimezone(dt.UTC).isoformat()]
            ).fetchone()[0],
            "today": today.isoformat(),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "lo": w.lo,
            **{f"view{i}": code for i, code in enumerate(view)},
            "t_r": self.late["r_late"][1],
            "t_f": self.late["f_late"][1],
        }

    def _run(self, conn: Any, select: str, *, in_period: bool = False) -> Any:
        """``select`` over the classified transfers ``z``. The day → deadline table is a temporary
        one of ``conn`` (temporary tables are written even on a read-only connection)."""
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS stats_due (kind TEXT, day TEXT, due TEXT,"
            " PRIMARY KEY (kind, day)) WITHOUT ROWID"
        )
        conn.execute("DELETE FROM temp.stats_due")
        conn.executemany("INSERT INTO temp.stats_due VALUES (?, ?, ?)", self.due)
        return conn.execute(self._sql(_CLASSIFIED + select, in_period), self.params)

    def _sql(self, sql: str, in_period: bool = False) -> str:
        """``in_period``: only transfers sent in the period (an index range, not every row)."""
        sql = sql.replace("{since}", " AND sent_day >= :start" if in_period else "")
        for key, (expr, _) in self.late.items():
            sql = sql.replace("{" + key + "}", expr)
        return sql.replace("{view}", self.view_list)

    def count(self, major_limit: int) -> TransferCounts:
        # One row of conditional sums: grouping by every flag sorted all the rows (seconds).
        out = TransferCounts()
        late = self._run(
            self.conn,
            "SELECT coalesce(sum(open_state IS NOT NULL), 0),"
            f" coalesce(sum({_MEMBERS['overdue']}), 0) FROM z",
        ).fetchone()
        out.figures["open"], out.figures["overdue"] = late
        sums = {
            "receipt_decided": _MEMBERS["receipt_on_time"],
            "receipt_on_time": f"{_MEMBERS['receipt_on_time']} AND r_jd IS NOT NULL"
            " AND r_day <= r_due",
            "feedback_decided": _MEMBERS["feedback_on_time"],
            "feedback_on_time": f"{_MEMBERS['feedback_on_time']} AND f_jd IS NOT NULL"
            " AND f_day <= f_due",
        }
        select = ", ".join(f"coalesce(sum({cond}), 0)" for cond in sums.values())
        row = self._run(
            self.conn,
            f"SELECT {select},"
            f" sum(CASE WHEN {_MEMBERS['mean_receipt_days']} THEN {_days('r_jd - sent_jd')} END),"
            f" count(CASE WHEN {_MEMBERS['mean_receipt_days']} THEN 1 END),"
            f" sum(CASE WHEN {_MEMBERS['mean_feedback_days']} THEN {_days('f_jd - r_jd')} END),"
            f" count(CASE WHEN {_MEMBERS['mean_feedback_days']} THEN 1 END) FROM z",
            in_period=True,
        ).fetchone()
        for i, key in enumerate(sums):
            out.figures[key] = row[i]
        out.receipt_days, out.receipt_n = row[-4] or 0.0, row[-3]
        out.feedback_days, out.feedback_n = row[-2] or 0.0, row[-1]
        # Sent and received per month need no deadline: straight from the table.
        for month, n_out, n_in in self.conn.execute(
            self._sql(
                f"SELECT substr(sent_day, 1, 7), sum({_OURS_OUT}), sum({_OURS_IN}) FROM ({_SENT})"
                " GROUP BY 1",
                in_period=True,
            ),
            self.params,
        ):
            out.months_sent[month] += n_out
            out.months_received[month] += n_in
        out.figures["sent"] = sum(out.months_sent.values())
        out.figures["received"] = sum(out.months_received.values())
        out.major = self.fetch(self.conn, "major", major_limit)
        return out

    def fetch(
        self, conn: Any, key: str, limit: int | None
    ) -> list[tuple[TransferRow, TransferState]]:
        if limit is not None and limit <= 0:
            return []
        ids = [
            r[0]
            for r in self._run(
                conn,
                f"SELECT id FROM z WHERE {_MEMBERS[key]} ORDER BY sent_jd, id"
                f" LIMIT {-1 if limit is None else int(limit)}",
                in_period=key not in ("open", "overdue"),
            )
        ]
        rows: dict[str, TransferRow] = {}
        for chunk in range(0, len(ids), 10_000):
            part = json.dumps(ids[chunk : chunk + 10_000])
            for t in transfer_rows(
                conn, None, self.viewpoint, " AND t.id IN (SELECT value FROM json_each(?))", [part]
            ):
                rows[t.id] = t
        return [
            (rows[i], transfer_state(rows[i], self.as_of, self.rules, self.calendar))
            for i in ids
            if i in rows
        ]


def _days(span: str) -> str:
    """A span of Julian days as whole milliseconds over 86,400,000: the very float Python gets
    from ``timedelta.total_seconds() / 86400`` for times to the millisecond (both are the
    correctly rounded quotient of the same number), where the raw difference of two Julian day
    numbers is off in the last digits."""
    return f"(round(({span}) * 86400000) / 86400000.0)"


def _threshold(
    due: dict[str, str], today: dt.date, column: str, joined: str, name: str
) -> tuple[str, str]:
    """(SQL for "past due as of today", the threshold day bound to ``:name``)."""
    days = sorted(due)
    if any(due[a] > due[b] for a, b in itertools.pairwise(days)):
        return joined, ""
    first = next((d for d in days if due[d] >= today.isoformat()), None)
    if first is None:  # every day's deadline has passed
        first = "9999-12-31"
    return f"{column} < :{name}", first
