"""The platform's tables, and the steps that bring an older platform database up to date.

The version lives in ``meta`` (key ``schema``); a database made before versions were kept has
the tables of version 1 and no such key. Each step runs inside :func:`db.init`'s transaction, so a
platform is either upgraded whole or not at all, on SQLite and PostgreSQL alike.

Version 5 makes ``upload_locks`` an unlogged table in PostgreSQL: a lease needs no durability (a
crash frees it anyway, and PostgreSQL empties an unlogged table after one), so taking a lock no
longer waits for the write-ahead log's flush. SQLite: unchanged (its lease statements already skip
the sync, :func:`db.unsynced`).

Version 4 adds the statistics' projection (:mod:`stats_projection`): each patrol's and case's
current record and each case transfer's receipt and feedback, with the columns the bulletin counts
on; an older platform's entries are replayed into it, in push order, by the same code a push runs.

Version 3 adds ``upload_locks``: the upload lock lives in the database so that several worker
processes (or hosts) serialise the uploads of one file (a lease with an expiry, deleted when the
upload ends, so the table holds only uploads in progress).

Version 2 scopes every client-chosen id to the agency that chose it (entry ids, transfer ids,
serial-block request ids): before, a second agency reusing an id was told "conflict", "exists" or
"编号冲突", which answered whether another agency had used it — something it may not know. Now
the id is simply that agency's own. SQLite cannot change a table's keys in place, so each table is
rebuilt (new table, copy, drop, rename), the same SQL on both backends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from officer_app.platform import stats_projection, witness_schema

SQLITE, POSTGRES = "sqlite", "postgresql"
VERSION = 5

ENTRIES = """CREATE TABLE IF NOT EXISTS {name} (
    seq {autoinc}, id TEXT NOT NULL, agency TEXT NOT NULL,
    token_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL,
    payload TEXT NOT NULL, content_sha256 TEXT NOT NULL, training INTEGER NOT NULL,
    received_at TEXT NOT NULL, UNIQUE (agency, id))"""
VISIBILITY = """CREATE TABLE IF NOT EXISTS {name} (
    owner TEXT NOT NULL, entry_id TEXT NOT NULL, agency TEXT NOT NULL,
    PRIMARY KEY (owner, entry_id, agency))"""
TRANSFERS = """CREATE TABLE IF NOT EXISTS {name} (
    id TEXT NOT NULL, kind TEXT NOT NULL, from_agency TEXT NOT NULL,
    to_agency TEXT NOT NULL, status TEXT NOT NULL, document_number TEXT NOT NULL,
    deadline TEXT, payload TEXT NOT NULL, training INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (from_agency, id))"""
SERIAL_BLOCKS = """CREATE TABLE IF NOT EXISTS {name} (
    request_id TEXT NOT NULL, agency TEXT NOT NULL, doc_type TEXT NOT NULL,
    year INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL,
    token_id TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (agency, request_id))"""
INDEXES = [
    "CREATE INDEX IF NOT EXISTS inbox_agency ON inbox(agency, cursor)",
    # the cluster bulletin folds each kind of entity in push order (stats_rows.py)
    "CREATE INDEX IF NOT EXISTS entries_entity ON entries(entity, training, seq)",
    # a transfer step names the transfer by id; the caller is its receiver or sender
    "CREATE INDEX IF NOT EXISTS transfers_to ON transfers(to_agency, id)",
]

TABLES = [
    """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS tokens (
        id TEXT PRIMARY KEY, agency TEXT NOT NULL, officer_name TEXT NOT NULL,
        badge TEXT NOT NULL, token_sha256 TEXT NOT NULL, created_at TEXT NOT NULL,
        revoked_at TEXT)""",
    ENTRIES.replace("{name}", "entries"),
    """CREATE TABLE IF NOT EXISTS conflicts (
        seq {autoinc}, entry_id TEXT NOT NULL, agency TEXT NOT NULL,
        content_sha256 TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL)""",
    VISIBILITY.replace("{name}", "visibility"),
    """CREATE TABLE IF NOT EXISTS blobs (
        sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS blob_access (
        sha256 TEXT NOT NULL, agency TEXT NOT NULL, PRIMARY KEY (sha256, agency))""",
    TRANSFERS.replace("{name}", "transfers"),
    """CREATE TABLE IF NOT EXISTS inbox (
        cursor {autoinc}, agency TEXT NOT NULL, kind TEXT NOT NULL,
        ref_id TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL)""",
    SERIAL_BLOCKS.replace("{name}", "serial_blocks"),
    """CREATE {lease_table} IF NOT EXISTS upload_locks (
        agency TEXT NOT NULL, sha256 TEXT NOT NULL, holder TEXT NOT NULL,
        expires_ms INTEGER NOT NULL, PRIMARY KEY (agency, sha256))""",
    *witness_schema.TABLES,  # the witness log (issue 15): append-only, its own module
    *stats_projection.TABLES,  # what the bulletin counts on (version 4)
    *INDEXES,
]


def dialect_sql(statement: str, dialect: str) -> str:
    """One statement for one dialect (``{autoinc}`` and integer widths differ)."""
    if dialect == SQLITE:
        statement = statement.replace("{lease_table}", "TABLE")
        return statement.replace("{autoinc}", "INTEGER PRIMARY KEY AUTOINCREMENT")
    autoinc = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    statement = statement.replace("{lease_table}", "UNLOGGED TABLE")
    return statement.replace("INTEGER", "BIGINT").replace("{autoinc}", autoinc)


def ddl(dialect: str) -> list[str]:
    return [dialect_sql(s, dialect) for s in TABLES]


def _rebuild(conn: Any, dialect: str, table: str, create: str, copy: str) -> None:
    """``table`` recreated from ``create`` (with ``{name}``) and refilled by ``copy`` (a SELECT
    with ``{old}``), keeping its name."""
    new = f"{table}_v2"
    conn.execute(dialect_sql(create.replace("{name}", new), dialect))
    conn.execute(f"INSERT INTO {new} {copy.replace('{old}', table)}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {new} RENAME TO {table}")


def _v2_scoped_ids(conn: Any, dialect: str) -> None:
    cols = "seq, id, agency, token_id, entity, entity_id, op, payload, content_sha256, training,"
    cols += " received_at"
    # visibility first: its owner is read from the old entries (ids were unique then)
    _rebuild(
        conn,
        dialect,
        "visibility",
        VISIBILITY,
        "(owner, entry_id, agency) SELECT e.agency, v.entry_id, v.agency"
        " FROM {old} v JOIN entries e ON e.id = v.entry_id",
    )
    _rebuild(conn, dialect, "entries", ENTRIES, f"({cols}) SELECT {cols} FROM {{old}}")
    if dialect == POSTGRES:  # copied identity values do not move the sequence on
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('entries', 'seq'),"
            " (SELECT coalesce(max(seq), 0) + 1 FROM entries), false)"
        )
    _rebuild(conn, dialect, "transfers", TRANSFERS, "SELECT * FROM {old}")
    _rebuild(conn, dialect, "serial_blocks", SERIAL_BLOCKS, "SELECT * FROM {old}")


def _v4_statistics(conn: Any, dialect: str) -> None:
    for statement in stats_projection.TABLES:
        conn.execute(dialect_sql(statement, dialect))
    stats_projection.backfill(conn)


#: ``STEPS[n]`` takes a database from version ``n - 1`` to ``n``.
STEPS: dict[int, Callable[[Any, str], None]] = {
    2: _v2_scoped_ids,
    3: lambda conn, dialect: None,  # upload_locks is new: made with the other tables below
    4: _v4_statistics,
    5: lambda conn, dialect: (
        conn.execute("ALTER TABLE IF EXISTS upload_locks SET UNLOGGED")
        if dialect == POSTGRES
        else None
    ),
}


def ensure(conn: Any, dialect: str) -> None:
    """Create what is missing and upgrade what is old; runs inside the caller's transaction."""
    conn.execute(dialect_sql(TABLES[0], dialect))
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    fresh = not conn.has_table("entries")
    version = int(row[0]) if row is not None else VERSION if fresh else 1
    for step in range(version + 1, VERSION + 1):
        STEPS[step](conn, dialect)
    for statement in ddl(dialect):
        conn.execute(statement)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema', ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [str(VERSION)],
    )
