"""Statistics at scale: per-day case counts and per-transfer times read once, kept by triggers.

The 统计 page and the bulletin count a period's cases and transfers. Loading every row into Python
took 3 s for one quarter and 17 s for two years over a million cases; counting in SQL without help
still spent seconds sorting a million rows and reading their ISO times. So:

- ``stats_case_days`` counts the cases that can be counted at all (not a draft, not training) per
  China Standard Time day they were found (``taken_at``, else ``created_at``), recorder, violation
  and jurisdiction. A period's figures are a sum over a few thousand rows. ``day`` is ``''`` when
  SQLite cannot read the time: the service then reads those cases one by one (in Python, with the
  same rule as every other row), so an odd time is counted exactly like before, only slower.
- ``stats_transfers`` holds, for every case transfer that is not training, the CST day and the
  Julian day number of its sending, its receipt (the receiver's accept or return; for a row changed
  by hand, when it stopped being ``sent``) and its feedback, plus the columns of the loader's
  window. ``odd`` marks a row with a time SQLite cannot read: the service reads it in Python.

Both are *derived*: triggers recompute them whenever a case or a transfer is written (migration
10's own triggers update a transfer when a status item or a ledger entry arrives, which fires the
update trigger here). No service writes them. The deadlines are not stored: they depend on the
agreement's rules and the holiday calendar, and are worked out by ``domain/deadlines.py`` for each
day at query time.
"""

from __future__ import annotations


def _rest(x: str) -> str:
    """What follows the fraction of seconds of ISO text ``x`` (its offset)."""
    return f"ltrim(substr({x}, 21), '0123456789')"


def seconds(x: str) -> str:
    """ISO text ``x`` without its fraction of a second. SQLite rounds a fraction to the
    millisecond, so 23:59:59.9999 would be read as the next day; Python (and the rules) cut it."""
    return (
        f"(CASE WHEN substr({x}, 20, 1) = '.' THEN substr({x}, 1, 19) || {_rest(x)} ELSE {x} END)"
    )


def millis(x: str) -> str:
    """ISO text ``x`` cut (not rounded) to the millisecond, the precision of ``julianday``."""
    digits = f"min(3, length({x}) - 20 - length({_rest(x)}))"
    return (
        f"(CASE WHEN substr({x}, 20, 1) = '.' THEN substr({x}, 1, 20) || substr({x}, 21, {digits})"
        f" || {_rest(x)} ELSE {x} END)"
    )


def cst_day(x: str) -> str:
    """The China Standard Time date of ISO text ``x`` (NULL when SQLite cannot read it)."""
    return f"date({seconds(x)}, '+8 hours')"


def found_day(r: str) -> str:
    """The CST day case ``r`` was found, as the statistics date it."""
    return cst_day(f"coalesce({r}.taken_at, {r}.created_at)")


_CASE_DAY = "coalesce({day}, '')"
_COUNTED = "{r}.training = 0 AND {r}.status != 'draft'"


def _case_key(r: str) -> str:
    return (
        f"{_CASE_DAY.format(day=found_day(r))}, coalesce({r}.created_by, ''),"
        f" coalesce({r}.violation_code, ''), coalesce({r}.jurisdiction_code, '')"
    )


def _case_add(r: str) -> str:
    return (
        "INSERT INTO stats_case_days (day, recorder, violation_code, jurisdiction_code, n)"
        f" VALUES ({_case_key(r)}, 1)"
        " ON CONFLICT (day, recorder, violation_code, jurisdiction_code) DO UPDATE SET n = n + 1;"
    )


def _case_remove(r: str) -> str:
    return (
        "UPDATE stats_case_days SET n = n - 1"
        f" WHERE (day, recorder, violation_code, jurisdiction_code) = ({_case_key(r)});"
    )


_CASE_COLUMNS = (
    "taken_at, created_at, training, status, created_by, violation_code, jurisdiction_code"
)

# The loader's effective receipt and feedback times (services.stats.load_local_rows): a row
# changed by hand or by an older sync has no recorded moment, its last change stands for it.
_RECEIPT = (
    "(CASE WHEN t.receipt_at IS NULL AND t.status IS NOT 'sent' THEN t.updated_at"
    " ELSE t.receipt_at END)"
)
_FEEDBACK = (
    "(CASE WHEN t.feedback_at IS NULL AND t.status IS 'feedback_sent' THEN t.updated_at"
    " ELSE t.feedback_at END)"
)


def _odd(text: str) -> str:
    return f"(nullif({text}, '') IS NOT NULL AND julianday({millis(text)}) IS NULL)"


def _times(text: str) -> str:
    return f"{cst_day(text)}, julianday({millis(text)})"


