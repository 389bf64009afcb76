"""The counted statistics (services/stats_counted.py: SQL rollups and classification) give the
same figures as the row-by-row reference (services.stats.load_local_rows + domain compute).

The store is generated (tests/stats_dataset.py: the hand-worked set plus random bulk) with the
edge cases added: deadline days, period edges in every stored offset, times SQLite cannot read,
missing times, drafts, training rows, received cases, other agencies' rows, rows after ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from typing import Any

import pytest

from officer_app.domain.stats_model import RecordIds
from officer_app.domain.stats_rules import compute
from officer_app.services import stats
from officer_app.services.calendars import load_calendar
from officer_app.services.context import AppContext
from officer_app.store.migration_stats_rollups import MIGRATION_STATS_ROLLUPS
from officer_app.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests import stats_dataset as ds

CST = ds.CST


def _case(conn: Any, officer: str, taken: str | None, created: str, **kw: Any) -> str:
    cid = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO cases (id, violation_code, status, taken_at, jurisdiction_code, training,"
        " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            cid,
            kw.get("code", ds.A),
            kw.get("status", "recorded"),
            taken,
            kw.get("where", ds.OWN),
            kw.get("training", 0),
            officer,
            created,
            created,
        ],
    )
    return cid


def _edges(store: Any) -> dict[str, str]:
    """Cases and transfers on the edges of 2026Q3 and of AS_OF's day (2026-11-20 CST)."""
    conn = store.conn
    me = conn.execute(
        "SELECT id FROM officers WHERE agency_code = ? ORDER BY name LIMIT 1", [ds.OWN]
    ).fetchone()[0]
    out: dict[str, str] = {}
    conn.execute("BEGIN")
    # Period edges in every stored form: Z, +00:00, naive (UTC), +08:00, fractions.
    _case(conn, me, "2026-06-30T16:00:00Z", "2026-06-30T16:00:00Z")  # 1 Jul 00:00 CST: in
    _case(conn, me, "2026-06-30T15:59:59.999999+00:00", "2026-07-01T00:00:00Z")  # 30 Jun: out
    _case(conn, me, "2026-09-30T15:59:59", "2026-09-30T15:59:59")  # naive UTC: 30 Sep, in
    _case(conn, me, "2026-09-30T16:00:00.5Z", "2026-09-30T16:00:01Z")  # 1 Oct CST: out
    _case(conn, me, "2026-07-01T00:00:00.000+08:00", "2026-06-30T16:00:00Z", code=ds.B)
    _case(conn, me, "2026-08-03T10:00:00-05:00", "2026-08-03T15:00:00Z", where=ds.JS)
    # No found time: the recording time counts (UTC), including on an edge.
    _case(conn, me, None, "2026-09-30T15:30:00+00:00")
    _case(conn, me, None, "2026-06-30T15:30:00+00:00")
    _case(conn, me, "", "2026-08-01T00:00:00Z")  # an empty time is no time: not counted
    # Times SQLite cannot read (Python can): counted one by one, like before.
    out["odd_case"] = _case(conn, me, "2026-08-01T10:00:00+0800", "2026-08-01T02:00:00Z")
    _case(conn, me, None, "2026-08-02T10:00:00+0800", code=ds.B)
    # Around AS_OF (2026-11-20 12:00 CST): the same day before and after, the day before.
    _case(conn, me, "2026-11-20T11:59:59+08:00", "2026-11-20T03:59:59Z")
    _case(conn, me, "2026-11-20T12:00:00+08:00", "2026-11-20T04:00:00Z")  # = as_of: in
    _case(conn, me, "2026-11-20T12:00:01+08:00", "2026-11-20T04:00:01Z")  # after: out
    _case(conn, me, "2026-11-19T23:59:59+08:00", "2026-11-19T15:59:59Z")
    _case(conn, me, "2026-11-21T09:00:00+08:00", "2026-11-21T01:00:00Z")
    # Excluded: draft, training, another agency's recorder, received on a transfer.
    _case(conn, me, "2026-08-05T10:00:00+08:00", "2026-08-05T02:00:00Z", status="draft")
    _case(conn, me, "2026-08-05T10:00:00+08:00", "2026-08-05T02:00:00Z", training=1)
    _case(
        conn, ds._officer(conn, ds.WJ, "赵六"), "2026-08-05T10:00:00+08:00", "2026-08-05T02:00:00Z"
    )
    received = _case(conn, me, "2026-08-06T10:00:00+08:00", "2026-08-06T02:00:00Z")
    # Transfers: the receipt deadline (7 working days) met on its last day and missed by one;
    # sent on the period's edges; receipts and feedback after AS_OF; a time SQLite cannot read.
    ds.add_transfer(conn, "out", ds.JS, "2026-07-06 10:00", "accepted", "2026-07-15 18:00")
    ds.add_transfer(conn, "out", ds.JS, "2026-07-06 10:00", "accepted", "2026-07-16 08:00")
    ds.add_transfer(conn, "in", ds.WJ, "2026-06-30 23:59", "sent")
    ds.add_transfer(conn, "in", ds.WJ, "2026-07-01 00:00", "sent")
    ds.add_transfer(conn, "out", ds.WJ, "2026-09-30 23:59", "accepted", "2026-11-20 12:00")
    ds.add_transfer(conn, "out", ds.WJ, "2026-09-30 23:59", "accepted", "2026-11-20 12:01")
    ds.add_transfer(
        conn, "in", ds.JS, "2026-08-10 10:00", "feedback_sent", "2026-08-11 09:00",
        "2026-11-20 12:00:01", case_id=received,
    )  # fmt: skip
    ds.add_transfer(conn, "out", ds.JS, "2026-11-20 11:00", "sent")  # after the period
    ds.add_transfer(conn, "out", ds.JS, "2026-08-10 10:00", "accepted", "2026-08-11 10:00",
                    training=1)  # fmt: skip
    # Changed by hand (no recorded moment): the row's last change stands for it.
    tid = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO transfers (id, kind, direction, status, document_number, other_agency,"
        " payload, training, created_at, updated_at) VALUES (?, 'case', 'out', 'feedback_sent',"
        " '青城管移〔2026〕手1号', ?, '{}', 0, ?, ?)",
        [tid, ds.JS, ds.t("2026-07-20 10:00"), ds.t("2026-07-25 10:00")],
    )
    odd = str(uuid.uuid4())  # a sent time SQLite cannot read: Python counts it
    conn.execute(
        "INSERT INTO transfers (id, kind, direction, status, document_number, other_agency,"
        " payload, training, created_at, updated_at) VALUES (?, 'case', 'in', 'sent',"
        " '嘉城管移〔2026〕9号', ?, ?, 0, ?, ?)",
        [odd, ds.JS + "-jz", '{"sent_at": "2026-08-03T10:00:00+0800"}', ds.t("2026-08-03 11:00"),
         ds.t("2026-08-03 11:00")],
    )  # fmt: skip
    conn.execute("COMMIT")
    out["odd_transfer"] = odd
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("counted")
    with AppContext.open(root) as ctx:
        ds.build_bulk(ctx.store, cases=3000, transfers=900, patrols=200, seed=11,
                      start=dt.date(2026, 1, 1), days=400, officer="王芳")  # fmt: skip
        ds.build_known(ctx.store)  # after: it numbers its inbox and ledger rows on
        odd = _edges(ctx.store)
    with AppContext.open(root) as ctx:
        yield ctx, odd


