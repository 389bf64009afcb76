"""Migration 6: sync with the city platform (owned by the sync work).

``sync_state`` holds the pull cursor, the server URL and this laptop's client id (never a token:
that lives in the OS keyring). ``inbox`` keeps every pulled item as received, for audit.
``transfers`` is the laptop's view of 案件移送 in both directions; the platform enforces the same
state machine (``domain/transfer.py``).
"""

from __future__ import annotations

MIGRATION_6_SYNC: list[str] = [
    """
    CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE inbox (
        cursor INTEGER PRIMARY KEY,          -- the platform's cursor for this agency
        kind TEXT NOT NULL,                  -- transfer / transfer_status / patrol
        ref_id TEXT NOT NULL,
        payload TEXT NOT NULL,               -- JSON as received
        received_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE transfers (
        id TEXT PRIMARY KEY,                 -- client-made UUID, same on both ends
        kind TEXT NOT NULL DEFAULT 'case',
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        status TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'returned', 'feedback_sent')),
        document_id TEXT,                    -- our 案件移送函 (out)
        document_number TEXT NOT NULL,
        case_id TEXT REFERENCES cases(id),   -- out: the case sent; in: the case made on accept
        other_agency TEXT NOT NULL,
        deadline TEXT,                       -- receipt due (CST date)
        payload TEXT NOT NULL,               -- JSON: what travels (case, evidence, blobs)
        receipt_number TEXT,
        return_reason TEXT,
        feedback TEXT,                       -- JSON {result, fine, note}
        training INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX transfers_status ON transfers(direction, status)",
    "CREATE INDEX outbox_pending ON outbox(state, seq)",
]
