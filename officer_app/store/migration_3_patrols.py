"""Migration 3: joint patrols (amendments, jurisdiction changes). Owned by the patrols work.

``version`` is the optimistic-concurrency counter: every write to a patrol bumps it and names the
version it started from, so two windows amending from the same stale copy cannot overwrite each
other silently.  The indexes and the two trigger-kept side tables serve the patrol list, whose filtering and sorting
happen in SQL over up to ~100,000 patrols.
"""

from __future__ import annotations

MIGRATION_3_PATROLS: list[str] = [
    "ALTER TABLE patrols ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    """
    CREATE TABLE patrol_amendments (
        id TEXT PRIMARY KEY,                 -- client-made UUID
        patrol_id TEXT NOT NULL REFERENCES patrols(id),
        officer_id TEXT NOT NULL REFERENCES officers(id),
        at TEXT NOT NULL,                    -- UTC ISO
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        reason TEXT NOT NULL,
        version INTEGER NOT NULL             -- the patrol version this amendment produced
    )
    """,
    "CREATE INDEX patrol_amendments_patrol ON patrol_amendments(patrol_id, at)",
    # The list.  One covering index per sort key: the sort column first, then the columns the
    # equality filters test, so filter + sort is one index walk with no table look-ups.  Each
    # index's full column list (then rowid) is the ORDER BY, which makes the order total.
    "CREATE INDEX patrols_list_start ON patrols(start_utc, status, type, cluster)",
    "CREATE INDEX patrols_list_end ON patrols(end_utc, status, type, cluster, start_utc)",
    "CREATE INDEX patrols_list_type ON patrols(type, start_utc, status, cluster)",
    "CREATE INDEX patrols_list_status ON patrols(status, start_utc, type, cluster)",
    "CREATE INDEX patrols_list_cluster ON patrols(cluster, start_utc, status, type)",
    "CREATE INDEX patrols_list_title ON patrols(title, status, type, cluster, start_utc)",
    # Agency filter: agency → patrol rowid, kept by triggers, so the filter needs no join on
    # the 36-character patrol ids.
    """
    CREATE TABLE patrol_agency_keys (
        agency_code TEXT NOT NULL,
        patrol_key INTEGER NOT NULL,         -- patrols.rowid
        PRIMARY KEY (agency_code, patrol_key)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER patrol_agency_keys_ai AFTER INSERT ON patrol_agencies BEGIN
        INSERT OR IGNORE INTO patrol_agency_keys (agency_code, patrol_key)
        SELECT new.agency_code, rowid FROM patrols WHERE id = new.patrol_id;
    END
    """,
    """
    CREATE TRIGGER patrol_agency_keys_ad AFTER DELETE ON patrol_agencies BEGIN
        DELETE FROM patrol_agency_keys WHERE agency_code = old.agency_code
            AND patrol_key = (SELECT rowid FROM patrols WHERE id = old.patrol_id);
    END
    """,
    """
    INSERT OR IGNORE INTO patrol_agency_keys (agency_code, patrol_key)
    SELECT a.agency_code, p.rowid FROM patrol_agencies a JOIN patrols p ON p.id = a.patrol_id
    """,
    # Free-text filter: one narrow row of lower-cased text per patrol, kept by triggers.
    """
    CREATE TABLE patrol_search (
        patrol_key INTEGER PRIMARY KEY,      -- patrols.rowid
        text TEXT NOT NULL
    )
    """,
    """
    CREATE TRIGGER patrol_search_ai AFTER INSERT ON patrols BEGIN
        INSERT OR REPLACE INTO patrol_search (patrol_key, text) VALUES (new.rowid,
            lower(new.title || ' ' || new.area || ' ' || new.route || ' ' || new.notes
                  || ' ' || new.findings));
    END
    """,
    """
    CREATE TRIGGER patrol_search_au AFTER UPDATE OF title, area, route, notes, findings
    ON patrols BEGIN
        UPDATE patrol_search SET text = lower(new.title || ' ' || new.area || ' ' || new.route
            || ' ' || new.notes || ' ' || new.findings) WHERE patrol_key = new.rowid;
    END
    """,
    """
    CREATE TRIGGER patrol_search_ad AFTER DELETE ON patrols BEGIN
        DELETE FROM patrol_search WHERE patrol_key = old.rowid;
        DELETE FROM patrol_agency_keys WHERE patrol_key = old.rowid;
    END
    """,
    """
    INSERT INTO patrol_search (patrol_key, text)
    SELECT rowid, lower(title || ' ' || area || ' ' || route || ' ' || notes || ' ' || findings)
    FROM patrols
    """,
    "CREATE INDEX patrol_officers_badge ON patrol_officers(agency_code, badge)",
    "CREATE INDEX cases_patrol ON cases(patrol_id)",
    "CREATE INDEX tracks_patrol ON tracks(patrol_id)",
]
