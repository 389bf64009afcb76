"""Reading patrols back for the list (GUI model, ``patrol list``) and the detail pane.

The list's model holds row keys only and asks for rows a page at a time, so every filter and sort
is done here in SQL, on indexes from migration 3.  Keys are SQLite rowids: integers are cheaper to
fetch and hold by the 100,000 than UUID text, and they are stable for the life of a row.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from officer_app.services.context import AppContext
from officer_app.store.db import translate_errors

log = logging.getLogger(__name__)

#: Sort key → ORDER BY columns: exactly the columns of that key's covering index from migration 3
#: (then rowid), so SQLite walks the index instead of sorting, and the order is total.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "start": ("p.start_utc", "p.status", "p.type", "p.cluster"),
    "end": ("p.end_utc", "p.status", "p.type", "p.cluster", "p.start_utc"),
    "type": ("p.type", "p.start_utc", "p.status", "p.cluster"),
    "status": ("p.status", "p.start_utc", "p.type", "p.cluster"),
    "cluster": ("p.cluster", "p.start_utc", "p.status", "p.type"),
    "title": ("p.title", "p.status", "p.type", "p.cluster", "p.start_utc"),
}
#: Sort keys whose index does not lead with (or follow an equality with) start_utc: a date range
#: is then tested while walking that index rather than used to pick another index and sort.
_DATE_AS_TEST = ("end", "title")


@dataclass(frozen=True)
class PatrolFilter:
    date_from: str | None = None  # UTC ISO (to_utc_iso form), inclusive, on the patrol's start
    date_to: str | None = None  # UTC ISO, exclusive
    cluster: str | None = None
    patrol_type: str | None = None
    agency: str | None = None
    status: str | None = None
    text: str | None = None  # substring of title, area, route, notes or findings (ASCII: any case)


#: Per connection (by id, holding the connection so the id cannot be reused): the last free-text
#: term, the data version it was looked up at, its matching keys as a JSON array (None: too
#: common to gather), how many match and whether that number is exact (else a lower bound).
_TEXT_HITS: dict[int, tuple[sqlite3.Connection, str, tuple[int, int], str | None, int, bool]] = {}
_TEXT_HITS_MAX = 8


def _term(flt: PatrolFilter) -> str | None:
    if flt.text and flt.text.strip():
        return flt.text.strip().lower()
    return None


#: A 1–2 character term is looked up as an OR of the indexed trigrams starting with it; past this
#: many trigrams (a rare letter in many words) the plain scan is as quick and simpler.
_MAX_PREFIX_TRIGRAMS = 400


def _fts_string(text: str) -> str:
    """``text`` as one FTS5 string: every character literal, ``"`` doubled."""
    return '"' + text.replace('"', '""') + '"'


def _text_query(
    conn: sqlite3.Connection, term: str, *, keys: bool = True, limit: int | None = None
) -> tuple[str, list[Any]]:
    """SQL giving (JSON array of keys, count) of the patrols whose search text holds ``term``
    (``keys`` False: NULL instead of the keys from the index, which is then cheaper; ``limit``:
    stop after that many, so a common term costs what a rare one does).

    Uses the trigram index of migration patrol_text_index (exact substring semantics, see
    there); falls back to the ``instr`` scan only where the index cannot answer exactly: a term
    holding the index's U+0001 padding, or a short term starting too many trigrams.
    """
    window = "" if limit is None else " LIMIT ?"
    tail: list[Any] = [] if limit is None else [limit]
    scan = (
        "SELECT json_group_array(k), COUNT(*) FROM"
        f" (SELECT patrol_key AS k FROM patrol_search WHERE instr(text, ?){window})"
    )
    indexed = (
        f"SELECT {'json_group_array(k)' if keys else 'NULL'}, COUNT(*) FROM (SELECT rowid AS k"
        f" FROM patrol_search_fts WHERE patrol_search_fts MATCH ?{window})"
    )
    if "\x01" in term:
        return scan, [term, *tail]
    if len(term) >= 3:
        return indexed, [_fts_string(term), *tail]
    trigrams = [
        row[0]
        for row in conn.execute(
            "SELECT term FROM patrol_search_terms WHERE term >= ? AND term < ? LIMIT ?",
            [term, term + "\U0010ffff", _MAX_PREFIX_TRIGRAMS + 1],
        )
    ]
    if len(trigrams) > _MAX_PREFIX_TRIGRAMS:
        return scan, [term, *tail]
    if not trigrams:
        return "SELECT json_array(), 0 WHERE ?", ["1"]
    return indexed, [" OR ".join(_fts_string(t) for t in trigrams if t.startswith(term)), *tail]


