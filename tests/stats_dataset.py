"""A store with known cooperation figures, written straight into SQLite (fast, and independent of
the services under test). Used by the stats, bulletin and GUI tests, the benchmark and screenshots.

Own agency: 青浦 310118. Period: 2026Q3. ``as_of``: 2026-11-20 12:00 CST. The expected figures are
worked out by hand in ``EXPECTED`` (see the comments), not by the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from typing import Any

CST = dt.timezone(dt.timedelta(hours=8))
AS_OF = dt.datetime(2026, 11, 20, 12, 0, tzinfo=CST)
OWN, JS, WJ = "310118", "330421", "320509"
A, B = "JZLJ-01", "SRHJ-01"  # 偷倒乱倒建筑垃圾, 占道经营


def t(text: str) -> str:
    """``'2026-07-10 09:00'`` (CST) → stored UTC ISO text like the app writes."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST).astimezone(dt.UTC).isoformat()


def utc_z(text: str) -> str:
    moment = dt.datetime.fromisoformat(text).replace(tzinfo=CST).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _officer(conn: Any, agency: str, name: str) -> str:
    oid = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO officers (id, name, badge, agency_code, created_at) VALUES (?, ?, ?, ?, ?)",
        [oid, name, f"B{agency}{name}", agency, "2026-01-01T00:00:00+00:00"],
    )
    return oid


def add_patrol(
    conn: Any,
    officer: str,
    ptype: str,
    status: str,
    start: str | None,
    end: str | None,
    agencies: list[str],
    n_officers: int,
    training: int = 0,
    planned: str = "2026-08-01 09:00",
) -> str:
    pid = str(uuid.uuid4())
    s = start or planned
    conn.execute(
        "INSERT INTO patrols (id, type, status, title, planned_start, planned_end, actual_start,"
        " actual_end, start_utc, end_utc, training, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            pid,
            ptype,
            status,
            f"{ptype}{s[:10]}",
            s,
            s,
            t(start) if start else None,
            t(end) if end else None,
            utc_z(s),
            utc_z(end or s),
            training,
            officer,
            t(s),
            t(s),
        ],
    )
    for i, a in enumerate(agencies):
        conn.execute(
            "INSERT INTO patrol_agencies (patrol_id, agency_code, lead) VALUES (?, ?, ?)",
            [pid, a, int(i == 0)],
        )
    for i in range(n_officers):
        conn.execute(
            "INSERT INTO patrol_officers (patrol_id, agency_code, name, badge) VALUES (?, ?, ?, ?)",
            [pid, agencies[i % len(agencies)], f"队员{i}", f"{pid[:6]}{i}"],
        )
    return pid


def add_case(
    conn: Any,
    officer: str,
    code: str,
    where: str,
    taken: str | None,
    status: str = "recorded",
    training: int = 0,
) -> str:
    cid = str(uuid.uuid4())
    taken_iso = dt.datetime.fromisoformat(taken).replace(tzinfo=CST).isoformat() if taken else None
    conn.execute(
        "INSERT INTO cases (id, violation_code, status, taken_at, place, jurisdiction_code,"
        " training, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            cid,
            code,
            status,
            taken_iso,
            "某路",
            where,
            training,
            officer,
            t(taken or "2026-08-01 00:00"),
            t(taken or "2026-08-01 00:00"),
        ],
    )
    return cid


