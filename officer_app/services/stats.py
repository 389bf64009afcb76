"""Cooperation statistics (统计) over the laptop's store: the loaders and :func:`dashboard`.

The rules live in :mod:`officer_app.domain.stats_rules` (pure: rows in, one typed
:class:`Dashboard` out), the vocabulary in :mod:`officer_app.domain.stats_model`; this module reads
the rows of the officer's own agency and hands them over. The platform's loader
(``officer_app.platform.stats_rows``) feeds the same rules, so the 统计 page, ``officer-app
bulletin`` and ``officer-app platform bulletin`` can never disagree on what a figure means. The
names below are re-exported so callers keep one import for the statistics.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from officer_app.domain.stats_model import (  # noqa: F401  (re-exported)
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
from officer_app.domain.stats_rules import (  # noqa: F401  (re-exported)
    compute,
    district,
    jurisdiction_counts,
    transfer_state,
)
from officer_app.services.stats_loaders import (  # noqa: F401  (re-exported)
    NOT_RECEIVED,
    Window,
    case_rows,
    code_names,
    load_local_rows,
    patrol_rows,
    recorders,
    transfer_rows,
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
    "jurisdiction_counts",
    "load_local_rows",
    "parse_quarter",
    "parse_time",
]


# The laptop's store -------------------------------------------------------------------------------
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
    from officer_app.services.stats_counted import load_counted

    calendar, moment = load_calendar(), as_of or ctx.clock()
    rows, counted = load_counted(
        ctx.store, period, [code], as_of=moment, calendar=calendar, rules=rules
    )
    board = compute(
        rows,
        period,
        viewpoint=[code],
        calendar=calendar,
        as_of=moment,
        rules=rules,
        scope_name=name or code,
        counted=counted,
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