def _fts_match(conn: sqlite3.Connection, term: str) -> str | None:
    """The trigram index's MATCH expression finding exactly the texts holding ``term``, or
    ``None`` where :func:`_text_query` does not use the index (the scan, or no trigram at all)."""
    sql, params = _text_query(conn, term)
    return str(params[0]) if "patrol_search_fts" in sql else None


def _text_hits(ctx: AppContext, term: str, *, exact: bool = True) -> tuple[str | None, int]:
    """Keys whose search text contains ``term`` (JSON array) and how many.

    The keys are None for a term too common to gather as a set (see ``_WALK_SHARE``): it is
    then tested on each row walked, and listing its quarter of a million keys would cost more
    than the index lookup itself.  ``exact`` False: for such a common term the count may be a
    lower bound; the lookup then stops as soon as the term is known to be common.  Counting a
    common term in full costs 30 ms on the trigram index at a million patrols, which a filter
    combining the text with others never needs: it walks the text either way and counts the
    rows the walk keeps.

    Finding the keys is the costly part of a free-text filter, and an interaction needs it
    twice: for the batch of keys and for the count.  So the result is kept for the connection
    until the data changes: ``data_version`` moves when another connection commits,
    ``total_changes`` when this one writes (including writes later rolled back, which only
    costs a rescan).  Nothing is kept from inside an open transaction, whose uncommitted writes
    a rollback could take back; and nothing is written, so the cache never opens a transaction
    of its own.
    """
    conn = ctx.store.conn
    token = (int(ctx.store.scalar("PRAGMA data_version")), conn.total_changes)
    found = _TEXT_HITS.get(id(conn))
    # The keys are left out only while the term counts as common.
    if (
        found is not None
        and found[0] is conn
        and found[1] == term
        and found[2] == token
        and (found[3] is not None or (_common(ctx, found[4]) and (found[5] or not exact)))
    ):
        return found[3], found[4]
    with translate_errors():
        if exact:
            keys, n = conn.execute(*_text_query(conn, term, keys=False)).fetchone()
            if keys is None and not _common(ctx, int(n)):
                keys = conn.execute(*_text_query(conn, term)).fetchone()[0]
        else:
            # One more than the most a gathered term may match: fewer found is every key.
            limit = int(_WALK_SHARE * _single_count(ctx, "all", "")) + 1
            keys, n = conn.execute(*_text_query(conn, term, limit=limit)).fetchone()
            if _common(ctx, int(n)):
                keys = None
            exact = keys is not None
    if not conn.in_transaction:
        _TEXT_HITS.pop(id(conn), None)
        while len(_TEXT_HITS) >= _TEXT_HITS_MAX:
            del _TEXT_HITS[next(iter(_TEXT_HITS))]
        _TEXT_HITS[id(conn)] = (conn, term, token, keys, int(n), exact)
    return keys, int(n)


#: A filter matching more than this share of all patrols is tested row by row while walking the
#: sort index (a batch of 1,000 is found within 50,000 rows); a rarer one is gathered as a set of
#: keys first (at most 2 % of the patrols), which costs in proportion to how many match.
_WALK_SHARE = 0.02


def _single_count(ctx: AppContext, dim: str, value: str) -> int:
    """Patrols matching one filter alone (kept by triggers: migration patrol_counts)."""
    n = ctx.store.scalar("SELECT n FROM patrol_counts WHERE dim = ? AND value = ?", [dim, value])
    return int(n or 0)


def _common(ctx: AppContext, n: int) -> bool:
    return n > _WALK_SHARE * max(1, _single_count(ctx, "all", ""))


