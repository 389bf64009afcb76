"""The statistics' projection of what agencies pushed, kept up to date inside each push.

Why: the cluster bulletin used to fold every pushed entry of every agency in Python
(:func:`officer_app.platform.stats_rows.load_platform_rows`) each time it was asked for; over a
million cases that is seconds of JSON parsing. Here the same fold happens once, entry by entry,
in the transaction that stores the entry, into rows with the columns the bulletin counts on in
SQL (the CST day a case was found, the recording agency's district, the codes), on SQLite and
PostgreSQL alike. ``load_platform_rows`` stays as the reference the tests hold this to.

The rules are the fold's:

- a patrol or case record is the pushing agency's: keyed by (training, agency, entity id); its
  first ``create`` sets it, a change by the same agency is applied on top (``new_code`` moves a
  case's jurisdiction), a change by another agency is not;
- an entity id created by two agencies is *contested*: the first creator (lowest ``seq``) wins,
  decided when read (:mod:`stats_counted`), since two agencies' pushes may commit in either order;
- a case transfer's receipt is its first 接收 or 退回, its feedback its first 反馈, each at the
  step's ``at`` or else when the platform received it.

Order: on PostgreSQL a push holds the lock ``stat:<entity>:<id>`` of every record it changes
(:func:`lock_names`) and a transfer's own lock for its steps, so the changes to one record are
applied in the order of their ``seq``; SQLite has one writer at a time anyway.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from officer_app.domain.stats_model import CST
from officer_app.domain.stats_rules import district
from officer_app.platform.stats_rows import _object, _text, _time
from officer_app.platform.validate import Entry

if TYPE_CHECKING:
    from officer_app.platform.sql import Sql as Connection

__all__ = ["TABLES", "apply_records", "backfill", "lock_names", "micros", "on_send", "on_step"]

#: Record columns shared by both kinds: the folded record (JSON) and how it was created.
_COMMON = """training INTEGER NOT NULL, agency TEXT NOT NULL, entity_id TEXT NOT NULL,
    create_seq INTEGER NOT NULL, contested INTEGER NOT NULL DEFAULT 0, record TEXT NOT NULL,
    district TEXT NOT NULL"""

TABLES = [
    f"""CREATE TABLE IF NOT EXISTS stat_patrols ({_COMMON}, status TEXT NOT NULL,
    start_day TEXT NOT NULL, PRIMARY KEY (training, agency, entity_id))""",
    f"""CREATE TABLE IF NOT EXISTS stat_cases ({_COMMON}, status TEXT NOT NULL,
    violation_code TEXT NOT NULL, jurisdiction_code TEXT NOT NULL, found_day TEXT NOT NULL,
    PRIMARY KEY (training, agency, entity_id))""",
    # Times as microseconds since 1970 (UTC): compared with as_of and subtracted in SQL, exactly
    # and the same on both backends; days as CST dates.
    """CREATE TABLE IF NOT EXISTS stat_transfers (
    from_agency TEXT NOT NULL, id TEXT NOT NULL, training INTEGER NOT NULL,
    from_district TEXT NOT NULL, to_district TEXT NOT NULL, number TEXT NOT NULL,
    status TEXT NOT NULL, sent_at TEXT NOT NULL, sent_us INTEGER NOT NULL, sent_day TEXT NOT NULL,
    violation_code TEXT, case_id TEXT,
    receipt_set INTEGER NOT NULL DEFAULT 0, receipt_at TEXT, receipt_us INTEGER, receipt_day TEXT,
    feedback_set INTEGER NOT NULL DEFAULT 0, feedback_at TEXT, feedback_us INTEGER,
    feedback_day TEXT, result TEXT NOT NULL DEFAULT '', fine TEXT,
    PRIMARY KEY (from_agency, id))""",
    # The bulletin's count: a covering range over the found days (stats_counted.py).
    "CREATE INDEX IF NOT EXISTS stat_cases_day ON stat_cases(training, found_day, district,"
    " contested, status, violation_code, jurisdiction_code)",
    "CREATE INDEX IF NOT EXISTS stat_cases_id ON stat_cases(entity_id)",
    "CREATE INDEX IF NOT EXISTS stat_patrols_day ON stat_patrols(training, start_day)",
    "CREATE INDEX IF NOT EXISTS stat_patrols_id ON stat_patrols(entity_id)",
    "CREATE INDEX IF NOT EXISTS stat_transfers_sent ON stat_transfers(training, sent_day)",
]

_TABLE = {"patrol": "stat_patrols", "case": "stat_cases"}


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def micros(moment: dt.datetime) -> int:
    """``moment`` as whole microseconds since 1970 UTC (exact: times carry microseconds)."""
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def _day(moment: dt.datetime | None) -> str:
    return moment.astimezone(CST).date().isoformat() if moment is not None else ""


def lock_names(entries: Iterable[Entry]) -> list[str]:
    """The records a batch changes (PostgreSQL's push holds them, see the module docstring)."""
    return [f"stat:{e.entity}:{e.entity_id}" for e in entries if e.entity in _TABLE]


def derived(entity: str, record: dict[str, Any]) -> list[Any]:
    """The columns counted on, read as defensively as the fold reads them."""
    if entity == "patrol":
        return [_text(record.get("status")) or "", _day(_time(record.get("actual_start")))]
    found = _time(record.get("taken_at")) or _time(record.get("created_at"))
    return [
        _text(record.get("status")) or "recorded",
        _text(record.get("violation_code")) or "",
        _text(record.get("jurisdiction_code")) or "",
        _day(found),
    ]


_DERIVED = {
    "patrol": ("status", "start_day"),
    "case": ("status", "violation_code", "jurisdiction_code", "found_day"),
}


def apply_records(conn: Connection, agency: str, stored: Sequence[tuple[Entry, int]]) -> None:
    """Fold a batch's stored patrol and case entries (with their ``seq``) into the projection:
    per kind one read of the records it changes, one upsert, and for a new id another agency
    already created, one update marking both contested."""
    for entity, table in _TABLE.items():
        mine = [(e, seq) for e, seq in stored if e.entity == entity]
        if not mine:
            continue
        ids = sorted({e.entity_id for e, _ in mine})
        records: dict[tuple[int, str], dict[str, Any]] = {}
        seqs: dict[tuple[int, str], int] = {}
        for training, eid, record, seq in conn.execute(
            f"SELECT training, entity_id, record, create_seq FROM {table}"
            f" WHERE entity_id IN {conn.in_list(ids)} AND agency = ?",  # on stat_*_id
            [*ids, agency],
        ):
            records[(int(training), eid)] = _object(json.loads(record))
            seqs[(int(training), eid)] = int(seq)
        new: set[tuple[int, str]] = set()
        touched: dict[tuple[int, str], None] = {}
        for e, seq in mine:
            key = (int(e.training), e.entity_id)
            body = _object(e.payload)
            if e.op == "create":
                if key in records:
                    continue  # a second create of one record changes nothing (the fold's setdefault)
                records[key], seqs[key] = dict(body), seq
                new.add(key)
            elif key in records:  # only who recorded it may change it
                if entity == "case" and "new_code" in body:
                    body = {"jurisdiction_code": body["new_code"]}
                records[key].update(body)
            else:
                continue
            touched[key] = None
        if not touched:
            continue
        names = _DERIVED[entity]
        cols = ", ".join(names)
        marks = ", ".join("?" * len(names))
        updates = ", ".join(f"{n} = excluded.{n}" for n in ("record", *names))
        conn.executemany(
            f"INSERT INTO {table} (training, agency, entity_id, create_seq, record, district,"
            f" {cols}) VALUES (?, ?, ?, ?, ?, ?, {marks})"
            f" ON CONFLICT (training, agency, entity_id) DO UPDATE SET {updates}",
            [
                [
                    key[0],
                    agency,
                    key[1],
                    seqs[key],
                    json.dumps(records[key], ensure_ascii=False, sort_keys=True),
                    district(agency),
                    *derived(entity, records[key]),
                ]
                for key in touched
            ],
        )
        _mark_contested(conn, table, agency, sorted(new))


def _mark_contested(conn: Connection, table: str, agency: str, new: list[tuple[int, str]]) -> None:
    if not new:
        return
    ids = sorted({eid for _, eid in new})
    shared = {
        (int(training), eid)
        for training, eid in conn.execute(
            f"SELECT training, entity_id FROM {table}"
            f" WHERE entity_id IN {conn.in_list(ids)} AND agency != ?",
            [*ids, agency],
        )
    } & set(new)
    if shared:
        conn.executemany(
            f"UPDATE {table} SET contested = 1 WHERE training = ? AND entity_id = ?",
            sorted(shared),
        )


def on_send(conn: Connection, transfer: dict[str, Any], payload: dict[str, Any]) -> None:
    """A transfer just stored (``transfer``: its row's fields); only case transfers are counted
    (联合查处 is not a transfer of the bulletin)."""
    if transfer["kind"] != "case":
        return
    sent_text = payload.get("sent_at") if _time(payload.get("sent_at")) else transfer["created_at"]
    sent = _time(sent_text)
    if sent is None:
        return  # the fold skips a transfer without a readable time of sending
    case = _object(payload.get("case"))
    conn.execute(
        "INSERT INTO stat_transfers (from_agency, id, training, from_district, to_district,"
        " number, status, sent_at, sent_us, sent_day, violation_code, case_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            transfer["from_agency"],
            transfer["id"],
            int(transfer["training"]),
            district(transfer["from_agency"]),
            district(transfer["to_agency"]),
            transfer["document_number"],
            transfer["status"],
            sent_text,
            micros(sent),
            _day(sent),
            _text(case.get("violation_code")),
            _text(case.get("id")),
        ],
    )


