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
