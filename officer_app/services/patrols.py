"""Joint patrols: create, edit while open, start, close, and amend once closed.

Every change is one transaction that also writes the ledger entry and the outbox entry.  Each
write names the patrol ``version`` it was based on; a write from a stale copy is refused with a
:class:`ConflictError` instead of silently overwriting someone else's correction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from officer_app.domain import patrol as rules
from officer_app.domain.patrol import OfficerEntry
from officer_app.domain.times import to_utc_iso
from officer_app.errors import ConflictError, NotFoundError, StateError, ValidationError
from officer_app.services.agencies import get_agency
from officer_app.services.context import AppContext
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.outbox import enqueue

PATROL_TYPES = rules.PATROL_TYPES
STATUSES = rules.STATUSES
CST = dt.timezone(dt.timedelta(hours=8))

#: Kept under its first-slice name: one officer taking part (agency, name, 执法证号).
PatrolOfficer = OfficerEntry

_ROW_COLUMNS = (
    "id, type, cluster, status, title, planned_start, planned_end, actual_start, actual_end,"
    " start_utc, end_utc, area, route, findings, notes, training, created_by, created_at,"
    " updated_at, version"
)


@dataclass
class PatrolDraft:
    """What the officer enters for a patrol (the editor dialog and ``patrol new``)."""

    patrol_type: str
    planned_start: dt.datetime
    planned_end: dt.datetime
    agencies: list[str]
    officers: list[OfficerEntry] = field(default_factory=list)
    cluster: str | None = None
    title: str = ""
    area: str = ""
    route: str = ""
    notes: str = ""
    findings: str = ""


@dataclass(frozen=True)
class Saved:
    patrol_id: str
    version: int
    warnings: list[str]


# Parsing and checks --------------------------------------------------------------------------
def parse_time(text: str) -> dt.datetime:
    """ISO 8601; a time without an offset is taken as China Standard Time (UTC+8)."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(
            f"时间格式不正确：{text}（应为 2026-11-20T09:00+08:00 这样的形式）",
            f"bad time {text!r}",
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=CST)


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _window_utc(row: dict[str, Any]) -> tuple[str | None, str | None]:
    """The window used for lists and photo grouping: actual times where known, else planned."""
    start = row.get("actual_start") or row.get("planned_start")
    end = row.get("actual_end") or row.get("planned_end")
    return (
        to_utc_iso(dt.datetime.fromisoformat(start)) if start else None,
        to_utc_iso(dt.datetime.fromisoformat(end)) if end else None,
    )


def _check_window(start: str | None, end: str | None, what: str) -> None:
    if start and end and dt.datetime.fromisoformat(end) <= dt.datetime.fromisoformat(start):
        raise ValidationError(
            f"{what}结束时间应晚于开始时间。", f"bad window {start}..{end}", code="end_before_start"
        )


def _validate_draft(ctx: AppContext, draft: PatrolDraft) -> None:
    if draft.patrol_type not in PATROL_TYPES:
        raise ValidationError(f"未知的巡查类型：{draft.patrol_type}", f"type {draft.patrol_type!r}")
    if draft.planned_start.tzinfo is None or draft.planned_end.tzinfo is None:
        raise ValidationError("巡查时间须带时区。", "naive patrol time")
    if draft.planned_end <= draft.planned_start:
        raise ValidationError(
            "巡查结束时间应晚于开始时间。", "bad planned window", code="end_before_start"
        )
    if not draft.agencies:
        raise ValidationError("请至少选择一个参加单位。", "no agencies", code="no_agencies")
    if len(set(draft.agencies)) != len(draft.agencies):
        raise ValidationError("参加单位有重复。", "duplicate agencies")
    for code in draft.agencies:
        get_agency(ctx.store, code)
    _check_cluster(ctx, draft.cluster)
    seen: set[tuple[str, str]] = set()
    for officer in draft.officers:
        if not officer.name.strip():
            raise ValidationError("执法人员姓名不能为空。", "empty officer name")
        if officer.agency_code not in draft.agencies:
            raise ValidationError(
                f"执法人员 {officer.name} 的所属单位不在参加单位中。",
                f"officer agency {officer.agency_code}",
                code="officer_agency_not_taking_part",
                params={"name": officer.name},
            )
        key = (officer.agency_code, officer.badge.strip() or officer.name.strip())
        if key in seen:
            raise ValidationError(f"执法人员重复：{officer.name}", f"duplicate officer {key}")
        seen.add(key)


