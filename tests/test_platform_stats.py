"""The platform's bulletin counted over the statistics' projection (platform/stats_counted.py)
gives the same figures as the full fold of every pushed entry (platform/stats_rows.py), on
SQLite and PostgreSQL.

The platform is filled through the real push (``records.push``, the code behind ``POST
/v1/push``) with generated entries and the edge cases: updates and ``new_code`` moves, changes
pushed by an agency that did not create the record, an id two agencies created (both orders),
drafts, training entries, times on the period's and ``as_of``'s edges in several offsets, times
that cannot be read, transfers returned, accepted, answered with a fine (int and float), steps
without ``at``, and transfers sent without a time.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from officer_app.domain.stats_model import CST, Period, RecordIds
from officer_app.domain.stats_rules import compute
from officer_app.platform import db, records, stats_projection
from officer_app.platform.auth import Caller
from officer_app.platform.stats_counted import load_platform_counted
from officer_app.platform.stats_rows import load_platform_rows
from officer_app.services.calendars import load_calendar
from tests.sync_fixtures import BACKENDS, platform_database
from tests.test_stats_counted import _same

QP, JS, WJ, JD, KS = "310118", "330421", "320509", "310114", "320583"
CLUSTER = [QP, JS, WJ]
AGENCIES = [QP, JS, WJ, JD, KS]
CODES = ["JZLJ-01", "SRHJ-01", "ZDJY-02", None]
AS_OF = dt.datetime(2026, 11, 20, 12, 0, tzinfo=CST)


def _caller(agency: str) -> Caller:
    return Caller(f"token-{agency}", agency, "测试")


TRAINING = [False]  # what _fill marks its entries (a training platform takes only training)


def _entry(entity: str, entity_id: str, op: str, payload: dict[str, Any], **kw: Any) -> Any:
    return {
        "id": str(uuid.uuid4()),
        "entity": entity,
        "entity_id": entity_id,
        "op": op,
        "payload": payload,
        "training": kw.get("training", TRAINING[0]),
    }


def _when(rng: random.Random) -> str:
    """A time from June 2026 to January 2027 in one of the offsets laptops store."""
    moment = dt.datetime(2026, 6, 1, tzinfo=dt.UTC) + dt.timedelta(
        seconds=rng.randrange(0, 240 * 86400)
    )
    form = rng.randrange(4)
    if form == 0:
        return moment.isoformat().replace("+00:00", "Z")
    if form == 1:
        return moment.astimezone(CST).isoformat()
    if form == 2:
        return moment.replace(tzinfo=None).isoformat()  # naive: UTC
    return moment.isoformat(timespec="microseconds")


EDGES = [  # period and as_of edges
    "2026-06-30T16:00:00Z",
    "2026-06-30T15:59:59.999999+00:00",
    "2026-09-30T15:59:59",
    "2026-09-30T16:00:00.5Z",
    "2026-11-20T11:59:59+08:00",
    "2026-11-20T12:00:00+08:00",
    "2026-11-20T12:00:01+08:00",
    "2026-11-19T23:59:59+08:00",
    "不是时间",
]


def _fill(conn: db.Connection, seed: int = 20, training: bool = False) -> dict[str, int]:
    """Push a generated history; returns how many entries of each answer were seen."""
    rng = random.Random(seed)
    TRAINING[0] = training
    answers: dict[str, int] = {}
    batches: dict[str, list[Any]] = {a: [] for a in AGENCIES}

    def flush() -> None:
        for agency, entries in batches.items():
            for chunk in range(0, len(entries), 40):
                for r in records.push(
                    conn, _caller(agency), entries[chunk : chunk + 40], training_platform=training
                ):
                    answers[r["status"]] = answers.get(r["status"], 0) + 1
            entries.clear()

    cases: list[tuple[str, str]] = []
    patrols: list[tuple[str, str]] = []
    for i in range(700):
        agency = rng.choice(AGENCIES)
        cid = f"c{i}"
        taken = rng.choice([*EDGES, None]) if i % 9 == 0 else _when(rng)
        body = {
            "id": cid,
            "violation_code": rng.choice(CODES),
            "jurisdiction_code": rng.choice(AGENCIES),
            "status": rng.choice(["recorded", "recorded", "closed", "draft"]),
            "created_at": _when(rng),
        }
        if taken is not None:
            body["taken_at"] = taken
        # now and then the other kind of data, which the platform refuses
        other = i % 23 == 0
        batches[agency].append(_entry("case", cid, "create", body, training=training ^ other))
        cases.append((agency, cid))
    for i in range(150):
        members = rng.sample(AGENCIES, rng.randrange(1, 4))
        agency = members[0]
        pid = f"p{i}"
        start = rng.choice(EDGES) if i % 11 == 0 else _when(rng)
        body = {
            "id": pid,
            "type": rng.choice(["陆路巡查", "水路巡查", "共管区域巡查"]),
            "status": rng.choice(["planned", "in_progress", "closed"]),
            "actual_start": start,
            "agencies": members,
            "officers": [{}] * rng.randrange(0, 5),
        }
        batches[agency].append(_entry("patrol", pid, "create", body))
        patrols.append((agency, pid))
    flush()
    # Changes: by the recorder (applied) and by another agency (not applied).
    for agency, cid in rng.sample(cases, 250):
        change = rng.choice(
            [
                {"new_code": rng.choice(AGENCIES)},
                {"violation_code": rng.choice(CODES)},
                {"status": rng.choice(["closed", "draft", "recorded"])},
                {"taken_at": _when(rng)},
            ]
        )
        who = agency if rng.random() < 0.8 else rng.choice(AGENCIES)
        batches[who].append(_entry("case", cid, "update", change))
    for agency, pid in rng.sample(patrols, 60):
        change = {"status": "closed", "actual_end": _when(rng), "title": "改"}
        who = agency if rng.random() < 0.8 else rng.choice(AGENCIES)
        batches[who].append(_entry("patrol", pid, "update", change))
    # Ids two agencies created: the first creator wins (both orders happen across the loop).
    for agency, cid in rng.sample(cases, 25):
        other = rng.choice([a for a in AGENCIES if a != agency])
        body = {"id": cid, "violation_code": "ZDJY-02", "taken_at": _when(rng), "status": "closed"}
        batches[other].append(_entry("case", cid, "create", body))
    for agency, pid in rng.sample(patrols, 10):
        other = rng.choice([a for a in AGENCIES if a != agency])
        body = {"id": pid, "type": "陆路巡查", "status": "closed", "actual_start": _when(rng)}
        body["agencies"] = [other, agency]
        batches[other].append(_entry("patrol", pid, "create", body))
    flush()
    # Case transfers and their steps.
    sent: list[tuple[str, str, str]] = []
    for i in range(160):
        src = rng.choice(AGENCIES)
        dst = rng.choice([a for a in AGENCIES if a != src])
        tid = f"t{i}"
        body: dict[str, Any] = {
            "id": tid,
            "kind": "case" if i % 10 else "joint",
            "to_agency": dst,
            "document_number": f"移〔2026〕{i}号",
            "case": {"id": f"c{i}", "violation_code": rng.choice(CODES)},
        }
        if i % 13:
            body["sent_at"] = rng.choice(EDGES[:-1]) if i % 7 == 0 else _when(rng)
        batches[src].append(_entry("transfer", tid, "send", body))
        sent.append((src, dst, tid))
    flush()
    for _src, dst, tid in sent:
        roll = rng.random()
        if roll < 0.2:
            continue  # never answered
        step: dict[str, Any] = {"transfer_id": tid}
        if rng.random() < 0.8:
            step["at"] = _when(rng)
        op = "return" if roll < 0.3 else "accept"
        batches[dst].append(_entry("transfer", tid, op, step))
    flush()
    for _src, dst, tid in sent:
        if rng.random() < 0.6:
            fb: dict[str, Any] = {"transfer_id": tid, "result": "处罚决定"}
            fb["fine"] = rng.choice([500, 1200.5, 0])
            if rng.random() < 0.8:
                fb["at"] = _when(rng)
            batches[dst].append(_entry("transfer", tid, "feedback", fb))
    flush()
    TRAINING[0] = False  # what other tests' entries are
    return answers


@pytest.fixture(scope="module", params=BACKENDS)
def platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[db.Database, dict[str, int]]]:
    with platform_database(request.param) as url:
        paths = db.PlatformPaths(tmp_path_factory.mktemp("platform"))
        database = db.Database.for_platform(paths, url)
        db.init(paths, training=False, database=database)
        with database, db.opened(database) as conn:
            answers = _fill(conn)
            yield database, answers


PERIODS = [
    Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31)),  # holds as_of's day
    Period(dt.date(2025, 12, 15), dt.date(2027, 1, 10)),
    Period(dt.date(2026, 8, 3), dt.date(2026, 8, 3)),
]
AS_OFS = [
    AS_OF,
    dt.datetime(2026, 9, 30, 23, 59, 59, tzinfo=CST),
    dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
]


def _boards(
    database: db.Database, period: Period, as_of: dt.datetime, view: list[str], training: bool
) -> tuple[Any, Any]:
    target = database.url or database.path
    assert target is not None
    with db.opened(target) as conn:
        ref = compute(
            load_platform_rows(conn, period, training=training),
            period,
            viewpoint=view,
            calendar=load_calendar(),
            as_of=as_of,
            scope_name="片区",
        )
        rows, counted = load_platform_counted(
            conn,
            lambda: db.opened(target),
            period,
            view,
            as_of=as_of,
            calendar=load_calendar(),
            training=training,
        )
        new = compute(
            rows,
            period,
            viewpoint=view,
            calendar=load_calendar(),
            as_of=as_of,
            scope_name="片区",
            counted=counted,
        )
        return ref, new


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}..{p.end}")
@pytest.mark.parametrize("as_of", AS_OFS, ids=lambda m: m.isoformat())
@pytest.mark.parametrize("view", [CLUSTER, [JS]], ids=["cluster", "one"])
def test_counted_bulletin_equals_the_full_fold(
    platform: tuple[db.Database, dict[str, int]],
    period: Period,
    as_of: dt.datetime,
    view: list[str],
) -> None:
    ref, new = _boards(platform[0], period, as_of, view, training=False)
    _same(ref, new)


def test_training_bulletin_equals_the_full_fold(tmp_path: Path) -> None:
    """A training platform (demo data only) counts its training records the same way."""
    paths = db.PlatformPaths(tmp_path)
    database = db.Database.for_platform(paths, None)
    db.init(paths, training=True, database=database)
    with database, db.opened(database) as conn:
        _fill(conn, seed=7, training=True)
    for as_of in AS_OFS:
        ref, new = _boards(database, PERIODS[2], as_of, CLUSTER, training=True)
        assert ref.figures["cases"].value
        _same(ref, new)
    ref, new = _boards(database, PERIODS[2], AS_OF, CLUSTER, training=False)
    assert ref.figures["cases"].value == new.figures["cases"].value == 0


def test_the_history_is_not_vacuous(platform: tuple[db.Database, dict[str, int]]) -> None:
    """Refusals, counted cases, rows and contested ids all happen in the generated history."""
    database, answers = platform
    assert answers["stored"] > 1000 and answers.get("rejected", 0) > 0
    ref, new = _boards(database, PERIODS[0], AS_OF, CLUSTER, training=False)
    assert isinstance(new.figures["cases"].ids, RecordIds) and new.figures["cases"].value > 100
    assert isinstance(new.figures["transfers_sent"].ids, RecordIds)  # counted, not rows
    assert ref.figures["overdue"].value and ref.figures["open"].value
    figures = ("transfers_sent", "transfers_received", "receipt_on_time", "feedback_on_time")
    assert all(ref.figures[k].value for k in figures)
    assert ref.figures["patrols"].value
    with db.opened(database.url or database.path or "") as conn:
        contested = conn.execute("SELECT count(*) FROM stat_cases WHERE contested = 1")
        assert contested.fetchone()[0] >= 40  # 25 ids created twice (a few first ones refused)
        answered = conn.execute(
            "SELECT count(*) FROM stat_transfers WHERE receipt_set = 1 AND receipt_at IS NULL"
        ).fetchone()[0]
        assert answered == 0  # a step without "at" keeps the time the platform received it


def _dump(conn: db.Connection) -> dict[str, list[Any]]:
    return {
        table: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {table}"))
        for table in ("stat_patrols", "stat_cases", "stat_transfers")
    }


def test_the_upgrade_replay_builds_the_same_projection(platform: tuple[db.Database, Any]) -> None:
    """Schema step 4 replays the stored entries through the push's own code: the same rows."""
    database = platform[0]
    with db.opened(database.url or database.path or "") as conn:
        kept = _dump(conn)
        with db.transaction(conn):
            for table in kept:
                conn.execute(f"DELETE FROM {table}")
            stats_projection.backfill(conn)
            assert _dump(conn) == kept


