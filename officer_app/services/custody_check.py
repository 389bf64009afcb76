"""What ``verify`` checks against the platform's witness, offline and (on request) online.

Offline, from the receipts kept in the store: every receipt must be signed by a pinned platform
key and prove its leaf is in the signed tree (a forged or re-signed receipt is named), and the
local chain must extend every witnessed head: the entry at each witnessed seq must still have the
witnessed hash. Where it does not, the witnessed entry hashes (the segment each receipt covers)
name the *first* entry where the chain departs: rewritten there, or cut short before it. Received
evidence is checked against the sender's intake entry and the platform's receipt for it.

Online (``verify --against-platform``), the same comparison runs against what the platform itself
holds for this laptop, fetched with a signature and a consistency proof from the largest tree this
laptop saw: deleting the receipts from the store no longer hides a rewrite, and a platform that
forked its log is caught too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from officer_app.domain import witness as fmt
from officer_app.services.context import AppContext
from officer_app.services.custody import RECEIVED_KIND, check_received
from officer_app.store import sync_state
from officer_app.store import witness as rows


@dataclass(frozen=True)
class CustodyProblem:
    kind: str
    ref: str
    detail: str
    message_zh: str


@dataclass
class Witnessed:
    """Heads and entry hashes one source (the store's receipts, or the platform) vouches for."""

    heads: list[tuple[int, str]] = field(default_factory=list)  # (seq, hash) of each leaf
    entries: dict[int, str] = field(default_factory=dict)  # seq -> witnessed hash

    def add(self, leaf: dict[str, Any], segment: list[str]) -> None:
        seq, first = int(leaf["seq"]), int(leaf["from_seq"])
        self.heads.append((seq, str(leaf["hash"])))
        self.entries.setdefault(seq, str(leaf["hash"]))
        if segment and len(segment) == seq - first + 1:
            try:
                usable = fmt.segment_root(segment) == leaf.get("entries_root")
            except fmt.WitnessFormatError:
                usable = False
            if usable:
                for offset, digest in enumerate(segment):
                    self.entries.setdefault(first + offset, digest)


def departure(
    witnessed: Witnessed, local: dict[int, str], prefix: str, source_zh: str
) -> list[CustodyProblem]:
    """The first entry where the local chain leaves what was witnessed (one problem, or none).

    Every witnessed head must still be there with its hash. If one is not, the earliest witnessed
    entry whose local hash differs (or that is gone) is where the chain departs; it is exact when
    the entry just before it was witnessed and still matches (hash chaining makes everything
    before a matching entry match too), else the departure lies between the last matching
    witnessed entry and it, and the problem says so."""
    if all(local.get(s) == h for s, h in witnessed.heads):
        return []
    first_bad = min(s for s, h in witnessed.entries.items() if local.get(s) != h)
    lo = 1 + max(
        (s for s, h in witnessed.entries.items() if s < first_bad and local.get(s) == h),
        default=0,
    )
    where = f"第 {first_bad} 条" if lo == first_bad else f"第 {lo} 至 {first_bad} 条之间"
    ref = str(first_bad) if lo == first_bad else f"{lo}-{first_bad}"
    top = max(local, default=0)
    seen = max(s for s, _ in witnessed.heads)
    if first_bad > top:
        return [
            CustodyProblem(
                f"{prefix}_truncated",
                ref,
                f"chain ends at entry {top}; the witness saw entry {seen}",
                f"日志被截短：{source_zh}显示平台曾见证到第 {seen} 条，本机日志只到第 {top} 条，"
                f"自{where}起缺失",
            )
        ]
    return [
        CustodyProblem(
            f"{prefix}_rewritten",
            ref,
            f"entry {first_bad} differs from (or lacks) the witnessed hash; departs at {ref}",
            f"日志与{source_zh}不符：自{where}起被改写、删除或替换（例如整条链被重新计算）",
        )
    ]


def _local_chain(entries: Iterable[dict[str, Any]]) -> dict[int, str]:
    return {int(e["seq"]): str(e["hash"]) for e in entries}


def _keys(ctx: AppContext) -> dict[str, str]:
    return {k.fingerprint: k.public_key for k in rows.pinned_keys(ctx.store)}


def check_offline(
    ctx: AppContext, entries: list[dict[str, Any]]
) -> tuple[list[CustodyProblem], dict[str, Any]]:
    """Receipts, chain against them, received evidence: ``(problems, summary)``."""
    problems: list[CustodyProblem] = []
    keys = _keys(ctx)
    client_id = sync_state.get(ctx.store, sync_state.CLIENT_ID)
    witnessed = Witnessed()
    stored = rows.receipts(ctx.store)
    for r in stored:
        ref = f"{r.log_id[:8]}#{r.leaf_index}"
        key = keys.get(r.log_id)
        reason = "no pinned key for this log" if key is None else fmt.verify_receipt(r.receipt, key)
        signed_leaf = r.receipt.get("leaf")
        leaf: dict[str, Any] = signed_leaf if isinstance(signed_leaf, dict) else {}
        if not reason and (
            leaf.get("seq") != r.seq
            or leaf.get("hash") != r.hash
            or leaf.get("from_seq") != r.from_seq
            or r.receipt.get("leaf_index") != r.leaf_index
            or r.receipt["sth"].get("log_id") != r.log_id
        ):
            reason = "stored columns differ from the signed receipt"
        if not reason and client_id and leaf.get("client_id") != client_id:
            reason = "receipt of another laptop"
        if reason:
            problems.append(
                CustodyProblem(
                    "witness_receipt_invalid",
                    ref,
                    reason,
                    f"平台见证回执无效（伪造、被改动或非本平台签发）：第 {r.seq} 条日志的见证",
                )
            )
            continue
        witnessed.add(leaf, r.segment)
    local = _local_chain(entries)
    problems += departure(witnessed, local, "witness", "本机保存的平台见证回执")
    received = [e for e in entries if e["kind"] == RECEIVED_KIND]
    notes: list[dict[str, str]] = []
    for entry in received:
        try:
            body = json.loads(entry["payload"])
        except ValueError:
            continue  # an altered entry: the chain walk names it
        found = check_received(body, str(body.get("sha256", "")), keys)
        name = body.get("original_name", entry["entity_id"])
        if found is None:
            continue
        kind, detail = found
        if kind == "received_unwitnessed":
            notes.append(
                {
                    "kind": kind,
                    "ref": entry["entity_id"],
                    "message_zh": f"移送证据“{name}”在移送方未经平台见证",
                }
            )
        elif kind == "received_sender":
            problems.append(
                CustodyProblem(
                    kind, entry["entity_id"], detail, f"移送证据与移送方入库日志不符：{name}"
                )
            )
        else:
            problems.append(
                CustodyProblem(
                    kind, entry["entity_id"], detail, f"移送证据的平台见证回执无效：{name}"
                )
            )
    heads = [s for s, _ in witnessed.heads]
    summary = {
        "receipts": len(stored),
        "witnessed_seq": max(heads, default=0),
        "keys": sorted(keys),
        "received_checked": len(received),
        "notes": notes,
    }
    return problems, summary


def check_against_platform(
    ctx: AppContext, entries: list[dict[str, Any]]
) -> tuple[list[CustodyProblem], dict[str, Any]]:
    """Ask the platform what it witnessed for this laptop and compare (needs the network)."""
    from officer_app.services.sync_run import open_client
    from officer_app.services.sync_witness import fetch_key, pin_key

    problems: list[CustodyProblem] = []
    with open_client(ctx) as client:
        pinned = rows.pinned_key(ctx.store, client.server)
        if pinned is None:
            pin_key(ctx, client)
            pinned = rows.pinned_key(ctx.store, client.server)
            assert pinned is not None
        offered = fetch_key(client)
        largest = rows.largest_head(ctx.store, pinned.fingerprint)
        params: dict[str, Any] = {"client_id": sync_state.client_id(ctx.store)}
        if largest is not None:
            params["since_size"] = largest["tree_size"]
        answer = client.request_json("GET", "/v1/witness/heads", params=params)
    if offered["fingerprint"] != pinned.fingerprint:
        problems.append(
            CustodyProblem(
                "witness_key_changed",
                offered["fingerprint"][:16],
                f"pinned {pinned.fingerprint}, platform now {offered['fingerprint']}",
                "平台现在的签名公钥与本机记录的不一致（平台更换了密钥，或连接的不是原平台）",
            )
        )
    sth = answer.get("sth") if isinstance(answer, dict) else None
    reason = fmt.verify_sth(sth, pinned.public_key) if isinstance(sth, dict) else "no head"
    if reason:
        problems.append(
            CustodyProblem(
                "witness_platform_invalid",
                "sth",
                reason,
                "平台返回的见证签名无法验证（可能是冒充的平台）",
            )
        )
        return problems, {"checked": False}
    assert isinstance(sth, dict)
    if largest is not None and not fmt.verify_consistency(
        largest, sth, answer.get("consistency") or []
    ):
        problems.append(
            CustodyProblem(
                "witness_log_forked",
                str(largest["tree_size"]),
                f"no consistency from {largest['tree_size']} to {sth['tree_size']}",
                "平台的见证日志与本机此前见到的不一致（平台日志被改写、截短或分叉）",
            )
        )
    witnessed = Witnessed()
    bad_leaves = 0
    for item in answer.get("leaves") or []:
        receipt = {k: item.get(k) for k in ("leaf", "leaf_index", "sth", "inclusion")}
        leaf = item.get("leaf") or {}
        if (
            fmt.verify_receipt(receipt, pinned.public_key)
            or leaf.get("client_id") != params["client_id"]
        ):
            bad_leaves += 1
            continue
        witnessed.add(leaf, [str(h) for h in item.get("segment") or []])
    if bad_leaves:
        problems.append(
            CustodyProblem(
                "witness_platform_invalid",
                "leaves",
                f"{bad_leaves} leaves fail their inclusion proofs",
                f"平台返回的 {bad_leaves} 份见证记录无法验证",
            )
        )
    local = _local_chain(entries)
    problems += departure(witnessed, local, "platform", "平台现存的见证记录")
    held = {r.leaf_index for r in rows.receipts(ctx.store, pinned.fingerprint)}
    platform_leaves = [int(i.get("leaf_index", -1)) for i in answer.get("leaves") or []]
    if not platform_leaves and (held or _has_synced(ctx)):
        problems.append(
            CustodyProblem(
                "witness_unknown",
                params["client_id"],
                "the platform holds no witnessed head for this laptop",
                "平台没有本机的见证记录，但本机曾经同步过（本机编号可能被改动）",
            )
        )
    return problems, {
        "checked": True,
        "tree_size": sth["tree_size"],
        "platform_heads": len(platform_leaves),
        "platform_witnessed_seq": max((s for s, _ in witnessed.heads), default=0),
        "receipts_missing_here": len(set(platform_leaves) - held),
    }


def _has_synced(ctx: AppContext) -> bool:
    return bool(ctx.store.scalar("SELECT 1 FROM outbox WHERE state = 'sent' LIMIT 1"))


def custody_summary(witness: dict[str, Any]) -> str:
    """One or two lines for a passed ``verify``: how far the witness vouches for the chain."""
    lines = []
    if witness.get("receipts"):
        lines.append(
            f"平台见证回执 {witness['receipts']} 份，已见证到第 {witness['witnessed_seq']} 条日志；"
            "平台公钥指纹 " + "、".join(fmt.short_fingerprint(k) for k in witness["keys"]) + "。"
        )
    else:
        lines.append("本机尚无平台见证回执（从未同步）：日志只能在本机自证。")
    online = witness.get("against_platform")
    if online and online.get("checked"):
        lines.append(
            f"已与平台核对：平台见证过本机 {online['platform_heads']} 次，"
            f"最新到第 {online['platform_witnessed_seq']} 条日志。"
        )
    lines += [n["message_zh"] for n in witness.get("notes", [])]
    return "".join("\n" + line for line in lines)
