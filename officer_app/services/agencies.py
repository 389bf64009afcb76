"""Look-ups over the agencies code table."""

from __future__ import annotations

from officer_app.domain.people import Agency
from officer_app.errors import NotFoundError
from officer_app.store.db import Store

_COLUMNS = "code, name, short_name, division_code, province"


def get_agency(store: Store, code: str) -> Agency:
    rows = store.query(f"SELECT {_COLUMNS} FROM agencies WHERE code = ?", [code])
    if not rows:
        raise NotFoundError(f"未知的执法机关代码：{code}", f"agency {code!r} not in code table")
    return Agency(**rows[0])


def list_agencies(store: Store) -> list[Agency]:
    return [Agency(**row) for row in store.query(f"SELECT {_COLUMNS} FROM agencies ORDER BY code")]


def agency_ref(store: Store, code: str | None) -> dict[str, str] | None:
    """``{"code", "name"}`` for JSON output; a code unknown to the table keeps its code."""
    if code is None:
        return None
    name = store.scalar("SELECT name FROM agencies WHERE code = ?", [code])
    return {"code": code, "name": name or ""}
