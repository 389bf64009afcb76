"""The platform's bulletin counted in SQL over the statistics' projection (:mod:`stats_projection`).

Why: a cluster's bulletin over years of every agency's cases must not turn each case into a
Python row. Like the laptop's counted path (``services/stats_counted.py``), the records are split
in two, and both halves go to the one pure implementation of the rules,
:func:`officer_app.domain.stats_rules.compute`:

- **cases** found (CST day) in the period before ``as_of``'s own day, not drafts, of a recording
  agency in the viewpoint, are counted by SQL per month, agency, violation and jurisdiction (a
  covering index range, the same statement on SQLite and PostgreSQL). The rest are rows: cases of
  ``as_of``'s day and later (the rule compares exact times with ``as_of``), and *contested* ones
  (an id two agencies created, whose first creator wins);
- **case transfers** sent up to ``as_of`` and the period's end, either in the period or still open
  at ``as_of``, are classified by SQL with the rules of
  :func:`~officer_app.domain.stats_rules.transfer_state` (times as microseconds, compared with
  ``as_of`` exactly), the receipt and feedback deadlines of each day computed by
  ``domain/deadlines.py`` (the one implementation) and joined in by day from a temporary table;
  the transfers behind a figure are read back as rows only when asked for;
- **patrols** (a squad's joint patrols: few) are rows, those started in the period.

The figures equal those of the full fold (:func:`stats_rows.load_platform_rows`), which
``tests/test_platform_stats.py`` checks over a platform filled through real pushes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from officer_app.domain.calendar import HolidayCalendar
from officer_app.domain.stats_model import (
    CST,
    CaseCount,
    CaseRow,
    Counted,
    DeadlineRules,
    PatrolRow,
    Period,
    StatsRows,
    TransferCounts,
    TransferRow,
    TransferState,
)
from officer_app.domain.stats_rules import Deadlines, district, transfer_state
from officer_app.platform.stats_projection import micros
from officer_app.platform.stats_rows import _object, _time, case_row, code_names, patrol_row

if TYPE_CHECKING:
    from officer_app.platform.db import Connection

__all__ = ["load_platform_counted"]

#: Opens a connection of its own (the drill-down may read long after the counting).
Opener = Callable[[], AbstractContextManager["Connection"]]


def load_platform_counted(
    conn: Connection,
    opener: Opener,
    period: Period,
    viewpoint: Sequence[str],
    *,
    as_of: dt.datetime,
    calendar: HolidayCalendar,
    rules: DeadlineRules | None = None,
    training: bool = False,
    major_limit: int = 30,
) -> tuple[StatsRows, Counted]:
    """Rows for what SQL does not decide, counts for the rest (see the module docstring)."""
    rules = rules or DeadlineRules()
    cases = _Cases(period, viewpoint, as_of, int(training))
    transfers = _Transfers(period, viewpoint, as_of, int(training), calendar, rules)
    rows = StatsRows(
        _patrols(conn, period, int(training)),
        cases.rows(conn),
        [],  # every transfer is counted
        *code_names()[:2],
    )

    def fetch(key: str, limit: int | None) -> list[Any]:
        with opener() as other:
            if key == "cases" or key.startswith("cases_by_"):
                return cases.fetch(other, key, limit)
            return transfers.fetch(other, key, limit)

    counted = Counted(cases.count(conn), transfers.count(conn, major_limit), fetch)
    return rows, counted


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join("?" * len(values)) + ")"


def _winners(conn: Connection, table: str, training: int, ids: Sequence[str]) -> dict[str, int]:
    """Entity id → the create_seq of its first creator, for contested ids."""
    out: dict[str, int] = {}
    unique = sorted(set(ids))
    for chunk in range(0, len(unique), 500):
        part = unique[chunk : chunk + 500]
        for eid, seq in conn.execute(
            f"SELECT entity_id, min(create_seq) FROM {table} WHERE training = ?"
            f" AND entity_id IN {_in(part)} GROUP BY entity_id",
            [training, *part],
        ):
            out[eid] = int(seq)
    return out


def _first_only(conn: Connection, table: str, training: int, rows: list[Any]) -> Iterator[Any]:
    """``rows`` (entity_id, agency, record, create_seq, contested, …) without the records that
    lost their id to an earlier creator."""
    contested = [r[0] for r in rows if r[4]]
    winners = _winners(conn, table, training, contested) if contested else {}
    for r in rows:
        if not r[4] or winners.get(r[0]) == int(r[3]):
            yield r


def _patrols(conn: Connection, period: Period, training: int) -> list[PatrolRow]:
    rows = conn.execute(
        "SELECT entity_id, agency, record, create_seq, contested FROM stat_patrols"
        " WHERE training = ? AND start_day >= ? AND start_day <= ? AND status != 'planned'",
        [training, period.start.isoformat(), period.end.isoformat()],
    ).fetchall()
    return [
        patrol_row(r[0], _object(json.loads(r[2])))
        for r in _first_only(conn, "stat_patrols", training, rows)
    ]


class _Cases:
    def __init__(
        self, period: Period, viewpoint: Sequence[str], as_of: dt.datetime, training: int
    ) -> None:
        today = as_of.astimezone(CST).date()
        self.view = sorted({district(c) for c in viewpoint}) or [""]
        self.training, self.period = training, period
        # Counted: found on a day of the period before as_of's (every such case is before it).
        self.first = period.start.isoformat()
        self.last = min(period.end, today - dt.timedelta(days=1)).isoformat()
        self.rows_from = max(period.start, today).isoformat()

    def _where(self, days: tuple[str, str], contested: int) -> tuple[str, list[Any]]:
        return (
            " WHERE training = ? AND found_day >= ? AND found_day <= ?"
            f" AND district IN {_in(self.view)} AND contested = ?",
            [self.training, *days, *self.view, contested],
        )

    def count(self, conn: Connection) -> list[CaseCount]:
        if self.last < self.first:
            return []
        where, params = self._where((self.first, self.last), 0)
        return [
            CaseCount(month, agency, vcode, jcode, int(n))
            for month, agency, vcode, jcode, n in conn.execute(
                "SELECT substr(found_day, 1, 7), district, violation_code, jurisdiction_code,"
                f" count(*) FROM stat_cases{where} AND status != 'draft' GROUP BY 1, 2, 3, 4",
                params,
            )
        ]

    def rows(self, conn: Connection) -> list[CaseRow]:
        """Cases of as_of's day or later in the period, and contested ones: as rows."""
        end = self.period.end.isoformat()
        select = "SELECT entity_id, agency, record, create_seq, contested FROM stat_cases"
        late: list[Any] = []
        if self.rows_from <= end:
            where, params = self._where((self.rows_from, end), 0)
            late = conn.execute(select + where, params).fetchall()
        where, params = self._where((self.first, end), 1)
        contested = conn.execute(select + where, params).fetchall()
        kept = [*late, *_first_only(conn, "stat_cases", self.training, contested)]
        return [case_row(r[0], r[1], _object(json.loads(r[2]))) for r in kept]

    def fetch(self, conn: Connection, key: str, limit: int | None) -> list[CaseRow]:
        """The counted cases behind ``cases``, ``cases_by_type:X`` or ``cases_by_jurisdiction:X``."""
        if self.last < self.first or (limit is not None and limit <= 0):
            return []
        where, params = self._where((self.first, self.last), 0)
        if key.startswith("cases_by_type:"):
            where, params = where + " AND violation_code = ?", [*params, key.split(":", 1)[1]]
        elif key.startswith("cases_by_jurisdiction:"):
            where, params = where + " AND jurisdiction_code = ?", [*params, key.split(":", 1)[1]]
        sql = (
            f"SELECT entity_id, agency, record FROM stat_cases{where} AND status != 'draft'"
            " ORDER BY found_day, entity_id"
        )
        if limit is not None:
            sql, params = sql + " LIMIT ?", [*params, int(limit)]
        return [case_row(r[0], r[1], _object(json.loads(r[2]))) for r in conn.execute(sql, params)]


