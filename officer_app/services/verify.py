"""Re-check every piece of evidence and the whole ledger: what a court or a receiving agency asks.

Each stored file is re-hashed against its row; files without a row are named; the hash chain is
walked; and every evidence row is matched with its intake entry, so removing ledger entries at the
end of the chain (which leaves a valid chain) is caught too.

A file without a row is told apart by what it is (store/leftovers.py): the leftover of an import
that was interrupted (its note, or a file whose name is its own hash and that no ledger entry
knows), a file whose row was removed although the ledger recorded its intake (tampering: a
person must look), or something unexplained.  Each message says how to fix it; ``verify --repair``
(services/repair.py) does the safe part.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from officer_app.media.hashing import sha256_file
from officer_app.runlock import stale_temp_files
from officer_app.services import custody, custody_check, gps_logs
from officer_app.services.context import AppContext
from officer_app.store.blobs import SHA_RE, BlobStore
from officer_app.store.ledger import verify_chain
from officer_app.store.leftovers import Leftovers, part_is_complete, scan


@dataclass(frozen=True)
class Problem:
    kind: str  # changed / missing / extra / ledger_altered / ledger_broken_link / ledger_gap /
    #            ledger_reordered / intake_missing / intake_mismatch / interrupted_import /
    #            interrupted_part / interrupted_unsaved / row_missing
    ref: str  # evidence id, file name or ledger seq
    detail: str
    message_zh: str


_LEDGER_ZH = {
    "altered": "日志条目内容被改动",
    "broken_link": "日志链断裂（条目被删除、插入或调换）",
    "gap": "日志条目缺失",
    "reordered": "日志条目顺序被调换",
}


REPAIR = "运行 officer-app verify --repair "


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
    log_shas, log_problems = gps_logs.verify_logs(ctx.store, blobs)  # recordings' GPS logs
    known |= log_shas
    problems += [Problem(*found) for found in log_problems]
    entries = ctx.store.query("SELECT * FROM ledger ORDER BY seq")
    intakes = {
        entry["entity_id"]: json.loads(entry["payload"])
        for entry in entries
        if entry["kind"] in custody.ORIGIN_KINDS  # taken in here, or received by transfer
    }
    leftovers = scan(blobs)
    ledger_shas = {intake.get("sha256") for intake in intakes.values()}
    for name, path in blobs.iter_stored():
        problem = (
            None if name in known else classify_unregistered(name, path, leftovers, ledger_shas)
        )
        if problem is not None:
            problems.append(problem)
    problems += leftover_problems(blobs, leftovers)
    problems += document_problems(ctx)
    for issue in verify_chain(entries):
        problems.append(
            Problem(
                f"ledger_{issue.kind}",
                str(issue.seq),
                issue.detail,
                f"{_LEDGER_ZH[issue.kind]}（第 {issue.seq} 条）",
            )
        )
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


def classify_unregistered(
    name: str, path: Path, leftovers: Leftovers, ledger_shas: set[str | None]
) -> Problem | None:
    """A stored file no evidence row points at: what it most likely is, and what to do (None:
    a running import is about to register it)."""
    if name in leftovers.live:
        return None
    if name in ledger_shas:
        return Problem(
            "row_missing",
            name,
            f"{path}: an evidence_intake entry names it, but no evidence row does",
            f"证据记录缺失（入库日志中有该文件）：{name[:12]}…。请联系信息管理人员，勿自行删除。",
        )
    note = leftovers.notes.get(name)
    if note is not None:
        original = note[1].get("original_name") or "（文件名不详）"
        when = _local_time(note[1].get("started_at"))
        return Problem(
            "interrupted_import",
            name,
            f"{path}: stored by an import that was interrupted before its row committed",
            f"导入中断：{original}（{when}）已存入证据库但未登记。请重新导入该文件，或{REPAIR}登记。",
        )
    if SHA_RE.match(name) and sha256_file(path) == name:
        return Problem(
            "interrupted_import",
            name,
            f"{path}: a whole file named by its hash, unknown to the ledger (its note was lost)",
            f"导入中断留下的证据文件（未登记，原文件名不详）：{name[:12]}…。"
            f"{REPAIR}将其移入隔离文件夹后可重新导入（不会删除）。",
        )
    return Problem(
        "extra",
        name,
        f"{path} has no evidence row",
        f"证据目录中有来历不明的文件：{path.name}。{REPAIR}可将其移入隔离文件夹（不会删除）。",
    )


def leftover_problems(blobs: BlobStore, leftovers: Leftovers) -> list[Problem]:
    """Temp files and notes of writers that are gone."""
    found = []
    for sha, path in leftovers.parts:
        whole = part_is_complete(sha, path)
        found.append(
            Problem(
                "interrupted_part",
                path.name,
                f"{path}: temp file of a writer that is gone ({'complete' if whole else 'partial'})",
                f"导入中断留下的临时文件：{path.name[:16]}…（{'完整副本' if whole else '不完整'}）。"
                f"重新导入任意文件或{REPAIR}即可清理。",
            )
        )
    for path in leftovers.streams:
        found.append(
            Problem(
                "interrupted_part",
                path.name,
                f"{path}: unfinished copy of a recording by a writer that is gone",
                f"录音录像导入中断留下的临时文件（未复制完）：{path.name[:20]}…。"
                f"请重新导入该录音录像；重新导入任意文件或{REPAIR}即可清理。",
            )
        )
    for path in leftovers.unnamed:
        found.append(
            Problem(
                "interrupted_part",
                path.name,
                f"{path}: temp file of an earlier release",
                f"旧版本导入中断留下的临时文件：{path.name}。{REPAIR}将其移入隔离文件夹。",
            )
        )
    for sha, (_path, note) in leftovers.notes.items():
        if not blobs.has(sha):
            original = note.get("original_name") or sha[:12]
            found.append(
                Problem(
                    "interrupted_unsaved",
                    sha,
                    f"import of {sha} interrupted before the file was stored",
                    f"导入中断：{original} 未保存。请重新导入该文件（或{REPAIR}清除此提示）。",
                )
            )
    return found


def _local_time(iso: object) -> str:
    """When an import started, in the laptop's local time (notes keep UTC)."""
    try:
        return dt.datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return "时间不详"


def document_problems(ctx: AppContext) -> list[Problem]:
    """What a killed ``document issue`` can leave in ``documents/``: a temp file (the issue did
    not commit), or a whole PDF whose number was never recorded (killed between the write and
    the commit): not a document, but a page carrying a number another may get."""
    folder = ctx.data.root / "documents"
    found = [
        Problem(
            "interrupted_document",
            path.name,
            f"{path}: temp file of a writer that is gone",
            f"文书签发中断留下的临时文件：{path.name[:24]}…。该次签发未完成，可重新签发；"
            f"{REPAIR}清理。",
        )
        for path in stale_temp_files(folder)
    ]
    if folder.is_dir():
        recorded = {
            row["pdf_sha256"]
            for row in ctx.store.query(
                "SELECT pdf_sha256 FROM documents WHERE pdf_sha256 IS NOT NULL"
            )
        }
        for path in sorted(folder.glob("*.pdf")):
            if path.stem not in recorded:
                found.append(
                    Problem(
                        "unrecorded_pdf",
                        path.name,
                        f"{path}: no document row has this pdf_sha256",
                        f"文书签发中断留下的PDF（其文号未登记，不是有效文书）：{path.stem[:12]}…。"
                        f"{REPAIR}将其移入隔离文件夹。",
                    )
                )
    return found
