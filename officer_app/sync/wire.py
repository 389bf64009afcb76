"""The wire format of an outbox entry: what a push sends and a USB bundle carries.

One definition for both ways an entry leaves the laptop (:mod:`officer_app.services.sync_run`
and :mod:`officer_app.services.sync_bundle`), so the platform sees the same entry either way.
"""

from __future__ import annotations

import json
from typing import Any


def _gps_log_sha(payload: dict[str, Any]) -> list[str]:
    log = payload.get("gps_log")
    return [log["sha256"]] if isinstance(log, dict) and log.get("sha256") else []


def manifest(entity: str, op: str, payload: dict[str, Any]) -> list[str]:
    """The files an entry needs on the platform before it may be committed there."""
    if entity == "evidence" and op == "create":  # a recording's GPS log travels with it
        return sorted({payload["sha256"], *_gps_log_sha(payload)})
    if entity == "document" and op == "issue":
        return sorted(set(payload.get("evidence_sha256", [])) | {payload["pdf_sha256"]})
    if entity == "transfer":  # the case's files, or the letter of a step (回执, 退回函 …)
        return sorted(set(payload.get("blobs", [])))
    return []


def entry(row: dict[str, Any]) -> dict[str, Any]:
    """An outbox row as it travels: pushed to the platform, or written into a USB bundle."""
    payload = json.loads(row["payload"])
    return {
        "id": row["id"],
        "seq": row["seq"],
        "entity": row["entity"],
        "entity_id": row["entity_id"],
        "op": row["op"],
        "payload": payload,
        "training": bool(row["training"]),
        "blobs": manifest(row["entity"], row["op"], payload),
    }
