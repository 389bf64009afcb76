"""The platform's side of the statistics: plain rows rebuilt from what agencies pushed.

The platform keeps every pushed outbox entry as received (``entries``) plus its routed
``transfers``. Folding the patrol and case entries of each entity in push order gives the same
records the laptops hold; the transfer steps (``accept`` / ``return`` / ``feedback``) carry the
time the receiving agency acted. The rows go into the same :func:`officer_app.domain.stats_rules.compute`
as the laptop's, so a cluster bulletin counts exactly like each agency's 统计 page.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from officer_app.domain.stats_model import (
    CST,
    CaseRow,
    PatrolRow,
    Period,
    StatsRows,
    TransferRow,
    parse_time,
)
from officer_app.domain.stats_rules import district
from officer_app.paths import resources_dir

if TYPE_CHECKING:
    from officer_app.platform.sql import Sql as Connection

__all__ = [
    "agency_map",
    "case_row",
    "cluster_members",
    "code_names",
    "load_platform_rows",
    "patrol_row",
]


@lru_cache(maxsize=1)
def _codes() -> tuple[dict[str, Any], dict[str, Any]]:
    codes = resources_dir() / "codes"
    with open(codes / "agencies.json", encoding="utf-8") as fh:
        agencies = json.load(fh)
    with open(codes / "violations.json", encoding="utf-8") as fh:
        violations = json.load(fh)
    return agencies, violations


def cluster_members(name: str) -> list[str]:
    """District codes of a named cluster (青嘉吴 …) from the shipped code table."""
    for cluster in _codes()[0]["clusters"]:
        if cluster["name"] == name.strip():
            return [district(c) for c in cluster["members"]]
    known = "、".join(c["name"] for c in _codes()[0]["clusters"])
    raise LookupError(f"未知的协作片区：{name}（可选：{known}）")


def agency_map(code: str) -> list[str]:
    """The districts an agency's map shows: itself first, then its clusters' members."""
    found = [
        district(c)
        for cluster in _codes()[0]["clusters"]
        if code in {district(m) for m in cluster["members"]}
        for c in cluster["members"]
    ]
    return list(dict.fromkeys([code, *found]))


# What agencies pushed is read defensively: an entry stored before the platform checked payloads
# (or one whose fields the platform does not check) must not stop a cluster bulletin.
def _time(value: Any) -> dt.datetime | None:
    """A readable time, or None: also for one that no time zone can hold (``0001-01-01T00:00+14:00``
    parses, but overflows when moved to UTC or CST; the push that folds it must not fail)."""
    try:
        moment = parse_time(value) if isinstance(value, str) else None
        if moment is not None:
            moment.astimezone(dt.UTC).astimezone(CST)
        return moment
    except (ValueError, OverflowError):
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def code_names() -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """(division names, violation names, agencies by code) from the shipped code tables."""
    agencies, violations = _codes()
    divisions = {a["division_code"]: a["division_name"] for a in agencies["agencies"]}
    vnames = {v["code"]: v["name"] for v in violations["violation_types"]}
    by_code = {a["code"]: a for a in agencies["agencies"]}
    return divisions, vnames, by_code


def _fold(conn: Connection, entity: str, training: bool) -> dict[str, tuple[str, dict[str, Any]]]:
    """entity id → (pushing agency, the record with every later change applied in order).

    A change pushed by another agency under the same entity id is not applied: a writer must be
    a party to what it writes, and an id learnt from a pulled item must not let one agency rewrite
    another's patrol in the cluster bulletin."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for agency, eid, op, payload in conn.execute(
        "SELECT agency, entity_id, op, payload FROM entries WHERE entity = ? AND training = ?"
        " ORDER BY seq",
        [entity, int(training)],
    ):
        body = _object(json.loads(payload))
        if op == "create":
            out.setdefault(eid, (agency, dict(body)))
        elif eid in out and out[eid][0] == agency:  # only who recorded it may change it
            if entity == "case" and "new_code" in body:
                body = {"jurisdiction_code": body["new_code"]}
            out[eid][1].update(body)
    return out


def patrol_row(pid: str, p: dict[str, Any]) -> PatrolRow:
    """A folded patrol record as the statistics read it (here and in :mod:`stats_counted`)."""
    return PatrolRow(
        pid,
        _text(p.get("type")) or "",
        _text(p.get("status")) or "",
        _time(p.get("actual_start")),
        _time(p.get("actual_end")),
        tuple(sorted({district(c) for c in _list(p.get("agencies")) if _text(c)})),
        len(_list(p.get("officers"))),
        _text(p.get("title")) or "",
    )


def case_row(cid: str, agency: str, c: dict[str, Any]) -> CaseRow:
    """A folded case record of the pushing ``agency`` as the statistics read it."""
    return CaseRow(
        cid,
        district(agency),
        _text(c.get("violation_code")),
        _text(c.get("jurisdiction_code")),
        _time(c.get("taken_at")) or _time(c.get("created_at")),
        _text(c.get("status")) or "recorded",
    )


def load_platform_rows(conn: Connection, period: Period, *, training: bool = False) -> StatsRows:
    """Every agency's rows; :func:`~officer_app.domain.stats_rules.compute` picks the viewpoint's.

    Folds every pushed entry each time: the reference :mod:`stats_counted` (what the bulletin
    uses, over the projection of :mod:`stats_projection`) is held to by the tests."""
    del period  # the platform folds whole histories: a change may postdate the period
    patrols = [patrol_row(pid, p) for pid, (_, p) in _fold(conn, "patrol", training).items()]
    cases = [case_row(cid, a, c) for cid, (a, c) in _fold(conn, "case", training).items()]
    steps: dict[tuple[str, str], dict[str, Any]] = {}
    for eid, op, payload, received in conn.execute(
        "SELECT entity_id, op, payload, received_at FROM entries WHERE entity = 'transfer'"
        " AND op IN ('accept', 'return', 'feedback') AND training = ? ORDER BY seq",
        [int(training)],
    ):
        body = _object(json.loads(payload))
        body.setdefault("at", received)
        steps.setdefault((eid, "feedback" if op == "feedback" else "receipt"), body)
    transfers = []
    for row in conn.execute(
        "SELECT id, from_agency, to_agency, status, document_number, payload, created_at"
        " FROM transfers WHERE training = ? AND kind = 'case'",  # not 联合查处
        [int(training)],
    ):
        tid, src, dst, status, number, payload, created = row
        p = _object(json.loads(payload))
        sent = _time(p.get("sent_at")) or _time(created)
        if sent is None:
            continue
        receipt, fb = steps.get((tid, "receipt"), {}), steps.get((tid, "feedback"), {})
        case = _object(p.get("case"))
        fine = fb.get("fine")
        transfers.append(
            TransferRow(
                tid,
                district(src),
                district(dst),
                sent,
                number,
                status,
                _time(receipt.get("at")),
                _time(fb.get("at")),
                _text(case.get("violation_code")),
                _text(case.get("id")),
                _text(fb.get("result")) or "",
                fine if isinstance(fine, int | float) and not isinstance(fine, bool) else None,
            )
        )
    divisions, vnames, _ = code_names()
    return StatsRows(patrols, cases, transfers, divisions, vnames)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