def _reference(
    ctx: AppContext, period: stats.Period, as_of: dt.datetime, scope: str
) -> stats.Dashboard:
    rows = stats.load_local_rows(ctx.store, period, [ds.OWN])
    return compute(
        rows, period, viewpoint=[ds.OWN], calendar=load_calendar(), as_of=as_of, scope_name=scope
    )


def _same(ref: stats.Dashboard, new: stats.Dashboard) -> None:
    a, b = ref.to_json(), new.to_json()
    for key in ("mean_receipt_days", "mean_feedback_days"):  # summed in another order
        fa, fb = a["figures"].pop(key), b["figures"].pop(key)
        assert fa["display"] == fb["display"] and fa["count_records"] == fb["count_records"]
        assert (fa["value"] is None) == (fb["value"] is None)
        if fa["value"] is not None:
            assert fb["value"] == pytest.approx(fa["value"], rel=0, abs=1e-7)
    assert a == b
    groups = ("patrols_by_type", "cases_by_type", "cases_by_jurisdiction")
    for name in groups:
        assert [(f.key, f.value) for f in getattr(ref, name)] == [
            (f.key, f.value) for f in getattr(new, name)
        ]
    keys = [*ref.figures, *(f.key for g in groups for f in getattr(ref, g))]
    for key in keys:
        fa, fb = ref.figure(key), new.figure(key)
        assert sorted(fa.ids) == sorted(fb.ids), key
        for rid in fb.ids:  # every record read back is the same record
            if fa.kind == "case":
                assert new.cases[rid] == ref.cases[rid]
            elif fa.kind == "transfer":
                assert new.transfers[rid] == ref.transfers[rid], rid
                assert new.transfer_states[rid] == ref.transfer_states[rid], rid
    assert new.major == ref.major
    for rid in new.major:
        assert new.transfers[rid] == ref.transfers[rid]


