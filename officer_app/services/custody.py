"""Chain of custody across agencies: what a transfer carries of the sender's ledger, and what the
receiving laptop writes into its own ledger for each file it takes in.

The sender names, for every file of a transfer, its own intake entry in full (so the receiver can
recompute that entry's hash with :func:`officer_app.store.ledger.entry_hash`) together with this
laptop's witness id; the platform, which witnessed the sender's ledger head, answers the receiver
with a signed receipt proving that very entry was shown to it (:mod:`officer_app.services.sync_witness`).
When the transfer is accepted, each file gets an ``evidence_received`` entry in the receiver's
ledger naming the sending agency, the transfer, the sender's intake entry (seq, hash, content) and
the platform's receipt: the file's history continues, hash-chained and witnessed, on the new laptop.
"""

from __future__ import annotations

import json
from typing import Any

from officer_app.services.context import AppContext
from officer_app.store import ledger, sync_state

RECEIVED_KIND = "evidence_received"
#: Ledger kinds that start a file's history on a laptop: taken in here, or received by transfer.
ORIGIN_KINDS = ("evidence_intake", RECEIVED_KIND)
_ENTRY_KEYS = ("seq", "kind", "entity_id", "payload", "officer_id", "at", "prev_hash", "hash")


def origin_entries(ctx: AppContext, sha: str) -> dict[str, Any] | None:
    """The ledger entry that began this file's history here (its first intake or reception)."""
    rows = ctx.store.query(
        f"SELECT {', '.join('l.' + k for k in _ENTRY_KEYS)} FROM ledger l"
        " JOIN evidence e ON e.id = l.entity_id WHERE e.sha256 = ?"
        f" AND l.kind IN ({', '.join('?' * len(ORIGIN_KINDS))}) ORDER BY l.seq LIMIT 1",
        [sha, *ORIGIN_KINDS],
    )
    return rows[0] if rows else None


def sender_custody(ctx: AppContext, shas: list[str]) -> dict[str, Any]:
    """What an outgoing transfer says about its files' history on this laptop (inside the
    issuing transaction): this laptop's witness id and each file's origin entry in full."""
    entries = {}
    for sha in sorted(set(shas)):
        entry = origin_entries(ctx, sha)
        if entry is not None:
            entries[sha] = {"seq": entry["seq"], "hash": entry["hash"], "entry": entry}
    return {"client_id": sync_state.client_id(ctx.store), "entries": entries}


def record_received(
    ctx: AppContext,
    transfer: dict[str, Any],
    payload: dict[str, Any],
    evidence_ids: list[str],
    officer_id: str,
) -> int:
    """One ``evidence_received`` entry per file that has no history here yet; inside the
    accepting transaction. Returns how many were written."""
    from officer_app.store import witness as rows

    custody = payload.get("custody") or {}
    sent = custody.get("entries") or {}
    proofs = rows.custody(ctx.store, transfer["id"])
    written = 0
    for evidence_id in evidence_ids:
        row = ctx.store.query(
            "SELECT sha256, original_name, size FROM evidence WHERE id = ?", [evidence_id]
        )[0]
        known = ctx.store.scalar(
            f"SELECT 1 FROM ledger WHERE entity_id = ? AND kind IN ({', '.join('?' * len(ORIGIN_KINDS))})",
            [evidence_id, *ORIGIN_KINDS],
        )
        if known:
            continue
        sender = sent.get(row["sha256"])
        body = {
            "sha256": row["sha256"],
            "original_name": row["original_name"],
            "size": row["size"],
            "from_agency": transfer["other_agency"],
            "transfer_id": transfer["id"],
            "document_number": transfer["document_number"],
            "sender": None
            if sender is None
            else {
                "client_id": custody.get("client_id"),
                "seq": sender.get("seq"),
                "hash": sender.get("hash"),
                "entry": sender.get("entry"),
            },
            "platform_receipt": proofs.get(row["sha256"]),
        }
        ledger.append(ctx.store, RECEIVED_KIND, evidence_id, body, officer_id=officer_id)
        written += 1
    return written


def check_received(
    payload: dict[str, Any], sha: str, keys: dict[str, str]
) -> tuple[str, str] | None:
    """Check one ``evidence_received`` entry's claims on their own: ``None`` if the sender's
    intake entry recomputes to the hash it is named by and records this file, and the platform's
    receipt proves the sender showed that entry to the witness; else ``(kind, detail)``, kind
    ``received_sender`` or ``received_receipt``; ``("received_unwitnessed", …)`` when the
    sender's ledger was never witnessed (no receipt to check: a note, not tampering)."""
    from officer_app.domain.witness import check_entry_receipt

    sender = payload.get("sender")
    if not isinstance(sender, dict) or not isinstance(sender.get("entry"), dict):
        return ("received_sender", "no sender intake entry")
    entry = sender["entry"]
    try:
        recomputed = ledger.entry_hash(
            int(entry["seq"]),
            str(entry["kind"]),
            str(entry["entity_id"]),
            str(entry["payload"]),
            entry.get("officer_id"),
            str(entry["at"]),
            str(entry["prev_hash"]),
        )
        recorded = json.loads(entry["payload"]).get("sha256")
    except (KeyError, TypeError, ValueError, AttributeError):
        return ("received_sender", "sender entry malformed")
    if recomputed != sender.get("hash") or int(entry["seq"]) != sender.get("seq"):
        return ("received_sender", "sender entry does not hash to the named hash")
    if recorded != sha:
        return ("received_sender", f"sender entry records {recorded}, file is {sha}")
    receipt = payload.get("platform_receipt")
    if receipt is None:
        return ("received_unwitnessed", "the sender's entry was not witnessed")
    problem = check_entry_receipt(
        receipt,
        seq=int(sender["seq"]),
        entry_hash=str(sender["hash"]),
        agency=str(payload.get("from_agency", "")),
        client_id=str(sender.get("client_id", "")),
        keys=keys,
    )
    return ("received_receipt", problem) if problem else None
