"""Numbered schema migrations, tracked in ``PRAGMA user_version``.

Each migration is an ordered list of SQL statements that takes the store from version ``n - 1``
to ``n``.  Migrations are append-only: a released migration is never edited, a change is a new
number.  The store runs all pending ones in one transaction after copying the file aside.
"""

from __future__ import annotations

MIGRATION_1_CORE = [
    # Code tables -----------------------------------------------------------------------------
    """
    CREATE TABLE agencies (
        code TEXT PRIMARY KEY,               -- GB/T 2260 code, or code-suffix for a squad
        name TEXT NOT NULL,                  -- full name
        short_name TEXT NOT NULL,            -- 机关代字 used in document numbers
        division_code TEXT NOT NULL,         -- GB/T 2260 division the agency is responsible for
        division_name TEXT NOT NULL,
        province TEXT NOT NULL,
        parent_code TEXT REFERENCES agencies(code),
        former_codes TEXT NOT NULL DEFAULT '[]',  -- JSON list of historical division codes
        name_confirmed INTEGER NOT NULL DEFAULT 0,
        edition TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE clusters (
        name TEXT PRIMARY KEY,               -- e.g. 青嘉吴
        description TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TABLE cluster_members (
        cluster TEXT NOT NULL REFERENCES clusters(name),
        agency_code TEXT NOT NULL REFERENCES agencies(code),
        PRIMARY KEY (cluster, agency_code)
    )
    """,
    """
    CREATE TABLE violation_types (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        obligation_basis TEXT NOT NULL,
        penalty_basis TEXT NOT NULL,
        fine_min INTEGER,
        fine_max INTEGER,
        fine_note TEXT NOT NULL DEFAULT '',
        edition TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE code_tables (
        name TEXT PRIMARY KEY,
        edition TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        loaded_at TEXT NOT NULL
    )
    """,
    # People ----------------------------------------------------------------------------------
    """
    CREATE TABLE officers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        badge TEXT NOT NULL,                 -- 执法证号
        agency_code TEXT NOT NULL REFERENCES agencies(code),
        created_at TEXT NOT NULL,
        UNIQUE (badge, agency_code)
    )
    """,
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL                  -- JSON
    )
    """,
    # Field work ------------------------------------------------------------------------------
    """
    CREATE TABLE patrols (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        cluster TEXT REFERENCES clusters(name),
        status TEXT NOT NULL DEFAULT 'planned',
        title TEXT NOT NULL DEFAULT '',
        planned_start TEXT,
        planned_end TEXT,
        actual_start TEXT,
        actual_end TEXT,
        area TEXT NOT NULL DEFAULT '',
        route TEXT NOT NULL DEFAULT '',
        findings TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        training INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL REFERENCES officers(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE patrol_agencies (
        patrol_id TEXT NOT NULL REFERENCES patrols(id) ON DELETE CASCADE,
        agency_code TEXT NOT NULL REFERENCES agencies(code),
        lead INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (patrol_id, agency_code)
    )
    """,
    """
    CREATE TABLE patrol_officers (
        patrol_id TEXT NOT NULL REFERENCES patrols(id) ON DELETE CASCADE,
        agency_code TEXT NOT NULL REFERENCES agencies(code),
        name TEXT NOT NULL,
        badge TEXT NOT NULL,
        PRIMARY KEY (patrol_id, agency_code, badge)
    )
    """,
    """
    CREATE TABLE evidence (
        id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        original_name TEXT NOT NULL,
        size INTEGER NOT NULL,
        format TEXT NOT NULL,
        evidence_type TEXT NOT NULL DEFAULT '电子数据',
        taken_at TEXT,
        taken_at_source TEXT,
        lat REAL,
        lon REAL,
        alt REAL,
        direction REAL,
        datum TEXT,
        position_source TEXT,                -- exif / gpx / manual
        make TEXT,
        model TEXT,
        orientation INTEGER,
        width INTEGER,
        height INTEGER,
        flags TEXT NOT NULL DEFAULT '[]',    -- JSON list
        raw_tags TEXT NOT NULL DEFAULT '{}', -- JSON object, the full tag dump
        jurisdiction_code TEXT,
        patrol_id TEXT REFERENCES patrols(id),
        imported_by TEXT NOT NULL REFERENCES officers(id),
        imported_at TEXT NOT NULL,
        device TEXT NOT NULL DEFAULT '',
        training INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX evidence_taken_at ON evidence(taken_at)",
    "CREATE INDEX evidence_patrol ON evidence(patrol_id)",
    """
    CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        violation_code TEXT REFERENCES violation_types(code),
        status TEXT NOT NULL DEFAULT 'draft',
        taken_at TEXT,
        place TEXT NOT NULL DEFAULT '',
        lat REAL,
        lon REAL,
        datum TEXT,
        jurisdiction_code TEXT,
        description TEXT NOT NULL DEFAULT '',
        patrol_id TEXT REFERENCES patrols(id),
        training INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL REFERENCES officers(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE parties (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,                  -- person / organisation / vehicle
        name TEXT NOT NULL DEFAULT '',
        id_number TEXT NOT NULL DEFAULT '',  -- 居民身份证号 or 统一社会信用代码
        plate TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TABLE case_evidence (
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        evidence_id TEXT NOT NULL REFERENCES evidence(id),
        PRIMARY KEY (case_id, evidence_id)
    )
    """,
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        form_id TEXT NOT NULL,
        case_id TEXT REFERENCES cases(id),
        patrol_id TEXT REFERENCES patrols(id),
        status TEXT NOT NULL DEFAULT 'draft',  -- draft / issued / superseded
        number TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        supersedes_id TEXT REFERENCES documents(id),
        fields TEXT NOT NULL DEFAULT '{}',
        pdf_sha256 TEXT,
        font_sha256 TEXT,
        issued_at TEXT,
        training INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL REFERENCES officers(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    # Sync and audit --------------------------------------------------------------------------
    """
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,             -- client-made UUID, the idempotency key
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        op TEXT NOT NULL,
        payload TEXT NOT NULL,
        training INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',  -- pending / sent / set_aside
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        payload TEXT NOT NULL,               -- canonical JSON
        officer_id TEXT,
        at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    )
    """,
    # The ledger is append-only: the store refuses edits and deletes at the SQL level too.
    """
    CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
    BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END
    """,
    """
    CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
    BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END
    """,
]

MIGRATION_2_EVIDENCE_INTAKE = [
    # Times compare in UTC; the offset form stays in taken_at for display and court.
    "ALTER TABLE evidence ADD COLUMN taken_at_utc TEXT",
    "ALTER TABLE evidence ADD COLUMN subsec TEXT",
    "ALTER TABLE evidence ADD COLUMN gps_datetime TEXT",
    "CREATE INDEX evidence_taken_at_utc ON evidence(taken_at_utc)",
    """
    CREATE TABLE tracks (
        id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        original_name TEXT NOT NULL,
        patrol_id TEXT REFERENCES patrols(id),
        start_utc TEXT,
        end_utc TEXT,
        n_points INTEGER NOT NULL,
        clock_offset_s REAL NOT NULL DEFAULT 0,
        points TEXT NOT NULL,               -- JSON [[t_utc|null, lat, lon, ele|null], ...] per segment
        training INTEGER NOT NULL DEFAULT 0,
        imported_by TEXT NOT NULL REFERENCES officers(id),
        imported_at TEXT NOT NULL
    )
    """,
    # Patrol times compare in UTC too.
    "ALTER TABLE patrols ADD COLUMN start_utc TEXT",
    "ALTER TABLE patrols ADD COLUMN end_utc TEXT",
    "CREATE INDEX patrols_window ON patrols(start_utc, end_utc)",
]

from officer_app.store.migration_3_patrols import MIGRATION_3_PATROLS  # noqa: E402
from officer_app.store.migration_4_documents import MIGRATION_4_DOCUMENTS  # noqa: E402
from officer_app.store.migration_5_map import MIGRATION_5_MAP  # noqa: E402
from officer_app.store.migration_6_sync import MIGRATION_6_SYNC  # noqa: E402
from officer_app.store.migration_7_bulletin import MIGRATION_7_BULLETIN  # noqa: E402
from officer_app.store.migration_8_sync2 import MIGRATION_8_SYNC2  # noqa: E402
from officer_app.store.migration_9_field import MIGRATION_9_FIELD  # noqa: E402
from officer_app.store.migration_10_transfer_times import (  # noqa: E402
    MIGRATION_10_TRANSFER_TIMES,
)
from officer_app.store.migration_legal_bases import MIGRATION_LEGAL_BASES  # noqa: E402
from officer_app.store.migration_officer_phone import MIGRATION_OFFICER_PHONE  # noqa: E402
from officer_app.store.migration_patrol_counts import MIGRATION_PATROL_COUNTS  # noqa: E402
from officer_app.store.migration_patrol_text_index import (  # noqa: E402
    MIGRATION_PATROL_TEXT_INDEX,
)
from officer_app.store.migration_procedure import MIGRATION_PROCEDURE  # noqa: E402
from officer_app.store.migration_recording_path import MIGRATION_RECORDING_PATH  # noqa: E402
from officer_app.store.migration_recordings import MIGRATION_RECORDINGS  # noqa: E402
from officer_app.store.migration_stats_rollups import MIGRATION_STATS_ROLLUPS  # noqa: E402
from officer_app.store.migration_sync_held import MIGRATION_SYNC_HELD  # noqa: E402
from officer_app.store.migration_witness import MIGRATION_WITNESS  # noqa: E402

#: ``MIGRATIONS[n - 1]`` takes the store from version ``n - 1`` to ``n``.
MIGRATIONS: list[list[str]] = [
    MIGRATION_1_CORE,
    MIGRATION_2_EVIDENCE_INTAKE,
    MIGRATION_3_PATROLS,
    MIGRATION_4_DOCUMENTS,
    MIGRATION_5_MAP,
    MIGRATION_6_SYNC,
    MIGRATION_7_BULLETIN,
    MIGRATION_8_SYNC2,
    MIGRATION_9_FIELD,
    MIGRATION_10_TRANSFER_TIMES,
    MIGRATION_PROCEDURE,
    MIGRATION_LEGAL_BASES,
    MIGRATION_SYNC_HELD,
    MIGRATION_OFFICER_PHONE,
    MIGRATION_RECORDINGS,
    MIGRATION_WITNESS,  # tests/test_custody.py rolls a store back to just before it
    MIGRATION_RECORDING_PATH,
    MIGRATION_STATS_ROLLUPS,  # re-runnable (drops what it makes first): see the test above
    MIGRATION_PATROL_COUNTS,  # re-runnable too
    MIGRATION_PATROL_TEXT_INDEX,  # re-runnable too
]

SCHEMA_VERSION = len(MIGRATIONS)
