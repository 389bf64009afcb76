"""The trigram index answers the free-text filter exactly as the ``instr`` scan it replaces.

Every substring (1, 2, 3 and 5 characters) of every stored text is searched both ways, over
patrols built for the edges: a term at the start and end of each field, across the ' ' between
fields, Latin in any case, and FTS5 syntax characters (``"`` ``*`` ``-`` ``(`` ``^`` ``:`` OR,
NEAR) that must be taken literally.  Then a store from before the migration, with data, is
upgraded and searched.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from officer_app.services import patrol_query as q
from officer_app.services import patrols
from officer_app.services.context import AppContext
from officer_app.store.migration_patrol_text_index import MIGRATION_PATROL_TEXT_INDEX
from officer_app.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.test_patrol_text_search import draft

EDGES: tuple[dict[str, str], ...] = (
    {
        "title": "元荡",
        "area": "河道",
        "route": "Ferry DOCK",
        "notes": 'a"b*c-(d)',
        "findings": "末尾元",
    },
    {"title": "x", "area": "", "route": "", "notes": "", "findings": "元荡"},
    {"title": "NEAR(a b)", "area": "x OR y", "route": "^start", "notes": "end*", "findings": '"q"'},
    {
        "title": "河道元荡河",
        "area": "荡",
        "route": "道 河",
        "notes": "DoCk",
        "findings": "淀山湖周边",
    },
    {"title": "元", "area": "a", "route": "-", "notes": "(", "findings": ":"},
)
EXTRA_TERMS = (
    '"',
    "*",
    "-",
    "(",
    ")",
    '"*',
    'a"b',
    "or",
    "near(",
    "^",
    ":",
    "x or y",
    "元荡河",
    "Dock",
    "DOCK",
    "荡 河",
    "道 河",
    "边 ",
    "不存在",
    "zz",
    "元荡元荡元荡",
)


def _scan(ctx: AppContext, term: str) -> tuple[set[int], int]:
    keys, n = ctx.store.conn.execute(
        "SELECT json_group_array(patrol_key), COUNT(*) FROM patrol_search WHERE instr(text, ?)",
        [term],
    ).fetchone()
    return set(json.loads(keys)), int(n)


def _indexed(ctx: AppContext, term: str) -> tuple[set[int], int]:
    keys, n = ctx.store.conn.execute(*q._text_query(ctx.store.conn, term)).fetchone()
    return set(json.loads(keys)), int(n)


def _terms(ctx: AppContext) -> set[str]:
    out = {t.strip().lower() for t in EXTRA_TERMS}
    for (text,) in ctx.store.conn.execute("SELECT text FROM patrol_search"):
        for size in (1, 2, 3, 5):
            out.update(text[i : i + size] for i in range(len(text) - size + 1))
    return {t.strip() for t in out if t.strip()}


def _create(ctx: AppContext) -> None:
    for fields in EDGES:
        patrols.create_patrol(ctx, draft(**fields))


def test_index_gives_exactly_the_scan_for_every_term(officer_ctx: AppContext) -> None:
    _create(officer_ctx)
    terms = _terms(officer_ctx)
    assert len(terms) > 150
    for term in terms:
        sql, _params = q._text_query(officer_ctx.store.conn, term)
        assert "instr" not in sql, term  # the index answers every one of these
        assert _indexed(officer_ctx, term) == _scan(officer_ctx, term), term
        keys, n = q._text_hits(officer_ctx, term)
        assert n == _scan(officer_ctx, term)[1], term
        # a handful of patrols: every term found is common, walked rather than gathered
        assert keys is None if n else keys == "[]", term


def test_index_follows_edits_and_deletes(officer_ctx: AppContext) -> None:
    _create(officer_ctx)
    conn = officer_ctx.store.conn
    with officer_ctx.store.transaction():
        conn.execute("UPDATE patrols SET title = '汾湖码头', findings = '' WHERE title = '元荡'")
        conn.execute("UPDATE patrols SET notes = 'dock 元荡' WHERE title = 'x'")
    for term in _terms(officer_ctx) | {"元荡", "末尾", "汾湖码", "码头"}:
        assert _indexed(officer_ctx, term) == _scan(officer_ctx, term), term
    assert (
        conn.execute(
            "INSERT INTO patrol_search_fts (patrol_search_fts) VALUES ('integrity-check')"
        ).fetchall()
        == []
    )


def test_a_term_holding_the_padding_character_is_scanned(officer_ctx: AppContext) -> None:
    _create(officer_ctx)
    sql, _params = q._text_query(officer_ctx.store.conn, "荡\x01")
    assert "instr" in sql
    assert _indexed(officer_ctx, "荡\x01") == (set(), 0)


def test_an_existing_store_is_upgraded_with_its_data(tmp_path: Path) -> None:
    from officer_app.services.officers import add_or_select_officer

    with AppContext.open(tmp_path) as ctx:
        add_or_select_officer(ctx, "张伟", "31011800123", "310118")
        _create(ctx)
        expected = {term: _scan(ctx, term) for term in _terms(ctx)}
        path = ctx.store.path
    raw = sqlite3.connect(path)  # back to the schema before the migration, data kept
    drops = [s for s in MIGRATION_PATROL_TEXT_INDEX if s.startswith("DROP")]
    assert len(drops) == 5
    for statement in drops:
        raw.execute(statement)
    raw.execute(f"PRAGMA user_version = {MIGRATIONS.index(MIGRATION_PATROL_TEXT_INDEX)}")
    raw.commit()
    raw.close()
    with AppContext.open(tmp_path) as ctx:
        assert ctx.store.schema_version == SCHEMA_VERSION
        for term, hits in expected.items():
            sql, _params = q._text_query(ctx.store.conn, term)
            assert "instr" not in sql, term
            assert _indexed(ctx, term) == hits, term
