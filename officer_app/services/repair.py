"""``verify --repair``: fix what an interrupted import left, without ever losing a file.

What it does, and says it did:

- temp files of writers that are gone: a complete copy is put in its place in the store, an
  incomplete one (its hash says so) is deleted (store/leftovers.sweep, also run by every import);
- a stored file that an interrupted import's note describes: registered as evidence exactly as a
  rerun of that import would (same metadata, row, ledger and outbox entries);
- a stored file nobody can account for (no row, no note, no ledger entry), and temp files of an
  earlier release: moved to ``<data dir>/quarantine/<time>/``, never deleted; the officer can look
  at them and import them again;
- a stored file whose row is missing although the ledger recorded its intake: left alone, as
  evidence of tampering for a person to examine;
- in ``documents/``, temp files of an issue that did not commit are deleted, and a whole PDF
  whose number was never recorded is quarantined.

Then it runs ``verify`` again and returns both.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from officer_app import portable
from officer_app.errors import UserFacingError
from officer_app.media.errors import MediaError
from officer_app.runlock import sweep_temp_files
from officer_app.services import evidence_import, verify
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from officer_app.store.leftovers import scan, sweep

log = logging.getLogger(__name__)

_SWEEP_ZH = {
    ("published_part", "complete copy"): "临时文件是完整副本，已存入证据库：{sha}…",
    ("removed_part", "already stored"): "已删除重复的临时文件（证据库中已有该文件）：{sha}…",
    ("removed_part", "incomplete copy"): "已删除不完整的临时文件（原文件仍需重新导入）：{sha}…",
    (
        "removed_part",
        "unfinished stream",
    ): "已删除未复制完的录音录像临时文件（原文件仍需重新导入）：{file}",
    ("removed_note", "registered"): "已清除导入中断的提示（该文件已登记）：{sha}…",
    (
        "removed_note",
        "nothing stored",
    ): "已清除导入中断的提示（未保存任何文件，请重新导入）：{sha}…",
}


def quarantine_dir(ctx: AppContext) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return ctx.data.root / "quarantine" / stamp


def _quarantine(ctx: AppContext, path: Path, target_dir: Path) -> str:
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / path.name
    portable.replace(path, target)
    log.warning("repair: moved %s to %s", path, target)
    return str(target)


def repair(ctx: AppContext) -> dict[str, Any]:
    blobs = BlobStore(ctx.data.evidence_dir)
    actions: list[dict[str, str]] = []
    try:

        def registered(sha: str) -> bool:
            return ctx.store.scalar("SELECT 1 FROM evidence WHERE sha256 = ?", [sha]) is not None

        for done in sweep(blobs, registered):
            text = _SWEEP_ZH[(done["action"], done["why"])].format(
                sha=done["sha256"][:12], file=done.get("file", "")
            )
            actions.append({**done, "message_zh": text})
        actions += _unregistered(ctx, blobs)
        actions += _documents(ctx)
    finally:
        blobs.close()
    result = verify.verify(ctx)
    return {"actions": actions, **result}


def _unregistered(ctx: AppContext, blobs: BlobStore) -> list[dict[str, str]]:
    actions: list[dict[str, str]] = []
    leftovers = scan(blobs)
    report = verify.verify(ctx)
    kinds = {p["ref"]: p["kind"] for p in report["problems"]}
    aside = quarantine_dir(ctx)
    for name, path in list(blobs.iter_stored()):
        kind = kinds.get(name)
        if kind == "interrupted_import" and name in leftovers.notes:
            note = leftovers.notes[name][1]
            try:
                outcome = evidence_import.register_stored(ctx, blobs, name, note)
            except (UserFacingError, MediaError) as exc:
                log.warning("repair: could not register %s: %s", name, exc)
            else:
                shown = note.get("original_name") or name[:12]
                actions.append(
                    {
                        "action": "registered",
                        "sha256": name,
                        "evidence_id": str(outcome.evidence_id),
                        "message_zh": f"已登记导入中断的证据文件：{shown}",
                    }
                )
                continue
        if kind in ("interrupted_import", "extra"):
            moved = _quarantine(ctx, path, aside)
            actions.append(
                {
                    "action": "quarantined",
                    "file": name,
                    "to": moved,
                    "message_zh": f"已将未登记的文件移入隔离文件夹（未删除）：{moved}",
                }
            )
        elif kind == "row_missing":
            actions.append(
                {
                    "action": "left",
                    "file": name,
                    "message_zh": f"未处理（需人工核查，入库日志中有该文件）：{name[:12]}…",
                }
            )
    for path in leftovers.unnamed:
        moved = _quarantine(ctx, path, aside)
        actions.append(
            {
                "action": "quarantined",
                "file": path.name,
                "to": moved,
                "message_zh": f"已将旧版本的临时文件移入隔离文件夹（未删除）：{moved}",
            }
        )
    return actions


def _documents(ctx: AppContext) -> list[dict[str, str]]:
    folder = ctx.data.root / "documents"
    actions = [
        {
            "action": "removed_temp",
            "file": path.name,
            "message_zh": f"已删除文书签发中断留下的临时文件：{path.name[:24]}…",
        }
        for path in sweep_temp_files(folder)
    ]
    unrecorded = [p for p in verify.document_problems(ctx) if p.kind == "unrecorded_pdf"]
    aside = quarantine_dir(ctx)
    for problem in unrecorded:
        moved = _quarantine(ctx, folder / problem.ref, aside)
        actions.append(
            {
                "action": "quarantined",
                "file": problem.ref,
                "to": moved,
                "message_zh": f"已将文号未登记的PDF移入隔离文件夹（未删除）：{moved}",
            }
        )
    return actions
