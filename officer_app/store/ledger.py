"""The append-only, hash-chained journal of everything that matters as evidence.

Each entry's hash covers its own content and the previous entry's hash, so altering, removing or
reordering any entry breaks the chain from that point on.  Entries are written in the same
transaction as the change they record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from officer_app.store.db import Store

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One byte-exact serialisation, so a hash can be recomputed anywhere."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(
    seq: int, kind: str, entity_id: str, payload: str, officer_id: str | None, at: str, prev: str
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "kind": kind,
            "entity_id": entity_id,
            "payload": payload,
            "officer_id": officer_id,
            "at": at,
            "prev_hash": prev,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(
    store: Store,
    kind: str,
    entity_id: str,
    payload: dict[str, Any],
    *,
    officer_id: str | None,
    at: dt.datetime | None = None,
) -> str:
    """Append one entry; must run inside the caller's transaction."""
    if not store.conn.in_transaction:
        raise RuntimeError("ledger.append must run inside the change's transaction")
    last = store.conn.execute("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (1, GENESIS) if last is None else (last[0] + 1, last[1])
    when = (at or dt.datetime.now(dt.UTC)).isoformat(timespec="microseconds")
    body = canonical_json(payload)
    digest = entry_hash(seq, kind, entity_id, body, officer_id, when, prev)
    store.conn.execute(
        "INSERT INTO ledger (seq, kind, entity_id, payload, officer_id, at, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [seq, kind, entity_id, body, officer_id, when, prev, digest],
    )
    return digest


@dataclass(frozen=True)
class LedgerProblem:
    seq: int
    kind: str  # altered / broken_link / gap / reordered
    detail: str


def verify_chain(rows: list[dict[str, Any]]) -> list[LedgerProblem]:
    """Walk entries in stored order and name every one that does not fit the chain."""
    problems: list[LedgerProblem] = []
    prev = GENESIS
    expected_seq = 1
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            kind = "reordered" if seq < expected_seq else "gap"
            problems.append(LedgerProblem(seq, kind, f"expected entry {expected_seq}, found {seq}"))
        recomputed = entry_hash(
            seq,
            row["kind"],
            row["entity_id"],
            row["payload"],
            row["officer_id"],
            row["at"],
            row["prev_hash"],
        )
        if recomputed != row["hash"]:
            problems.append(LedgerProblem(seq, "altered", "content does not match its hash"))
        if row["prev_hash"] != prev:
            problems.append(
                LedgerProblem(seq, "broken_link", "previous-hash does not match the entry before")
            )
        prev = row["hash"]
        expected_seq = seq + 1
    return problems
