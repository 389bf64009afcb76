"""Dashboard refresh over 100,000 cases and 20,000 transfers (goal: under 300 ms).

Usage: python benchmarks/dashboard.py [--cases N] [--transfers N] [--patrols N]
Bulk-writes a store (two years of data), then times ``services.stats.dashboard`` for one quarter
and for the whole two years (the worst case: every row in the period).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from officer_app.services import stats
from officer_app.services.context import AppContext
from tests import stats_dataset as ds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--transfers", type=int, default=20_000)
    ap.add_argument("--patrols", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, AppContext.open(Path(tmp)) as ctx:
        t0 = time.perf_counter()
        ds.build_bulk(ctx.store, cases=a.cases, transfers=a.transfers, patrols=a.patrols)
        print(
            f"generated {a.cases} cases, {a.transfers} transfers, {a.patrols} patrols "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        as_of = dt.datetime(2027, 1, 5, tzinfo=dt.UTC)
        for label, period in (
            ("quarter 2026Q3", stats.parse_quarter("2026Q3")),
            ("two years", stats.Period(dt.date(2025, 1, 1), dt.date(2026, 12, 31))),
        ):
            times = []
            for _ in range(a.runs):
                t = time.perf_counter()
                board = stats.dashboard(ctx, period, agency="310118", as_of=as_of)
                times.append((time.perf_counter() - t) * 1000)
            f = board.figures
            print(
                f"{label:15s} median {statistics.median(times):6.0f} ms  max {max(times):6.0f} ms"
                f"  (cases {f['cases'].value}, transfers {f['transfers_sent'].value}+"
                f"{f['transfers_received'].value}, patrols {f['patrols'].value},"
                f" on-time receipt {f['receipt_on_time'].display})"
            )


if __name__ == "__main__":
    main()
