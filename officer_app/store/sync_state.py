"""The laptop's sync bookkeeping in ``sync_state``: server URL, client id and pull cursor.

The token is deliberately not here: see :mod:`officer_app.sync.credentials`. Part of the store,
not of sync/, because it is a table of the store like the outbox (docs/architecture.md).
"""

from __future__ import annotations

import uuid

from officer_app.store.db import Store

SERVER_URL, CLIENT_ID, CURSOR = "server_url", "client_id", "pull_cursor"


def get(store: Store, key: str) -> str | None:
    value = store.scalar("SELECT value FROM sync_state WHERE key = ?", [key])
    return None if value is None else str(value)


def put(store: Store, key: str, value: str) -> None:
    """Write one key; joins the caller's transaction (the cursor commits with the pulled items)."""
    with store.transaction():
        store.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def client_id(store: Store) -> str:
    """A random id naming this data dir's keyring entry, so two stores never share a token."""
    existing = get(store, CLIENT_ID)
    if existing:
        return existing
    new = str(uuid.uuid4())
    put(store, CLIENT_ID, new)
    return new


def cursor(store: Store) -> int:
    return int(get(store, CURSOR) or 0)
