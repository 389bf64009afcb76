"""Migration: items pulled from the platform that could not be taken in, kept with the reason.

Why: one item a laptop cannot take in (its files are not on the platform, a file arrives corrupt,
its content is malformed, perhaps pushed on purpose by another agency) must not stop every later
pull. Such an item is set aside here, the pull cursor moves on, the officer sees the reason, and
``officer-app sync retry-held`` (or 重新接收 on the 同步 page) tries it again later.
"""

from __future__ import annotations

MIGRATION_SYNC_HELD: list[str] = [
    """
    CREATE TABLE sync_held (
        cursor INTEGER PRIMARY KEY,          -- the platform's cursor of the item
        kind TEXT NOT NULL,
        ref_id TEXT NOT NULL,
        item TEXT NOT NULL,                  -- the item as pulled (JSON)
        training INTEGER NOT NULL DEFAULT 0, -- pulled from a training platform
        reason TEXT NOT NULL,                -- plain Chinese, shown to the officer
        detail TEXT NOT NULL DEFAULT '',     -- English, for the log and support
        attempts INTEGER NOT NULL DEFAULT 1,
        held_at TEXT NOT NULL,
        tried_at TEXT NOT NULL
    )
    """,
]