def add_transfer(
    conn: Any,
    direction: str,
    other: str,
    sent: str,
    status: str,
    receipt: str | None = None,
    feedback: str | None = None,
    code: str = A,
    case_id: str | None = None,
    training: int = 0,
    cursor: list[int] | None = None,
) -> str:
    """Receipt/feedback times go where the app keeps them: pulled status items (out), our
    ledger (in; written without the hash chain, which these statistics do not read)."""
    tid = str(uuid.uuid4())
    payload = {"id": tid, "sent_at": t(sent), "case": {"violation_code": code}}
    created = t(sent) if direction == "out" else t(sent[:10] + " 23:59")
    conn.execute(
        "INSERT INTO transfers (id, kind, direction, status, document_number, case_id,"
        " other_agency, deadline, payload, training, created_at, updated_at, feedback)"
        " VALUES (?, 'case', ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
        [
            tid,
            direction,
            status,
            f"青城管移〔2026〕{tid[:4]}号",
            case_id,
            other,
            json.dumps(payload),
            training,
            created,
            created,
            json.dumps({"result": "处罚决定", "fine": 2000}) if feedback else None,
        ],
    )
    events = [("receipt", receipt), ("feedback", feedback)]
    for what, when in events:
        if not when:
            continue
        op = "feedback" if what == "feedback" else ("return" if status == "returned" else "accept")
        if direction == "out":
            cursor = cursor if cursor is not None else [0]
            cursor[0] += 1
            conn.execute(
                "INSERT INTO inbox (cursor, kind, ref_id, payload, received_at)"
                " VALUES ((SELECT coalesce(max(cursor), 0) + 1 FROM inbox), 'transfer_status', ?,"
                " ?, ?)",
                [tid, json.dumps({"transfer_id": tid, "op": op, "at": t(when)}), t(when)],
            )
        else:
            conn.execute(
                "INSERT INTO ledger (seq, kind, entity_id, payload, officer_id, at, prev_hash, hash)"
                " VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM ledger), ?, ?, ?, NULL, ?, '', ?)",
                [
                    f"transfer_{op}",
                    tid,
                    json.dumps({"transfer_id": tid, "at": t(when)}),
                    t(when),
                    uuid.uuid4().hex,
                ],
            )
    return tid


def build_known(store: Any) -> dict[str, Any]:
    """The hand-checked dataset; returns ids by name for drill-down checks."""
    conn = store.conn
    conn.execute("BEGIN")
    me = _officer(conn, OWN, "张伟")
    partner = _officer(conn, JS, "李强")
    ids: dict[str, Any] = {}
    # Patrols: P1 陆路 4 officers 3 h = 12; P2 水路 3 officers 2.5 h = 7.5; P3 in progress.
    ids["P1"] = add_patrol(
        conn, me, "陆路巡查", "closed", "2026-07-10 09:00", "2026-07-10 12:00", [OWN, JS], 4
    )
    ids["P2"] = add_patrol(
        conn, me, "水路巡查", "closed", "2026-08-05 08:00", "2026-08-05 10:30", [OWN, WJ], 3
    )
    ids["P3"] = add_patrol(
        conn, me, "陆路巡查", "in_progress", "2026-09-30 23:00", None, [OWN, JS], 2
    )
    add_patrol(conn, me, "陆路巡查", "closed", "2026-06-30 23:30", "2026-07-01 02:00", [OWN, JS], 2)
    add_patrol(conn, me, "陆路巡查", "closed", "2026-07-15 09:00", "2026-07-15 11:00", [OWN], 2)
    add_patrol(conn, me, "陆路巡查", "planned", None, None, [OWN, JS], 2)
    add_patrol(
        conn, partner, "陆路巡查", "closed", "2026-07-16 09:00", "2026-07-16 11:00", [JS, WJ], 2
    )
    add_patrol(
        conn,
        me,
        "陆路巡查",
        "closed",
        "2026-07-17 09:00",
        "2026-07-17 11:00",
        [OWN, JS],
        2,
        training=1,
    )
    add_patrol(conn, me, "陆路巡查", "closed", "2026-10-01 00:10", "2026-10-01 02:00", [OWN, JS], 2)
    # Cases: A×3 in 青浦 (one on 1 July 00:00, one on 30 September 23:59), B×2 in 嘉善.
    ids["C"] = [
        add_case(conn, me, A, OWN, "2026-07-01 00:00"),
        add_case(conn, me, A, OWN, "2026-08-12 10:00"),
        add_case(conn, me, A, OWN, "2026-09-30 23:59"),
        add_case(conn, me, B, JS, "2026-07-20 15:00"),
        add_case(conn, me, B, JS, "2026-09-02 11:00"),
    ]
    add_case(conn, me, A, OWN, "2026-10-01 00:00")  # Q4
    add_case(conn, me, A, OWN, "2026-06-30 23:59")  # Q2
    add_case(conn, me, A, OWN, "2026-08-01 10:00", status="draft")
    add_case(conn, me, A, OWN, "2026-08-01 10:00", training=1)
    add_case(conn, partner, A, JS, "2026-08-01 10:00")  # recorded by 嘉善
    received_case = add_case(conn, me, B, OWN, "2026-08-18 10:00")  # registered on accept
    # Transfers (receipt due = 7 working days after sending, holidays and 调休 counted):
    ids["T1"] = add_transfer(
        conn, "out", JS, "2026-07-06 10:00", "feedback_sent", "2026-07-08 10:00", "2026-08-01 10:00"
    )
    # Sent Tue 29 Sep; 30 Sep, (1-7 Oct holiday), 8, 9, Sat 10 (调休), 12, 13, 14 → due 14 Oct.
    ids["T2"] = add_transfer(conn, "out", WJ, "2026-09-29 09:00", "accepted", "2026-10-14 16:00")
    ids["T3"] = add_transfer(conn, "out", JS, "2026-09-29 09:00", "returned", "2026-10-15 10:00")
    ids["T4"] = add_transfer(conn, "in", JS, "2026-08-10 10:00", "sent")
    ids["T5"] = add_transfer(
        conn,
        "in",
        WJ,
        "2026-08-20 10:00",
        "feedback_sent",
        "2026-08-21 10:00",
        "2026-09-10 10:00",
        code=B,
        case_id=received_case,
    )
    ids["T6"] = add_transfer(conn, "out", JS, "2026-06-25 10:00", "accepted", "2026-06-26 10:00")
    add_transfer(conn, "out", JS, "2026-10-02 10:00", "sent")
    add_transfer(conn, "out", JS, "2026-08-02 10:00", "sent", training=1)
    ids["T9"] = add_transfer(conn, "in", JS, "2026-09-30 23:30", "sent")
    conn.execute("COMMIT")
    return ids


