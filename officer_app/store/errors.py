"""Typed store errors: the known ways a SQLite file fails in the field.

Classified from SQLite's own error codes (``sqlite_errorname``), never from message text, so a
full disk or a locked file reaches the officer as a sentence instead of a crash.
"""

from __future__ import annotations

import sqlite3

from officer_app.errors import DiskFullError, ReadOnlyStoreError, StoreError

__all__ = [
    "CorruptStoreError",
    "DiskFullError",
    "MigrationError",
    "NewerStoreError",
    "NotADatabaseError",
    "ReadOnlyStoreError",
    "SqliteFeatureError",
    "StoreError",
    "StoreLockedError",
    "classify",
]


class StoreLockedError(StoreError):
    code = "locked"


class CorruptStoreError(StoreError):
    code = "corrupt"


class NotADatabaseError(StoreError):
    code = "not_a_database"


class NewerStoreError(StoreError):
    code = "newer_schema"


class MigrationError(StoreError):
    code = "migration_failed"


class SqliteFeatureError(StoreError):
    """The SQLite Python was built with lacks what the schema needs (FTS5, its trigram
    tokenizer): the store cannot be opened, whatever is in it."""

    code = "sqlite_too_old"


_BY_NAME: dict[str, tuple[type[StoreError], str]] = {
    "SQLITE_FULL": (
        DiskFullError,
        "磁盘已满，无法保存数据。请清理磁盘空间后重试，已保存的数据不受影响。",
    ),
    "SQLITE_IOERR_WRITE": (
        DiskFullError,
        "写入磁盘失败（磁盘可能已满或已损坏），已保存的数据不受影响。",
    ),
    "SQLITE_BUSY": (StoreLockedError, "数据库被占用（可能另一个程序正在使用），请稍后重试。"),
    "SQLITE_LOCKED": (StoreLockedError, "数据库被占用（可能另一个程序正在使用），请稍后重试。"),
    "SQLITE_READONLY": (ReadOnlyStoreError, "数据库文件只读，无法保存。请检查数据目录的写入权限。"),
    "SQLITE_CANTOPEN": (ReadOnlyStoreError, "无法打开数据库文件。请检查数据目录是否存在且可写。"),
    "SQLITE_CORRUPT": (CorruptStoreError, "数据库文件已损坏。请从备份恢复，或联系信息管理人员。"),
    "SQLITE_NOTADB": (NotADatabaseError, "所选文件不是本软件的数据库文件。"),
}


def classify(exc: sqlite3.Error) -> StoreError | None:
    """Map a sqlite3 error to a known store error, or ``None`` when it is a bug."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    primary = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
    known = _BY_NAME.get(name) or _BY_NAME.get(primary)
    if known is None and primary == "SQLITE_IOERR":
        known = _BY_NAME["SQLITE_IOERR_WRITE"]
    if known is None:
        return None
    cls, message = known
    return cls(message, f"{name}: {exc}")
