"""Migration 4: cases and documents (serial blocks, versions). Owned by the documents work.

Serial blocks make "never reused" hold offline: each laptop issues only from blocks it owns. Until
the platform hands out blocks (the sync work), a laptop owns its agency's whole range through one
default ``local`` block 1..999999. Triggers keep issued documents immutable and serials monotonic
at the SQL level, so no code path (or hand edit with the app's own connection) can renumber them.
"""

from __future__ import annotations

MIGRATION_4_DOCUMENTS: list[str] = [
    """
    CREATE TABLE serial_blocks (
        id INTEGER PRIMARY KEY,
        agency TEXT NOT NULL,                -- issuing agency code
        doc_type TEXT NOT NULL,              -- the doc-type character of the 文号 (移, 回, 协 …)
        year INTEGER NOT NULL,
        first INTEGER NOT NULL,
        last INTEGER NOT NULL,
        next INTEGER NOT NULL,               -- the next unused serial; last + 1 when exhausted
        source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'platform')),
        created_at TEXT NOT NULL,
        CHECK (first >= 1 AND last >= first AND next >= first AND next <= last + 1)
    )
    """,
    "CREATE UNIQUE INDEX serial_blocks_start ON serial_blocks(agency, doc_type, year, first)",
    """
    CREATE TRIGGER serial_blocks_monotonic BEFORE UPDATE OF next ON serial_blocks
    WHEN NEW.next < OLD.next
    BEGIN SELECT RAISE(ABORT, 'serials are never handed out twice'); END
    """,
    # Documents: who issued them under which number key, and what is needed to re-render them.
    "ALTER TABLE documents ADD COLUMN title TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE documents ADD COLUMN agency_code TEXT",
    "ALTER TABLE documents ADD COLUMN doc_type TEXT",
    "ALTER TABLE documents ADD COLUMN year INTEGER",
    "ALTER TABLE documents ADD COLUMN serial INTEGER",
    "ALTER TABLE documents ADD COLUMN content_sha256 TEXT",
    "ALTER TABLE documents ADD COLUMN pages INTEGER",
    # JSON snapshot (form definition, values, evidence metadata) an issued PDF is re-rendered from.
    "ALTER TABLE documents ADD COLUMN render_input TEXT",
    """
    CREATE UNIQUE INDEX documents_serial ON documents(agency_code, doc_type, year, serial)
    WHERE serial IS NOT NULL
    """,
    "CREATE UNIQUE INDEX documents_number ON documents(number) WHERE number IS NOT NULL",
    "CREATE INDEX documents_case ON documents(case_id)",
    """
    CREATE TRIGGER documents_issued_immutable BEFORE UPDATE ON documents
    WHEN OLD.status IN ('issued', 'superseded') AND (
        NEW.fields IS NOT OLD.fields OR NEW.number IS NOT OLD.number
        OR NEW.serial IS NOT OLD.serial OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256
        OR NEW.font_sha256 IS NOT OLD.font_sha256 OR NEW.render_input IS NOT OLD.render_input
        OR NEW.issued_at IS NOT OLD.issued_at OR NEW.form_id IS NOT OLD.form_id
        OR NOT (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'superseded'))
    )
    BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END
    """,
    """
    CREATE TRIGGER documents_issued_no_delete BEFORE DELETE ON documents
    WHEN OLD.status IN ('issued', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'issued documents are never deleted'); END
    """,
    # Parties: what the validators derived (birth date, region, kind of plate) and their warnings.
    "ALTER TABLE parties ADD COLUMN details TEXT NOT NULL DEFAULT '{}'",
    # Jurisdiction changes keep their reason; the ledger has the same entry, hash-chained.
    """
    CREATE TABLE case_jurisdiction_changes (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        old_code TEXT,
        new_code TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        officer_id TEXT NOT NULL REFERENCES officers(id),
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX cases_status ON cases(status)",
]