EXPECTED: dict[str, Any] = {
    "patrols": 3,
    "patrols_by_type": {"陆路巡查": 2, "水路巡查": 1},
    "officer_hours": 19.5,  # 4 × 3 h + 3 × 2.5 h
    "cases": 5,
    "cases_by_type": {"偷倒乱倒建筑垃圾": 3, "占道经营": 2},
    "cases_by_jurisdiction": {"青浦区": 3, "嘉善县": 2},
    "transfers_sent": 3,  # T1 T2 T3
    "transfers_received": 3,  # T4 T5 T9
    # decided: T1 ok, T2 ok (14 Oct = due), T3 late (15 Oct), T4 overdue, T5 ok, T9 overdue
    "receipt_on_time": (3, 6),
    # decided: T1 ok, T5 ok; T2's feedback not yet due
    "feedback_on_time": (2, 2),
    "open": 4,  # T2 (feedback), T4, T6 (Q2, feedback overdue), T9
    "overdue": 3,  # T4, T6, T9
    # T1 2 d, T2 15 d 7 h, T3 16 d 1 h, T5 1 d
    "mean_receipt_days": (2 + 15 + 7 / 24 + 16 + 1 / 24 + 1) / 4,
    "mean_feedback_days": (24 + 20) / 2,
    "months": {"2026-07": (1, 2, 1, 0), "2026-08": (1, 1, 0, 2), "2026-09": (1, 2, 2, 1)},
}


