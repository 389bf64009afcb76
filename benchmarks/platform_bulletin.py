"""The platform's cluster bulletin over 1,000,000 cases and 200,000 transfers (goal: a quarter
under 1 s, two years under 3 s), on SQLite or PostgreSQL.

Usage: python benchmarks/platform_bulletin.py [--cases N] [--transfers N] [--patrols N]
       [--pg-url URL] [--data-dir DIR] [--reference]
Writes two years of pushed entries straight into a fresh platform database (in bulk: pushing a
million entries one batch at a time would take longer than the question deserves), builds the
statistics' projection by the replay a schema upgrade runs (timed: what upgrading such a platform
costs), then times what ``officer-app platform bulletin --cluster 青嘉吴`` computes (the counted
load and ``compute``) for one quarter and for the two years. ``--reference`` also times the full
fold of every entry (the bulletin before the projection) once and checks the figures are equal.
A store kept with ``--data-dir`` (SQLite) is measured again without being rebuilt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dashboard import figures_line
from officer_app.domain.stats_model import CST, Period
from officer_app.domain.stats_rules import compute
from officer_app.platform import db, stats_projection
from officer_app.platform.stats_counted import load_platform_counted
from officer_app.platform.stats_rows import cluster_members, load_platform_rows
from officer_app.services.calendars import load_calendar

CLUSTER = "青嘉吴"
OTHERS = ["310114", "320583", "330482"]
CODES = ["JZLJ-01", "SRHJ-01", "ZDJY-02", "SRHJ-03", "JZLJ-02"]
START = dt.datetime(2025, 1, 1, tzinfo=CST)
SPAN = 730 * 86400


def _moment(rng: random.Random) -> dt.datetime:
    return START + dt.timedelta(seconds=rng.randrange(SPAN))


def build(conn: db.Connection, a: argparse.Namespace) -> None:
    rng = random.Random(2026)
    members = cluster_members(CLUSTER)
    agencies = members + OTHERS
    entries: list[list[Any]] = []
    n = [0]

    def entry(agency: str, entity: str, eid: str, op: str, body: dict[str, Any]) -> None:
        n[0] += 1
        payload = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        received = _moment(rng).astimezone(dt.UTC).isoformat()
        entries.append([f"e{n[0]}", agency, "t", entity, eid, op, payload, "x", 0, received])
        if len(entries) >= 5000:
            flush()

    def flush() -> None:
        with db.transaction(conn):
            conn.executemany(
                "INSERT INTO entries (id, agency, token_id, entity, entity_id, op, payload,"
                " content_sha256, training, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entries,
            )
        entries.clear()

    for i in range(a.patrols):
        start = _moment(rng)
        body = {
            "id": f"p{i}",
            "type": rng.choice(["陆路巡查", "水路巡查", "共管区域巡查"]),
            "status": "closed",
            "actual_start": start.isoformat(),
            "actual_end": (start + dt.timedelta(hours=3)).isoformat(),
            "agencies": rng.sample(agencies, 2),
            "officers": [{}] * 4,
        }
        entry(body["agencies"][0], "patrol", f"p{i}", "create", body)
    for i in range(a.cases):
        agency = rng.choice(agencies)
        body = {
            "id": f"c{i}",
            "violation_code": rng.choice(CODES),
            "jurisdiction_code": rng.choice(agencies),
            "status": "recorded",
            "taken_at": _moment(rng).isoformat(),
        }
        entry(agency, "case", f"c{i}", "create", body)
        if i % 10 == 0:  # a tenth moved to another jurisdiction later
            entry(agency, "case", f"c{i}", "update", {"new_code": rng.choice(agencies)})
    transfers = []
    for i in range(a.transfers):
        src = rng.choice(members)
        dst = rng.choice([x for x in agencies if x != src])
        sent = _moment(rng)
        body = {
            "id": f"t{i}",
            "kind": "case",
            "to_agency": dst,
            "document_number": f"移〔{sent.year}〕{i}号",
            "sent_at": sent.isoformat(),
            "case": {"id": f"c{i}", "violation_code": rng.choice(CODES)},
        }
        created = sent.astimezone(dt.UTC).isoformat()
        status = "sent"
        if rng.random() < 0.85:
            at = sent + dt.timedelta(days=rng.uniform(0.2, 12))
            entry(
                dst, "transfer", f"t{i}", "accept", {"transfer_id": f"t{i}", "at": at.isoformat()}
            )
            status = "accepted"
            if rng.random() < 0.7:
                fb = at + dt.timedelta(days=rng.uniform(1, 80))
                step = {"transfer_id": f"t{i}", "result": "处罚决定", "fine": 500}
                entry(dst, "transfer", f"t{i}", "feedback", {**step, "at": fb.isoformat()})
                status = "feedback_sent"
        transfers.append(
            [
                f"t{i}",
                "case",
                src,
                dst,
                status,
                body["document_number"],
                None,
                json.dumps(body, ensure_ascii=False),
                0,
                created,
                created,
            ]
        )
    flush()
    with db.transaction(conn):
        for chunk in range(0, len(transfers), 5000):
            conn.executemany(
                "INSERT INTO transfers (id, kind, from_agency, to_agency, status, document_number,"
                " deadline, payload, training, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                transfers[chunk : chunk + 5000],
            )


def bulletin(conn: db.Connection, target: Any, period: Period, as_of: dt.datetime) -> Any:
    members = cluster_members(CLUSTER)
    rows, counted = load_platform_counted(
        conn, lambda: db.opened(target), period, members, as_of=as_of, calendar=load_calendar()
    )
    return compute(
        rows, period, viewpoint=members, calendar=load_calendar(), as_of=as_of, counted=counted
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--transfers", type=int, default=200_000)
    ap.add_argument("--patrols", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pg-url", default="", help="a PostgreSQL database to fill (emptied first)")
    ap.add_argument("--data-dir", type=Path, help="keep (or reuse) the SQLite platform here")
    ap.add_argument("--reference", action="store_true", help="also time the full fold once")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        paths = db.PlatformPaths(a.data_dir or Path(scratch))
        database = db.Database.for_platform(paths, a.pg_url or None)
        if a.pg_url:
            with db.opened(database) as conn:
                conn.execute("DROP SCHEMA public CASCADE")
                conn.execute("CREATE SCHEMA public")
        db.init(paths, training=False, database=database)
        target = database.url or database.path
        with database, db.opened(database) as conn:
            if not conn.execute("SELECT count(*) FROM entries").fetchone()[0]:
                t0 = time.perf_counter()
                build(conn, a)
                t1 = time.perf_counter()
                with db.transaction(conn):
                    stats_projection.backfill(conn)
                t2 = time.perf_counter()
                if database.dialect == "sqlite":
                    conn.execute("ANALYZE")
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                else:
                    conn.execute("ANALYZE")
                print(
                    f"{database.dialect}: wrote {a.cases} cases, {a.transfers} transfers,"
                    f" {a.patrols} patrols in {t1 - t0:.0f} s; projection replay (the schema"
                    f" upgrade) {t2 - t1:.0f} s"
                )
            measure(conn, target, a)


def measure(conn: db.Connection, target: Any, a: argparse.Namespace) -> None:
    as_of = dt.datetime(2027, 1, 5, tzinfo=dt.UTC)
    for label, period in (
        ("quarter 2026Q3", Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30))),
        ("two years", Period(dt.date(2025, 1, 1), dt.date(2026, 12, 31))),
    ):
        times = []
        for _ in range(a.runs):
            t = time.perf_counter()
            board = bulletin(conn, target, period, as_of)
            times.append((time.perf_counter() - t) * 1000)
        fresh = []
        for _ in range(a.runs):
            t = time.perf_counter()
            with db.opened(target) as other:
                bulletin(other, target, period, as_of)
            fresh.append((time.perf_counter() - t) * 1000)
        print(figures_line(label, times, fresh, board))
        if a.reference:
            t = time.perf_counter()
            members = cluster_members(CLUSTER)
            ref = compute(
                load_platform_rows(conn, period),
                period,
                viewpoint=members,
                calendar=load_calendar(),
                as_of=as_of,
            )
            took = (time.perf_counter() - t) * 1000
            # The means are sums of floats taken in another order: equal to the last digits
            # that show (the tests allow 1e-7 days).
            means = ("mean_receipt_days", "mean_feedback_days")
            same = ref.months == board.months and all(
                ref.figures[k].value == board.figures[k].value
                or (k in means and ref.figures[k].display == board.figures[k].display)
                for k in ref.figures
            )
            print(f"{'':15s} full fold (before) {took:6.0f} ms, same figures: {same}")


if __name__ == "__main__":
    main()
