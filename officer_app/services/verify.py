"""Re-check every piece of evidence and the whole ledger: what a court or a receiving agency asks.

Each stored file is re-hashed against its row; files without a row are named; the hash chain is
walked; and every evidence row is matched with its intake entry, so removing ledger entries at the
end of the chain (which leaves a valid chain) is caught too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from officer_app.media.hashing import sha256_file
from officer_app.services import custody, custody_check
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from officer_app.store.ledger import verify_chain


@dataclass(frozen=True)
class Problem:
    kind: str  # changed / missing / extra / ledger_altered / ledger_broken_link / ledger_gap /
    #            ledger_reordered / intake_missing / intake_mismatch
    ref: str  # evidence id, file name or ledger seq
    detail: str
    message_zh: str


_LEDGER_ZH = {
    "altered": "日志条目内容被改动",
    "broken_link": "日志链断裂（条目被删除、插入或调换）",
    "gap": "日志条目缺失",
    "reordered": "日志条目顺序被调换",
}


def verify(ctx: AppContext, *, against_platform: bool = False) -> dict[str, Any]:
    """``against_platform``: also compare with what the platform witnessed (needs the network)."""
    problems: list[Problem] = []
    blobs = BlobStore(ctx.data.evidence_dir)
    rows = ctx.store.query("SELECT id, sha256, original_name FROM evidence ORDER BY imported_at")
    known = {row["sha256"] for row in rows}
    for row in rows:
        path = blobs.path_for(row["sha256"])
        if not path.is_file():
            problems.append(
                Problem(
                    "missing", row["id"], f"{path} missing", f"证据文件缺失：{row['original_name']}"
                )
            )
            continue
        actual = sha256_file(path)
        if actual != row["sha256"]:
            problems.append(
                Problem(
                    "changed",
                    row["id"],
                    f"{path}: sha256 {actual} != {row['sha256']}",
                    f"证据文件已被改动：{row['original_name']}",
                )
            )
    for name, path in blobs.iter_stored():
        if name not in known:
            problems.append(
                Problem(
                    "extra",
                    name,
                    f"{path} has no evidence row",
                    f"证据目录中有来历不明的文件：{path.name}",
                )
            )
    entries = ctx.store.query("SELECT * FROM ledger ORDER BY seq")
    for issue in verify_chain(entries):
        problems.append(
            Problem(
                f"ledger_{issue.kind}",
                str(issue.seq),
                issue.detail,
                f"{_LEDGER_ZH[issue.kind]}（第 {issue.seq} 条）",
            )
        )
    intakes = {
        entry["entity_id"]: json.loads(entry["payload"])
        for entry in entries
        if entry["kind"] in custody.ORIGIN_KINDS  # taken in here, or received by transfer
    }
    for row in rows:
        intake = intakes.get(row["id"])
        if intake is None:
            problems.append(
                Problem(
                    "intake_missing",
                    row["id"],
                    "no evidence_intake ledger entry",
                    f"证据缺少入库日志：{row['original_name']}",
                )
            )
        elif intake.get("sha256") != row["sha256"]:
            problems.append(
                Problem(
                    "intake_mismatch",
                    row["id"],
                    "row sha256 differs from its intake entry",
                    f"证据记录与入库日志不符：{row['original_name']}",
                )
            )
    found, witness = custody_check.check_offline(ctx, entries)
    if against_platform:
        online, witness["against_platform"] = custody_check.check_against_platform(ctx, entries)
        found += online
    problems += [Problem(p.kind, p.ref, p.detail, p.message_zh) for p in found]
    return {
        "ok": not problems,
        "evidence_checked": len(rows),
        "ledger_entries": len(entries),
        "problems": [asdict(p) for p in problems],
        "witness": witness,
    }
