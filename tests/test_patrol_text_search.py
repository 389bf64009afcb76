"""The patrol list's free-text filter stays correct while its scan result is reused.

``patrol_query`` keeps the keys matching the last term per connection until the data changes, so
listing and count share one scan.  These tests change the data every way the app can (create,
edit, amendment, delete, another connection's commit, a rolled-back transaction) and compare the
listing and the count with a Python oracle over the stored text, for 1-, 2- and 3+-character
terms and Latin text in any case.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from officer_app.services import patrol_query as q
from officer_app.services import patrols
from officer_app.services.context import AppContext
from officer_app.services.patrols import PatrolDraft, PatrolOfficer
from officer_app.store.db import Store
from officer_app.store.migrations import MIGRATIONS

CST = dt.timezone(dt.timedelta(hours=8))
DAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)
TERMS = ("汾", "元荡", "淀山湖", "dock", "DOCK", "Dock", " 元荡 ", "z")


def draft(**overrides: object) -> PatrolDraft:
    values: dict[str, object] = {
        "patrol_type": "陆路巡查",
        "planned_start": DAY,
        "planned_end": DAY + dt.timedelta(hours=3),
        "agencies": ["310118", "320509"],
        "officers": [
            PatrolOfficer("310118", "陈立群", "31011820318"),
            PatrolOfficer("320509", "沈建明", "32050921107"),
        ],
        "cluster": "青嘉吴",
        "title": "联合巡查",
        "area": "",
    }
    values.update(overrides)
    return PatrolDraft(**values)  # type: ignore[arg-type]


def oracle(ctx: AppContext, term: str, **where: str) -> set[str]:
    needle = term.strip().lower()
    rows = ctx.store.query("SELECT id, title, area, route, notes, findings, status FROM patrols")
    return {
        r["id"]
        for r in rows
        if any(needle in r[f].lower() for f in ("title", "area", "route", "notes", "findings"))
        and all(r[k] == v for k, v in where.items())
    }


def assert_search(ctx: AppContext, term: str) -> None:
    for extra in ({}, {"status": "planned"}):
        flt = q.PatrolFilter(text=term, **extra)
        expected = oracle(ctx, term, **extra)
        got = [p["id"] for p in q.list_patrols(ctx, flt)]
        assert len(got) == len(set(got)) and set(got) == expected, (term, extra)
        assert q.count(ctx, flt) == len(expected), (term, extra)
        batch = q.patrol_keys(ctx, flt, limit=2, offset=0)
        assert len(batch) == min(2, len(expected))


def assert_all(ctx: AppContext) -> None:
    for term in TERMS:
        assert_search(ctx, term)


def test_search_follows_create_edit_amend_and_delete(officer_ctx: AppContext) -> None:
    ctx = officer_ctx
    a = patrols.create_patrol(ctx, draft(title="元荡巡查", notes="Dock A")).patrol_id
    b = patrols.create_patrol(ctx, draft(title="汾湖巡查", area="淀山湖周边")).patrol_id
    assert_all(ctx)
    assert q.count(ctx, q.PatrolFilter(text="dock")) == 1
    assert q.count(ctx, q.PatrolFilter(text="元荡")) == 1

    # insert: a third patrol matching the cached 2-character term
    c = patrols.create_patrol(ctx, draft(title="巡查", findings="元荡岸边 DOCKS")).patrol_id
    assert_all(ctx)
    assert q.count(ctx, q.PatrolFilter(text="元荡")) == 2
    assert q.count(ctx, q.PatrolFilter(text="dock")) == 2

    # edit before closing: the term leaves one patrol and enters another
    version = patrols.get_patrol(ctx, a)["version"]
    patrols.update_patrol(ctx, a, draft(title="汾湖", notes=""), expected_version=version)
    assert_all(ctx)
    assert {p["id"] for p in q.list_patrols(ctx, q.PatrolFilter(text="元荡"))} == {c}
    assert q.count(ctx, q.PatrolFilter(text="dock")) == 1

    # amendment of a closed patrol
    patrols.start_patrol(ctx, b, at=DAY)
    patrols.close_patrol(ctx, b, at=DAY + dt.timedelta(hours=2))
    assert q.count(ctx, q.PatrolFilter(text="淀山湖")) == 1
    patrols.amend_patrol(ctx, b, "area", "元荡南岸", reason="区域记录有误")
    assert_all(ctx)
    assert q.count(ctx, q.PatrolFilter(text="淀山湖")) == 0
    assert {p["id"] for p in q.list_patrols(ctx, q.PatrolFilter(text="元荡"))} == {b, c}

    # delete
    with ctx.store.transaction():
        for table in ("patrol_officers", "patrol_agencies"):
            ctx.store.execute(f"DELETE FROM {table} WHERE patrol_id = ?", [c])
        ctx.store.execute("DELETE FROM patrols WHERE id = ?", [c])
    assert_all(ctx)
    assert {p["id"] for p in q.list_patrols(ctx, q.PatrolFilter(text="元荡"))} == {b}
    assert q.count(ctx, q.PatrolFilter(text="dock")) == 0


def test_latin_terms_match_any_case_and_short_terms_match(officer_ctx: AppContext) -> None:
    pid = patrols.create_patrol(officer_ctx, draft(title="Ferry Dock 渡口", route="x")).patrol_id
    for term in ("dock", "DOCK", "dOcK", "d", "D", "渡", "渡口", "ry do", "Ferry Dock 渡口"):
        assert [p["id"] for p in q.list_patrols(officer_ctx, q.PatrolFilter(text=term))] == [pid]
        assert q.count(officer_ctx, q.PatrolFilter(text=term)) == 1
    for term in ("docks", "渡船", "q"):
        assert q.list_patrols(officer_ctx, q.PatrolFilter(text=term)) == []
        assert q.count(officer_ctx, q.PatrolFilter(text=term)) == 0


def test_another_connection_s_commit_is_seen(officer_ctx: AppContext) -> None:
    patrols.create_patrol(officer_ctx, draft(title="元荡巡查"))
    assert q.count(officer_ctx, q.PatrolFilter(text="元荡")) == 1
    other = sqlite3.connect(officer_ctx.store.path)
    try:
        other.execute("UPDATE patrols SET title = '汾湖巡查'")
        other.commit()
    finally:
        other.close()
    assert q.count(officer_ctx, q.PatrolFilter(text="元荡")) == 0
    assert q.list_patrols(officer_ctx, q.PatrolFilter(text="元荡")) == []
    assert q.count(officer_ctx, q.PatrolFilter(text="汾湖")) == 1


def test_a_rolled_back_write_leaves_no_stale_result(officer_ctx: AppContext) -> None:
    ctx = officer_ctx
    patrols.create_patrol(ctx, draft(title="元荡巡查"))
    assert q.count(ctx, q.PatrolFilter(text="元荡")) == 1
    with pytest.raises(RuntimeError), ctx.store.transaction():
        ctx.store.execute("UPDATE patrols SET title = '汾湖巡查'")
        # inside the transaction the uncommitted write is visible ...
        assert q.count(ctx, q.PatrolFilter(text="元荡")) == 0
        assert q.count(ctx, q.PatrolFilter(text="汾湖")) == 1
        raise RuntimeError("undo")
    # ... and after the rollback it is gone again (same term as the last query inside)
    assert q.count(ctx, q.PatrolFilter(text="汾湖")) == 0
    assert q.list_patrols(ctx, q.PatrolFilter(text="汾湖")) == []
    assert q.count(ctx, q.PatrolFilter(text="元荡")) == 1
    assert_all(ctx)


def test_searching_opens_no_transaction(officer_ctx: AppContext) -> None:
    patrols.create_patrol(officer_ctx, draft(title="元荡巡查"))
    for _ in range(2):
        q.patrol_keys(officer_ctx, q.PatrolFilter(text="元荡"), limit=10)
        q.count(officer_ctx, q.PatrolFilter(text="元荡"))
        assert not officer_ctx.store.conn.in_transaction
    # the next user action still gets its own BEGIN IMMEDIATE transaction, not a savepoint
    patrols.create_patrol(officer_ctx, draft(title="元荡二"))
    assert q.count(officer_ctx, q.PatrolFilter(text="元荡")) == 2


def test_two_stores_do_not_share_results(tmp_path: Path, officer_ctx: AppContext) -> None:
    patrols.create_patrol(officer_ctx, draft(title="元荡巡查"))
    assert q.count(officer_ctx, q.PatrolFilter(text="元荡")) == 1
    with AppContext.open(tmp_path / "second") as other:
        assert q.count(other, q.PatrolFilter(text="元荡")) == 0
        assert q.patrol_keys(other, q.PatrolFilter(text="元荡")) == []
    assert q.count(officer_ctx, q.PatrolFilter(text="元荡")) == 1


def test_upgraded_store_finds_patrols_written_before_the_search_table(tmp_path: Path) -> None:
    """A store from before migration 3 (no patrol_search) is backfilled on opening."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for number in (1, 2):
        for statement in MIGRATIONS[number - 1]:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.executemany(
        "INSERT INTO patrols (id, type, title, area, notes, created_by, created_at, updated_at)"
        " VALUES (?, '陆路巡查', ?, ?, ?, 'o', '2026-01-01', '2026-01-01')",
        [("p1", "元荡巡查", "", "Dock"), ("p2", "汾湖巡查", "淀山湖", ""), ("p3", "", "", "")],
    )
    conn.commit()
    conn.close()
    with Store.open(path, backups_dir=tmp_path / "backups") as store:

        class Ctx:
            pass

        ctx = Ctx()
        ctx.store = store  # type: ignore[attr-defined]
        for term, expected in (("元荡", {"p1"}), ("dock", {"p1"}), ("淀山湖", {"p2"}), ("巡", 2)):
            keys = q.patrol_keys(ctx, q.PatrolFilter(text=term))  # type: ignore[arg-type]
            ids = {store.scalar("SELECT id FROM patrols WHERE rowid = ?", [k]) for k in keys}
            if isinstance(expected, int):
                assert len(ids) == expected
            else:
                assert ids == expected
            assert q.count(ctx, q.PatrolFilter(text=term)) == len(ids)  # type: ignore[arg-type]
