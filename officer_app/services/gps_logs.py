"""The GPS log beside a recording, kept as evidence of its own: checked, packaged, re-checked.

A body camera's NMEA/GPX log says where the recording was made; the app reads the position and
the path from it at import, and keeps the log itself (content-addressed, named in the recording's
intake ledger entry, linked in ``evidence_gps_logs``) so that anyone can check those positions
against what the device wrote.  ``verify`` re-hashes it like the recording, the evidence package
carries it beside the recording and ``check-package`` checks it (this module holds those three
steps, so the import, verify and package modules only call in).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from officer_app.errors import StateError
from officer_app.media.hashing import copy_file_and_hash, sha256_file
from officer_app.store.blobs import SHA_RE, BlobStore
from officer_app.store.db import Store

#: (kind, ref, detail, message_zh) as verify reports a problem.
Found = tuple[str, str, str, str]


def for_evidence(store: Store, evidence_id: str) -> dict[str, Any] | None:
    rows = store.query(
        "SELECT sha256, original_name, size, format FROM evidence_gps_logs WHERE evidence_id = ?",
        [evidence_id],
    )
    return rows[0] if rows else None


def verify_logs(store: Store, blobs: BlobStore) -> tuple[set[str], list[Found]]:
    """Every linked log's SHA-256 (so verify counts its file as known) and what is wrong with
    any of them: missing or changed, named by the log's and the recording's names."""
    shas: set[str] = set()
    found: list[Found] = []
    rows = store.query(
        "SELECT l.evidence_id, l.sha256, l.original_name, e.original_name AS recording"
        " FROM evidence_gps_logs l JOIN evidence e ON e.id = l.evidence_id"
    )
    for row in rows:
        shas.add(row["sha256"])
        path = blobs.path_for(row["sha256"])
        what = f"{row['original_name']}（{row['recording']} 的GPS日志）"
        if not path.is_file():
            found.append(
                ("missing", row["evidence_id"], f"{path} missing", f"GPS日志文件缺失：{what}")
            )
        elif sha256_file(path) != row["sha256"]:
            found.append(
                ("changed", row["evidence_id"], f"{path} changed", f"GPS日志文件已被改动：{what}")
            )
    return shas, found


def check_in_package(
    ev: dict[str, Any],
    names: set[str],
    actual: dict[str, str],
    problem: Callable[[str, str, str], None],
) -> int:
    """``check-package`` for the GPS log a manifest's evidence item names (1 checked, else 0)."""
    log = ev.get("gps_log")
    if not isinstance(log, dict):
        return 0
    name = str(log.get("file", ""))
    label = f"{log.get('original_name', name)}（{ev.get('original_name', '')} 的GPS日志）"
    if name not in names:
        problem("missing", name, f"清单所列GPS日志文件缺失：{label}")
    elif name in actual and actual[name] != log.get("sha256"):
        problem("manifest", name, f"GPS日志文件与清单记录的SHA-256不一致：{label}")
    elif not name.startswith(f"evidence/{log.get('sha256')}_"):
        problem("manifest", name, f"GPS日志文件名与其SHA-256不符：{name}")
    return 1


def check_against_intake(ev: dict[str, Any], intake: dict[str, Any]) -> bool:
    """Whether the manifest's log is the one the recording's intake ledger entry names."""
    listed, logged = ev.get("gps_log"), intake.get("gps_log")
    if not listed and not logged:
        return True
    return (
        isinstance(listed, dict)
        and isinstance(logged, dict)
        and listed.get("sha256") == logged.get("sha256")
    )


def attach_to_transfer(store: Store, ev_rows: list[dict[str, Any]]) -> list[str]:
    """Give each transferred recording its GPS log record (``gps_log``); the logs' SHA-256s,
    for the transfer's ``blobs`` (the platform holds them, the receiver fetches them)."""
    shas = []
    for ev in ev_rows:
        rows = store.query(
            "SELECT l.sha256, l.original_name, l.size, l.format FROM evidence_gps_logs l"
            " JOIN evidence e ON e.id = l.evidence_id WHERE e.sha256 = ?",
            [ev["sha256"]],
        )
        if rows:
            ev["gps_log"] = rows[0]
            shas.append(rows[0]["sha256"])
    return shas


def _record(ev: dict[str, Any]) -> dict[str, Any] | None:
    log = ev.get("gps_log")
    if not isinstance(log, dict) or log.get("format") not in ("nmea", "gpx"):
        return None
    if not SHA_RE.match(str(log.get("sha256", ""))):
        return None
    return {k: log.get(k) for k in ("sha256", "original_name", "size", "format")}


def take_in_from_transfer(ev: dict[str, Any], pulled: BlobStore, evidence: BlobStore) -> None:
    """Copy a received recording's GPS log from the pulled files into the evidence store,
    checking its hash on the way (before the rows that link it commit)."""
    log = _record(ev)
    if log is None or evidence.has(log["sha256"]):
        return
    if not pulled.has(log["sha256"]):
        raise StateError(
            "移送的GPS日志文件尚未下载完整，请先同步。", f"blob {log['sha256']} absent"
        )
    evidence.put_file(pulled.path_for(log["sha256"]), log["sha256"], copy_file_and_hash)


def link_received(db: Any, evidence_id: str, ev: dict[str, Any]) -> None:
    """Link a received recording to its GPS log (inside the transaction that adds its row)."""
    log = _record(ev)
    if log is not None:
        db["evidence_gps_logs"].insert({"evidence_id": evidence_id, **log}, ignore=True)


__all__ = [
    "attach_to_transfer",
    "check_against_intake",
    "check_in_package",
    "for_evidence",
    "link_received",
    "take_in_from_transfer",
    "verify_logs",
]