def _check_cluster(ctx: AppContext, cluster: str | None) -> None:
    if cluster and not ctx.store.scalar("SELECT 1 FROM clusters WHERE name = ?", [cluster]):
        raise ValidationError(f"未知的协作片区：{cluster}", f"cluster {cluster!r}")


def warnings_for(
    ctx: AppContext, agencies: Sequence[str], officers: Sequence[OfficerEntry]
) -> list[str]:
    """One-province and fewer-than-two-certified-officers warnings, for the officer to see."""
    provinces: dict[str, str] = {}
    for code in agencies:
        province = ctx.store.scalar("SELECT province FROM agencies WHERE code = ?", [code])
        provinces[code] = province or "未知省份"
    return rules.composition_warnings(provinces, officers)


# Reading -------------------------------------------------------------------------------------
def resolve_patrol_id(ctx: AppContext, text: str) -> str:
    """A full id or a unique prefix of one (the CLI shows the first 8 characters)."""
    text = text.strip()
    if len(text) < 4:
        raise ValidationError("巡查编号至少需要4个字符。", f"id prefix {text!r} too short")
    rows = ctx.store.execute(
        "SELECT id FROM patrols WHERE id >= ? AND id < ? LIMIT 2", [text, text + "\uffff"]
    ).fetchall()
    if not rows:
        raise NotFoundError(f"未找到巡查：{text}", f"patrol {text} missing")
    if len(rows) > 1:
        raise ValidationError(f"巡查编号 {text} 不唯一，请输入更长的编号。", f"ambiguous {text}")
    return str(rows[0][0])


def _row(ctx: AppContext, patrol_id: str) -> dict[str, Any]:
    rows = ctx.store.query(f"SELECT {_ROW_COLUMNS} FROM patrols WHERE id = ?", [patrol_id])
    if not rows:
        raise NotFoundError(f"未找到巡查：{patrol_id}", f"patrol {patrol_id} missing")
    return rows[0]


def get_patrol(ctx: AppContext, patrol_id: str) -> dict[str, Any]:
    """Everything the detail pane and ``patrol show`` need, warnings included."""
    row = _row(ctx, patrol_id)
    agencies = ctx.store.query(
        "SELECT a.agency_code AS code, COALESCE(g.name, '') AS name, COALESCE(g.province, '')"
        " AS province, a.lead FROM patrol_agencies a LEFT JOIN agencies g ON g.code = a.agency_code"
        " WHERE a.patrol_id = ? ORDER BY a.lead DESC, a.rowid",
        [patrol_id],
    )
    officers = ctx.store.query(
        "SELECT agency_code, name, badge FROM patrol_officers WHERE patrol_id = ? ORDER BY rowid",
        [patrol_id],
    )
    entries = [OfficerEntry(**o) for o in officers]
    return {
        **row,
        "training": bool(row["training"]),
        "start": row["actual_start"] or row["planned_start"],
        "end": row["actual_end"] or row["planned_end"],
        "agencies": [
            {
                "code": a["code"],
                "name": a["name"],
                "province": a["province"],
                "lead": bool(a["lead"]),
            }
            for a in agencies
        ],
        "officers": officers,
        "officer_count": len(officers),
        "evidence_count": ctx.store.scalar(
            "SELECT COUNT(*) FROM evidence WHERE patrol_id = ?", [patrol_id]
        ),
        "warnings": warnings_for(ctx, [a["code"] for a in agencies], entries),
        "amendments": list_amendments(ctx, patrol_id),
    }


def list_amendments(ctx: AppContext, patrol_id: str) -> list[dict[str, Any]]:
    return ctx.store.query(
        "SELECT m.id, m.at, m.field, m.old_value, m.new_value, m.reason, m.version,"
        " m.officer_id, COALESCE(o.name, '') AS officer_name FROM patrol_amendments m"
        " LEFT JOIN officers o ON o.id = m.officer_id WHERE m.patrol_id = ? ORDER BY m.at, m.version",
        [patrol_id],
    )


def recent_agencies(ctx: AppContext, limit: int = 20) -> list[dict[str, Any]]:
    """Partner agencies of past patrols, the most recently patrolled with first."""
    return ctx.store.query(
        "SELECT a.agency_code AS code, COALESCE(g.name, '') AS name,"
        " COALESCE(g.province, '') AS province, MAX(COALESCE(p.start_utc, p.created_at)) AS last"
        " FROM patrol_agencies a JOIN patrols p ON p.id = a.patrol_id"
        " LEFT JOIN agencies g ON g.code = a.agency_code"
        " GROUP BY a.agency_code ORDER BY last DESC, a.agency_code LIMIT ?",
        [limit],
    )


