"""The platform's tables of the witness log (:mod:`officer_app.platform.witness`): append-only.

Kept apart from the platform's other tables so the witness stays one concern in one place; the
statements are plain ``CREATE ... IF NOT EXISTS`` (no ``{autoinc}``), so a platform database made
before the witness existed gains them at its next start, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

TABLES: list[str] = [
    """CREATE TABLE IF NOT EXISTS witness_leaves (
        idx INTEGER PRIMARY KEY, agency TEXT NOT NULL, client_id TEXT NOT NULL,
        token_id TEXT NOT NULL, ledger_seq INTEGER NOT NULL, from_seq INTEGER NOT NULL,
        leaf TEXT NOT NULL, leaf_hash TEXT NOT NULL, segment TEXT NOT NULL,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS witness_client ON witness_leaves(client_id, idx)",
    """CREATE TABLE IF NOT EXISTS witness_nodes (
        level INTEGER NOT NULL, idx INTEGER NOT NULL, hash TEXT NOT NULL,
        PRIMARY KEY (level, idx))""",
    """CREATE TABLE IF NOT EXISTS witness_heads (
        tree_size INTEGER NOT NULL, timestamp TEXT NOT NULL, root_hash TEXT NOT NULL,
        signature TEXT NOT NULL, PRIMARY KEY (tree_size, timestamp))""",
]
