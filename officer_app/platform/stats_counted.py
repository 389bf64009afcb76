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
- **patrols** (a squad's joint patrols: few) and **case transfers** are rows, read only within
  an exact window: patrols started in the period; transfers sent up to ``as_of`` and the period's
  end that are either sent in the period or still open at ``as_of`` (receipt or feedback missing
  or later than ``as_of``), compared as fixed-width UTC text (:func:`stats_projection.utc_key`).

The figures equal those of the full fold (:func:`stats_rows.load_platform_rows`), which
``tests/test_platform_stats.py`` checks over a platform filled through real pushes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from officer_app.domain.stats_model import (
    CST,
    CaseCount,
    CaseRow,
    Counted,
    PatrolRow,
    Period,
    StatsRows,
    TransferCounts,
    TransferRow,
)
from officer_app.domain.stats_rules import district
from officer_app.platform.stats_projection import utc_key
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
    training: bool = False,
) -> tuple[StatsRows, Counted]:
    """Rows for what SQL does not decide, counts for the rest (see the module docstring)."""
    cases = _Cases(period, viewpoint, as_of, int(training))
    rows = StatsRows(
        _patrols(conn, period, int(training)),
        cases.rows(conn),
        _transfers(conn, period, viewpoint, as_of, int(training)),
        *code_names()[:2],
    )

    def fetch(key: str, limit: int | None) -> list[Any]:
        with opener() as other:
            return cases.fetch(other, key, limit)

    return rows, Counted(cases.count(conn), TransferCounts(), fetch)


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


def _transfers(
    conn: Connection, period: Period, viewpoint: Sequence[str], as_of: dt.datetime, training: int
) -> list[TransferRow]:
    view = sorted({district(c) for c in viewpoint}) or [""]
    moment = utc_key(as_of)
    sql = (
        "SELECT s.id, s.from_district, s.to_district, s.sent_at, t.document_number, t.status,"
        " s.receipt_at, s.feedback_at, s.violation_code, s.case_id, s.result, s.fine"
        " FROM stat_transfers s JOIN transfers t ON t.from_agency = s.from_agency AND t.id = s.id"
        " WHERE s.training = ? AND s.sent_utc <= ? AND s.sent_day <= ?"
        f" AND (s.from_district IN {_in(view)} OR s.to_district IN {_in(view)})"
        # sent in the period, or open at as_of (the rules of stats_rules.transfer_state)
        " AND (s.sent_day >= ? OR s.receipt_utc IS NULL OR s.receipt_utc > ?"
        " OR ((t.status IN ('accepted', 'feedback_sent') OR s.feedback_utc IS NOT NULL)"
        " AND (s.feedback_utc IS NULL OR s.feedback_utc > ?)))"
    )
    params = [training, moment, period.end.isoformat(), *view, *view]
    params += [period.start.isoformat(), moment, moment]
    out = []
    for r in conn.execute(sql, params):
        sent = _time(r[3])
        if sent is None:  # pragma: no cover - the projection keeps only readable times
            continue
        fine = json.loads(r[11]) if r[11] is not None else None
        out.append(
            TransferRow(
                r[0],
                r[1],
                r[2],
                sent,
                r[4],
                r[5],
                _time(r[6]),
                _time(r[7]),
                r[8],
                r[9],
                r[10],
                fine,
            )
        )
    return out
