"""Serial numbers of issued documents, taken from per-laptop serial blocks inside the issue transaction.

The serial is taken in the same SQLite transaction that stores the issued document, so a crash
before the commit leaves the serial unused (the next issue takes it: no gap) and a commit makes both
durable (no reuse). Concurrent issuers on one store are serialised by ``BEGIN IMMEDIATE``.

Several laptops of one agency work offline: each issues only from blocks it owns. Until the platform
hands out blocks, a laptop owns its agency's whole range through one default ``local`` block
1..999999; :func:`add_platform_block` (called by the sync work) retires the unused rest of it.
"""

from __future__ import annotations

from typing import Any

from officer_app.domain.numbering import SerialBlock, SerialBlockExhaustedError
from officer_app.errors import ValidationError
from officer_app.services.context import AppContext
from officer_app.store.db import Store

DEFAULT_FIRST, DEFAULT_LAST = 1, 999_999
#: Training (demo) documents count in their own series, under this prefix of the doc type: a
#: key no platform block and no real document ever uses, so a training issue can neither take
#: nor collide with a real serial (their 文号 reads 青城管移〔培训2026〕1号).
TRAINING_SERIES = "培训"


def series(doc_type: str, *, training: bool = False) -> str:
    """The serial series of a document type (the ``doc_type`` of serial_blocks and documents)."""
    return TRAINING_SERIES + doc_type if training else doc_type


class SerialsExhaustedError(ValidationError):
    code = "serials_exhausted"


def _row_to_block(row: dict[str, Any]) -> SerialBlock:
    return SerialBlock(
        row["agency"], row["doc_type"], row["year"], row["first"], row["last"], row["next"]
    )


def _blocks(store: Store, agency: str, doc_type: str, year: int) -> list[dict[str, Any]]:
    return store.query(
        "SELECT * FROM serial_blocks WHERE agency = ? AND doc_type = ? AND year = ? ORDER BY first",
        [agency, doc_type, year],
    )


def peek_serial(store: Store, agency: str, doc_type: str, year: int) -> int:
    """The serial the next issue will most likely get (for rendering before taking the lock)."""
    for row in _blocks(store, agency, doc_type, year):
        if row["next"] <= row["last"]:
            return int(row["next"])
    if not _blocks(store, agency, doc_type, year):
        return DEFAULT_FIRST
    raise SerialsExhaustedError(
        f"本机{year}年“{doc_type}”字文号已用完，请同步后领取新的文号段。",
        f"no serial left for {agency}/{doc_type}/{year}",
    )


def take_serial(store: Store, agency: str, doc_type: str, year: int, *, now: str) -> int:
    """Take the next serial; must run inside the issuing transaction."""
    if not store.conn.in_transaction:
        raise RuntimeError("serials are taken inside the issuing transaction")
    rows = _blocks(store, agency, doc_type, year)
    if not rows:
        store.execute(
            "INSERT INTO serial_blocks (agency, doc_type, year, first, last, next, source,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, 'local', ?)",
            [agency, doc_type, year, DEFAULT_FIRST, DEFAULT_LAST, DEFAULT_FIRST, now],
        )
        rows = _blocks(store, agency, doc_type, year)
    for row in rows:
        block = _row_to_block(row)
        try:
            serial, advanced = block.issue()
        except SerialBlockExhaustedError:
            continue
        store.execute(
            "UPDATE serial_blocks SET next = ? WHERE id = ? AND next = ?",
            [advanced.next, row["id"], serial],
        )
        return serial
    raise SerialsExhaustedError(
        f"本机{year}年“{doc_type}”字文号已用完，请同步后领取新的文号段。",
        f"no serial left for {agency}/{doc_type}/{year}",
    )


def list_blocks(ctx: AppContext) -> list[dict[str, Any]]:
    return ctx.store.query("SELECT * FROM serial_blocks ORDER BY agency, doc_type, year, first")


def add_platform_block(
    ctx: AppContext, agency: str, doc_type: str, year: int, first: int, last: int
) -> None:
    """Store a block reserved by the platform for this laptop (the sync issue calls this).

    The unused tail of a ``local`` block is retired (its ``last`` drops to what was used), because
    from now on other laptops own the rest of the range. A block that overlaps a serial already
    used here is refused: that would be a reused number.
    """
    new = SerialBlock.new(agency, doc_type, year, first, last)
    with ctx.store.transaction():
        for row in _blocks(ctx.store, agency, doc_type, year):
            block = _row_to_block(row)
            used_last = block.next - 1
            if row["source"] == "local":
                if used_last >= first and block.first <= last:
                    raise ValidationError(
                        "平台分配的文号段与本机已用文号重叠，未保存。", f"{new} overlaps used {row}"
                    )
                if used_last < block.first:
                    ctx.store.execute("DELETE FROM serial_blocks WHERE id = ?", [row["id"]])
                else:
                    ctx.store.execute(
                        "UPDATE serial_blocks SET last = ? WHERE id = ?", [used_last, row["id"]]
                    )
            elif block.overlaps(new):
                raise ValidationError(
                    "平台分配的文号段与已有文号段重叠，未保存。", f"{new} overlaps"
                )
        ctx.store.execute(
            "INSERT INTO serial_blocks (agency, doc_type, year, first, last, next, source,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, 'platform', ?)",
            [agency, doc_type, year, first, last, first, ctx.now_iso()],
        )
