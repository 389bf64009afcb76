"""Dashboard refresh over 100,000 cases and 20,000 transfers (goal: under 300 ms).

Usage: python benchmarks/dashboard.py [--cases N] [--transfers N] [--patrols N] [--page]
       [--data-dir DIR]  (a store built by an earlier run with --data-dir is measured again)
Bulk-writes a store (two years of data), then times ``services.stats.dashboard`` for one quarter
and for the whole two years (the worst case: every row in the period), on a warm connection and on
a fresh one (as the 统计 page's worker opens it). ``--page`` also times what the officer waits for
on the real page (offscreen Qt): from pressing 刷新 to the figures, tables and the visible chart
drawn.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
    ap.add_argument("--page", action="store_true")
    ap.add_argument("--data-dir", type=Path, help="keep (or reuse) the generated store here")
    ap.add_argument("--no-freeze", action="store_true", help="page without ui.memory's gc.freeze")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = a.data_dir or Path(scratch)
        with AppContext.open(Path(tmp)) as ctx:
            measure(ctx, Path(tmp), a)


def figures_line(label: str, times: list[float], fresh: list[float], board: Any) -> str:
    """The line both dashboard benchmarks print (the laptop's here, the platform's bulletin in
    platform_bulletin.py), so their figures read side by side."""
    f = board.figures
    return (
        f"{label:15s} median {statistics.median(times):6.0f} ms  max {max(times):6.0f} ms"
        f"  fresh connection median {statistics.median(fresh):6.0f} ms"
        f"  (cases {f['cases'].value}, transfers {f['transfers_sent'].value}+"
        f"{f['transfers_received'].value}, patrols {f['patrols'].value},"
        f" on-time receipt {f['receipt_on_time'].display})"
    )


def measure(ctx: AppContext, tmp: Path, a: argparse.Namespace) -> None:
    """Build the store unless it has cases already, then time the refreshes."""
    if not ctx.store.scalar("SELECT count(*) FROM cases"):
        t0 = time.perf_counter()
        ds.build_bulk(ctx.store, cases=a.cases, transfers=a.transfers, patrols=a.patrols)
        ctx.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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
        fresh = []
        for _ in range(a.runs):
            t = time.perf_counter()
            with AppContext.open(Path(tmp)) as other:
                stats.dashboard(other, period, agency="310118", as_of=as_of)
            fresh.append((time.perf_counter() - t) * 1000)
        print(figures_line(label, times, fresh, board))
    if a.page:
        del board  # the page keeps its own board; the two years' one is not part of it
        page_refresh(ctx, as_of, a.runs, freeze=not a.no_freeze)


def page_refresh(ctx: AppContext, as_of: dt.datetime, runs: int, *, freeze: bool) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from officer_app.services.officers import add_or_select_officer
    from officer_app.ui import memory
    from officer_app.ui.lock import IdleWatcher
    from officer_app.ui.stats_page import StatsPage

    app = QApplication.instance() or QApplication([])
    add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    ctx.clock = lambda: as_of
    page = StatsPage(ctx)
    page.resize(1400, 900)
    page.show()
    if freeze:
        memory.freeze_long_lived()  # as the main window does once it has opened the page
    IdleWatcher(600, app)  # the main window's app-wide input filter: events pass through Python
    page.period_combo.blockSignals(True)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026Q3"))
    page.period_combo.blockSignals(False)
    shown: list[float] = []
    times: list[float] = []

    def figures_shown() -> None:
        shown.append(time.perf_counter())

    page.figures_shown.connect(figures_shown)
    for _ in range(runs + 1):  # the first run loads matplotlib's fonts: not counted
        loop = QEventLoop()
        page.refreshed.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        t = time.perf_counter()
        page.refresh()
        loop.exec()
        page.refreshed.disconnect(loop.quit)
        app.processEvents()  # the canvas paints the chart it rendered
        times.append((time.perf_counter() - t) * 1000)
        shown[-1] = (shown[-1] - t) * 1000
    page.tasks.drain()
    times, shown = times[1:], shown[1:]
    print(
        f"page refresh (2026Q3, offscreen)  figures on screen median {statistics.median(shown):4.0f}"
        f" ms (max {max(shown):4.0f}), chart drawn too median {statistics.median(times):4.0f} ms"
        f" (max {max(times):4.0f})  ({page.tiles['cases'].text().splitlines()[-1]})"
    )


if __name__ == "__main__":
    main()