def on_step(conn: Connection, transfer: Any, op: str, status: str, e: Entry, received: str) -> None:
    """A step of the transfer row ``transfer`` that moved it to ``status``: the status always
    (the bulletin reads the transfer's own), the first receipt and feedback when the step is of
    the transfer's kind of data (training or real)."""
    key = [transfer["from_agency"], transfer["id"]]
    conn.execute(
        "UPDATE stat_transfers SET status = ? WHERE from_agency = ? AND id = ?", [status, *key]
    )
    if op not in ("accept", "return", "feedback") or int(e.training) != int(transfer["training"]):
        return
    body = _object(e.payload)
    at = _text(body.get("at", received))
    moment = _time(at)
    when = [at, moment and micros(moment), _day(moment) if moment else None]
    if op != "feedback":
        conn.execute(
            "UPDATE stat_transfers SET receipt_set = 1, receipt_at = ?, receipt_us = ?,"
            " receipt_day = ? WHERE from_agency = ? AND id = ? AND receipt_set = 0",
            [*when, *key],
        )
        return
    fine = body.get("fine")
    number = isinstance(fine, int | float) and not isinstance(fine, bool)
    conn.execute(
        "UPDATE stat_transfers SET feedback_set = 1, feedback_at = ?, feedback_us = ?,"
        " feedback_day = ?, result = ?, fine = ? WHERE from_agency = ? AND id = ?"
        " AND feedback_set = 0",
        [*when, _text(body.get("result")) or "", json.dumps(fine) if number else None, *key],
    )


