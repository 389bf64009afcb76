"""The laptop's witness rows (see :mod:`officer_app.store.migration_witness`): one place for their SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from officer_app.store.db import Store


@dataclass(frozen=True)
class PinnedKey:
    server: str
    algorithm: str
    public_key: str
    fingerprint: str
    pinned_at: str


def pinned_key(store: Store, server: str) -> PinnedKey | None:
    rows = store.query(
        "SELECT * FROM witness_keys WHERE server = ? ORDER BY pinned_at DESC LIMIT 1", [server]
    )
    return PinnedKey(**rows[0]) if rows else None


def key_for_log(store: Store, log_id: str) -> str | None:
    """The pinned public key whose fingerprint is ``log_id`` (any server it was pinned for)."""
    value = store.scalar(
        "SELECT public_key FROM witness_keys WHERE fingerprint = ? LIMIT 1", [log_id]
    )
    return None if value is None else str(value)


def pinned_keys(store: Store) -> list[PinnedKey]:
    return [PinnedKey(**r) for r in store.query("SELECT * FROM witness_keys ORDER BY pinned_at")]


def pin(store: Store, server: str, key: dict[str, str], now: str) -> None:
    with store.transaction():
        store.execute(
            "INSERT OR REPLACE INTO witness_keys"
            " (server, algorithm, public_key, fingerprint, pinned_at) VALUES (?, ?, ?, ?, ?)",
            [server, key["algorithm"], key["public_key"], key["fingerprint"], now],
        )


def add_receipt(store: Store, receipt: dict[str, Any], segment: list[str], now: str) -> bool:
    """Keep a receipt (the first one per leaf: a later copy only re-proves the same leaf)."""
    leaf = receipt["leaf"]
    cur = store.execute(
        "INSERT OR IGNORE INTO witness_receipts (log_id, leaf_index, seq, hash, from_seq,"
        " segment, receipt, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            receipt["sth"]["log_id"],
            receipt["leaf_index"],
            leaf["seq"],
            leaf["hash"],
            leaf["from_seq"],
            "".join(segment),
            json.dumps(receipt, ensure_ascii=False, sort_keys=True),
            now,
        ],
    )
    return cur.rowcount > 0


@dataclass(frozen=True)
class StoredReceipt:
    log_id: str
    leaf_index: int
    seq: int
    hash: str
    from_seq: int
    segment: list[str]
    receipt: dict[str, Any]


def receipts(store: Store, log_id: str | None = None) -> list[StoredReceipt]:
    """All stored receipts (of one log), oldest head first."""
    where, params = ("WHERE log_id = ?", [log_id]) if log_id else ("", [])
    out = []
    for r in store.query(
        f"SELECT * FROM witness_receipts {where} ORDER BY seq, leaf_index", params
    ):
        text = r["segment"]
        try:
            receipt = json.loads(r["receipt"])
        except ValueError:
            receipt = {}
        out.append(
            StoredReceipt(
                r["log_id"],
                int(r["leaf_index"]),
                int(r["seq"]),
                r["hash"],
                int(r["from_seq"]),
                [text[i : i + 64] for i in range(0, len(text), 64)],
                receipt if isinstance(receipt, dict) else {},
            )
        )
    return out


def newest_leaf_index(store: Store, log_id: str) -> int | None:
    value = store.scalar("SELECT max(leaf_index) FROM witness_receipts WHERE log_id = ?", [log_id])
    return None if value is None else int(value)


def witnessed_seq(store: Store, log_id: str) -> int:
    """The highest ledger entry this laptop holds a receipt for (0: none yet)."""
    value = store.scalar("SELECT max(seq) FROM witness_receipts WHERE log_id = ?", [log_id])
    return int(value or 0)


def add_head(store: Store, sth: dict[str, Any]) -> None:
    store.execute(
        "INSERT OR IGNORE INTO witness_heads (log_id, tree_size, root_hash, timestamp, signature)"
        " VALUES (?, ?, ?, ?, ?)",
        [sth["log_id"], sth["tree_size"], sth["root_hash"], sth["timestamp"], sth["signature"]],
    )


def largest_head(store: Store, log_id: str) -> dict[str, Any] | None:
    """The biggest signed tree head seen from this log (what its log must keep extending)."""
    rows = store.query(
        "SELECT * FROM witness_heads WHERE log_id = ? ORDER BY tree_size DESC, timestamp DESC"
        " LIMIT 1",
        [log_id],
    )
    if not rows:
        return None
    r = rows[0]
    return {
        "v": 1,
        "log_id": r["log_id"],
        "tree_size": int(r["tree_size"]),
        "root_hash": r["root_hash"],
        "timestamp": r["timestamp"],
        "signature": r["signature"],
    }


def put_custody(store: Store, transfer_id: str, custody: dict[str, Any], now: str) -> None:
    store.execute(
        "INSERT OR REPLACE INTO transfer_custody (transfer_id, custody, fetched_at) VALUES (?, ?, ?)",
        [transfer_id, json.dumps(custody, ensure_ascii=False, sort_keys=True), now],
    )


def custody(store: Store, transfer_id: str) -> dict[str, Any]:
    raw = store.scalar("SELECT custody FROM transfer_custody WHERE transfer_id = ?", [transfer_id])
    return json.loads(raw) if raw else {}


def ledger_hashes(store: Store, first: int, last: int) -> dict[int, str]:
    """``seq → hash`` of the stored entries ``first..last`` (gaps left out, for the caller to see)."""
    return {
        int(r["seq"]): r["hash"]
        for r in store.query(
            "SELECT seq, hash FROM ledger WHERE seq BETWEEN ? AND ? ORDER BY seq", [first, last]
        )
    }


def ledger_head(store: Store) -> tuple[int, str] | None:
    rows = store.query("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
    return (int(rows[0]["seq"]), rows[0]["hash"]) if rows else None