def _where(
    flt: PatrolFilter,
    sort: str | None = "start",
    text_keys: str | None = None,
    *,
    walk_agency: bool = False,
    walk_text: bool = False,
) -> tuple[str, list[Any]]:
    """``sort`` None: for counting, where SQLite may drive from the agency set.  ``text_keys``:
    the JSON array of keys matching ``flt.text`` (from :func:`_text_hits`).  ``walk_agency`` /
    ``walk_text``: test that filter on each row walked instead of gathering its set first (for a
    filter that matches many patrols, see ``_WALK_SHARE``)."""
    clauses: list[str] = []
    # "+p.rowid": when listing in order, test membership while walking the sort index (a batch
    # stops early); when counting, let the planner start from the set instead.
    member = "p.rowid" if sort is None else "+p.rowid"
    params: list[Any] = []
    start = "+p.start_utc" if sort in _DATE_AS_TEST else "p.start_utc"
    if flt.date_from:
        clauses.append(f"{start} >= ?")
        params.append(flt.date_from)
    if flt.date_to:
        clauses.append(f"{start} < ?")
        params.append(flt.date_to)
    for column, value in (
        ("cluster", flt.cluster),
        ("type", flt.patrol_type),
        ("status", flt.status),
    ):
        if value:
            clauses.append(f"p.{column} = ?")
            params.append(value)
    if flt.agency and walk_agency:
        clauses.append(
            "EXISTS (SELECT 1 FROM patrol_agency_keys a"
            " WHERE a.agency_code = ? AND a.patrol_key = p.rowid)"
        )
        params.append(flt.agency)
    elif flt.agency:
        clauses.append(
            f"{member} IN (SELECT patrol_key FROM patrol_agency_keys WHERE agency_code = ?)"
        )
        params.append(flt.agency)
    term = _term(flt)
    if term is not None and walk_text:
        clauses.append(
            "EXISTS (SELECT 1 FROM patrol_search s WHERE s.patrol_key = p.rowid"
            " AND instr(s.text, ?))"
        )
        params.append(term)
    elif term is not None:
        # Always tested, never driven from: walking 27,000 keys of a common term one row at a
        # time is slower than testing a set while walking an index, even for the count.
        clauses.append("+p.rowid IN (SELECT value FROM json_each(?))")
        params.append(text_keys)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


#: Other filters keeping at most this many patrols are joined with a common term once per
#: interaction (see :func:`_joined`); past it the batch walks the text and stops early.
_JOIN_OTHERS_MAX = 20_000

#: Per connection: the last filter joined by :func:`_joined`, the data version, and the JSON keys
#: and count of the patrols it keeps (None: its other filters keep too many to join).
_JOINED: dict[int, tuple[sqlite3.Connection, PatrolFilter, tuple[int, int], str | None, int]] = {}


def _joined_at_hand(ctx: AppContext, flt: PatrolFilter) -> tuple[str, int] | None:
    """:func:`_joined`'s kept answer for ``flt`` at this data version, without walking."""
    conn = ctx.store.conn
    token = (int(ctx.store.scalar("PRAGMA data_version")), conn.total_changes)
    found = _JOINED.get(id(conn))
    if found is None or found[0] is not conn or found[1] != flt or found[2] != token:
        return None
    return None if found[3] is None else (found[3], found[4])


