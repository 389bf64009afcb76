"""Migration: the procedure behind the documents (立案, jurisdiction disputes, vehicle clues,
the letters of every transfer step).

- ``cases.filed_on`` / ``filed_by`` / ``filed_at``: the 立案 (行政处罚法 §54), its CST date and the
  officer who recorded it. §25 (the agency that files first handles a case) and §60 (a decision
  within 90 days of filing) are counted from it.
- ``jurisdiction_disputes`` and their ``jurisdiction_dispute_steps``: a dispute over who handles a
  case is negotiated (协商), else referred to the common superior (报请共同的上一级行政机关指定管辖),
  and settled; every step is kept with its date, officer and note.
- ``case_vehicles``: vehicles and plates are clues (线索), never the party. Parties of kind
  ``vehicle`` recorded before are moved here; a case left without a person or organisation has
  its party 待查 (unknown), which the documents print as such.
- ``transfer_documents``: the numbered letters of a transfer on both ends (移送函, 回执, 退回函,
  反馈函, 联合查处函 …), ours and those received, so each side holds the same numbered set.
"""

from __future__ import annotations

MIGRATION_PROCEDURE: list[str] = [
    "ALTER TABLE cases ADD COLUMN filed_on TEXT",  # CST date of the 立案
    "ALTER TABLE cases ADD COLUMN filed_by TEXT REFERENCES officers(id)",
    "ALTER TABLE cases ADD COLUMN filed_at TEXT",  # when it was recorded (UTC ISO)
    """
    CREATE TABLE jurisdiction_disputes (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        other_agency TEXT NOT NULL,           -- the agency that also claims (or declines) the case
        status TEXT NOT NULL CHECK (status IN ('negotiating', 'referred', 'settled')),
        handler_agency TEXT,                  -- who handles it once settled
        training INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX jurisdiction_disputes_case ON jurisdiction_disputes(case_id)",
    """
    CREATE TABLE jurisdiction_dispute_steps (
        id TEXT PRIMARY KEY,
        dispute_id TEXT NOT NULL REFERENCES jurisdiction_disputes(id) ON DELETE CASCADE,
        step TEXT NOT NULL CHECK (step IN ('negotiate', 'refer', 'agreed', 'designated')),
        on_date TEXT NOT NULL,                -- CST date of the step
        note TEXT NOT NULL DEFAULT '',
        authority TEXT NOT NULL DEFAULT '',   -- refer / designated: the common superior
        handler_agency TEXT,                  -- agreed / designated: who handles the case
        officer_id TEXT NOT NULL REFERENCES officers(id),
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX jurisdiction_dispute_steps_dispute ON jurisdiction_dispute_steps(dispute_id, at)",
    """
    CREATE TABLE case_vehicles (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        plate TEXT NOT NULL,                  -- 号牌 as validated (GA 36)
        description TEXT NOT NULL DEFAULT '', -- e.g. 自卸货车
        details TEXT NOT NULL DEFAULT '{}'    -- what the plate validator derived
    )
    """,
    "CREATE INDEX case_vehicles_case ON case_vehicles(case_id)",
    # Stored vehicle "parties" become clues; the plate is kept, the party becomes 待查.
    """
    INSERT INTO case_vehicles (id, case_id, plate, description, details)
    SELECT id, case_id, plate, name, details FROM parties
    WHERE kind = 'vehicle' AND trim(plate) != ''
    """,
    "DELETE FROM parties WHERE kind = 'vehicle'",
    """
    CREATE TABLE transfer_documents (
        transfer_id TEXT NOT NULL REFERENCES transfers(id),
        number TEXT NOT NULL,                 -- the 文号, the same on both ends
        step TEXT NOT NULL,                   -- send / accept / return / decline / feedback
        form_id TEXT NOT NULL,
        title TEXT NOT NULL,
        agency TEXT NOT NULL,                 -- the issuing agency (district code)
        document_id TEXT NOT NULL,            -- the issuer's document id
        pdf_sha256 TEXT NOT NULL,
        fields TEXT NOT NULL DEFAULT '{}',    -- the values as issued (JSON)
        issued_at TEXT,
        origin TEXT NOT NULL CHECK (origin IN ('ours', 'received')),
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (transfer_id, number)
    )
    """,
    # What both ends knew before: our own letters (the 移送函 out, the 回执 in) ...
    """
    INSERT OR IGNORE INTO transfer_documents (transfer_id, number, step, form_id, title, agency,
        document_id, pdf_sha256, fields, issued_at, origin, recorded_at)
    SELECT t.id, d.number, CASE d.form_id WHEN 'case_transfer' THEN 'send' ELSE 'accept' END,
        d.form_id, d.title, d.agency_code, d.id, d.pdf_sha256, d.fields, d.issued_at, 'ours',
        d.issued_at
    FROM transfers t JOIN documents d
      ON d.number IN (t.document_number, t.receipt_number) AND d.status = 'issued'
    """,
    # ... and the 移送函 of an incoming transfer (its PDF came with the case's files).
    """
    INSERT OR IGNORE INTO transfer_documents (transfer_id, number, step, form_id, title, agency,
        document_id, pdf_sha256, fields, issued_at, origin, recorded_at)
    SELECT id, document_number, 'send', 'case_transfer', '案件移送函', other_agency,
        coalesce(json_extract(payload, '$.document_id'), ''),
        coalesce(json_extract(payload, '$.pdf_sha256'), ''),
        coalesce(json_extract(payload, '$.fields'), '{}'), json_extract(payload, '$.sent_at'),
        'received', created_at
    FROM transfers WHERE direction = 'in'
    """,
]
