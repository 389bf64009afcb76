"""Pushes are admitted a few at a time per worker, so requests that take no lock are not starved
by them (issue 20 item 2: hello, pull and blobs/check answer while pushes wait).

A real platform process on PostgreSQL, where pushes of different agencies run side by side: a
push waits on an advisory lock another session holds (as behind a long transaction of the same
agency's inbox), and the pushes queued behind it must not take the threads and database slots
every other request needs. SQLite runs one write at a time by design (its writer queue), so the
case only arises on PostgreSQL.
"""

from __future__ import annotations

import concurrent.futures
import time
from pathlib import Path

import httpx
import psycopg

from officer_app.platform.db import POOL_SIZE, lock_key
from officer_app.platform.runtime import PUSH_SLOTS
from tests.sync_fixtures import PlatformProcess, platform_database
from tests.test_sync import QP, WJ, _auth, _entry

PUSHES = 20


def _waiting(conn: psycopg.Connection) -> int:
    """Sessions of this database waiting for an advisory lock."""
    row = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    ).fetchone()
    return int(row[0]) if row else 0


def test_pushes_stuck_on_a_lock_leave_room_for_every_other_request(tmp_path: Path) -> None:
    assert PUSH_SLOTS < POOL_SIZE  # else the admission could not keep a slot free for reads
    with platform_database("postgresql") as db:
        assert db is not None
        proc = PlatformProcess(tmp_path / "platform", db=db)
        try:
            qp = proc.add_officer(QP, "张三", "QP001")
            wj = proc.add_officer(WJ, "李四", "WJ001")
            batches = [
                [_entry("patrol", "create", {"agencies": [QP, WJ]})]
                + [_entry("case", "create", {"title": "占道经营"}) for _ in range(10)]
                for _ in range(PUSHES)
            ]
            with (
                psycopg.connect(db, autocommit=True) as holder,
                psycopg.connect(db, autocommit=True) as watcher,
                concurrent.futures.ThreadPoolExecutor(PUSHES) as pool,
            ):
                # every joint patrol with 吴江 writes to 吴江's inbox and takes its lock first
                holder.execute("SELECT pg_advisory_lock(%s)", [lock_key(f"inbox:{WJ}")])

                def push(batch: list[dict[str, object]]) -> httpx.Response:
                    with httpx.Client(base_url=proc.url, headers=_auth(qp), timeout=120) as c:
                        return c.post("/v1/push", json={"entries": batch})

                futures = [pool.submit(push, b) for b in batches]
                deadline = time.monotonic() + 60
                while _waiting(watcher) < PUSH_SLOTS and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(1.0)  # let the other pushes arrive and queue wherever they queue
                assert not any(f.done() for f in futures)
                assert _waiting(watcher) == PUSH_SLOTS  # the rest wait without a thread

                with httpx.Client(base_url=proc.url, headers=_auth(wj), timeout=30) as c:
                    assert c.get("/v1/hello").status_code == 200
                    assert c.get("/v1/whoami").json()["agency"] == WJ
                    check = c.post("/v1/blobs/check", json={"sha256": ["a" * 64]})
                    assert check.json() == {"missing": ["a" * 64]}
                    page = c.get("/v1/pull", params={"cursor": 0}).json()
                    assert page["items"] == []  # nothing committed yet: all still wait

                holder.execute("SELECT pg_advisory_unlock(%s)", [lock_key(f"inbox:{WJ}")])
                answers = [f.result(timeout=120) for f in futures]
            assert [a.status_code for a in answers] == [200] * PUSHES
            for answer, batch in zip(answers, batches, strict=True):
                results = answer.json()["results"]
                assert [r["id"] for r in results] == [e["id"] for e in batch]
                assert {r["status"] for r in results} == {"stored"}
            assert proc.scalar("SELECT count(*) FROM entries") == PUSHES * 11
            with httpx.Client(base_url=proc.url, headers=_auth(wj), timeout=30) as c:
                page = c.get("/v1/pull", params={"cursor": 0, "limit": 500}).json()
            assert len(page["items"]) == PUSHES  # each joint patrol reached 吴江 once
        finally:
            proc.stop()