def _joined(ctx: AppContext, flt: PatrolFilter) -> tuple[str, int] | None:
    """Keys and count of a common term together with the other filters, when those keep few.

    The count would otherwise test the text on every row the other filters keep, and so does
    this walk: 13,000 look-ups of the search text, 35 ms at a million patrols with a year, a
    cluster and a status chosen.  So it runs for the count (:func:`count`, off the GUI thread),
    while a batch walks the sort index and stops once it has its rows, using the join only when
    it is at hand (:func:`_joined_at_hand`).  Kept like :func:`_text_hits`, for the same reasons.
    """
    conn = ctx.store.conn
    token = (int(ctx.store.scalar("PRAGMA data_version")), conn.total_changes)
    found = _JOINED.get(id(conn))
    if found is not None and found[0] is conn and found[1] == flt and found[2] == token:
        return None if found[3] is None else (found[3], found[4])
    # The other filters' rows, capped, each with whether its text holds the term: past the cap
    # the work is dropped (the batch walks instead), so the cap bounds what a broad filter wastes.
    where, params = _where(replace(flt, text=None), sort=None)
    with translate_errors():
        keys, n, kept = conn.execute(
            "SELECT json_group_array(k) FILTER (WHERE hit), TOTAL(hit), COUNT(*) FROM"
            " (SELECT p.rowid AS k, EXISTS (SELECT 1 FROM patrol_search s"
            f" WHERE s.patrol_key = p.rowid AND instr(s.text, ?)) AS hit FROM patrols p {where}"
            " LIMIT ?)",
            [_term(flt), *params, _JOIN_OTHERS_MAX + 1],
        ).fetchone()
    if int(kept) > _JOIN_OTHERS_MAX:
        keys, n = None, 0
    if not conn.in_transaction:
        _JOINED.pop(id(conn), None)
        while len(_JOINED) >= _TEXT_HITS_MAX:
            del _JOINED[next(iter(_JOINED))]
        _JOINED[id(conn)] = (conn, flt, token, keys, int(n))
    return None if keys is None else (keys, int(n))


def _others_keep_too_many(ctx: AppContext, flt: PatrolFilter) -> bool:
    """Whether the filters besides the text are one kept count above :data:`_JOIN_OTHERS_MAX`
    (status closed: a third of the patrols), known without the capped walk :func:`_joined`
    would waste on finding it out (25 ms of a first run at a million patrols)."""
    if flt.date_from or flt.date_to:
        return False
    others = _kept_dims(flt)
    return len(others) == 1 and _single_count(ctx, *others[0]) > _JOIN_OTHERS_MAX


def _kept_dims(flt: PatrolFilter) -> list[tuple[str, str]]:
    """The chosen filters that ``patrol_counts`` keeps a count for, as (dim, value)."""
    chosen = (
        ("status", flt.status),
        ("type", flt.patrol_type),
        ("cluster", flt.cluster),
        ("agency", flt.agency),
    )
    return [(dim, value) for dim, value in chosen if value]


def _plan(
    ctx: AppContext, flt: PatrolFilter, *, join: bool = True
) -> tuple[str | None, dict[str, bool], int | None]:
    """The text hits (JSON keys, when gathered as a set), which filters to walk, and the count
    when finding the keys already gave it. ``join`` False: a common term with other filters is
    walked (the batch stops early) unless their join is already at hand; the join's walk of
    every row the others keep is for the count, off the GUI thread."""
    walk = {"walk_agency": False, "walk_text": False}
    if flt.agency:
        walk["walk_agency"] = _common(ctx, _single_count(ctx, "agency", flt.agency))
    term = _term(flt)
    if term is None:
        return None, walk, None
    # A bounded lookup even for the text alone: a common term's full count (50 ms for a
    # two-character one at a million patrols) is for count(), which the list runs off the GUI
    # thread when quick_count() cannot answer.
    alone = flt == PatrolFilter(text=flt.text)
    keys, n = _text_hits(ctx, term, exact=False)
    walk["walk_text"] = _common(ctx, n)
    if walk["walk_text"] and not alone and not _others_keep_too_many(ctx, flt):
        joined = _joined(ctx, flt) if join else _joined_at_hand(ctx, flt)
        if joined is not None:
            walk["walk_text"] = False  # the joined keys are a subset of the text's: exact
            return joined[0], walk, joined[1]
    return (None if walk["walk_text"] else keys), walk, None