PERIODS = [
    stats.parse_quarter("2026Q3"),
    stats.parse_quarter("2026Q4"),  # holds as_of's day: its cases after as_of are rows
    stats.Period(dt.date(2025, 12, 15), dt.date(2027, 1, 10)),
    stats.Period(dt.date(2026, 8, 3), dt.date(2026, 8, 3)),
]
AS_OFS = [
    ds.AS_OF,
    dt.datetime(2026, 9, 30, 23, 59, 59, tzinfo=CST),
    dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}..{p.end}")
@pytest.mark.parametrize("as_of", AS_OFS, ids=lambda m: m.isoformat())
def test_counted_equals_row_by_row(store: Any, period: stats.Period, as_of: dt.datetime) -> None:
    ctx, _odd = store
    new = stats.dashboard(ctx, period, agency=ds.OWN, as_of=as_of)
    ref = _reference(ctx, period, as_of, new.scope_name)
    assert (
        any(isinstance(f.ids, RecordIds) for f in new.figures.values())
        or not ref.figures["cases"].value
    )
    _same(ref, new)


def test_the_edges_are_there(store: Any) -> None:
    """The figures above are not vacuous: the odd rows are counted, the counted part is big."""
    ctx, odd = store
    new = stats.dashboard(ctx, stats.parse_quarter("2026Q3"), agency=ds.OWN, as_of=ds.AS_OF)
    assert odd["odd_case"] in set(new.figures["cases"].ids)
    assert odd["odd_transfer"] in set(new.figures["transfers_received"].ids)
    assert isinstance(new.figures["cases"].ids, RecordIds)
    assert new.figures["cases"].value > 500 and new.figures["transfers_sent"].value > 50
    head = new.figures["cases"].ids[:10]
    assert len(head) == 10 and all(rid in new.cases for rid in head)


def _fresh_rollups(conn: sqlite3.Connection) -> tuple[list[Any], list[Any]]:
    days = conn.execute(
        "SELECT day, recorder, violation_code, jurisdiction_code, n FROM stats_case_days"
        " WHERE n != 0 ORDER BY 1, 2, 3, 4"
    ).fetchall()
    transfers = conn.execute("SELECT * FROM stats_transfers ORDER BY id").fetchall()
    return days, transfers


def test_rollups_follow_every_write_and_the_migration_rebuilds_them(tmp_path) -> None:
    """Kept by triggers through inserts, updates and deletes; an upgraded store with data gets
    the same tables from the migration as the triggers built."""
    with AppContext.open(tmp_path) as ctx:
        ds.build_known(ctx.store)
        _edges(ctx.store)
        conn = ctx.store.conn
        conn.execute("BEGIN")
        some = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY id LIMIT 6")]
        conn.execute("UPDATE cases SET status = 'draft' WHERE id = ?", [some[0]])
        conn.execute("UPDATE cases SET taken_at = '2026-02-03T04:05:06Z' WHERE id = ?", [some[1]])
        conn.execute("UPDATE cases SET violation_code = NULL WHERE id = ?", [some[2]])
        conn.execute("UPDATE cases SET training = 1 WHERE id = ?", [some[3]])
        conn.execute("DELETE FROM cases WHERE id = ?", [some[4]])
        t = [r[0] for r in conn.execute("SELECT id FROM transfers ORDER BY id LIMIT 3")]
        conn.execute("UPDATE transfers SET status = 'returned', updated_at = ? WHERE id = ?",
                     [ds.t("2026-10-01 10:00"), t[0]])  # fmt: skip
        conn.execute("UPDATE transfers SET training = 1 WHERE id = ?", [t[1]])
        conn.execute("DELETE FROM transfers WHERE id = ?", [t[2]])
        conn.execute("COMMIT")
        kept = _fresh_rollups(conn)
        assert kept[0] and kept[1]
        path = ctx.store.path
    raw = sqlite3.connect(path)  # back to the schema before the migration, data kept
    for statement in MIGRATION_STATS_ROLLUPS[:9]:  # its own DROPs
        raw.execute(statement)
    raw.execute(f"PRAGMA user_version = {MIGRATIONS.index(MIGRATION_STATS_ROLLUPS)}")
    raw.commit()
    raw.close()
    with AppContext.open(tmp_path) as ctx:
        assert ctx.store.schema_version == SCHEMA_VERSION
        assert _fresh_rollups(ctx.store.conn) == kept


def test_deadlines_joined_per_transfer_give_the_same(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the deadline rules are not monotonic the due date of each transfer is joined."""
    from officer_app.services import stats_counted

    monkeypatch.setattr(
        stats_counted, "_threshold", lambda due, today, col, joined, name: (joined, "")
    )
    ctx, _odd = store
    for period in PERIODS[:2]:
        new = stats.dashboard(ctx, period, agency=ds.OWN, as_of=ds.AS_OF)
        _same(_reference(ctx, period, ds.AS_OF, new.scope_name), new)
