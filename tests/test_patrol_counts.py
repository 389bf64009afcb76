"""The 巡查 list at scale: single-filter counts come from ``patrol_counts`` (kept by triggers), and
a common filter is tested row by row while walking the sort index instead of gathered as a set.
Both must give the same rows, order and counts as the set-based listing and plain SQL counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from officer_app.services import patrol_query as q
from officer_app.services import patrols
from officer_app.services.context import AppContext
from tests.doc_fixtures import outside_the_gui
from tests.test_patrols import DAY, dataset, draft  # noqa: F401  (dataset: a fixture)

FILTERS = [
    q.PatrolFilter(),
    q.PatrolFilter(agency="320509"),
    q.PatrolFilter(agency="310116", status="closed"),
    q.PatrolFilter(text="渣土"),
    q.PatrolFilter(text="dock", agency="310114"),
    q.PatrolFilter(status="closed"),
    q.PatrolFilter(cluster="嘉昆太"),
    q.PatrolFilter(patrol_type="水路巡查"),
    q.PatrolFilter(
        date_from="2026-10-01T00:00:00.000000Z",
        date_to="2027-01-01T00:00:00.000000Z",
        cluster="青嘉吴",
        status="closed",
        text="巡查",
    ),
    q.PatrolFilter(agency="999999"),  # nobody
]


def _plain_where(flt: q.PatrolFilter) -> tuple[str, list[str]]:
    """Every condition in plain SQL, without the kept counts, the index or walking."""
    sql, params = "WHERE 1", []
    for column, value in (
        ("cluster", flt.cluster),
        ("type", flt.patrol_type),
        ("status", flt.status),
    ):
        if value:
            sql += f" AND p.{column} = ?"
            params.append(value)
    if flt.date_from:
        sql += " AND p.start_utc >= ? AND p.start_utc < ?"
        params += [flt.date_from, flt.date_to]
    if flt.agency:
        sql += " AND p.id IN (SELECT patrol_id FROM patrol_agencies WHERE agency_code = ?)"
        params.append(flt.agency)
    if flt.text:
        sql += (
            " AND instr(lower(p.title || ' ' || p.area || ' ' || p.route || ' ' || p.notes"
            " || ' ' || p.findings), ?)"
        )
        params.append(flt.text.strip().lower())
    return sql, params


def _plain_count(ctx: AppContext, flt: q.PatrolFilter) -> int:
    where, params = _plain_where(flt)
    return int(ctx.store.scalar(f"SELECT count(*) FROM patrols p {where}", params))


def _plain_keys(ctx: AppContext, flt: q.PatrolFilter) -> list[int]:
    """Keys in the list's default order (start, newest first), by a plain scan."""
    where, params = _plain_where(flt)
    order = ", ".join(f"{c} DESC" for c in (*q.SORT_KEYS["start"], "p.rowid"))
    return [
        r[0]
        for r in ctx.store.execute(
            f"SELECT p.rowid FROM patrols p {where} ORDER BY {order}", params
        )
    ]


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_walking_and_gathering_give_the_same_rows(
    officer_ctx: AppContext,
    dataset: Any,  # noqa: F811
    flt: q.PatrolFilter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = {}
    for share in (0.0, 1.0):  # every filter walked / every filter gathered as a set
        monkeypatch.setattr(q, "_WALK_SHARE", share)
        found[share] = [
            (
                q.patrol_keys(officer_ctx, flt, sort=sort, descending=desc),
                q.patrol_keys(officer_ctx, flt, sort=sort, descending=desc, limit=7, offset=5),
                q.count(officer_ctx, flt),
            )
            for sort in sorted(q.SORT_KEYS)
            for desc in (False, True)
        ]
    assert found[0.0] == found[1.0]
    assert {n for _, _, n in found[0.0]} == {_plain_count(officer_ctx, flt)}
    assert len(found[0.0][0][0]) == found[0.0][0][2]


def _kept(ctx: AppContext) -> dict[tuple[str, str], int]:
    return {
        (r["dim"], r["value"]): r["n"]
        for r in ctx.store.query("SELECT dim, value, n FROM patrol_counts WHERE n != 0")
    }


def _recounted(ctx: AppContext) -> dict[tuple[str, str], int]:
    out = {("all", ""): int(ctx.store.scalar("SELECT count(*) FROM patrols"))}
    for dim in ("status", "type", "cluster"):
        for value, n in ctx.store.execute(
            f"SELECT coalesce({dim}, ''), count(*) FROM patrols GROUP BY 1"
        ):
            out[(dim, value)] = n
    for value, n in ctx.store.execute(
        "SELECT agency_code, count(DISTINCT patrol_id) FROM patrol_agencies GROUP BY 1"
    ):
        out[("agency", value)] = n
    return {k: v for k, v in out.items() if v}


def test_kept_counts_follow_every_write(officer_ctx: AppContext) -> None:
    ctx = officer_ctx
    first = patrols.create_patrol(ctx, draft()).patrol_id
    second = patrols.create_patrol(
        ctx, draft(cluster=None, agencies=["310116", "310113"], officers=[], title="水上")
    ).patrol_id
    assert _kept(ctx) == _recounted(ctx)
    patrols.update_patrol(
        ctx, first, draft(agencies=["310118", "330421"], officers=[]), expected_version=1
    )
    patrols.start_patrol(ctx, second, at=DAY)
    patrols.close_patrol(ctx, second, at=DAY + dt.timedelta(hours=1))
    assert _kept(ctx) == _recounted(ctx)
    with ctx.store.transaction():
        ctx.store.execute("DELETE FROM patrols WHERE id = ?", [first])
    assert _kept(ctx) == _recounted(ctx)
    assert q.count(ctx, q.PatrolFilter(agency="330421")) == 0
    assert q.count(ctx, q.PatrolFilter(status="closed")) == 1


#: Fresh terms, each new to the connection when first asked: common ones (the lookup stops once
#: it knows, so only a lower bound is kept), a rare one (every key gathered) and one nobody has.
FRESH = ("渣土", "dock", "巡查", "巡查12", "巡查0", "无此词")
OTHERS = [
    {"status": "closed"},
    {
        "cluster": "青嘉吴",
        "date_from": "2026-09-01T00:00:00.000000Z",
        "date_to": "2027-03-01T00:00:00.000000Z",
    },
    {"agency": "310114", "patrol_type": "水路巡查"},
]


@pytest.mark.parametrize("first", ["keys", "count"])
@pytest.mark.parametrize("join_max", [0, 50_000], ids=["walked", "joined"])
def test_combined_filter_with_a_fresh_term_equals_the_plain_scan(
    officer_ctx: AppContext,
    dataset: Any,  # noqa: F811
    first: str,
    join_max: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A filter combining the text with others decides "common" on a bounded lookup, then
    walks a common term on each row or joins it once with the other filters' few rows; its rows
    and count, and then the text alone's exact count, must still be the plain scan's."""
    ctx = officer_ctx
    monkeypatch.setattr(q, "_JOIN_OTHERS_MAX", join_max)
    expected_common = 0
    for term in FRESH:
        for others in OTHERS:
            q._TEXT_HITS.clear()  # a term new to the connection, whichever ran before
            q._JOINED.clear()
            flt = q.PatrolFilter(text=term, **others)
            if first == "keys":
                keys = q.patrol_keys(ctx, flt)
                n = q.count(ctx, flt)
            else:
                n = q.count(ctx, flt)
                keys = q.patrol_keys(ctx, flt)
            assert keys == _plain_keys(ctx, flt), (term, others)
            assert n == len(keys), (term, others)
            assert q.patrol_keys(ctx, flt, limit=3, offset=1) == keys[1:4]
            # The combined lookup may have kept only a lower bound: the text alone is exact.
            alone = q.PatrolFilter(text=term)
            assert q.count(ctx, alone) == _plain_count(ctx, alone), term
            assert q.patrol_keys(ctx, alone) == _plain_keys(ctx, alone), term
        expected_common += _plain_count(ctx, q.PatrolFilter(text=term)) > q._WALK_SHARE * 60
    assert 0 < expected_common < len(FRESH)  # both ways of deciding were taken


def test_a_broad_filter_with_a_common_term_is_counted_off_the_gui_thread_and_can_be_cancelled(
    officer_ctx: AppContext,
    dataset: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the list asks on the GUI thread (``quick_count``) answers every filter but one that
    tests a common term on each row of many; that one is counted by ``count_unless_cancelled``
    (a worker thread), exactly, or not at all once cancelled."""
    ctx = officer_ctx
    monkeypatch.setattr(q, "_JOIN_OTHERS_MAX", 0)  # the others always keep "too many" to join
    monkeypatch.setattr(q, "_WALK_SHARE", 0.0)  # every term is common
    broad = q.PatrolFilter(text="巡查", status="closed")
    assert _plain_count(ctx, broad) > 0
    assert q.quick_count(ctx, broad) is None
    assert q.count_unless_cancelled(ctx, broad, lambda: False) == _plain_count(ctx, broad)
    assert q.count(ctx, broad) == _plain_count(ctx, broad)
    asked: list[int] = []

    def cancelled() -> bool:  # the officer changes the filter while the count runs
        asked.append(1)
        return len(asked) > 1

    assert q.count_unless_cancelled(ctx, broad, cancelled) is None and asked
    # The connection is left as it was: no progress handler interrupts the next statement.
    assert q.count(ctx, broad) == _plain_count(ctx, broad)
    for flt in FILTERS:  # without text: counted at once, exactly
        if flt.text is None:
            assert q.quick_count(ctx, flt) == _plain_count(ctx, flt), flt
    # A common term alone: its full count is the worker's; once made, it is kept and at hand.
    alone = q.PatrolFilter(text="巡查")
    q._TEXT_HITS.clear()
    q.patrol_keys(ctx, alone, limit=5)  # the list's rows: a bounded lookup
    assert q.quick_count(ctx, alone) is None
    assert q.count(ctx, alone) == _plain_count(ctx, alone)
    assert q.quick_count(ctx, alone) == _plain_count(ctx, alone)
    rare = q.PatrolFilter(text="无此词")
    assert q.quick_count(ctx, rare) == 0 == _plain_count(ctx, rare)


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_paging_after_a_key_gives_the_offset_batches_with_nulls_and_ties(
    officer_ctx: AppContext,
    dataset: Any,  # noqa: F811
    flt: q.PatrolFilter,
) -> None:
    """Keyset paging (``after``) must give exactly what ``OFFSET`` gives, whatever the sort and
    direction, with NULLs in every nullable sort column and rows tying on several columns."""
    ctx = officer_ctx
    with outside_the_gui(), ctx.store.transaction():
        ctx.store.execute("UPDATE patrols SET cluster = NULL WHERE rowid % 3 = 0")
        ctx.store.execute("UPDATE patrols SET start_utc = NULL, end_utc = NULL WHERE rowid % 4 = 1")
        ctx.store.execute("UPDATE patrols SET title = '同名' WHERE rowid % 2 = 0")
    nulls = ctx.store.scalar(
        "SELECT count(*) FROM patrols WHERE cluster IS NULL OR start_utc IS NULL"
    )
    assert nulls > 0
    pages = 0
    for sort in sorted(q.SORT_KEYS):
        for desc in (False, True):
            every = q.patrol_keys(ctx, flt, sort=sort, descending=desc)
            for i, key in enumerate(every):
                page = q.patrol_keys(ctx, flt, sort=sort, descending=desc, limit=3, after=key)
                assert page == every[i + 1 : i + 4], (sort, desc, i)
                pages += 1
    assert pages or not every


@pytest.mark.parametrize(
    "term", ["巡查", "渣土", "查", "dock", "do", "k", "无此词", "瞿", "查\x01"]
)
@pytest.mark.parametrize(
    "others",
    [
        {"status": "closed"},
        {"agency": "310116"},
        {"patrol_type": "水路巡查"},
        {"cluster": "青嘉吴", "agency": "320509"},
        {"status": "closed", "agency": "310116"},
    ],
    ids=repr,
)
@pytest.mark.parametrize("prefix_trigrams_max", [q._MAX_PREFIX_TRIGRAMS, 0])
def test_a_common_term_with_broad_filters_counts_on_the_index_like_the_plain_scan(
    officer_ctx: AppContext,
    dataset: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    term: str,
    others: dict[str, str],
    prefix_trigrams_max: int,
) -> None:
    """The worker's count of a common term with filters keeping too many to join probes the
    trigram index's keys of the term (any length; a term the index cannot answer is scanned:
    ``prefix_trigrams_max`` 0 sends every 1–2 character term to the scan)."""
    ctx = officer_ctx
    monkeypatch.setattr(q, "_MAX_PREFIX_TRIGRAMS", prefix_trigrams_max)
    monkeypatch.setattr(q, "_JOIN_OTHERS_MAX", 0)  # the others always keep "too many" to join
    monkeypatch.setattr(q, "_WALK_SHARE", 0.0)  # every term is common
    flt = q.PatrolFilter(text=term, **others)
    q._TEXT_HITS.clear()
    q._JOINED.clear()
    assert q.count(ctx, flt) == _plain_count(ctx, flt)
    assert q.count_unless_cancelled(ctx, flt, lambda: False) == _plain_count(ctx, flt)
