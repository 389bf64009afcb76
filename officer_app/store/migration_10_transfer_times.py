"""Migration 10: when each transfer was sent, receipted and answered, kept on its row.

The 统计 page needs, for every transfer it counts, three moments: when it was sent (the sender's
time, carried in the payload of an incoming transfer), when the receiver receipted it (accepted or
returned) and when the receiver fed back the result. The last two were found at every refresh by
joining the pulled status items (outgoing transfers) and our own ledger entries (incoming ones);
over two years of a district's data that lookup was a sixth of the dashboard's time. The violation
type of the case as it was sent is kept beside them, read once from the payload's snapshot
instead of parsing the payload at every refresh.

The columns are *derived*: triggers recompute them from the same sources whenever a
transfer, a status item or a ledger entry is inserted, with the same rules as before (status items
before ledger entries, the first of each kind winning; an empty ``at`` falls back to when it was
received or recorded). No service writes them, so no write path can forget to, and a status item
that arrives before its transfer is still counted when the transfer row appears.

The case index covers the dashboard's case query (found day, not a draft or training record,
recorder, violation, jurisdiction), so that query reads the index alone; it replaces the plain
``taken_at`` index of migration 7, which is its prefix.
"""

from __future__ import annotations


def _receipt(ref: str) -> str:
    return (
        "coalesce("
        "(SELECT coalesce(nullif(json_extract(i.payload, '$.at'), ''), i.received_at) FROM inbox i"
        f" WHERE i.kind = 'transfer_status' AND i.ref_id = {ref}"
        " AND coalesce(json_extract(i.payload, '$.op'), '') != 'feedback'"
        " ORDER BY i.cursor LIMIT 1),"
        "(SELECT coalesce(nullif(json_extract(l.payload, '$.at'), ''), l.at) FROM ledger l"
        f" WHERE l.kind IN ('transfer_accept', 'transfer_return') AND l.entity_id = {ref}"
        " ORDER BY l.seq LIMIT 1))"
    )


def _feedback(ref: str) -> str:
    return (
        "coalesce("
        "(SELECT coalesce(nullif(json_extract(i.payload, '$.at'), ''), i.received_at) FROM inbox i"
        f" WHERE i.kind = 'transfer_status' AND i.ref_id = {ref}"
        " AND json_extract(i.payload, '$.op') = 'feedback'"
        " ORDER BY i.cursor LIMIT 1),"
        "(SELECT coalesce(nullif(json_extract(l.payload, '$.at'), ''), l.at) FROM ledger l"
        f" WHERE l.kind = 'transfer_feedback' AND l.entity_id = {ref}"
        " ORDER BY l.seq LIMIT 1))"
    )


_SENT = (
    "CASE direction WHEN 'out' THEN created_at"
    " ELSE coalesce(json_extract(payload, '$.sent_at'), created_at) END"
)

_VIOLATION = "json_extract(payload, '$.case.violation_code')"


def _refresh(ref: str) -> str:
    """Recompute the receipt and feedback moments of transfer ``ref``."""
    return (
        f"UPDATE transfers SET receipt_at = {_receipt(ref)}, feedback_at = {_feedback(ref)}"
        f" WHERE id = {ref};"
    )


MIGRATION_10_TRANSFER_TIMES: list[str] = [
    "ALTER TABLE transfers ADD COLUMN sent_at TEXT",  # ISO, as the sender recorded it
    "ALTER TABLE transfers ADD COLUMN receipt_at TEXT",  # accepted or returned
    "ALTER TABLE transfers ADD COLUMN feedback_at TEXT",
    "ALTER TABLE transfers ADD COLUMN violation_code TEXT",  # of the case as sent
    f"UPDATE transfers SET sent_at = {_SENT}, violation_code = {_VIOLATION}",
    f"UPDATE transfers SET receipt_at = {_receipt('transfers.id')},"
    f" feedback_at = {_feedback('transfers.id')}",
    f"""
    CREATE TRIGGER transfer_times_ai AFTER INSERT ON transfers BEGIN
        UPDATE transfers SET sent_at = coalesce(sent_at, {_SENT}),
            violation_code = coalesce(violation_code, {_VIOLATION}) WHERE id = NEW.id;
        {_refresh("NEW.id")}
    END
    """,
    f"""
    CREATE TRIGGER transfer_times_inbox_ai AFTER INSERT ON inbox
    WHEN NEW.kind = 'transfer_status' BEGIN
        {_refresh("NEW.ref_id")}
    END
    """,
    f"""
    CREATE TRIGGER transfer_times_ledger_ai AFTER INSERT ON ledger
    WHEN NEW.kind IN ('transfer_accept', 'transfer_return', 'transfer_feedback') BEGIN
        {_refresh("NEW.entity_id")}
    END
    """,
    "CREATE INDEX cases_stats ON cases(taken_at, training, status, created_by, violation_code,"
    " jurisdiction_code, id)",
    "DROP INDEX IF EXISTS cases_taken_at",  # a prefix of cases_stats
]