def _transfer_refresh(ref: str) -> str:
    """Recompute the row of transfer ``ref`` (dropped when it is training or not a case)."""
    return (
        f"DELETE FROM stats_transfers WHERE id = {ref};"
        " INSERT INTO stats_transfers (id, direction, other_agency, status, created_at,"
        " updated_at, sent_day, sent_jd, receipt_day, receipt_jd, feedback_day, feedback_jd, odd)"
        " SELECT t.id, t.direction, t.other_agency, t.status, t.created_at, t.updated_at,"
        f" {_times('t.sent_at')}, {_times(_RECEIPT)}, {_times(_FEEDBACK)},"
        f" {_odd('t.sent_at')} OR {_odd(_RECEIPT)} OR {_odd(_FEEDBACK)}"
        f" FROM transfers t WHERE t.id = {ref} AND t.training = 0 AND t.kind = 'case';"
    )


_DERIVED = (
    ("TRIGGER", "stats_case_days_ai"),
    ("TRIGGER", "stats_case_days_ad"),
    ("TRIGGER", "stats_case_days_au_old"),
    ("TRIGGER", "stats_case_days_au_new"),
    ("TRIGGER", "stats_transfers_ai"),
    ("TRIGGER", "stats_transfers_au"),
    ("TRIGGER", "stats_transfers_ad"),
    ("TABLE", "stats_case_days"),
    ("TABLE", "stats_transfers"),
)

#: Derived data only, so the migration starts by dropping whatever it makes: running it again
#: (a store rolled back to an earlier version, as tests/test_custody.py does) rebuilds the same.
MIGRATION_STATS_ROLLUPS: list[str] = [
    *(f"DROP {kind} IF EXISTS {name}" for kind, name in _DERIVED),
    """
    CREATE TABLE stats_case_days (
        day TEXT NOT NULL,                   -- CST date found; '' when unreadable
        recorder TEXT NOT NULL,              -- cases.created_by
        violation_code TEXT NOT NULL,        -- '' for none
        jurisdiction_code TEXT NOT NULL,     -- '' for none
        n INTEGER NOT NULL,
        PRIMARY KEY (day, recorder, violation_code, jurisdiction_code)
    ) WITHOUT ROWID
    """,
    "INSERT INTO stats_case_days (day, recorder, violation_code, jurisdiction_code, n)"
    f" SELECT {_case_key('c')}, count(*) FROM cases c WHERE {_COUNTED.format(r='c')}"
    " GROUP BY 1, 2, 3, 4",
    f"""
    CREATE TRIGGER stats_case_days_ai AFTER INSERT ON cases
    WHEN {_COUNTED.format(r="NEW")} BEGIN
        {_case_add("NEW")}
    END
    """,
    f"""
    CREATE TRIGGER stats_case_days_ad AFTER DELETE ON cases
    WHEN {_COUNTED.format(r="OLD")} BEGIN
        {_case_remove("OLD")}
    END
    """,
    f"""
    CREATE TRIGGER stats_case_days_au_old AFTER UPDATE OF {_CASE_COLUMNS} ON cases
    WHEN {_COUNTED.format(r="OLD")} BEGIN
        {_case_remove("OLD")}
    END
    """,
    f"""
    CREATE TRIGGER stats_case_days_au_new AFTER UPDATE OF {_CASE_COLUMNS} ON cases
    WHEN {_COUNTED.format(r="NEW")} BEGIN
        {_case_add("NEW")}
    END
    """,
    """
    CREATE TABLE stats_transfers (
        id TEXT PRIMARY KEY,                 -- transfers.id (kind 'case', not training)
        direction TEXT,
        other_agency TEXT,
        status TEXT,
        created_at TEXT,
        updated_at TEXT,
        sent_day TEXT,                       -- CST dates
        sent_jd REAL,                        -- julianday(): exact to the millisecond
        receipt_day TEXT,
        receipt_jd REAL,
        feedback_day TEXT,
        feedback_jd REAL,
        odd INTEGER NOT NULL                 -- a time SQLite cannot read: counted in Python
    ) WITHOUT ROWID
    """,
    "INSERT INTO stats_transfers (id, direction, other_agency, status, created_at, updated_at,"
    " sent_day, sent_jd, receipt_day, receipt_jd, feedback_day, feedback_jd, odd)"
    " SELECT t.id, t.direction, t.other_agency, t.status, t.created_at, t.updated_at,"
    f" {_times('t.sent_at')}, {_times(_RECEIPT)}, {_times(_FEEDBACK)},"
    f" {_odd('t.sent_at')} OR {_odd(_RECEIPT)} OR {_odd(_FEEDBACK)}"
    " FROM transfers t WHERE t.training = 0 AND t.kind = 'case'",
    "CREATE INDEX stats_transfers_odd ON stats_transfers(odd) WHERE odd",
    f"""
    CREATE TRIGGER stats_transfers_ai AFTER INSERT ON transfers BEGIN
        {_transfer_refresh("NEW.id")}
    END
    """,
    f"""
    CREATE TRIGGER stats_transfers_au AFTER UPDATE ON transfers BEGIN
        {_transfer_refresh("NEW.id")}
        DELETE FROM stats_transfers WHERE OLD.id IS NOT NEW.id AND id = OLD.id;
    END
    """,
    """
    CREATE TRIGGER stats_transfers_ad AFTER DELETE ON transfers BEGIN
        DELETE FROM stats_transfers WHERE id = OLD.id;
    END
    """,
]
