"""Officer profiles on a shared squad laptop."""

from __future__ import annotations

from officer_app.domain.people import Officer, is_agency_code, normalise_phone
from officer_app.errors import NotFoundError, ValidationError
from officer_app.services import settings
from officer_app.services.agencies import get_agency
from officer_app.services.context import AppContext


def _validate(name: str, badge: str, agency_code: str) -> tuple[str, str, str]:
    name, badge, agency_code = name.strip(), badge.strip(), agency_code.strip()
    if not name:
        raise ValidationError("请填写执法人员姓名。", "empty officer name")
    if not badge:
        raise ValidationError("请填写执法证号。", "empty badge")
    if not is_agency_code(agency_code):
        raise ValidationError(
            f"执法机关代码格式不正确：{agency_code}（应为6位行政区划代码，可带中队后缀，如 310118-zjj）",
            f"bad agency code {agency_code!r}",
        )
    return name, badge, agency_code


def _phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    try:
        return normalise_phone(phone)
    except ValueError as exc:
        raise ValidationError(str(exc), f"bad phone {phone!r}") from exc


def add_or_select_officer(
    ctx: AppContext, name: str, badge: str, agency_code: str, phone: str | None = None
) -> Officer:
    """Create the profile if it is new (same badge + agency = same officer), then select it.

    ``phone`` (optional, printed in letters' 附注): None or blank keeps the profile's phone."""
    name, badge, agency_code = _validate(name, badge, agency_code)
    new_phone = _phone(phone) or None
    get_agency(ctx.store, agency_code)
    with ctx.store.transaction() as db:
        rows = ctx.store.query(
            "SELECT * FROM officers WHERE badge = ? AND agency_code = ?", [badge, agency_code]
        )
        if rows:
            officer = Officer.from_row(rows[0])
            changes = {"name": name} if officer.name != name else {}
            if new_phone is not None and new_phone != officer.phone:
                changes["phone"] = new_phone
            if changes:
                db.table("officers").update(officer.id, changes)
                officer = Officer(
                    officer.id, name, badge, agency_code, changes.get("phone", officer.phone)
                )
        else:
            import uuid  # with ``platform``, off the GUI's start-up path (issue 17)

            officer = Officer(str(uuid.uuid4()), name, badge, agency_code, new_phone or "")
            row = {
                "id": officer.id,
                "name": name,
                "badge": badge,
                "agency_code": agency_code,
                "created_at": ctx.now_iso(),
            }
            if officer.phone:  # the column's default covers the rest
                row["phone"] = officer.phone
            db.table("officers").insert(row)
        settings.put(ctx.store, settings.CURRENT_OFFICER, officer.id)
    return officer


def list_officers(ctx: AppContext) -> list[Officer]:
    rows = ctx.store.query("SELECT * FROM officers ORDER BY name")
    return [Officer.from_row(row) for row in rows]


def select_officer(ctx: AppContext, officer_id: str) -> Officer:
    rows = ctx.store.query("SELECT * FROM officers WHERE id = ?", [officer_id])
    if not rows:
        raise NotFoundError("未找到该执法人员档案。", f"officer {officer_id} missing")
    settings.put(ctx.store, settings.CURRENT_OFFICER, officer_id)
    return Officer.from_row(rows[0])


def require_officer(ctx: AppContext) -> Officer:
    officer = ctx.current_officer()
    if officer is None:
        raise ValidationError(
            "尚未设置执法人员档案，请先运行 officer-app init 或在首次启动时填写。",
            "no current officer",
        )
    return officer
