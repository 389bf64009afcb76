"""The 巡查 list's free text over a million patrols: a trigram index over ``patrol_search``.

The free-text filter scanned every patrol's text with ``instr`` (200–550 ms over a million rows)
for each new term.  An FTS5 ``trigram`` index answers a term of 3 or more characters as a phrase
of its trigrams, which is exactly a substring test (``case_sensitive 1``: the text and the term
are already lower-cased, so nothing is folded twice).  A term of 1–2 characters has no trigram
of its own; ``patrol_search_terms`` (fts5vocab) lists the indexed trigrams that start with it,
and an OR of those finds it.  Every position of the text starts a trigram because the indexed
text is padded with two U+0001 sentinels, so a term at the very end is found too (a term holding
U+0001 is answered by the scan instead: see ``patrol_text``).

External content (``patrol_search`` holds the text once), kept by SQL triggers on
``patrol_search``.  The index holds ``text || char(1, 1)``, so each trigger that removes a row
gives FTS5 the same padded text back.  Derived only: dropped first, so running the migration again
(a store rolled back to an earlier version) rebuilds the same.
"""

from __future__ import annotations

_PADDED_NEW = "new.text || char(1, 1)"
_PADDED_OLD = "old.text || char(1, 1)"

MIGRATION_PATROL_TEXT_INDEX: list[str] = [
    "DROP TRIGGER IF EXISTS patrol_search_fts_ai",
    "DROP TRIGGER IF EXISTS patrol_search_fts_ad",
    "DROP TRIGGER IF EXISTS patrol_search_fts_au",
    "DROP TABLE IF EXISTS patrol_search_terms",
    "DROP TABLE IF EXISTS patrol_search_fts",
    """
    CREATE VIRTUAL TABLE patrol_search_fts USING fts5(
        text, content='patrol_search', content_rowid='patrol_key',
        tokenize='trigram case_sensitive 1'
    )
    """,
    "CREATE VIRTUAL TABLE patrol_search_terms USING fts5vocab(patrol_search_fts, 'row')",
    f"""
    CREATE TRIGGER patrol_search_fts_ai AFTER INSERT ON patrol_search BEGIN
        INSERT INTO patrol_search_fts (rowid, text) VALUES (new.patrol_key, {_PADDED_NEW});
    END
    """,
    f"""
    CREATE TRIGGER patrol_search_fts_ad AFTER DELETE ON patrol_search BEGIN
        INSERT INTO patrol_search_fts (patrol_search_fts, rowid, text)
        VALUES ('delete', old.patrol_key, {_PADDED_OLD});
    END
    """,
    f"""
    CREATE TRIGGER patrol_search_fts_au AFTER UPDATE ON patrol_search BEGIN
        INSERT INTO patrol_search_fts (patrol_search_fts, rowid, text)
        VALUES ('delete', old.patrol_key, {_PADDED_OLD});
        INSERT INTO patrol_search_fts (rowid, text) VALUES (new.patrol_key, {_PADDED_NEW});
    END
    """,
    "INSERT INTO patrol_search_fts (rowid, text)"
    " SELECT patrol_key, text || char(1, 1) FROM patrol_search",
]