def patrol_keys(
    ctx: AppContext,
    flt: PatrolFilter,
    *,
    sort: str = "start",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
    after: int | None = None,
) -> list[int]:
    """Row keys of the matching patrols in display order (``limit``/``offset``: one batch;
    ``after``: the batch that follows that key, found without walking the rows before it)."""
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}")
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{column} {direction}" for column in (*SORT_KEYS[sort], "p.rowid"))
    keys, walk, _n = _plan(ctx, flt, join=False)
    where, params = _where(flt, sort, keys, **walk)
    if after is not None and limit is not None:
        found = _keys_after(ctx, (where, params), sort, descending, after, limit)
        if found is not None:
            return found
    # One JSON array instead of 100,000 Python row tuples: about twice as fast to fetch.
    window = ""
    if limit is not None:
        window = " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    text = ctx.store.scalar(
        f"SELECT json_group_array(k) FROM (SELECT p.rowid AS k FROM patrols p {where}"
        f" ORDER BY {order}{window})",
        params,
    )
    return list(json.loads(text))


def _keys_after(
    ctx: AppContext,
    filtered: tuple[str, list[Any]],
    sort: str,
    descending: bool,
    after: int,
    limit: int,
) -> list[int] | None:
    """The ``limit`` keys that follow ``after`` in the sort order (keyset paging).

    ``OFFSET`` walks every row before the batch: 60-95 ms for the last batch of a million. Here
    each step seeks the sort index instead: the rows tying ``after`` on every sort column (then
    by rowid), then, column by column from the last, the rows tying it on the columns before
    and coming after it on that one. SQLite sorts NULL first, and a comparison with NULL is
    never true, so a nullable column's NULLs are asked for apart (``IS NULL`` after the values
    when descending; everything ``IS NOT NULL`` after a NULL when ascending). ``None``: the row
    is gone (deleted meanwhile): the caller pages by offset."""
    where, params = filtered
    columns = SORT_KEYS[sort]
    row = ctx.store.conn.execute(
        f"SELECT {', '.join(columns)} FROM patrols p WHERE p.rowid = ?", [after]
    ).fetchone()
    if row is None:
        return None
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{column} {direction}" for column in (*columns, "p.rowid"))
    base = where or "WHERE 1"
    found: list[int] = []

    def take(conditions: list[str], values: list[Any]) -> None:
        if len(found) < limit:
            text = ctx.store.scalar(
                f"SELECT json_group_array(k) FROM (SELECT p.rowid AS k FROM patrols p {base}"
                f" AND {' AND '.join(conditions)} ORDER BY {order} LIMIT ?)",
                [*params, *values, limit - len(found)],
            )
            found.extend(json.loads(text))

    ties = [f"{column} IS ?" for column in columns]
    take([*ties, f"p.rowid {'<' if descending else '>'} ?"], [*row, after])
    for k in range(len(columns) - 1, -1, -1):
        prefix, column, value = ties[:k], columns[k], row[k]
        if descending and value is not None:
            take([*prefix, f"{column} < ?"], [*row[:k], value])
            take([*prefix, f"{column} IS NULL"], [*row[:k]])
        elif not descending:
            later = f"{column} IS NOT NULL" if value is None else f"{column} > ?"
            take([*prefix, later], [*row[:k]] if value is None else [*row[:k], value])
    return found


def count(ctx: AppContext, flt: PatrolFilter) -> int:
    """How many patrols match (exact).

    A common term together with filters that keep many patrols is counted by probing the trigram
    index's keys of the term as a set (0.15-0.4 s at a million patrols; the walk tested the text
    of each row kept, 0.35-0.57 s), and a common term alone is counted in full on the index
    (50 ms): the list asks :func:`quick_count` on the GUI thread and, when that cannot
    answer, :func:`count_unless_cancelled` on a worker thread."""
    term = _term(flt)
    if term is not None and flt == PatrolFilter(text=flt.text):
        return _text_hits(ctx, term)[1]  # exact
    quick = quick_count(ctx, flt)
    if quick is not None:
        return quick
    keys, walk, known = _plan(ctx, flt)  # the join, when the others keep few: exact
    if known is not None:
        return known
    walk["walk_agency"] = False  # counting: let the planner start from the agency's set
    term = _term(flt)
    match = None if term is None or not walk["walk_text"] else _fts_match(ctx.store.conn, term)
    if match is not None:
        # Testing a common term's text row by row reads the search text of every row the
        # others keep (0.35-0.57 s at a million patrols); the index's keys of the term, probed
        # as a set, are exact too and take 0.14-0.24 s.
        hits = "(SELECT rowid FROM patrol_search_fts WHERE patrol_search_fts MATCH ?)"
        if flt.agency and flt == PatrolFilter(agency=flt.agency, text=flt.text):
            # The agency's keys alone (one row per patrol: its primary key), without looking
            # up each patrol: 0.15 s instead of 0.34 s at a million patrols.
            return int(
                ctx.store.scalar(
                    "SELECT COUNT(*) FROM patrol_agency_keys"
                    f" WHERE agency_code = ? AND patrol_key IN {hits}",
                    [flt.agency, match],
                )
            )
        where, params = _where(replace(flt, text=None), sort=None)
        where = f"{where} {'AND' if where else 'WHERE'} p.rowid IN {hits}"
        return int(ctx.store.scalar(f"SELECT COUNT(*) FROM patrols p {where}", [*params, match]))
    where, params = _where(flt, sort=None, text_keys=keys, **walk)
    return int(ctx.store.scalar(f"SELECT COUNT(*) FROM patrols p {where}", params))


