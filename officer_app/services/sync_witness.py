"""The laptop's side of the platform witness: pin the key at login, show the ledger head at every
sync, keep the signed receipts, and fetch the custody proofs of incoming transfers.

Nothing the platform answers is taken on trust: every signed tree head is checked against the key
pinned at the first login, must extend the largest head this laptop saw before (a consistency
proof: a platform that forks or rewrites its log is caught here), and every receipt must prove its
leaf is in that head. Receipts are stored in the main store, in the same transaction as the head.
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

from officer_app.domain import witness as fmt
from officer_app.services.context import AppContext
from officer_app.services.sync_report import SyncReport, with_retries
from officer_app.store import sync_state
from officer_app.store import witness as rows
from officer_app.sync.errors import RefusedError, SyncError
from officer_app.sync.http import PlatformClient

log = logging.getLogger(__name__)


class WitnessError(SyncError):
    """The platform's witness cannot be trusted as answered: a changed key, a forked log."""

    code = "witness"


def _short(fp: str) -> str:
    return fmt.short_fingerprint(fp)


def fetch_key(client: PlatformClient) -> dict[str, str]:
    key = client.request("GET", "/v1/witness/key").json()
    try:
        if key.get("algorithm") != fmt.ALGORITHM or fmt.fingerprint(key["public_key"]) != key.get(
            "fingerprint"
        ):
            raise fmt.WitnessFormatError("fingerprint does not match the key")
    except (fmt.WitnessFormatError, KeyError, AttributeError) as exc:
        raise WitnessError("平台提供的签名公钥格式不正确，已拒绝。", f"witness key: {exc}") from exc
    return {k: key[k] for k in ("algorithm", "public_key", "fingerprint")}


def pin_key(ctx: AppContext, client: PlatformClient, *, accept_new: bool = False) -> dict[str, Any]:
    """Trust on first use: the first key seen for a server is pinned; a different one later is
    refused (it may be an impostor) unless the officer, having checked its fingerprint with the
    platform's administrator or a printed bulletin, accepts it."""
    key = fetch_key(client)
    pinned = rows.pinned_key(ctx.store, client.server)
    if pinned is not None and pinned.fingerprint == key["fingerprint"]:
        return {"fingerprint": key["fingerprint"], "pinned": "unchanged"}
    if pinned is not None and not accept_new:
        raise WitnessError(
            "平台的签名密钥与本机首次登录时记录的不一致"
            f"（记录的指纹 {_short(pinned.fingerprint)}，现在 {_short(key['fingerprint'])}），"
            "可能是冒充的平台，已拒绝。如平台确已更换密钥，请向平台管理员核实新指纹后，"
            "用 officer-app login --accept-new-key 重新登录。",
            f"pinned {pinned.fingerprint}, offered {key['fingerprint']}",
        )
    rows.pin(ctx.store, client.server, key, ctx.now_iso())
    if pinned is not None:
        log.warning("witness key of %s replaced: %s -> %s", client.server, pinned.fingerprint, key)
    return {"fingerprint": key["fingerprint"], "pinned": "replaced" if pinned else "new"}


def request_body(ctx: AppContext, log_id: str | None) -> dict[str, Any] | None:
    """What the laptop shows the witness: its ledger head and the entry hashes since the last
    head it holds a receipt for (all of them the first time); ``None`` for an empty ledger.
    Raises :class:`WitnessError` if the stored chain has a gap (it could not be shown whole)."""
    head = rows.ledger_head(ctx.store)
    if head is None:
        return None
    seq, digest = head
    last = rows.witnessed_seq(ctx.store, log_id) if log_id else 0
    first = last + 1 if last < seq else seq
    found = rows.ledger_hashes(ctx.store, first, seq)
    if len(found) != seq - first + 1:
        raise WitnessError(
            "本机执法日志不连续（有条目缺失），无法提交平台见证。请运行“核验”查看详情。",
            f"ledger entries {first}..{seq}: {len(found)} present",
        )
    largest = rows.largest_head(ctx.store, log_id) if log_id else None
    return {
        "client_id": sync_state.client_id(ctx.store),
        "seq": seq,
        "hash": digest,
        "from_seq": first,
        "hashes": [found[i] for i in range(first, seq + 1)],
        "known_index": rows.newest_leaf_index(ctx.store, log_id) if log_id else None,
        "known_size": largest["tree_size"] if largest else None,
    }


def _local_segment(ctx: AppContext, leaf: dict[str, Any]) -> list[str]:
    """The local hashes of the entries a leaf covers, if they still give its root (else none:
    ``verify`` then names where the chain departs)."""
    first, last = int(leaf["from_seq"]), int(leaf["seq"])
    found = rows.ledger_hashes(ctx.store, first, last)
    hashes = [found.get(i, "") for i in range(first, last + 1)]
    if "" in hashes or fmt.segment_root(hashes) != leaf.get("entries_root"):
        return []
    return hashes