# Transfers ----------------------------------------------------------------------------------------
#: Each transfer in the window as of ``as_of`` (microseconds, inlined) with the flags of
#: stats_rules.transfer_state; ``{view}`` is the viewpoint's placeholders, ``{window}`` the WHERE.
_CLASSIFIED = """
WITH x AS (
  SELECT s.from_agency, s.id, s.sent_day, s.sent_us,
    CASE WHEN s.from_district IN {view} THEN 1 ELSE 0 END AS ours_out,
    CASE WHEN s.to_district IN {view} THEN 1 ELSE 0 END AS ours_in,
    CASE WHEN s.receipt_us <= {as_of} THEN s.receipt_us END AS r_us,
    CASE WHEN s.receipt_us <= {as_of} THEN s.receipt_day END AS r_day,
    CASE WHEN s.feedback_us <= {as_of} THEN s.feedback_us END AS f_us,
    CASE WHEN s.feedback_us <= {as_of} THEN s.feedback_day END AS f_day,
    CASE WHEN s.status IN ('accepted', 'feedback_sent') OR s.feedback_us IS NOT NULL
      THEN 1 ELSE 0 END AS accepted,
    rdue.due AS r_due
  FROM stat_transfers s
  LEFT JOIN stat_due rdue ON rdue.kind = 'r' AND rdue.day = s.sent_day
  WHERE {window}
),
y AS (
  SELECT x.*, CASE WHEN r_us IS NOT NULL AND accepted = 1 THEN fdue.due END AS f_due
  FROM x LEFT JOIN stat_due fdue ON fdue.kind = 'f' AND fdue.day = x.r_day
),
z AS (
  SELECT y.*, CASE WHEN sent_day >= '{start}' THEN 1 ELSE 0 END AS in_period,
    CASE WHEN r_us IS NULL THEN 1 WHEN accepted = 0 THEN 0 WHEN f_us IS NULL THEN 1 ELSE 0
      END AS is_open,
    CASE WHEN r_us IS NULL THEN (CASE WHEN '{today}' > r_due THEN 1 ELSE 0 END)
      WHEN accepted = 0 THEN 0
      WHEN f_us IS NULL THEN (CASE WHEN '{today}' > f_due THEN 1 ELSE 0 END) ELSE 0 END AS overdue
  FROM y
)
"""