def count_unless_cancelled(
    ctx: AppContext, flt: PatrolFilter, cancelled: Callable[[], bool]
) -> int | None:
    """:func:`count`, or ``None`` as soon as ``cancelled()`` says stop (asked before and every
    1,000 SQLite steps, a few microseconds: the officer chose another filter, so this count is
    moot)."""
    if cancelled():
        return None
    conn = ctx.store.conn
    conn.set_progress_handler(cancelled, 1_000)  # a true answer interrupts the statement
    try:
        return count(ctx, flt)
    except sqlite3.OperationalError:
        if cancelled():
            log.debug("patrol count cancelled: %s", flt)
            return None
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _text_count_known(ctx: AppContext, term: str) -> int | None:
    """How many hold ``term``, when the bounded lookup found them all (a rare term) or an exact
    count is kept for this connection and data version; else ``None``."""
    keys, n = _text_hits(ctx, term, exact=False)
    if keys is not None:
        return n
    conn = ctx.store.conn
    found = _TEXT_HITS.get(id(conn))
    token = (int(ctx.store.scalar("PRAGMA data_version")), conn.total_changes)
    if found is not None and found[0] is conn and found[1:3] == (term, token) and found[5]:
        return found[4]
    return None


def quick_count(ctx: AppContext, flt: PatrolFilter) -> int | None:
    """The count when it comes from counters, sets or indexes (milliseconds at a million
    patrols); ``None`` when it means testing a common term on each row of a broad filter, which
    :func:`count` does (off the GUI thread)."""
    term = _term(flt)
    if term is not None and flt == PatrolFilter(text=flt.text):
        return _text_count_known(ctx, term)  # the text alone
    if not (flt.date_from or flt.date_to or term is not None):
        single = _kept_dims(flt)
        if not single:
            return _single_count(ctx, "all", "")
        if len(single) == 1:
            return _single_count(ctx, *single[0])
    keys, walk, known = _plan(ctx, flt, join=False)
    if known is not None:
        return known
    if walk["walk_text"]:
        return None
    walk["walk_agency"] = False  # counting: let the planner start from the agency's set
    where, params = _where(flt, sort=None, text_keys=keys, **walk)
    return int(ctx.store.scalar(f"SELECT COUNT(*) FROM patrols p {where}", params))