def backfill(conn: Connection) -> None:
    """Build the projection from every entry already stored, in push order, through the same
    functions a push uses (schema step 4: a platform upgraded keeps its bulletin's figures)."""
    transfers: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute("SELECT * FROM transfers ORDER BY created_at"):
        row = dict(r)
        transfers.setdefault(row["id"], []).append(row)
        on_send(conn, row, _object(json.loads(row["payload"])))  # with its status as it is now
    last = pages = 0
    while True:  # in pages: an old platform may hold millions of entries
        rows = conn.execute(
            "SELECT seq, id, agency, entity, entity_id, op, payload, training, received_at"
            " FROM entries WHERE seq > ? ORDER BY seq LIMIT 5000",
            [last],
        ).fetchall()
        if not rows:
            break
        last = int(rows[-1][0])
        pages += 1
        if conn.dialect == "postgresql" and pages % 20 == 2:
            # The tables grow inside this one transaction, where autovacuum never looks: without
            # fresh statistics PostgreSQL plans each look-up below as a scan of the whole table.
            conn.execute("ANALYZE stat_patrols, stat_cases, stat_transfers")
        # Grouped by agency, in order within each: a record is one agency's, its order is kept
        # (a contested id is marked whichever of its creators comes second).
        by_agency: dict[str, list[tuple[Entry, int]]] = {}
        for seq, eid, agency, entity, entity_id, op, payload, training, received in rows:
            e = Entry(eid, entity, entity_id, op, _object(json.loads(payload)), bool(training), ())
            if entity in _TABLE:
                by_agency.setdefault(agency, []).append((e, int(seq)))
            elif entity == "transfer" and op in ("accept", "return", "feedback"):
                row = _answered(transfers, agency, e.payload.get("transfer_id"))
                if row is not None:
                    on_step(conn, row, op, row["status"], e, received)
        for agency, batch in by_agency.items():
            for chunk in range(0, len(batch), 500):
                apply_records(conn, agency, batch[chunk : chunk + 500])


def _answered(transfers: dict[str, list[dict[str, Any]]], agency: str, tid: Any) -> Any:
    """The transfer a step of ``agency`` was routed to (``records._party_row``'s choice)."""
    mine = [
        r
        for r in transfers.get(_text(tid) or "", [])
        if agency in (r["to_agency"], r["from_agency"])
    ]
    mine.sort(key=lambda r: r["to_agency"] != agency)  # stable: then by created_at
    return mine[0] if mine else None
