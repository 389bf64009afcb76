"""Migration 5: map work.

- ``evidence_jurisdiction_changes``: every time an officer overrides the jurisdiction the boundary
  polygons gave a photo (a spot near a border, an unofficial polygon), with the reason. The ledger
  already holds the change; this table makes the photo's history readable without walking it.
"""

from __future__ import annotations

MIGRATION_5_MAP: list[str] = [
    """
    CREATE TABLE evidence_jurisdiction_changes (
        id TEXT PRIMARY KEY,
        evidence_id TEXT NOT NULL REFERENCES evidence(id),
        old_code TEXT,
        new_code TEXT NOT NULL,
        reason TEXT NOT NULL,
        officer_id TEXT NOT NULL REFERENCES officers(id),
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX evidence_jurisdiction_changes_evidence"
    " ON evidence_jurisdiction_changes(evidence_id, at)",
]