def recent_officers(
    ctx: AppContext, agency_code: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Officers of past patrols (one row per agency + 执法证号), the most recent first."""
    where, params = ("WHERE o.agency_code = ?", [agency_code]) if agency_code else ("", [])
    return ctx.store.query(
        "SELECT o.agency_code, o.name, o.badge, MAX(COALESCE(p.start_utc, p.created_at)) AS last"
        f" FROM patrol_officers o JOIN patrols p ON p.id = o.patrol_id {where}"
        " GROUP BY o.agency_code, o.badge ORDER BY last DESC, o.agency_code, o.badge LIMIT ?",
        [*params, limit],
    )


# Writing -------------------------------------------------------------------------------------
def _insert(
    ctx: AppContext,
    row: dict[str, Any],
    agencies: Sequence[str],
    officers: Sequence[OfficerEntry],
    officer_id: str,
) -> None:
    patrol_id = row["id"]
    with ctx.store.transaction() as db:
        db.table("patrols").insert(row)
        _write_people(ctx, patrol_id, agencies, officers)
        ledger.append(
            ctx.store,
            "patrol_recorded",
            patrol_id,
            {"type": row["type"], "agencies": list(agencies)},
            officer_id=officer_id,
        )
        payload = {**row, "agencies": list(agencies), "officers": [o.__dict__ for o in officers]}
        enqueue(ctx.store, "patrol", patrol_id, "create", payload, training=bool(row["training"]))


def _write_people(
    ctx: AppContext, patrol_id: str, agencies: Sequence[str], officers: Sequence[OfficerEntry]
) -> None:
    conn = ctx.store.conn
    conn.execute("DELETE FROM patrol_officers WHERE patrol_id = ?", [patrol_id])
    conn.execute("DELETE FROM patrol_agencies WHERE patrol_id = ?", [patrol_id])
    conn.executemany(
        "INSERT INTO patrol_agencies (patrol_id, agency_code, lead) VALUES (?, ?, ?)",
        [(patrol_id, code, int(i == 0)) for i, code in enumerate(agencies)],
    )
    conn.executemany(
        "INSERT INTO patrol_officers (patrol_id, agency_code, name, badge) VALUES (?, ?, ?, ?)",
        [(patrol_id, o.agency_code, o.name.strip(), o.badge.strip()) for o in officers],
    )


def create_patrol(ctx: AppContext, draft: PatrolDraft, *, training: bool = False) -> Saved:
    """A new planned patrol; the warnings come back for the officer to see."""
    _validate_draft(ctx, draft)
    officer = require_officer(ctx)
    now = ctx.now_iso()
    row: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "type": draft.patrol_type,
        "cluster": draft.cluster or None,
        "status": rules.PLANNED,
        "title": draft.title.strip(),
        "planned_start": _iso(draft.planned_start),
        "planned_end": _iso(draft.planned_end),
        "actual_start": None,
        "actual_end": None,
        "area": draft.area.strip(),
        "route": draft.route.strip(),
        "notes": draft.notes.strip(),
        "findings": draft.findings.strip(),
        "training": int(training),
        "created_by": officer.id,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    row["start_utc"], row["end_utc"] = _window_utc(row)
    _insert(ctx, row, draft.agencies, draft.officers, officer.id)
    return Saved(row["id"], 1, warnings_for(ctx, draft.agencies, draft.officers))


def record_patrol(
    ctx: AppContext,
    *,
    patrol_type: str,
    cluster: str | None,
    start: dt.datetime,
    end: dt.datetime,
    agencies: Sequence[str],
    officers: Sequence[OfficerEntry],
    title: str = "",
    area: str = "",
    findings: str = "",
    status: str = "planned",
    training: bool = False,
    patrol_id: str | None = None,
) -> str:
    """Record a patrol in any status at once (demo data, imports from another system)."""
    if status not in STATUSES:
        raise ValidationError(f"未知的巡查状态：{status}", f"status {status!r}")
    draft = PatrolDraft(
        patrol_type,
        start,
        end,
        list(agencies),
        list(officers),
        cluster,
        title,
        area,
        findings=findings,
    )
    _validate_draft(ctx, draft)
    officer = require_officer(ctx)
    now = ctx.now_iso()
    row: dict[str, Any] = {
        "id": patrol_id or str(uuid.uuid4()),
        "type": patrol_type,
        "cluster": cluster,
        "status": status,
        "title": title,
        "planned_start": start.isoformat(),
        "planned_end": end.isoformat(),
        "actual_start": start.isoformat() if status != rules.PLANNED else None,
        "actual_end": end.isoformat() if status == rules.CLOSED else None,
        "area": area,
        "findings": findings,
        "training": int(training),
        "created_by": officer.id,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    row["start_utc"], row["end_utc"] = _window_utc(row)
    _insert(ctx, row, agencies, officers, officer.id)
    return str(row["id"])


def _guarded_update(
    ctx: AppContext, patrol_id: str, expected_version: int, changes: dict[str, Any]
) -> int:
    """Apply ``changes`` only if the patrol is still at ``expected_version``; returns the new one.

    Must run inside the caller's transaction.
    """
    changes = {**changes, "updated_at": ctx.now_iso()}
    sets = ", ".join(f"{name} = ?" for name in changes)
    cursor = ctx.store.conn.execute(
        f"UPDATE patrols SET {sets}, version = version + 1 WHERE id = ? AND version = ?",
        [*changes.values(), patrol_id, expected_version],
    )
    if cursor.rowcount != 1:
        current = ctx.store.scalar("SELECT version FROM patrols WHERE id = ?", [patrol_id])
        if current is None:
            raise NotFoundError(f"未找到巡查：{patrol_id}", f"patrol {patrol_id} missing")
        raise ConflictError(
            "该巡查已在其他窗口或由其他人修改过（您看到的是第 "
            f"{expected_version} 版，现为第 {current} 版），本次修改未保存。"
            "您填写的内容仍保留，请核对最新内容后重新提交。",
            f"patrol {patrol_id}: expected version {expected_version}, found {current}",
        )
    return expected_version + 1


def update_patrol(
    ctx: AppContext, patrol_id: str, draft: PatrolDraft, *, expected_version: int
) -> Saved:
    """Edit a patrol that is not closed yet (a closed one takes amendments only)."""
    _validate_draft(ctx, draft)
    officer = require_officer(ctx)
    with ctx.store.transaction():
        current = _row(ctx, patrol_id)
        if current["status"] == rules.CLOSED:
            raise StateError(
                "巡查已结束，记录只读；如需更正，请使用“更正”并填写理由。",
                f"patrol {patrol_id} closed",
            )
        changes: dict[str, Any] = {
            "type": draft.patrol_type,
            "cluster": draft.cluster or None,
            "title": draft.title.strip(),
            "planned_start": _iso(draft.planned_start),
            "planned_end": _iso(draft.planned_end),
            "area": draft.area.strip(),
            "route": draft.route.strip(),
            "notes": draft.notes.strip(),
            "findings": draft.findings.strip(),
        }
        changes["start_utc"], changes["end_utc"] = _window_utc({**current, **changes})
        version = _guarded_update(ctx, patrol_id, expected_version, changes)
        _write_people(ctx, patrol_id, draft.agencies, draft.officers)
        ledger.append(
            ctx.store,
            "patrol_updated",
            patrol_id,
            {"version": version, "agencies": list(draft.agencies)},
            officer_id=officer.id,
        )
        payload = {
            **changes,
            "version": version,
            "agencies": list(draft.agencies),
            "officers": [o.__dict__ for o in draft.officers],
        }
        enqueue(
            ctx.store, "patrol", patrol_id, "update", payload, training=bool(current["training"])
        )
    return Saved(patrol_id, version, warnings_for(ctx, draft.agencies, draft.officers))


def _transition(
    ctx: AppContext,
    patrol_id: str,
    target: str,
    time_field: str,
    at: dt.datetime | None,
    expected_version: int | None,
) -> Saved:
    officer = require_officer(ctx)
    moment = (at or ctx.clock()).astimezone(CST)
    with ctx.store.transaction():
        current = _row(ctx, patrol_id)
        refusal = rules.transition_refusal(current["status"], target)
        if refusal:
            raise StateError(refusal, f"patrol {patrol_id}: {current['status']} -> {target}")
        changes: dict[str, Any] = {"status": target, time_field: moment.isoformat()}
        if target == rules.CLOSED:
            _check_window(current["actual_start"], changes["actual_end"], "实际")
        changes["start_utc"], changes["end_utc"] = _window_utc({**current, **changes})
        version = _guarded_update(
            ctx,
            patrol_id,
            current["version"] if expected_version is None else expected_version,
            changes,
        )
        kind = "patrol_started" if target == rules.IN_PROGRESS else "patrol_closed"
        ledger.append(
            ctx.store, kind, patrol_id, {**changes, "version": version}, officer_id=officer.id
        )
        enqueue(
            ctx.store,
            "patrol",
            patrol_id,
            "update",
            {**changes, "version": version},
            training=bool(current["training"]),
        )
    agencies = [a["code"] for a in get_patrol(ctx, patrol_id)["agencies"]]
    officers = [OfficerEntry(**o) for o in get_patrol(ctx, patrol_id)["officers"]]
    return Saved(patrol_id, version, warnings_for(ctx, agencies, officers))


def start_patrol(
    ctx: AppContext,
    patrol_id: str,
    *,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Saved:
    """planned → in progress; the actual start time is now unless given."""
    return _transition(ctx, patrol_id, rules.IN_PROGRESS, "actual_start", at, expected_version)


def close_patrol(
    ctx: AppContext,
    patrol_id: str,
    *,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Saved:
    """in progress → closed; from then on the record changes only by amendment."""
    return _transition(ctx, patrol_id, rules.CLOSED, "actual_end", at, expected_version)


def _normalise_amendment(ctx: AppContext, field_name: str, value: str) -> str | None:
    if field_name not in rules.AMENDABLE_FIELDS:
        names = "、".join(rules.AMENDABLE_FIELDS)
        raise ValidationError(
            f"不能更正的字段：{field_name}（可更正：{names}）", f"field {field_name!r}"
        )
    value = value.strip()
    if field_name in rules.TIME_FIELDS:
        if not value:
            if field_name.startswith("planned"):
                raise ValidationError("计划时间不能为空。", "empty planned time")
            return None
        return parse_time(value).isoformat()
    if field_name == "type" and value not in PATROL_TYPES:
        raise ValidationError(f"未知的巡查类型：{value}", f"type {value!r}")
    if field_name == "cluster":
        _check_cluster(ctx, value or None)
        return value or None
    return value


def amend_patrol(
    ctx: AppContext,
    patrol_id: str,
    field_name: str,
    value: str,
    *,
    reason: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Correct one field as a recorded amendment (who, when, old, new, reason).

    The amendment row, the patrol update, the ledger entry and the outbox entry commit together.
    ``expected_version`` is the version the officer was looking at; None means "the current one"
    (the CLI, which reads and writes in one go).
    """
    if not reason.strip():
        raise ValidationError(
            "请填写更正理由。", "amendment without reason", code="amendment_reason_missing"
        )
    new_value = _normalise_amendment(ctx, field_name, value)
    officer = require_officer(ctx)
    with ctx.store.transaction():
        current = _row(ctx, patrol_id)
        old_value = current[field_name]
        if old_value == new_value:
            raise ValidationError(
                "新值与原值相同，无需更正。", f"{field_name} unchanged", code="amendment_unchanged"
            )
        merged = {**current, field_name: new_value}
        _check_window(merged["planned_start"], merged["planned_end"], "计划")
        _check_window(merged["actual_start"], merged["actual_end"], "实际")
        changes: dict[str, Any] = {field_name: new_value}
        changes["start_utc"], changes["end_utc"] = _window_utc(merged)
        base = current["version"] if expected_version is None else expected_version
        version = _guarded_update(ctx, patrol_id, base, changes)
        amendment = {
            "id": str(uuid.uuid4()),
            "patrol_id": patrol_id,
            "officer_id": officer.id,
            "at": to_utc_iso(ctx.clock()),
            "field": field_name,
            "old_value": old_value,
            "new_value": new_value,
            "reason": reason.strip(),
            "version": version,
        }
        ctx.store.conn.execute(
            f"INSERT INTO patrol_amendments ({', '.join(amendment)})"
            f" VALUES ({', '.join('?' * len(amendment))})",
            list(amendment.values()),
        )
        ledger.append(ctx.store, "patrol_amended", patrol_id, amendment, officer_id=officer.id)
        enqueue(
            ctx.store,
            "patrol_amendment",
            amendment["id"],
            "create",
            amendment,
            training=bool(current["training"]),
        )
    return amendment
