"""What is in this data dir: the answer behind ``officer-app info`` and the status bar."""

from __future__ import annotations

from typing import Any

from officer_app.services.context import AppContext

_COUNTED = {
    "patrols": "SELECT COUNT(*) FROM patrols",
    "evidence": "SELECT COUNT(*) FROM evidence",
    "cases": "SELECT COUNT(*) FROM cases",
    "documents": "SELECT COUNT(*) FROM documents",
    "outbox": "SELECT COUNT(*) FROM outbox WHERE state != 'sent'",
    "officers": "SELECT COUNT(*) FROM officers",
    "agencies": "SELECT COUNT(*) FROM agencies",
    "ledger": "SELECT COUNT(*) FROM ledger",
}


def counts(ctx: AppContext) -> dict[str, int]:
    return {name: int(ctx.store.scalar(sql)) for name, sql in _COUNTED.items()}


#: The record tables an officer counts on; each has a ``training`` flag set by the demo.
_RECORD_TABLES = ("patrols", "evidence", "cases", "documents")


def training_only(ctx: AppContext) -> bool:
    """True when the store holds records and every one of them is demo (training) data.

    The pages say so, because 统计 leaves training data out and would otherwise show zeros
    next to lists full of 【演示】 records with no word why.
    """
    real = total = 0
    for table in _RECORD_TABLES:
        row = ctx.store.conn.execute(
            f"SELECT COUNT(*), COALESCE(SUM(training = 0), 0) FROM {table}"
        ).fetchone()
        total += int(row[0])
        real += int(row[1])
    return total > 0 and real == 0


def info(ctx: AppContext) -> dict[str, Any]:
    officer = ctx.current_officer()
    return {
        "schema_version": ctx.store.schema_version,
        "data_dir": str(ctx.data.root),
        "store": str(ctx.store.path),
        "officer": officer.public() if officer else None,
        "counts": counts(ctx),
        "training_only": training_only(ctx),
    }
