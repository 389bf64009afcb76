"""How fast the 巡查 list reacts with 100,000 patrols, measured through the real Qt model.

Fills a fresh store (bulk insert, one transaction), then times each interaction the officer makes:
each filter applied, each sort column changed, and scrolling to the end (data() for every visible
row of the last screen).  Prints median / max milliseconds per interaction.  Goal: under 50 ms.

    .venv/bin/python benchmarks/patrol_list.py [--patrols 100000] [--data-dir DIR] [--repeat 5]
        [--cold]

With ``--cold`` every run starts as the first one after the machine has not touched the store for
a while: the store file is dropped from the OS page cache (posix_fadvise, this file only, so other
programs' caches stay) and SQLite's own page cache and the query module's kept lookups are emptied.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from officer_app.domain.patrol import PATROL_TYPES, STATUSES
from officer_app.domain.times import to_utc_iso
from officer_app.services.context import AppContext
from officer_app.services.officers import add_or_select_officer

CST = dt.timezone(dt.timedelta(hours=8))
WORDS = (
    "汾湖",
    "元荡",
    "淀山湖",
    "太浦河",
    "渣土",
    "堆物",
    "占道",
    "建筑垃圾",
    "河道",
    "码头",
    "桥下",
)


def fill(ctx: AppContext, n: int, *, seed: int = 7) -> None:
    """Insert ``n`` patrols with 2–3 agencies and 2–4 officers each, in one transaction."""
    rng = random.Random(seed)
    officer = ctx.current_officer() or add_or_select_officer(ctx, "基准", "BENCH-1", "310118")
    clusters = {
        row["cluster"]: []
        for row in ctx.store.query("SELECT DISTINCT cluster FROM cluster_members")
    }
    for row in ctx.store.query("SELECT cluster, agency_code FROM cluster_members"):
        clusters[row["cluster"]].append(row["agency_code"])
    names = list(clusters)
    base = dt.datetime(2022, 1, 1, 8, tzinfo=CST)
    patrols, agencies, officers = [], [], []
    for i in range(n):
        pid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        cluster = rng.choice(names)
        start = base + dt.timedelta(minutes=rng.randrange(0, 5 * 365 * 24 * 60))
        end = start + dt.timedelta(minutes=rng.randrange(60, 300))
        status = rng.choice(STATUSES)
        title = f"{rng.choice(WORDS)}{rng.choice(WORDS)}联合巡查 {i}"
        patrols.append(
            (
                pid,
                rng.choice(PATROL_TYPES),
                cluster,
                status,
                title,
                start.isoformat(),
                end.isoformat(),
                start.isoformat() if status != "planned" else None,
                end.isoformat() if status == "closed" else None,
                to_utc_iso(start),
                to_utc_iso(end),
                f"{rng.choice(WORDS)}周边",
                "",
                f"发现{rng.choice(WORDS)}问题" if rng.random() < 0.3 else "",
                "",
                officer.id,
                start.isoformat(),
                start.isoformat(),
            )
        )
        members = rng.sample(clusters[cluster], k=min(len(clusters[cluster]), rng.choice((2, 3))))
        for j, code in enumerate(members):
            agencies.append((pid, code, int(j == 0)))
        for k in range(rng.randrange(2, 5)):
            code = members[k % len(members)]
            officers.append((pid, code, f"队员{k}", f"{code[:6]}{rng.randrange(10**5):05d}{k}"))
    with ctx.store.transaction():
        conn = ctx.store.conn
        conn.executemany(
            "INSERT INTO patrols (id, type, cluster, status, title, planned_start, planned_end,"
            " actual_start, actual_end, start_utc, end_utc, area, route, findings, notes,"
            " created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            patrols,
        )
        conn.executemany(
            "INSERT INTO patrol_agencies (patrol_id, agency_code, lead) VALUES (?,?,?)", agencies
        )
        conn.executemany(
            "INSERT OR IGNORE INTO patrol_officers (patrol_id, agency_code, name, badge)"
            " VALUES (?,?,?,?)",
            officers,
        )
    ctx.store.execute("ANALYZE")


def _time(action, repeat: int, before=None) -> list[float]:
    out = []
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.perf_counter()
        action()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _evictor(ctx: AppContext):
    """Forget every cache between the officer and the disk, so the next run reads what it needs.

    Only the store's own files are dropped from the page cache: the machine is shared, and
    drop_caches would slow every other program (and benchmark) too.
    """
    from officer_app.services import patrol_query

    files = [Path(ctx.store.path)]
    files.append(files[0].with_name(files[0].name + "-wal"))

    def evict() -> None:
        patrol_query._TEXT_HITS.clear()
        patrol_query._JOINED.clear()
        ctx.store.conn.execute("PRAGMA shrink_memory")
        for path in files:
            if path.exists():
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                finally:
                    os.close(fd)

    return evict


def measure(ctx: AppContext, repeat: int, cold: bool = False) -> dict[str, list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from officer_app.services import patrol_query
    from officer_app.services.patrol_query import PatrolFilter
    from officer_app.ui.patrol_model import COLUMNS, PatrolTableModel

    QApplication.instance() or QApplication([])
    model = PatrolTableModel(ctx)
    visible = 30

    def touch(first: int) -> None:
        for row in range(first, min(first + visible, model.rowCount())):
            for column in range(model.columnCount()):
                model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)

    def apply(flt: PatrolFilter):
        """What the page does on the GUI thread: the first rows, and the count when it is quick
        (else the count runs on a worker thread: measured apart, below)."""

        def action() -> None:
            model.set_filter(flt)
            model.quick_total()
            touch(0)

        return action

    def count_apart(flt: PatrolFilter):
        def action() -> None:
            patrol_query._TEXT_HITS.clear()
            patrol_query._JOINED.clear()
            patrol_query.count(ctx, flt)

        return action

    agency = ctx.store.scalar("SELECT agency_code FROM patrol_agencies LIMIT 1")
    cluster = ctx.store.scalar("SELECT cluster FROM patrols WHERE cluster IS NOT NULL LIMIT 1")
    year = PatrolFilter(
        date_from="2024-01-01T00:00:00.000000Z", date_to="2025-01-01T00:00:00.000000Z"
    )

    def combined(text: str) -> PatrolFilter:
        return PatrolFilter(
            date_from=year.date_from,
            date_to=year.date_to,
            cluster=cluster,
            status="closed",
            text=text,
        )

    fresh = itertools.cycle([word for word in WORDS if word not in ("元荡", "河道")])
    cases = {
        "filter: none": apply(PatrolFilter()),
        "filter: date range (1 year)": apply(year),
        "filter: cluster": apply(PatrolFilter(cluster=cluster)),
        "filter: type": apply(PatrolFilter(patrol_type="水路巡查")),
        "filter: agency": apply(PatrolFilter(agency=agency)),
        "filter: status": apply(PatrolFilter(status="closed")),
        "filter: free text": apply(PatrolFilter(text="元荡")),
        "filter: all combined": apply(combined("河道")),
        # Each repeat a term not asked before: the first run, text lookup included.
        "filter: all combined, new term": lambda: apply(combined(next(fresh)))(),
        # A broad filter with a common term: rows at once, the count on a worker thread.
        "filter: status + common term": apply(PatrolFilter(status="closed", text="河道")),
        "filter: agency + common term": apply(PatrolFilter(agency=agency, text="河道")),
        "filter: type + common term": apply(PatrolFilter(patrol_type="水路巡查", text="河道")),
    }
    quick = {
        name: flt
        for name, flt in (
            ("free text", PatrolFilter(text="元荡")),
            ("all combined", combined("河道")),
            ("status + common term", PatrolFilter(status="closed", text="河道")),
            ("agency + common term", PatrolFilter(agency=agency, text="河道")),
            ("type + common term", PatrolFilter(patrol_type="水路巡查", text="河道")),
        )
        if patrol_query.quick_count(ctx, flt) is None
    }
    for name, flt in quick.items():  # off the GUI thread: how long until the count shows
        cases[f"count (worker): {name}"] = count_apart(flt)
    before = _evictor(ctx) if cold else None
    results: dict[str, list[float]] = {}
    for name, action in cases.items():
        results[name] = _time(action, repeat, before)
    model.set_filter(PatrolFilter())
    for column, (key, _title) in enumerate(COLUMNS):
        if key not in model.SORTABLE:
            continue
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            name = f"sort: {key} {'asc' if order == Qt.SortOrder.AscendingOrder else 'desc'}"

            def sort_action(c: int = column, o: Qt.SortOrder = order) -> None:
                model.sort(c, o)
                model.total()
                touch(0)

            results[name] = _time(sort_action, repeat, before)

    # Scrolling: the view fetches one more batch of keys whenever it reaches the loaded end.
    # The costliest such step is the last batch (deepest offset), measured here.
    model.reload()
    while model.canFetchMore():
        last_first_row = model.rowCount()
        model.fetchMore()

    def scroll_deepest_batch() -> None:
        del model._keys[last_first_row:]
        model._exhausted = False
        model.fetchMore()
        touch(max(0, model.rowCount() - visible))

    results["scroll: load the last batch"] = _time(scroll_deepest_batch, repeat, before)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patrols", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--cold", action="store_true", help="empty the page caches before every run"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.data_dir or Path(tmp)
        with AppContext.open(root) as ctx:
            if not ctx.store.scalar("SELECT COUNT(*) FROM patrols"):
                t0 = time.perf_counter()
                fill(ctx, args.patrols)
                print(f"filled {args.patrols} patrols in {time.perf_counter() - t0:.1f} s")
            results = measure(ctx, args.repeat, args.cold)
    worst = 0.0
    print(f"{'interaction':32} {'median ms':>10} {'max ms':>8}")
    for name, times in results.items():
        if not name.startswith("count (worker)"):  # off the GUI thread: not an interaction
            worst = max(worst, max(times))
        print(f"{name:32} {statistics.median(times):10.1f} {max(times):8.1f}")
    cache = "cold caches" if args.cold else "warm caches"
    print(f"worst single interaction: {worst:.1f} ms ({cache}; goal < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
