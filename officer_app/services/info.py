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


def info(ctx: AppContext) -> dict[str, Any]:
    officer = ctx.current_officer()
    return {
        "schema_version": ctx.store.schema_version,
        "data_dir": str(ctx.data.root),
        "store": str(ctx.store.path),
        "officer": officer.public() if officer else None,
        "counts": counts(ctx),
    }
