"""The witness in an evidence package: what lets a court check it against the platform, offline.

``custody/witness.json`` carries the platform's public key(s) and, for every ledger head the
platform witnessed that covers an entry of the case, the signed receipt (leaf, signed tree head,
inclusion proof) and, for each full entry of the case in that head's segment, the short proof that
its hash is among the witnessed ones. :func:`check` needs only the zip: each receipt must verify
with the key in the package, and each case entry must hash to what the platform witnessed, so an
edited entry cannot be hidden by recomputing the journal. The key's fingerprint is reported for
comparison with the one printed in the platform's bulletins (or asked of the platform): the
package alone cannot prove whose key it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from officer_app.domain import witness as fmt
from officer_app.services.context import AppContext
from officer_app.services.custody import RECEIVED_KIND, check_received
from officer_app.store import witness as rows

FORMAT = "officer_app-custody/1"
MEMBER = "custody/witness.json"


def _segment(ctx: AppContext, receipt: rows.StoredReceipt) -> list[str] | None:
    """The witnessed entry hashes of a receipt, from the store if they still match its root."""
    leaf = receipt.receipt.get("leaf") or {}
    for hashes in (receipt.segment, None):
        if hashes is None:
            found = rows.ledger_hashes(ctx.store, receipt.from_seq, receipt.seq)
            hashes = [found.get(i, "") for i in range(receipt.from_seq, receipt.seq + 1)]
        try:
            if hashes and fmt.segment_root(hashes) == leaf.get("entries_root"):
                return hashes
        except fmt.WitnessFormatError:
            continue
    return None


def members(ctx: AppContext, segment: list[dict[str, Any]]) -> dict[str, bytes]:
    """``{archive name: bytes}`` for the package's ledger ``segment`` (empty: nothing witnessed)."""
    full = {int(e["seq"]): e for e in segment if e.get("full")}
    if not full:
        return {}
    first, last = min(full), max(full)
    witnessed, logs = [], set()
    for receipt in rows.receipts(ctx.store):
        if receipt.seq < first or receipt.from_seq > last:
            continue
        hashes = _segment(ctx, receipt)
        if hashes is None:
            continue
        tree = fmt.segment_tree(hashes)
        proofs = {
            str(seq): [p.hex() for p in tree.inclusion_proof(seq - receipt.from_seq)]
            for seq in sorted(full)
            if receipt.from_seq <= seq <= receipt.seq
        }
        if proofs:
            witnessed.append({"receipt": receipt.receipt, "entries": proofs})
            logs.add(receipt.log_id)
    if not witnessed:
        return {}
    keys = [
        {"algorithm": k.algorithm, "public_key": k.public_key, "fingerprint": k.fingerprint}
        for k in rows.pinned_keys(ctx.store)
        if k.fingerprint in logs
    ]
    unique = list({k["fingerprint"]: k for k in keys}.values())
    body = {"format": FORMAT, "keys": unique, "witnessed": witnessed}
    return {MEMBER: json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")}


def check(
    read: Callable[[str], bytes | None],
    names: set[str],
    problem: Callable[[str, str, str], None],
) -> dict[str, Any]:
    """Check the package's witness part; returns what it covered (fingerprints for people)."""
    entries = _ledger(read, names)
    full = {int(e["seq"]): e for e in entries if e.get("full") and isinstance(e.get("seq"), int)}
    info: dict[str, Any] = {
        "key_fingerprints": [],
        "witnessed_heads": 0,
        "witnessed_entries": 0,
        "unwitnessed_entries": sorted(full),
        "received_checked": 0,
    }
    if MEMBER not in names:
        return info
    try:
        body = json.loads((read(MEMBER) or b"").decode("utf-8"))
        keys = {}
        for k in body["keys"]:
            if fmt.fingerprint(k["public_key"]) != k["fingerprint"]:
                raise fmt.WitnessFormatError("fingerprint")
            keys[k["fingerprint"]] = k["public_key"]
        witnessed = list(body["witnessed"])
    except (ValueError, KeyError, TypeError, fmt.WitnessFormatError):
        problem("custody_format", MEMBER, "平台见证文件 custody/witness.json 无法解析或公钥不符")
        return info
    info["key_fingerprints"] = sorted(keys)
    covered: set[int] = set()
    for item in witnessed:
        receipt = item.get("receipt") if isinstance(item, dict) else None
        sth = receipt.get("sth") if isinstance(receipt, dict) else None
        key = keys.get(str(sth.get("log_id"))) if isinstance(sth, dict) else None
        reason = "no key" if key is None else fmt.verify_receipt(receipt or {}, key)
        leaf = (receipt or {}).get("leaf") or {}
        if reason:
            problem(
                "custody_receipt",
                str(leaf.get("seq", "?")),
                f"平台见证回执无效（签名或包含证明不符）：见证到第 {leaf.get('seq', '?')} 条的日志头",
            )
            continue
        info["witnessed_heads"] += 1
        for seq_text, proof in sorted((item.get("entries") or {}).items()):
            seq = int(seq_text)
            entry = full.get(seq)
            if entry is None:
                continue
            if fmt.verify_segment_entry(leaf, seq, str(entry.get("hash")), proof):
                covered.add(seq)
            else:
                problem(
                    "custody_entry",
                    str(seq),
                    f"日志第{seq}条与平台见证的不符（日志被改动后重新计算）",
                )
    info["witnessed_entries"] = len(covered)
    info["unwitnessed_entries"] = sorted(set(full) - covered)
    for e in full.values():
        if e.get("kind") != RECEIVED_KIND:
            continue
        info["received_checked"] += 1
        try:
            payload = json.loads(e["payload"])
        except (ValueError, KeyError, TypeError):
            continue  # the ledger check names an unreadable entry
        found = check_received(payload, str(payload.get("sha256", "")), keys)
        if found and found[0] != "received_unwitnessed":
            problem(
                f"custody_{found[0]}",
                str(e["seq"]),
                f"移送证据“{payload.get('original_name', '')}”与移送方入库日志或其平台见证不符",
            )
    return info


def _ledger(read: Callable[[str], bytes | None], names: set[str]) -> list[dict[str, Any]]:
    if "ledger.jsonl" not in names:
        return []
    out = []
    for line in (read("ledger.jsonl") or b"").decode("utf-8", "replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
    return out


def summary_zh(info: dict[str, Any]) -> str:
    """For the ``check-package`` text: what the witness covered and whose key it was."""
    if not info.get("witnessed_heads"):
        return "本证据包不含平台见证（导出时尚未同步）：日志只能自证。"
    fps = "、".join(fmt.short_fingerprint(f) for f in info["key_fingerprints"])
    text = (
        f"平台见证：{info['witnessed_heads']} 个日志头，本案 {info['witnessed_entries']} 条日志经平台见证；"
        f"平台公钥指纹 {fps}（请与平台通报所印指纹核对）。"
    )
    if info["unwitnessed_entries"]:
        text += f"另有 {len(info['unwitnessed_entries'])} 条日志在导出时尚未见证。"
    return text
