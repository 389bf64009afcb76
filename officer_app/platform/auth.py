"""Bearer tokens: handed out once, stored only as a SHA-256, revocable.

A token reads ``<token_id>.<secret>``; the id finds the row, the secret's hash is compared in
constant time. The platform keeps no way to recover a token: a lost one is revoked and replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from officer_app.platform.db import Connection, now_iso, transaction
from officer_app.platform.errors import NotFound, Unauthorized


@dataclass(frozen=True)
class Caller:
    token_id: str
    agency: str  # the district agency (division code): squads act in its name
    officer_name: str


def district(code: str) -> str:
    """``310118-jz`` → ``310118``: a squad is not an administrative subject of its own."""
    return code.split("-", 1)[0]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def add_officer(conn: Connection, agency: str, name: str, badge: str) -> dict[str, str]:
    token_id = uuid.uuid4().hex[:16]
    secret = secrets.token_urlsafe(32)
    with transaction(conn):
        conn.execute(
            "INSERT INTO tokens (id, agency, officer_name, badge, token_sha256, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [token_id, agency, name, badge, _digest(secret), now_iso()],
        )
    return {"token_id": token_id, "token": f"{token_id}.{secret}"}


def revoke(conn: Connection, token_id: str) -> None:
    with transaction(conn):
        cur = conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [now_iso(), token_id],
        )
        if (
            cur.rowcount == 0
            and not conn.execute("SELECT 1 FROM tokens WHERE id = ?", [token_id]).fetchone()
        ):
            raise NotFound(f"未找到令牌：{token_id}", f"token {token_id!r}")


def authenticate(conn: Connection, header: str | None) -> Caller:
    """The caller behind ``Authorization: Bearer …``; every failure looks the same from outside."""
    refused = Unauthorized("身份验证失败：令牌无效、已吊销或未提供。请重新登录。", "bad token")
    if not header or not header.startswith("Bearer "):
        raise refused
    token = header[len("Bearer ") :].strip()
    token_id, _, secret = token.partition(".")
    row = conn.execute(
        "SELECT agency, officer_name, token_sha256, revoked_at FROM tokens WHERE id = ?",
        [token_id],
    ).fetchone()
    if row is None or not secret:
        raise refused
    if not hmac.compare_digest(row["token_sha256"], _digest(secret)) or row["revoked_at"]:
        raise refused
    return Caller(token_id, district(row["agency"]), row["officer_name"])
