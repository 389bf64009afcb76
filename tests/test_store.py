"""The store: migrations, refusal of newer/foreign files, and the known failure modes."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from officer_app.store import errors
from officer_app.store.db import Store, read_schema_version
from officer_app.store.migrations import MIGRATIONS, SCHEMA_VERSION


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _store_at_version(path: Path, version: int) -> None:
    """Build a store the way release ``version`` left it, with a row in it when possible."""
    conn = sqlite3.connect(path)
    for number in range(1, version + 1):
        for statement in MIGRATIONS[number - 1]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    if version >= 1:
        conn.execute("INSERT INTO settings (key, value) VALUES ('marker', '\"kept\"')")
    conn.commit()
    conn.close()


def test_fresh_store_has_current_schema_wal_and_foreign_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.sqlite3") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.scalar("PRAGMA foreign_keys") == 1
        expected = {
            "agencies",
            "officers",
            "patrols",
            "evidence",
            "cases",
            "parties",
            "documents",
            "outbox",
            "ledger",
            "settings",
            "violation_types",
        }
        assert expected <= set(store.db.table_names())
        with pytest.raises(sqlite3.IntegrityError):
            store.execute(
                "INSERT INTO officers (id, name, badge, agency_code, created_at)"
                " VALUES ('x', 'n', 'b', 'no-such-agency', 't')"
            )


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_upgrade_from_each_earlier_version_keeps_data_and_backs_up(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "s.sqlite3"
    _store_at_version(path, version)
    backups = tmp_path / "backups"
    with Store.open(path, backups_dir=backups) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.scalar("SELECT value FROM settings WHERE key='marker'") == '"kept"'
    copies = list(backups.glob(f"*-v{version}-*.sqlite3"))
    assert len(copies) == 1
    assert read_schema_version(copies[0]) == version


def test_upgrade_from_empty_file_and_reopen_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.touch()
    Store.open(path).close()
    before = read_schema_version(path)
    Store.open(path).close()
    assert before == read_schema_version(path) == SCHEMA_VERSION


def test_newer_store_is_refused_and_left_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _store_at_version(path, SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = _digest(path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(errors.NewerStoreError) as caught:
        Store.open(path, backups_dir=tmp_path / "backups")
    assert "更新版本" in caught.value.message_zh
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no -wal, -shm, backup


def test_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes("这不是数据库".encode() * 100)
    before = _digest(path)
    with pytest.raises(errors.NotADatabaseError):
        Store.open(path)
    assert _digest(path) == before


def test_corrupt_store_gives_a_known_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page, keep the header
    path.write_bytes(bytes(raw))
    with pytest.raises((errors.CorruptStoreError, errors.NotADatabaseError)) as caught:
        Store.open(path)
    assert caught.value.message_zh


def test_disk_full_is_a_known_error_and_keeps_committed_data(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as store:
        with store.transaction() as db:
            db["settings"].insert({"key": "before", "value": '"ok"'})
        pages = store.scalar("PRAGMA page_count")
        store.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
        with pytest.raises(errors.DiskFullError) as caught, store.transaction() as db:
            db["settings"].insert_all(
                {"key": f"k{i}", "value": '"' + "x" * 2000 + '"'} for i in range(200)
            )
        assert "磁盘已满" in caught.value.message_zh
        assert store.scalar("SELECT value FROM settings WHERE key='before'") == '"ok"'
        assert store.scalar("SELECT COUNT(*) FROM settings WHERE key LIKE 'k%'") == 0


def test_locked_store_is_a_known_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import officer_app.store.db as db_module

    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as first:
        first.execute("PRAGMA busy_timeout = 100")
        holder = sqlite3.connect(path, timeout=0.1)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with (
                pytest.raises(errors.StoreLockedError) as caught,
                first.transaction() as db,
            ):
                db["settings"].insert({"key": "k", "value": "1"})
            assert "被占用" in caught.value.message_zh
        finally:
            holder.rollback()
            holder.close()


def test_read_only_file_maps_to_read_only_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as raw:
            conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
    finally:
        conn.close()
    assert isinstance(errors.classify(raw.value), errors.ReadOnlyStoreError)


def test_transaction_rolls_back_everything_on_error(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.sqlite3") as store:
        with pytest.raises(RuntimeError), store.transaction() as db:
            db["settings"].insert({"key": "a", "value": "1"})
            with store.transaction() as inner:
                inner["settings"].insert({"key": "b", "value": "2"})
            raise RuntimeError("user action failed half-way")
        assert store.scalar("SELECT COUNT(*) FROM settings") == 0


def test_upgrade_to_10_fills_transfer_times_like_the_old_lookup(tmp_path: Path) -> None:
    """Migration 10 derives sent/receipt/feedback times from the rows a v9 store already holds:
    the sender's time from an incoming payload, status items before ledger entries, the first
    of each kind, an empty ``at`` falling back to when the item was received."""
    path = tmp_path / "s.sqlite3"
    _store_at_version(path, 9)
    conn = sqlite3.connect(path)
    cols = "id, direction, status, document_number, other_agency, payload, created_at, updated_at"
    rows = [
        ("out1", "out", "feedback_sent", "N1", "320509", "{}", "2026-07-01T01:00:00+00:00"),
        (
            "in1",
            "in",
            "accepted",
            "N2",
            "320509",
            '{"sent_at": "2026-06-30T23:00:00+00:00"}',
            "2026-07-02T00:00:00+00:00",
        ),
        ("in2", "in", "sent", "N3", "320509", "{}", "2026-07-03T00:00:00+00:00"),
    ]
    for r in rows:
        conn.execute(f"INSERT INTO transfers ({cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*r, r[-1]])
    inbox = [
        (1, "out1", '{"op": "accept", "at": ""}', "2026-07-04T00:00:00+00:00"),
        (2, "out1", '{"op": "accept", "at": "2026-07-05T00:00:00+00:00"}', "x"),
        (3, "out1", '{"op": "feedback", "at": "2026-08-01T00:00:00+00:00"}', "y"),
    ]
    for c, ref, payload, received in inbox:
        conn.execute(
            "INSERT INTO inbox (cursor, kind, ref_id, payload, received_at)"
            " VALUES (?, 'transfer_status', ?, ?, ?)",
            [c, ref, payload, received],
        )
    ledger = [
        ("transfer_accept", "in1", '{"at": "2026-07-06T00:00:00+00:00"}', "z"),
        ("transfer_feedback", "in1", "{}", "2026-08-02T00:00:00+00:00"),
        ("transfer_feedback", "in1", '{"at": "2026-08-09T00:00:00+00:00"}', "w"),
    ]
    for n, (kind, ref, payload, at) in enumerate(ledger, 1):
        conn.execute(
            "INSERT INTO ledger (seq, kind, entity_id, payload, at, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, '', ?)",
            [n, kind, ref, payload, at, f"h{n}"],
        )
    conn.commit()
    conn.close()
    with Store.open(path, backups_dir=tmp_path / "b") as store:
        got = {
            r["id"]: (r["sent_at"], r["receipt_at"], r["feedback_at"])
            for r in store.query("SELECT id, sent_at, receipt_at, feedback_at FROM transfers")
        }
        assert got == {
            "out1": (
                "2026-07-01T01:00:00+00:00",
                "2026-07-04T00:00:00+00:00",
                "2026-08-01T00:00:00+00:00",
            ),
            "in1": (
                "2026-06-30T23:00:00+00:00",
                "2026-07-06T00:00:00+00:00",
                "2026-08-02T00:00:00+00:00",
            ),
            "in2": ("2026-07-03T00:00:00+00:00", None, None),
        }
        # after the upgrade the triggers keep it up: a status item pulled before its transfer
        # row exists is found when the row arrives
        with store.transaction():
            store.execute(
                "INSERT INTO inbox (cursor, kind, ref_id, payload, received_at)"
                " VALUES (9, 'transfer_status', 'out2', '{\"op\": \"return\"}', 'r9')"
            )
            store.execute(
                f"INSERT INTO transfers ({cols}) VALUES"
                " ('out2', 'out', 'returned', 'N4', '320509', '{}', 'c', 'c')"
            )
            store.execute(
                "INSERT INTO ledger (seq, kind, entity_id, payload, at, prev_hash, hash)"
                " VALUES (9, 'transfer_accept', 'in2', '{}', 'l9', '', 'h9')"
            )
        got = dict(store.conn.execute("SELECT id, receipt_at FROM transfers").fetchall())
        assert (got["out2"], got["in2"]) == ("r9", "l9")


def test_staged_write_publishes_only_a_block_that_ends_well(tmp_path: Path) -> None:
    """What a failed commit after the write looks like: the old file stays, no temp is left."""
    from officer_app.fileio import staged_write

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "b.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), staged_write(target) as write:
        write(b"new")
        assert target.read_bytes() == b"old"  # nothing published before the block ends
        raise RuntimeError("commit failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["b.pdf"]
    with staged_write(target) as write:
        write(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in folder.iterdir()] == ["b.pdf"]