def rows_by_keys(ctx: AppContext, keys: Sequence[int]) -> dict[int, dict[str, Any]]:
    """List rows (with agencies and counts) for one page of keys."""
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    rows = ctx.store.query(
        "SELECT p.rowid AS key, p.id, p.type, p.status, p.cluster, p.title, p.area,"
        " p.planned_start, p.planned_end, p.actual_start, p.actual_end, p.start_utc, p.end_utc,"
        " p.version, p.training,"
        " (SELECT COUNT(*) FROM patrol_officers o WHERE o.patrol_id = p.id) AS officer_count,"
        " (SELECT COUNT(*) FROM evidence e WHERE e.patrol_id = p.id) AS evidence_count,"
        " (SELECT json_group_array(json_array(a.agency_code, COALESCE(g.name, ''), a.lead))"
        "    FROM patrol_agencies a LEFT JOIN agencies g ON g.code = a.agency_code"
        "    WHERE a.patrol_id = p.id) AS agencies_json"
        f" FROM patrols p WHERE p.rowid IN ({marks})",
        list(keys),
    )
    result: dict[int, dict[str, Any]] = {}
    for row in rows:
        triples = sorted(json.loads(row.pop("agencies_json")), key=lambda t: (-t[2], t[0]))
        row["agencies"] = [{"code": code, "name": name} for code, name, _lead in triples]
        row["start"] = row["actual_start"] or row["planned_start"]
        row["end"] = row["actual_end"] or row["planned_end"]
        row["training"] = bool(row["training"])
        result[row["key"]] = row
    return result


def key_of(ctx: AppContext, patrol_id: str) -> int | None:
    """The list key (rowid) of one patrol, so the list can find its row without scanning."""
    key = ctx.store.scalar("SELECT rowid FROM patrols WHERE id = ?", [patrol_id])
    return None if key is None else int(key)


def patrol_choices(ctx: AppContext, limit: int = 200) -> list[tuple[str, str]]:
    """``(id, label)`` of the most recent patrols, newest first, for the pickers that attach
    evidence, cases and documents to a patrol; the label is the title, else type and planned start."""
    rows = ctx.store.query(
        "SELECT id, title, type, planned_start FROM patrols ORDER BY start_utc DESC LIMIT ?",
        [limit],
    )
    return [
        (row["id"], row["title"] or f"{row['type']} {row['planned_start'] or ''}") for row in rows
    ]


def public(row: dict[str, Any]) -> dict[str, Any]:
    """The ``patrol list --json`` shape of one list row."""
    return {
        "id": row["id"],
        "type": row["type"],
        "status": row["status"],
        "start": row["start"],
        "end": row["end"],
        "agencies": row["agencies"],
        "officer_count": row["officer_count"],
        "evidence_count": row["evidence_count"],
        "cluster": row["cluster"],
        "title": row["title"],
        "version": row["version"],
    }


def list_patrols(
    ctx: AppContext,
    flt: PatrolFilter | None = None,
    *,
    sort: str = "start",
    descending: bool = True,
    page: int = 500,
) -> list[dict[str, Any]]:
    keys = patrol_keys(ctx, flt or PatrolFilter(), sort=sort, descending=descending)
    out: list[dict[str, Any]] = []
    for start in range(0, len(keys), page):
        chunk = keys[start : start + page]
        rows = rows_by_keys(ctx, chunk)
        out.extend(public(rows[key]) for key in chunk)
    return out


def clusters(ctx: AppContext) -> list[str]:
    return [row[0] for row in ctx.store.execute("SELECT name FROM clusters ORDER BY name")]


def patrol_evidence_ids(ctx: AppContext, patrol_id: str) -> list[str]:
    return [
        row[0]
        for row in ctx.store.execute(
            "SELECT id FROM evidence WHERE patrol_id = ? ORDER BY taken_at_utc, original_name",
            [patrol_id],
        )
    ]


def patrol_cases(ctx: AppContext, patrol_id: str) -> list[dict[str, Any]]:
    return ctx.store.query(
        "SELECT c.id, c.status, c.place, c.taken_at, c.violation_code,"
        " COALESCE(v.name, '') AS violation_name FROM cases c"
        " LEFT JOIN violation_types v ON v.code = c.violation_code"
        " WHERE c.patrol_id = ? ORDER BY c.taken_at, c.id",
        [patrol_id],
    )


def track_summary(ctx: AppContext, patrol_id: str) -> dict[str, Any]:
    """How many tracks, points and which time span the patrol's GPX route covers."""
    row = ctx.store.query(
        "SELECT COUNT(*) AS tracks, COALESCE(SUM(n_points), 0) AS points,"
        " MIN(start_utc) AS start_utc, MAX(end_utc) AS end_utc FROM tracks WHERE patrol_id = ?",
        [patrol_id],
    )[0]
    return row