def test_times_no_time_zone_can_hold_neither_fail_a_push_nor_count(tmp_path: Path) -> None:
    """A time that parses but overflows when moved to UTC or CST is an unreadable time: the
    push that folds it is stored, the bulletin skips it like the full fold does."""
    paths = db.PlatformPaths(tmp_path)
    database = db.Database.for_platform(paths, None)
    db.init(paths, training=False, database=database)
    TRAINING[0] = False  # real entries, whichever test ran before
    edge = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"]
    entries = [
        _entry("case", f"x{i}", "create", {"taken_at": t, "created_at": t, "status": "recorded"})
        for i, t in enumerate(edge)
    ]
    entries.append(
        _entry("patrol", "px", "create", {"agencies": [QP, JS], "actual_start": edge[1]})
    )
    send = {"id": "tx", "kind": "case", "to_agency": JS, "document_number": "移1号"}
    entries.append(_entry("transfer", "tx", "send", {**send, "sent_at": edge[0]}))
    with database, db.opened(database) as conn:
        results = records.push(conn, _caller(QP), entries, training_platform=False)
        assert [r["status"] for r in results] == ["stored"] * 4
        step = _entry("transfer", "tx", "accept", {"transfer_id": "tx", "at": edge[1]})
        assert records.push(conn, _caller(JS), [step], training_platform=False)[0]["status"] == (
            "stored"
        )
    ref, new = _boards(database, PERIODS[2], AS_OF, CLUSTER, training=False)
    _same(ref, new)
