"""Migration 9: field use — officers' unlock PINs.

A PIN is never stored: only a scrypt hash with a per-officer random salt and the KDF parameters
that made it, so the cost can be raised later without locking anyone out (old rows keep verifying
with the parameters recorded beside them).  The failure counter and the "wait until" time live in
the same row so that restarting the app does not reset the delay after wrong PINs.  The table is
local to this laptop: it is not in the outbox and never synced.
"""

from __future__ import annotations

MIGRATION_9_FIELD: list[str] = [
    """
    CREATE TABLE officer_pins (
        officer_id TEXT PRIMARY KEY REFERENCES officers(id),
        kdf TEXT NOT NULL,                   -- 'scrypt'
        salt BLOB NOT NULL,                  -- 16 random bytes, per officer, new on every change
        n INTEGER NOT NULL,                  -- scrypt cost parameters used for this hash
        r INTEGER NOT NULL,
        p INTEGER NOT NULL,
        dklen INTEGER NOT NULL,
        hash BLOB NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        retry_after_utc TEXT,                -- ISO time before which no attempt is checked
        updated_at TEXT NOT NULL
    )
    """,
]