#: Figure key → which classified transfers are behind it (the rules of stats_rules.compute).
_MEMBERS = {
    "transfers_sent": "in_period = 1 AND ours_out = 1",
    "transfers_received": "in_period = 1 AND ours_in = 1",
    "receipt_on_time": "in_period = 1 AND (r_us IS NOT NULL OR overdue = 1)",  # decided
    "feedback_on_time": "in_period = 1 AND r_us IS NOT NULL AND accepted = 1"
    " AND (f_us IS NOT NULL OR overdue = 1)",
    "open": "is_open = 1",
    "overdue": "is_open = 1 AND overdue = 1",
    "mean_receipt_days": "in_period = 1 AND r_us IS NOT NULL",
    "mean_feedback_days": "in_period = 1 AND r_us IS NOT NULL AND accepted = 1"
    " AND f_us IS NOT NULL",
    "major": "in_period = 1",
}

_DAY_US = 86_400_000_000


class _Transfers:
    """The case transfers of the viewpoint sent up to ``as_of`` and the period's end that are
    sent in the period or open at ``as_of``, classified in SQL with the deadlines of
    ``domain/deadlines.py`` joined in by day (a temporary day → due date table)."""

    def __init__(
        self,
        period: Period,
        viewpoint: Sequence[str],
        as_of: dt.datetime,
        training: int,
        calendar: HolidayCalendar,
        rules: DeadlineRules,
    ) -> None:
        self.period, self.as_of, self.training = period, as_of, training
        self.calendar, self.rules = calendar, rules
        self.view = sorted({district(c) for c in viewpoint}) or [""]
        self.today = as_of.astimezone(CST).date()
        moment = micros(as_of)
        view = _in(self.view)
        window = (
            f"s.training = ? AND s.sent_us <= {moment} AND s.sent_day <= '{period.end}'"
            f" AND (s.from_district IN {view} OR s.to_district IN {view})"
            f" AND (s.sent_day >= '{period.start}' OR s.receipt_us IS NULL"
            f" OR s.receipt_us > {moment} OR ((s.status IN ('accepted', 'feedback_sent')"
            f" OR s.feedback_us IS NOT NULL) AND (s.feedback_us IS NULL"
            f" OR s.feedback_us > {moment})))"
        )
        # Only dates and integers of our own making are inlined; agency codes are parameters.
        self.sql = _CLASSIFIED.format(
            view=view, window=window, as_of=moment, start=period.start, today=self.today
        )
        self.params = [*self.view, *self.view, training, *self.view, *self.view]

    def _due(self, conn: Connection) -> None:
        """The receipt deadline of every day a counted transfer was sent on and the feedback
        deadline of every day one was received on, into the connection's temporary table."""
        first = conn.execute(
            "SELECT min(sent_day), min(receipt_day) FROM stat_transfers"
            " WHERE training = ? AND sent_day != ''",
            [self.training],
        ).fetchone()
        days = [dt.date.fromisoformat(d) for d in first if d]
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS stat_due (kind TEXT NOT NULL, day TEXT NOT NULL,"
            " due TEXT NOT NULL, PRIMARY KEY (kind, day))"
        )
        conn.execute("DELETE FROM stat_due")
        if not days:
            return
        dl = Deadlines(self.rules, self.calendar)
        rows: list[tuple[str, str, str]] = []
        day, last = min(days), max(self.period.end, self.today)
        while day <= last:
            if day <= self.period.end:
                rows.append(("r", day.isoformat(), dl.receipt_due_on(day).isoformat()))
            if day <= self.today:
                rows.append(("f", day.isoformat(), dl.feedback_due_on(day).isoformat()))
            day += dt.timedelta(days=1)
        conn.executemany("INSERT INTO stat_due (kind, day, due) VALUES (?, ?, ?)", rows)

    def count(self, conn: Connection, major_limit: int) -> TransferCounts:
        self._due(conn)
        out = TransferCounts()
        m = _MEMBERS
        sums = {
            "open": m["open"],
            "overdue": m["overdue"],
            "receipt_decided": m["receipt_on_time"],
            "receipt_on_time": f"{m['receipt_on_time']} AND r_us IS NOT NULL AND r_day <= r_due",
            "feedback_decided": m["feedback_on_time"],
            "feedback_on_time": f"{m['feedback_on_time']} AND f_us IS NOT NULL AND f_day <= f_due",
            "receipt_n": m["mean_receipt_days"],
            "feedback_n": m["mean_feedback_days"],
        }
        select = ", ".join(f"sum(CASE WHEN {cond} THEN 1 ELSE 0 END)" for cond in sums.values())
        # Milliseconds with a fraction: exact sums on PostgreSQL (numeric), float on SQLite.
        select += (
            f", sum(CASE WHEN {m['mean_receipt_days']} THEN (r_us - sent_us) / 1000.0 END)"
            f", sum(CASE WHEN {m['mean_feedback_days']} THEN (f_us - r_us) / 1000.0 END)"
        )
        row = conn.execute(f"{self.sql} SELECT {select} FROM z", self.params).fetchone()
        for i, key in enumerate(sums):
            out.figures[key] = int(row[i] or 0)
        out.receipt_n, out.feedback_n = out.figures.pop("receipt_n"), out.figures.pop("feedback_n")
        out.receipt_days = float(row[-2] or 0) / 86_400_000
        out.feedback_days = float(row[-1] or 0) / 86_400_000
        for month, n_out, n_in in conn.execute(
            f"{self.sql} SELECT substr(sent_day, 1, 7), sum(ours_out), sum(ours_in) FROM z"
            " WHERE in_period = 1 GROUP BY 1",
            self.params,
        ):
            out.months_sent[month] += int(n_out)
            out.months_received[month] += int(n_in)
        out.figures["sent"] = sum(out.months_sent.values())
        out.figures["received"] = sum(out.months_received.values())
        out.major = self.fetch(conn, "major", major_limit, due_ready=True)
        return out

    def fetch(
        self, conn: Connection, key: str, limit: int | None, *, due_ready: bool = False
    ) -> list[tuple[TransferRow, TransferState]]:
        if limit is not None and limit <= 0:
            return []
        if not due_ready:
            self._due(conn)
        sql = f"{self.sql} SELECT from_agency, id FROM z WHERE {_MEMBERS[key]} ORDER BY sent_us, id"
        params = list(self.params)
        if limit is not None:
            sql, params = sql + " LIMIT ?", [*params, int(limit)]
        keys = [(r[0], r[1]) for r in conn.execute(sql, params)]
        rows: dict[tuple[str, str], TransferRow] = {}
        for chunk in range(0, len(keys), 250):
            part = keys[chunk : chunk + 250]
            where = " OR ".join(["(from_agency = ? AND id = ?)"] * len(part))
            for src, row in _transfer_rows(conn, where, [v for k in part for v in k]):
                rows[(src, row.id)] = row
        dl = Deadlines(self.rules, self.calendar)
        return [
            (rows[k], transfer_state(rows[k], self.as_of, self.rules, self.calendar, dl))
            for k in keys
            if k in rows
        ]


def _transfer_rows(
    conn: Connection, where: str, params: Sequence[Any]
) -> Iterator[tuple[str, TransferRow]]:
    for r in conn.execute(
        "SELECT from_agency, id, from_district, to_district, sent_at, number, status, receipt_at,"
        f" feedback_at, violation_code, case_id, result, fine FROM stat_transfers WHERE {where}",
        params,
    ):
        sent = _time(r[4])
        assert sent is not None  # the projection keeps only readable times of sending
        fine = json.loads(r[12]) if r[12] is not None else None
        yield (
            r[0],
            TransferRow(
                r[1],
                r[2],
                r[3],
                sent,
                r[5],
                r[6],
                _time(r[7]),
                _time(r[8]),
                r[9],
                r[10],
                r[11],
                fine,
            ),
        )
