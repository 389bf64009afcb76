"""The outbox: every change that must reach the platform, written in the change's transaction."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from officer_app.store.db import Store


def enqueue(
    store: Store,
    entity: str,
    entity_id: str,
    op: str,
    payload: dict[str, Any],
    *,
    training: bool,
) -> str:
    """Append one entry; must run inside the caller's transaction so both commit together."""
    if not store.conn.in_transaction:
        raise RuntimeError("outbox entries are written in the change's own transaction")
    entry_id = str(uuid.uuid4())
    store.conn.execute(
        "INSERT INTO outbox (id, entity, entity_id, op, payload, training, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            entry_id,
            entity,
            entity_id,
            op,
            json.dumps(payload, ensure_ascii=False, sort_keys=True),
            int(training),
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        ],
    )
    return entry_id