def accept_answer(
    ctx: AppContext, answer: dict[str, Any], public_key: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check a witness answer completely, then keep its receipts and head; raises
    :class:`WitnessError` (nothing kept) when the platform's log cannot be trusted."""
    sth = answer.get("sth") if isinstance(answer, dict) else None
    if not isinstance(sth, dict) or fmt.verify_sth(sth, public_key):
        raise WitnessError(
            "平台返回的见证签名无法用本机记录的平台公钥验证，已拒绝（可能是冒充的平台）。",
            f"sth: {fmt.verify_sth(sth, public_key) if isinstance(sth, dict) else 'missing'}",
        )
    log_id = sth["log_id"]
    seen = rows.largest_head(ctx.store, log_id)
    if seen is not None:
        proof = answer.get("consistency")
        if not isinstance(proof, list) or not fmt.verify_consistency(seen, sth, proof):
            raise WitnessError(
                "平台的见证日志与本机此前见到的不一致（日志被改写、截短或分叉），已停止同步。"
                "请立即报告平台管理员，并保留本机数据。",
                f"no consistency from size {seen['tree_size']} to {sth['tree_size']}",
            )
    client_id = sync_state.client_id(ctx.store)
    receipts = answer.get("receipts") or []
    for receipt in receipts:
        problem = fmt.verify_receipt(receipt, public_key) if isinstance(receipt, dict) else "bad"
        if problem or receipt["leaf"].get("client_id") != client_id:
            raise WitnessError(
                "平台返回的见证回执无效，已拒绝。", f"receipt: {problem or 'other client'}"
            )
    if body is not None and not any(
        r["leaf"].get("seq") == body["seq"] and r["leaf"].get("hash") == body["hash"]
        for r in receipts
    ):
        raise WitnessError(
            "平台的见证回执与本机提交的日志不符，已拒绝。", f"no receipt for head {body['seq']}"
        )
    new = 0
    with ctx.store.transaction():
        for receipt in receipts:
            new += rows.add_receipt(
                ctx.store, receipt, _local_segment(ctx, receipt["leaf"]), ctx.now_iso()
            )
        rows.add_head(ctx.store, sth)
    return {"log_id": log_id, "tree_size": sth["tree_size"], "new_receipts": new}


def witness(ctx: AppContext, client: PlatformClient, report: SyncReport) -> None:
    """Show the ledger head to the witness (at the start of every sync, so whatever this sync
    pushes refers to entries already witnessed)."""
    started = time.perf_counter()
    pinned = rows.pinned_key(ctx.store, client.server)
    if pinned is None:  # logged in before the platform witnessed: trust on first use now
        pin_key(ctx, client)
        pinned = rows.pinned_key(ctx.store, client.server)
        assert pinned is not None
    try:
        body = request_body(ctx, pinned.fingerprint)
    except WitnessError as exc:  # a damaged chain: the sync goes on, the officer is told
        log.warning("ledger not witnessed: %s", exc.detail)
        report.witness = {"witnessed": False, "reason": exc.message_zh}
        return
    if body is None:
        report.witness = {"witnessed": False, "reason": "本机日志为空，无需见证。"}
        return
    try:
        answer = with_retries(
            lambda: client.request("POST", "/v1/witness", json=body).json(), report
        )
    except RefusedError as exc:  # e.g. a damaged journal: the sync itself goes on
        log.warning("witness refused: %s", exc.detail)
        report.witness = {"witnessed": False, "reason": exc.message_zh}
        return
    result = accept_answer(ctx, answer, pinned.public_key, body)
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    report.witness = {"witnessed": True, "seq": body["seq"], **result, "ms": elapsed_ms}


# Incoming transfers -------------------------------------------------------------------------------
def fetch_custody(ctx: AppContext, client: PlatformClient, report: SyncReport) -> None:
    """For each incoming transfer not yet answered, the platform's proofs that the sender's
    intake entries were witnessed; kept only when every file of the transfer is covered and
    every proof checks (else asked again at the next sync)."""
    import json

    pending = ctx.store.query(
        "SELECT t.id, t.payload FROM transfers t LEFT JOIN transfer_custody c"
        " ON c.transfer_id = t.id WHERE t.direction = 'in' AND t.status = 'sent'"
        " AND c.transfer_id IS NULL ORDER BY t.created_at"
    )
    pinned = rows.pinned_key(ctx.store, client.server)
    fetched = 0
    for row in pending:
        payload = json.loads(row["payload"])
        wanted = (payload.get("custody") or {}).get("entries") or {}
        if not wanted or pinned is None:
            continue
        try:
            answer = with_retries(
                functools.partial(client.request_json, "GET", f"/v1/transfers/{row['id']}/custody"),
                report,
            )
        except RefusedError as exc:
            log.info("custody of %s not available: %s", row["id"], exc.detail)
            continue
        items = answer.get("items") or {}
        custody = payload["custody"]
        bad = [
            sha
            for sha, entry in wanted.items()
            if fmt.check_entry_receipt(
                items.get(sha),
                seq=int(entry.get("seq", 0)),
                entry_hash=str(entry.get("hash", "")),
                agency=str(payload.get("from_agency", "")),
                client_id=str(custody.get("client_id", "")),
                keys={pinned.fingerprint: pinned.public_key},
            )
        ]
        if bad:
            log.info("custody of %s incomplete: %d of %d", row["id"], len(bad), len(wanted))
            continue
        with ctx.store.transaction():
            rows.put_custody(ctx.store, row["id"], items, ctx.now_iso())
        fetched += 1
    report.custody_fetched = fetched


def bundle_request(ctx: AppContext) -> dict[str, Any] | None:
    """What a USB bundle asks the platform to witness when it is imported (``None``: an empty or
    damaged ledger; the bundle still carries the records, the next sync tries again)."""
    server = sync_state.get(ctx.store, sync_state.SERVER_URL)
    pinned = rows.pinned_key(ctx.store, server) if server else None
    try:
        return request_body(ctx, pinned.fingerprint if pinned else None)
    except WitnessError as exc:
        log.warning("bundle without a witness request: %s", exc.detail)
        return None
