"""Migration: the legal basis of each violation type per province (issue 14, legal basis by place).

``violation_types`` keeps one row per type with its province-independent (national) basis, so
readers that join it for the type's name, or print its old basis columns, keep working. The basis a
case prints comes from ``legal_bases``: one row per citation, national ones under province
``000000``, each with its instrument's title, scope (a city code for a municipal regulation) and
edition, the fine ranges the text gives per unit and per person, and whether the article text was
read (``confirmed``) and where. ``legal_cooperation`` holds, per 示范区 place, the province's own
version of the decision the three provinces each adopted.

The catalogue is reloaded after this migration even if the file did not change: forgetting its
recorded hash makes the next open load the new tables.
"""

from __future__ import annotations

MIGRATION_LEGAL_BASES: list[str] = [
    """
    CREATE TABLE legal_bases (
        violation_code TEXT NOT NULL REFERENCES violation_types(code),
        province TEXT NOT NULL,              -- GB/T 2260 province code; 000000 = national
        seq INTEGER NOT NULL,                -- order within the type and province
        role TEXT NOT NULL CHECK (role IN ('obligation', 'penalty')),
        instrument TEXT NOT NULL,            -- key in the catalogue's instruments table
        title TEXT NOT NULL,                 -- 《…》 with its 令号
        scope TEXT NOT NULL,                 -- 000000, the province, or a city (320500)
        article TEXT NOT NULL DEFAULT '',    -- 第一百一十一条
        item TEXT NOT NULL DEFAULT '',       -- 第一款第四项
        edition TEXT NOT NULL,               -- the instrument's revision / effective date
        effective TEXT NOT NULL DEFAULT '',  -- ISO date, when known
        fine TEXT NOT NULL DEFAULT '{}',     -- JSON {unit:[min,max], person:[..], any:[..], party, text}
        confirmed INTEGER NOT NULL DEFAULT 0,
        read_in TEXT NOT NULL DEFAULT '',    -- where the article text was read
        note TEXT NOT NULL DEFAULT '',
        catalogue_edition TEXT NOT NULL,
        PRIMARY KEY (violation_code, province, seq)
    )
    """,
    """
    CREATE TABLE legal_cooperation (
        place_code TEXT PRIMARY KEY,         -- a 示范区 county (310118, 320509, 330421)
        province TEXT NOT NULL,
        title TEXT NOT NULL,
        edition TEXT NOT NULL,
        catalogue_edition TEXT NOT NULL
    )
    """,
    "DELETE FROM code_tables WHERE name = 'violation_types'",
]
