"""The one module that owns the SQLite store.

Opening a store checks its header and schema version *before* writing anything, so a file written
by a newer release, or a file that is not a store at all, is refused and left byte-for-byte as it
was.  Older stores are copied aside and migrated in one transaction.  Every user action is one
``with store.transaction():`` block; sqlite3 failures that are expected in the field (full disk,
locked or read-only file, corruption) come out as typed :mod:`officer_app.store.errors`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officer_app.store.errors import (
    MigrationError,
    NewerStoreError,
    NotADatabaseError,
    SqliteFeatureError,
    StoreError,
    classify,
)
from officer_app.store.migrations import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
PAGE_CACHE_KIB = 64 * 1024
BUSY_TIMEOUT_MS = 5000

#: Called with the store's path when a write transaction opens; it raises to refuse the write.
#: The GUI installs one that checks the write runs on its single write executor (the store
#: stays free of threads and Qt: it only asks).
WriteGuard = Callable[[Path], None]
_write_guard: WriteGuard | None = None


def set_write_guard(guard: WriteGuard | None) -> WriteGuard | None:
    """Install ``guard`` for every store of the process; returns the one it replaces."""
    global _write_guard
    previous, _write_guard = _write_guard, guard
    return previous


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn known sqlite3 failures into :class:`StoreError`; let bugs through unchanged."""
    try:
        yield
    except sqlite3.Error as exc:
        known = classify(exc)
        if known is None:
            raise
        log.warning("store error: %s", known.detail)
        raise known from exc


def missing_sqlite_feature(conn: sqlite3.Connection | None = None) -> str | None:
    """What this process's SQLite lacks of the store's needs ("FTS5", "trigram"), or None.

    The 巡查 list's free text is an FTS5 index with the ``trigram`` tokenizer (SQLite 3.34+,
    migration patrol_text_index).  A Python built against an older or trimmed SQLite would fail
    deep inside a migration or a search with a bare "no such module"; asking a throw-away
    in-memory database first lets the store refuse with a sentence instead.  ``conn``: probe
    that connection instead (tests).
    """
    probe = conn or sqlite3.connect(":memory:")
    try:
        for feature, sql in (
            ("FTS5", "CREATE VIRTUAL TABLE temp.probe_fts5 USING fts5(x)"),
            (
                "trigram",
                "CREATE VIRTUAL TABLE temp.probe_trigram USING fts5("
                "x, tokenize='trigram case_sensitive 1')",
            ),
        ):
            try:
                probe.execute(sql)
            except sqlite3.Error:
                return feature
        return None
    finally:
        if conn is None:
            probe.close()


def check_sqlite_features() -> None:
    """Refuse, in plain Chinese, a SQLite that cannot hold the store (see
    :func:`missing_sqlite_feature`), before the store file is touched."""
    missing = missing_sqlite_feature()
    if missing is not None:
        raise SqliteFeatureError(
            f"本机的 SQLite 组件（版本 {sqlite3.sqlite_version}）缺少全文检索功能（{missing}，"
            "需要 SQLite 3.34 或更高版本），无法打开数据库。请重新安装本软件或联系信息管理人员，"
            "数据库未作任何改动。",
            f"SQLite {sqlite3.sqlite_version} lacks {missing}",
            params={"version": sqlite3.sqlite_version, "feature": missing},
        )


def read_schema_version(path: Path) -> int:
    """Read ``user_version`` without writing to the file (0 for a missing or empty file)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotADatabaseError(
            "所选文件不是本软件的数据库文件。", f"{path}: header {header[:16]!r}"
        )
    uri = path.resolve().as_uri() + "?mode=ro"
    with translate_errors():
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()


class Store:
    """An open store: one sqlite3 connection, used from one thread at a time."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for writes; loaded on first use because it
        pulls in numpy when that is installed, which the GUI's start-up does not need."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    # Opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, backups_dir: Path | None = None) -> Store:
        """Open (creating or migrating as needed) the store at ``path``."""
        check_sqlite_features()
        version = read_schema_version(path)
        if version > SCHEMA_VERSION:
            raise NewerStoreError(
                f"该数据库由更新版本的软件创建（数据结构版本 {version}，本软件支持 {SCHEMA_VERSION}）。"
                "请升级软件后再打开，数据库未作任何改动。",
                f"{path}: user_version {version} > {SCHEMA_VERSION}",
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        if 0 < version < SCHEMA_VERSION:
            cls._backup_before_migration(path, version, backups_dir or path.parent / "backups")
        with translate_errors():
            conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        try:
            with translate_errors():
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.warning("journal_mode is %s, not WAL, for %s", mode, path)
                # FULL: an officer's record must survive a power cut right after "saved".
                conn.execute("PRAGMA synchronous = FULL")
                # The default 2 MiB page cache is re-read from the OS on every dashboard refresh
                # once a district's store passes ~50 MB; this is a ceiling, filled only on use.
                conn.execute(f"PRAGMA cache_size = {-PAGE_CACHE_KIB}")
            store = cls(path, conn)
            if version < SCHEMA_VERSION:
                store._migrate(version)
            return store
        except BaseException:
            conn.close()
            raise

    @staticmethod
    def _backup_before_migration(path: Path, version: int, backups_dir: Path) -> Path:
        """Copy the store aside with SQLite's backup API (consistent even with a WAL)."""
        backups_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = backups_dir / f"{path.stem}-v{version}-{stamp}.sqlite3"
        with translate_errors():
            src = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
            dst = sqlite3.connect(str(target))
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        log.info("backed up store v%s to %s before migration", version, target)
        return target

    def _migrate(self, current: int) -> None:
        log.info("migrating store %s from v%s to v%s", self.path, current, SCHEMA_VERSION)
        try:
            with self.transaction():
                for number in range(current + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[number - 1]:
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise MigrationError(
                "数据库升级失败，原数据库未改动（升级前已备份）。请联系信息管理人员。",
                f"migration from v{current} failed: {exc}",
            ) from exc

    # Use ------------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One user action = one transaction; nested blocks become savepoints."""
        if self.conn.in_transaction:
            with translate_errors(), self.db.atomic():
                yield self.db
            return
        if _write_guard is not None:
            _write_guard(self.path)
        db = self.db
        with translate_errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with translate_errors():
            cursor = self.conn.execute(sql, params)
            names = [column[0] for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        with translate_errors():
            row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        with translate_errors():
            return self.conn.execute(sql, params)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
