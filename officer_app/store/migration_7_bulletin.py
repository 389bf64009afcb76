"""Migration 7: bulletin work (the 统计 page and the quarterly bulletin, ``services/stats.py``).

The dashboard filters cases by the day they were found and looks up when the other side of a
transfer acted (pulled status items for outgoing transfers, our own ledger entries for incoming
ones). Without these indexes each refresh scans the whole ``cases`` table and the ledger, which
grows with every recorded action.
"""

from __future__ import annotations

MIGRATION_7_BULLETIN: list[str] = [
    "CREATE INDEX IF NOT EXISTS cases_taken_at ON cases(taken_at)",
    "CREATE INDEX IF NOT EXISTS cases_created_at ON cases(created_at)",
    "CREATE INDEX IF NOT EXISTS ledger_kind_entity ON ledger(kind, entity_id)",
    "CREATE INDEX IF NOT EXISTS inbox_kind_ref ON inbox(kind, ref_id)",
    "CREATE INDEX IF NOT EXISTS transfers_case ON transfers(case_id)",
]
