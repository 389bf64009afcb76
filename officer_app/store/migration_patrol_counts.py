"""The 巡查 list over a million patrols: how many patrols each single filter matches, kept by
triggers.

The list shows how many patrols match its filter. For one filter alone (a status, a type, a
cluster, an agency) that count walked a third of a million index entries, 100 ms to a second;
here it is one row. ``dim`` is ``status`` / ``type`` / ``cluster`` / ``agency`` / ``all`` (value
``''``). Derived only: the migration drops what it makes first, so running it again (a store
rolled back to an earlier version) rebuilds the same.
"""

from __future__ import annotations

_DIMS = ("status", "type", "cluster")


def _bump(row: str, sign: str) -> str:
    values = ", ".join(f"('{dim}', coalesce({row}.{dim}, ''))" for dim in _DIMS)
    return (
        "INSERT INTO patrol_counts (dim, value, n)"
        f" SELECT column1, column2, {sign}1 FROM (VALUES ('all', ''), {values}) WHERE 1"
        f" ON CONFLICT (dim, value) DO UPDATE SET n = n {sign} 1;"
    )


_DERIVED = (
    ("TRIGGER", "patrol_counts_ai"),
    ("TRIGGER", "patrol_counts_ad"),
    ("TRIGGER", "patrol_counts_au"),
    ("TRIGGER", "patrol_counts_agency_ai"),
    ("TRIGGER", "patrol_counts_agency_ad"),
    ("TABLE", "patrol_counts"),
)

MIGRATION_PATROL_COUNTS: list[str] = [
    *(f"DROP {kind} IF EXISTS {name}" for kind, name in _DERIVED),
    """
    CREATE TABLE patrol_counts (
        dim TEXT NOT NULL,                   -- all / status / type / cluster / agency
        value TEXT NOT NULL,                 -- '' for none
        n INTEGER NOT NULL,
        PRIMARY KEY (dim, value)
    ) WITHOUT ROWID
    """,
    "INSERT INTO patrol_counts (dim, value, n) SELECT 'all', '', count(*) FROM patrols",
    *(
        f"INSERT INTO patrol_counts (dim, value, n) SELECT '{dim}', coalesce({dim}, ''), count(*)"
        f" FROM patrols GROUP BY 2"
        for dim in _DIMS
    ),
    "INSERT INTO patrol_counts (dim, value, n)"
    " SELECT 'agency', agency_code, count(*) FROM patrol_agency_keys GROUP BY 2",
    f"""
    CREATE TRIGGER patrol_counts_ai AFTER INSERT ON patrols BEGIN
        {_bump("NEW", "+")}
    END
    """,
    f"""
    CREATE TRIGGER patrol_counts_ad AFTER DELETE ON patrols BEGIN
        {_bump("OLD", "-")}
    END
    """,
    f"""
    CREATE TRIGGER patrol_counts_au AFTER UPDATE OF {", ".join(_DIMS)} ON patrols BEGIN
        {_bump("OLD", "-")}
        {_bump("NEW", "+")}
    END
    """,
    # patrol_agency_keys is itself kept by migration 3's triggers (one row per agency and patrol).
    """
    CREATE TRIGGER patrol_counts_agency_ai AFTER INSERT ON patrol_agency_keys BEGIN
        INSERT INTO patrol_counts (dim, value, n) VALUES ('agency', NEW.agency_code, 1)
        ON CONFLICT (dim, value) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER patrol_counts_agency_ad AFTER DELETE ON patrol_agency_keys BEGIN
        UPDATE patrol_counts SET n = n - 1 WHERE dim = 'agency' AND value = OLD.agency_code;
    END
    """,
]