def build_bulk(
    store: Any,
    *,
    cases: int,
    transfers: int,
    patrols: int,
    seed: int = 7,
    start: dt.date = dt.date(2025, 1, 1),
    days: int = 730,
    officer: str = "张伟",
) -> None:
    """Random data for the benchmark and screenshots (spread over ``days`` from ``start``)."""
    rnd = random.Random(seed)
    conn = store.conn
    conn.execute("BEGIN")
    me = _officer(conn, OWN, officer)
    codes = [r[0] for r in conn.execute("SELECT code FROM violation_types")]
    where = [OWN, OWN, OWN, JS, WJ]
    types = ["陆路巡查", "陆路巡查", "水路巡查", "共同管辖区域巡查", "重大活动保障"]

    def moment() -> dt.datetime:
        return dt.datetime.combine(start, dt.time(8), CST) + dt.timedelta(
            minutes=rnd.randrange(days * 24 * 60)
        )

    rows = []
    for _ in range(patrols):
        s = moment()
        e = s + dt.timedelta(hours=rnd.choice((2, 3, 4)))
        pid = str(uuid.uuid4())
        rows.append(
            (
                pid,
                rnd.choice(types),
                "closed",
                "巡查",
                s.isoformat(),
                e.isoformat(),
                s.isoformat(),
                e.isoformat(),
                s.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                e.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                0,
                me,
                s.isoformat(),
                s.isoformat(),
            )
        )
    conn.executemany(
        "INSERT INTO patrols (id, type, status, title, planned_start, planned_end, actual_start,"
        " actual_end, start_utc, end_utc, training, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO patrol_agencies (patrol_id, agency_code, lead) VALUES (?, ?, ?)",
        [(r[0], a, i == 0) for r in rows for i, a in enumerate((OWN, rnd.choice((JS, WJ))))],
    )
    conn.executemany(
        "INSERT INTO patrol_officers (patrol_id, agency_code, name, badge) VALUES (?, ?, ?, ?)",
        [(r[0], OWN, f"队员{i}", f"{r[0][:8]}{i}") for r in rows for i in range(rnd.randint(2, 6))],
    )
    case_rows = []
    for _ in range(cases):
        s = moment()
        case_rows.append(
            (
                str(uuid.uuid4()),
                rnd.choice(codes),
                "recorded",
                s.isoformat(),
                rnd.choice(where),
                me,
                s.isoformat(),
                s.isoformat(),
            )
        )
    conn.executemany(
        "INSERT INTO cases (id, violation_code, status, taken_at, jurisdiction_code, created_by,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        case_rows,
    )
    inbox, ledger_rows, trows = [], [], []
    for i in range(transfers):
        s = moment().astimezone(dt.UTC)
        tid, direction = str(uuid.uuid4()), rnd.choice(("out", "in"))
        r = rnd.random()
        status = (
            "sent"
            if r < 0.15
            else "returned"
            if r < 0.2
            else "accepted"
            if r < 0.5
            else "feedback_sent"
        )
        receipt = s + dt.timedelta(hours=rnd.randint(2, 300)) if status != "sent" else None
        fb = (
            receipt + dt.timedelta(days=rnd.randint(5, 120))
            if status == "feedback_sent" and receipt
            else None
        )
        payload = json.dumps(
            {"id": tid, "sent_at": s.isoformat(), "case": {"violation_code": rnd.choice(codes)}}
        )
        trows.append(
            (
                tid,
                direction,
                status,
                f"青城管移〔{s.year}〕{i + 1}号",
                rnd.choice((JS, WJ)),
                payload,
                s.isoformat(),
                s.isoformat(),
            )
        )
        for what, when in (("receipt", receipt), ("feedback", fb)):
            if when is None:
                continue
            op = (
                "feedback"
                if what == "feedback"
                else ("return" if status == "returned" else "accept")
            )
            body = json.dumps({"transfer_id": tid, "op": op, "at": when.isoformat()})
            if direction == "out":
                inbox.append((len(inbox) + 1, "transfer_status", tid, body, when.isoformat()))
            else:
                ledger_rows.append(
                    (
                        len(ledger_rows) + 1,
                        f"transfer_{op}",
                        tid,
                        body,
                        when.isoformat(),
                        uuid.uuid4().hex,
                    )
                )
    conn.executemany(
        "INSERT INTO transfers (id, kind, direction, status, document_number, other_agency,"
        " payload, training, created_at, updated_at) VALUES (?, 'case', ?, ?, ?, ?, ?, 0, ?, ?)",
        trows,
    )
    conn.executemany(
        "INSERT INTO inbox (cursor, kind, ref_id, payload, received_at) VALUES (?, ?, ?, ?, ?)",
        inbox,
    )
    conn.executemany(
        "INSERT INTO ledger (seq, kind, entity_id, payload, officer_id, at, prev_hash,"
        " hash) VALUES (?, ?, ?, ?, NULL, ?, '', ?)",
        ledger_rows,
    )
    conn.execute("COMMIT")
