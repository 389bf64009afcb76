"""A SQLite without FTS5 or its trigram tokenizer is refused at store open, in one Chinese
sentence, before the store file is touched (the 巡查 list's free text needs both)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import officer_app.store.db as db_module
from officer_app.__main__ import main
from officer_app.store.db import Store, missing_sqlite_feature
from officer_app.store.errors import SqliteFeatureError

SQLITE_CREATE_VTABLE = 29  # sqlite3.h; the sqlite3 module does not export it before 3.12


def test_this_machines_sqlite_has_fts5_and_trigram() -> None:
    assert missing_sqlite_feature() is None


def test_the_probe_names_fts5_when_sqlite_refuses_the_module() -> None:
    """A real refusal: the authorizer denies creating any FTS5 table, as a SQLite built without
    the module would fail to."""
    conn = sqlite3.connect(":memory:")

    def deny_fts5(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
        if action == SQLITE_CREATE_VTABLE and arg2 == "fts5":
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    conn.set_authorizer(deny_fts5)
    try:
        assert missing_sqlite_feature(conn) == "FTS5"
    finally:
        conn.close()


def _without(monkeypatch: pytest.MonkeyPatch, feature: str) -> None:
    monkeypatch.setattr(db_module, "missing_sqlite_feature", lambda conn=None: feature)


@pytest.mark.parametrize("feature", ["FTS5", "trigram"])
def test_store_open_refuses_and_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, feature: str
) -> None:
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    listing = sorted(p.name for p in tmp_path.iterdir())
    _without(monkeypatch, feature)
    with pytest.raises(SqliteFeatureError) as caught:
        Store.open(path)
    assert "全文检索" in caught.value.message_zh and feature in caught.value.message_zh
    assert caught.value.params == {"version": sqlite3.sqlite_version, "feature": feature}
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    with pytest.raises(SqliteFeatureError):
        Store.open(tmp_path / "new.sqlite3")
    assert not (tmp_path / "new.sqlite3").exists()


def test_cli_prints_one_chinese_line_instead_of_a_traceback(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without(monkeypatch, "trigram")
    assert main(["--data-dir", str(data_dir), "info"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("officer-app: ") and "缺少全文检索功能（trigram" in err
