"""The platform's own SQLite store: schema, connection and one-transaction-per-change.

The platform never shares a schema with the laptop store: it keeps what agencies pushed, who may
read it and what is waiting in each agency's inbox. Every request that changes something does so in
one ``BEGIN IMMEDIATE`` transaction, and the HTTP receipt is sent only after ``COMMIT`` returned,
so an acknowledged entry is on disk (``synchronous = FULL``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS tokens (
        id TEXT PRIMARY KEY, agency TEXT NOT NULL, officer_name TEXT NOT NULL,
        badge TEXT NOT NULL, token_sha256 TEXT NOT NULL, created_at TEXT NOT NULL,
        revoked_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS entries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, agency TEXT NOT NULL,
        token_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL,
        payload TEXT NOT NULL, content_sha256 TEXT NOT NULL, training INTEGER NOT NULL,
        received_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS conflicts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, entry_id TEXT NOT NULL, agency TEXT NOT NULL,
        content_sha256 TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS visibility (
        entry_id TEXT NOT NULL, agency TEXT NOT NULL, PRIMARY KEY (entry_id, agency))""",
    """CREATE TABLE IF NOT EXISTS blobs (
        sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS blob_access (
        sha256 TEXT NOT NULL, agency TEXT NOT NULL, PRIMARY KEY (sha256, agency))""",
    """CREATE TABLE IF NOT EXISTS transfers (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, from_agency TEXT NOT NULL,
        to_agency TEXT NOT NULL, status TEXT NOT NULL, document_number TEXT NOT NULL,
        deadline TEXT, payload TEXT NOT NULL, training INTEGER NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS inbox (
        cursor INTEGER PRIMARY KEY AUTOINCREMENT, agency TEXT NOT NULL, kind TEXT NOT NULL,
        ref_id TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS inbox_agency ON inbox(agency, cursor)",
    """CREATE TABLE IF NOT EXISTS serial_blocks (
        request_id TEXT PRIMARY KEY, agency TEXT NOT NULL, doc_type TEXT NOT NULL,
        year INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL,
        token_id TEXT NOT NULL, created_at TEXT NOT NULL)""",
]


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class PlatformPaths:
    """Where one platform instance keeps its data (below ``<data-dir>/platform``)."""

    def __init__(self, root: Path) -> None:
        self.root = root / "platform"

    @property
    def db_path(self) -> Path:
        return self.root / "platform.sqlite3"

    @property
    def blobs_dir(self) -> Path:
        return self.root / "blobs"

    @property
    def uploads_dir(self) -> Path:
        return self.root / "uploads"

    def ensure(self) -> None:
        for path in (self.root, self.blobs_dir, self.uploads_dir):
            path.mkdir(parents=True, exist_ok=True)


def connect(path: Path) -> sqlite3.Connection:
    """A fresh connection (one per request thread); autocommit, transactions are explicit."""
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


@contextlib.contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    conn = connect(path)
    try:
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def init(paths: PlatformPaths, *, training: bool) -> None:
    """Create the schema; a data dir is either training or real for its whole life."""
    paths.ensure()
    with opened(paths.db_path) as conn, transaction(conn):
        for statement in SCHEMA:
            conn.execute(statement)
        row = conn.execute("SELECT value FROM meta WHERE key = 'mode'").fetchone()
        mode = "training" if training else "normal"
        if row is None:
            conn.execute("INSERT INTO meta (key, value) VALUES ('mode', ?)", [mode])
        elif row[0] != mode:
            from officer_app.platform.errors import PlatformModeError

            raise PlatformModeError(
                f"该平台数据目录是{'培训' if row[0] == 'training' else '正式'}模式，"
                f"不能以{'培训' if training else '正式'}模式启动。",
                f"data dir mode {row[0]}, asked {mode}",
            )
